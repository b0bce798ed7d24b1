// caseledger bench: a realistic year of Gansu's basic courts (bench/workload.h) recorded three
// ways — through `apply` in a subprocess, through the library's batch API in-process, and as raw
// synced RocksDB writes of the same byte volume — then verified, queried, reported on and
// reconciled, each phase timed with a steady clock in whole microseconds.
#include <fcntl.h>
#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

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

// Everything measured, in integers: counts, microseconds, kilobytes.
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
  int64_t batches = 0;  // synced groups of the batch path
  int64_t bytes = 0;    // keys and values the batch path left in RocksDB
  int64_t raw_us = 0;
  int64_t verify_us = 0;
  bool verify_ok = false;
  int64_t case_p50_us = 0, case_p99_us = 0;
  int64_t case_past_p50_us = 0, case_past_p99_us = 0;
  int64_t indicators_us = 0, overdue_us = 0, reconcile_us = 0;
  Indicators indicators;
  int64_t overdue_cases = 0;
  int64_t reconcile_months = 0, reconcile_matched = 0, reconcile_bank_only = 0;
  int64_t reconcile_ledger_only = 0, reconcile_mismatched = 0;
  bool reconcile_agree = true;
  int64_t peak_rss_kb = 0;

  int64_t rejected() const { return apply_rejected + batch_rejected; }
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
  const Clock::time_point start = Clock::now();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForWrite((dir / "batch-db").string());
  if (!ledger.ok()) return ledger.status();
  int64_t staged_ok = 0, staged_rejected = 0, staged = 0;
  auto commit = [&]() -> Status {
    CASELEDGER_RETURN_IF_ERROR((*ledger)->Commit());
    figures->batch_ok += staged_ok;
    figures->batch_rejected += staged_rejected;
    ++figures->batches;
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
  ledger->reset();
  figures->batch_us = MicrosSince(start);
  return Status::Ok();
}

Status FromRocksDb(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::Ok();
  return Status::IoError(what + ": " + status.ToString());
}

// The byte volume caseledger wrote: the keys and values of the batch database, read back in one
// scan. Versioned records are never overwritten, so this is the volume written less the few
// current-only records rewritten in place (unidentified receipts, holds, disbursements, ...).
Status MeasureVolume(const fs::path& db_path, int64_t* bytes) {
  rocksdb::Options options;
  rocksdb::DB* raw = nullptr;
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::OpenForReadOnly(options, db_path.string(), &raw), "opening the batch database"));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  *bytes = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    *bytes += static_cast<int64_t>(it->key().size() + it->value().size());
  }
  return FromRocksDb(it->status(), "scanning the batch database");
}

// ---- (4) Raw RocksDB: the same byte volume in the same number of synced WriteBatches, one
// key-value pair per entry (16-byte keys, random-ish, values of the mean entry's size and of
// random-ish bytes so that compression gains nothing the ledger's data would not).
Status WriteRaw(const fs::path& dir, uint64_t seed, Figures* figures) {
  CASELEDGER_RETURN_IF_ERROR(MeasureVolume(dir / "batch-db", &figures->bytes));
  const int64_t entries = std::max<int64_t>(1, figures->entries);
  const int64_t batches = std::max<int64_t>(1, figures->batches);
  const int64_t value_bytes = std::max<int64_t>(1, figures->bytes / entries - 16);
  std::mt19937_64 random(seed);
  std::string noise(static_cast<size_t>(std::max<int64_t>(1 << 20, 2 * value_bytes)), '\0');
  for (char& c : noise) c = static_cast<char>(random());
  const uint64_t starts = noise.size() - static_cast<uint64_t>(value_bytes);
  rocksdb::Options options;  // the ledger's own: defaults, created if missing, paranoid checks
  options.create_if_missing = true;
  options.paranoid_checks = true;
  rocksdb::DB* raw = nullptr;
  CASELEDGER_RETURN_IF_ERROR(FromRocksDb(
      rocksdb::DB::Open(options, (dir / "raw-db").string(), &raw), "opening the raw database"));
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

// ---- (5) verify of the batch database.
Status VerifyBatch(const fs::path& db, Figures* figures) {
  const Clock::time_point start = Clock::now();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(db.string());
  if (!ledger.ok()) return ledger.status();
  Result<VerifyReport> report = (*ledger)->Verify([](uint64_t, uint64_t) {});
  if (!report.ok()) return report.status();
  figures->verify_us = MicrosSince(start);
  figures->verify_ok = report->ok;
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
  return ReconcileYear(ledger->get(), dir, figures);
}

// ---- Output.

// 1234567 -> "1,234,567".
std::string Grouped(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string FiguresJson(const Figures& f) {
  const int64_t apply = PerSecond(f.entries, f.apply_us), batch = PerSecond(f.entries, f.batch_us);
  const int64_t raw = PerSecond(f.entries, f.raw_us);
  json::Writer w;
  w.BeginObject()
      .Key("scale")
      .Raw(FormatScale(f.scale))
      .Key("seed")
      .Int(static_cast<int64_t>(f.seed));
  w.Key("cases").Int(f.cases).Key("entries").Int(f.entries);
  w.Key("bytes_per_entry").Int(f.bytes / std::max<int64_t>(1, f.entries));
  w.Key("batches").Int(f.batches).Key("generate_ms").Int(f.generate_us / 1000);
  w.Key("apply_ms").Int(f.apply_us / 1000).Key("apply_entries_per_s").Int(apply);
  w.Key("batch_ms").Int(f.batch_us / 1000).Key("batch_entries_per_s").Int(batch);
  w.Key("raw_rocksdb_ms").Int(f.raw_us / 1000).Key("raw_rocksdb_entries_per_s").Int(raw);
  w.Key("apply_vs_raw").Raw(Ratio(apply, raw)).Key("batch_vs_raw").Raw(Ratio(batch, raw));
  w.Key("verify_ms").Int(f.verify_us / 1000);
  w.Key("verify_entries_per_s")
      .Int(PerSecond(f.entries, f.verify_us))
      .Key("verify_ok")
      .Bool(f.verify_ok);
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

std::string FiguresText(const Figures& f, Lang lang) {
  const int64_t apply = PerSecond(f.entries, f.apply_us), batch = PerSecond(f.entries, f.batch_us);
  const int64_t raw = PerSecond(f.entries, f.raw_us);
  auto n = Grouped;
  TextTable table({L(lang, "项目", "figure"), L(lang, "数值", "value"), L(lang, "单位", "unit")},
                  {false, true, false});
  const std::string per_s = L(lang, "条/秒", "entries/s"), ms = L(lang, "毫秒", "ms");
  const std::string us = L(lang, "微秒", "µs");
  table.AddRow({L(lang, "规模", "scale"), FormatScale(f.scale), ""});
  table.AddRow({L(lang, "案件", "cases"), n(f.cases), ""});
  table.AddRow({L(lang, "条目", "entries"), n(f.entries),
                fmt::format("{} {}", n(f.bytes / std::max<int64_t>(1, f.entries)),
                            L(lang, "字节/条", "bytes each"))});
  table.AddRow({L(lang, "生成命令", "generate"), n(f.generate_us / 1000), ms});
  table.AddRow(
      {L(lang, "apply（子进程，同步写盘）", "apply (subprocess, synced)"), n(apply), per_s});
  table.AddRow(
      {L(lang, "批量接口（进程内，每组 1024 条）", "batch API (in-process, 1,024 a group)"),
       n(batch), per_s});
  table.AddRow(
      {L(lang, "原生 RocksDB（同等字节，同组数）", "raw RocksDB (same bytes, same groups)"), n(raw),
       per_s});
  table.AddRow({L(lang, "apply ÷ 原生", "apply ÷ raw"), Ratio(apply, raw), ""});
  table.AddRow({L(lang, "批量 ÷ 原生", "batch ÷ raw"), Ratio(batch, raw), ""});
  table.AddRow({L(lang, "校验（哈希链、过账、重放）", "verify (chain, postings, replay)"),
                n(PerSecond(f.entries, f.verify_us)), per_s});
  table.AddRow({L(lang, "查询案件 p50 / p99（当前）", "case p50 / p99 (now)"),
                fmt::format("{} / {}", n(f.case_p50_us), n(f.case_p99_us)), us});
  table.AddRow({L(lang, "查询案件 p50 / p99（2021-06-30）", "case p50 / p99 (2021-06-30)"),
                fmt::format("{} / {}", n(f.case_past_p50_us), n(f.case_past_p99_us)), us});
  table.AddRow(
      {L(lang, "指标报表（2021 年）", "indicators report (2021)"), n(f.indicators_us / 1000), ms});
  table.AddRow({L(lang, "超期报表（2021-12-31）", "overdue report (2021-12-31)"),
                n(f.overdue_us / 1000), ms});
  table.AddRow({L(lang, "对账（全年流水，按月）", "reconcile (the year, by month)"),
                n(f.reconcile_us / 1000), ms});
  table.AddRow(
      {L(lang, "对账结果", "reconciliation"),
       fmt::format("{} {} / {}",
                   f.reconcile_agree ? L(lang, "相符", "agree") : L(lang, "不符", "DISAGREE"),
                   n(f.reconcile_matched), n(f.statement_lines)),
       L(lang, "行已匹配", "lines matched")});
  table.AddRow({L(lang, "峰值内存（本进程 / apply）", "peak RSS (bench / apply)"),
                fmt::format("{} / {}", n(f.peak_rss_kb / 1024), n(f.apply_peak_rss_kb / 1024)),
                "MB"});
  table.AddRow({L(lang, "被拒命令", "rejected commands"), n(f.rejected()), ""});
  return table.Render();
}

// --phases: which of the five to run. The raw writes copy the batch phase's groups, so they need
// it; verify and the reads use whichever database was written.
struct Phases {
  bool apply = false, batch = false, raw = false, verify = false, read = false;
};

Result<Phases> ParsePhases(const std::string& text) {
  Phases phases;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    if (name == "apply")
      phases.apply = true;
    else if (name == "batch")
      phases.batch = true;
    else if (name == "raw")
      phases.raw = true;
    else if (name == "verify")
      phases.verify = true;
    else if (name == "read")
      phases.read = true;
    else
      return Status::InvalidArgument(fmt::format(
          "--phases: unknown phase '{}' (choose from apply,batch,raw,verify,read)", name));
    start = comma + 1;
  }
  if (phases.raw && !phases.batch) {
    return Status::InvalidArgument("--phases: raw copies the batch phase's groups; add batch");
  }
  if ((phases.verify || phases.read) && !phases.apply && !phases.batch) {
    return Status::InvalidArgument(
        "--phases: verify and read need apply or batch to write a ledger");
  }
  return phases;
}

}  // namespace

int RunBench(const Globals& globals, const BenchOptions& options) {
  Result<int64_t> scale = ParseScale(options.scale, "--scale");
  if (!scale.ok()) return Usage(scale.status().message());
  Result<Phases> phases = ParsePhases(options.phases);
  if (!phases.ok()) return Usage(phases.status().message());
  Result<BenchDir> dir = PrepareDir(options.dir);
  if (!dir.ok()) {
    if (dir.status().code() == Code::kInvalidArgument) return Usage(dir.status().message());
    return ReportError(dir.status(), globals.json);
  }
  const WorkloadOptions workload{options.seed, *scale};
  Figures figures;
  figures.scale = *scale;
  figures.seed = options.seed;
  const fs::path& path = dir->path;
  Say("in {}: generating the workload (scale {}, seed {})", path.string(), FormatScale(*scale),
      options.seed);
  Status status = Generate(workload, path, &figures);
  if (status.ok()) {
    Say("{} cases, {} entries, {} statement lines in {} ms", figures.cases, figures.entries,
        figures.statement_lines, figures.generate_us / 1000);
  }
  if (status.ok() && phases->apply) {
    Say("apply (subprocess)...");
    status = ApplyInSubprocess(path, &figures);
    if (status.ok()) {
      Say("apply: {} ms, {} rejected", figures.apply_us / 1000, figures.apply_rejected);
    }
  }
  if (status.ok() && phases->batch) {
    Say("the batch API (Ledger::Stage, Commit)...");
    status = IngestBatch(path, &figures);
    if (status.ok()) {
      Say("batch: {} ms in {} groups, {} rejected", figures.batch_us / 1000, figures.batches,
          figures.batch_rejected);
    }
  }
  if (status.ok() && phases->raw) {
    Say("raw RocksDB...");
    status = WriteRaw(path, options.seed, &figures);
    if (status.ok()) Say("raw RocksDB: {} bytes in {} ms", figures.bytes, figures.raw_us / 1000);
  }
  const fs::path db = path / (phases->batch ? "batch-db" : "apply-db");
  if (status.ok() && phases->verify) {
    Say("verify ({})...", db.filename().string());
    status = VerifyBatch(db, &figures);
    if (status.ok()) Say("verify: {} ms", figures.verify_us / 1000);
  }
  if (status.ok() && phases->read) status = ReadPhases(path, db, workload, &figures);
  figures.peak_rss_kb = PeakRssKb();
  if (!options.keep) RemoveDir(*dir);
  if (!status.ok()) return ReportError(status, globals.json);
  Out(globals.json ? FiguresJson(figures) : FiguresText(figures, globals.language()));
  const bool failed =
      figures.rejected() > 0 || (phases->verify && !figures.verify_ok) || !figures.reconcile_agree;
  return failed ? kExitRejected : kExitOk;
}

}  // namespace caseledger::cli
