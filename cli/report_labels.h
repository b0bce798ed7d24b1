// What the report commands print alike (cli/reports.cc): rates as percentages, so that
// `report monthly` shows the figures of `report indicators` the same way (the labels of closure
// modes and categories come from core/names.h through Label).
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

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_REPORT_LABELS_H_
