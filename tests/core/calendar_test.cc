// Proves working days are Monday–Friday minus holidays plus adjusted workdays, replaced by year.
#include "core/calendar.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace caseledger {
namespace {

Date D(std::string_view text) {
  Result<Date> date = Date::Parse(text, "test");
  EXPECT_TRUE(date.ok()) << text << ": " << date.status().ToString();
  return date.ok() ? *date : Date();
}

std::vector<Date> Range(std::string_view first, int count) {
  std::vector<Date> days;
  for (int i = 0; i < count; ++i) days.push_back(D(first).AddDays(i));
  return days;
}

// China 2024 National Day (国务院办公厅 2023 notice): 10-01..10-07 off; Sunday 09-29 and
// Saturday 10-12 worked.
Calendar NationalDay2024() {
  Calendar calendar;
  calendar.Replace(Range("2024-10-01", 7), {D("2024-09-29"), D("2024-10-12")});
  return calendar;
}

TEST(CalendarTest, WeekdaysWorkWeekendsDoNot) {
  const Calendar calendar;
  // 2024-03-01 is a Friday; 03-02 Saturday, 03-03 Sunday, 03-04 Monday.
  EXPECT_EQ(D("2024-03-01").weekday(), 5);
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-03-01")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-03-02")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-03-03")));
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-03-04")));
}

TEST(CalendarTest, ThirdWorkingDayAfterAFridayIsWednesday) {
  // Paid Friday 2024-03-01: Mon 03-04 (1), Tue 03-05 (2), Wed 03-06 (3).
  const Calendar calendar;
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-03-01"), 3), D("2024-03-06"));
  // Never the start day itself, even when it is a working day.
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-03-04"), 1), D("2024-03-05"));
  // From a Saturday: Mon (1).
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-03-02"), 1), D("2024-03-04"));
}

TEST(CalendarTest, HolidaysAndAdjustedWorkdays) {
  const Calendar calendar = NationalDay2024();
  EXPECT_EQ(D("2024-09-29").weekday(), 7);
  EXPECT_EQ(D("2024-10-12").weekday(), 6);
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-09-29")));   // Sunday worked
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-10-01")));  // Tuesday off
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-10-07")));  // Monday off
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-10-12")));   // Saturday worked
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-10-13")));  // Sunday
  // Friday 09-27: Sun 09-29 (1), Mon 09-30 (2), [10-01..10-07 off], Tue 10-08 (3).
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-09-27"), 3), D("2024-10-08"));
  // Monday 09-30: 10-08 (1), 10-09 (2), 10-10 (3).
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-09-30"), 3), D("2024-10-10"));
  // Thursday 10-10: Fri 10-11 (1), Sat 10-12 (2, worked), Mon 10-14 (3).
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-10-10"), 3), D("2024-10-14"));
  // A holiday start: Thursday 10-03 → 10-08, 10-09, 10-10.
  EXPECT_EQ(calendar.AddWorkingDays(D("2024-10-03"), 3), D("2024-10-10"));
}

TEST(CalendarTest, ListsAreSorted) {
  Calendar calendar;
  calendar.Replace({D("2024-10-02"), D("2023-01-02"), D("2024-10-01")},
                   {D("2024-10-12"), D("2024-09-29")});
  EXPECT_EQ(calendar.Holidays(),
            std::vector<Date>({D("2023-01-02"), D("2024-10-01"), D("2024-10-02")}));
  EXPECT_EQ(calendar.Workdays(), std::vector<Date>({D("2024-09-29"), D("2024-10-12")}));
}

TEST(CalendarTest, ReplacingOneYearKeepsTheOthers) {
  Calendar calendar = NationalDay2024();
  calendar.Replace({D("2023-01-02")}, {D("2023-01-28")});
  // 2023 replaced (it had none), 2024 intact.
  EXPECT_FALSE(calendar.IsWorkingDay(D("2023-01-02")));
  EXPECT_TRUE(calendar.IsWorkingDay(D("2023-01-28")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-10-01")));
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-10-12")));
  // Replacing 2024's holidays drops the old ones of 2024 only.
  calendar.Replace({D("2024-05-01")}, {});
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-10-01")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2024-05-01")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2023-01-02")));
  // ... and leaves 2024's workdays alone: they are replaced separately.
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-10-12")));
  EXPECT_EQ(calendar.Holidays(), std::vector<Date>({D("2023-01-02"), D("2024-05-01")}));
  EXPECT_EQ(calendar.Workdays(),
            std::vector<Date>({D("2023-01-28"), D("2024-09-29"), D("2024-10-12")}));
  // Workdays of 2024 replaced by one date; holidays untouched.
  calendar.Replace({}, {D("2024-04-28")});
  EXPECT_EQ(calendar.Workdays(), std::vector<Date>({D("2023-01-28"), D("2024-04-28")}));
  EXPECT_EQ(calendar.Holidays(), std::vector<Date>({D("2023-01-02"), D("2024-05-01")}));
}

TEST(CalendarTest, AWorkdayWinsOverAHolidayOnTheSameDate) {
  // Mon–Fri minus holidays, plus workdays: the workday is added last.
  Calendar calendar;
  calendar.Replace({D("2024-10-12")}, {D("2024-10-12")});
  EXPECT_TRUE(calendar.IsWorkingDay(D("2024-10-12")));
}

}  // namespace
}  // namespace caseledger
