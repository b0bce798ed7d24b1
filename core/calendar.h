// Working days (SPEC §7 Defaulter list, RULES §5): Monday to Friday, minus the court's holidays,
// plus its adjusted working days (weekend days worked, 调休上班), as set by `set_rules`.
#ifndef CASELEDGER_CORE_CALENDAR_H_
#define CASELEDGER_CORE_CALENDAR_H_

#include <set>
#include <vector>

#include "core/date.h"

namespace caseledger {

class Calendar {
 public:
  // Replaces the holidays of every year named in `holidays`, and separately the workdays of
  // every year named in `workdays`; other years keep theirs. An empty list replaces nothing.
  void Replace(const std::vector<Date>& holidays, const std::vector<Date>& workdays);

  // Monday–Friday minus holidays, plus workdays (a date in both lists is a working day).
  bool IsWorkingDay(Date day) const;
  // The n-th working day after `from` (n >= 1; a programmer error otherwise: aborts), never
  // `from` itself.
  Date AddWorkingDays(Date from, int n) const;

  std::vector<Date> Holidays() const;  // sorted
  std::vector<Date> Workdays() const;  // sorted

 private:
  std::set<Date> holidays_;
  std::set<Date> workdays_;
};

}  // namespace caseledger

#endif  // CASELEDGER_CORE_CALENDAR_H_
