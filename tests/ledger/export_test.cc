// The export (SPEC §5): an export of the demo month verifies offline; any single changed
// byte, dropped line, reordered pair or duplicated line fails at the right sequence number
// (random positions, seeded); the Merkle tree is kept, rebuilt and checked with the log.
#include "ledger/export.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/merkle.h"
#include "ledger/codec.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

using testutil::LedgerDirTest;

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

ExportCheck Check(const std::vector<std::string>& lines,
                  const std::map<uint64_t, Hash>& heads = {}) {
  std::istringstream in(Join(lines));
  Result<ExportCheck> check = VerifyExport(in, heads, nullptr);
  EXPECT_TRUE(check.ok()) << check.status().ToString();
  return check.ok() ? *check : ExportCheck{};
}

::testing::AssertionResult FailsAt(const std::vector<std::string>& lines, uint64_t seq,
                                   const std::string& what) {
  const ExportCheck check = Check(lines);
  if (check.report.ok) return ::testing::AssertionFailure() << what << ": verified";
  if (check.report.first_bad_seq != seq) {
    return ::testing::AssertionFailure()
           << what << ": first_bad_seq "
           << (check.report.first_bad_seq ? std::to_string(*check.report.first_bad_seq) : "null")
           << ", expected " << seq << " (" << check.report.problem << ")";
  }
  if (check.report.head_seq != seq - 1) {
    return ::testing::AssertionFailure() << what << ": head " << check.report.head_seq;
  }
  return ::testing::AssertionSuccess();
}

void Tamper(const std::string& directory, const std::function<void(rocksdb::DB*)>& change) {
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), directory, &db).ok());
  change(db);
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

class ExportTest : public LedgerDirTest {
 protected:
  void SetUp() override {
    LedgerDirTest::SetUp();
    std::unique_ptr<Ledger> ledger = MustOpen(Dir());
    ASSERT_NE(ledger, nullptr);
    std::ifstream demo(std::string(CASELEDGER_SOURCE_DIR) + "/demo/month.jsonl");
    ASSERT_TRUE(demo.is_open());
    for (std::string line; std::getline(demo, line);) {
      if (!line.empty()) (void)ledger->Stage(ParseCommandLine(line));
      if (ledger->staged_entries() >= 50) {
        ASSERT_TRUE(ledger->Commit().ok());
      }
    }
    ASSERT_TRUE(ledger->Commit().ok());
    head_ = ledger->head_seq();
    ASSERT_GT(head_, 150u);
    ASSERT_TRUE(ledger
                    ->ForEachEntry(1, head_,
                                   [&](const StoredEntry& stored) {
                                     lines_.push_back(ExportLine(stored));
                                     return Status::Ok();
                                   })
                    .ok());
    Result<Hash> root = ledger->TreeHead(head_);
    ASSERT_TRUE(root.ok());
    root_of_all_ = *root;
  }

  uint64_t head_ = 0;
  std::vector<std::string> lines_;
  Hash root_of_all_{};
  std::mt19937_64 random_{20261122};
};

TEST_F(ExportTest, AGoodExportVerifiesAndHasTheLedgersTreeHead) {
  const ExportCheck check = Check(lines_, {{head_, root_of_all_}});
  EXPECT_TRUE(check.report.ok) << check.report.problem;
  EXPECT_EQ(check.report.entries, head_);
  EXPECT_EQ(check.tree_head, root_of_all_);
  EXPECT_EQ(check.heads_matched, std::vector<uint64_t>{head_});
  // Lines that crossed Windows (CRLF) still verify.
  std::vector<std::string> crlf = lines_;
  for (std::string& line : crlf) line += "\r";
  EXPECT_TRUE(Check(crlf).report.ok);
}

TEST_F(ExportTest, AnySingleChangedByteFailsAtItsLine) {
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<std::string> lines = lines_;
    const size_t k = random_() % lines.size();
    std::string& line = lines[k];
    const size_t at = random_() % line.size();
    const char old = line[at];
    char changed = old;
    while (changed == old) changed = static_cast<char>(random_() % 256);
    line[at] = changed;
    ASSERT_TRUE(
        FailsAt(lines, k + 1, "byte " + std::to_string(at) + " of line " + std::to_string(k + 1)));
  }
}

TEST_F(ExportTest, ADroppedLineFailsAtItsSeqAndATruncatedTailFailsTheHead) {
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::string> lines = lines_;
    const size_t k = random_() % (lines.size() - 1);  // not the last line: see below
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(k));
    ASSERT_TRUE(FailsAt(lines, k + 1, "dropped line " + std::to_string(k + 1)));
  }
  // Without its last line an export is a shorter chain: only a published head catches it.
  std::vector<std::string> truncated(lines_.begin(), lines_.end() - 1);
  EXPECT_TRUE(Check(truncated).report.ok);
  const ExportCheck check = Check(truncated, {{head_, root_of_all_}});
  EXPECT_FALSE(check.report.ok);
  EXPECT_FALSE(check.report.first_bad_seq.has_value());
}

TEST_F(ExportTest, AReorderedPairFailsAtTheFirstOfThem) {
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::string> lines = lines_;
    const size_t k = random_() % (lines.size() - 1);
    std::swap(lines[k], lines[k + 1]);
    ASSERT_TRUE(FailsAt(lines, k + 1, "swapped lines " + std::to_string(k + 1)));
  }
}

TEST_F(ExportTest, ADuplicatedLineFailsAtTheLineAfterIt) {
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::string> lines = lines_;
    const size_t k = random_() % lines.size();
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(k), lines[k]);
    ASSERT_TRUE(FailsAt(lines, k + 2, "duplicated line " + std::to_string(k + 1)));
  }
}

TEST_F(ExportTest, ARenderingThatSaysSomethingElseIsCaughtEvenWithGoodBytes) {
  // The amount of the first receipt, changed in the readable part only.
  size_t k = 0;
  while (k < lines_.size() && lines_[k].find("\"receipt\":") == std::string::npos) ++k;
  ASSERT_LT(k, lines_.size());
  std::vector<std::string> lines = lines_;
  const size_t at = lines[k].find("\"amount\":\"", lines[k].find("\"entry\":"));
  ASSERT_NE(at, std::string::npos);
  lines[k].insert(at + 10, "1");
  const ExportCheck check = Check(lines);
  EXPECT_FALSE(check.report.ok);
  EXPECT_EQ(check.report.first_bad_seq, k + 1);
  EXPECT_NE(check.report.problem.find("readable entry differs"), std::string::npos)
      << check.report.problem;
}

TEST_F(ExportTest, ImportingTheExportReproducesTheTree) {
  std::unique_ptr<Ledger> copy = MustOpen(Dir("copy"));
  ASSERT_NE(copy, nullptr);
  for (const std::string& line : lines_) {
    Result<StoredEntry> stored = ParseExportLine(line);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    ASSERT_TRUE(copy->StageStored(*stored).ok());
  }
  ASSERT_TRUE(copy->Commit().ok());
  EXPECT_EQ(copy->head_seq(), head_);
  Result<Hash> root = copy->TreeHead(head_);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, root_of_all_);
  Result<VerifyReport> report = copy->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  // An entry out of turn is refused and stages nothing.
  Result<StoredEntry> first = ParseExportLine(lines_[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(copy->StageStored(*first).code(), Code::kCorruption);
  EXPECT_EQ(copy->staged_entries(), 0u);
}

TEST_F(ExportTest, ALedgerWithoutItsTreeGetsItBackWhenOpenedForWriting) {
  Tamper(Dir(), [](rocksdb::DB* db) {
    const std::string prefix(1, codec::kTreePrefix);
    ASSERT_TRUE(db->DeleteRange(rocksdb::WriteOptions(), db->DefaultColumnFamily(), prefix,
                                std::string(1, codec::kTreePrefix + 1))
                    .ok());
  });
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  Result<Hash> root = ledger->TreeHead(head_);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, root_of_all_);
  Result<Hash> early = ledger->TreeHead(100);
  ASSERT_TRUE(early.ok());
  Result<std::vector<Hash>> proof = ledger->ConsistencyProof(100, head_);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(merkle::VerifyConsistency(100, head_, *early, root_of_all_, *proof));
  Result<VerifyReport> report = ledger->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST_F(ExportTest, ADamagedTreeNodeFailsVerifyAtTheEntryThatCompletedIt) {
  // Node (level 2, index 5) covers leaves 20..23, entries 21..24: completed by entry 24.
  Tamper(Dir(), [](rocksdb::DB* db) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), codec::TreeKey(2, 5), &value).ok());
    value[0] ^= 0x01;
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), codec::TreeKey(2, 5), value).ok());
  });
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(Dir());
  ASSERT_TRUE(ledger.ok());
  Result<VerifyReport> report = (*ledger)->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 24u);
  EXPECT_NE(report->problem.find("Merkle"), std::string::npos) << report->problem;
}

}  // namespace
}  // namespace caseledger
