// Internal to bench/: the year the workload is set in, 2021 in Gansu: its days (day 0 is
// 2021-01-01), the State Council's holidays, the working days, and the hundred basic courts.
#ifndef CASELEDGER_BENCH_YEAR_H_
#define CASELEDGER_BENCH_YEAR_H_

#include <array>
#include <string>
#include <vector>

#include "bench/workload.h"
#include "core/date.h"

namespace caseledger::bench {

inline constexpr int kYear = 2021;
inline constexpr int kDays = 365;  // day 0 is 2021-01-01
inline constexpr int kLastDay = kDays - 1;
inline constexpr int kTruncated = kDays;  // a step that would fall after the year: not generated
// A receipt's bank value date is at most this many days before its `on`.
inline constexpr int kValueLagMax = 3;
// The collective disbursement days: before the Spring Festival (wages of migrant workers, a
// court custom) and the province's day of 18 Nov 2021 (RULES §8).
inline constexpr int kSpringEventDay = 35;     // 2021-02-05, a Friday
inline constexpr int kProvinceEventDay = 321;  // 2021-11-18, a Thursday

// The State Council's 2021 holiday arrangement (国办发明电〔2020〕27号): days off (month, first
// day, last day), and the weekend days worked in exchange (调休上班; month, day).
inline constexpr std::array<std::array<int, 3>, 7> kHolidayRanges = {
    {{1, 1, 3}, {2, 11, 17}, {4, 3, 5}, {5, 1, 5}, {6, 12, 14}, {9, 19, 21}, {10, 1, 7}}};
inline constexpr std::array<std::array<int, 2>, 7> kWorkdays = {
    {{2, 7}, {2, 20}, {4, 25}, {5, 8}, {9, 18}, {9, 26}, {10, 9}}};

// Day `day` of the year (negative: before it) as a date, and back.
Date DateOf(int day);
int DayOf(int month, int day);

// A basic court of Gansu by its court code (4 digits after 甘), with the county or district it
// serves.
struct Court {
  const char* digits;
  const char* county;
  int city;  // index into kCities
};
extern const std::array<const char*, 14> kCities;
extern const std::array<Court, kWorkloadCourts> kCourts;

// The working days of the year, and each day's date as text.
class YearCalendar {
 public:
  YearCalendar();
  // The first working day on or after `day`; kTruncated past the year.
  int NextWorking(int day) const { return day > kLastDay ? kTruncated : next_working_[day]; }
  const std::vector<int>& working_days() const { return working_days_; }
  bool IsLastWorkingOfMonth(int day) const { return last_working_of_month_[day]; }
  // "2021-01-04" for day 3; from kValueLagMax days before the year.
  const std::string& DayText(int day) const { return day_text_[day + kValueLagMax]; }

 private:
  std::array<int, kDays> next_working_{};
  std::vector<int> working_days_;
  std::array<bool, kDays> last_working_of_month_{};
  std::vector<std::string> day_text_;  // day d at d + kValueLagMax
};

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_YEAR_H_
