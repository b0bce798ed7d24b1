// What a client's call does, whichever transport carried it: caseledgerd's gRPC calls
// (server/service.cc) and the console's HTTPS requests. The transport finds the client's
// certificate and carries bytes; everything else (who the operator is, how a line is read and
// decided, which reading commands run and on what) is here, once.
#ifndef CASELEDGER_SERVER_CALLS_H_
#define CASELEDGER_SERVER_CALLS_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/run.h"
#include "cli/sink.h"
#include "core/status.h"
#include "ledger/ledger.h"
#include "server/identity.h"
#include "server/refusals.h"
#include "server/server.h"
#include "server/writer.h"

namespace caseledger::server {

constexpr size_t kReplyBytes = size_t{1} << 16;  // output sent in pieces of this size

// The reading command a client asked for, with the statement it sent for `reconcile`.
struct RunCall {
  std::string peer;               // the client's operator (Calls::Operator)
  std::vector<std::string> args;  // a command line without the program's name
  int input_arg = -1;             // the argument naming the statement, or -1
  std::string input;              // the statement's bytes
};

// Where a Run call's output goes, piece by piece: the transport's writer.
class RunReplies {
 public:
  virtual ~RunReplies() = default;
  // Output and error text; false once the client is gone.
  virtual bool Send(std::string out, std::string err) = 0;
  // A piece of the file the command wrote (-o, --html).
  virtual bool SendFile(std::string piece) = 0;
};

// The lines of one --atomic unit, read before any is decided.
struct AtomicUnit {
  std::vector<ParsedCommand> commands;
  size_t lines = 0;
};

class Calls {
 public:
  Calls(Ledger* ledger, Writer* writer, Revocations* revocations, Refusals* refusals,
        const ServerOptions& options, std::string scratch);

  // The operator a client certificate (PEM) names: NOT_PERMITTED for one revoked or of another
  // shape (SPEC §9).
  Result<std::string> Operator(const std::string& pem) const;

  // One line of a client's stream, read as `apply` reads it (the operator the peer); nothing for
  // a blank line, which has no answer.
  std::optional<ParsedCommand> ReadLine(const std::string& peer, const std::string& line,
                                        bool oversized, size_t line_number) const;
  // Has the writer decide it: `answer` is called once with its result line (on the writer's
  // thread, or here when the server is too busy).
  void Submit(const std::string& peer, ParsedCommand parsed,
              std::function<void(std::string)> answer);

  // Adds a line to an --atomic unit; the result line to answer with, nothing written, when the
  // unit has grown past its limit.
  std::optional<std::string> AddAtomicLine(const std::string& peer, const std::string& line,
                                           bool oversized, AtomicUnit* unit) const;
  // Submits the unit: `answer` gets every line's result and the exit code of `apply --atomic`.
  // False, nothing queued, when the server is too busy.
  bool ApplyAtomic(const std::string& peer, AtomicUnit unit,
                   std::function<void(std::vector<std::string>, int exit_code)> answer);

  // Runs a reading command on a snapshot through the command line's own code; its output goes to
  // `replies` with the server's file names replaced by the client's. The exit code, or
  // INVALID_ARGUMENT for a command or flag the server does not take.
  Result<int> Run(const RunCall& call, RunReplies* replies);
  // A replicated ledger's replica, for `status` (set before the first call).
  void SetReplicaReport(std::function<cli::ReplicaReport()> report) {
    replica_report_ = std::move(report);
  }

 private:
  Result<std::vector<std::string>> ServedArgs(const RunCall& call, const std::string& input,
                                              const std::string& output,
                                              std::string* output_given) const;
  std::string Scratch(const char* what);
  // `reconcile --record`'s commands through the writer, as `peer`'s; each one's result in order.
  std::vector<CommandResult> Record(const std::string& peer, std::vector<ParsedCommand> commands);

  Ledger* ledger_;
  Writer* writer_;
  Revocations* revocations_;
  Refusals* refusals_;
  const ServerOptions& options_;
  const std::string scratch_;  // the server's own directory for the files of Run calls
  std::atomic<uint64_t> scratch_files_ = 0;
  std::function<cli::ReplicaReport()> replica_report_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_CALLS_H_
