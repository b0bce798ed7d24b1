// What the report commands share: reading the selected cases as they stood on a date, and
// gathering the indicators, overdue and backlog reports, so that `report monthly` draws the very
// figures `report indicators / overdue / backlog` print (cli/reports.cc).
#ifndef CASELEDGER_CLI_REPORT_GATHER_H_
#define CASELEDGER_CLI_REPORT_GATHER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/date.h"
#include "core/money.h"
#include "core/reports.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger::cli {

// The case as it stood on `day` (the entries with `on` on or before it); nullopt when it was
// not filed yet.
Result<std::optional<pb::CaseRecord>> CaseOn(Ledger* ledger, const pb::CaseRecord& latest,
                                             Date day);
// Visits the latest version of every case whose court code starts with `court`, in case
// number order, stopping at the first failure.
Status ForEachSelectedCase(Ledger* ledger, const std::string& court,
                           const std::function<Status(const pb::CaseRecord&)>& visit);

// The indicators for [from, to] of the courts selected by options.court (then Finish()ed).
Status GatherIndicators(Ledger* ledger, const ReportOptions& options, Date from, Date to,
                        IndicatorReport* report);
// The overdue report on report->on.
Status GatherOverdue(Ledger* ledger, const std::string& court, OverdueReport* report);
// The backlog on report->on() (and its clearing from report->from()).
Status GatherBacklog(Ledger* ledger, const std::string& court, BacklogReport* report);

// "89.10%" for people; "-" for a rate without a denominator.
std::string Percent(const std::optional<Fen>& rate);
// A category of the indicators (kReportCategories): Chinese, or its English key.
std::string CategoryLabel(Lang lang, std::string_view category);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_REPORT_GATHER_H_
