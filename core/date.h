// Business dates (SPEC §1, §7): proleptic Gregorian calendar dates, day arithmetic, "today".
#ifndef CASELEDGER_CORE_DATE_H_
#define CASELEDGER_CORE_DATE_H_

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caseledger {

// The years a written date may carry (SPEC §1: a business date is YYYY-MM-DD).
inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 9999;

// A proleptic Gregorian calendar date; its value is the number of days since 1970-01-01.
class Date {
 public:
  Date() = default;  // 1970-01-01

  static Date FromDays(int64_t days);
  // nullopt unless month is 1..12 and day exists in that month (any year).
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Exactly "YYYY-MM-DD": ten ASCII characters, a valid date, year 1900..9999.
  // Error: InvalidArgument "<path>: \"2024-02-30\" is not a valid date (YYYY-MM-DD)".
  static Result<Date> Parse(std::string_view text, std::string_view path);

  int64_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // 1 = Monday .. 7 = Sunday.
  int weekday() const;
  // "YYYY-MM-DD" (years outside 0..9999 are written with as many digits as they need).
  std::string ToString() const;

  Date AddDays(int64_t n) const;
  // Keeps the day of month, clamped to the last day of the resulting month (SPEC §7).
  Date AddMonths(int n) const;
  // AddMonths(12 * n).
  Date AddYears(int n) const;

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int64_t days) : days_(days) {}

  int64_t days_ = 0;
};

// b - a in days: the start day is not counted, the end day is (SPEC §7 days(a, b)).
int64_t DaysBetween(Date a, Date b);

// Today in China Standard Time (UTC+8), or $CASELEDGER_TODAY when set (validated like any date;
// an invalid value is InvalidArgument).
Result<Date> Today();

// A UTC time in microseconds since 1970 as ISO 8601 with six decimals:
// "2024-03-05T01:02:03.000042Z" (an entry's recorded_at).
std::string FormatUtcMicros(int64_t micros);

// Lets GoogleTest print dates as "YYYY-MM-DD".
void PrintTo(const Date& date, std::ostream* out);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_DATE_H_
