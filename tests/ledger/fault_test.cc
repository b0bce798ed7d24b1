// Proves that the ledger survives faults below RocksDB (SPEC §6.9, issue 9): a failed fsync
// or a full disk acknowledges nothing and leaves a ledger that reopens and verifies, a power cut
// at any writing operation reopens to a committed prefix, a failed read is an error and never
// a figure, and a damaged table or log file is reported as corruption (exit 3), never read as
// different balances.
#include <gtest/gtest.h>
#include <rocksdb/env.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ledger/ledger.h"
#include "tests/cli/cli_util.h"
#include "tests/ledger/fault_fs.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

namespace fs = std::filesystem;
using testutil::CutKeeps;
using testutil::FaultFs;
using testutil::Line;
using testutil::OpenCaseBody;
using testutil::ReceiptBody;

constexpr int64_t kRecordedAtUs = 1717200000000000;  // every entry's recorded_at: same bytes
constexpr char kAccount[] = "6222000011112222";      // the creditor's account in OpenCaseBody
constexpr char kCreditor[] = "张三";

std::string CaseNo(int n) { return "(2024)甘0102执" + std::to_string(n) + "号"; }

// Power cut iterations: CASELEDGER_FAULT_ITERATIONS, else 25 (about 10 s on a busy 2-core
// machine; each costs a few ledger opens and a verify).
int Iterations() {
  const char* text = std::getenv("CASELEDGER_FAULT_ITERATIONS");
  const int iterations = text == nullptr ? 25 : std::atoi(text);
  return iterations > 0 ? iterations : 25;
}

// Groups of command lines, each committed as one batch: three cases opened, then receipts.
using Groups = std::vector<std::vector<std::string>>;
Groups Workload(int groups) {
  Groups workload = {{Line("open-1", "2024-03-01", "open_case", OpenCaseBody(CaseNo(1), "90000")),
                      Line("open-2", "2024-03-01", "open_case", OpenCaseBody(CaseNo(2), "5000"))},
                     {Line("open-3", "2024-03-01", "open_case", OpenCaseBody(CaseNo(3), "0"))}};
  for (int g = 2; g < groups; ++g) {
    std::vector<std::string> group;
    for (int k = 0; k <= g % 3; ++k) {
      const std::string id = std::to_string(g) + "-" + std::to_string(k);
      group.push_back(
          Line("rcpt-" + id, "2024-03-02", "receipt",
               ReceiptBody(CaseNo(1 + (g + k) % 3),
                           std::to_string(100 + g) + ".0" + std::to_string(k), "B-" + id)));
    }
    workload.push_back(std::move(group));
  }
  return workload;
}

// The request ids of the workload in log order.
std::vector<std::string> RequestIds(const Groups& groups) {
  std::vector<std::string> ids;
  for (const auto& group : groups) {
    for (const auto& line : group) ids.push_back(ParseCommandLine(line).command.request_id());
  }
  return ids;
}

class FaultTest : public testutil::LedgerDirTest {
 protected:
  static void TearDownTestSuite() {
    std::printf("[ FaultTest ] %llu faults injected in the suite\n",
                static_cast<unsigned long long>(suite_faults_));
  }

  void SetUp() override {
    LedgerDirTest::SetUp();
    // The fault file system decides what is durable, so the real fsyncs only cost time: on
    // tmpfs, when there is one, they cost nothing. (LedgerDirTest removes root_ at the end.)
    if (fs::is_directory("/dev/shm")) {
      const fs::path shm = fs::path("/dev/shm") / root_.filename();
      std::error_code error;
      fs::remove_all(root_, error);
      ASSERT_TRUE(fs::create_directories(shm, error)) << error.message();
      root_ = shm;
    }
    fault_fs_ = std::make_shared<FaultFs>();
    fault_env_ = rocksdb::NewCompositeEnv(fault_fs_);
  }
  void TearDown() override {
    const uint64_t faults = fault_fs_->faults() + flipped_;
    suite_faults_ += faults;
    std::printf("[ FaultTest ] %s: %llu faults injected\n",
                ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                static_cast<unsigned long long>(faults));
    LedgerDirTest::TearDown();
  }

  static OpenOptions Healthy() {
    OpenOptions open;
    open.clock = [] { return kRecordedAtUs; };
    return open;
  }
  OpenOptions Faulty() const {
    OpenOptions open = Healthy();
    open.env = fault_env_.get();
    return open;
  }
  static std::unique_ptr<Ledger> OpenWith(const std::string& directory, const OpenOptions& open) {
    Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForWrite(directory, open);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  static void StageAll(Ledger* ledger, const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
      const CommandResult result = ledger->Stage(ParseCommandLine(line));
      EXPECT_TRUE(result.status.ok()) << result.status.ToString() << "\n" << line;
      EXPECT_TRUE(result.created) << line;
    }
  }
  static void ExpectVerifies(Ledger* ledger) {
    Result<VerifyReport> report = ledger->Verify([](uint64_t, uint64_t) {});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok) << report->problem;
    EXPECT_EQ(report->entries, ledger->head_seq());
  }
  // Stages `lines` again: the seq of each command found in the ledger, 0 for those it created.
  static std::vector<uint64_t> Replay(Ledger* ledger, const std::vector<std::string>& lines) {
    std::vector<uint64_t> found;
    for (const auto& line : lines) {
      const CommandResult result = ledger->Stage(ParseCommandLine(line));
      EXPECT_TRUE(result.status.ok()) << result.status.ToString() << "\n" << line;
      found.push_back(result.created ? 0 : result.seq);
    }
    return found;
  }

  std::shared_ptr<FaultFs> fault_fs_;
  std::unique_ptr<rocksdb::Env> fault_env_;
  uint64_t flipped_ = 0;  // bytes damaged on disk by the CLI tests
  static inline uint64_t suite_faults_ = 0;
};

// A failed fsync of the log: Commit fails, the group is not visible, and after a reopen the
// group is wholly there or wholly absent (absent when the power was cut too).
TEST_F(FaultTest, FailedSyncNeverAcknowledgesTheGroup) {
  const std::vector<std::string> failed = {
      Line("rcpt-a", "2024-03-02", "receipt", ReceiptBody(CaseNo(1), "700.00", "B-a")),
      Line("open-3", "2024-03-02", "open_case", OpenCaseBody(CaseNo(3), "100")),
      Line("rcpt-b", "2024-03-02", "receipt", ReceiptBody(CaseNo(3), "50.00", "B-b"))};
  // The power cut first: its LoseUnsyncedData must not touch the other ledger after its reopen.
  for (const bool power_cut : {true, false}) {
    SCOPED_TRACE(power_cut ? "with a power cut" : "without a power cut");
    const std::string directory = Dir(power_cut ? "cut" : "kept");
    const Groups first = Workload(1);
    {
      std::unique_ptr<Ledger> ledger = OpenWith(directory, Faulty());
      ASSERT_NE(ledger, nullptr);
      StageAll(ledger.get(), first[0]);
      ASSERT_TRUE(ledger->Commit().ok());
      fault_fs_->FailWalSyncs(true);
      StageAll(ledger.get(), failed);
      const Status committed = ledger->Commit();
      ASSERT_FALSE(committed.ok()) << "a batch whose fsync failed was acknowledged";
      EXPECT_EQ(committed.code(), Code::kIoError) << committed.ToString();
      EXPECT_EQ(ledger->head_seq(), 2u);
      EXPECT_EQ(ledger->GetCase(CaseNo(3), {}).status().code(), Code::kUnknownCase);
    }
    std::mt19937_64 random(7);
    if (power_cut) {
      ASSERT_TRUE(fault_fs_->LoseUnsyncedData(CutKeeps::kNothing, &random).ok());
    }
    fault_fs_->FailWalSyncs(false);

    std::unique_ptr<Ledger> ledger = OpenWith(directory, Healthy());
    ASSERT_NE(ledger, nullptr);
    ExpectVerifies(ledger.get());
    const std::vector<uint64_t> found = Replay(ledger.get(), failed);
    const bool present = found[0] != 0;
    std::printf("[ FaultTest ] failed-sync group after reopen %s: %s\n",
                power_cut ? "with a power cut" : "without one", present ? "present" : "absent");
    EXPECT_EQ(ledger->head_seq(), present ? 5u : 2u);
    for (size_t i = 0; i < found.size(); ++i) {
      EXPECT_EQ(found[i], present ? 3 + i : 0) << "command " << i << " of the failed group";
    }
    if (power_cut) {
      EXPECT_FALSE(present) << "never synced, yet survived a power cut";
    }
    ASSERT_TRUE(ledger->Commit().ok());
    EXPECT_EQ(ledger->head_seq(), 5u);
    ExpectVerifies(ledger.get());
  }
}

// Pipelined groups (Ledger::Seal, Land): a group is decided on top of a sealed one still being
// written. Workload(1) opens cases 1 and 2 (entries 1, 2); sealed group A opens case 3 (entry
// 3); group B, staged while A is in flight, records 50.00 into case 3 (entry 4), which exists
// only in A. Both land, in order, and survive a reopen: case 3 holds 50.00.
TEST_F(FaultTest, AGroupStagedOnASealedOneLandsAfterIt) {
  const std::string directory = Dir("pipelined");
  {
    std::unique_ptr<Ledger> ledger = OpenWith(directory, Healthy());
    ASSERT_NE(ledger, nullptr);
    StageAll(ledger.get(), Workload(1)[0]);
    ASSERT_TRUE(ledger->Commit().ok());
    StageAll(ledger.get(),
             {Line("open-3", "2024-03-02", "open_case", OpenCaseBody(CaseNo(3), "100"))});
    ASSERT_TRUE(ledger->Seal().ok());
    StageAll(ledger.get(),
             {Line("rcpt-b", "2024-03-02", "receipt", ReceiptBody(CaseNo(3), "50.00", "B-b"))});
    ASSERT_TRUE(ledger->Seal().ok());  // lands A first
    EXPECT_EQ(ledger->head_seq(), 3u);
    ASSERT_TRUE(ledger->Land().ok());
    EXPECT_EQ(ledger->head_seq(), 4u);
  }
  std::unique_ptr<Ledger> ledger = OpenWith(directory, Healthy());
  ASSERT_NE(ledger, nullptr);
  ExpectVerifies(ledger.get());
  Result<pb::CaseRecord> c = ledger->GetCase(CaseNo(3), {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->received_fen(), 5000);
}

// A sealed group whose fsync fails is not acknowledged, and the group staged on it (decided on
// its state) is dropped with it: Land fails, the head stays at 2, nothing of either is read
// back, and the same commands apply afresh once the disk is healthy (entries 3 and 4).
TEST_F(FaultTest, AFailedSealedGroupDropsTheGroupStagedOnIt) {
  const std::string directory = Dir("pipelined-failed");
  const std::vector<std::string> a = {
      Line("open-3", "2024-03-02", "open_case", OpenCaseBody(CaseNo(3), "100"))};
  const std::vector<std::string> b = {
      Line("rcpt-b", "2024-03-02", "receipt", ReceiptBody(CaseNo(3), "50.00", "B-b"))};
  {
    std::unique_ptr<Ledger> ledger = OpenWith(directory, Faulty());
    ASSERT_NE(ledger, nullptr);
    StageAll(ledger.get(), Workload(1)[0]);
    ASSERT_TRUE(ledger->Commit().ok());
    fault_fs_->FailWalSyncs(true);
    StageAll(ledger.get(), a);
    ASSERT_TRUE(ledger->Seal().ok());
    StageAll(ledger.get(), b);
    const Status landed = ledger->Land();
    ASSERT_FALSE(landed.ok()) << "a sealed group whose fsync failed was acknowledged";
    EXPECT_EQ(landed.code(), Code::kIoError) << landed.ToString();
    EXPECT_EQ(ledger->head_seq(), 2u);
    EXPECT_EQ(ledger->staged_entries(), 0u) << "the group staged on the failed one survived";
    EXPECT_EQ(ledger->GetCase(CaseNo(3), {}).status().code(), Code::kUnknownCase);
  }
  std::mt19937_64 random(11);
  ASSERT_TRUE(fault_fs_->LoseUnsyncedData(CutKeeps::kNothing, &random).ok());
  fault_fs_->FailWalSyncs(false);
  std::unique_ptr<Ledger> ledger = OpenWith(directory, Healthy());
  ASSERT_NE(ledger, nullptr);
  ExpectVerifies(ledger.get());
  EXPECT_EQ(ledger->head_seq(), 2u);
  EXPECT_EQ(Replay(ledger.get(), a), std::vector<uint64_t>{0});  // created afresh
  EXPECT_EQ(Replay(ledger.get(), b), std::vector<uint64_t>{0});
  ASSERT_TRUE(ledger->Commit().ok());
  EXPECT_EQ(ledger->head_seq(), 4u);
  ExpectVerifies(ledger.get());
}

// Runs `groups` through a ledger on the fault file system, reopening it before the groups in
// `reopen_before` (each reopen flushes the log into a table file), until a Commit or an open
// fails (the power is off: the process is dead).
struct WorkloadRun {
  uint64_t acknowledged = 0;  // entries of the groups whose Commit succeeded
  uint64_t attempted = 0;     // those plus the group whose Commit failed
};
WorkloadRun RunUntilFailure(const std::string& directory, const OpenOptions& open,
                            const Groups& groups, const std::vector<size_t>& reopen_before) {
  WorkloadRun run;
  std::unique_ptr<Ledger> ledger;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (ledger == nullptr || std::count(reopen_before.begin(), reopen_before.end(), g) > 0) {
      ledger.reset();
      Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForWrite(directory, open);
      if (!opened.ok()) return run;
      ledger = std::move(opened).value();
    }
    for (const auto& line : groups[g]) {
      const CommandResult result = ledger->Stage(ParseCommandLine(line));
      EXPECT_TRUE(result.status.ok() && result.created) << result.status.ToString();
    }
    run.attempted += groups[g].size();
    if (!ledger->Commit().ok()) return run;
    run.acknowledged += groups[g].size();
  }
  return run;
}

// A power cut at a random writing operation (seeded; CASELEDGER_FAULT_ITERATIONS times), the
// unsynced data dropped (all of it, or a random prefix kept): the ledger opens, verifies, and
// holds exactly the first k groups, k at least the acknowledged ones, at most those written.
TEST_F(FaultTest, PowerCutReopensToACommittedPrefix) {
  const Groups groups = Workload(12);
  const std::vector<size_t> reopen_before = {4, 8};
  const std::vector<std::string> ids = RequestIds(groups);
  std::vector<uint64_t> boundaries = {0};
  for (const auto& group : groups) boundaries.push_back(boundaries.back() + group.size());

  // A run without a cut counts the writing operations: the range of the cut points.
  const uint64_t before = fault_fs_->writes();
  const WorkloadRun whole = RunUntilFailure(Dir("whole"), Faulty(), groups, reopen_before);
  ASSERT_EQ(whole.acknowledged, ids.size());
  const uint64_t operations = fault_fs_->writes() - before;
  ASSERT_GT(operations, 0u);

  const int iterations = Iterations();
  std::mt19937_64 random(20240301);
  uint64_t cuts_in_commits = 0;
  for (int i = 0; i < iterations; ++i) {
    const uint64_t cut_at = random() % (operations + 1);
    const CutKeeps keeps = i % 2 == 0 ? CutKeeps::kNothing : CutKeeps::kRandomPrefix;
    SCOPED_TRACE("iteration " + std::to_string(i) + ": cut at writing operation " +
                 std::to_string(cut_at) + " of " + std::to_string(operations) +
                 (keeps == CutKeeps::kNothing ? ", unsynced data lost" : ", a prefix kept"));
    const std::string directory = Dir("cut-" + std::to_string(i));
    fault_fs_->CutPowerAfter(cut_at);
    const WorkloadRun run = RunUntilFailure(directory, Faulty(), groups, reopen_before);
    if (run.attempted > run.acknowledged) ++cuts_in_commits;
    const rocksdb::IOStatus lost = fault_fs_->LoseUnsyncedData(keeps, &random);
    ASSERT_TRUE(lost.ok()) << lost.ToString();

    std::unique_ptr<Ledger> ledger = OpenWith(directory, Healthy());
    ASSERT_NE(ledger, nullptr);
    const uint64_t head = ledger->head_seq();
    EXPECT_GE(head, run.acknowledged) << "an acknowledged group was lost";
    EXPECT_LE(head, run.attempted) << "more entries than were written";
    EXPECT_TRUE(std::count(boundaries.begin(), boundaries.end(), head) > 0)
        << "head " << head << " splits a group";
    ExpectVerifies(ledger.get());
    for (uint64_t seq = 1; seq <= head; ++seq) {
      Result<StoredEntry> stored = ledger->GetEntry(seq);
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
      EXPECT_EQ(stored->entry.command().request_id(), ids[seq - 1]) << "seq " << seq;
    }
    // Replaying everything converges: created exactly for the entries after the head.
    std::vector<std::string> all;
    for (const auto& group : groups) all.insert(all.end(), group.begin(), group.end());
    const std::vector<uint64_t> found = Replay(ledger.get(), all);
    for (uint64_t k = 0; k < found.size(); ++k) {
      EXPECT_EQ(found[k], k < head ? k + 1 : 0) << ids[k];
    }
    ASSERT_TRUE(ledger->Commit().ok());
    EXPECT_EQ(ledger->head_seq(), ids.size());
    if (::testing::Test::HasFailure()) break;
  }
  std::printf("[ FaultTest ] %d power cuts over %llu writing operations, %llu during a commit\n",
              iterations, static_cast<unsigned long long>(operations),
              static_cast<unsigned long long>(cuts_in_commits));
}

// A full disk: Commit is IO_ERROR saying so, without personal data, nothing of the group is
// visible; once there is space again, closing and reopening gives a usable ledger (what
// caseledger guarantees: `apply` stops at the failed group, the next run reopens).
TEST_F(FaultTest, DiskFullIsAnIoErrorAndTheLedgerReopensOnceSpaceReturns) {
  const std::string directory = Dir();
  const Groups groups = Workload(4);
  {
    std::unique_ptr<Ledger> ledger = OpenWith(directory, Faulty());
    ASSERT_NE(ledger, nullptr);
    StageAll(ledger.get(), groups[0]);
    ASSERT_TRUE(ledger->Commit().ok());
    fault_fs_->FillDisk(true);
    StageAll(ledger.get(), groups[1]);
    StageAll(ledger.get(), groups[2]);
    const Status committed = ledger->Commit();
    ASSERT_FALSE(committed.ok()) << "a group was acknowledged on a full disk";
    EXPECT_EQ(committed.code(), Code::kIoError) << committed.ToString();
    EXPECT_NE(committed.message().find("No space left on device"), std::string::npos)
        << committed.message();
    EXPECT_EQ(committed.message().find(kAccount), std::string::npos) << committed.message();
    EXPECT_EQ(committed.message().find(kCreditor), std::string::npos) << committed.message();
    EXPECT_EQ(ledger->head_seq(), 2u);
    EXPECT_EQ(ledger->GetCase(CaseNo(3), {}).status().code(), Code::kUnknownCase);
    // Still full: the next group fails the same way.
    StageAll(ledger.get(), groups[1]);
    const Status again = ledger->Commit();
    EXPECT_EQ(again.code(), Code::kIoError) << again.ToString();
    fault_fs_->FillDisk(false);
  }
  std::unique_ptr<Ledger> ledger = OpenWith(directory, Faulty());
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->head_seq(), 2u);
  ExpectVerifies(ledger.get());
  const std::vector<std::string> rest = {groups[1][0], groups[2][0]};
  EXPECT_EQ(Replay(ledger.get(), rest), (std::vector<uint64_t>{0, 0}))
      << "part of the failed group is in the ledger";
  StageAll(ledger.get(), {groups[3][0]});
  ASSERT_TRUE(ledger->Commit().ok());
  EXPECT_EQ(ledger->head_seq(), 5u);
  ExpectVerifies(ledger.get());
}

// Reads of table files fail: every read is an I/O error or the true figure, never another;
// once reads work again the same ledger reads the true figures.
TEST_F(FaultTest, FailedReadIsAnErrorNeverAFigure) {
  const std::string directory = Dir();
  const Groups groups = Workload(9);
  ASSERT_EQ(RunUntilFailure(directory, Faulty(), groups, {3, 6}).acknowledged,
            RequestIds(groups).size());
  { ASSERT_NE(OpenWith(directory, Faulty()), nullptr); }  // the last groups into a table too
  std::vector<std::string> truth;
  pb::GlobalRecord global;
  {
    Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(directory, Faulty());
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    for (int n = 1; n <= 3; ++n) {
      Result<pb::CaseRecord> record = (*ledger)->GetCase(CaseNo(n), {});
      ASSERT_TRUE(record.ok()) << record.status().ToString();
      truth.push_back(record->SerializeAsString());
    }
    Result<pb::GlobalRecord> read = (*ledger)->GetGlobal({});
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    global = *read;
  }
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(directory, Faulty());
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  fault_fs_->FailSstReads(true);
  int errors = 0;
  auto check = [&errors](const Status& status) {
    if (status.ok()) return true;
    EXPECT_EQ(status.code(), Code::kIoError) << status.ToString();
    ++errors;
    return false;
  };
  for (int n = 1; n <= 3; ++n) {
    Result<pb::CaseRecord> record = (*ledger)->GetCase(CaseNo(n), {});
    if (check(record.status())) {
      EXPECT_EQ(record->SerializeAsString(), truth[n - 1]);
    }
  }
  Result<pb::GlobalRecord> read = (*ledger)->GetGlobal({});
  if (check(read.status())) {
    EXPECT_EQ(read->SerializeAsString(), global.SerializeAsString());
  }
  Result<VerifyReport> report = (*ledger)->Verify([](uint64_t, uint64_t) {});
  if (check(report.status())) {
    EXPECT_TRUE(report->ok) << report->problem;
  }
  EXPECT_GT(errors, 0) << "no read met the fault";
  fault_fs_->FailSstReads(false);
  for (int n = 1; n <= 3; ++n) {
    Result<pb::CaseRecord> record = (*ledger)->GetCase(CaseNo(n), {});
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    EXPECT_EQ(record->SerializeAsString(), truth[n - 1]);
  }
}

// ---- Damage on disk, seen through the binary (CASELEDGER_BINARY).

// Runs the binary in `work` with a fixed today and recorded_at, and no other CASELEDGER_ setting.
cli_test::CliRun RunBinary(const fs::path& work, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CASELEDGER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!std::string(*e).starts_with("CASELEDGER_")) env.push_back(*e);
  }
  env.push_back(std::string("CASELEDGER_TODAY=") + testutil::kToday);
  env.push_back("CASELEDGER_RECORDED_AT_US=" + std::to_string(kRecordedAtUs));
  return cli_test::RunProgram(argv, env, work);
}

// The largest file of `directory` whose name ends with `suffix`.
fs::path LargestFile(const fs::path& directory, const std::string& suffix) {
  fs::path largest;
  uintmax_t size = 0;
  for (const auto& file : fs::directory_iterator(directory)) {
    const std::string name = file.path().filename().string();
    if (name.ends_with(suffix) && file.file_size() > size) {
      largest = file.path();
      size = file.file_size();
    }
  }
  return largest;
}

// Inverts `count` bytes of `file` from `offset`.
void FlipBytes(const fs::path& file, uintmax_t offset, size_t count) {
  std::string bytes = cli_test::ReadFile(file);
  ASSERT_LE(offset + count, bytes.size());
  for (size_t i = 0; i < count; ++i) bytes[offset + i] = static_cast<char>(~bytes[offset + i]);
  cli_test::WriteFile(file, bytes);
}

// What the reading commands print of a ledger: verify, balance and every case, as JSON.
std::vector<std::vector<std::string>> Readings(const std::string& directory) {
  std::vector<std::vector<std::string>> readings = {{"--db", directory, "--json", "verify"},
                                                    {"--db", directory, "--json", "balance"}};
  for (int n = 1; n <= 3; ++n) readings.push_back({"--db", directory, "--json", "case", CaseNo(n)});
  return readings;
}

// What the reading commands print of the undamaged ledger.
std::vector<cli_test::CliRun> Truths(const fs::path& work, const fs::path& pristine) {
  std::vector<cli_test::CliRun> truths;
  for (const auto& args : Readings(pristine.string())) {
    truths.push_back(RunBinary(work, args));
    EXPECT_EQ(truths.back().exit_code, 0) << truths.back().out << truths.back().err;
  }
  return truths;
}

// Damages a copy of `pristine` (`count` bytes of its largest `suffix` file, at `fraction` of
// its size) and checks every reading: verify names the damage with exit 3; the others name
// it with exit 3, or print exactly what they print of the undamaged ledger.
void ExpectDamageReported(const fs::path& work, const fs::path& pristine,
                          const std::vector<cli_test::CliRun>& truths, const std::string& suffix,
                          double fraction, size_t count) {
  const fs::path damaged = work / ("damaged-" + std::to_string(static_cast<int>(fraction * 100)));
  fs::copy(pristine, damaged, fs::copy_options::recursive);
  const fs::path file = LargestFile(damaged, suffix);
  ASSERT_FALSE(file.empty()) << "no " << suffix << " file in " << damaged;
  const uintmax_t offset =
      static_cast<uintmax_t>(static_cast<double>(fs::file_size(file)) * fraction);
  FlipBytes(file, offset, count);
  SCOPED_TRACE(file.filename().string() + ": " + std::to_string(count) + " bytes inverted at " +
               std::to_string(offset) + " of " + std::to_string(fs::file_size(file)));
  const auto readings = Readings(damaged.string());
  for (size_t i = 0; i < readings.size(); ++i) {
    const cli_test::CliRun run = RunBinary(work, readings[i]);
    const std::string what = readings[i][3] + " -> exit " + std::to_string(run.exit_code) +
                             "\nstdout: " + run.out.substr(0, 600) +
                             "\nstderr: " + run.err.substr(0, 600);
    std::printf("[ FaultTest ] %s %.0f%%: %s exit %d\n", suffix.c_str(), fraction * 100,
                readings[i][3].c_str(), run.exit_code);
    if (i == 0 || run.exit_code != 0) {
      EXPECT_EQ(run.exit_code, 3) << what;
      const json::Value result = cli_test::ParseJson(run.out);
      EXPECT_FALSE(cli_test::IsOk(result)) << what;
      const json::Value* problem = result.Find("problem");
      const bool named = cli_test::ErrorCode(result) == "CORRUPTION" ||
                         (problem != nullptr && !problem->is_null());
      EXPECT_TRUE(named) << "the damage is not named: " << what;
    } else {
      EXPECT_TRUE(run.out == truths[i].out)
          << "damaged data read as other figures: " << readings[i][3]
          << "\nundamaged: " << truths[i].out.substr(0, 600)
          << "\ndamaged:   " << run.out.substr(0, 600);
    }
  }
}

// A damaged data block of a table file: exit 3 from verify, never other balances.
TEST_F(FaultTest, DamagedTableIsCorruptionNeverOtherBalances) {
  const fs::path pristine = root_ / "pristine";
  ASSERT_EQ(RunUntilFailure(pristine.string(), Healthy(), Workload(12), {}).acknowledged,
            RequestIds(Workload(12)).size());
  { ASSERT_NE(OpenWith(pristine.string(), Healthy()), nullptr); }  // the log into a table file
  ASSERT_FALSE(LargestFile(pristine, ".sst").empty());
  const std::vector<cli_test::CliRun> truths = Truths(root_, pristine);
  for (const double fraction : {0.2, 0.4, 0.5, 0.6}) {
    ExpectDamageReported(root_, pristine, truths, ".sst", fraction, 8);
    flipped_ += 8;
  }
}

// A damaged record in the middle of the write-ahead log, or in its last record (an
// acknowledged group): exit 3 from verify and from opening, never a shorter ledger.
TEST_F(FaultTest, DamagedLogRecordIsCorruptionNeverOtherBalances) {
  const fs::path pristine = root_ / "pristine";
  {
    // A ledger that crashed after its last commit: a clean close would flush the log away.
    std::unique_ptr<Ledger> ledger = OpenWith(pristine.string(), Faulty());
    ASSERT_NE(ledger, nullptr);
    for (const auto& group : Workload(12)) {
      StageAll(ledger.get(), group);
      ASSERT_TRUE(ledger->Commit().ok());
    }
    fault_fs_->CutPowerAfter(0);
  }
  std::mt19937_64 random(1);
  ASSERT_TRUE(fault_fs_->LoseUnsyncedData(CutKeeps::kNothing, &random).ok());
  ASSERT_TRUE(LargestFile(pristine, ".sst").empty()) << "the log was flushed: nothing to damage";
  ASSERT_FALSE(LargestFile(pristine, ".log").empty());
  const std::vector<cli_test::CliRun> truths = Truths(root_, pristine);
  for (const double fraction : {0.5, 0.98}) {
    ExpectDamageReported(root_, pristine, truths, ".log", fraction, 4);
    flipped_ += 4;
  }
}

}  // namespace
}  // namespace caseledger
