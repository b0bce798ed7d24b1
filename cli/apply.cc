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
#include "core/json.h"
#include "core/limits.h"
#include "core/money.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

// Where this run's commands come from: `apply --maintenance` (SPEC §9). One run per process.
Origin run_origin;

// Reads lines without ever holding more than one line (up to the limit) plus a chunk.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // The next line without its '\n'; false at the end. An over-long line comes back empty
  // with *oversized set, its bytes dropped as they are read.
  bool Next(std::string* line, bool* oversized, Status* error) {
    *oversized = false;
    ++line_number_;
    size_t scanned = pos_;
    while (true) {
      const size_t newline = buffer_.find('\n', scanned);
      if (newline != std::string::npos) {
        if (!*oversized) line->assign(buffer_, pos_, newline - pos_);
        if (newline - pos_ > kLineBytesMax + 1) *oversized = true;
        pos_ = newline + 1;
        if (*oversized) line->clear();
        Compact();
        return true;
      }
      if (buffer_.size() - pos_ > kLineBytesMax + 1) {  // +1: a trailing '\r' is allowed
        *oversized = true;
        buffer_.clear();
        pos_ = 0;
      }
      scanned = buffer_.size();
      if (eof_) {
        if (pos_ >= buffer_.size() && !*oversized) return false;
        line->assign(buffer_, pos_, std::string::npos);
        if (*oversized) line->clear();
        buffer_.clear();
        pos_ = 0;
        return true;
      }
      if (!Fill(error)) return false;
    }
  }

  // The number of the line Next returned last, counting from 1 (blank lines included): results
  // skip blank lines, so a message must say which line of the input it is about.
  size_t line_number() const { return line_number_; }

  // A complete line is buffered, or input can be read without waiting.
  bool MoreReady() {
    if (buffer_.find('\n', pos_) != std::string::npos) return true;
    if (eof_) return pos_ < buffer_.size();
    pollfd poll_fd{fd_, POLLIN, 0};
    return poll(&poll_fd, 1, 0) > 0;
  }

 private:
  bool Fill(Status* error) {
    char chunk[1 << 16];
    while (true) {
      const ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) {
        eof_ = true;
        return true;
      }
      if (errno == EINTR) continue;
      *error = Status::IoError(std::string("reading input: ") + std::strerror(errno));
      return false;
    }
  }
  void Compact() {
    if (pos_ > (1 << 20)) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
  }

  int fd_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t line_number_ = 0;
  bool eof_ = false;
};

std::string ResultJson(const CommandResult& result) {
  json::Writer w;
  w.BeginObject().Key("ok").Bool(result.status.ok());
  if (result.status.ok()) w.Key("seq").Int(static_cast<int64_t>(result.seq));
  w.Key("request_id").OptionalString(result.request_id);
  if (!result.status.ok()) {
    w.Key("error").BeginObject().Key("code").String(CodeName(result.status.code()));
    w.Key("message").String(result.status.message()).EndObject();
    return w.EndObject().str();
  }
  w.Key("created").Bool(result.created);
  if (result.outcome.has_account_no()) w.Key("account_no").String(result.outcome.account_no());
  if (result.outcome.has_amount_fen()) {
    w.Key("amount").String(FormatAmount(result.outcome.amount_fen()));
  }
  if (result.outcome.has_surplus_fen()) {  // distribute
    w.Key("disbursement_ids").BeginArray();
    for (const auto& id : result.outcome.disbursement_ids()) w.String(id);
    w.EndArray().Key("shares").BeginArray();
    for (const auto& share : result.outcome.shares()) {
      w.BeginObject().Key("party_id").String(share.party_id());
      w.Key("share").String(FormatAmount(share.share_fen())).EndObject();
    }
    w.EndArray().Key("surplus").String(FormatAmount(result.outcome.surplus_fen()));
  }
  return w.EndObject().str();
}

void Print(const CommandResult& result) {
  const std::string line = ResultJson(result) + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// Turns one input line into a staged result. Returns false for a blank line (no result).
bool StageLine(Ledger* ledger, std::string line, bool oversized, size_t line_number,
               CommandResult* result) {
  if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (oversized || line.size() > kLineBytesMax) {
    result->status = Status::InvalidArgument("line " + std::to_string(line_number) +
                                             ": longer than the limit of " +
                                             std::to_string(kLineBytesMax) + " bytes");
    return true;
  }
  if (line.find_first_not_of(" \t") == std::string::npos) return false;
  *result = ledger->Stage(ParseCommandLine(line), run_origin);
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
int ApplyStreaming(Ledger* ledger, LineReader* reader) {
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
    std::fflush(stdout);
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
    if (StageLine(ledger, std::move(line), oversized, reader->line_number(), &result)) {
      staged.push_back(result);
    }
  }
  if (!seal() || !land()) return kExitRejected;
  if (!read_error.ok()) return FailBeforeAnyLine(read_error);
  return rejected ? kExitRejected : kExitOk;
}

int ApplyAtomic(Ledger* ledger, LineReader* reader) {
  std::vector<CommandResult> results;
  bool rejected = false, oversized = false;
  std::string line;
  Status read_error;
  while (reader->Next(&line, &oversized, &read_error)) {
    CommandResult result;
    if (StageLine(ledger, std::move(line), oversized, reader->line_number(), &result)) {
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
  std::fflush(stdout);
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
      std::fprintf(stderr, "caseledger: cannot read %s: %s\n", options.file.c_str(),
                   std::strerror(errno));
      return kExitUsage;
    }
  }
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForWrite(globals.db);
  if (!ledger.ok()) return FailBeforeAnyLine(ledger.status());
  LineReader reader(fd);
  const int code =
      options.atomic ? ApplyAtomic(ledger->get(), &reader) : ApplyStreaming(ledger->get(), &reader);
  if (fd != STDIN_FILENO) close(fd);
  return code;
}

// `apply --maintenance`: the local writes a ledger with roles refuses otherwise (SPEC §9).
int RunApply(const Globals& globals, const ApplyOptions& options, const Origin& origin) {
  run_origin = origin;
  return RunApply(globals, options);
}

}  // namespace caseledger::cli
