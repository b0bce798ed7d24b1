// Proves, through the real caseledger binary, the operations outside the special account: a
// receipt reassigned to another case still reconciles with its bank line; direct performance
// and settlement in kind show in `case` and in the indicators' `recovered`; relief shows in
// `balance` (`relief_paid`, apart from the bank) and in the indicators' `relief`; verify agrees.
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

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";
constexpr char kAccountA[] = "8801000000000137";  // the first case opened

std::string OpenCase(const std::string& id, const std::string& case_no) {
  return cli_test::OpenPlainCase(id, case_no);
}

class OutsideCliTest : public CliFixture {
 protected:
  // Receipt B1 of 5,000.00 is booked to A on 03-04 and moved to B on 03-06; the debtor of A
  // pays 2,000.00 directly on 03-08; B settles 3,000.00 in kind on 03-09; A's creditor gets
  // 1,200.00 of relief on 03-12 and B's (the same party id c1) 800.00 on 03-13.
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2024-12-31";
    const std::string a = kCaseA, b = kCaseB;
    const CliRun run =
        Apply({OpenCase("open-a", a), OpenCase("open-b", b),
               Cmd("r-1", "2024-03-04",
                   R"("receipt":{"case_no":")" + a +
                       R"(","amount":"5000","bank_ref":"B1","source":"debtor_payment"})"),
               Cmd("move-1", "2024-03-06",
                   R"("reassign_receipt":{"bank_ref":"B1","to_case_no":")" + b +
                       R"(","reason":"案号录错"})"),
               Cmd("direct-1", "2024-03-08",
                   R"("direct_performance":{"case_no":")" + a +
                       R"(","amount":"2000","reason":"当面支付"})"),
               Cmd("kind-1", "2024-03-09",
                   R"("settle_in_kind":{"case_no":")" + b +
                       R"(","amount":"3000","property":"车辆一辆","ruling_on":"2024-03-09"})"),
               Cmd("relief-1", "2024-03-12",
                   R"("relief_payment":{"case_no":")" + a +
                       R"(","payee":"c1","amount":"1200","bank_ref":"JZ-1","reason":"生活困难"})"),
               Cmd("relief-2", "2024-03-13",
                   R"("relief_payment":{"case_no":")" + b +
                       R"(","payee":"c1","amount":"800","bank_ref":"JZ-2","reason":"生活困难"})")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) {
      EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
  }

  json::Value RunJson(std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), {"--db", db_});
    args.push_back("--json");
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    return ParseJson(run.out);
  }
};

TEST_F(OutsideCliTest, CaseShowsMovedMoneyAndMoneyRecoveredOutsideTheAccount) {
  // A: recovered 2,000.00 (direct), disbursed 2,000.00, balance 0: B1 left it.
  const json::Value a = RunJson({"case", kCaseA});
  EXPECT_EQ(Str(a, "recovered"), "2000.00");
  EXPECT_EQ(Str(a, "disbursed"), "2000.00");
  EXPECT_EQ(Str(a, "balance"), "0.00");
  EXPECT_EQ(Str(a, "relief_paid"), "1200.00");
  // B: 5,000.00 (B1) + 3,000.00 (in kind) recovered, 3,000.00 disbursed, 5,000.00 on the
  // account in B1's lot, still dated 2024-03-04 and due 2024-04-03.
  const json::Value b = RunJson({"case", kCaseB});
  EXPECT_EQ(Str(b, "recovered"), "8000.00");
  EXPECT_EQ(Str(b, "disbursed"), "3000.00");
  EXPECT_EQ(Str(b, "balance"), "5000.00");
  const json::Value* lots = b.Find("lots");
  ASSERT_TRUE(lots != nullptr && lots->is_array());
  ASSERT_EQ(lots->items.size(), 1u);
  EXPECT_EQ(Str(lots->items[0], "date"), "2024-03-04");
  EXPECT_EQ(Str(lots->items[0], "deadline"), "2024-04-03");
}

TEST_F(OutsideCliTest, BalanceShowsReliefApartFromTheBank) {
  const json::Value balance = RunJson({"balance"});
  EXPECT_EQ(Str(balance, "bank"), "5000.00");
  EXPECT_EQ(Str(balance, "cases"), "5000.00");
  EXPECT_EQ(Str(balance, "relief_paid"), "2000.00");
  const json::Value* agree = balance.Find("agree");
  ASSERT_TRUE(agree != nullptr && agree->is_bool());
  EXPECT_TRUE(agree->boolean);
  // As of 03-12 only the first relief payment was made.
  EXPECT_EQ(Str(RunJson({"balance", "--as-of", "2024-03-12"}), "relief_paid"), "1200.00");
}

TEST_F(OutsideCliTest, IndicatorsCountRecoveredOutsideTheAccountAndRelief) {
  // Recovered in March: 5,000.00 + 2,000.00 + 3,000.00 = 10,000.00. Relief: 1,200.00 + 800.00
  // to one recipient (c1 in both cases).
  const json::Value r =
      RunJson({"report", "indicators", "--from", "2024-03-01", "--to", "2024-03-31"});
  EXPECT_EQ(Str(r, "recovered"), "10000.00");
  const json::Value* relief = r.Find("relief");
  ASSERT_NE(relief, nullptr);
  EXPECT_EQ(Str(*relief, "amount"), "2000.00");
  const json::Value* recipients = relief->Find("recipients");
  ASSERT_TRUE(recipients != nullptr && recipients->is_number());
  EXPECT_EQ(recipients->text, "1");
  // April saw none of it.
  const json::Value april =
      RunJson({"report", "indicators", "--from", "2024-04-01", "--to", "2024-04-30"});
  EXPECT_EQ(Str(april, "recovered"), "0.00");
  EXPECT_EQ(Str(*april.Find("relief"), "amount"), "0.00");
}

TEST_F(OutsideCliTest, ReassignedReceiptStillReconcilesWithItsBankLine) {
  // The bank saw one line: B1, 5,000.00 in, naming A's virtual account. The reassignment and
  // the operations outside the account moved nothing through the bank.
  const std::string file = (dir_ / "statement.csv").string();
  WriteFile(file,
            "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
            "virtual_account,memo,balance\n"
            "2024-03-04,in,5000.00,B1,张某,6222000011112222," +
                std::string(kAccountA) + ",,5000.00\n");
  const json::Value r = RunJson({"reconcile", file, "--period", "2024-03-01:2024-03-31"});
  const json::Value* agree = r.Find("agree");
  ASSERT_TRUE(agree != nullptr && agree->is_bool());
  EXPECT_TRUE(agree->boolean);
  const json::Value* matched = r.Find("matched");
  ASSERT_TRUE(matched != nullptr && matched->is_array());
  ASSERT_EQ(matched->items.size(), 1u);
  EXPECT_EQ(Str(matched->items[0], "bank_ref"), "B1");
  EXPECT_TRUE(r.Find("ledger_only")->items.empty());
  EXPECT_TRUE(r.Find("bank_only")->items.empty());
  EXPECT_EQ(Str(r, "ledger_balance"), "5000.00");
}

TEST_F(OutsideCliTest, ReversalsReconcileAndVerify) {
  const CliRun run = Apply({Cmd("undo-move", "2024-03-20",
                                R"("reverse":{"target_request_id":"move-1","reason":"更正"})"),
                            Cmd("undo-relief", "2024-03-20",
                                R"("reverse":{"target_request_id":"relief-2","reason":"更正"})")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(Str(RunJson({"case", kCaseA}), "balance"), "5000.00");
  EXPECT_EQ(Str(RunJson({"case", kCaseB}), "balance"), "0.00");
  EXPECT_EQ(Str(RunJson({"balance"}), "relief_paid"), "1200.00");
  const json::Value verify = RunJson({"verify"});
  const json::Value* ok = verify.Find("ok");
  ASSERT_TRUE(ok != nullptr && ok->is_bool());
  EXPECT_TRUE(ok->boolean);
  const std::string file = (dir_ / "statement.csv").string();
  WriteFile(file,
            "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
            "virtual_account,memo,balance\n"
            "2024-03-04,in,5000.00,B1,张某,6222000011112222," +
                std::string(kAccountA) + ",,5000.00\n");
  const json::Value r = RunJson({"reconcile", file, "--period", "2024-03-01:2024-03-31"});
  EXPECT_TRUE(r.Find("agree")->boolean);
  EXPECT_EQ(r.Find("matched")->items.size(), 1u);
}

}  // namespace
}  // namespace caseledger
