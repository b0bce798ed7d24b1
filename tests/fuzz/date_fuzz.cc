// Dates (SPEC §1): Date::Parse accepts exactly YYYY-MM-DD naming a real day of 1900..9999 and
// Date::ParseInput those of 1949-10-01..2199-12-31, a parsed date prints back to its text, and
// day and month arithmetic agree with the calendar, saturating at 1900-01-01 and 9999-12-31.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/identifiers.h"
#include "tests/fuzz/fuzz.h"

namespace caseledger {
namespace {

// A message echoes at most kMessageEchoBytesMax bytes of the input, each escaped to at most six
// ("\u0000"), beside a fixed text: bounded whatever the input's length.
constexpr size_t kMessageBytesMax = 6 * kMessageEchoBytesMax + 300;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// SPEC §1 written out by hand.
bool MatchesSpec(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(text[i])) return false;
  }
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  if (year < 1900 || month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

// Arithmetic from a valid date, by amounts the ledger could ask for (deadlines of up to ten
// years, ages of a few centuries), read from the bytes after the date.
void CheckArithmetic(Date date, const uint8_t* data, size_t size) {
  int32_t raw_days = 0, raw_months = 0;
  std::memcpy(&raw_days, data, std::min(size, sizeof raw_days));
  if (size > sizeof raw_days) {
    std::memcpy(&raw_months, data + sizeof raw_days,
                std::min(size - sizeof raw_days, sizeof raw_months));
  }
  const int64_t days = raw_days % 400000;  // about 1,100 years either way
  const int months = raw_months % 12000;

  // Arithmetic saturates at 1900-01-01 and 9999-12-31 (core/date.h): within them it is exact,
  // beyond them it stops there, and every result prints as YYYY-MM-DD and parses back.
  const int64_t earliest = Date::Earliest().days(), latest = Date::Latest().days();
  const Date later = date.AddDays(days);
  FUZZ_REQUIRE(later.days() == std::clamp(date.days() + days, earliest, latest));
  FUZZ_REQUIRE(Date::Parse(later.ToString(), "date").ok());
  if (later.days() == date.days() + days) {
    FUZZ_REQUIRE(DaysBetween(date, later) == days);
    FUZZ_REQUIRE(Date::FromYmd(later.year(), later.month(), later.day()) == later);
    const int64_t weekday_shift = ((days % 7) + 7) % 7;
    FUZZ_REQUIRE(later.weekday() == (date.weekday() - 1 + weekday_shift) % 7 + 1);
  }

  // Month arithmetic keeps the day of month, clamped to the end of the month (SPEC §7).
  const Date moved = date.AddMonths(months);
  const int64_t month_count = int64_t{date.year()} * 12 + (date.month() - 1) + months;
  if (month_count < int64_t{kDateYearMin} * 12) {
    FUZZ_REQUIRE(moved == Date::Earliest());
  } else if (month_count >= int64_t{kDateYearMax + 1} * 12) {
    FUZZ_REQUIRE(moved == Date::Latest());
  } else {
    FUZZ_REQUIRE(int64_t{moved.year()} * 12 + (moved.month() - 1) == month_count);
    FUZZ_REQUIRE(moved.day() == std::min(date.day(), DaysInMonth(moved.year(), moved.month())));
  }
  FUZZ_REQUIRE(date.AddYears(months / 12) == date.AddMonths(months / 12 * 12));
  const Result<Date> parsed = Date::Parse(moved.ToString(), "date");
  FUZZ_REQUIRE(parsed.ok() && *parsed == moved);
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  const std::string_view text = fuzz::AsText(data, size);
  const Result<Date> whole = Date::Parse(text, "on");
  FUZZ_REQUIRE(whole.ok() == MatchesSpec(text));
  // A command's dates: the same, and between 1949-10-01 and 2199-12-31.
  const Result<Date> input = Date::ParseInput(text, "on");
  FUZZ_REQUIRE(input.ok() ==
               (whole.ok() && *whole >= Date::InputEarliest() && *whole <= Date::InputLatest()));
  if (whole.ok()) {
    FUZZ_REQUIRE(whole->ToString() == text);
  } else {
    FUZZ_REQUIRE(IsValidUtf8(whole.status().message()));
    FUZZ_REQUIRE(whole.status().message().size() <= kMessageBytesMax);
  }
  // A date followed by numbers: the arithmetic from it.
  if (size > 10) {
    const Result<Date> date = Date::Parse(text.substr(0, 10), "on");
    if (date.ok()) CheckArithmetic(*date, data + 10, size - 10);
  }
  return 0;
}
