#include "core/date.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ostream>

#include "core/identifiers.h"

namespace caseledger {
namespace {

struct Ymd {
  int64_t year;
  int month;
  int day;
};

constexpr bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian calendar.
constexpr int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The inverse of DaysFromCivil.
Ymd CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;  // 0 = March
  const int day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  const int month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t FloorDivide(int64_t a, int64_t b) {
  const int64_t quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// The days of Earliest() and Latest().
constexpr int64_t kEarliestDays = DaysFromCivil(kDateYearMin, 1, 1);
constexpr int64_t kLatestDays = DaysFromCivil(kDateYearMax, 12, 31);

Date Saturated(int64_t days) {
  return Date::FromDays(std::clamp(days, kEarliestDays, kLatestDays));
}

}  // namespace

Date Date::Earliest() { return Date(kEarliestDays); }
Date Date::Latest() { return Date(kLatestDays); }
Date Date::InputEarliest() { return Date(DaysFromCivil(1949, 10, 1)); }
Date Date::InputLatest() { return Date(DaysFromCivil(2199, 12, 31)); }

Date Date::AddDays(int64_t n) const {
  // Both ends first, so that no sum can overflow: the result lies between them anyway.
  const int64_t from = std::clamp(days_, kEarliestDays, kLatestDays);
  const int64_t span = kLatestDays - kEarliestDays;
  return Saturated(from + std::clamp(n, -span, span));
}

Date Date::AddMonths(int64_t n) const {
  const Ymd ymd = CivilFromDays(std::clamp(days_, kEarliestDays, kLatestDays));
  // 12 * 10,000 years of months bound any move that stays in range; beyond, saturate.
  constexpr int64_t kMonthsSpan = int64_t{12} * (kDateYearMax - kDateYearMin + 1);
  const int64_t month_count =
      ymd.year * 12 + (ymd.month - 1) + std::clamp(n, -kMonthsSpan, kMonthsSpan);
  const int64_t year = FloorDivide(month_count, 12);
  if (year < kDateYearMin) return Earliest();
  if (year > kDateYearMax) return Latest();
  const int month = static_cast<int>(month_count - year * 12) + 1;
  const int day = std::min(ymd.day, DaysInMonth(year, month));
  return Date(DaysFromCivil(year, month, day));
}

Date Date::AddYears(int64_t n) const {
  constexpr int64_t kYearsSpan = kDateYearMax - kDateYearMin + 1;
  return AddMonths(12 * std::clamp(n, -kYearsSpan, kYearsSpan));
}

Date Date::FromDays(int64_t days) { return Date(days); }

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return Date(DaysFromCivil(year, month, day));
}

Result<Date> Date::Parse(std::string_view text, std::string_view path) {
  auto invalid = [&] {
    return Status::InvalidArgument(
        fmt::format("{}: {} is not a valid date (YYYY-MM-DD)", path, QuoteForMessage(text)));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return invalid();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsAsciiDigit(text[i])) return invalid();
  }
  const int year = DigitsValue(text.substr(0, 4));
  if (year < kDateYearMin || year > kDateYearMax) return invalid();
  std::optional<Date> date =
      FromYmd(year, DigitsValue(text.substr(5, 2)), DigitsValue(text.substr(8, 2)));
  if (!date.has_value()) return invalid();
  return *date;
}

Result<Date> Date::ParseInput(std::string_view text, std::string_view path) {
  CASELEDGER_ASSIGN_OR_RETURN(Date date, Parse(text, path));
  if (date < InputEarliest() || date > InputLatest()) {
    return Status::InvalidArgument(
        fmt::format("{}: {} is outside the dates the ledger accepts ({} to {})", path,
                    QuoteForMessage(text), InputEarliest().ToString(), InputLatest().ToString()));
  }
  return date;
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).year); }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

int Date::weekday() const {
  // 1970-01-01 (day 0) was a Thursday (4).
  const int64_t days_into_week = days_ - FloorDivide(days_, 7) * 7;
  return static_cast<int>((days_into_week + 3) % 7) + 1;
}

std::string Date::ToString() const {
  const Ymd ymd = CivilFromDays(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", ymd.year, ymd.month, ymd.day);
}

int64_t DaysBetween(Date a, Date b) { return b.days() - a.days(); }

Result<Date> Today() {
  if (const char* fixed = std::getenv("CASELEDGER_TODAY"); fixed != nullptr) {
    return Date::Parse(fixed, "CASELEDGER_TODAY");
  }
  // China Standard Time is UTC+8 all year (no daylight saving since 1991).
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(8);
  const auto days = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  return Date::FromDays(days);
}

std::string FormatUtcMicros(int64_t micros) {
  // Floor division, so that a time before 1970 still names its own second.
  int64_t seconds = micros / 1000000, fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    seconds -= 1;
  }
  const int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const int64_t in_day = seconds - days * 86400;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:06d}Z", Date::FromDays(days).ToString(),
                     in_day / 3600, in_day / 60 % 60, in_day % 60, fraction);
}

void PrintTo(const Date& date, std::ostream* out) { *out << date.ToString(); }

}  // namespace caseledger
