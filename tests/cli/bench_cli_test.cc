// Proves that `caseledger bench` runs end to end at a small scale: every generated command is
// accepted by `apply` and by the batch API, both ledgers it leaves verify, the year's statement
// reconciles, and its JSON carries every figure (no timing is asserted: a benchmark is not a
// test).
#include <gtest/gtest.h>

#include <string>

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
        "batch_vs_raw", "verify_entries_per_s", "case_p50_us", "case_p99_us", "case_past_p50_us",
        "case_past_p99_us", "indicators_ms", "overdue_ms", "reconcile_ms", "peak_rss_mb"}) {
    const json::Value* value = figures.Find(key);
    EXPECT_TRUE(value != nullptr && value->is_number()) << key;
  }
  EXPECT_TRUE(True(figures, "verify_ok"));
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
  // The statement the bench reconciled is one `reconcile` accepts too.
  const CliRun reconcile_run =
      Run({"--db", dir + "/batch-db", "reconcile", dir + "/statement-2021-06.csv", "--json"});
  EXPECT_EQ(reconcile_run.exit_code, 0) << reconcile_run.out.substr(0, 1000) << reconcile_run.err;
}

TEST_F(BenchCli, TablesForPeopleAndUsageErrors) {
  const CliRun run = Run({"bench", "--scale", "0.001", "--lang", "en"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("apply ÷ raw"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("rejected commands"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("bench: verify"), std::string::npos) << run.err;
  for (const char* bad : {"0", "-1", "1e-2", "abc", "1000"}) {
    EXPECT_EQ(Run({"bench", "--scale", bad}).exit_code, 2) << bad;
  }
  // A directory that is not empty is refused: the bench never mixes with other data.
  cli_test::WriteFile(dir_ / "occupied", "x");
  EXPECT_EQ(Run({"bench", "--scale", "0.001", "--dir", dir_.string()}).exit_code, 2);
}

}  // namespace
}  // namespace caseledger
