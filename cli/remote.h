// The command line as caseledgerd's client (SPEC §9): --server HOST:PORT runs the command on the
// server, with the same flags, output and exit code as locally.
#ifndef CASELEDGER_CLI_REMOTE_H_
#define CASELEDGER_CLI_REMOTE_H_

#include <optional>

#include "cli/commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace grpc {
class ChannelArguments;
}  // namespace grpc

namespace caseledger::cli {

// --server, --tls-cert, --tls-key, --server-ca.
void AddServerFlags(CLI::App& app, Globals& globals);
// Fills what the flags left empty from $CASELEDGER_SERVER, $CASELEDGER_TLS_CERT,
// $CASELEDGER_TLS_KEY and $CASELEDGER_TLS_SERVER_CA.
void ServerFromEnvironment(Globals* globals);
// Runs the parsed command line on the server; nullopt for a command that runs here anyway
// (calc, check-proof, bench, verify --file: they read no ledger).
std::optional<int> RunRemote(const Globals& globals, CLI::App& app, int argc, char** argv);
// A client channel's settings: no bandwidth-delay probes (a PING for each burst of data read,
// for a window that one-command messages never fill) and no retry buffering (a client retries
// itself, with the same request ids).
void ClientChannelArguments(grpc::ChannelArguments* arguments);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_REMOTE_H_
