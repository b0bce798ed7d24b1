// What `apply` prints for one command: the same line locally and through caseledgerd.
#ifndef CASELEDGER_CLI_RESULTS_H_
#define CASELEDGER_CLI_RESULTS_H_

#include <string>

#include "ledger/ledger.h"

namespace caseledger::cli {

// The result's JSON object, one line, without the newline (SPEC §2).
std::string ResultJson(const CommandResult& result);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_RESULTS_H_
