#include "core/calendar.h"

#include <cstdio>
#include <cstdlib>

namespace caseledger {
namespace {

constexpr int kSaturday = 6;

// Drops from `days` every date in a year named in `replacement`, then adds `replacement`.
void ReplaceYears(const std::vector<Date>& replacement, std::set<Date>& days) {
  std::set<int> years;
  for (Date day : replacement) years.insert(day.year());
  std::erase_if(days, [&](Date day) { return years.contains(day.year()); });
  days.insert(replacement.begin(), replacement.end());
}

}  // namespace

void Calendar::Replace(const std::vector<Date>& holidays, const std::vector<Date>& workdays) {
  ReplaceYears(holidays, holidays_);
  ReplaceYears(workdays, workdays_);
}

bool Calendar::IsWorkingDay(Date day) const {
  if (workdays_.contains(day)) return true;
  if (holidays_.contains(day)) return false;
  return day.weekday() < kSaturday;
}

Date Calendar::AddWorkingDays(Date from, int n) const {
  if (n < 1) {
    std::fprintf(stderr, "AddWorkingDays: n = %d is not at least 1\n", n);
    std::abort();
  }
  // Ends: holidays are finite, so working days keep coming (at most n + holidays + 2n weekend
  // days ahead).
  Date day = from;
  for (int found = 0; found < n;) {
    if (day == Date::Latest()) break;  // arithmetic saturates there (core/date.h)
    day = day.AddDays(1);
    if (IsWorkingDay(day)) ++found;
  }
  return day;
}

std::vector<Date> Calendar::Holidays() const { return {holidays_.begin(), holidays_.end()}; }

std::vector<Date> Calendar::Workdays() const { return {workdays_.begin(), workdays_.end()}; }

}  // namespace caseledger
