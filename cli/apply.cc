// caseledger apply: JSON Lines in, one result line per command out, each printed only once
// it is durable (SPEC §2).
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "cli/commands.h"
#include "cli/line_reader.h"
#include "cli/results.h"
#include "cli/sink.h"
#include "core/input_line.h"
#include "core/limits.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

void Print(const CommandResult& result) {
  const std::string line = ResultJson(result) + "\n";
  WriteOut(line);
}

// Turns one input line into a staged result. Returns false for a blank line (no result).
bool StageLine(Ledger* ledger, const Origin& origin, std::string line, bool oversized,
               size_t line_number, CommandResult* result) {
  ParsedCommand parsed;
  if (!PrepareInputLine(std::move(line), oversized, line_number, &parsed)) return false;
  *result = ledger->Stage(parsed, origin);  // a line that did not parse is its error
  return true;
}

// One result with request_id null; exit 1, 3 when the ledger is damaged (SPEC §1), 2 when it is
// of another format.
int FailBeforeAnyLine(const Status& status) {
  CommandResult result;
  result.status = status;
  Print(result);
  return ExitCodeFor(status);
}

// Groups of up to kGroupCommandsMax commands, pipelined: while one group is written and synced
// (Ledger::Seal), the next is read and decided; a group's results are printed once it has landed
// (Ledger::Land), never before. When no more input is ready, the group is landed at once, so a
// command typed by hand is answered without waiting for the next.
int ApplyStreaming(Ledger* ledger, const Origin& origin, LineReader* reader) {
  std::vector<CommandResult> staged;  // decided, in the group being staged
  std::vector<CommandResult> sealed;  // in the group being written
  bool rejected = false;
  auto print = [&](std::vector<CommandResult>* results, const Status& failure) {
    for (auto& result : *results) {
      if (!failure.ok()) result.status = failure;
      rejected = rejected || !result.status.ok();
      Print(result);
    }
    results->clear();
  };
  // Lands the sealed group and prints its results; on failure, the staged group (decided on
  // the failed one and dropped with it) is printed with the same error.
  auto land = [&] {
    const Status status = ledger->Land();
    print(&sealed, status);
    if (!status.ok()) print(&staged, status);
    FlushOut();
    return status.ok();
  };
  auto seal = [&] {
    if (!land()) return false;
    const Status status = ledger->Seal();
    if (!status.ok()) {
      print(&staged, status);
      return false;
    }
    sealed.swap(staged);
    return true;
  };
  std::string line;
  bool oversized = false;
  Status read_error;
  while (true) {
    if (!staged.empty() && (staged.size() >= kGroupCommandsMax || !reader->MoreReady())) {
      if (!seal()) return kExitRejected;
      if (!reader->MoreReady() && !land()) return kExitRejected;
    }
    if (!reader->Next(&line, &oversized, &read_error)) break;
    CommandResult result;
    if (StageLine(ledger, origin, std::move(line), oversized, reader->line_number(), &result)) {
      staged.push_back(result);
    }
  }
  if (!seal() || !land()) return kExitRejected;
  if (!read_error.ok()) return FailBeforeAnyLine(read_error);
  return rejected ? kExitRejected : kExitOk;
}

int ApplyAtomic(Ledger* ledger, const Origin& origin, LineReader* reader) {
  std::vector<CommandResult> results;
  bool rejected = false, oversized = false;
  std::string line;
  Status read_error;
  while (reader->Next(&line, &oversized, &read_error)) {
    CommandResult result;
    if (StageLine(ledger, origin, std::move(line), oversized, reader->line_number(), &result)) {
      rejected = rejected || !result.status.ok();
      results.push_back(result);
    }
    // Refused as soon as the limit is passed: the rest of the input is never read.
    if (results.size() > kAtomicCommandsMax) {
      ledger->Abandon();
      return FailBeforeAnyLine(Status::InvalidArgument(
          "line " + std::to_string(reader->line_number()) + ": more than " +
          std::to_string(kAtomicCommandsMax) +
          " commands in one --atomic unit; nothing was written: split the file"));
    }
  }
  if (!read_error.ok()) {
    ledger->Abandon();
    return FailBeforeAnyLine(read_error);
  }
  Status status;
  if (rejected) {
    ledger->Abandon();
    status = Status(Code::kNotCommitted, "another line of this --atomic unit was rejected");
  } else {
    status = ledger->Commit();
  }
  for (auto& result : results) {
    if (result.status.ok() && !status.ok()) result.status = status;
    Print(result);
  }
  FlushOut();
  return rejected || !status.ok() ? kExitRejected : kExitOk;
}

}  // namespace

int RunApply(const Globals& globals, const ApplyOptions& options) {
  int fd = STDIN_FILENO;
  if (options.file != "-") {
    fd = open(options.file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd >= 0 && fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
      close(fd);
      fd = -1;
      errno = EISDIR;
    }
    if (fd < 0) {
      WriteErr("caseledger: cannot read " + options.file + ": " + std::strerror(errno) + "\n");
      return kExitUsage;
    }
  }
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForWrite(globals.db);
  if (!ledger.ok()) return FailBeforeAnyLine(ledger.status());
  LineReader reader(fd);
  const Origin origin{options.maintenance ? Origin::Kind::kMaintenance : Origin::Kind::kLocal};
  const int code = options.atomic ? ApplyAtomic(ledger->get(), origin, &reader)
                                  : ApplyStreaming(ledger->get(), origin, &reader);
  if (fd != STDIN_FILENO) close(fd);
  return code;
}

}  // namespace caseledger::cli
