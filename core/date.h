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

// The years a written date may carry (SPEC §1: a business date is YYYY-MM-DD): what Parse reads
// back, stored dates and the flags of the reading commands.
inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 9999;

// A proleptic Gregorian calendar date; its value is the number of days since 1970-01-01.
//
// Arithmetic saturates: AddDays, AddMonths and AddYears never give a date before Earliest()
// (1900-01-01) or after Latest() (9999-12-31), the ends of what Parse reads, so every date the
// ledger computes and stores is written as YYYY-MM-DD and read back unchanged (a deadline beyond
// year 9999 once came back as 1970-01-01). A saturated deadline means "later than any date the
// ledger accepts": commands carry dates up to 2199-12-31 (ParseInput) and add at most a few
// centuries to them, so saturation is a safety net, never a figure anyone sees in practice.
class Date {
 public:
  Date() = default;  // 1970-01-01

  // Exact (no saturation): the date `days` after 1970-01-01.
  static Date FromDays(int64_t days);
  // nullopt unless month is 1..12 and day exists in that month (any year).
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Exactly "YYYY-MM-DD": ten ASCII characters, a valid date, year 1900..9999.
  // Error: InvalidArgument "<path>: \"2024-02-30\" is not a valid date (YYYY-MM-DD)".
  static Result<Date> Parse(std::string_view text, std::string_view path);
  // A date a command carries (SPEC §1: input dates lie between 1949-10-01 and 2199-12-31): Parse,
  // then the range. Error: InvalidArgument "<path>: \"2200-01-01\" is outside the dates the ledger
  // accepts (1949-10-01 to 2199-12-31)".
  static Result<Date> ParseInput(std::string_view text, std::string_view path);
  // What arithmetic saturates to: 1900-01-01 and 9999-12-31.
  static Date Earliest();
  static Date Latest();
  // The range of ParseInput: 1949-10-01 and 2199-12-31.
  static Date InputEarliest();
  static Date InputLatest();

  int64_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // 1 = Monday .. 7 = Sunday.
  int weekday() const;
  // "YYYY-MM-DD" (years outside 0..9999 are written with as many digits as they need).
  std::string ToString() const;

  // Each saturates at Earliest() and Latest() (above).
  Date AddDays(int64_t n) const;
  // Keeps the day of month, clamped to the last day of the resulting month (SPEC §7).
  Date AddMonths(int64_t n) const;
  // AddMonths(12 * n).
  Date AddYears(int64_t n) const;

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
