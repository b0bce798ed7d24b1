// What the report commands print alike (cli/reports.cc): rates as percentages, so that
// `report monthly` shows the figures of `report indicators` the same way (the labels of closure
// modes and categories come from core/names.h through Label).
#ifndef CASELEDGER_CLI_REPORT_LABELS_H_
#define CASELEDGER_CLI_REPORT_LABELS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/cashbook.h"
#include "core/json.h"
#include "core/money.h"
#include "core/reports.h"
#include "core/statement.h"
#include "core/status.h"
#include "ledger/reports.h"

namespace caseledger::cli {

// "89.10%" for people; "-" for a rate without a denominator.
std::string Percent(const std::optional<Fen>& rate);
// "2024-03" -> 2024-03-01; exactly YYYY-MM with a month 01-12, else nullopt (--month).
std::optional<Date> FirstDayOf(const std::string& month);
// A kind of account of the cashbook (core/cashbook.h) for people: its Chinese name, or its
// key; an account a later operation adds and this table does not know shows by its key.
std::string AccountLabel(Lang lang, const std::string& account);
// Every account AccountLabel knows, by its key (for `names --json`).
const std::map<std::string, std::string>& AccountLabels();
// The cashbook's rows, then its total when it has one (cli/cashbook.cc).
std::vector<CashbookRow> RowsWithTotal(const CashbookReading& reading);
// Money in (收) or out (付) of the special account.
std::string DirectionLabel(Lang lang, Direction direction);
// How a statement line was matched (reconcile's `matched_by`): its key and its label.
std::string_view MatchedByName(MatchedBy by);
std::string MatchedByLabel(Lang lang, MatchedBy by);

// Text for HTML element content and attribute values (cli/monthly.cc): names and case numbers
// come from users.
std::string HtmlEscape(std::string_view text);

// Late payments (cli/late_payments.cc): one line "发放 N 笔，其中超期 M 笔 X 元，超期发放率 P";
// the `paid_late` object of `report overdue --json`; the table of `report overdue`; the section
// of the monthly page.
std::string LatePaymentsSummary(Lang lang, const PaymentTally& tally);
void LatePaymentsJson(json::Writer& w, const LatePaymentReport& report);
std::string LatePaymentsText(Lang lang, const LatePaymentReport& report);
std::string LatePaymentsHtml(const LatePaymentReport& report);

// How a report prints: a table for people, JSON (--json) or CSV (--csv).
enum class Format { kTable, kJson, kCsv };
// --json and --csv exclude each other (INVALID_ARGUMENT, a usage error).
Result<Format> FormatOf(const Globals& globals, bool csv);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_REPORT_LABELS_H_
