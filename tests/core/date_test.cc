// Proves that dates parse only as valid YYYY-MM-DD and that day, month and year arithmetic follow
// SPEC §7 (days(a, b) = b - a, month ends clamped), and that Today honours $CASELEDGER_TODAY.
#include "core/date.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace caseledger {
namespace {

Date D(std::string_view text) {
  Result<Date> date = Date::Parse(text, "on");
  EXPECT_TRUE(date.ok()) << text << ": " << date.status().ToString();
  return date.ok() ? *date : Date();
}

void ExpectInvalid(std::string_view text) {
  Result<Date> date = Date::Parse(text, "receipt.value_date");
  ASSERT_FALSE(date.ok()) << text << " was accepted";
  EXPECT_EQ(date.status().code(), Code::kInvalidArgument);
  EXPECT_NE(date.status().message().find("receipt.value_date: "), std::string::npos);
  EXPECT_NE(date.status().message().find("is not a valid date (YYYY-MM-DD)"), std::string::npos)
      << date.status().message();
}

TEST(DateTest, DefaultIsTheEpoch) {
  EXPECT_EQ(Date().days(), 0);
  EXPECT_EQ(Date().ToString(), "1970-01-01");
}

TEST(DateTest, ParsesValidDates) {
  EXPECT_EQ(D("1970-01-01").days(), 0);
  EXPECT_EQ(D("1970-01-02").days(), 1);
  EXPECT_EQ(D("1969-12-31").days(), -1);
  EXPECT_EQ(D("2000-03-01").days(), 11017);
  const Date leap = D("2024-02-29");
  EXPECT_EQ(leap.year(), 2024);
  EXPECT_EQ(leap.month(), 2);
  EXPECT_EQ(leap.day(), 29);
  EXPECT_EQ(leap.ToString(), "2024-02-29");
  EXPECT_EQ(D("2000-02-29").ToString(), "2000-02-29");  // divisible by 400: leap
  EXPECT_EQ(D("1900-01-01").ToString(), "1900-01-01");
  EXPECT_EQ(D("9999-12-31").ToString(), "9999-12-31");
}

TEST(DateTest, RejectsInvalidDates) {
  EXPECT_EQ(Date::Parse("2024-02-30", "on").status().message(),
            "on: \"2024-02-30\" is not a valid date (YYYY-MM-DD)");
  ExpectInvalid("2023-02-29");
  ExpectInvalid("1900-02-29");  // divisible by 100, not by 400
  ExpectInvalid("2024-04-31");
  ExpectInvalid("2024-13-01");
  ExpectInvalid("2024-00-10");
  ExpectInvalid("2024-01-00");
  ExpectInvalid("2024-2-3");
  ExpectInvalid("2024-02-03 ");
  ExpectInvalid(" 2024-02-03");
  ExpectInvalid("2024/02/03");
  ExpectInvalid("20240203");
  ExpectInvalid("2024-02-03T00:00:00");
  ExpectInvalid("");
  ExpectInvalid("1899-12-31");  // before 1900
  ExpectInvalid("0000-01-01");
  ExpectInvalid("２０２４-02-03");  // full-width digits
  ExpectInvalid("+024-02-03");
  ExpectInvalid("2024-0a-03");
}

TEST(DateTest, FromYmdValidates) {
  EXPECT_TRUE(Date::FromYmd(2024, 2, 29).has_value());
  EXPECT_FALSE(Date::FromYmd(2023, 2, 29).has_value());
  EXPECT_FALSE(Date::FromYmd(2024, 0, 1).has_value());
  EXPECT_FALSE(Date::FromYmd(2024, 12, 32).has_value());
  EXPECT_EQ(Date::FromYmd(2024, 3, 5)->ToString(), "2024-03-05");
}

TEST(DateTest, FromDaysRoundTripsOverCenturies) {
  for (int64_t days = -800000; days <= 3000000; days += 997) {
    const Date date = Date::FromDays(days);
    std::optional<Date> again = Date::FromYmd(date.year(), date.month(), date.day());
    ASSERT_TRUE(again.has_value()) << days;
    EXPECT_EQ(again->days(), days);
  }
}

TEST(DateTest, DayArithmetic) {
  EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
  EXPECT_EQ(D("2024-02-29").AddDays(1), D("2024-03-01"));
  EXPECT_EQ(D("2024-03-05").AddDays(30), D("2024-04-04"));
  EXPECT_EQ(D("2024-01-01").AddDays(-1), D("2023-12-31"));
  // days(a, b) = b - a: the start day is not counted, the end day is.
  EXPECT_EQ(DaysBetween(D("2024-03-05"), D("2024-03-06")), 1);
  EXPECT_EQ(DaysBetween(D("2024-01-01"), D("2025-01-01")), 366);
  EXPECT_EQ(DaysBetween(D("2023-01-01"), D("2024-01-01")), 365);
  EXPECT_EQ(DaysBetween(D("2024-03-06"), D("2024-03-05")), -1);
  EXPECT_LT(D("2024-03-05"), D("2024-03-06"));
}

TEST(DateTest, AddMonthsClampsToTheMonthEnd) {
  EXPECT_EQ(D("2024-01-31").AddMonths(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-01-31").AddMonths(1), D("2023-02-28"));
  EXPECT_EQ(D("2024-03-31").AddMonths(1), D("2024-04-30"));
  EXPECT_EQ(D("2024-01-15").AddMonths(6), D("2024-07-15"));
  EXPECT_EQ(D("2024-08-31").AddMonths(6), D("2025-02-28"));
  EXPECT_EQ(D("2024-11-30").AddMonths(3), D("2025-02-28"));
  EXPECT_EQ(D("2024-03-31").AddMonths(-1), D("2024-02-29"));
  EXPECT_EQ(D("2024-01-10").AddMonths(-1), D("2023-12-10"));
  EXPECT_EQ(D("2024-05-20").AddMonths(0), D("2024-05-20"));
  // Clamping does not carry over: two single months may differ from one double month.
  EXPECT_EQ(D("2024-01-31").AddMonths(1).AddMonths(1), D("2024-03-29"));
  EXPECT_EQ(D("2024-01-31").AddMonths(2), D("2024-03-31"));
}

TEST(DateTest, AddYearsIsTwelveMonths) {
  EXPECT_EQ(D("2024-02-29").AddYears(1), D("2025-02-28"));
  EXPECT_EQ(D("2024-02-29").AddYears(4), D("2028-02-29"));
  EXPECT_EQ(D("2024-03-05").AddYears(5), D("2029-03-05"));
  EXPECT_EQ(D("2024-03-05").AddYears(-2), D("2022-03-05"));
}

// core/date.h: arithmetic saturates at 1900-01-01 and 9999-12-31, so that every date the ledger
// computes prints as YYYY-MM-DD and parses back (a deadline past 9999 once read back as
// 1970-01-01), and no sum overflows whatever is added.
TEST(DateTest, ArithmeticSaturatesAtTheEndsOfWhatParsesBack) {
  const Date last = D("9999-12-31"), first = D("1900-01-01");
  EXPECT_EQ(Date::Latest(), last);
  EXPECT_EQ(Date::Earliest(), first);
  EXPECT_EQ(last.AddDays(1), last);
  EXPECT_EQ(D("9999-12-01").AddMonths(1), last);
  EXPECT_EQ(D("9999-03-05").AddYears(1), last);
  EXPECT_EQ(D("2199-12-31").AddDays(INT64_MAX), last);
  EXPECT_EQ(D("2199-12-31").AddMonths(INT64_MAX), last);
  EXPECT_EQ(D("2199-12-31").AddYears(INT64_MAX), last);
  EXPECT_EQ(D("2199-12-31").AddYears(8000), last);
  EXPECT_EQ(first.AddDays(-1), first);
  EXPECT_EQ(D("1900-01-31").AddMonths(-1), first);
  EXPECT_EQ(D("2024-03-05").AddDays(INT64_MIN), first);
  EXPECT_EQ(D("2024-03-05").AddMonths(INT64_MIN), first);
  EXPECT_EQ(D("2024-03-05").AddYears(-200), first);
  // Exact inside the range.
  EXPECT_EQ(D("2199-12-31").AddDays(30), D("2200-01-30"));
  EXPECT_EQ(D("2199-12-31").AddYears(7800), D("9999-12-31"));
  EXPECT_EQ(D("9999-12-30").AddDays(1), last);
  EXPECT_EQ(D("1900-01-02").AddDays(-1), first);
  // Every result of every size of step parses back.
  for (int64_t step : {int64_t{1}, int64_t{30}, int64_t{365}, int64_t{3660}, int64_t{100000},
                       int64_t{3000000}, INT64_MAX / 2, INT64_MAX}) {
    for (const Date from : {first, D("1949-10-01"), D("2024-02-29"), D("2199-12-31"), last}) {
      for (const Date result : {from.AddDays(step), from.AddDays(-step), from.AddMonths(step),
                                from.AddMonths(-step), from.AddYears(step), from.AddYears(-step)}) {
        const Result<Date> again = Date::Parse(result.ToString(), "deadline");
        ASSERT_TRUE(again.ok()) << from.ToString() << " by " << step << ": " << result.ToString();
        EXPECT_EQ(*again, result);
      }
    }
  }
}

// SPEC §1: a command's dates lie between 1949-10-01 and 2199-12-31.
TEST(DateTest, ParseInputTakesTheDatesACommandMayCarry) {
  EXPECT_EQ(Date::ParseInput("1949-10-01", "on").value(), D("1949-10-01"));
  EXPECT_EQ(Date::ParseInput("2199-12-31", "on").value(), D("2199-12-31"));
  EXPECT_EQ(Date::ParseInput("2024-02-29", "on").value(), D("2024-02-29"));
  EXPECT_EQ(Date::InputEarliest(), D("1949-10-01"));
  EXPECT_EQ(Date::InputLatest(), D("2199-12-31"));
  for (const char* text : {"1949-09-30", "1900-01-01", "2200-01-01", "9999-12-31"}) {
    const Result<Date> date = Date::ParseInput(text, "receipt.value_date");
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_EQ(date.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(date.status().message(), std::string("receipt.value_date: \"") + text +
                                           "\" is outside the dates the ledger accepts "
                                           "(1949-10-01 to 2199-12-31)");
  }
  EXPECT_EQ(Date::ParseInput("2024-02-30", "on").status().message(),
            "on: \"2024-02-30\" is not a valid date (YYYY-MM-DD)");
}

TEST(DateTest, Weekday) {
  EXPECT_EQ(D("1970-01-01").weekday(), 4);  // Thursday
  EXPECT_EQ(D("2024-03-04").weekday(), 1);  // Monday
  EXPECT_EQ(D("2024-03-09").weekday(), 6);  // Saturday
  EXPECT_EQ(D("2024-03-10").weekday(), 7);  // Sunday
  EXPECT_EQ(D("1969-12-29").weekday(), 1);  // Monday, before the epoch
  EXPECT_EQ(D("1949-10-01").weekday(), 6);  // Saturday
  EXPECT_EQ(D("2000-01-01").weekday(), 6);  // Saturday
}

// Sets or clears $CASELEDGER_TODAY for one test and restores what was there before, since every
// test of the binary shares the process environment.
class ScopedToday {
 public:
  explicit ScopedToday(const char* value) {
    const char* saved = std::getenv(kName);
    if (saved != nullptr) saved_ = saved;
    if (value == nullptr) {
      unsetenv(kName);
    } else {
      setenv(kName, value, 1);
    }
  }
  ~ScopedToday() {
    if (saved_.has_value()) {
      setenv(kName, saved_->c_str(), 1);
    } else {
      unsetenv(kName);
    }
  }

 private:
  static constexpr const char* kName = "CASELEDGER_TODAY";
  std::optional<std::string> saved_;
};

TEST(TodayTest, UsesTheEnvironmentOverride) {
  ScopedToday fixed("2024-03-05");
  Result<Date> today = Today();
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->ToString(), "2024-03-05");
}

TEST(TodayTest, RejectsAnInvalidOverride) {
  ScopedToday fixed("2024-02-30");
  Result<Date> today = Today();
  ASSERT_FALSE(today.ok());
  EXPECT_EQ(today.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(today.status().message(),
            "CASELEDGER_TODAY: \"2024-02-30\" is not a valid date (YYYY-MM-DD)");
}

TEST(TodayTest, WithoutOverrideIsAPlausibleDate) {
  ScopedToday cleared(nullptr);
  Result<Date> today = Today();
  ASSERT_TRUE(today.ok());
  EXPECT_GE(today->year(), 2024);
  EXPECT_LE(today->year(), 9999);
}

}  // namespace
}  // namespace caseledger
