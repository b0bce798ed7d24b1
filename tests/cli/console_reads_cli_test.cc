// The reads the console is built on, run as the command line: `approvals` (the roles in force,
// what waits for whose step, payments awaiting finance), `cases --party/--account`, `report
// monthly --json` (the lights per case, judge and court) and `names --json`; each with its bad
// input.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace caseledger::cli_test {
namespace {

const std::string kCase = "(2024)甘0102执3号";

class ConsoleReadsCliTest : public CliFixture {
 protected:
  // Roles set and approved; a case opened with a receipt of 30,000.00 and a payment of
  // 10,000.00 requested (through --maintenance: the ledger has roles).
  void Seed() {
    const std::string roles =
        R"("set_roles":{"assignments":[{"operator":"admin.a","roles":["administrator"]},)"
        R"({"operator":"admin.b","roles":["administrator"]},{"operator":"clerk.a","roles":["clerk"]},)"
        R"({"operator":"mgr.m","roles":["manager"]},{"operator":"fin.f","roles":["finance"]}]})";
    ASSERT_EQ(Apply({Cmd("roles-1", "2024-03-01", roles, "admin.a")}).exit_code, 0);
    ASSERT_EQ(Apply({Cmd("ok-1", "2024-03-01", R"("approve":{"target_request_id":"roles-1"})",
                         "admin.b")})
                  .exit_code,
              0);
    const CliRun seeded = Apply(
        {Cmd("open-1", "2024-03-01",
             R"("open_case":{"case_no":")" + kCase +
                 R"(","claim":"100000","judge":"王法官","creditors":[{"party_id":"c1","name":"某某公司"}],)"
                 R"("debtors":[{"party_id":"d1","name":"张某"}]})",
             "clerk.a"),
         Cmd("rc-1", "2024-03-04",
             R"("receipt":{"case_no":")" + kCase +
                 R"(","amount":"30000","bank_ref":"B1","source":"debtor_payment"})",
             "clerk.a"),
         Cmd("dr-1", "2024-03-05",
             R"("request_disbursement":{"disbursement_id":"D1","case_no":")" + kCase +
                 R"(","payee":"c1","amount":"10000"})",
             "clerk.a")},
        {"--maintenance"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.out;
  }

  json::Value Json(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"--db", db_, "--json"};
    full.insert(full.end(), args.begin(), args.end());
    const CliRun run = Run(full);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return ParseJson(run.out);
  }
};

TEST_F(ConsoleReadsCliTest, ApprovalsSaysWhatWaitsForWhom) {
  Seed();
  const json::Value all = Json({"approvals"});
  EXPECT_EQ(all.Find("roles")->items.size(), 5u);
  ASSERT_EQ(all.Find("waiting")->items.size(), 1u);
  const json::Value& d1 = all.Find("waiting")->items[0];
  EXPECT_EQ(d1.Find("id")->text, "D1");
  EXPECT_EQ(d1.Find("kind")->text, "disbursement");
  EXPECT_EQ(d1.Find("stage")->text, "approve");
  EXPECT_EQ(d1.Find("amount")->text, "10000.00");
  EXPECT_EQ(d1.Find("next_role")->text, "manager");
  EXPECT_EQ(d1.Find("requested_by")->text, "clerk.a");
  EXPECT_EQ(d1.Find("on")->text, "2024-03-05");
  EXPECT_EQ(Json({"approvals", "--role", "manager"}).Find("waiting")->items.size(), 1u);
  EXPECT_TRUE(Json({"approvals", "--role", "bureau_head"}).Find("waiting")->items.empty());
  EXPECT_TRUE(Json({"approvals", "--case", "(2024)甘0102执4号"}).Find("waiting")->items.empty());
  EXPECT_TRUE(Json({"approvals", "--roles"}).Find("waiting")->items.empty());
  EXPECT_EQ(Json({"approvals", "--roles"}).Find("roles")->items.size(), 5u);
  // The table, in Chinese.
  const CliRun table = Run({"--db", db_, "approvals"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("D1"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("申请人"), std::string::npos) << table.out;
  // Bad input: a role that is none, a ledger that is not there.
  EXPECT_EQ(Run({"--db", db_, "approvals", "--role", "boss"}).exit_code, 2);
  EXPECT_EQ(Run({"--db", (dir_ / "none").string(), "--json", "approvals"}).exit_code, 2);
}

TEST_F(ConsoleReadsCliTest, AnApprovedPaymentWaitsForFinance) {
  Seed();
  const CliRun step = Apply(
      {Cmd("s1", "2024-03-06", R"("approve_disbursement":{"disbursement_id":"D1"})", "mgr.m")},
      {"--maintenance"});
  ASSERT_EQ(step.exit_code, 0) << step.out;
  // The default chain is manager then bureau head: nobody holds bureau_head here, so D1 waits.
  EXPECT_TRUE(Json({"approvals", "--role", "manager"}).Find("waiting")->items.empty());
  const json::Value head = Json({"approvals", "--role", "bureau_head"});
  ASSERT_EQ(head.Find("waiting")->items.size(), 1u);
  EXPECT_EQ(head.Find("waiting")->items[0].Find("steps_done")->text, "1");
  EXPECT_TRUE(Json({"approvals", "--role", "finance"}).Find("waiting")->items.empty());
}

TEST_F(ConsoleReadsCliTest, CasesByPartyNameOrVirtualAccount) {
  Seed();
  const json::Value byName = Json({"cases", "--party", "某某"});
  ASSERT_EQ(byName.items.size(), 1u);
  EXPECT_EQ(byName.items[0].Find("case_no")->text, kCase);
  EXPECT_TRUE(Json({"cases", "--party", "李某"}).items.empty());
  const std::string account = Json({"case", kCase}).Find("account_no")->text;
  ASSERT_EQ(Json({"cases", "--account", account}).items.size(), 1u);
  EXPECT_TRUE(Json({"cases", "--account", "8801000000009999"}).items.empty());
}

TEST_F(ConsoleReadsCliTest, MonthlyLightsAsJson) {
  Seed();
  const json::Value lights = Json({"report", "monthly", "--month", "2024-03"});
  EXPECT_EQ(lights.Find("month")->text, "2024-03");
  ASSERT_EQ(lights.Find("lights")->items.size(), 1u);
  const json::Value& row = lights.Find("lights")->items[0];
  EXPECT_EQ(row.Find("case_no")->text, kCase);
  EXPECT_EQ(row.Find("court")->text, "甘0102");
  EXPECT_EQ(row.Find("judge")->text, "王法官");
  ASSERT_EQ(lights.Find("by_judge")->items.size(), 1u);
  ASSERT_EQ(lights.Find("by_court")->items.size(), 1u);
  EXPECT_EQ(lights.Find("by_court")->items[0].Find("light")->text, row.Find("light")->text);
  EXPECT_EQ(Run({"--db", db_, "--json", "report", "monthly", "--month", "2024-13"}).exit_code, 2);
}

TEST_F(ConsoleReadsCliTest, NamesAreTheTablesLabels) {
  const CliRun run = Run({"--json", "names"});  // no ledger needed
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json::Value names = ParseJson(run.out);
  EXPECT_EQ(names.Find("operation")->Find("confirm_disbursement")->Find("zh")->text, "发放");
  EXPECT_EQ(names.Find("role")->Find("manager")->Find("zh")->text, "案款管理人");
  // The cashbook's kinds of account, as its table names them.
  EXPECT_EQ(names.Find("account")->Find("fees")->Find("zh")->text, "执行费（未上缴）");
  EXPECT_EQ(names.Find("account")->Find("cases")->Find("zh")->text, "案款");
  // Directions and reconcile's ways of matching, as reconcile's tables print them.
  EXPECT_EQ(names.Find("direction")->Find("out")->Find("zh")->text, "付");
  EXPECT_EQ(names.Find("matched_by")->Find("bank_ref")->Find("zh")->text, "按流水号");
  EXPECT_EQ(names.Find("case_status")->Find("open")->Find("en")->text.empty(), false);
  EXPECT_EQ(Run({"names"}).exit_code, 2);  // JSON only
}

}  // namespace
}  // namespace caseledger::cli_test
