// One line of `apply` input as the ledger takes it, locally and in caseledgerd alike: a byte
// order mark on the first line and a trailing '\r' are dropped, an over-long line is refused
// with its number, a blank line is no command.
#ifndef CASELEDGER_CORE_INPUT_LINE_H_
#define CASELEDGER_CORE_INPUT_LINE_H_

#include <cstddef>
#include <string>

#include "core/command_json.h"

namespace caseledger {

// False for a blank line (no result is printed for it); else *parsed is the command, or the
// error the line's result carries. `oversized`: the reader dropped the line's bytes.
// `peer`: the operator caseledgerd authenticated, or empty (ParseCommandLine).
bool PrepareInputLine(std::string line, bool oversized, size_t line_number, ParsedCommand* parsed,
                      std::string_view peer = {});

}  // namespace caseledger

#endif  // CASELEDGER_CORE_INPUT_LINE_H_
