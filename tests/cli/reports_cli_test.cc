// Proves, through the real caseledger binary, the report commands: the JSON shapes of SPEC §8
// for indicators (with --court and --by), overdue, backlog (with --from) and deadlines, their
// values on a small ledger, a Chinese table aligned by display width, CSV, and usage errors.
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
using cli_test::ErrorCode;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;

constexpr const char* kCaseA = "(2024)甘0102执1号";
constexpr const char* kCaseB = "(2024)甘0102执2号";
constexpr const char* kCaseC = "(2024)甘0103执3号";

std::string OpenCase(const std::string& request_id, const std::string& on,
                     const std::string& case_no, const std::string& claim, const std::string& judge,
                     const std::string& creditor_kind) {
  return Cmd(request_id, on,
             R"("open_case":{"case_no":")" + case_no + R"(","claim":")" + claim + R"(","judge":")" +
                 judge + R"(","creditors":[{"party_id":"c-)" + request_id +
                 R"(","name":"张明","kind":")" + creditor_kind +
                 R"("}],"debtors":[{"party_id":"d-)" + request_id + R"(","name":"李强"}]})");
}

std::string Close(const std::string& request_id, const std::string& on,
                  const std::string& case_no) {
  return Cmd(request_id, on, R"("close_case":{"case_no":")" + case_no + R"(","mode":"withdrawn"})");
}

// The array at `key` (an empty one, with a failure, when it is missing or not an array).
const std::vector<json::Value>& ArrayAt(const json::Value& object, std::string_view key) {
  static const std::vector<json::Value> kEmpty;
  const json::Value* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->is_array()) << key << " is not an array";
  return v != nullptr && v->is_array() ? v->items : kEmpty;
}

// The strings of an array of strings.
std::vector<std::string> StringsAt(const json::Value& object, std::string_view key) {
  std::vector<std::string> strings;
  for (const auto& item : ArrayAt(object, key)) strings.push_back(item.text);
  return strings;
}

// A JSON integer's text at `key`; "<not a number>" otherwise.
std::string IntAt(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  return v != nullptr && v->is_number() ? v->text : "<not a number>";
}

void ExpectKeys(const json::Value& object, const std::vector<std::string>& keys) {
  ASSERT_TRUE(object.is_object());
  for (const auto& key : keys) EXPECT_NE(object.Find(key), nullptr) << "missing key " << key;
}

// Terminal columns of UTF-8 text whose non-ASCII characters are all CJK (two columns each).
size_t Columns(const std::string& text) {
  size_t columns = 0;
  for (unsigned char c : text) {
    if (c < 0x80) ++columns;
    if (c >= 0xE0) columns += 2;  // the lead byte of a three-byte CJK character
  }
  return columns;
}

const std::vector<std::string> kIndicatorKeys = {"filed",
                                                 "carried_over",
                                                 "closed",
                                                 "closure_rate",
                                                 "closure_rate_closed",
                                                 "closure_rate_base",
                                                 "with_property_within_limit_rate",
                                                 "closed_within_limit_rate",
                                                 "actual_enforcement_rate",
                                                 "recovered",
                                                 "preserved",
                                                 "recovery_rate",
                                                 "small_cases_closed",
                                                 "small_cases_recovered",
                                                 "collective_events",
                                                 "defaulters_listed",
                                                 "defaulters_deleted",
                                                 "restrictions",
                                                 "defaulters_active",
                                                 "payments",
                                                 "paid_late",
                                                 "late_payment_rate",
                                                 "modes",
                                                 "categories",
                                                 "relief"};

// The ledger: A (甘0102, 张三, claim 50,000) receives 1,000 on 2024-01-10, never paid out
// (deadline 2024-02-09); B (甘0102, 李四, 200,000, an enterprise creditor) closes withdrawn on
// 2024-02-01; C (甘0103, 张三, 80,000) closes withdrawn on 2025-01-20; 300 arrives unidentified
// on 2024-01-15 (claim deadline 2024-01-18) and is never claimed. B's debtor d-open-b is listed
// on 2024-01-20; B's closure on Thursday 2024-02-01 makes the deletion due three working days
// later, on Tuesday 2024-02-06, and it is never recorded.
class ReportCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2025-12-31";
    const CliRun run =
        Apply({OpenCase("open-a", "2024-01-02", kCaseA, "50000", "张三", "person"),
               OpenCase("open-b", "2024-01-02", kCaseB, "200000", "李四", "enterprise"),
               OpenCase("open-c", "2024-01-03", kCaseC, "80000", "张三", "person"),
               Cmd("receipt-a", "2024-01-10",
                   R"("receipt":{"case_no":")" + std::string(kCaseA) +
                       R"(","amount":"1000","bank_ref":"R1","source":"debtor_payment"})"),
               Cmd("unidentified-1", "2024-01-15",
                   R"("unidentified_receipt":{"amount":"300","bank_ref":"U1"})"),
               Cmd("list-b", "2024-01-20",
                   R"("list_defaulter":{"party_id":"d-open-b","case_no":")" + std::string(kCaseB) +
                       R"(","ground":2})"),
               Close("close-b", "2024-02-01", kCaseB), Close("close-c", "2025-01-20", kCaseC)});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) {
      EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
  }

  CliRun Report(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_, "report"});
    return Run(args);
  }

  json::Value ReportJson(std::vector<std::string> args) {
    args.push_back("--json");
    const CliRun run = Report(args);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << run.out;
    return ParseJson(run.out);
  }
};

TEST_F(ReportCliTest, IndicatorsJsonShapeAndValues) {
  const json::Value r = ReportJson({"indicators", "--from", "2024-01-01", "--to", "2024-03-31"});
  ExpectKeys(r, {"from", "to"});
  ExpectKeys(r, kIndicatorKeys);
  EXPECT_EQ(Str(r, "from"), "2024-01-01");
  EXPECT_EQ(Str(r, "to"), "2024-03-31");
  // Filed A, B, C; closed B; 1 / 3. C closed only in 2025, after --to.
  EXPECT_EQ(IntAt(r, "filed"), "3");
  EXPECT_EQ(IntAt(r, "carried_over"), "0");
  EXPECT_EQ(IntAt(r, "closed"), "1");
  EXPECT_EQ(Str(r, "closure_rate"), "0.3333");
  EXPECT_EQ(IntAt(r, "closure_rate_closed"), "1");
  EXPECT_EQ(IntAt(r, "closure_rate_base"), "3");
  EXPECT_EQ(Str(r, "closed_within_limit_rate"), "1.0000");
  EXPECT_EQ(Str(r, "with_property_within_limit_rate"), "<null>");  // B recovered nothing
  EXPECT_EQ(Str(r, "actual_enforcement_rate"), "0.0000");
  EXPECT_EQ(Str(r, "recovered"), "1000.00");
  EXPECT_EQ(Str(r, "recovery_rate"), "0.0000");  // B: 0 of 200,000
  EXPECT_EQ(IntAt(r, "defaulters_listed"), "1");
  EXPECT_EQ(IntAt(r, "defaulters_deleted"), "0");
  EXPECT_EQ(Str(r, "preserved"), "0.00");
  // B's listing on 2024-01-20 restricts too; it stands on 2024-03-31 (its deletion never made).
  EXPECT_EQ(IntAt(r, "restrictions"), "1");
  EXPECT_EQ(IntAt(r, "defaulters_active"), "1");
  EXPECT_EQ(IntAt(r, "payments"), "0");
  const json::Value* paid_late = r.Find("paid_late");
  ASSERT_NE(paid_late, nullptr);
  EXPECT_EQ(IntAt(*paid_late, "count"), "0");
  EXPECT_EQ(Str(*paid_late, "amount"), "0.00");
  EXPECT_EQ(Str(r, "late_payment_rate"), "<null>");
  EXPECT_EQ(IntAt(r, "collective_events"), "0");
  EXPECT_EQ(IntAt(r, "small_cases_closed"), "0");
  EXPECT_EQ(Str(r, "small_cases_recovered"), "0.00");
  const json::Value* modes = r.Find("modes");
  ASSERT_NE(modes, nullptr);
  ExpectKeys(*modes, {"fully_performed", "terminated_this_round", "terminated", "withdrawn",
                      "refused", "rejected"});
  EXPECT_EQ(modes->members.size(), 6u);
  EXPECT_EQ(IntAt(*modes, "withdrawn"), "1");
  EXPECT_EQ(IntAt(*modes, "fully_performed"), "0");
  const json::Value* categories = r.Find("categories");
  ASSERT_NE(categories, nullptr);
  ExpectKeys(*categories, {"small_value", "enterprise_applicant", "financial_applicant",
                           "government_respondent", "livelihood", "organized_crime_property"});
  const json::Value* enterprise = categories->Find("enterprise_applicant");
  ASSERT_NE(enterprise, nullptr);
  EXPECT_EQ(IntAt(*enterprise, "closed"), "1");
  EXPECT_EQ(Str(*enterprise, "recovered"), "0.00");
  const json::Value* relief = r.Find("relief");
  ASSERT_NE(relief, nullptr);
  EXPECT_EQ(IntAt(*relief, "recipients"), "0");
  EXPECT_EQ(Str(*relief, "amount"), "0.00");
  EXPECT_EQ(r.Find("groups"), nullptr);  // only with --by
}

// A's 1,000 arrived on 2024-01-10: its lot's deadline is 2024-02-09. d1 pays 500 of it on
// 2024-02-05 (in time); d2 pays 300 on 2024-02-12, three days past the deadline: late.
// payments 2, paid_late 1 of 300.00, late_payment_rate 1 / 2 = 0.5000.
// The lines that request, approve and confirm a disbursement from A to its creditor.
std::vector<std::string> PayA(const std::string& id, const std::string& requested_on,
                              const std::string& confirmed_on, const std::string& amount) {
  const std::string a = kCaseA;
  return {Cmd("req-" + id, requested_on,
              R"("request_disbursement":{"disbursement_id":")" + id + R"(","case_no":")" + a +
                  R"(","payee":"c-open-a","amount":")" + amount + R"("})"),
          Cmd("appr-" + id, requested_on,
              R"("approve_disbursement":{"disbursement_id":")" + id + R"("})", "director.li"),
          Cmd("conf-" + id, confirmed_on,
              R"("confirm_disbursement":{"disbursement_id":")" + id + R"(","bank_ref":"P-)" + id +
                  R"("})")};
}

TEST_F(ReportCliTest, IndicatorsCountPaymentsPaidFromLotsPastTheirDeadline) {
  std::vector<std::string> lines = PayA("d1", "2024-02-01", "2024-02-05", "500");
  for (auto& line : PayA("d2", "2024-02-12", "2024-02-12", "300")) lines.push_back(line);
  const CliRun run = Apply(lines);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const auto& result : Results(run)) EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  const json::Value r = ReportJson({"indicators", "--from", "2024-01-01", "--to", "2024-03-31"});
  EXPECT_EQ(IntAt(r, "payments"), "2");
  const json::Value* paid_late = r.Find("paid_late");
  ASSERT_NE(paid_late, nullptr);
  EXPECT_EQ(IntAt(*paid_late, "count"), "1");
  EXPECT_EQ(Str(*paid_late, "amount"), "300.00");
  EXPECT_EQ(Str(r, "late_payment_rate"), "0.5000");
  const CliRun text = Report({"indicators", "--from", "2024-01-01", "--to", "2024-03-31"});
  EXPECT_NE(text.out.find("超期发放率"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("50.00% (1/2)"), std::string::npos) << text.out;
  const CliRun csv = Report({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--csv"});
  EXPECT_NE(csv.out.find("paid_late.count,paid_late.amount,late_payment_rate"), std::string::npos)
      << csv.out;
}

// The same two payments in `report overdue --on 2024-02-29` (late payments from the first of
// its month by default): d1 (500.00, 02-05) in time; d2 (300.00, 02-12) took money from the lot
// due 02-09, so late since 02-10. Payments 2, late 1 of 300.00, 1/2 = 0.5000, as `report
// indicators` counts them; both in court 甘0102 and by A's judge. From 02-06: d2 alone, 1/1.
TEST_F(ReportCliTest, OverdueListsLatePaymentsByCourtAndJudge) {
  std::vector<std::string> lines = PayA("d1", "2024-02-01", "2024-02-05", "500");
  for (auto& line : PayA("d2", "2024-02-12", "2024-02-12", "300")) lines.push_back(line);
  const CliRun run = Apply(lines);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json::Value r = ReportJson({"overdue", "--on", "2024-02-29"});
  const json::Value* late = r.Find("paid_late");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(Str(*late, "from"), "2024-02-01");
  EXPECT_EQ(Str(*late, "to"), "2024-02-29");
  EXPECT_EQ(IntAt(*late, "payments"), "2");
  EXPECT_EQ(IntAt(*late, "count"), "1");
  EXPECT_EQ(Str(*late, "amount"), "300.00");
  EXPECT_EQ(Str(*late, "late_payment_rate"), "0.5000");
  const auto& items = ArrayAt(*late, "items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(Str(items[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(items[0], "on"), "2024-02-12");
  EXPECT_EQ(Str(items[0], "overdue_since"), "2024-02-10");
  EXPECT_EQ(Str(items[0], "bank_ref"), "P-d2");
  const auto& by_court = ArrayAt(*late, "by_court");
  ASSERT_EQ(by_court.size(), 1u);
  EXPECT_EQ(Str(by_court[0], "court"), "甘0102");
  EXPECT_EQ(Str(by_court[0], "late_payment_rate"), "0.5000");
  const auto& by_judge = ArrayAt(*late, "by_judge");
  ASSERT_EQ(by_judge.size(), 1u);
  EXPECT_EQ(IntAt(by_judge[0], "payments"), "2");
  // The same figures as the indicators of the same period.
  const json::Value i = ReportJson({"indicators", "--from", "2024-02-01", "--to", "2024-02-29"});
  EXPECT_EQ(IntAt(i, "payments"), IntAt(*late, "payments"));
  EXPECT_EQ(Str(i, "late_payment_rate"), Str(*late, "late_payment_rate"));

  const json::Value later = ReportJson({"overdue", "--on", "2024-02-29", "--from", "2024-02-06"});
  ASSERT_NE(later.Find("paid_late"), nullptr);
  EXPECT_EQ(IntAt(*later.Find("paid_late"), "payments"), "1");
  EXPECT_EQ(Str(*later.Find("paid_late"), "late_payment_rate"), "1.0000");

  const CliRun text = Report({"overdue", "--on", "2024-02-29"});
  EXPECT_NE(text.out.find("五、超期发放案款（2024-02-01 至 2024-02-29）"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("发放 2 笔，其中超期发放 1 笔 300.00 元，超期发放率 50.00%"),
            std::string::npos)
      << text.out;
  const CliRun csv = Report({"overdue", "--on", "2024-02-29", "--csv"});
  EXPECT_NE(csv.out.find("paid_late," + std::string(kCaseA) + ",P-d2,,300.00,2024-02-12\r\n"),
            std::string::npos)
      << csv.out;
  const CliRun backwards = Report({"overdue", "--on", "2024-02-29", "--from", "2024-03-01"});
  EXPECT_EQ(backwards.exit_code, 2) << backwards.out;
  EXPECT_NE(backwards.err.find("--from 2024-03-01 is after --on 2024-02-29"), std::string::npos)
      << backwards.err;
}

TEST_F(ReportCliTest, IndicatorsByJudgeAndByCourt) {
  const json::Value r =
      ReportJson({"indicators", "--from", "2024-01-01", "--to", "2025-12-31", "--by", "judge"});
  const auto& groups = ArrayAt(r, "groups");
  ASSERT_EQ(groups.size(), 2u);
  for (const auto& group : groups) ExpectKeys(group, kIndicatorKeys);
  EXPECT_EQ(Str(groups[0], "key"), "张三");  // A and C
  EXPECT_EQ(IntAt(groups[0], "closed"), "1");
  EXPECT_EQ(Str(groups[0], "closure_rate"), "0.5000");
  EXPECT_EQ(Str(groups[1], "key"), "李四");  // B
  EXPECT_EQ(Str(groups[1], "closure_rate"), "1.0000");
  EXPECT_EQ(IntAt(r, "closed"), "2");

  const json::Value by_court =
      ReportJson({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--by", "court"});
  const auto& courts = ArrayAt(by_court, "groups");
  ASSERT_EQ(courts.size(), 2u);
  EXPECT_EQ(Str(courts[0], "key"), "甘0102");
  EXPECT_EQ(IntAt(courts[0], "filed"), "2");
  EXPECT_EQ(Str(courts[1], "key"), "甘0103");
  EXPECT_EQ(IntAt(courts[1], "filed"), "1");
}

TEST_F(ReportCliTest, IndicatorsOfOneCourtAndCarriedOver) {
  const json::Value r =
      ReportJson({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--court", "甘0102"});
  EXPECT_EQ(Str(r, "court"), "甘0102");
  EXPECT_EQ(IntAt(r, "filed"), "2");
  EXPECT_EQ(Str(r, "closure_rate"), "0.5000");
  // 2025: A and C were carried over (C as it stood on 2024-12-31: open); C closed in 2025.
  const json::Value next = ReportJson({"indicators", "--from", "2025-01-01", "--to", "2025-12-31"});
  EXPECT_EQ(IntAt(next, "filed"), "0");
  EXPECT_EQ(IntAt(next, "carried_over"), "2");
  EXPECT_EQ(IntAt(next, "closed"), "1");
  EXPECT_EQ(Str(next, "closure_rate"), "0.5000");
  EXPECT_EQ(Str(next, "recovered"), "0.00");
  // C closed 2025-01-20, past its deadline 2024-07-03.
  EXPECT_EQ(Str(next, "closed_within_limit_rate"), "0.0000");
}

TEST_F(ReportCliTest, OverdueJsonShapeOnAChosenDate) {
  const json::Value r = ReportJson({"overdue", "--on", "2024-03-01"});
  ExpectKeys(r, {"on", "cases", "unclaimed", "over_one_year", "deletions_overdue"});
  EXPECT_EQ(Str(r, "on"), "2024-03-01");
  const auto& cases = ArrayAt(r, "cases");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(Str(cases[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(cases[0], "overdue_amount"), "1000.00");
  EXPECT_EQ(Str(cases[0], "oldest_overdue_since"), "2024-02-10");
  const auto& unclaimed = ArrayAt(r, "unclaimed");
  ASSERT_EQ(unclaimed.size(), 1u);
  EXPECT_EQ(Str(unclaimed[0], "bank_ref"), "U1");
  EXPECT_EQ(Str(unclaimed[0], "amount"), "300.00");
  EXPECT_EQ(Str(unclaimed[0], "since"), "2024-01-19");
  EXPECT_TRUE(ArrayAt(r, "over_one_year").empty());
  const auto& deletions = ArrayAt(r, "deletions_overdue");
  ASSERT_EQ(deletions.size(), 1u);
  EXPECT_EQ(Str(deletions[0], "party_id"), "d-open-b");
  EXPECT_EQ(Str(deletions[0], "case_no"), kCaseB);
  EXPECT_EQ(Str(deletions[0], "due_on"), "2024-02-06");
  // Overdue from the day after the due date.
  EXPECT_TRUE(ArrayAt(ReportJson({"overdue", "--on", "2024-02-06"}), "deletions_overdue").empty());
  EXPECT_EQ(ArrayAt(ReportJson({"overdue", "--on", "2024-02-07"}), "deletions_overdue").size(), 1u);
  // Before the deadline nothing of A is overdue; a year after the receipt it is also old.
  EXPECT_TRUE(ArrayAt(ReportJson({"overdue", "--on", "2024-02-09"}), "cases").empty());
  const json::Value later = ReportJson({"overdue", "--on", "2025-01-11"});
  const auto& old = ArrayAt(later, "over_one_year");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(Str(old[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(old[0], "amount"), "1000.00");
}

TEST_F(ReportCliTest, BacklogJsonShapeWithClearing) {
  const json::Value r = ReportJson({"backlog", "--on", "2025-02-01", "--from", "2025-01-10"});
  ExpectKeys(r, {"on", "past_deadline", "over_one_year", "over_three_years", "over_five_years",
                 "over_ten_years", "from", "backlog_one_year", "cleared_one_year",
                 "clearing_rate_one_year", "backlog_three_years", "cleared_three_years",
                 "clearing_rate_three_years"});
  using V = std::vector<std::string>;
  EXPECT_EQ(StringsAt(r, "past_deadline"), (V{kCaseA}));  // C closed 2025-01-20
  EXPECT_EQ(StringsAt(r, "over_one_year"), (V{kCaseA}));
  EXPECT_TRUE(StringsAt(r, "over_three_years").empty());
  // On 2025-01-10 A and C were open over one year; C closed by 2025-02-01: 1 / 2.
  EXPECT_EQ(IntAt(r, "backlog_one_year"), "2");
  EXPECT_EQ(IntAt(r, "cleared_one_year"), "1");
  EXPECT_EQ(Str(r, "clearing_rate_one_year"), "0.5000");
  EXPECT_EQ(IntAt(r, "backlog_three_years"), "0");
  EXPECT_EQ(Str(r, "clearing_rate_three_years"), "<null>");
  // Without --from, no clearing fields; on 2024-12-31 both A and C are past their deadlines.
  const json::Value plain = ReportJson({"backlog", "--on", "2024-12-31"});
  EXPECT_EQ(plain.Find("from"), nullptr);
  EXPECT_EQ(plain.Find("backlog_one_year"), nullptr);
  EXPECT_EQ(StringsAt(plain, "past_deadline"), (V{kCaseA, kCaseC}));
  EXPECT_TRUE(StringsAt(plain, "over_one_year").empty());
}

TEST_F(ReportCliTest, DeadlinesJsonShapeByJudge) {
  // 2024-02-01 + 10 days: A's 1,000 is due 2024-02-09.
  const json::Value r = ReportJson({"deadlines", "--on", "2024-02-01", "--within", "10"});
  ExpectKeys(r, {"on", "within", "judges"});
  EXPECT_EQ(IntAt(r, "within"), "10");
  const auto& judges = ArrayAt(r, "judges");
  ASSERT_EQ(judges.size(), 1u);
  EXPECT_EQ(Str(judges[0], "judge"), "张三");
  EXPECT_TRUE(ArrayAt(judges[0], "cases").empty());
  const auto& money = ArrayAt(judges[0], "money");
  ASSERT_EQ(money.size(), 1u);
  EXPECT_EQ(Str(money[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(money[0], "amount"), "1000.00");
  EXPECT_EQ(Str(money[0], "deadline"), "2024-02-09");
  // Closure deadlines: A 2024-07-02 is in [06-30, 07-02]; C 2024-07-03 is one day out.
  const json::Value closure = ReportJson({"deadlines", "--on", "2024-06-30", "--within", "2"});
  const auto& closure_judges = ArrayAt(closure, "judges");
  ASSERT_EQ(closure_judges.size(), 1u);
  const auto& cases = ArrayAt(closure_judges[0], "cases");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(Str(cases[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(cases[0], "deadline"), "2024-07-02");
  EXPECT_TRUE(ArrayAt(closure_judges[0], "money").empty());  // 02-09 is before D
}

TEST_F(ReportCliTest, ChineseTableAlignedByDisplayWidth) {
  const CliRun run = Report({"overdue", "--on", "2024-03-01"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("一、超期未发放案款"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("二、超期未认领不明款"), std::string::npos) << run.out;
  // The first table: header, rule and A's row end in the same column (the last column is
  // ten columns wide in all three: "超期起始日" and the dates).
  const std::vector<std::string> lines = run.Lines();
  ASSERT_GE(lines.size(), 6u);
  // The case number takes 17 columns (6 ASCII + 4 + 1 and four CJK characters of two each), so
  // "案号" (4 columns) is padded with 13 spaces, then 2 between columns.
  EXPECT_EQ(lines[3], "案号" + std::string(15, ' ') + "超期未发放  超期起始日");
  EXPECT_EQ(Columns(lines[3]), Columns(lines[4]));
  EXPECT_EQ(Columns(lines[3]), Columns(lines[5]));
  EXPECT_EQ(lines[5], std::string(kCaseA) + "    1,000.00  2024-02-10");

  const CliRun indicators =
      Report({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--by", "judge"});
  ASSERT_EQ(indicators.exit_code, 0) << indicators.err;
  EXPECT_NE(indicators.out.find("结案率（不含执保、执恢）"), std::string::npos);
  EXPECT_NE(indicators.out.find("33.33% (1/3)"), std::string::npos) << indicators.out;
  EXPECT_NE(indicators.out.find("销案"), std::string::npos);
  const CliRun english =
      Run({"--db", db_, "--lang", "en", "report", "backlog", "--on", "2025-02-01"});
  ASSERT_EQ(english.exit_code, 0) << english.err;
  EXPECT_NE(english.out.find("past the closure deadline"), std::string::npos) << english.out;
}

TEST_F(ReportCliTest, CsvForSpreadsheets) {
  const CliRun overdue = Report({"overdue", "--on", "2024-03-01", "--csv"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  EXPECT_EQ(overdue.out,
            "list,case_no,bank_ref,party_id,amount,date\r\n"
            "cases," +
                std::string(kCaseA) +
                ",,,1000.00,2024-02-10\r\n"
                "unclaimed,,U1,,300.00,2024-01-19\r\n"
                "deletions_overdue," +
                std::string(kCaseB) + ",,d-open-b,,2024-02-06\r\n");
  const CliRun indicators =
      Report({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--csv"});
  ASSERT_EQ(indicators.exit_code, 0) << indicators.err;
  const std::vector<std::string> lines = indicators.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].starts_with("scope,key,filed,carried_over,closed,closure_rate,"));
  EXPECT_TRUE(lines[1].starts_with("total,,3,0,1,0.3333,1,3,,1.0000,0.0000,1000.00,")) << lines[1];
  // A judge's name is quoted where it holds a comma or quote, and kept from running as a
  // spreadsheet formula.
  const CliRun opened =
      Apply({Cmd("open-d", "2024-02-01",
                 R"("open_case":{"case_no":"(2024)甘0102执4号","claim":"100",)"
                 R"("judge":"=王,\"五\"","creditors":[{"party_id":"c-d",)"
                 R"("name":"张明"}],"debtors":[{"party_id":"d-d","name":"李强"}]})")});
  ASSERT_EQ(opened.exit_code, 0) << opened.out;
  const CliRun backlog = Report({"backlog", "--on", "2025-02-01", "--csv"});
  ASSERT_EQ(backlog.exit_code, 0) << backlog.err;
  EXPECT_NE(backlog.out.find(std::string(kCaseA) + ",张三,2024-01-02,2024-07-02,1,1,0,0,0"),
            std::string::npos)
      << backlog.out;
  EXPECT_NE(backlog.out.find("(2024)甘0102执4号,\"'=王,\"\"五\"\"\",2024-02-01,2024-08-01,1,0"),
            std::string::npos)
      << backlog.out;
}

TEST_F(ReportCliTest, UsageErrorsAndNoLedger) {
  auto expect_usage = [&](const std::vector<std::string>& args) {
    const CliRun run = Report(args);
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  };
  expect_usage({"indicators", "--from", "2024-03-31", "--to", "2024-01-01"});
  expect_usage({"indicators", "--from", "2024-01-01"});
  expect_usage({"indicators", "--from", "2024-01-01", "--to", "2024-02-30"});
  expect_usage({"indicators", "--from", "2024-01-01", "--to", "2024-03-31", "--by", "month"});
  expect_usage({"overdue", "--on", "2024-03-01", "--csv", "--json"});
  expect_usage({"deadlines", "--on", "2024-03-01", "--within", "3661"});
  expect_usage({"deadlines", "--on", "2024-03-01", "--within", "-1"});
  expect_usage({"deadlines", "--on", "2024-03-01"});
  expect_usage({"backlog", "--on", "2024-03-01", "--from", "2024-03-02"});
  expect_usage({});
  const CliRun missing = Run(
      {"--db", (dir_ / "nothing").string(), "--json", "report", "backlog", "--on", "2024-03-01"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(missing.out)), "NO_LEDGER");
}

}  // namespace
}  // namespace caseledger
