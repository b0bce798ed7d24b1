// Proves that `caseledger bench` runs end to end at a small scale: every generated command is
// accepted by `apply` and by the batch API, every ledger it leaves verifies (the one-case ones
// too), the year's statement reconciles, and its JSON carries every figure with sane counts and
// sizes (no timing is asserted: a benchmark is not a test).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::ParseJson;

class BenchCli : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2021-12-31";
  }
};

int64_t Int(const json::Value& object, const char* key) {
  const json::Value* value = object.Find(key);
  EXPECT_TRUE(value != nullptr && value->is_number()) << key;
  return value != nullptr && value->is_number() ? std::stoll(value->text) : -1;
}

bool Null(const json::Value& object, const char* key) {
  const json::Value* value = object.Find(key);
  return value != nullptr && value->is_null();
}

// The three integers of an array key.
std::vector<int64_t> Ints(const json::Value& object, const char* key) {
  std::vector<int64_t> out;
  const json::Value* value = object.Find(key);
  EXPECT_TRUE(value != nullptr && value->is_array()) << key;
  if (value == nullptr || !value->is_array()) return out;
  for (const json::Value& item : value->items) {
    out.push_back(item.is_number() ? std::stoll(item.text) : -1);
  }
  return out;
}

// The one-case figures of a run at scale 0.01: 2,000 receipts each way, three sizes each.
void ExpectOneCase(const json::Value& figures) {
  const json::Value* one = figures.Find("onecase");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(Int(*one, "receipts"), 2000);
  EXPECT_EQ(Int(*one, "spread_cases"), 200);
  EXPECT_EQ(Int(*one, "rejected"), 0);
  EXPECT_EQ(Ints(*one, "checkpoints"), (std::vector<int64_t>{500, 1000, 2000}));
  for (const char* key : {"one_size_bytes", "spread_size_bytes"}) {
    const std::vector<int64_t> sizes = Ints(*one, key);
    ASSERT_EQ(sizes.size(), 3u) << key;
    EXPECT_GT(sizes[0], 0) << key;
  }
  for (const char* key :
       {"one_entries_per_s", "spread_entries_per_s", "one_vs_spread", "wall_ms"}) {
    const json::Value* value = one->Find(key);
    EXPECT_TRUE(value != nullptr && value->is_number()) << key;
  }
}

bool True(const json::Value& object, const char* key) {
  const json::Value* value = object.Find(key);
  return value != nullptr && value->is_bool() && value->boolean;
}

TEST_F(BenchCli, SmallScaleRunsEndToEndWithNothingRejected) {
  const std::string dir = (dir_ / "bench").string();
  const CliRun run = Run({"bench", "--scale", "0.01", "--json", "--dir", dir, "--keep"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out.substr(0, 2000);
  const json::Value figures = ParseJson(run.out);
  EXPECT_EQ(Int(figures, "rejected"), 0);
  EXPECT_EQ(Int(figures, "apply_rejected"), 0);
  EXPECT_EQ(Int(figures, "batch_rejected"), 0);
  EXPECT_GT(Int(figures, "entries"), 10000);
  EXPECT_EQ(Int(figures, "cases"), 1565);
  for (const char* key :
       {"apply_entries_per_s", "batch_entries_per_s", "raw_rocksdb_entries_per_s", "apply_vs_raw",
        "batch_vs_raw", "verify_entries_per_s", "verify_fast_entries_per_s", "case_p50_us",
        "case_p99_us", "case_past_p50_us", "case_past_p99_us", "indicators_ms", "overdue_ms",
        "reconcile_ms", "peak_rss_mb", "rawlog_entries_per_s", "apply_vs_rawlog", "batch_vs_rawlog",
        "write_amplification"}) {
    const json::Value* value = figures.Find(key);
    EXPECT_TRUE(value != nullptr && value->is_number()) << key;
  }
  EXPECT_TRUE(True(figures, "verify_ok"));
  // Without --postgres-rate there is nothing to compare with.
  for (const char* key : {"postgres_entries_per_s", "apply_vs_postgres", "batch_vs_postgres"}) {
    EXPECT_TRUE(Null(figures, key)) << key;
  }
  // The entry records are part of what the batch ledger keeps; every byte of them went through
  // a write-ahead log, the batch ledger's and the log alone's.
  const int64_t entry_bytes = Int(figures, "entry_bytes");
  EXPECT_GT(entry_bytes, 32 * Int(figures, "entries"));
  EXPECT_LT(entry_bytes, Int(figures, "bytes_per_entry") * Int(figures, "entries"));
  EXPECT_GE(Int(figures, "rawlog_disk_bytes_written"), entry_bytes);
  const json::Value* disk = figures.Find("disk_bytes_written");
  ASSERT_NE(disk, nullptr);
  EXPECT_GE(Int(*disk, "wal"), entry_bytes);
  EXPECT_GT(Int(*disk, "tables"), 0);  // the writer flushes its memtable when it closes
  EXPECT_EQ(Int(*disk, "total"), Int(*disk, "wal") + Int(*disk, "tables") + Int(*disk, "other"));
  EXPECT_EQ(Int(figures, "disk_bytes_per_entry"), Int(*disk, "total") / Int(figures, "entries"));
  ExpectOneCase(figures);
  const json::Value* reconcile = figures.Find("reconcile");
  ASSERT_NE(reconcile, nullptr);
  EXPECT_TRUE(True(*reconcile, "agree"));
  EXPECT_EQ(Int(*reconcile, "mismatched"), 0);
  EXPECT_EQ(Int(*reconcile, "ledger_only"), 0);
  // Both ledgers the bench leaves behind verify on their own.
  for (const char* db : {"batch-db", "apply-db"}) {
    const CliRun verify = Run({"--db", dir + "/" + db, "verify", "--json"});
    EXPECT_EQ(verify.exit_code, 0) << db << verify.out << verify.err;
    const json::Value report = ParseJson(verify.out);
    EXPECT_TRUE(True(report, "ok")) << db;
    EXPECT_EQ(Int(report, "entries"), Int(figures, "entries")) << db;
    // ... and pass the fast pass: every case's balance is what its postings sum to.
    const CliRun fast = Run({"--db", dir + "/" + db, "verify", "--fast", "--json"});
    EXPECT_EQ(fast.exit_code, 0) << db << fast.out << fast.err;
    EXPECT_EQ(fast.out, verify.out) << db;
  }
  // The one-case ledgers: a case and its receipts, 200 cases and the same receipts.
  for (const auto& [db, entries] : {std::pair{"one-case-db", 2001}, std::pair{"spread-db", 2200}}) {
    const CliRun verify = Run({"--db", dir + "/" + db, "verify", "--json"});
    EXPECT_EQ(verify.exit_code, 0) << db << verify.out << verify.err;
    EXPECT_EQ(Int(ParseJson(verify.out), "entries"), entries) << db;
  }
  // The statement the bench reconciled is one `reconcile` accepts too.
  const CliRun reconcile_run =
      Run({"--db", dir + "/batch-db", "reconcile", dir + "/statement-2021-06.csv", "--json"});
  EXPECT_EQ(reconcile_run.exit_code, 0) << reconcile_run.out.substr(0, 1000) << reconcile_run.err;
}

TEST_F(BenchCli, OneCaseRunsAlone) {
  const CliRun run = Run({"bench", "--scale", "0.01", "--phases", "onecase", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out.substr(0, 2000);
  const json::Value figures = ParseJson(run.out);
  ExpectOneCase(figures);
  EXPECT_EQ(Int(figures, "rejected"), 0);
  EXPECT_EQ(Int(figures, "batch_entries_per_s"), 0);  // the batch phase did not run
}

TEST_F(BenchCli, TablesForPeopleAndUsageErrors) {
  const CliRun run = Run({"bench", "--scale", "0.001", "--lang", "en", "--postgres-rate", "34063"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* text :
       {"apply ÷ raw", "batch ÷ log alone", "batch ÷ PostgreSQL", "≥ 150,000", "one ÷ spread",
        "write amplification", "deep replay verify", "target", "rejected commands"}) {
    EXPECT_NE(run.out.find(text), std::string::npos) << text << "\n" << run.out;
  }
  EXPECT_NE(run.err.find("bench: verify"), std::string::npos) << run.err;
  // Without --postgres-rate, no row for it; the table is in Chinese by default.
  const CliRun chinese = Run({"bench", "--scale", "0.001", "--phases", "batch,rawlog"});
  ASSERT_EQ(chinese.exit_code, 0) << chinese.err;
  EXPECT_EQ(chinese.out.find("PostgreSQL"), std::string::npos) << chinese.out;
  EXPECT_NE(chinese.out.find("批量 ÷ 仅日志"), std::string::npos) << chinese.out;
  EXPECT_NE(chinese.out.find("目标"), std::string::npos) << chinese.out;
  for (const char* bad : {"0", "-1", "1e-2", "abc", "1000"}) {
    EXPECT_EQ(Run({"bench", "--scale", bad}).exit_code, 2) << bad;
  }
  for (const char* bad : {"0", "-5", "x"}) {
    EXPECT_EQ(Run({"bench", "--scale", "0.001", "--postgres-rate", bad}).exit_code, 2) << bad;
  }
  const CliRun rawlog_alone = Run({"bench", "--scale", "0.001", "--phases", "rawlog"});
  EXPECT_EQ(rawlog_alone.exit_code, 2);
  EXPECT_NE(rawlog_alone.err.find("rawlog copies the batch phase"), std::string::npos)
      << rawlog_alone.err;
  const CliRun unknown = Run({"bench", "--scale", "0.001", "--phases", "batch,log"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown phase 'log' (choose from apply,batch,raw,rawlog,verify,read,"
                             "onecase)"),
            std::string::npos)
      << unknown.err;
  // A directory that is not empty is refused: the bench never mixes with other data.
  cli_test::WriteFile(dir_ / "occupied", "x");
  EXPECT_EQ(Run({"bench", "--scale", "0.001", "--dir", dir_.string()}).exit_code, 2);
}

}  // namespace
}  // namespace caseledger
