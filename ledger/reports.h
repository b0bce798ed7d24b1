// The reports a court is judged by, gathered from the ledger (a front door beside ledger.h):
// each selected case read as it stood on the dates a figure needs and handed to core/reports.h,
// which computes. `report indicators / overdue / backlog / deadlines / monthly` call one of these
// each, so that the monthly page draws the very figures the other reports print.
#ifndef CASELEDGER_LEDGER_REPORTS_H_
#define CASELEDGER_LEDGER_REPORTS_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cashbook.h"
#include "core/date.h"
#include "core/money.h"
#include "core/reports.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger {

// `court` selects the cases whose court code starts with it ("" every case).

// The indicators for [from, to] (SPEC §7 Indicators), finished.
Result<IndicatorReport> GatherIndicators(Ledger* ledger, const std::string& court, Date from,
                                         Date to, GroupBy by);
// Money and deletions overdue on `on` (SPEC §3 report overdue). Unidentified money names no
// case, so no court: it is listed whatever `court` says.
Result<OverdueReport> GatherOverdue(Ledger* ledger, const std::string& court, Date on);
// The payments to payees in [from, to] of the selected cases, the late ones listed (SPEC §7
// paid_late; `report overdue` and `report monthly`): each disbursement read with its case as
// it stood the day before its payment (one seek), each collective item as its event recorded
// it; the judge is the case's as of `to`, as `report indicators --by judge` groups.
Result<LatePaymentReport> GatherLatePayments(Ledger* ledger, const std::string& court, Date from,
                                             Date to);
// The backlog on `on`, and its clearing from `from` when given (SPEC §7 Backlog, Clearing).
Result<BacklogReport> GatherBacklog(Ledger* ledger, const std::string& court, Date on,
                                    std::optional<Date> from);
// The deadlines from `on` to `on` + within_days (SPEC §3 report deadlines).
Result<DeadlinesReport> GatherDeadlines(Ledger* ledger, const std::string& court, Date on,
                                        int64_t within_days);

// ---- report cashbook: 收支月报.

struct CashbookReading {
  Date first;
  Date last;
  Cashbook book{std::nullopt};
};
// The month starting on `first`, by booking date as `balance --as-of` reads the ledger: the
// entries up to the last one while the ledger's latest `on` was before the month make the
// opening balances, those after it up to the last one while it was within the month are the
// month's, so that the total's opening and closing are `balance --as-of` the month's ends.
// With `court` ("" for all), that court's cases alone and no total.
Result<CashbookReading> GatherCashbook(Ledger* ledger, const std::string& court, Date first);

// ---- report monthly: the figures of the monthly supervision report (月度监督通报).

// Days past the payout deadline up to which a case's light is yellow; beyond it, red.
inline constexpr int64_t kYellowDaysMax = 30;

// The bands of overdue money by days past its lot's deadline (at least 1): 1 to 30 (the
// lights' yellow), 31 to 90, 91 to 365, then more; the lights' legend and the age bars of the
// monthly page both read them.
inline constexpr std::array<int64_t, 3> kOverdueAgeBands = {kYellowDaysMax, 90, 365};
static_assert(kOverdueAgeBands[0] == kYellowDaysMax, "the first band is the yellow light's");

// The band of money `days` past its deadline: 0 for the first, kOverdueAgeBands.size() beyond
// the last.
size_t OverdueAgeBand(int64_t days);

struct HoldingCase {
  std::string judge;
  std::string creditor;  // the first creditor's name
  Fen balance_fen = 0;
};

// Red: money more than kYellowDaysMax days past its payout deadline; yellow: overdue up to
// that; green: money in the account, none overdue.
enum class Light { kRed, kYellow, kGreen };

// One row of the overdue list.
struct LightRow {
  Light light = Light::kGreen;
  std::string case_no;
  HoldingCase holding;
  Fen overdue_fen = 0;
  std::optional<Date> since;
  int64_t days_past = 0;  // days past the payout deadline on the last day
};

struct WeekRecovered {
  Date start;
  Date end;
  Fen recovered_fen = 0;  // net of refunds
  Fen refunded_fen = 0;
};

struct MonthlyFigures {
  Date first;
  Date last;
  std::string court;
  Indicators indicators;
  std::vector<WeekRecovered> weeks;  // calendar weeks from the first: 1-7, 8-14, ..., 29-end
  OverdueReport overdue{Date()};
  std::array<int64_t, 5> backlog{};            // past deadline, over 1, 3, 5, 10 years
  std::map<std::string, HoldingCase> holding;  // cases with money on the last day
  // Overdue money on the last day by days past its lot's deadline, in kOverdueAgeBands.
  std::array<Fen, kOverdueAgeBands.size() + 1> overdue_by_age{};
  // Overdue cases first, the longest overdue first; then the cases holding money with nothing
  // overdue (green), by case number.
  std::vector<LightRow> lights;
  CashbookReading cashbook;                // 收支月报 of the month (GatherCashbook)
  LatePaymentReport late{Date(), Date()};  // the month's payments (GatherLatePayments)
};

// The month starting on `first`: its indicators and weekly recovery, and overdue money, the
// backlog and the cases holding money on its last day.
Result<MonthlyFigures> GatherMonthly(Ledger* ledger, const std::string& court, Date first);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_REPORTS_H_
