// The commands of caseledger, run from a command line: by the binary (cli/entry.cc) and, for a
// client's reading command, by caseledgerd (server/service.cc), whose thread's sink
// (cli/sink.h) takes the output.
#ifndef CASELEDGER_CLI_RUN_H_
#define CASELEDGER_CLI_RUN_H_

#include <string>
#include <vector>

#include "cli/commands.h"

namespace caseledger::cli {

// The binary: parses, then runs the command here, or on the server that --server (or
// $CASELEDGER_SERVER) names (cli/remote.cc). Returns the exit code (SPEC §1).
int Main(int argc, char** argv);

// One command line without the program's name, on the ledger `globals` opens
// (globals.open_snapshot); --db, --server and the TLS flags are not taken.
int RunServed(const std::vector<std::string>& args, Globals globals);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_RUN_H_
