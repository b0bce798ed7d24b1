// Proves, through the real caseledger binary, `movements` (收支明细, SPEC §3, §8): every movement
// through the special account booked in the period with its totals, a reversed receipt and its
// reversal both shown, each filter, the Chinese and English tables, CSV, and usage errors.
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

std::string Open(const std::string& id, const std::string& case_no, const std::string& judge) {
  return Cmd(id, "2024-01-02",
             R"("open_case":{"case_no":")" + case_no + R"(","claim":"50000","judge":")" + judge +
                 R"(","creditors":[{"party_id":"c-)" + id +
                 R"(","name":"张明"}],"debtors":[{"party_id":"d-)" + id + R"(","name":"李强"}]})");
}

std::string Receipt(const std::string& id, const std::string& on, const std::string& case_no,
                    const std::string& amount, const std::string& bank_ref,
                    const std::string& extra = "") {
  return Cmd(id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + bank_ref + R"(","source":"debtor_payment")" + extra + "}");
}

// In January 2024: R1 1,000 in to A (payer 王五, value date 01-09); R2 500 in to B (甘0103,
// judge 李四), reversed on 01-12 (500 out); U1 300 in, unidentified (payer 某公司); P1 200 out
// of A to its creditor 张明. R3 in February is outside. In 1,800.00, out 700.00, 5 movements.
class MovementsCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const std::string a = kCaseA;
    const CliRun run = Apply({
        Open("open-a", kCaseA, "张三"),
        Open("open-b", kCaseB, "李四"),
        Receipt("rcpt-a", "2024-01-10", kCaseA, "1000", "R1",
                R"(,"payer":"王五","value_date":"2024-01-09")"),
        Receipt("rcpt-b", "2024-01-11", kCaseB, "500", "R2"),
        Cmd("rev-b", "2024-01-12", R"("reverse":{"target_request_id":"rcpt-b","reason":"错案"})"),
        Cmd("unid-1", "2024-01-15",
            R"("unidentified_receipt":{"amount":"300","bank_ref":"U1","payer":"某公司"})"),
        Cmd("req-1", "2024-01-20",
            R"("request_disbursement":{"disbursement_id":"d1","case_no":")" + a +
                R"(","payee":"c-open-a","amount":"200"})"),
        Cmd("appr-1", "2024-01-20", R"("approve_disbursement":{"disbursement_id":"d1"})",
            "director.li"),
        Cmd("conf-1", "2024-01-20",
            R"("confirm_disbursement":{"disbursement_id":"d1","bank_ref":"P1"})"),
        Receipt("rcpt-a2", "2024-02-02", kCaseA, "50", "R3"),
    });
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  }

  CliRun Movements(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--db", db_, "movements", "--from", "2024-01-01", "--to", "2024-01-31"});
    return Run(args);
  }

  // The bank references of the selected movements, in order.
  std::vector<std::string> Refs(std::vector<std::string> args) {
    args.push_back("--json");
    const CliRun run = Movements(args);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    std::vector<std::string> refs;
    const json::Value r = ParseJson(run.out);
    const json::Value* movements = r.Find("movements");
    if (movements == nullptr) return refs;
    for (const auto& m : movements->items) refs.push_back(Str(m, "bank_ref"));
    return refs;
  }
};

TEST_F(MovementsCliTest, JsonShapeTotalsAndAReversalBesideItsReceipt) {
  const CliRun run = Movements({"--json"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ASSERT_EQ(run.Lines().size(), 1u);
  const json::Value r = ParseJson(run.out);
  EXPECT_EQ(Str(r, "from"), "2024-01-01");
  EXPECT_EQ(Str(r, "to"), "2024-01-31");
  EXPECT_EQ(Str(r, "total_in"), "1800.00");  // 1,000 + 500 + 300
  EXPECT_EQ(Str(r, "total_out"), "700.00");  // 500 (the reversal) + 200
  const json::Value* count = r.Find("count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->text, "5");
  const json::Value* movements = r.Find("movements");
  ASSERT_NE(movements, nullptr);
  ASSERT_EQ(movements->items.size(), 5u);
  const json::Value& first = movements->items[0];
  EXPECT_EQ(Str(first, "on"), "2024-01-10");
  EXPECT_EQ(Str(first, "value_date"), "2024-01-09");
  EXPECT_EQ(Str(first, "kind"), "receipt");
  EXPECT_EQ(Str(first, "case_no"), kCaseA);
  EXPECT_EQ(Str(first, "counterparty"), "王五");
  EXPECT_EQ(Str(first, "direction"), "in");
  EXPECT_EQ(Str(first, "amount"), "1000.00");
  EXPECT_EQ(Str(first, "bank_ref"), "R1");
  const json::Value& reversal = movements->items[2];
  EXPECT_EQ(Str(reversal, "kind"), "reverse");
  EXPECT_EQ(Str(reversal, "direction"), "out");
  EXPECT_EQ(Str(reversal, "case_no"), kCaseB);
  EXPECT_EQ(Str(movements->items[3], "case_no"), "<null>");     // unidentified: no case
  EXPECT_EQ(Str(movements->items[4], "counterparty"), "张明");  // the creditor's name
  EXPECT_EQ(Str(movements->items[4], "kind"), "confirm_disbursement");
  // seq order
  for (size_t i = 1; i < movements->items.size(); ++i) {
    EXPECT_LT(std::stoll(movements->items[i - 1].Find("seq")->text),
              std::stoll(movements->items[i].Find("seq")->text));
  }
}

TEST_F(MovementsCliTest, EachFilterSelects) {
  const std::vector<std::string> all = {"R1", "R2", "<null>", "U1", "P1"};
  EXPECT_EQ(Refs({}), all);
  EXPECT_EQ(Refs({"--case", kCaseA}), (std::vector<std::string>{"R1", "P1"}));
  EXPECT_EQ(Refs({"--court", "甘0103"}), (std::vector<std::string>{"R2", "<null>"}));
  EXPECT_EQ(Refs({"--judge", "张三"}), (std::vector<std::string>{"R1", "P1"}));
  EXPECT_EQ(Refs({"--payer", "王"}), (std::vector<std::string>{"R1"}));
  EXPECT_EQ(Refs({"--bank-ref", "U1"}), (std::vector<std::string>{"U1"}));
  EXPECT_EQ(Refs({"--min", "400", "--max", "600.00"}), (std::vector<std::string>{"R2", "<null>"}));
  EXPECT_EQ(Refs({"--direction", "out"}), (std::vector<std::string>{"<null>", "P1"}));
}

TEST_F(MovementsCliTest, ChineseAndEnglishTablesAndCsv) {
  const CliRun zh = Movements({});
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* word :
       {"收支明细", "到账", "冲销", "不明款到账", "发放", "收入合计", "1,800.00"}) {
    EXPECT_NE(zh.out.find(word), std::string::npos) << word << "\n" << zh.out;
  }
  for (const char* code : {"receipt", "reverse", "confirm_disbursement", " in ", " out "}) {
    EXPECT_EQ(zh.out.find(code), std::string::npos) << code << "\n" << zh.out;
  }
  const CliRun en = Movements({"--lang", "en"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("confirm_disbursement"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("total in"), std::string::npos) << en.out;
  const CliRun csv = Movements({"--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find("\r\n")),
            "seq,on,value_date,kind,case_no,counterparty,direction,amount,bank_ref");
  EXPECT_EQ(csv.Lines().size(), 6u);  // the header and five movements
}

TEST_F(MovementsCliTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> bad = {
      {"--db", db_, "movements", "--from", "2024-02-01", "--to", "2024-01-01"},
      {"--db", db_, "movements", "--from", "2024-13-01", "--to", "2024-01-31"},
      {"--db", db_, "movements", "--from", "2024-01-01", "--to", "2024-01-31", "--min", "1.234"},
      {"--db", db_, "movements", "--from", "2024-01-01", "--to", "2024-01-31", "--max", "-5"},
      {"--db", db_, "movements", "--from", "2024-01-01", "--to", "2024-01-31", "--min", "9",
       "--max", "1"},
      {"--db", db_, "movements", "--from", "2024-01-01", "--to", "2024-01-31", "--direction",
       "sideways"},
      {"--db", db_, "movements", "--from", "2024-01-01"},
  };
  for (const auto& args : bad) {
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 2) << args[args.size() - 1] << ": " << run.out << run.err;
    EXPECT_FALSE(run.err.empty());
  }
}

}  // namespace
}  // namespace caseledger
