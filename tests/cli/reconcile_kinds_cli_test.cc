// Proves, through the real caseledger binary, SPEC §4's statement lines of issue 17: one bank
// line paying a whole collective event (its batch_ref) matches the event's items for their sum,
// else is mismatched; the optional `kind` column makes --record book an inbound `interest` line
// as bank_interest and an outbound `charge` line as bank_charge (once), and refuses any other
// kind naming the row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;
using cli_test::WriteFile;

constexpr char kCase[] = "(2024)甘0102执1号";

class ReconcileKindsCliTest : public CliFixture {
 protected:
  // 10,000.00 arrives on 03-04 (B1); event E1 of 03-10, batch BATCH-1, pays c1 1,000.00 (E1-1)
  // and 2,000.00 (E1-2): 3,000.00 in all. The ledger holds 7,000.00.
  void SetUp() override {
    CliFixture::SetUp();
    const std::string c = kCase;
    const std::string item = R"(","payee":"c1","account":"6222000011112222","amount":")";
    const CliRun run =
        Apply({cli_test::OpenPlainCase("open-1", c),
               Cmd("r-1", "2024-03-04",
                   R"("receipt":{"case_no":")" + c +
                       R"(","amount":"10000","bank_ref":"B1","source":"debtor_payment"})"),
               Cmd("event-1", "2024-03-10",
                   R"("collective_disbursement":{"event_id":"E1","title":"集中发放",)"
                   R"("approved_by":"chief.zhou","batch_ref":"BATCH-1","items":[{"case_no":")" +
                       c + item + R"(1000","bank_ref":"E1-1"},{"case_no":")" + c + item +
                       R"(2000","bank_ref":"E1-2"}]})")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) {
      EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
  }

  std::string Statement(const std::string& rows) {
    const std::string file = (dir_ / "statement.csv").string();
    WriteFile(file, cli_test::StatementHeader(true) + rows);
    return file;
  }

  json::Value Reconcile(const std::string& file, std::vector<std::string> flags = {},
                        int expected_exit = 0) {
    std::vector<std::string> args = {"--db", db_, "reconcile", file, "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    return ParseJson(run.out);
  }
};

TEST_F(ReconcileKindsCliTest, ABatchLineMatchesTheEventsItems) {
  // One line of 3,000.00 = 1,000.00 + 2,000.00 under BATCH-1: matched, both items listed.
  const json::Value r =
      Reconcile(Statement("2024-03-04,in,10000.00,B1,张某,,,,10000.00,\n"
                          "2024-03-10,out,3000.00,BATCH-1,,,,集中发放,7000.00,\n"));
  const json::Value* matched = r.Find("matched");
  ASSERT_TRUE(matched != nullptr && matched->is_array());
  ASSERT_EQ(matched->items.size(), 2u);
  const json::Value& batch = matched->items[1];
  EXPECT_EQ(Str(batch, "bank_ref"), "BATCH-1");
  EXPECT_EQ(Str(batch, "matched_by"), "batch_ref");
  const json::Value* items = batch.Find("items");
  ASSERT_TRUE(items != nullptr && items->is_array());
  ASSERT_EQ(items->items.size(), 2u);  // both items of entry 3
  EXPECT_EQ(items->items[0].text, "3");
  EXPECT_EQ(items->items[1].text, "3");
  EXPECT_TRUE(r.Find("ledger_only")->items.empty());
  EXPECT_TRUE(r.Find("agree")->boolean);
}

TEST_F(ReconcileKindsCliTest, ABatchLineOfAnotherSumIsMismatched) {
  // 2,900.00 for a batch of 3,000.00: mismatched (exit 1); the ledger side is the sum.
  const json::Value r =
      Reconcile(Statement("2024-03-04,in,10000.00,B1,张某,,,,10000.00,\n"
                          "2024-03-10,out,2900.00,BATCH-1,,,,集中发放,7100.00,\n"),
                {}, 1);
  const json::Value* mismatched = r.Find("mismatched");
  ASSERT_TRUE(mismatched != nullptr && mismatched->is_array());
  ASSERT_EQ(mismatched->items.size(), 1u);
  EXPECT_EQ(Str(mismatched->items[0], "bank_amount"), "2900.00");
  EXPECT_EQ(Str(mismatched->items[0], "ledger_amount"), "3000.00");
  EXPECT_EQ(Str(mismatched->items[0], "ledger_direction"), "out");
  EXPECT_TRUE(r.Find("ledger_only")->items.empty());
}

TEST_F(ReconcileKindsCliTest, RecordBooksInterestAndChargeLinesOnce) {
  // The bank credits 1.50 of interest and debits 0.50 of charges; the ledger knows neither.
  const std::string file = Statement(
      "2024-03-04,in,10000.00,B1,张某,,,,10000.00,\n"
      "2024-03-10,out,3000.00,BATCH-1,,,,集中发放,7000.00,\n"
      "2024-03-21,in,1.50,I9,银行,,,结息,7001.50,interest\n"
      "2024-03-21,out,0.50,C9,银行,,,手续费,7001.00,charge\n");
  // Before recording: both bank-only; ledger 7,000.00 + 1.50 − 0.50 = 7,001.00 = statement.
  const json::Value r = Reconcile(file, {"--record"});
  EXPECT_EQ(r.Find("bank_only")->items.size(), 2u);
  const json::Value* recorded = r.Find("recorded");
  ASSERT_TRUE(recorded != nullptr && recorded->is_array());
  ASSERT_EQ(recorded->items.size(), 2u);
  EXPECT_EQ(Str(recorded->items[0], "op"), "bank_interest");
  EXPECT_EQ(Str(recorded->items[0], "request_id"), "reconcile:I9");
  EXPECT_EQ(Str(recorded->items[1], "op"), "bank_charge");
  EXPECT_EQ(Str(recorded->items[1], "request_id"), "reconcile:C9");
  const CliRun balance = Run({"--db", db_, "balance", "--json"});
  const json::Value b = ParseJson(balance.out);
  EXPECT_EQ(Str(b, "bank"), "7001.00");
  EXPECT_EQ(Str(b, "interest"), "1.50");
  EXPECT_EQ(Str(b, "charges"), "0.50");
  // Run again: everything matches now and nothing new is recorded.
  const json::Value again = Reconcile(file, {"--record"});
  EXPECT_TRUE(again.Find("recorded")->items.empty());
  EXPECT_TRUE(again.Find("bank_only")->items.empty());
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 0);
}

TEST_F(ReconcileKindsCliTest, AnyOtherKindRefusesTheRunNamingTheRow) {
  const std::string file = Statement(
      "2024-03-04,in,10000.00,B1,张某,,,,10000.00,\n"
      "2024-03-21,out,0.50,C9,银行,,,,,fee\n");
  const CliRun run = Run({"--db", db_, "reconcile", file, "--record", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("row 3: kind"), std::string::npos) << run.out << run.err;
  EXPECT_NE(Run({"--db", db_, "balance", "--json"}).out.find(R"("charges":"0.00")"),
            std::string::npos);  // nothing recorded
}

}  // namespace
}  // namespace caseledger
