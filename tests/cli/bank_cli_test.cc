// Proves, through the real caseledger binary, the bank's own money (issue 17): interest and
// charges show in `balance` and reconcile with their statement lines by value date; `balance`
// says 账账相符 (agree) of the ledger alone and 账实相符 (bank_agree) only against a statement;
// preserved money moved by transfer_preserved shows as `transferred`; verify agrees.
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
constexpr char kPreservation[] = "(2024)甘0102执保1号";

std::string OpenCase(const std::string& id, const std::string& case_no) {
  return cli_test::OpenPlainCase(id, case_no);
}

class BankCliTest : public CliFixture {
 protected:
  // 10,000.00 arrives for the 执保 case on 03-04; the bank credits 12.34 of interest (value
  // date 03-20, booked 03-21) and debits a 5.00 charge (value date 03-20, booked 03-22);
  // 4,000.00 of the preserved money moves to the enforcement case on 03-25.
  void SetUp() override {
    CliFixture::SetUp();
    const std::string p = kPreservation, e = kCase;
    const CliRun run = Apply(
        {OpenCase("open-p", p), OpenCase("open-e", e),
         Cmd("r-1", "2024-03-04",
             R"("receipt":{"case_no":")" + p +
                 R"(","amount":"10000","bank_ref":"B1","source":"bank_deduction"})"),
         Cmd("int-1", "2024-03-21",
             R"("bank_interest":{"amount":"12.34","bank_ref":"I1","value_date":"2024-03-20"})"),
         Cmd("chg-1", "2024-03-22",
             R"("bank_charge":{"amount":"5.00","bank_ref":"C1","value_date":"2024-03-20"})"),
         Cmd("tr-1", "2024-03-25",
             R"("transfer_preserved":{"from_case_no":")" + p + R"(","to_case_no":")" + e +
                 R"(","amount":"4000"})")});
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

  std::string Statement(const std::string& name, const std::string& rows) {
    const std::string file = (dir_ / name).string();
    WriteFile(file, cli_test::StatementHeader(false) + rows);
    return file;
  }
};

TEST_F(BankCliTest, BalanceHoldsInterestAndChargesAndAgreesWithItself) {
  // bank 10,000.00 + 12.34 − 5.00 = 10,007.34 = cases 10,000.00 + interest 12.34 − charges 5.00.
  const json::Value b = RunJson({"balance"});
  EXPECT_EQ(Str(b, "bank"), "10007.34");
  EXPECT_EQ(Str(b, "cases"), "10000.00");
  EXPECT_EQ(Str(b, "interest"), "12.34");
  EXPECT_EQ(Str(b, "charges"), "5.00");
  EXPECT_EQ(Str(b, "relief_paid"), "0.00");
  ASSERT_NE(b.Find("agree"), nullptr);
  EXPECT_TRUE(b.Find("agree")->boolean);
  // Without a statement nothing claims 账实相符.
  EXPECT_EQ(b.Find("bank_agree"), nullptr);
  EXPECT_EQ(b.Find("statement_balance"), nullptr);
  const CliRun table = Run({"--db", db_, "balance"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("账账相符"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("账实相符"), std::string::npos) << table.out;
  // As of 03-21 the charge was not yet booked: 10,000.00 + 12.34.
  EXPECT_EQ(Str(RunJson({"balance", "--as-of", "2024-03-21"}), "bank"), "10012.34");
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 0);
}

TEST_F(BankCliTest, BalanceAgainstTheStatement) {
  const std::string full = Statement("full.csv",
                                     "2024-03-04,in,10000.00,B1,张某,,,,10000.00\n"
                                     "2024-03-20,in,12.34,I1,银行,,,结息,10012.34\n"
                                     "2024-03-20,out,5.00,C1,银行,,,手续费,10007.34\n");
  // The statement closes at 10,007.34: difference 10,007.34 − 10,007.34 = 0.00, 账实相符.
  const json::Value b = RunJson({"balance", "--statement", full});
  EXPECT_EQ(Str(b, "statement_balance"), "10007.34");
  EXPECT_EQ(Str(b, "difference"), "0.00");
  ASSERT_NE(b.Find("bank_agree"), nullptr);
  EXPECT_TRUE(b.Find("bank_agree")->boolean);
  const CliRun table = Run({"--db", db_, "balance", "--statement", full});
  EXPECT_NE(table.out.find("账实相符"), std::string::npos) << table.out;

  // A statement that has not yet shown the charge closes at 10,012.34: 10,007.34 − 10,012.34.
  const std::string partial = Statement("partial.csv",
                                        "2024-03-04,in,10000.00,B1,张某,,,,10000.00\n"
                                        "2024-03-20,in,12.34,I1,银行,,,结息,10012.34\n");
  const json::Value p = RunJson({"balance", "--statement", partial});
  EXPECT_EQ(Str(p, "difference"), "-5.00");
  EXPECT_FALSE(p.Find("bank_agree")->boolean);
  EXPECT_TRUE(p.Find("agree")->boolean);  // the ledger still agrees with itself

  const std::string bad = Statement("bad.csv", "2024-03-04,sideways,1.00,B1,,,,,\n");
  const CliRun refused = Run({"--db", db_, "balance", "--statement", bad, "--json"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.out.find("INVALID_ARGUMENT"), std::string::npos) << refused.out;
}

TEST_F(BankCliTest, InterestAndChargesReconcileByValueDate) {
  const std::string full = Statement("full.csv",
                                     "2024-03-04,in,10000.00,B1,张某,,,,10000.00\n"
                                     "2024-03-20,in,12.34,I1,银行,,,结息,10012.34\n"
                                     "2024-03-20,out,5.00,C1,银行,,,手续费,10007.34\n");
  // The period ends on 03-20, before the interest and charge were booked: they are taken by
  // their value dates, so all three lines match.
  const json::Value r = RunJson({"reconcile", full, "--period", "2024-03-01:2024-03-20"});
  const json::Value* matched = r.Find("matched");
  ASSERT_TRUE(matched != nullptr && matched->is_array());
  EXPECT_EQ(matched->items.size(), 3u);
  EXPECT_EQ(Str(r, "ledger_balance"), "10007.34");
  EXPECT_TRUE(r.Find("agree")->boolean);
}

TEST_F(BankCliTest, CaseShowsTheTransferredPreservedMoney) {
  // 执保1: recovered 10,000.00, transferred 4,000.00, balance 6,000.00; fee 0 (执保).
  const json::Value p = RunJson({"case", kPreservation});
  EXPECT_EQ(Str(p, "recovered"), "10000.00");
  EXPECT_EQ(Str(p, "transferred"), "4000.00");
  EXPECT_EQ(Str(p, "balance"), "6000.00");
  EXPECT_EQ(Str(p, "fee"), "0.00");
  // 执1: recovered 4,000.00 on 03-25, transferred 0.00.
  const json::Value e = RunJson({"case", kCase});
  EXPECT_EQ(Str(e, "recovered"), "4000.00");
  EXPECT_EQ(Str(e, "transferred"), "0.00");
  EXPECT_EQ(Str(e, "balance"), "4000.00");
  const CliRun table = Run({"--db", db_, "case", kPreservation});
  EXPECT_NE(table.out.find("保全款已转执行"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace caseledger
