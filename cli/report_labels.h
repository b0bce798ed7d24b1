// What the report commands print alike (cli/reports.cc): rates as percentages and the labels of
// closure modes and categories, so that `report monthly` shows the figures of
// `report indicators` the same way.
#ifndef CASELEDGER_CLI_REPORT_LABELS_H_
#define CASELEDGER_CLI_REPORT_LABELS_H_

#include <optional>
#include <string>
#include <string_view>

#include "cli/output.h"
#include "core/money.h"

namespace caseledger::cli {

// "89.10%" for people; "-" for a rate without a denominator.
std::string Percent(const std::optional<Fen>& rate);
// A closure mode's label: Chinese, or its English key.
std::string ModeLabel(Lang lang, std::string_view mode);
// A category of the indicators (kReportCategories): Chinese, or its English key.
std::string CategoryLabel(Lang lang, std::string_view category);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_REPORT_LABELS_H_
