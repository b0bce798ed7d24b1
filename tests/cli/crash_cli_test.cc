// Proves that `caseledger apply` killed with SIGKILL at any moment (before any output, while
// printing a group's results, while staging or syncing the next group) loses nothing it printed
// and records nothing by halves: after every kill the ledger verifies, is exactly a prefix of the
// ledger of an uninterrupted run (the same entry hash and tree head at its head), and holds every
// printed command at its printed seq; rerunning the whole file converges to the uninterrupted
// run's digest. CASELEDGER_CRASH_KILLS=N kills N times (default 50), CASELEDGER_CRASH_SEED=S
// draws another workload and schedule.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/workload.h"
#include "core/json.h"
#include "core/limits.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

namespace fs = std::filesystem;
using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Env;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;
using Clock = std::chrono::steady_clock;
using testing::AssertionFailure;
using testing::AssertionResult;
using testing::AssertionSuccess;

// ~6,000 lines: a run takes well under a second, so 50 kills and their checks fit in a minute.
constexpr int64_t kScaleMillionths = 4000;
constexpr uint64_t kSeedDefault = 20211231;
constexpr int64_t kKillsDefault = 50;
// A run that neither ends nor prints for this long is hung: the test fails instead of waiting.
constexpr int kHungMs = 120000;
// Both the clock and "today" fixed, so that two runs of the same file write the same bytes.
const Env kFixedClock = {{"CASELEDGER_RECORDED_AT_US", "1640966400000000"}};

// A non-negative integer from the environment, else `fallback` (a malformed one fails the test).
int64_t EnvNumber(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || errno != 0 || value < 0) {
    ADD_FAILURE() << name << " must be a non-negative integer, not " << text;
    return fallback;
  }
  return value;
}

// One printed result line of `apply`, the fields the checks need.
struct Printed {
  bool ok = false;
  std::string request_id;
  uint64_t seq = 0;
  bool created = false;
};

Printed ParsePrinted(const std::string& line) {
  const json::Value value = ParseJson(line);
  Printed printed;
  printed.ok = IsOk(value);
  printed.request_id = Str(value, "request_id");
  const json::Value* seq = value.Find("seq");
  if (seq != nullptr && seq->is_number()) printed.seq = std::stoull(seq->text);
  const json::Value* created = value.Find("created");
  printed.created = created != nullptr && created->is_bool() && created->boolean;
  return printed;
}

// What the ledger holds, read from `export --format jsonl`: index seq - 1.
struct LedgerView {
  std::vector<std::string> hashes;
  std::vector<std::string> request_ids;
};

// When to kill a run: once `after_lines` result lines were read (0: from the start), then
// after `delay_us` more. No plan: the run ends by itself.
struct KillPlan {
  int64_t after_lines = 0;
  int64_t delay_us = 0;
};

struct KilledRun {
  bool killed = false;  // false: the run ended by itself before the kill
  int exit_code = -1;
  std::vector<std::string> lines;  // every complete line printed before the end
};

// Moves the complete lines of `pending` to `lines`, keeping a partial last line.
void TakeLines(std::string* pending, std::vector<std::string>* lines) {
  size_t start = 0;
  for (size_t newline; (newline = pending->find('\n', start)) != std::string::npos;) {
    lines->emplace_back(*pending, start, newline - start);
    start = newline + 1;
  }
  pending->erase(0, start);
}

// Runs argv with `env` in `dir`, stdout through a pipe read as it comes, stdin empty, stderr to
// dir/stderr; kills it with SIGKILL as `plan` says. Lines the run wrote before dying are still
// in the pipe after the kill and count as printed: they are drained.
KilledRun RunAndKill(std::vector<std::string> argv_text, std::vector<std::string> env_text,
                     const fs::path& dir, const std::optional<KillPlan>& plan) {
  KilledRun run;
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return run;
  }
  const std::string err = (dir / "stderr").string();
  const pid_t pid = fork();
  if (pid == 0) {
    const int in_fd = open("/dev/null", O_RDONLY);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in_fd < 0 || err_fd < 0) _exit(126);
    dup2(in_fd, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    close(out[0]);
    return run;
  }
  std::optional<Clock::time_point> kill_at;
  if (plan && plan->after_lines == 0) {
    kill_at = Clock::now() + std::chrono::microseconds(plan->delay_us);
  }
  std::string pending;
  bool sent = false;
  while (true) {
    if (!sent) {
      auto wait = std::chrono::nanoseconds(std::chrono::milliseconds(kHungMs));
      if (kill_at) wait = std::max(*kill_at - Clock::now(), Clock::duration::zero());
      const timespec timeout{static_cast<time_t>(wait.count() / 1000000000),
                             static_cast<long>(wait.count() % 1000000000)};
      pollfd poll_fd{out[0], POLLIN, 0};
      const int ready = ppoll(&poll_fd, 1, &timeout, nullptr);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0 && kill_at && Clock::now() < *kill_at) continue;
      if (ready == 0) {
        if (!kill_at) ADD_FAILURE() << "apply printed nothing for " << kHungMs << " ms";
        kill(pid, SIGKILL);
        sent = true;  // from now on, drain what the run wrote before it died
        continue;
      }
    }
    char chunk[1 << 16];
    const ssize_t n = read(out[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // every writer is gone: the run ended, or was killed
    pending.append(chunk, static_cast<size_t>(n));
    TakeLines(&pending, &run.lines);
    if (plan && !kill_at && static_cast<int64_t>(run.lines.size()) >= plan->after_lines) {
      kill_at = Clock::now() + std::chrono::microseconds(plan->delay_us);
    }
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

// Seeded plans of three kinds, on a ledger holding the first `head` of `lines` commands: early
// (mostly before any output: opening RocksDB, replaying its log, staging the first group);
// anywhere in an uninterrupted run's length (often among the replays of recorded commands);
// and, half the time, after a result line past the head plus up to a group's time (printing a
// group, staging or syncing the next one), so that most kills land where new entries are written.
KillPlan DrawPlan(std::mt19937_64& random, int64_t run_us, int64_t lines, int64_t head) {
  const auto uniform = [&random](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random);
  };
  // `apply` commits a file in groups of kGroupCommandsMax commands: about this long each.
  const int64_t group_us =
      run_us * static_cast<int64_t>(kGroupCommandsMax) / std::max<int64_t>(lines, 1);
  switch (uniform(0, 3)) {
    case 0:
      return {0, uniform(0, std::min<int64_t>(run_us / 4, 40000))};
    case 1:
      return {0, uniform(0, run_us)};
    default:
      return {uniform(std::min(head + 1, lines), lines), uniform(0, group_us)};
  }
}

class CrashTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2021-12-31";  // the workload's year ends then
    seed_ = static_cast<uint64_t>(EnvNumber("CASELEDGER_CRASH_SEED", kSeedDefault));
    workload_ = dir_ / "workload.jsonl";
    std::ofstream out(workload_, std::ios::binary | std::ios::trunc);
    Workload workload({seed_, kScaleMillionths});
    for (std::string line; workload.Next(&line); ++workload_lines_) out << line << '\n';
    out.close();
    ASSERT_TRUE(out) << "writing " << workload_;
    ASSERT_GT(workload_lines_, 4 * kGroupCommandsMax);  // kills need groups to land between
  }

  CliRun Read(const fs::path& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db.string()});
    return Run(args, "", kFixedClock);
  }

  KilledRun Apply(const fs::path& db, const std::optional<KillPlan>& plan) {
    return RunAndKill({CASELEDGER_BINARY, "--db", db.string(), "apply", workload_.string()},
                      EnvFor(kFixedClock), dir_, plan);
  }

  LedgerView ReadLedger(const fs::path& db) {
    LedgerView view;
    const CliRun run = Read(db, {"export", "--format", "jsonl"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const std::string& line : run.Lines()) {
      const json::Value value = ParseJson(line);
      const json::Value* entry = value.Find("entry");
      const json::Value* command = entry == nullptr ? nullptr : entry->Find("command");
      view.hashes.push_back(Str(value, "hash"));
      view.request_ids.push_back(command == nullptr ? "<absent>" : Str(*command, "request_id"));
    }
    return view;
  }

  // The tree head of the reference's first `seq` entries.
  std::string ReferenceTreeHead(uint64_t seq) {
    auto [at, added] = reference_tree_heads_.try_emplace(seq);
    if (added) {
      const CliRun run = Read(reference_db_, {"digest", "--json", "--at-seq", std::to_string(seq)});
      EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
      at->second = Str(ParseJson(run.out), "hash");
    }
    return at->second;
  }

  // The uninterrupted run every other is measured against.
  void RunReference() {
    reference_db_ = dir_ / "reference";
    const Clock::time_point start = Clock::now();
    const KilledRun run = Apply(reference_db_, std::nullopt);
    reference_us_ =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    ASSERT_EQ(run.exit_code, 0) << cli_test::ReadFile(dir_ / "stderr");
    for (const std::string& line : run.lines) reference_.push_back(ParsePrinted(line));
    reference_ledger_ = ReadLedger(reference_db_);
    ASSERT_EQ(reference_.size(), workload_lines_);
    ASSERT_EQ(reference_ledger_.hashes.size(), reference_.size());  // every line accepted
    for (const Printed& printed : reference_) {
      ASSERT_TRUE(printed.ok && printed.created) << printed.request_id;
      ASSERT_TRUE(printed.seq >= 1 && printed.seq <= reference_.size()) << printed.request_id;
      ASSERT_EQ(reference_ledger_.request_ids[printed.seq - 1], printed.request_id);
    }
    const CliRun digest = Read(reference_db_, {"digest", "--json"});
    ASSERT_EQ(digest.exit_code, 0) << digest.err;
    reference_digest_ = ParseJson(digest.out);
  }

  // The printed lines of a run on a ledger whose head was `head_before`: line i is line i of
  // the reference (the same request at the same seq), created exactly when past that head.
  AssertionResult MatchesReference(const std::vector<std::string>& lines, uint64_t head_before) {
    if (lines.size() > reference_.size()) return AssertionFailure() << lines.size() << " lines";
    for (size_t i = 0; i < lines.size(); ++i) {
      const Printed printed = ParsePrinted(lines[i]);
      const Printed& expected = reference_[i];
      if (!printed.ok || printed.request_id != expected.request_id || printed.seq != expected.seq ||
          printed.created != (printed.seq > head_before)) {
        return AssertionFailure() << "result line " << i + 1 << ": " << lines[i]
                                  << "\nthe uninterrupted run printed seq " << expected.seq
                                  << " for " << expected.request_id << "; head before the run "
                                  << head_before;
      }
    }
    return AssertionSuccess();
  }

  // After a kill: verify passes; the head's entry hash (which chains every entry before it) and
  // tree head are the reference's at that seq, so the ledger is byte for byte a prefix of the
  // reference; every printed result's request is in the ledger at its printed seq. *head is the
  // ledger's head seq.
  AssertionResult CheckLedger(const fs::path& db, const std::vector<std::string>& lines,
                              uint64_t* head) {
    const CliRun verify = Read(db, {"verify", "--json"});
    const json::Value report = ParseJson(verify.out);
    if (verify.exit_code == 2 && cli_test::ErrorCode(report) == "NO_LEDGER" && lines.empty()) {
      *head = 0;  // killed before the ledger was created
      return AssertionSuccess();
    }
    if (verify.exit_code != 0 || !IsOk(report)) {
      return AssertionFailure() << "verify exit " << verify.exit_code << ": " << verify.out
                                << verify.err;
    }
    *head = std::stoull(Str(report, "head_seq"));
    if (*head > reference_ledger_.hashes.size()) return AssertionFailure() << "head " << *head;
    if (*head > 0 && Str(report, "head_hash") != reference_ledger_.hashes[*head - 1]) {
      return AssertionFailure() << "entry " << *head << " differs from the uninterrupted run's";
    }
    const json::Value* digest = report.Find("digest");
    if (*head > 0 && (digest == nullptr || Str(*digest, "hash") != ReferenceTreeHead(*head))) {
      return AssertionFailure() << "tree head at " << *head << " differs: " << verify.out;
    }
    // Entries 1..head being the reference's, and each printed line the reference's (the same
    // request at the same seq: MatchesReference), a printed command is in the ledger at its
    // seq exactly when that seq is at most the head.
    for (const std::string& line : lines) {
      if (ParsePrinted(line).seq > *head) {
        return AssertionFailure() << "printed but not in the ledger (head " << *head
                                  << "): " << line;
      }
    }
    return AssertionSuccess();
  }

  // After a run that ended by itself: exit 0, every command of the file answered as in the
  // reference, verify passes and the digest is the reference's.
  AssertionResult CheckConverged(const fs::path& db, const KilledRun& run) {
    if (run.exit_code != 0 || run.lines.size() != reference_.size()) {
      return AssertionFailure() << "exit " << run.exit_code << " after " << run.lines.size()
                                << " of " << reference_.size()
                                << " lines; stderr: " << cli_test::ReadFile(dir_ / "stderr");
    }
    const CliRun verify = Read(db, {"verify", "--json"});
    if (verify.exit_code != 0) return AssertionFailure() << "verify: " << verify.out << verify.err;
    const CliRun digest = Read(db, {"digest", "--json"});
    const json::Value head = ParseJson(digest.out);
    if (Str(head, "seq") != Str(reference_digest_, "seq") ||
        Str(head, "hash") != Str(reference_digest_, "hash")) {
      return AssertionFailure() << "digest " << digest.out << " differs from the uninterrupted "
                                << Str(reference_digest_, "seq") << ":"
                                << Str(reference_digest_, "hash");
    }
    return AssertionSuccess();
  }

  uint64_t seed_ = 0;
  fs::path workload_;
  size_t workload_lines_ = 0;
  fs::path reference_db_;
  int64_t reference_us_ = 0;
  std::vector<Printed> reference_;
  LedgerView reference_ledger_;
  json::Value reference_digest_;
  std::map<uint64_t, std::string> reference_tree_heads_;
};

// Rounds: each starts from an empty ledger and kills apply until a run ends by itself (then the
// ledger must have converged); the last round is finished without a kill. A round restarts
// from empty because once the file is all recorded, later kills would only hit replays.
TEST_F(CrashTest, KilledApplyLosesNothingPrintedAndConverges) {
  const int64_t kills_wanted = EnvNumber("CASELEDGER_CRASH_KILLS", kKillsDefault);
  RunReference();
  ASSERT_FALSE(HasFailure());
  std::mt19937_64 random(seed_);
  int64_t kills = 0, kills_after_output = 0, kills_adding_entries = 0, rounds = 0, runs = 0;
  fs::path db;
  uint64_t head = 0;
  bool in_round = false;
  while (kills < kills_wanted || in_round || rounds == 0) {
    if (!in_round) {
      db = dir_ / ("round-" + std::to_string(rounds));
      head = 0;
      in_round = true;
    }
    std::optional<KillPlan> plan;
    if (kills < kills_wanted) {
      plan = DrawPlan(random, reference_us_, static_cast<int64_t>(reference_.size()),
                      static_cast<int64_t>(head));
    }
    const KilledRun run = Apply(db, plan);
    ++runs;
    const std::string where = "seed " + std::to_string(seed_) + ", run " + std::to_string(runs) +
                              ", round " + std::to_string(rounds) + ", kill plan after line " +
                              std::to_string(plan ? plan->after_lines : -1) + " + " +
                              std::to_string(plan ? plan->delay_us : -1) + " us";
    ASSERT_TRUE(MatchesReference(run.lines, head)) << where;
    if (run.killed) {
      const uint64_t head_before = head;
      ASSERT_TRUE(CheckLedger(db, run.lines, &head)) << where;
      ASSERT_GE(head, head_before) << where;
      ++kills;
      kills_after_output += run.lines.empty() ? 0 : 1;
      kills_adding_entries += head > head_before ? 1 : 0;
      continue;
    }
    ASSERT_TRUE(CheckConverged(db, run)) << where;
    ++rounds;
    in_round = false;
    std::error_code ignored;
    fs::remove_all(db, ignored);
  }
  std::cout << "[ crash    ] seed " << seed_ << ": " << reference_.size() << " commands, " << kills
            << " kills survived (" << kills_after_output << " mid-run after some output, "
            << kills - kills_after_output << " before any, " << kills_adding_entries
            << " after new entries were committed), " << rounds << " rounds converged, " << runs
            << " runs; an uninterrupted run took " << reference_us_ / 1000 << " ms\n";
}

}  // namespace
}  // namespace caseledger
