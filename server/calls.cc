#include "server/calls.h"

#include <filesystem>
#include <fstream>
#include <latch>
#include <set>

#include "cli/results.h"
#include "cli/run.h"
#include "core/input_line.h"
#include "core/limits.h"
#include "core/names.h"

namespace caseledger::server {
namespace {

// The operation a line asked for (its wire name), "-" for one that did not parse.
std::string OperationOfLine(const ParsedCommand& parsed) {
  if (!parsed.status.ok() || parsed.command.op_case() == pb::Command::OP_NOT_SET) return "-";
  return std::string(WireName(OperationOf(parsed.command)));
}

// A command line's result line, as `apply` prints it.
std::string ResultLine(const CommandResult& result) { return cli::ResultJson(result) + "\n"; }

// The reading commands a client may run here. Not: apply (the Apply call), import (builds a new
// ledger on the server's disk), bench, calc and check-proof (no ledger: the client runs them).
const std::set<std::string, std::less<>>& Served() {
  static const std::set<std::string, std::less<>> served = {
      "approvals", "balance",      "case",   "cases",  "defaulter", "defaulters",
      "digest",    "distribution", "event",  "events", "export",    "feed",
      "history",   "movements",    "names",  "prove",  "reconcile", "report",
      "rules",     "state",        "status", "verify"};
  return served;
}

// Output of a command run for a client: sent in pieces, the server's own file names replaced
// by the client's.
class NamingSink : public cli::Sink {
 public:
  NamingSink(RunReplies* replies, std::vector<std::pair<std::string, std::string>> names)
      : replies_(replies), names_(std::move(names)) {}
  void Out(std::string_view bytes) override { Add(bytes, &out_); }
  void Err(std::string_view bytes) override { Add(bytes, &err_); }
  bool Good() const override { return good_; }
  void Flush() {
    if (out_.empty() && err_.empty()) return;
    if (good_ && !replies_->Send(std::move(out_), std::move(err_))) good_ = false;
    out_.clear();
    err_.clear();
  }

 private:
  void Add(std::string_view bytes, std::string* to) {
    std::string text(bytes);
    for (const auto& [server, client] : names_) {
      for (size_t at = text.find(server); at != std::string::npos;
           at = text.find(server, at + client.size())) {
        text.replace(at, server.size(), client);
      }
    }
    to->append(text);
    if (out_.size() + err_.size() >= kReplyBytes) Flush();
  }
  RunReplies* replies_;
  std::vector<std::pair<std::string, std::string>> names_;
  std::string out_;
  std::string err_;
  bool good_ = true;
};

}  // namespace

Calls::Calls(Ledger* ledger, Writer* writer, Revocations* revocations, Refusals* refusals,
             const ServerOptions& options, std::string scratch)
    : ledger_(ledger),
      writer_(writer),
      revocations_(revocations),
      refusals_(refusals),
      options_(options),
      scratch_(std::move(scratch)) {}

Result<std::string> Calls::Operator(const std::string& pem) const {
  CASELEDGER_RETURN_IF_ERROR(revocations_->Check(pem));
  return OperatorOfCertificate(pem);
}

std::optional<ParsedCommand> Calls::ReadLine(const std::string& peer, const std::string& line,
                                             bool oversized, size_t line_number) const {
  ParsedCommand parsed;
  if (!PrepareInputLine(line, oversized, line_number, &parsed, peer)) return std::nullopt;
  return parsed;
}

void Calls::Submit(const std::string& peer, ParsedCommand parsed,
                   std::function<void(std::string)> answer) {
  const std::optional<std::string> request_id = parsed.request_id;
  const std::string operation = OperationOfLine(parsed);
  Job job{std::move(parsed), [this, answer, peer, operation](const CommandResult& result) {
            if (!result.status.ok()) {
              refusals_->Note(peer, operation, std::string(CodeName(result.status.code())));
            }
            answer(ResultLine(result));
          }};
  if (!writer_->Submit(std::move(job))) {
    CommandResult busy;
    busy.request_id = request_id;
    busy.status = Status(Code::kResourceExhausted,
                         "the server has too many commands waiting: this one was not recorded; "
                         "send it again with the same request_id");
    refusals_->Note(peer, operation, std::string(CodeName(busy.status.code())));
    answer(ResultLine(busy));
  }
}

std::optional<std::string> Calls::AddAtomicLine(const std::string& peer, const std::string& line,
                                                bool oversized, AtomicUnit* unit) const {
  ParsedCommand parsed;
  if (!PrepareInputLine(line, oversized, ++unit->lines, &parsed, peer)) return std::nullopt;
  unit->commands.push_back(std::move(parsed));
  if (unit->commands.size() <= kAtomicCommandsMax) return std::nullopt;
  CommandResult result;
  result.status = Status::InvalidArgument(
      "line " + std::to_string(unit->lines) + ": more than " + std::to_string(kAtomicCommandsMax) +
      " commands in one --atomic unit; nothing was written: split the file");
  return ResultLine(result);
}

bool Calls::ApplyAtomic(const std::string& peer, AtomicUnit unit,
                        std::function<void(std::vector<std::string>, int exit_code)> answer) {
  std::vector<std::string> operations;
  for (const ParsedCommand& parsed : unit.commands) operations.push_back(OperationOfLine(parsed));
  AtomicJob job{std::move(unit.commands),
                [this, peer, operations, answer](std::vector<CommandResult> results, int code) {
                  std::vector<std::string> lines;
                  for (size_t i = 0; i < results.size(); ++i) {
                    const Code refused = results[i].status.code();
                    if (refused != Code::kOk && refused != Code::kNotCommitted) {
                      refusals_->Note(peer, operations[i], std::string(CodeName(refused)));
                    }
                    lines.push_back(ResultLine(results[i]));
                  }
                  answer(std::move(lines), code);
                }};
  return writer_->SubmitAtomic(std::move(job));
}

std::vector<CommandResult> Calls::Record(const std::string& peer,
                                         std::vector<ParsedCommand> commands) {
  std::vector<CommandResult> results(commands.size());
  std::latch answered(static_cast<std::ptrdiff_t>(commands.size()));
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string operation = OperationOfLine(commands[i]);
    Job job{std::move(commands[i]), [&, i, operation](const CommandResult& result) {
              if (!result.status.ok()) {
                refusals_->Note(peer, operation, std::string(CodeName(result.status.code())));
              }
              results[i] = result;
              answered.count_down();
            }};
    if (!writer_->Submit(std::move(job))) {
      results[i].status = Status(Code::kResourceExhausted,
                                 "the server has too many commands waiting: run reconcile "
                                 "--record again (what is recorded is skipped)");
      answered.count_down();
    }
  }
  answered.wait();
  return results;
}

std::string Calls::Scratch(const char* what) {
  return scratch_ + "/" + std::to_string(++scratch_files_) + "-" + what;
}

// The client's arguments with the server's own files in place of the client's: the statement it
// sent, and a file of the server's for the one a command writes. Refuses what would choose
// another ledger or touch the server's disk.
Result<std::vector<std::string>> Calls::ServedArgs(const RunCall& call, const std::string& input,
                                                   const std::string& output,
                                                   std::string* output_given) const {
  std::vector<std::string> args = call.args;
  std::string command;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--lang") ++i;
    if (arg.starts_with("-")) continue;
    command = arg;
    break;
  }
  if (!Served().contains(command)) {
    return Status::InvalidArgument(
        command.empty() ? std::string("no command given")
                        : "caseledgerd does not run `" + command +
                              "`: apply goes through its own call; calc, check-proof, import and "
                              "bench run on the client's machine");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    for (const char* flag : {"--db", "--server", "--tls-", "--server-ca", "--file"}) {
      if (arg.starts_with(flag)) {
        return Status::InvalidArgument(arg +
                                       " is not taken by caseledgerd: it serves one ledger, "
                                       "and reads no file of its own disk for a client");
      }
    }
    if (arg == "-o" || arg == "--output" || arg == "--html") {
      if (i + 1 >= args.size()) break;  // the parser says what is missing
      *output_given = args[i + 1];
      args[++i] = output;
    } else if (arg.starts_with("--output=") || arg.starts_with("--html=")) {
      *output_given = arg.substr(arg.find('=') + 1);
      args[i] = arg.substr(0, arg.find('=') + 1) + output;
    } else if (arg.starts_with("-o")) {
      return Status::InvalidArgument("give the output file as -o FILE");
    }
  }
  if (call.input_arg >= 0) {
    if (command != "reconcile" || static_cast<size_t>(call.input_arg) >= args.size()) {
      return Status::InvalidArgument("only reconcile takes a file from the client");
    }
    args[static_cast<size_t>(call.input_arg)] = input;
  }
  return args;
}

Result<int> Calls::Run(const RunCall& call, RunReplies* replies) {
  const std::string input = Scratch("input");
  const std::string output = Scratch("output");
  std::string output_given;
  CASELEDGER_ASSIGN_OR_RETURN(std::vector<std::string> args,
                              ServedArgs(call, input, output, &output_given));
  cli::Globals globals;
  globals.db = options_.db;
  globals.open_snapshot = [this] { return ledger_->OpenSnapshot(); };
  globals.served_operator = call.peer;
  globals.replica_report = replica_report_;
  globals.record_commands = [this, peer = call.peer](std::vector<ParsedCommand> commands) {
    return Record(peer, std::move(commands));
  };
  std::vector<std::pair<std::string, std::string>> names = {{output, output_given}};
  if (call.input_arg >= 0) {
    std::ofstream(input, std::ios::binary) << call.input;
    globals.served_input = input;
    names.emplace_back(input, call.args[static_cast<size_t>(call.input_arg)]);
  }
  NamingSink sink(replies, std::move(names));
  int code = 0;
  {
    cli::ScopedSink scoped(&sink);
    code = cli::RunServed(args, globals);
  }
  sink.Flush();
  std::ifstream written(output, std::ios::binary);
  for (std::string piece(kReplyBytes, '\0');
       written.read(piece.data(), kReplyBytes) || written.gcount() > 0;) {
    if (!replies->SendFile(piece.substr(0, static_cast<size_t>(written.gcount())))) break;
  }
  std::error_code ignored;
  std::filesystem::remove(input, ignored);
  std::filesystem::remove(output, ignored);
  return code;
}

}  // namespace caseledger::server
