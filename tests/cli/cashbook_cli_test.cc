// Proves, through the real caseledger binary, `report cashbook` (收支月报, SPEC §3, §8): the
// JSON shape and hand-worked figures of a month, the total equal to `balance --as-of` at both
// ends, one court's cases alone with a null total, the Chinese table, CSV, and usage errors.
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

constexpr const char* kCaseA = "(2024)甘0102执1号";
constexpr const char* kCaseB = "(2024)甘0103执2号";

std::string Open(const std::string& id, const std::string& case_no) {
  return Cmd(id, "2024-01-02",
             R"("open_case":{"case_no":")" + case_no +
                 R"(","claim":"50000","creditors":[{"party_id":"c-)" + id +
                 R"(","name":"张明"}],"debtors":[{"party_id":"d-)" + id + R"(","name":"李强"}]})");
}

// January: A receives 1,000; 300 arrives unidentified (U1). February: the fee 50 charged to A;
// U1 claimed into B (甘0103); 600 paid from A; the fees remitted.
//  cases    1,000 + 300 − (50 + 600) = 650     suspense 300 + 0 − 300 = 0
//  fees         0 + 50 − 50 = 0                 bank 1,300 + 0 − 650 = 650
//  甘0103 alone: cases 0 + 300 − 0 = 300.
class CashbookCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const std::string a = kCaseA;
    const std::string b = kCaseB;
    const CliRun run = Apply({
        Open("open-a", kCaseA),
        Open("open-b", kCaseB),
        Cmd("rcpt-a", "2024-01-10",
            R"("receipt":{"case_no":")" + a +
                R"(","amount":"1000","bank_ref":"R1","source":"debtor_payment"})"),
        Cmd("unid-1", "2024-01-15", R"("unidentified_receipt":{"amount":"300","bank_ref":"U1"})"),
        Cmd("fee-a", "2024-02-01", R"("charge_fee":{"case_no":")" + a + R"(","amount":"50"})"),
        Cmd("claim-1", "2024-02-03", R"("claim":{"bank_ref":"U1","case_no":")" + b + R"("})"),
        Cmd("req-1", "2024-02-05",
            R"("request_disbursement":{"disbursement_id":"d1","case_no":")" + a +
                R"(","payee":"c-open-a","amount":"600"})"),
        Cmd("appr-1", "2024-02-05", R"("approve_disbursement":{"disbursement_id":"d1"})",
            "director.li"),
        Cmd("conf-1", "2024-02-05",
            R"("confirm_disbursement":{"disbursement_id":"d1","bank_ref":"P1"})"),
        Cmd("remit-1", "2024-02-06", R"("remit_fees":{"amount":"50","bank_ref":"F1"})"),
    });
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  }

  json::Value Json(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    args.push_back("--json");
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return ParseJson(run.out);
  }

  static std::string Row(const json::Value& row) {
    return Str(row, "opening") + " " + Str(row, "in") + " " + Str(row, "out") + " " +
           Str(row, "closing");
  }
};

TEST_F(CashbookCliTest, JsonOfAMonthAndItsTotalIsTheBankBalanceAtBothEnds) {
  const json::Value r = Json({"report", "cashbook", "--month", "2024-02"});
  EXPECT_EQ(Str(r, "month"), "2024-02");
  const json::Value* accounts = r.Find("accounts");
  ASSERT_NE(accounts, nullptr);
  std::vector<std::string> rows;
  for (const auto& row : accounts->items) rows.push_back(Str(row, "account") + " " + Row(row));
  const std::vector<std::string> expected = {
      "cases 1000.00 300.00 650.00 650.00", "suspense 300.00 0.00 300.00 0.00",
      "fees 0.00 50.00 50.00 0.00",         "lodged 0.00 0.00 0.00 0.00",
      "interest 0.00 0.00 0.00 0.00",       "charges 0.00 0.00 0.00 0.00"};
  EXPECT_EQ(rows, expected);
  const json::Value* total = r.Find("total");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(Row(*total), "1300.00 0.00 650.00 650.00");
  EXPECT_EQ(Str(Json({"balance", "--as-of", "2024-01-31"}), "bank"), "1300.00");
  EXPECT_EQ(Str(Json({"balance", "--as-of", "2024-02-29"}), "bank"), "650.00");
}

TEST_F(CashbookCliTest, OneCourtsCasesAloneWithANullTotal) {
  const json::Value r = Json({"report", "cashbook", "--month", "2024-02", "--court", "甘0103"});
  const json::Value* accounts = r.Find("accounts");
  ASSERT_NE(accounts, nullptr);
  ASSERT_EQ(accounts->items.size(), 1u);
  EXPECT_EQ(Str(accounts->items[0], "account"), "cases");
  EXPECT_EQ(Row(accounts->items[0]), "0.00 300.00 0.00 300.00");
  EXPECT_EQ(Str(r, "total"), "<null>");
}

TEST_F(CashbookCliTest, ChineseTableCsvAndUsageErrors) {
  const CliRun zh = Run({"--db", db_, "report", "cashbook", "--month", "2024-02"});
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* word : {"收支月报", "案款", "不明款（待认领）", "期初余额", "1,300.00"}) {
    EXPECT_NE(zh.out.find(word), std::string::npos) << word << "\n" << zh.out;
  }
  for (const char* code : {"cases", "suspense", "lodged", "total"}) {
    EXPECT_EQ(zh.out.find(code), std::string::npos) << code << "\n" << zh.out;
  }
  const CliRun csv = Run({"--db", db_, "report", "cashbook", "--month", "2024-02", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("account,opening,in,out,closing\r\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("total,1300.00,0.00,650.00,650.00\r\n"), std::string::npos) << csv.out;
  for (const char* month : {"2024-13", "2024-2", "24-02"}) {
    const CliRun bad = Run({"--db", db_, "report", "cashbook", "--month", month});
    EXPECT_EQ(bad.exit_code, 2) << month << bad.out << bad.err;
  }
}

}  // namespace
}  // namespace caseledger
