// caseledger bench: a realistic year of Gansu's basic courts (bench/workload.h) recorded four
// ways — through `apply` in a subprocess, through the library's batch API in-process, as raw
// synced RocksDB writes of the same byte volume, and as the batch ledger's log alone (its entry
// records, nothing else) — then verified, queried, reported on and reconciled; and the same
// receipts recorded into one case and spread over many (bench/one_case.h). Each phase is timed
// with a steady clock in whole microseconds and printed beside the target of issue 18.
#include <fcntl.h>
#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/one_case.h"
#include "bench/statement_writer.h"
#include "bench/workload.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/command_json.h"
#include "core/figures.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/reconcile.h"
#include "core/reports.h"
#include "core/statement.h"
#include "ledger/ledger.h"
#include "ledger/reports.h"

extern char** environ;

namespace caseledger::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Cases looked up at random for each query figure.
constexpr int kQueriedCases = 1000;
// The past date of the point-in-time queries: mid-year.
constexpr int kPastMonth = 6, kPastDay = 30;

int64_t MicrosSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// Bytes appended to files through CountingFs: write-ahead logs, tables (flushes and
// compactions) and the rest (MANIFEST, OPTIONS). The ledger's head file, rewritten in place (a
// few dozen bytes a group), is not counted.
struct DiskBytes {
  int64_t wal = 0, tables = 0, other = 0;
  int64_t total() const { return wal + tables + other; }
};

// The receipts into one case and spread over kOneCaseSpreadCases (bench/one_case.h): time spent
// staging and committing them, and each ledger's size on disk after a quarter, half and all of
// them (its writer closed).
struct OneCaseFigures {
  int64_t receipts = 0;
  int64_t one_us = 0, spread_us = 0;
  std::array<int64_t, 3> checkpoints{};  // receipts recorded at each size
  std::array<int64_t, 3> one_size_bytes{}, spread_size_bytes{};
  int64_t wall_us = 0;  // the whole phase: opening cases, closing, reopening, measuring
  int64_t rejected = 0;
};

// Everything measured, in integers: counts, microseconds, kilobytes, bytes.
struct Figures {
  int64_t scale = 0;
  uint64_t seed = 0;
  int64_t cases = 0;
  int64_t entries = 0;  // lines of the workload
  int64_t statement_lines = 0;
  int64_t generate_us = 0;
  int64_t apply_us = 0;
  int64_t apply_ok = 0, apply_rejected = 0;
  int64_t apply_peak_rss_kb = 0;
  int64_t batch_us = 0;
  int64_t batch_ok = 0, batch_rejected = 0;
  int64_t batches = 0;               // synced groups of the batch path
  std::vector<uint64_t> group_ends;  // the head seq after each of them
  int64_t bytes = 0;                 // keys and values the batch path left in RocksDB
  int64_t entry_bytes = 0;           // of them, the values of the entry records ('e'): hash + entry
  DiskBytes batch_disk;              // what RocksDB wrote to files while the batch path ran
  int64_t raw_us = 0;
  int64_t log_alone_us = 0;  // the batch ledger's entry records alone, in its groups
  DiskBytes log_alone_disk;
  std::optional<int64_t> postgres_per_s;  // --postgres-rate
  OneCaseFigures one_case;
  int64_t verify_us = 0;
  int64_t verify_fast_us = 0;
  bool verify_ok = false;
  int64_t case_p50_us = 0, case_p99_us = 0;
  int64_t case_past_p50_us = 0, case_past_p99_us = 0;
  int64_t indicators_us = 0, overdue_us = 0, reconcile_us = 0;
  Indicators indicators;
  int64_t overdue_cases = 0;
  int64_t reconcile_months = 0, reconcile_matched = 0, reconcile_bank_only = 0;
  int64_t reconcile_ledger_only = 0, reconcile_mismatched = 0;
  bool reconcile_agree = true;
  bool read_done = false;  // the queries, reports and reconciliation ran
  int64_t peak_rss_kb = 0;

  int64_t rejected() const { return apply_rejected + batch_rejected + one_case.rejected; }
};

// 0 for a phase that did not run.
int64_t PerSecond(int64_t count, int64_t micros) {
  if (micros <= 0) return 0;
  return count * 1000000 / micros;
}

// a ÷ b with three decimals, from integers, rounded half up; "null" when b is 0.
std::string Ratio(int64_t a, int64_t b) {
  if (b <= 0) return "null";
  const int64_t milli = (a * 2000 + b) / (2 * b);
  return fmt::format("{}.{:03d}", milli / 1000, milli % 1000);
}

// VmHWM of /proc/self/status: the most memory this process has held, in kB.
int64_t PeakRssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmHWM:")) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

// Progress for people on stderr: one line per phase, with the memory held so far.
template <typename... Args>
void Say(fmt::format_string<Args...> format, Args&&... args) {
  const std::string text = fmt::format(format, std::forward<Args>(args)...);
  std::fputs(fmt::format("bench: {} (peak {} MB so far)\n", text, PeakRssKb() / 1024).c_str(),
             stderr);
}

// ---- The directory: given (created when missing, refused unless empty) or a fresh temporary
// one; removed at the end unless --keep (a given directory that already existed keeps itself
// and loses only what the bench made in it).
struct BenchDir {
  fs::path path;
  bool created = false;
};

Result<BenchDir> PrepareDir(const std::string& given) {
  BenchDir dir;
  std::error_code error;
  if (given.empty()) {
    std::string pattern = (fs::temp_directory_path(error) / "caseledger-bench-XXXXXX").string();
    if (error || mkdtemp(pattern.data()) == nullptr) {
      return Status::IoError("cannot make a temporary directory: " + std::string(strerror(errno)));
    }
    return BenchDir{pattern, true};
  }
  dir.path = given;
  if (!fs::exists(dir.path, error)) {
    dir.created = fs::create_directories(dir.path, error);
    if (error) return Status::IoError("cannot make " + given + ": " + error.message());
    return dir;
  }
  if (!fs::is_directory(dir.path, error) || !fs::is_empty(dir.path, error)) {
    return Status::InvalidArgument("--dir " + given + ": give an empty or new directory");
  }
  return dir;
}

void RemoveDir(const BenchDir& dir) {
  std::error_code ignored;
  if (dir.created) {
    fs::remove_all(dir.path, ignored);
    return;
  }
  for (const auto& entry : fs::directory_iterator(dir.path, ignored)) {
    fs::remove_all(entry.path(), ignored);
  }
}

// The size on disk of a directory: its regular files' sizes, summed.
int64_t DirectoryBytes(const fs::path& dir) {
  std::error_code error;
  int64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) bytes += static_cast<int64_t>(entry.file_size(error));
  }
  return bytes;
}

// ---- A file system below RocksDB that counts the bytes appended to the files it writes, by
// kind of file, so that write amplification is measured, not estimated.
class CountingFs : public rocksdb::FileSystemWrapper {
 public:
  CountingFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "CaseledgerCountingFs"; }

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override {
    return Wrap(path, target()->NewWritableFile(path, options, result, debug), result);
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* debug) override {
    return Wrap(path, target()->ReopenWritableFile(path, options, result, debug), result);
  }

  DiskBytes bytes() const { return {wal_.load(), tables_.load(), other_.load()}; }

 private:
  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, std::atomic<int64_t>* count)
        : FSWritableFileOwnerWrapper(std::move(file)), count_(count) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      *count_ += static_cast<int64_t>(data.size());
      return target()->Append(data, options, debug);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* debug) override {
      *count_ += static_cast<int64_t>(data.size());
      return target()->Append(data, options, info, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* debug) override {
      *count_ += static_cast<int64_t>(data.size());
      return target()->PositionedAppend(data, offset, options, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       const rocksdb::DataVerificationInfo& info,
                                       rocksdb::IODebugContext* debug) override {
      *count_ += static_cast<int64_t>(data.size());
      return target()->PositionedAppend(data, offset, options, info, debug);
    }

   private:
    std::atomic<int64_t>* count_;
  };

  rocksdb::IOStatus Wrap(const std::string& path, rocksdb::IOStatus opened,
                         std::unique_ptr<rocksdb::FSWritableFile>* result) {
    if (!opened.ok()) return opened;
    std::atomic<int64_t>* count = path.ends_with(".log")   ? &wal_
                                  : path.ends_with(".sst") ? &tables_
                                                           : &other_;
    *result = std::make_unique<File>(std::move(*result), count);
    return opened;
  }

  std::atomic<int64_t> wal_{0}, tables_{0}, other_{0};
};

fs::path StatementPath(const fs::path& dir, int month) {
  return dir / fmt::format("statement-2021-{:02d}.csv", month);
}

// ---- (1) The workload file, and the year's bank statement as the generator makes it, one file
// a month.
Status Generate(const WorkloadOptions& options, const fs::path& dir, Figures* figures) {
  const Clock::time_point start = Clock::now();
  Workload workload(options);
  std::ofstream statement;
  int month = 0;
  Status failed;
  workload.SetStatementSink([&](const StatementRow& row) {
    if (row.value_date.month() != month) {
      month = row.value_date.month();
      statement.close();
      statement.open(StatementPath(dir, month), std::ios::binary | std::ios::trunc);
      statement << StatementCsvHeader();
    }
    statement << StatementCsvRow(row);
    if (!statement) failed = Status::IoError("writing the statement failed");
  });
  std::ofstream out(dir / "workload.jsonl", std::ios::binary | std::ios::trunc);
  for (std::string line; workload.Next(&line);) out << line << '\n';
  out.close();
  statement.close();
  if (!out || !failed.ok()) return Status::IoError("writing the workload in " + dir.string());
  figures->generate_us = MicrosSince(start);
  figures->cases = workload.cases();
  figures->entries = workload.tally().lines;
  figures->statement_lines = workload.tally().bank_lines;
  return Status::Ok();
}

// ---- (2) Durable ingest through `caseledger apply`: this very binary as a subprocess, its
// results in a file, counted after.
Status ApplyInSubprocess(const fs::path& dir, Figures* figures) {
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return Status::IoError("cannot find this program (/proc/self/exe)");
  self[length] = '\0';
  const std::string results = (dir / "apply-results.jsonl").string();
  const std::string errors = (dir / "apply-stderr.txt").string();
  std::vector<std::string> args = {self, "--db", (dir / "apply-db").string(), "apply",
                                   (dir / "workload.jsonl").string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, results.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const Clock::time_point start = Clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Status::IoError("cannot run apply: " + std::string(strerror(spawned)));
  int wait_status = 0;
  rusage usage{};
  while (wait4(pid, &wait_status, 0, &usage) < 0) {
    if (errno != EINTR)
      return Status::IoError("waiting for apply: " + std::string(strerror(errno)));
  }
  figures->apply_us = MicrosSince(start);
  figures->apply_peak_rss_kb = usage.ru_maxrss;
  std::ifstream in(results, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(R"({"ok":true)")) {
      ++figures->apply_ok;
    } else {
      if (figures->apply_rejected++ < 3) Say("apply rejected: {}", line.substr(0, 400));
    }
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) > kExitRejected) {
    return Status::IoError("apply failed (see " + errors + ")");
  }
  return Status::Ok();
}

// ---- (3) The library's batch API in-process: Stage every line, Commit every kGroupCommandsMax
// staged (the group commit `apply` uses), results counted once their group is durable.
Status IngestBatch(const fs::path& dir, Figures* figures) {
  std::ifstream in(dir / "workload.jsonl", std::ios::binary);
  if (!in) return Status::IoError("cannot read the workload in " + dir.string());
  const auto counting = std::make_shared<CountingFs>();
  const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(counting);
  OpenOptions open_options;
  open_options.env = env.get();
  const Clock::time_point start = Clock::now();
  Result<std::unique_ptr<Ledger>> ledger =
      Ledger::OpenForWrite((dir / "batch-db").string(), open_options);
  if (!ledger.ok()) return ledger.status();
  // Pipelined as `apply` is: a full group is sealed (written and synced in the background) and
  // the next one staged meanwhile; a group's results count once it has landed.
  int64_t staged_ok = 0, staged_rejected = 0, staged = 0;
  int64_t sealed_ok = 0, sealed_rejected = 0;
  bool in_flight = false;
  auto land = [&]() -> Status {
    CASELEDGER_RETURN_IF_ERROR((*ledger)->Land());
    if (!in_flight) return Status::Ok();
    figures->batch_ok += sealed_ok;
    figures->batch_rejected += sealed_rejected;
    ++figures->batches;
    figures->group_ends.push_back((*ledger)->head_seq());
    in_flight = false;
    return Status::Ok();
  };
  auto commit = [&]() -> Status {
    CASELEDGER_RETURN_IF_ERROR(land());
    CASELEDGER_RETURN_IF_ERROR((*ledger)->Seal());
    sealed_ok = staged_ok;
    sealed_rejected = staged_rejected;
    in_flight = true;
    staged_ok = staged_rejected = staged = 0;
    return Status::Ok();
  };
  for (std::string line; std::getline(in, line);) {
    const CommandResult result = (*ledger)->Stage(ParseCommandLine(line));
    if (result.status.ok()) {
      ++staged_ok;
    } else {
      if (figures->batch_rejected + staged_rejected++ < 3) {
        Say("batch rejected: {} in {}", result.status.ToString(), line.substr(0, 300));
      }
    }
    if (++staged >= static_cast<int64_t>(kGroupCommandsMax)) CASELEDGER_RETURN_IF_ERROR(commit());
  }
  if (staged > 0) CASELEDGER_RETURN_IF_ERROR(commit());
  CASELEDGER_RETURN_IF_ERROR(land());
  ledger->reset();
  figures->batch_us = MicrosSince(start);
  figures->batch_disk = counting->bytes();
  return Status::Ok();
}

Status FromRocksDb(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::Ok();
  return Status::IoError(what + ": " + status.ToString());
}

// The byte volume caseledger wrote: the keys and values of the batch database, read back in one
// scan. Versioned records are never overwritten, so this is the volume written less the few
// current-only records rewritten in place (unidentified receipts, holds, disbursements, ...).
// Of it, the values of the entry records ('e' ‖ BE64(seq): hash ‖ entry): the user's bytes.
Status MeasureVolume(const fs::path& db_path, int64_t* bytes, int64_t* entry_bytes) {
  rocksdb::Options options;
  rocksdb::DB* raw = nullptr;
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::OpenForReadOnly(options, db_path.string(), &raw), "opening the batch database"));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  *bytes = *entry_bytes = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
    if (it->key().size() == 9 && it->key()[0] == 'e') {
      *entry_bytes += static_cast<int64_t>(it->value().size());
    }
  }
  return FromRocksDb(it->status(), "scanning the batch database");
}

// The raw databases' options, as the raw phase has always had them: RocksDB's defaults, created
// if missing, paranoid checks (the ledger's tuning, ledger/ledger.cc LedgerOptions, is internal to
// ledger/: its larger write buffers and LZ4 favour the ledger, if anything).
rocksdb::Options RawOptions(rocksdb::Env* env) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.env = env;
  return options;
}

// ---- (4) Raw RocksDB: the same byte volume in the same number of synced WriteBatches, one
// key-value pair per entry (16-byte keys, random-ish, values of the mean entry's size and of
// random-ish bytes so that compression gains nothing the ledger's data would not).
Status WriteRaw(const fs::path& dir, uint64_t seed, Figures* figures) {
  const int64_t entries = std::max<int64_t>(1, figures->entries);
  const int64_t batches = std::max<int64_t>(1, figures->batches);
  const int64_t value_bytes = std::max<int64_t>(1, figures->bytes / entries - 16);
  std::mt19937_64 random(seed);
  std::string noise(static_cast<size_t>(std::max<int64_t>(1 << 20, 2 * value_bytes)), '\0');
  for (char& c : noise) c = static_cast<char>(random());
  const uint64_t starts = noise.size() - static_cast<uint64_t>(value_bytes);
  rocksdb::DB* raw = nullptr;
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::Open(RawOptions(rocksdb::Env::Default()), (dir / "raw-db").string(), &raw),
      "opening the raw database"));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  const Clock::time_point start = Clock::now();
  int64_t written = 0;
  for (int64_t b = 0; b < batches; ++b) {
    rocksdb::WriteBatch batch;
    const int64_t until = entries * (b + 1) / batches;
    for (; written < until; ++written) {
      std::string key(16, '\0');
      const uint64_t parts[2] = {random(), static_cast<uint64_t>(written)};
      std::memcpy(key.data(), parts, sizeof parts);
      const rocksdb::Slice value(noise.data() + random() % starts,
                                 static_cast<size_t>(value_bytes));
      CASELEDGER_RETURN_IF_ERROR(FromRocksDb(batch.Put(key, value), "staging a raw write"));
    }
    CASELEDGER_RETURN_IF_ERROR(FromRocksDb(db->Write(write_options, &batch), "writing raw"));
  }
  figures->raw_us = MicrosSince(start);
  return FromRocksDb(db->Close(), "closing the raw database");
}

// The entry records of seqs up to `last` from `it` (at the next one) into `group`, each checked
// to be the next seq: the log's keys are 'e' ‖ BE64(seq), in order.
Status ReadGroup(rocksdb::Iterator* it, uint64_t last, uint64_t* seq,
                 std::vector<std::pair<std::string, std::string>>* group) {
  group->clear();
  for (; *seq < last; it->Next()) {
    if (!it->Valid()) {
      CASELEDGER_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the batch database's log"));
      return Status::Corruption(fmt::format("the batch database's log ends before {}", last));
    }
    std::string key = it->key().ToString();
    uint64_t key_seq = 0;
    for (size_t i = 1; i < key.size(); ++i) key_seq = key_seq << 8 | static_cast<uint8_t>(key[i]);
    if (key.size() != 9 || key[0] != 'e' || key_seq != *seq + 1) {
      return Status::Corruption(fmt::format("the batch database's log: no entry {}", *seq + 1));
    }
    group->emplace_back(std::move(key), it->value().ToString());
    ++*seq;
  }
  return Status::Ok();
}

// ---- (4b) The log alone: the batch ledger's entry records, key and value byte for byte, in
// its very groups (one synced WriteBatch per commit), into a bare RocksDB: what writing the
// entries costs with no state, index or tree beside them. Reading a group back is not timed.
Status WriteLogAlone(const fs::path& dir, Figures* figures) {
  rocksdb::DB* raw = nullptr;
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::OpenForReadOnly(rocksdb::Options(), (dir / "batch-db").string(), &raw),
      "opening the batch database"));
  std::unique_ptr<rocksdb::DB> source(raw);
  std::unique_ptr<rocksdb::Iterator> it(source->NewIterator(rocksdb::ReadOptions()));
  it->Seek(rocksdb::Slice("e", 1));
  const auto counting = std::make_shared<CountingFs>();
  const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(counting);
  CASELEDGER_RETURN_IF_ERROR(
      FromRocksDb(rocksdb::DB::Open(RawOptions(env.get()), (dir / "log-alone-db").string(), &raw),
                  "opening the log-alone database"));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  std::vector<std::pair<std::string, std::string>> group;
  uint64_t seq = 0;
  for (const uint64_t last : figures->group_ends) {
    CASELEDGER_RETURN_IF_ERROR(ReadGroup(it.get(), last, &seq, &group));
    const Clock::time_point start = Clock::now();
    rocksdb::WriteBatch batch;
    for (const auto& [key, value] : group) {
      CASELEDGER_RETURN_IF_ERROR(FromRocksDb(batch.Put(key, value), "staging a log write"));
    }
    CASELEDGER_RETURN_IF_ERROR(FromRocksDb(db->Write(write_options, &batch), "writing the log"));
    figures->log_alone_us += MicrosSince(start);
  }
  const Clock::time_point start = Clock::now();
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(db->Close(), "closing the log-alone database"));
  // Timed as the batch path's close is (where the ledger also flushes its memtable).
  figures->log_alone_us += MicrosSince(start);
  figures->log_alone_disk = counting->bytes();
  return Status::Ok();
}

// ---- (7) One case against many: the same receipts into one case and spread over
// kOneCaseSpreadCases, through the batch API, in groups of at most kGroupCommandsMax.

// Commands `from` to `to` (exclusive) made by `line`, staged and committed in groups.
Status StageInGroups(Ledger* ledger, int64_t from, int64_t to,
                     const std::function<std::string(int64_t)>& line, int64_t* rejected) {
  int64_t staged = 0;
  for (int64_t i = from; i < to; ++i) {
    const std::string text = line(i);
    const CommandResult result = ledger->Stage(ParseCommandLine(text));
    if (!result.status.ok() && (*rejected)++ < 3) {
      Say("onecase rejected: {} in {}", result.status.ToString(), text.substr(0, 300));
    }
    if (++staged >= static_cast<int64_t>(kGroupCommandsMax)) {
      CASELEDGER_RETURN_IF_ERROR(ledger->Commit());
      staged = 0;
    }
  }
  if (staged > 0) CASELEDGER_RETURN_IF_ERROR(ledger->Commit());
  return Status::Ok();
}

// One ledger of the phase at `path`: `cases` cases opened (not timed), then the receipts round
// robin over them up to each checkpoint in turn, timed; after each, the writer is closed (not
// timed: it flushes the memtable) and the directory's size taken.
Status RecordReceipts(const fs::path& path, int64_t cases, OneCaseFigures* one_case,
                      int64_t* micros, std::array<int64_t, 3>* sizes) {
  const auto receipt = [cases](int64_t r) { return OneCaseReceiptLine(r, r % cases); };
  int64_t done = 0;
  for (size_t part = 0; part < one_case->checkpoints.size(); ++part) {
    Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForWrite(path.string());
    if (!ledger.ok()) return ledger.status();
    if (part == 0) {
      CASELEDGER_RETURN_IF_ERROR(
          StageInGroups(ledger->get(), 0, cases, OneCaseOpenLine, &one_case->rejected));
    }
    const Clock::time_point start = Clock::now();
    const int64_t until = one_case->checkpoints[part];
    CASELEDGER_RETURN_IF_ERROR(
        StageInGroups(ledger->get(), done, until, receipt, &one_case->rejected));
    *micros += MicrosSince(start);
    done = until;
    ledger->reset();
    (*sizes)[part] = DirectoryBytes(path);
  }
  return Status::Ok();
}

Status OneCase(const fs::path& dir, int64_t scale, OneCaseFigures* one_case) {
  const Clock::time_point start = Clock::now();
  one_case->receipts = OneCaseReceiptsAt(scale);
  one_case->checkpoints = {one_case->receipts / 4, one_case->receipts / 2, one_case->receipts};
  CASELEDGER_RETURN_IF_ERROR(RecordReceipts(dir / "one-case-db", 1, one_case, &one_case->one_us,
                                            &one_case->one_size_bytes));
  CASELEDGER_RETURN_IF_ERROR(RecordReceipts(dir / "spread-db", kOneCaseSpreadCases, one_case,
                                            &one_case->spread_us, &one_case->spread_size_bytes));
  one_case->wall_us = MicrosSince(start);
  return Status::Ok();
}

// ---- (5) verify of the batch database: the fast pass (verify --fast), then the deep one.
Status VerifyBatch(const fs::path& db, Figures* figures) {
  Clock::time_point start = Clock::now();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(db.string());
  if (!ledger.ok()) return ledger.status();
  Result<VerifyReport> fast = (*ledger)->VerifyFast([](uint64_t, uint64_t) {});
  if (!fast.ok()) return fast.status();
  figures->verify_fast_us = MicrosSince(start);
  if (!fast->ok) Say("verify --fast: {}", fast->problem);
  start = Clock::now();
  Result<VerifyReport> report = (*ledger)->Verify([](uint64_t, uint64_t) {});
  if (!report.ok()) return report.status();
  figures->verify_us = MicrosSince(start);
  figures->verify_ok = report->ok && fast->ok;
  if (!report->ok) Say("verify: {}", report->problem);
  return Status::Ok();
}

// p50 and p99 of durations in nanoseconds, as whole microseconds.
std::pair<int64_t, int64_t> Percentiles(std::vector<int64_t> nanos) {
  if (nanos.empty()) return {0, 0};
  std::sort(nanos.begin(), nanos.end());
  const size_t last = nanos.size() - 1;
  return {nanos[last * 50 / 100] / 1000, nanos[last * 99 / 100] / 1000};
}

// One case as `case` shows it: its record at the point, its chain, every figure on `on`.
Status QueryCase(Ledger* ledger, const std::string& case_no, const PointInTime& point, Date on,
                 std::vector<int64_t>* nanos) {
  const Clock::time_point start = Clock::now();
  CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord record, ledger->GetCase(case_no, point));
  CASELEDGER_ASSIGN_OR_RETURN(std::vector<pb::CaseRecord> chain, ledger->GetChain(record, point));
  const CaseFigures figures = EvaluateCase(record, chain, on);
  nanos->push_back(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  // A case's balance is what its figures say (SPEC §6): a cheap use of every figure computed.
  if (figures.balance_fen != BalanceByFigures(record)) {
    return Status::Corruption("case " + case_no + ": its balance disagrees with its figures");
  }
  return Status::Ok();
}

// ---- (6) Queries: random cases now and as of mid-year.
Status QueryCases(Ledger* ledger, const WorkloadOptions& options, Figures* figures) {
  const Workload workload(options);
  CASELEDGER_ASSIGN_OR_RETURN(Date today, Today());
  const Date past = *Date::FromYmd(2021, kPastMonth, kPastDay);
  // Cases are filed in index order: those filed by the past date are a prefix.
  int64_t filed_by_past = 0;
  for (int64_t hi = workload.cases(); filed_by_past < hi;) {
    const int64_t mid = filed_by_past + (hi - filed_by_past) / 2;
    if (workload.FiledOnOf(mid) <= past) {
      filed_by_past = mid + 1;
    } else {
      hi = mid;
    }
  }
  std::mt19937_64 random(options.seed);
  std::vector<int64_t> now_nanos, past_nanos;
  for (int i = 0; i < kQueriedCases; ++i) {
    const int64_t index = static_cast<int64_t>(random() % static_cast<uint64_t>(workload.cases()));
    CASELEDGER_RETURN_IF_ERROR(
        QueryCase(ledger, workload.CaseNumberOf(index), PointInTime{}, today, &now_nanos));
    if (filed_by_past == 0) continue;
    const int64_t then = static_cast<int64_t>(random() % static_cast<uint64_t>(filed_by_past));
    CASELEDGER_RETURN_IF_ERROR(QueryCase(ledger, workload.CaseNumberOf(then),
                                         PointInTime{std::nullopt, past}, past, &past_nanos));
  }
  std::tie(figures->case_p50_us, figures->case_p99_us) = Percentiles(now_nanos);
  std::tie(figures->case_past_p50_us, figures->case_past_p99_us) = Percentiles(past_nanos);
  return Status::Ok();
}

// The indicators of 2021 and the overdue report on its last day, as `report` gathers them.
Status RunReports(Ledger* ledger, Figures* figures) {
  const Date from = Workload::FirstDay(), to = Workload::LastDay();
  Clock::time_point start = Clock::now();
  CASELEDGER_ASSIGN_OR_RETURN(IndicatorReport indicators,
                              GatherIndicators(ledger, "", from, to, GroupBy::kNone));
  figures->indicators_us = MicrosSince(start);
  figures->indicators = indicators.total();
  start = Clock::now();
  CASELEDGER_ASSIGN_OR_RETURN(OverdueReport overdue, GatherOverdue(ledger, "", to));
  figures->overdue_us = MicrosSince(start);
  figures->overdue_cases = static_cast<int64_t>(overdue.cases.size());
  return Status::Ok();
}

// The year's statement reconciled month by month, as courts do (每月一对, RULES §1), each month
// as `reconcile` does it: the file read and parsed, the ledger's side gathered, matched.
Status ReconcileYear(Ledger* ledger, const fs::path& dir, Figures* figures) {
  const Clock::time_point start = Clock::now();
  CASELEDGER_ASSIGN_OR_RETURN(pb::RulesRecord rules, ledger->GetRules(PointInTime{}));
  for (int month = 1; month <= 12; ++month) {
    std::ifstream in(StatementPath(dir, month), std::ios::binary);
    if (!in) continue;  // no money moved that month (a tiny scale)
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CASELEDGER_ASSIGN_OR_RETURN(std::vector<StatementLine> lines, ParseStatement(bytes));
    const Date from = *Date::FromYmd(2021, month, 1);
    const Date to = from.AddMonths(1).AddDays(-1);
    CASELEDGER_ASSIGN_OR_RETURN(BankActivity activity, ledger->GetBankActivity(from, to));
    const Reconciliation rec = Reconcile(lines, activity.movements, activity.case_of_account, from,
                                         to, activity.balance_fen, rules.reconcile_window_days());
    ++figures->reconcile_months;
    figures->reconcile_matched += static_cast<int64_t>(rec.matched.size());
    figures->reconcile_bank_only += static_cast<int64_t>(rec.bank_only.size());
    figures->reconcile_ledger_only += static_cast<int64_t>(rec.ledger_only.size());
    figures->reconcile_mismatched += static_cast<int64_t>(rec.mismatched.size());
    figures->reconcile_agree = figures->reconcile_agree && rec.agree && rec.mismatched.empty();
  }
  figures->reconcile_us = MicrosSince(start);
  return Status::Ok();
}

Status ReadPhases(const fs::path& dir, const fs::path& db, const WorkloadOptions& options,
                  Figures* figures) {
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(db.string());
  if (!ledger.ok()) return ledger.status();
  Say("queries: {} random cases now and as of 2021-{:02d}-{:02d}", kQueriedCases, kPastMonth,
      kPastDay);
  CASELEDGER_RETURN_IF_ERROR(QueryCases(ledger->get(), options, figures));
  Say("reports: indicators for 2021, overdue on 2021-12-31");
  CASELEDGER_RETURN_IF_ERROR(RunReports(ledger->get(), figures));
  Say("reconcile: the year's statement ({} lines), month by month", figures->statement_lines);
  CASELEDGER_RETURN_IF_ERROR(ReconcileYear(ledger->get(), dir, figures));
  figures->read_done = true;
  return Status::Ok();
}

// ---- Output.

// The rates of the figures, entries per second (0 for a phase that did not run).
struct Rates {
  int64_t apply = 0, batch = 0, raw = 0, rawlog = 0, verify = 0, one = 0, spread = 0, fast = 0;
};

Rates RatesOf(const Figures& f) {
  const OneCaseFigures& c = f.one_case;
  return {PerSecond(f.entries, f.apply_us),   PerSecond(f.entries, f.batch_us),
          PerSecond(f.entries, f.raw_us),     PerSecond(f.entries, f.log_alone_us),
          PerSecond(f.entries, f.verify_us),  PerSecond(c.receipts, c.one_us),
          PerSecond(c.receipts, c.spread_us), PerSecond(f.entries, f.verify_fast_us)};
}

// a ÷ PostgreSQL's rate, "null" when --postgres-rate was not given.
std::string VersusPostgres(int64_t rate, const Figures& f) {
  return f.postgres_per_s && rate > 0 ? Ratio(rate, *f.postgres_per_s) : "null";
}

void WriteIntArray(json::Writer& w, const char* key, const std::array<int64_t, 3>& values) {
  w.Key(key).BeginArray();
  for (const int64_t value : values) w.Int(value);
  w.EndArray();
}

// The keys of issue 18: the log alone, PostgreSQL, the bytes written to disk, one case.
void WriteIssue18Json(json::Writer& w, const Figures& f, const Rates& r) {
  w.Key("rawlog_ms").Int(f.log_alone_us / 1000).Key("rawlog_entries_per_s").Int(r.rawlog);
  w.Key("apply_vs_rawlog").Raw(Ratio(r.apply, r.rawlog));
  w.Key("batch_vs_rawlog").Raw(Ratio(r.batch, r.rawlog));
  w.Key("rawlog_disk_bytes_written").Int(f.log_alone_disk.total());
  w.Key("postgres_entries_per_s");
  if (f.postgres_per_s) {
    w.Int(*f.postgres_per_s);
  } else {
    w.Null();
  }
  w.Key("apply_vs_postgres").Raw(VersusPostgres(r.apply, f));
  w.Key("batch_vs_postgres").Raw(VersusPostgres(r.batch, f));
  w.Key("entry_bytes").Int(f.entry_bytes);
  w.Key("disk_bytes_written").BeginObject().Key("wal").Int(f.batch_disk.wal);
  w.Key("tables").Int(f.batch_disk.tables).Key("other").Int(f.batch_disk.other);
  w.Key("total").Int(f.batch_disk.total()).EndObject();
  w.Key("disk_bytes_per_entry").Int(f.batch_disk.total() / std::max<int64_t>(1, f.entries));
  w.Key("write_amplification").Raw(Ratio(f.batch_disk.total(), f.entry_bytes));
  const OneCaseFigures& c = f.one_case;
  w.Key("onecase").BeginObject().Key("receipts").Int(c.receipts);
  w.Key("spread_cases").Int(kOneCaseSpreadCases);
  w.Key("one_ms").Int(c.one_us / 1000).Key("one_entries_per_s").Int(r.one);
  w.Key("spread_ms").Int(c.spread_us / 1000).Key("spread_entries_per_s").Int(r.spread);
  w.Key("one_vs_spread").Raw(Ratio(r.one, r.spread));
  WriteIntArray(w, "checkpoints", c.checkpoints);
  WriteIntArray(w, "one_size_bytes", c.one_size_bytes);
  WriteIntArray(w, "spread_size_bytes", c.spread_size_bytes);
  w.Key("wall_ms").Int(c.wall_us / 1000).Key("rejected").Int(c.rejected).EndObject();
}

std::string FiguresJson(const Figures& f) {
  const Rates r = RatesOf(f);
  json::Writer w;
  w.BeginObject()
      .Key("scale")
      .Raw(FormatScale(f.scale))
      .Key("seed")
      .Int(static_cast<int64_t>(f.seed));
  w.Key("cases").Int(f.cases).Key("entries").Int(f.entries);
  w.Key("bytes_per_entry").Int(f.bytes / std::max<int64_t>(1, f.entries));
  w.Key("batches").Int(f.batches).Key("generate_ms").Int(f.generate_us / 1000);
  w.Key("apply_ms").Int(f.apply_us / 1000).Key("apply_entries_per_s").Int(r.apply);
  w.Key("batch_ms").Int(f.batch_us / 1000).Key("batch_entries_per_s").Int(r.batch);
  w.Key("raw_rocksdb_ms").Int(f.raw_us / 1000).Key("raw_rocksdb_entries_per_s").Int(r.raw);
  w.Key("apply_vs_raw").Raw(Ratio(r.apply, r.raw)).Key("batch_vs_raw").Raw(Ratio(r.batch, r.raw));
  WriteIssue18Json(w, f, r);
  w.Key("verify_ms").Int(f.verify_us / 1000);
  w.Key("verify_entries_per_s").Int(r.verify).Key("verify_ok").Bool(f.verify_ok);
  w.Key("verify_fast_ms").Int(f.verify_fast_us / 1000);
  w.Key("verify_fast_entries_per_s").Int(r.fast);
  w.Key("case_p50_us").Int(f.case_p50_us).Key("case_p99_us").Int(f.case_p99_us);
  w.Key("case_past_p50_us").Int(f.case_past_p50_us).Key("case_past_p99_us").Int(f.case_past_p99_us);
  w.Key("indicators_ms").Int(f.indicators_us / 1000).Key("overdue_ms").Int(f.overdue_us / 1000);
  w.Key("reconcile_ms").Int(f.reconcile_us / 1000);
  w.Key("reconcile").BeginObject().Key("lines").Int(f.statement_lines);
  w.Key("months").Int(f.reconcile_months).Key("matched").Int(f.reconcile_matched);
  w.Key("bank_only").Int(f.reconcile_bank_only).Key("ledger_only").Int(f.reconcile_ledger_only);
  w.Key("mismatched").Int(f.reconcile_mismatched).Key("agree").Bool(f.reconcile_agree).EndObject();
  const Indicators& i = f.indicators;
  w.Key("indicators").BeginObject().Key("filed").Int(i.filed).Key("closed").Int(i.closed);
  w.Key("closure_rate_closed").Int(i.closure_rate_closed);
  w.Key("closure_rate_base").Int(i.closure_rate_base);
  w.Key("recovered").String(FormatAmount(i.recovered_fen));
  w.Key("small_cases_closed").Int(i.small_cases_closed);
  w.Key("small_cases_recovered").String(FormatAmount(i.small_cases_recovered_fen));
  w.Key("overdue_cases").Int(f.overdue_cases).EndObject();
  w.Key("peak_rss_mb")
      .Int(f.peak_rss_kb / 1024)
      .Key("apply_peak_rss_mb")
      .Int(f.apply_peak_rss_kb / 1024);
  w.Key("apply_rejected").Int(f.apply_rejected).Key("batch_rejected").Int(f.batch_rejected);
  w.Key("rejected").Int(f.rejected());
  return w.EndObject().str() + "\n";
}

// ---- The table: figure, value, unit and the target of issue 18 ("" where it sets none).
struct Table {
  Lang lang;
  TextTable text;
  void Row(const char* zh, const char* en, std::string value, std::string unit,
           std::string target = "") {
    text.AddRow({L(lang, zh, en), std::move(value), std::move(unit), std::move(target)});
  }
  std::string PerS() const { return L(lang, "条/秒", "entries/s"); }
  // A figure of a phase that did not run is "—", not a zero beside its target.
  void Figure(const char* zh, const char* en, bool ran, std::string value, std::string unit,
              std::string target = "") {
    Row(zh, en, ran ? std::move(value) : "—", std::move(unit), std::move(target));
  }
  std::string Ms() const { return L(lang, "毫秒", "ms"); }
};

// A rate, "—" when its phase did not run (0); a ratio of rates, "—" unless both ran.
std::string Rate(int64_t rate) { return rate > 0 ? Grouped(rate) : "—"; }
std::string RatioOfRates(int64_t a, int64_t b) { return a > 0 && b > 0 ? Ratio(a, b) : "—"; }

void SizeRows(Table& t, const Figures& f) {
  const int64_t entries = std::max<int64_t>(1, f.entries);
  t.Row("规模", "scale", FormatScale(f.scale), "");
  t.Row("案件", "cases", Grouped(f.cases), "");
  t.Row("条目", "entries", Grouped(f.entries), "");
  t.Figure("每条字节（批量库中全部键值 ÷ 条目）",
           "bytes per entry (the batch ledger's keys and values)", f.bytes > 0,
           Grouped(f.bytes / entries), L(t.lang, "字节", "bytes"), "≤ 400");
  t.Figure("每条条目记录字节（哈希 + 条目）", "entry record bytes each (hash + entry)", f.bytes > 0,
           Grouped(f.entry_bytes / entries), L(t.lang, "字节", "bytes"));
  t.Row("生成命令", "generate", Grouped(f.generate_us / 1000), t.Ms());
}

void IngestRows(Table& t, const Figures& f, const Rates& r) {
  t.Row("apply（子进程，同步写盘）", "apply (subprocess, synced)", Rate(r.apply), t.PerS(),
        "≥ 100,000");
  t.Row("批量接口（进程内，每组 1024 条）", "batch API (in-process, 1,024 a group)", Rate(r.batch),
        t.PerS(), "≥ 150,000");
  t.Row("原生 RocksDB（同等字节，同组数）", "raw RocksDB (same bytes, same groups)", Rate(r.raw),
        t.PerS());
  t.Row("原生 RocksDB，仅日志（条目记录，同批次分组）",
        "raw RocksDB, the log alone (entry records, batch's groups)", Rate(r.rawlog), t.PerS());
  t.Row("apply ÷ 原生", "apply ÷ raw", RatioOfRates(r.apply, r.raw), "");
  t.Row("批量 ÷ 原生", "batch ÷ raw", RatioOfRates(r.batch, r.raw), "");
  t.Row("apply ÷ 仅日志", "apply ÷ log alone", RatioOfRates(r.apply, r.rawlog), "");
  t.Row("批量 ÷ 仅日志", "batch ÷ log alone", RatioOfRates(r.batch, r.rawlog), "", "≥ 0.50");
  if (!f.postgres_per_s) return;  // --postgres-rate not given: nothing to compare with
  t.Row("PostgreSQL（--postgres-rate）", "PostgreSQL (--postgres-rate)", Grouped(*f.postgres_per_s),
        t.PerS());
  const int64_t postgres = *f.postgres_per_s;
  t.Row("apply ÷ PostgreSQL", "apply ÷ PostgreSQL", RatioOfRates(r.apply, postgres), "", "≥ 5");
  t.Row("批量 ÷ PostgreSQL", "batch ÷ PostgreSQL", RatioOfRates(r.batch, postgres), "", "≥ 5");
}

// What RocksDB wrote to files during the batch phase, per entry, against the entry records.
void DiskRows(Table& t, const Figures& f) {
  const DiskBytes& d = f.batch_disk;
  const int64_t entries = std::max<int64_t>(1, f.entries);
  const bool ran = d.total() > 0;
  t.Figure("每条写盘字节（WAL / 表文件 / 其他）", "bytes written per entry (WAL / tables / other)",
           ran,
           fmt::format("{} / {} / {}", Grouped(d.wal / entries), Grouped(d.tables / entries),
                       Grouped(d.other / entries)),
           L(t.lang, "字节", "bytes"));
  t.Figure("每条写盘字节（合计）", "bytes written per entry (all)", ran,
           Grouped(d.total() / entries), L(t.lang, "字节", "bytes"));
  t.Figure("写放大（写盘 ÷ 条目记录字节）", "write amplification (disk ÷ entry record bytes)", ran,
           Ratio(d.total(), f.entry_bytes), "");
}

void ReadRows(Table& t, const Figures& f, const Rates& r) {
  const std::string us = L(t.lang, "微秒", "µs");
  t.Row("快速校验（哈希链、过账、默克尔树、余额）", "fast verify (chain, postings, tree, balances)",
        Rate(r.fast), t.PerS(), "≥ 1,000,000");
  t.Row("深度重放校验（哈希链、过账、重放）", "deep replay verify (chain, postings, replay)",
        Rate(r.verify), t.PerS(), "≥ 200,000");
  t.Figure("查询案件 p50 / p99（当前）", "case p50 / p99 (now)", f.read_done,
           fmt::format("{} / {}", Grouped(f.case_p50_us), Grouped(f.case_p99_us)), us,
           "p99 < 1,000");
  t.Figure("查询案件 p50 / p99（2021-06-30）", "case p50 / p99 (2021-06-30)", f.read_done,
           fmt::format("{} / {}", Grouped(f.case_past_p50_us), Grouped(f.case_past_p99_us)), us,
           "p99 < 1,000");
  t.Figure("指标报表（2021 年）", "indicators report (2021)", f.read_done,
           Grouped(f.indicators_us / 1000), t.Ms(), "< 1,000");
  t.Figure("超期报表（2021-12-31）", "overdue report (2021-12-31)", f.read_done,
           Grouped(f.overdue_us / 1000), t.Ms(), "< 1,000");
  t.Figure("对账（全年流水，按月）", "reconcile (the year, by month)", f.read_done,
           Grouped(f.reconcile_us / 1000), t.Ms(), "< 3,000");
  t.Figure(
      "对账结果", "reconciliation", f.read_done,
      fmt::format("{} {} / {}",
                  f.reconcile_agree ? L(t.lang, "相符", "agree") : L(t.lang, "不符", "DISAGREE"),
                  Grouped(f.reconcile_matched), Grouped(f.statement_lines)),
      L(t.lang, "行已匹配", "lines matched"));
}

void OneCaseRows(Table& t, const Figures& f, const Rates& r) {
  const OneCaseFigures& c = f.one_case;
  const auto three = [](const std::array<int64_t, 3>& values, int64_t unit) {
    return fmt::format("{} / {} / {}", Grouped(values[0] / unit), Grouped(values[1] / unit),
                       Grouped(values[2] / unit));
  };
  t.Row("一案收款（同一案件）", "receipts into one case", Rate(r.one), t.PerS());
  t.Row("分散收款（200 个案件轮流）", "the same spread over 200 cases", Rate(r.spread), t.PerS());
  t.Row("一案 ÷ 分散", "one ÷ spread", RatioOfRates(r.one, r.spread), "", "≥ 0.50");
  const bool ran = c.receipts > 0;
  t.Figure("收款笔数（库大小的检查点）", "receipts (the checkpoints of the sizes)", ran,
           three(c.checkpoints, 1), L(t.lang, "笔", "receipts"));
  t.Figure("一案库磁盘大小", "one-case ledger on disk", ran, three(c.one_size_bytes, 1024), "KiB");
  t.Figure("分散库磁盘大小", "spread ledger on disk", ran, three(c.spread_size_bytes, 1024), "KiB");
  t.Figure("一案对比用时（全部）", "one against many, wall time", ran, Grouped(c.wall_us / 1000),
           t.Ms());
}

std::string FiguresText(const Figures& f, Lang lang) {
  const Rates r = RatesOf(f);
  Table t{lang, TextTable({L(lang, "项目", "figure"), L(lang, "数值", "value"),
                           L(lang, "单位", "unit"), L(lang, "目标", "target")},
                          {false, true, false, false})};
  SizeRows(t, f);
  IngestRows(t, f, r);
  DiskRows(t, f);
  ReadRows(t, f, r);
  OneCaseRows(t, f, r);
  t.Row("峰值内存（本进程 / apply）", "peak RSS (bench / apply)",
        fmt::format("{} / {}", Grouped(f.peak_rss_kb / 1024), Grouped(f.apply_peak_rss_kb / 1024)),
        "MB", "< 1,024");
  t.Row("被拒命令", "rejected commands", Grouped(f.rejected()), "");
  return t.text.Render();
}

// --phases: which to run. The raw writes copy the batch phase's groups and the log alone its
// entries and groups, so they need it; verify and the reads use whichever database was written;
// onecase writes ledgers of its own.
struct Phases {
  bool apply = false, batch = false, raw = false, rawlog = false, verify = false, read = false;
  bool onecase = false;
};

Result<Phases> ParsePhases(const std::string& text) {
  Phases phases;
  const std::pair<const char*, bool Phases::*> names[] = {
      {"apply", &Phases::apply},    {"batch", &Phases::batch},   {"raw", &Phases::raw},
      {"rawlog", &Phases::rawlog},  {"verify", &Phases::verify}, {"read", &Phases::read},
      {"onecase", &Phases::onecase}};
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    const auto* found = std::find_if(std::begin(names), std::end(names),
                                     [&](const auto& known) { return name == known.first; });
    if (found == std::end(names)) {
      return Status::InvalidArgument(
          fmt::format("--phases: unknown phase '{}' (choose from {})", name, kBenchPhases));
    }
    phases.*(found->second) = true;
    start = comma + 1;
  }
  if (phases.raw && !phases.batch) {
    return Status::InvalidArgument("--phases: raw copies the batch phase's groups; add batch");
  }
  if (phases.rawlog && !phases.batch) {
    return Status::InvalidArgument(
        "--phases: rawlog copies the batch phase's entries and groups; add batch");
  }
  if ((phases.verify || phases.read) && !phases.apply && !phases.batch) {
    return Status::InvalidArgument(
        "--phases: verify and read need apply or batch to write a ledger");
  }
  return phases;
}

// The phases that record the workload: apply, batch (its volume then read back, not timed), and
// the two raw RocksDB references.
Status IngestPhases(const fs::path& path, const Phases& phases, uint64_t seed, Figures* figures) {
  if (phases.apply) {
    Say("apply (subprocess)...");
    CASELEDGER_RETURN_IF_ERROR(ApplyInSubprocess(path, figures));
    Say("apply: {} ms, {} rejected", figures->apply_us / 1000, figures->apply_rejected);
  }
  if (phases.batch) {
    Say("the batch API (Ledger::Stage, Commit)...");
    CASELEDGER_RETURN_IF_ERROR(IngestBatch(path, figures));
    Say("batch: {} ms in {} groups, {} rejected", figures->batch_us / 1000, figures->batches,
        figures->batch_rejected);
    CASELEDGER_RETURN_IF_ERROR(
        MeasureVolume(path / "batch-db", &figures->bytes, &figures->entry_bytes));
    Say("batch: {} bytes kept, {} of entry records, {} written to disk", figures->bytes,
        figures->entry_bytes, figures->batch_disk.total());
  }
  if (phases.raw) {
    Say("raw RocksDB...");
    CASELEDGER_RETURN_IF_ERROR(WriteRaw(path, seed, figures));
    Say("raw RocksDB: {} bytes in {} ms", figures->bytes, figures->raw_us / 1000);
  }
  if (phases.rawlog) {
    Say("raw RocksDB, the log alone...");
    CASELEDGER_RETURN_IF_ERROR(WriteLogAlone(path, figures));
    Say("the log alone: {} bytes in {} ms", figures->entry_bytes, figures->log_alone_us / 1000);
  }
  return Status::Ok();
}

Status CheckPhases(const fs::path& path, const Phases& phases, const WorkloadOptions& workload,
                   Figures* figures) {
  const fs::path db = path / (phases.batch ? "batch-db" : "apply-db");
  if (phases.verify) {
    Say("verify ({})...", db.filename().string());
    CASELEDGER_RETURN_IF_ERROR(VerifyBatch(db, figures));
    Say("verify: {} ms", figures->verify_us / 1000);
  }
  if (phases.read) CASELEDGER_RETURN_IF_ERROR(ReadPhases(path, db, workload, figures));
  if (phases.onecase) {
    Say("one case against {}: {} receipts each way...", kOneCaseSpreadCases,
        OneCaseReceiptsAt(workload.scale_millionths));
    CASELEDGER_RETURN_IF_ERROR(OneCase(path, workload.scale_millionths, &figures->one_case));
    Say("one case: {} ms, spread: {} ms", figures->one_case.one_us / 1000,
        figures->one_case.spread_us / 1000);
  }
  return Status::Ok();
}

}  // namespace

int RunBench(const Globals& globals, const BenchOptions& options) {
  Result<int64_t> scale = ParseScale(options.scale, "--scale");
  if (!scale.ok()) return Usage(scale.status().message());
  Result<Phases> phases = ParsePhases(options.phases);
  if (!phases.ok()) return Usage(phases.status().message());
  if (options.postgres_rate && *options.postgres_rate <= 0) {
    return Usage("--postgres-rate: give PostgreSQL's entries per second, more than 0");
  }
  Result<BenchDir> dir = PrepareDir(options.dir);
  if (!dir.ok()) {
    if (dir.status().code() == Code::kInvalidArgument) return Usage(dir.status().message());
    return ReportError(dir.status(), globals.json);
  }
  const WorkloadOptions workload{options.seed, *scale};
  Figures figures;
  figures.scale = *scale;
  figures.seed = options.seed;
  figures.postgres_per_s = options.postgres_rate;
  const fs::path& path = dir->path;
  Say("in {}: generating the workload (scale {}, seed {})", path.string(), FormatScale(*scale),
      options.seed);
  Status status = Generate(workload, path, &figures);
  if (status.ok()) {
    Say("{} cases, {} entries, {} statement lines in {} ms", figures.cases, figures.entries,
        figures.statement_lines, figures.generate_us / 1000);
    status = IngestPhases(path, *phases, options.seed, &figures);
  }
  if (status.ok()) status = CheckPhases(path, *phases, workload, &figures);
  figures.peak_rss_kb = PeakRssKb();
  if (!options.keep) RemoveDir(*dir);
  if (!status.ok()) return ReportError(status, globals.json);
  Out(globals.json ? FiguresJson(figures) : FiguresText(figures, globals.language()));
  const bool failed =
      figures.rejected() > 0 || (phases->verify && !figures.verify_ok) || !figures.reconcile_agree;
  return failed ? kExitRejected : kExitOk;
}

}  // namespace caseledger::cli
