// Proves the ledger's storage contract (SPEC §2, §5, §6): idempotency across restarts, the
// write lock, readers see committed prefixes, Abandon() drops a group, points in time, the
// SHA-256 hash chain, and that verify and verify --fast catch changed entries, changed state and
// gaps.
#include "ledger/ledger.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <poll.h>
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/engine.h"
#include "core/figures.h"
#include "ledger/codec.h"
#include "ledger/files.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

using testutil::Apply;
using testutil::Line;
using testutil::Obj;
using testutil::OpenCaseBody;
using testutil::ReceiptBody;
using testutil::Str;

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";
constexpr char kCaseC[] = "(2024)京执3号";

// The RocksDB key of entry `seq` as proto/FORMAT.md describes it: 'e' + 8 bytes big-endian.
std::string EntryKeyOf(uint64_t seq) {
  std::string key = "e";
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(seq >> shift));
  return key;
}

uint64_t BigEndianOf(const std::string& bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

// Opens the directory with RocksDB itself (no Ledger) and lets `change` rewrite it.
// Rewrites the head file (ledger/files.h) to name the log's last entry as it now stands, as a
// forger who changed the store would, so that only verify's replay is left to notice.
void ForgeHeadFile(const std::string& directory, rocksdb::DB* db) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(codec::EntryKey(UINT64_MAX));
  codec::HeadRecord record;
  if (it->Valid() && codec::IsEntryKey(it->key().ToStringView())) {
    std::string_view bytes;
    ASSERT_TRUE(codec::DecodeEntryKey(it->key().ToStringView(), &record.seq).ok());
    ASSERT_TRUE(codec::DecodeEntryValue(it->value().ToStringView(), &record.hash, &bytes).ok());
  }
  std::ofstream(std::filesystem::path(directory) / files::kHeadFileName, std::ios::binary)
      << codec::EncodeHeadFile(record);
}

// Changes the store with RocksDB directly; `forge_head_file`: and the head file to match.
void TamperWithRocksDb(const std::string& directory,
                       const std::function<void(rocksdb::DB*)>& change,
                       bool forge_head_file = true) {
  rocksdb::Options options;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, directory, &db);
  ASSERT_TRUE(status.ok()) << status.ToString();
  change(db);
  if (forge_head_file) ForgeHeadFile(directory, db);
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

// Applies one line that must be accepted and create an entry; returns its seq.
uint64_t MustCreate(Ledger* ledger, const std::string& line) {
  const CommandResult result = Apply(ledger, line);
  EXPECT_TRUE(result.status.ok()) << result.status.ToString() << "\n" << line;
  EXPECT_TRUE(result.created) << line;
  return result.seq;
}

Fen RecoveredAt(Ledger* ledger, const std::string& case_no, const PointInTime& point) {
  Result<pb::CaseRecord> record = ledger->GetCase(case_no, point);
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  if (!record.ok()) return -1;
  return EvaluateCase(*record, *Date::FromYmd(2024, 12, 31)).recovered_fen;
}

// A ledger of a few dozen entries using most operations. Returns the head seq; *receipt_seq
// is the seq of a plain receipt in the middle.
uint64_t BuildHealthyLedger(Ledger* ledger, uint64_t* receipt_seq) {
  MustCreate(ledger, Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "100000.00")));
  MustCreate(ledger, Line("open-b", "2024-01-02", "open_case", OpenCaseBody(kCaseB, "50000")));
  MustCreate(ledger, Line("open-c", "2024-01-03", "open_case", OpenCaseBody(kCaseC, "0")));
  for (int i = 0; i < 10; ++i) {
    const std::string case_no = i % 2 == 0 ? kCaseA : kCaseB;
    const std::string amount = std::to_string(1000 + i) + ".00";
    const uint64_t seq =
        MustCreate(ledger, Line("rcpt-" + std::to_string(i), "2024-01-1" + std::to_string(i),
                                "receipt", ReceiptBody(case_no, amount, "B-" + std::to_string(i))));
    if (i == 4) *receipt_seq = seq;
  }
  MustCreate(ledger, Line("unid-1", "2024-02-01", "unidentified_receipt",
                          Obj({{"amount", Str("800.00")}, {"bank_ref", Str("U-1")}})));
  MustCreate(
      ledger,
      Line("claim-1", "2024-02-02", "claim",
           Obj({{"bank_ref", Str("U-1")}, {"case_no", Str(kCaseB)}, {"amount", Str("300")}})));
  MustCreate(ledger, Line("claim-2", "2024-02-02", "claim",
                          Obj({{"bank_ref", Str("U-1")}, {"case_no", Str(kCaseA)}})));
  MustCreate(ledger, Line("hold-1", "2024-02-03", "hold",
                          Obj({{"hold_id", Str("h1")},
                               {"case_no", Str(kCaseA)},
                               {"amount", Str("500.00")},
                               {"ground", Str("frozen")},
                               {"approved_by", Str("clerk.li")}})));
  MustCreate(ledger, Line("req-1", "2024-02-04", "request_disbursement",
                          Obj({{"disbursement_id", Str("d1")},
                               {"case_no", Str(kCaseA)},
                               {"payee", Str("cred-1")},
                               {"amount", Str("2000.00")}})));
  MustCreate(ledger, Line("appr-1", "2024-02-05", "approve_disbursement",
                          Obj({{"disbursement_id", Str("d1")}}), "clerk.li"));
  MustCreate(ledger, Line("conf-1", "2024-02-06", "confirm_disbursement",
                          Obj({{"disbursement_id", Str("d1")}, {"bank_ref", Str("P-1")}})));
  MustCreate(ledger, Line("fee-1", "2024-02-07", "charge_fee", Obj({{"case_no", Str(kCaseA)}})));
  MustCreate(ledger, Line("costs-1", "2024-02-08", "pay_costs",
                          Obj({{"case_no", Str(kCaseB)},
                               {"payee", Str("拍卖公司")},
                               {"amount", Str("100.00")},
                               {"bank_ref", Str("P-2")},
                               {"reason", Str("appraisal")}})));
  MustCreate(ledger, Line("refund-1", "2024-02-09", "refund",
                          Obj({{"case_no", Str(kCaseB)},
                               {"payee", Str("李四")},
                               {"amount", Str("50.00")},
                               {"bank_ref", Str("P-3")},
                               {"reason", Str("overpaid")}})));
  MustCreate(ledger, Line("lodge-1", "2024-02-10", "lodge",
                          Obj({{"lodgment_id", Str("l1")},
                               {"case_no", Str(kCaseB)},
                               {"payee", Str("cred-1")},
                               {"amount", Str("200.00")},
                               {"ground", Str("refused")}})));
  MustCreate(ledger,
             Line("release-1", "2024-02-11", "release_hold", Obj({{"hold_id", Str("h1")}})));
  MustCreate(ledger, Line("rev-1", "2024-02-12", "reverse",
                          Obj({{"target_request_id", Str("rcpt-0")}, {"reason", Str("wrong")}})));
  MustCreate(ledger, Line("req-2", "2024-02-13", "request_disbursement",
                          Obj({{"disbursement_id", Str("d2")},
                               {"case_no", Str(kCaseB)},
                               {"payee", Str("cred-1")},
                               {"amount", Str("100.00")}})));
  MustCreate(ledger, Line("fail-2", "2024-02-14", "fail_disbursement",
                          Obj({{"disbursement_id", Str("d2")}, {"reason", Str("bad account")}})));
  MustCreate(ledger, Line("remit-1", "2024-02-15", "remit_fees",
                          Obj({{"amount", Str("10.00")}, {"bank_ref", Str("P-4")}})));
  MustCreate(ledger, Line("rcpt-c", "2024-02-16", "receipt", ReceiptBody(kCaseC, "60", "B-C")));
  // A claim of 0 pays a fee of 50.00-500.00, charged explicitly.
  MustCreate(ledger, Line("fee-c", "2024-02-16", "charge_fee",
                          Obj({{"case_no", Str(kCaseC)}, {"amount", Str("50.00")}})));
  return ledger->head_seq();
}

class LedgerTest : public testutil::LedgerDirTest {};

TEST_F(LedgerTest, IdempotentRetryAfterRestartReturnsTheStoredSeq) {
  const std::string receipt =
      Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody(kCaseA, "500.00", "B-1"));
  uint64_t seq = 0;
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "100000.00")));
    seq = MustCreate(ledger.get(), receipt);
    EXPECT_EQ(seq, 2u);
  }
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->head_seq(), 2u);
  const CommandResult again = Apply(ledger.get(), receipt);
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.seq, seq);
  ASSERT_TRUE(again.request_id.has_value());
  EXPECT_EQ(*again.request_id, "rcpt-1");
  EXPECT_EQ(ledger->head_seq(), 2u);  // nothing written

  // The same body with its keys reordered and spaced is the same body.
  const std::string reordered =
      R"({ "receipt": {"source": "debtor_payment", "bank_ref": "B-1", "amount": "500.00",)"
      R"( "case_no": "(2024)甘0102执1号", "payer": null}, "on": "2024-03-05",)"
      R"( "operator": "clerk.wang", "request_id": "rcpt-1" })";
  const CommandResult reordered_result = Apply(ledger.get(), reordered);
  ASSERT_TRUE(reordered_result.status.ok()) << reordered_result.status.ToString();
  EXPECT_FALSE(reordered_result.created);
  EXPECT_EQ(reordered_result.seq, seq);

  // The money was counted once.
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, {}), 50000);
}

TEST_F(LedgerTest, SameRequestIdWithAnotherBodyIsAConflict) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  MustCreate(ledger.get(),
             Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "100000.00")));
  MustCreate(ledger.get(),
             Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody(kCaseA, "7", "B-1")));
  ledger.reset();
  ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  const std::vector<std::string> others = {
      // "7" and "7.00" are different bodies.
      Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody(kCaseA, "7.00", "B-1")),
      Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody(kCaseA, "8", "B-1")),
      Line("rcpt-1", "2024-03-06", "receipt", ReceiptBody(kCaseA, "7", "B-1")),
      Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody(kCaseA, "7", "B-1"), "clerk.li"),
      // Even an operation that would be rejected on its own: idempotency is checked first.
      Line("rcpt-1", "2024-03-05", "receipt", ReceiptBody("(2024)甘0102执999号", "7", "B-9")),
  };
  for (const std::string& line : others) {
    const CommandResult result = Apply(ledger.get(), line);
    EXPECT_EQ(result.status.code(), Code::kIdempotencyConflict) << line;
    EXPECT_FALSE(result.created);
  }
  EXPECT_EQ(ledger->head_seq(), 2u);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, {}), 700);
}

TEST_F(LedgerTest, RejectedRequestIdMayBeRetriedLater) {
  const std::string early =
      Line("rcpt-early", "2024-03-05", "receipt", ReceiptBody(kCaseA, "100.00", "B-1"));
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    // The case does not exist yet: rejected, nothing recorded.
    const CommandResult rejected = Apply(ledger.get(), early);
    EXPECT_EQ(rejected.status.code(), Code::kUnknownCase);
    EXPECT_FALSE(rejected.created);
    EXPECT_EQ(ledger->head_seq(), 0u);
    EXPECT_EQ(ledger->staged_entries(), 0u);
    // The same request_id with another body is not a conflict either: nothing was recorded.
    const CommandResult other = Apply(
        ledger.get(), Line("rcpt-early", "2024-03-05", "receipt", ReceiptBody(kCaseA, "1", "X")));
    EXPECT_EQ(other.status.code(), Code::kUnknownCase);
    MustCreate(ledger.get(),
               Line("open-1", "2024-03-05", "open_case", OpenCaseBody(kCaseA, "100000.00")));
  }
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  const CommandResult retried = Apply(ledger.get(), early);
  ASSERT_TRUE(retried.status.ok()) << retried.status.ToString();
  EXPECT_TRUE(retried.created);
  EXPECT_EQ(retried.seq, 2u);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, {}), 10000);
}

TEST_F(LedgerTest, IdempotencyHoldsInsideAStagedGroup) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  const std::string open = Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "1"));
  const CommandResult first = ledger->Stage(ParseCommandLine(open));
  const CommandResult second = ledger->Stage(ParseCommandLine(open));
  ASSERT_TRUE(first.status.ok());
  ASSERT_TRUE(second.status.ok());
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.seq, first.seq);
  EXPECT_EQ(ledger->staged_entries(), 1u);
  const CommandResult third = ledger->Stage(
      ParseCommandLine(Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseB, "1"))));
  EXPECT_EQ(third.status.code(), Code::kIdempotencyConflict);
  ASSERT_TRUE(ledger->Commit().ok());
  EXPECT_EQ(ledger->head_seq(), 1u);
}

TEST_F(LedgerTest, SecondWriterInTheSameProcessIsLocked) {
  std::unique_ptr<Ledger> first = MustOpen(Dir());
  ASSERT_NE(first, nullptr);
  Result<std::unique_ptr<Ledger>> second = Ledger::OpenForWrite(Dir());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kLedgerLocked) << second.status().ToString();
  first.reset();
  Result<std::unique_ptr<Ledger>> third = Ledger::OpenForWrite(Dir());
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

// Kills and reaps a forked child if the test leaves early.
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  // The child's exit code, or -1 if it did not exit normally.
  int Wait() {
    int status = 0;
    const pid_t waited = waitpid(pid, &status, 0);
    pid = -1;
    if (waited <= 0 || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }
};

TEST_F(LedgerTest, AnotherProcessWritingLocksTheLedger) {
  const std::string dir = Dir();
  // A child process opens the ledger for writing and keeps it open until told to exit.
  int ready[2];
  int release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  ChildGuard holder;
  holder.pid = fork();
  ASSERT_GE(holder.pid, 0);
  if (holder.pid == 0) {
    close(ready[0]);
    close(release[1]);
    Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForWrite(dir);
    char answer = opened.ok() ? 'y' : 'n';
    if (write(ready[1], &answer, 1) != 1) _exit(2);
    if (read(release[0], &answer, 1) < 0) _exit(2);
    _exit(opened.ok() ? 0 : 1);  // the kernel drops the child's lock
  }
  close(ready[1]);
  close(release[0]);
  pollfd wait_ready{ready[0], POLLIN, 0};
  ASSERT_EQ(poll(&wait_ready, 1, 30000), 1) << "the child did not open the ledger in time";
  char answer = 0;
  ASSERT_EQ(read(ready[0], &answer, 1), 1);
  ASSERT_EQ(answer, 'y');
  {
    Result<std::unique_ptr<Ledger>> refused = Ledger::OpenForWrite(dir);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kLedgerLocked) << refused.status().ToString();
    // Readers never take the write lock.
    Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(dir);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  }
  ASSERT_EQ(write(release[1], "x", 1), 1);
  EXPECT_EQ(holder.Wait(), 0);
  close(ready[0]);
  close(release[1]);

  // This process writes; a child that tries to write is refused with LEDGER_LOCKED.
  std::unique_ptr<Ledger> ledger = MustOpen(dir);
  ASSERT_NE(ledger, nullptr);
  ChildGuard contender;
  contender.pid = fork();
  ASSERT_GE(contender.pid, 0);
  if (contender.pid == 0) {
    Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForWrite(dir);
    _exit(!opened.ok() && opened.status().code() == Code::kLedgerLocked ? 0 : 1);
  }
  EXPECT_EQ(contender.Wait(), 0) << "the child was not refused with LEDGER_LOCKED";
}

TEST_F(LedgerTest, OpenForReadWithoutALedgerIsNoLedger) {
  std::filesystem::create_directories(Dir("empty"));
  Result<std::unique_ptr<Ledger>> empty = Ledger::OpenForRead(Dir("empty"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Code::kNoLedger);
  EXPECT_TRUE(std::filesystem::is_empty(Dir("empty")));  // a reader creates nothing

  Result<std::unique_ptr<Ledger>> missing = Ledger::OpenForRead(Dir("missing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNoLedger);
  EXPECT_FALSE(std::filesystem::exists(Dir("missing")));
}

TEST_F(LedgerTest, ReaderBesideAWriterSeesOnlyCommittedEntries) {
  std::unique_ptr<Ledger> writer = MustOpen(Dir());
  ASSERT_NE(writer, nullptr);
  MustCreate(writer.get(), Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "9")));
  MustCreate(writer.get(),
             Line("rcpt-1", "2024-03-02", "receipt", ReceiptBody(kCaseA, "100.00", "B-1")));
  const CommandResult staged = writer->Stage(ParseCommandLine(
      Line("rcpt-2", "2024-03-03", "receipt", ReceiptBody(kCaseA, "50.00", "B-2"))));
  ASSERT_TRUE(staged.status.ok());
  ASSERT_EQ(writer->staged_entries(), 1u);

  Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Ledger* reader = opened->get();
  EXPECT_EQ(reader->head_seq(), 2u);
  EXPECT_EQ(reader->head_hash(), writer->head_hash());
  EXPECT_EQ(RecoveredAt(reader, kCaseA, {}), 10000);
  Result<StoredEntry> third = reader->GetEntry(3);
  EXPECT_FALSE(third.ok());
  Result<pb::GlobalRecord> global = reader->GetGlobal({});
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->bank_fen(), 10000);
  Result<VerifyReport> report = reader->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, 2u);

  // Once committed, a reader opened afterwards sees the entry.
  ASSERT_TRUE(writer->Commit().ok());
  Result<std::unique_ptr<Ledger>> later = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ((*later)->head_seq(), 3u);
  EXPECT_EQ(RecoveredAt(later->get(), kCaseA, {}), 15000);
}

TEST_F(LedgerTest, AbandonDropsTheStagedGroup) {
  Hash head_hash{};
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-1", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "100.00")));
    head_hash = ledger->head_hash();
    for (int i = 0; i < 3; ++i) {
      const CommandResult staged = ledger->Stage(
          ParseCommandLine(Line("rcpt-" + std::to_string(i), "2024-03-02", "receipt",
                                ReceiptBody(kCaseA, "10.00", "B-" + std::to_string(i)))));
      ASSERT_TRUE(staged.status.ok()) << staged.status.ToString();
      EXPECT_EQ(staged.seq, 2u + i);
    }
    EXPECT_EQ(ledger->staged_entries(), 3u);
    ledger->Abandon();
    EXPECT_EQ(ledger->staged_entries(), 0u);
    EXPECT_EQ(ledger->head_seq(), 1u);
    EXPECT_EQ(ledger->head_hash(), head_hash);
    ASSERT_TRUE(ledger->Commit().ok());  // nothing to write
    EXPECT_EQ(ledger->head_seq(), 1u);
  }
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->head_seq(), 1u);
  EXPECT_EQ(ledger->head_hash(), head_hash);
  EXPECT_FALSE(ledger->GetEntry(2).ok());
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, {}), 0);
  Result<std::vector<uint64_t>> history = ledger->CaseHistory(kCaseA);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(*history, std::vector<uint64_t>{1});
  // The abandoned request ids and bank references were never recorded.
  const CommandResult again = Apply(
      ledger.get(), Line("rcpt-0", "2024-03-02", "receipt", ReceiptBody(kCaseA, "10.00", "B-0")));
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_TRUE(again.created);
  EXPECT_EQ(again.seq, 2u);
  Result<VerifyReport> report = ledger->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST_F(LedgerTest, VerifyAcceptsAHealthyLedger) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  uint64_t receipt_seq = 0;
  const uint64_t head = BuildHealthyLedger(ledger.get(), &receipt_seq);
  EXPECT_GE(head, 30u);
  Result<VerifyReport> report = ledger->Verify(nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, head);
  EXPECT_EQ(report->head_seq, head);
  EXPECT_EQ(report->head_hash, ledger->head_hash());
  EXPECT_FALSE(report->first_bad_seq.has_value());
  EXPECT_TRUE(report->problem.empty());
  // The same after a restart, through a reader.
  ledger.reset();
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(reader.ok());
  Result<VerifyReport> again = (*reader)->Verify(nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->ok) << again->problem;
  EXPECT_EQ(again->head_hash, report->head_hash);
}

// Builds the healthy ledger once per test and returns the seq of a receipt in its middle.
class LedgerTamperTest : public testutil::LedgerDirTest {
 protected:
  void SetUp() override {
    testutil::LedgerDirTest::SetUp();
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    head_ = BuildHealthyLedger(ledger.get(), &receipt_seq_);
  }

  VerifyReport VerifyAfterTampering() {
    Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return {};
    Result<VerifyReport> report = (*reader)->Verify(nullptr);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (!report.ok()) return {};
    return *report;
  }

  uint64_t head_ = 0;
  uint64_t receipt_seq_ = 0;
};

TEST_F(LedgerTamperTest, ChangedEntryByteBreaksTheChainAtThatSeq) {
  ASSERT_GT(receipt_seq_, 1u);
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), EntryKeyOf(receipt_seq_), &value).ok());
    ASSERT_GT(value.size(), 40u);
    value[value.size() - 1] ^= 0x01;  // one byte of the entry bytes, not of the hash
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), EntryKeyOf(receipt_seq_), value).ok());
  });
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, receipt_seq_);
  EXPECT_EQ(report.head_seq, receipt_seq_ - 1);  // the last good entry
  EXPECT_NE(report.problem.find("hash"), std::string::npos) << report.problem;
}

TEST_F(LedgerTamperTest, RewrittenAndRechainedEntryFailsReplay) {
  // An entry changed with its hash and every later hash recomputed keeps the chain intact;
  // the replay must still notice that the stored state is not what the entries say.
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    Hash prev{};
    for (uint64_t seq = 1; seq <= head_; ++seq) {
      std::string value;
      ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), EntryKeyOf(seq), &value).ok());
      std::string bytes = value.substr(32);
      if (seq == receipt_seq_) {
        pb::Entry entry;
        ASSERT_TRUE(entry.ParseFromString(bytes));
        ASSERT_TRUE(entry.command().has_receipt());
        entry.mutable_command()->mutable_receipt()->set_amount("1.00");
        for (auto& posting : *entry.mutable_postings()) {
          posting.set_amount_fen(posting.amount_fen() > 0 ? 100 : -100);
        }
        bytes = SerializeDeterministic(entry);
      }
      const std::string seq_bytes = EntryKeyOf(seq).substr(1);
      std::string input(reinterpret_cast<const char*>(prev.data()), prev.size());
      input += seq_bytes + bytes;
      SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), prev.data());
      const std::string rewritten = std::string(prev.begin(), prev.end()) + bytes;
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), EntryKeyOf(seq), rewritten).ok());
    }
  });
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.problem.empty());
  // Every version of the case and of the special account from the rewritten entry on differs:
  // the first bad entry is the rewritten one.
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, receipt_seq_);
  EXPECT_EQ(report.head_seq, receipt_seq_ - 1);
}

TEST_F(LedgerTamperTest, ChangedCaseRecordDiffersFromTheReplay) {
  uint64_t version_seq = 0;
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    // The newest version of case A: 'c' + case_no + 0x00 + ~seq (8 bytes, big-endian).
    const std::string prefix = std::string("c") + kCaseA + std::string(1, '\0');
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    it->Seek(prefix);
    ASSERT_TRUE(it->Valid());
    ASSERT_TRUE(it->key().starts_with(prefix));
    const std::string key = it->key().ToString();
    ASSERT_EQ(key.size(), prefix.size() + 8);
    version_seq = ~BigEndianOf(key.substr(prefix.size()));
    pb::CaseRecord record;
    ASSERT_TRUE(record.ParseFromString(it->value().ToString()));
    EXPECT_EQ(record.last_seq(), version_seq);
    record.set_received_fen(record.received_fen() + 1);
    std::string value;
    ASSERT_TRUE(record.SerializeToString(&value));
    ASSERT_TRUE(it->status().ok());
    it.reset();
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
  });
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, version_seq);
  EXPECT_NE(report.problem.find("differs from the replay"), std::string::npos) << report.problem;
  // The head is the last good entry: the one before the damaged version.
  ASSERT_GT(version_seq, 1u);
  EXPECT_EQ(report.head_seq, version_seq - 1);
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(reader.ok());
  Result<StoredEntry> last_good = (*reader)->GetEntry(version_seq - 1);
  ASSERT_TRUE(last_good.ok());
  EXPECT_EQ(report.head_hash, last_good->hash);
}

TEST_F(LedgerTamperTest, DeletedRequestRecordDiffersFromTheReplay) {
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "rrcpt-3", &value).ok());
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), "rrcpt-3").ok());
  });
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.problem.empty());
}

TEST_F(LedgerTamperTest, DeletedEntryInTheMiddleIsASequenceGap) {
  const uint64_t gone = head_ / 2;
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), EntryKeyOf(gone)).ok());
  });
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, gone);
  EXPECT_EQ(report.head_seq, gone - 1);
  EXPECT_NE(report.problem.find("gap"), std::string::npos) << report.problem;
}

TEST_F(LedgerTamperTest, DeletedLastEntryLeavesStateTheReplayCannotExplain) {
  // Without its last entry the log is a shorter chain, but the state it wrote remains. The head
  // file names the entry that is gone: opening is CORRUPTION at once.
  TamperWithRocksDb(
      Dir(),
      [&](rocksdb::DB* db) {
        ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), EntryKeyOf(head_)).ok());
      },
      /*forge_head_file=*/false);
  Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForRead(Dir());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Code::kCorruption);
  const std::string missing = "entries " + std::to_string(head_) + " to " + std::to_string(head_);
  EXPECT_NE(opened.status().message().find(missing), std::string::npos)
      << opened.status().message();
  // A forger who also rewrites the head file: verify's replay still finds the state unexplained.
  TamperWithRocksDb(Dir(), [](rocksdb::DB*) {});
  const VerifyReport report = VerifyAfterTampering();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, head_);
  EXPECT_EQ(report.head_seq, head_ - 1);
}

// ---- verify --fast (ledger/verify_fast.cc): the same damage, caught without a replay, at the
// same first bad entry.

VerifyReport VerifyFastOf(const std::string& directory) {
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(directory);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  Result<VerifyReport> report = (*reader)->VerifyFast(nullptr);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  if (!report.ok()) return {};
  return *report;
}

// Rewrites every entry from `from` on, `change` applied to entry `from`'s bytes, each hash
// recomputed over the chain: the chain stays valid, the tree nodes do not.
void RewriteAndRechain(rocksdb::DB* db, uint64_t from, uint64_t head,
                       const std::function<void(pb::Entry*)>& change) {
  std::string value;
  Hash prev{};
  if (from > 1) {
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), EntryKeyOf(from - 1), &value).ok());
    std::copy_n(value.begin(), prev.size(), prev.begin());
  }
  for (uint64_t seq = from; seq <= head; ++seq) {
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), EntryKeyOf(seq), &value).ok());
    std::string bytes = value.substr(32);
    if (seq == from) {
      pb::Entry entry;
      ASSERT_TRUE(entry.ParseFromString(bytes));
      change(&entry);
      bytes = SerializeDeterministic(entry);
    }
    prev = codec::ChainHash(prev, seq, bytes);
    const std::string rewritten = std::string(prev.begin(), prev.end()) + bytes;
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), EntryKeyOf(seq), rewritten).ok());
  }
}

TEST_F(LedgerTest, VerifyFastAcceptsAHealthyLedgerAsVerifyDoes) {
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    Result<VerifyReport> empty = ledger->VerifyFast(nullptr);
    ASSERT_TRUE(empty.ok()) << empty.status().ToString();
    EXPECT_TRUE(empty->ok) << empty->problem;
    EXPECT_EQ(empty->entries, 0u);
    uint64_t receipt_seq = 0;
    BuildHealthyLedger(ledger.get(), &receipt_seq);
  }
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(reader.ok());
  std::vector<uint64_t> ticks;
  Result<VerifyReport> fast =
      (*reader)->VerifyFast([&](uint64_t done, uint64_t) { ticks.push_back(done); });
  ASSERT_TRUE(fast.ok()) << fast.status().ToString();
  Result<VerifyReport> deep = (*reader)->Verify(nullptr);
  ASSERT_TRUE(deep.ok());
  EXPECT_TRUE(fast->ok) << fast->problem;
  EXPECT_EQ(fast->entries, (*reader)->head_seq());
  EXPECT_EQ(fast->entries, deep->entries);
  EXPECT_EQ(fast->head_seq, deep->head_seq);
  EXPECT_EQ(fast->head_hash, (*reader)->head_hash());
  EXPECT_FALSE(fast->first_bad_seq.has_value());
  EXPECT_TRUE(fast->problem.empty());
  EXPECT_TRUE(ticks.empty());  // fewer than 10,000 entries: no progress to show
}

TEST_F(LedgerTamperTest, VerifyFastFindsAChangedEntryByteAtItsSeq) {
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), EntryKeyOf(receipt_seq_), &value).ok());
    value[value.size() - 1] ^= 0x01;  // one byte of the entry bytes, not of the hash
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), EntryKeyOf(receipt_seq_), value).ok());
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, receipt_seq_);
  EXPECT_EQ(report.head_seq, receipt_seq_ - 1);  // the last good entry
  EXPECT_NE(report.problem.find("hash chain broken"), std::string::npos) << report.problem;
}

TEST_F(LedgerTamperTest, VerifyFastFindsUnbalancedPostingsUnderARecomputedChain) {
  // The receipt's bank posting one fen more: debits exceed credits by 0.01. Every hash from it
  // on is recomputed, so the chain holds; the postings do not balance.
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    RewriteAndRechain(db, receipt_seq_, head_, [](pb::Entry* entry) {
      for (auto& posting : *entry->mutable_postings()) {
        if (posting.account() == "bank") posting.set_amount_fen(posting.amount_fen() + 1);
      }
    });
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, receipt_seq_);
  EXPECT_EQ(report.head_seq, receipt_seq_ - 1);
  EXPECT_NE(report.problem.find("postings do not balance"), std::string::npos) << report.problem;
  // The deep pass agrees on the entry.
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(reader.ok());
  Result<VerifyReport> deep = (*reader)->Verify(nullptr);
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->first_bad_seq, receipt_seq_);
}

TEST_F(LedgerTamperTest, VerifyFastFindsAChangedTreeNodeAtTheEntryThatCompletedIt) {
  // Node (level 1, index 3) covers leaves 6 and 7, entries 7 and 8: completed by entry 8.
  ASSERT_GE(head_, 8u);
  TamperWithRocksDb(Dir(), [](rocksdb::DB* db) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), codec::TreeKey(1, 3), &value).ok());
    value[31] ^= 0x80;
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), codec::TreeKey(1, 3), value).ok());
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 8u);
  EXPECT_EQ(report.head_seq, 7u);
  EXPECT_NE(report.problem.find("Merkle tree node differs"), std::string::npos) << report.problem;
}

TEST_F(LedgerTamperTest, VerifyFastFindsAMissingAndAnExtraTreeNode) {
  std::string leaf;
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), codec::TreeKey(0, 4), &leaf).ok());
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), codec::TreeKey(0, 4)).ok());  // entry 5's
  });
  VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5u);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
  // The leaf put back, and a node no entry has completed: the perfect subtree of leaves
  // 0 … 2^20 − 1, which entry 2^20 would complete.
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), codec::TreeKey(0, 4), leaf).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), codec::TreeKey(20, 0), std::string(32, 'x')).ok());
  });
  report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, uint64_t{1} << 20);
  EXPECT_EQ(report.head_seq, head_);  // past the head: every entry is good
  EXPECT_NE(report.problem.find("does not complete"), std::string::npos) << report.problem;
}

TEST_F(LedgerTamperTest, VerifyFastFindsADeletedEntryAsASequenceGap) {
  const uint64_t gone = head_ / 2;
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), EntryKeyOf(gone)).ok());
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, gone);
  EXPECT_EQ(report.head_seq, gone - 1);
  EXPECT_NE(report.problem.find("sequence gap"), std::string::npos) << report.problem;
}

// Three entries, worked by hand: case A receives 1,000.00 (entry 2), 300.00 comes in
// unidentified (entry 3). The special account then holds bank 1,300.00 = cases 1,000.00 +
// suspense 300.00; case A's newest record is entry 2's, its balance 1,000.00.
class VerifyFastStateTest : public testutil::LedgerDirTest {
 protected:
  void SetUp() override {
    testutil::LedgerDirTest::SetUp();
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "100000.00")));
    MustCreate(ledger.get(),
               Line("rcpt-1", "2024-01-03", "receipt", ReceiptBody(kCaseA, "1000.00", "B-1")));
    MustCreate(ledger.get(), Line("unid-1", "2024-01-04", "unidentified_receipt",
                                  Obj({{"amount", Str("300.00")}, {"bank_ref", Str("U-1")}})));
  }

  // Rewrites the newest version of a record (its key starts with `prefix`) through `change`.
  template <typename Record>
  void ChangeNewestVersion(const std::string& prefix, const std::function<void(Record*)>& change) {
    TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
      it->Seek(prefix);
      ASSERT_TRUE(it->Valid() && it->key().starts_with(prefix));
      const std::string key = it->key().ToString();
      Record record;
      ASSERT_TRUE(record.ParseFromString(it->value().ToString()));
      it.reset();
      change(&record);
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, SerializeDeterministic(record)).ok());
    });
  }
};

TEST_F(VerifyFastStateTest, AHealthyLedgerPasses) {
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 3u);
}

TEST_F(VerifyFastStateTest, TheSpecialAccountsBankBalanceDisagreesWithThePostings) {
  ChangeNewestVersion<pb::GlobalRecord>(std::string("g") + '\0', [](pb::GlobalRecord* global) {
    ASSERT_EQ(global->bank_fen(), 130000);
    global->set_bank_fen(130001);
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3u);
  EXPECT_EQ(report.head_seq, 2u);
  EXPECT_EQ(report.problem,
            "the special account's bank balance after entry 3 is 1300.01 where the postings sum "
            "to 1300.00");
}

TEST_F(VerifyFastStateTest, ACaseBalanceDisagreesWithThePostings) {
  ChangeNewestVersion<pb::CaseRecord>(std::string("c") + kCaseA + '\0', [](pb::CaseRecord* record) {
    ASSERT_EQ(record->last_seq(), 2u);
    ASSERT_EQ(record->received_fen(), 100000);
    record->set_received_fen(99000);  // 990.00 received, 10.00 less than the postings say
  });
  const VerifyReport report = VerifyFastOf(Dir());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2u);
  EXPECT_EQ(report.head_seq, 1u);
  EXPECT_EQ(report.problem, std::string("case ") + kCaseA +
                                "'s balance after entry 2 is 990.00 where the postings sum to "
                                "1000.00");
}

TEST_F(LedgerTest, GetCaseAtSeqAndAsOfReturnsEarlierVersions) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  ASSERT_EQ(MustCreate(ledger.get(), Line("open-a", "2024-01-10", "open_case",
                                          OpenCaseBody(kCaseA, "100000.00"))),
            1u);
  ASSERT_EQ(MustCreate(ledger.get(),
                       Line("r1", "2024-02-01", "receipt", ReceiptBody(kCaseA, "1000.00", "B-1"))),
            2u);
  ASSERT_EQ(MustCreate(ledger.get(),
                       Line("r2", "2024-03-01", "receipt", ReceiptBody(kCaseA, "500", "B-2"))),
            3u);
  ASSERT_EQ(MustCreate(ledger.get(),
                       Line("open-b", "2024-03-15", "open_case", OpenCaseBody(kCaseB, "10"))),
            4u);
  ASSERT_EQ(MustCreate(ledger.get(),
                       Line("r3", "2024-04-01", "receipt", ReceiptBody(kCaseA, "200", "B-3"))),
            5u);
  ASSERT_EQ(MustCreate(ledger.get(),
                       Line("r4", "2024-04-02", "receipt", ReceiptBody(kCaseB, "3", "B-4"))),
            6u);

  auto at_seq = [](uint64_t seq) {
    PointInTime point;
    point.at_seq = seq;
    return point;
  };
  auto as_of = [](const char* date) {
    PointInTime point;
    point.as_of = *Date::Parse(date, "test");
    return point;
  };
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(1)), 0);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(2)), 100000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(3)), 150000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(4)), 150000);  // entry 4 is another case
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(5)), 170000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, at_seq(99)), 170000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, {}), 170000);
  Result<pb::CaseRecord> version = ledger->GetCase(kCaseA, at_seq(4));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->last_seq(), 3u);

  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-01-10")), 0);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-01-31")), 0);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-02-01")), 100000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-02-29")), 100000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-03-20")), 150000);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseA, as_of("2024-12-31")), 170000);

  // Before the case existed.
  EXPECT_EQ(ledger->GetCase(kCaseA, at_seq(0)).status().code(), Code::kUnknownCase);
  EXPECT_EQ(ledger->GetCase(kCaseA, as_of("2024-01-09")).status().code(), Code::kUnknownCase);
  EXPECT_EQ(ledger->GetCase(kCaseB, at_seq(3)).status().code(), Code::kUnknownCase);
  EXPECT_EQ(ledger->GetCase(kCaseB, as_of("2024-03-14")).status().code(), Code::kUnknownCase);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseB, at_seq(4)), 0);
  EXPECT_EQ(RecoveredAt(ledger.get(), kCaseB, at_seq(6)), 300);
  EXPECT_EQ(ledger->GetCase(kCaseC, {}).status().code(), Code::kUnknownCase);

  // The special account follows the same points in time.
  Result<pb::GlobalRecord> global = ledger->GetGlobal(at_seq(3));
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->bank_fen(), 150000);
  global = ledger->GetGlobal(as_of("2024-04-01"));
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->bank_fen(), 170000);
  global = ledger->GetGlobal({});
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->bank_fen(), 170300);
  EXPECT_EQ(global->cases_fen(), 170300);

  Result<std::vector<uint64_t>> history = ledger->CaseHistory(kCaseA);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(*history, (std::vector<uint64_t>{1, 2, 3, 5}));
  history = ledger->CaseHistory(kCaseB);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(*history, (std::vector<uint64_t>{4, 6}));
  EXPECT_EQ(ledger->CaseHistory(kCaseC).status().code(), Code::kUnknownCase);

  Result<Date> on = ledger->EntryDate(3);
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on->ToString(), "2024-03-01");
}

TEST_F(LedgerTest, HashChainIsSha256OfPreviousHashSeqAndStoredBytes) {
  uint64_t head = 0;
  Hash head_hash{};
  std::vector<Hash> hashes;
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    uint64_t receipt_seq = 0;
    head = BuildHealthyLedger(ledger.get(), &receipt_seq);
    head_hash = ledger->head_hash();
    Hash prev{};  // 32 zero bytes before the first entry
    for (uint64_t seq = 1; seq <= head; ++seq) {
      Result<StoredEntry> stored = ledger->GetEntry(seq);
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
      EXPECT_EQ(stored->seq, seq);
      EXPECT_EQ(stored->prev_hash, prev) << "entry " << seq;
      std::string input(reinterpret_cast<const char*>(prev.data()), prev.size());
      for (int shift = 56; shift >= 0; shift -= 8) input.push_back(static_cast<char>(seq >> shift));
      input += stored->bytes;
      Hash expected{};
      SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), expected.data());
      EXPECT_EQ(stored->hash, expected) << "entry " << seq;
      // The stored bytes are the entry, deterministically serialised.
      EXPECT_EQ(SerializeDeterministic(stored->entry), stored->bytes);
      prev = expected;
      hashes.push_back(expected);
    }
    EXPECT_EQ(head_hash, prev);
    EXPECT_EQ(HexOf(head_hash).size(), 64u);
  }
  // On disk: 'e' + seq (8 bytes, big-endian) -> hash (32 bytes) + entry bytes.
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    uint64_t seq = 0;
    for (it->Seek("e"); it->Valid() && it->key().starts_with("e"); it->Next()) {
      ++seq;
      ASSERT_EQ(it->key().ToString(), EntryKeyOf(seq));
      ASSERT_GE(it->value().size(), 32u);
      EXPECT_EQ(it->value().ToString().substr(0, 32),
                std::string(hashes[seq - 1].begin(), hashes[seq - 1].end()));
    }
    EXPECT_TRUE(it->status().ok());
    EXPECT_EQ(seq, head);
  });
  std::unique_ptr<Ledger> reopened = MustOpen(Dir());
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->head_seq(), head);
  EXPECT_EQ(reopened->head_hash(), head_hash);
}

// A case record damaged on disk: its lots lost while a disbursement still names them. Confirming
// the disbursement reads the record and must stop with CORRUPTION (an assert, compiled out in a
// release build, used to dereference the missing lot), and write nothing.
TEST_F(LedgerTest, StoredCaseRecordMissingAReservedLotIsCorruptionNotACrash) {
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "100000.00")));
    MustCreate(ledger.get(),
               Line("rcpt-a", "2024-01-03", "receipt", ReceiptBody(kCaseA, "5000.00", "B-1")));
    MustCreate(ledger.get(), Line("req-a", "2024-01-04", "request_disbursement",
                                  Obj({{"disbursement_id", Str("d1")},
                                       {"case_no", Str(kCaseA)},
                                       {"payee", Str("cred-1")},
                                       {"amount", Str("2000.00")}})));
    MustCreate(ledger.get(), Line("appr-a", "2024-01-05", "approve_disbursement",
                                  Obj({{"disbursement_id", Str("d1")}}), "clerk.li"));
  }
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    const std::string prefix = codec::VersionPrefix(Table::kCase, kCaseA);
    it->Seek(prefix);
    ASSERT_TRUE(it->Valid() && it->key().starts_with(prefix));
    pb::CaseRecord record;
    ASSERT_TRUE(codec::DecodeRecord(it->value().ToStringView(), &record).ok());
    ASSERT_GT(record.lots_size(), 0);
    record.clear_lots();
    const std::string key = it->key().ToString();
    it.reset();
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, SerializeDeterministic(record)).ok());
  });
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  const uint64_t head = ledger->head_seq();
  const CommandResult result =
      Apply(ledger.get(), Line("conf-a", "2024-01-06", "confirm_disbursement",
                               Obj({{"disbursement_id", Str("d1")}, {"bank_ref", Str("P-1")}})));
  EXPECT_EQ(result.status.code(), Code::kCorruption) << result.status.ToString();
  EXPECT_NE(result.status.message().find("missing"), std::string::npos) << result.status.message();
  EXPECT_EQ(ledger->head_seq(), head);
  EXPECT_EQ(ledger->GetRecord(Table::kBankRefOut, "P-1", PointInTime{})->has_value(), false);
}

// The format key (proto/FORMAT.md "Format version"): a newer format is refused by every open,
// the log-only one of export included; a value that is no format at all is damage.
TEST_F(LedgerTest, ANewerOrUnknownFormatIsRefusedByEveryOpen) {
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "100000.00")));
  }
  auto set_format = [&](const std::string& value) {
    TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), std::string(codec::kFormatKey), value).ok());
    });
  };
  OpenOptions log_only;
  log_only.log_only = true;
  set_format("caseledger-format-4");
  for (const Status& status :
       {Ledger::OpenForRead(Dir()).status(), Ledger::OpenForRead(Dir(), log_only).status(),
        Ledger::OpenForWrite(Dir()).status()}) {
    EXPECT_EQ(status.code(), Code::kUnsupportedFormat) << status.ToString();
    EXPECT_NE(status.message().find("format 4 (caseledger-format-4)"), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find("format 3 (caseledger-format-3)"), std::string::npos)
        << status.message();
  }
  set_format("caseledger-format-02");
  for (const Status& status :
       {Ledger::OpenForRead(Dir()).status(), Ledger::OpenForRead(Dir(), log_only).status(),
        Ledger::OpenForWrite(Dir()).status()}) {
    EXPECT_EQ(status.code(), Code::kCorruption) << status.ToString();
    EXPECT_NE(status.message().find("unknown format"), std::string::npos) << status.message();
  }
  // Back to this program's format: it opens again, nothing was changed meanwhile.
  set_format(codec::EncodeFormatValue(codec::kFormatVersion));
  std::unique_ptr<Ledger> reopened = MustOpen(Dir());
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->head_seq(), 1u);
}

// A ledger of format 1 opened for its log (export): the entries and the tree read, every state
// read refused, since format 1's state records are not this program's.
TEST_F(LedgerTest, AnOlderFormatOpenedForItsLogRefusesStateReads) {
  {
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    MustCreate(ledger.get(),
               Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "100000.00")));
  }
  TamperWithRocksDb(Dir(), [&](rocksdb::DB* db) {
    ASSERT_TRUE(
        db->Put(rocksdb::WriteOptions(), std::string(codec::kFormatKey), "caseledger-format-1")
            .ok());
  });
  EXPECT_EQ(Ledger::OpenForRead(Dir()).status().code(), Code::kUnsupportedFormat);
  OpenOptions log_only;
  log_only.log_only = true;
  Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir(), log_only);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Ledger& ledger = **reader;
  EXPECT_EQ(ledger.head_seq(), 1u);
  EXPECT_TRUE(ledger.GetEntry(1).ok());
  EXPECT_TRUE(ledger.TreeHead(1).ok());
  const PointInTime now;
  auto refused = [](const Status& status) { return status.code() == Code::kUnsupportedFormat; };
  EXPECT_TRUE(refused(ledger.GetCase(kCaseA, now).status()));
  EXPECT_TRUE(refused(ledger.GetGlobal(now).status()));
  EXPECT_TRUE(refused(ledger.GetRules(now).status()));
  EXPECT_TRUE(
      refused(ledger.GetRules(PointInTime{std::nullopt, *Date::FromYmd(2024, 1, 3)}).status()));
  EXPECT_TRUE(refused(ledger.GetRecord(Table::kRequest, "open-a", now).status()));
  EXPECT_TRUE(refused(
      ledger.ForEachRecord(Table::kEvent, now, [](const std::string&) { return Status::Ok(); })));
  EXPECT_TRUE(refused(ledger.ForEachCase([](const pb::CaseRecord&) {})));
  EXPECT_TRUE(refused(ledger.CaseHistory(kCaseA).status()));
  EXPECT_TRUE(refused(ledger.Verify(nullptr).status()));
  EXPECT_TRUE(refused(
      ledger.GetBankActivity(*Date::FromYmd(2024, 1, 1), *Date::FromYmd(2024, 1, 31)).status()));
}

}  // namespace
}  // namespace caseledger
