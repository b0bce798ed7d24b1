// Proves, through the real caseledger binary, collective disbursement events (apply, event,
// events, reversing one item), distributions (distribute's ids/shares/surplus, the plan, approving
// and confirming the shares), the defaulter list (listing, deletion due dates over the working-day
// calendar, delisting, restrictions, minors, defaulters) and the 终本 closure's listing rule.
#include <gtest/gtest.h>

#include <set>
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

constexpr const char* kCaseA = "(2024)甘0102执101号";
constexpr const char* kCaseB = "(2024)甘0102执102号";

// "true"/"false" for a JSON bool at `key`, else what is there instead.
std::string BoolAt(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  if (v == nullptr) return "<absent>";
  if (!v->is_bool()) return "<not a bool>";
  return v->boolean ? "true" : "false";
}

// The array at `key` (an empty one when it is missing or not an array, with a failure).
const std::vector<json::Value>& ArrayAt(const json::Value& object, std::string_view key) {
  static const std::vector<json::Value> kEmpty;
  const json::Value* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->is_array()) << key << " is not an array";
  return v != nullptr && v->is_array() ? v->items : kEmpty;
}

// Every key of `object` named in `keys` is there (more keys are allowed).
void ExpectKeys(const json::Value& object, const std::vector<std::string>& keys) {
  ASSERT_TRUE(object.is_object());
  for (const auto& key : keys) EXPECT_NE(object.Find(key), nullptr) << "missing key " << key;
}

std::string Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos ? "" : "missing \"" + part + "\" in:\n" + text;
}

// A case of court 甘0102 with the given creditors and debtors (JSON arrays' contents).
std::string OpenCase(const std::string& request_id, const std::string& on,
                     const std::string& case_no, const std::string& claim,
                     const std::string& creditors, const std::string& debtors) {
  return Cmd(request_id, on,
             R"("open_case":{"case_no":")" + case_no + R"(","claim":")" + claim +
                 R"(","creditors":[)" + creditors + R"(],"debtors":[)" + debtors + "]}");
}

std::string Receipt(const std::string& request_id, const std::string& on,
                    const std::string& case_no, const std::string& amount,
                    const std::string& bank_ref) {
  return Cmd(request_id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + bank_ref + R"(","source":"debtor_payment"})");
}

std::string Item(const std::string& case_no, const std::string& payee, const std::string& amount,
                 const std::string& bank_ref) {
  return R"({"case_no":")" + case_no + R"(","payee":")" + payee + R"(","amount":")" + amount +
         R"(","bank_ref":")" + bank_ref + R"("})";
}

std::string Event(const std::string& request_id, const std::string& on, const std::string& event_id,
                  const std::string& title, const std::vector<std::string>& items) {
  std::string list;
  for (const auto& item : items) list += (list.empty() ? "" : ",") + item;
  return Cmd(request_id, on,
             R"("collective_disbursement":{"event_id":")" + event_id + R"(","title":")" + title +
                 R"(","approved_by":"chief.zhao","items":[)" + list + "]}");
}

class EventsCliFixture : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2024-12-31";
  }

  // Applies `lines`, expecting every result ok; returns the results.
  std::vector<json::Value> ApplyOk(const std::vector<std::string>& lines) {
    const CliRun run = Apply(lines);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    std::vector<json::Value> results = Results(run);
    EXPECT_EQ(results.size(), lines.size()) << run.out;
    for (const auto& result : results) {
      EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
    return results;
  }

  // Applies one line expected to be rejected (exit 1); returns its result.
  json::Value ApplyRejected(const std::string& line) {
    const CliRun run = Apply({line});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << run.out;
    EXPECT_FALSE(IsOk(ParseJson(run.out))) << run.out;
    return ParseJson(run.out);
  }

  // A reading command with --json expected to succeed with one document.
  json::Value Read(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    args.push_back("--json");
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << run.out;
    return ParseJson(run.out);
  }

  std::string CaseField(const std::string& case_no, const std::string& field,
                        const std::string& as_of = "") {
    std::vector<std::string> args = {"case", case_no};
    if (!as_of.empty()) args.insert(args.end(), {"--as-of", as_of});
    return Str(Read(args), field);
  }
};

// ---------------------------------------------------------------------------------------
// collective disbursement events

class CliEvents : public EventsCliFixture {
 protected:
  // Case A (c-zhang) and case B (c-li, c-wang), each with two lots (deadline = on + 30 days):
  //   A: 10,000.00 on 01-05 (deadline 02-04), 5,000.00 on 02-20 (deadline 03-21)
  //   B:  3,000.00 on 01-30 (deadline 02-29, a leap day), 4,000.00 on 01-31 (deadline 03-01)
  void Seed() {
    ApplyOk({OpenCase("open-a", "2024-01-02", kCaseA, "100000",
                      R"({"party_id":"c-zhang","name":"张明","account":"6228480010000000001"})",
                      R"({"party_id":"d-1","name":"李强"})"),
             OpenCase("open-b", "2024-01-02", kCaseB, "50000",
                      R"({"party_id":"c-li","name":"李华"},{"party_id":"c-wang","name":"王芳"})",
                      R"({"party_id":"d-2","name":"赵某"})"),
             Receipt("r-a1", "2024-01-05", kCaseA, "10000.00", "R-A1"),
             Receipt("r-b1", "2024-01-30", kCaseB, "3000.00", "R-B1"),
             Receipt("r-b2", "2024-01-31", kCaseB, "4000.00", "R-B2"),
             Receipt("r-a2", "2024-02-20", kCaseA, "5000.00", "R-A2")});
  }

  // The event of 2024-03-01. Items of one case take its oldest money in input order:
  //   E-1 A c-zhang 12,000.00: 10,000.00 from A1 (deadline 02-04 < 03-01: overdue since 02-05)
  //                             + 2,000.00 from A2 (deadline 03-21: not overdue)
  //   E-2 B c-li     2,500.00: from B1 (deadline 02-29 < 03-01: overdue since 03-01)
  //   E-3 B c-wang   1,000.00: the last 500.00 of B1 (overdue) + 500.00 of B2 (deadline 03-01,
  //                             not before the event's date: not overdue)
  //   E-4 B c-li     3,000.00: from B2: not overdue, so not listed in paid_overdue
  // cases 2; payees (A,c-zhang), (B,c-li), (B,c-wang) = 3; total 18,500.00.
  std::string FirstEvent() {
    return Event(
        "ev-1", "2024-03-01", "EV-1", "集中发放日",
        {Item(kCaseA, "c-zhang", "12000.00", "E-1"), Item(kCaseB, "c-li", "2500.00", "E-2"),
         Item(kCaseB, "c-wang", "1000.00", "E-3"), Item(kCaseB, "c-li", "3000.00", "E-4")});
  }
};

TEST_F(CliEvents, EventJsonCountsDistinctCasesAndPayeesAndListsOnlyOverduePayments) {
  Seed();
  const auto results = ApplyOk({FirstEvent()});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(Str(results[0], "seq"), "7");

  const json::Value event = Read({"event", "EV-1"});
  ExpectKeys(event, {"event_id", "on", "title", "cases", "payees", "total", "paid_overdue"});
  EXPECT_EQ(Str(event, "event_id"), "EV-1");
  EXPECT_EQ(Str(event, "on"), "2024-03-01");
  EXPECT_EQ(Str(event, "title"), "集中发放日");
  ASSERT_TRUE(event.Find("cases")->is_number());
  EXPECT_EQ(Str(event, "cases"), "2");
  ASSERT_TRUE(event.Find("payees")->is_number());
  EXPECT_EQ(Str(event, "payees"), "3");
  ASSERT_TRUE(event.Find("total")->is_string());
  EXPECT_EQ(Str(event, "total"), "18500.00");
  const auto& overdue = ArrayAt(event, "paid_overdue");
  ASSERT_EQ(overdue.size(), 3u) << "E-4 took no overdue money";
  const std::vector<std::vector<std::string>> expected = {
      {kCaseA, "c-zhang", "10000.00", "2024-02-05"},
      {kCaseB, "c-li", "2500.00", "2024-03-01"},
      {kCaseB, "c-wang", "500.00", "2024-03-01"}};
  for (size_t i = 0; i < overdue.size(); ++i) {
    ExpectKeys(overdue[i], {"case_no", "payee", "amount", "overdue_since"});
    EXPECT_EQ(Str(overdue[i], "case_no"), expected[i][0]) << i;
    EXPECT_EQ(Str(overdue[i], "payee"), expected[i][1]) << i;
    EXPECT_EQ(Str(overdue[i], "amount"), expected[i][2]) << i;
    EXPECT_EQ(Str(overdue[i], "overdue_since"), expected[i][3]) << i;
  }

  // The items are confirmed payments: A 15,000.00 − 12,000.00 = 3,000.00 left; B 7,000.00 −
  // 6,500.00 = 500.00 left, both counted as disbursed to the creditors.
  EXPECT_EQ(CaseField(kCaseA, "balance"), "3000.00");
  EXPECT_EQ(CaseField(kCaseA, "disbursed"), "12000.00");
  EXPECT_EQ(CaseField(kCaseB, "balance"), "500.00");
  EXPECT_EQ(CaseField(kCaseB, "disbursed"), "6500.00");
  EXPECT_EQ(CaseField(kCaseB, "pending"), "0.00");
}

TEST_F(CliEvents, AnEventWithOneBadItemRecordsNothingAndIsUnknownAfterwards) {
  Seed();
  // items[1] asks 99,999.00 of B, which has 7,000.00: the whole event is refused.
  const std::string bad =
      Event("ev-2", "2024-03-01", "EV-2", "补发",
            {Item(kCaseA, "c-zhang", "100.00", "E-5"), Item(kCaseB, "c-li", "99999.00", "E-6")});
  const json::Value result = ApplyRejected(bad);
  EXPECT_EQ(Str(result, "request_id"), "ev-2");
  EXPECT_EQ(ErrorCode(result), "INSUFFICIENT_FUNDS");
  EXPECT_NE(ErrorMessage(result).find("items[1]"), std::string::npos) << ErrorMessage(result);
  EXPECT_EQ(ErrorMessage(result).find("items[0]"), std::string::npos) << ErrorMessage(result);

  // A payee who is not a creditor of the case: items[0] named, UNKNOWN_REFERENCE.
  const json::Value stranger = ApplyRejected(
      Event("ev-3", "2024-03-01", "EV-3", "补发",
            {Item(kCaseB, "c-zhang", "100.00", "E-7"), Item(kCaseA, "c-zhang", "100.00", "E-8")}));
  EXPECT_EQ(ErrorCode(stranger), "UNKNOWN_REFERENCE");
  EXPECT_NE(ErrorMessage(stranger).find("items[0]"), std::string::npos) << ErrorMessage(stranger);

  // Nothing of either event was recorded.
  const CliRun json_run = Run({"--db", db_, "event", "EV-2", "--json"});
  EXPECT_EQ(json_run.exit_code, 1) << json_run.err;
  const json::Value error = ParseJson(json_run.out);
  EXPECT_EQ(BoolAt(error, "ok"), "false");
  EXPECT_EQ(ErrorCode(error), "UNKNOWN_REFERENCE");
  const CliRun text_run = Run({"--db", db_, "event", "EV-3"});
  EXPECT_EQ(text_run.exit_code, 1);
  EXPECT_EQ(text_run.out, "");
  EXPECT_TRUE(Has(text_run.err, "UNKNOWN_REFERENCE").empty()) << text_run.err;
  // Balances as the receipts left them: A 10,000.00 + 5,000.00; B 3,000.00 + 4,000.00.
  EXPECT_EQ(CaseField(kCaseA, "balance"), "15000.00");
  EXPECT_EQ(CaseField(kCaseA, "disbursed"), "0.00");
  EXPECT_EQ(CaseField(kCaseB, "balance"), "7000.00");
  EXPECT_EQ(CaseField(kCaseB, "available"), "7000.00");

  // A rejected command recorded nothing, so its request_id may be retried with a fixed body:
  // total 100.00 + 6,999.00 = 7,099.00. On 03-01 A1 (deadline 02-04) and B1 (02-29) are
  // overdue, B2 (03-01) is not: A's 100.00 comes from A1 (overdue since 02-05); B's 6,999.00
  // takes 3,000.00 from B1 (overdue since 03-01) and 3,999.00 from B2.
  const std::string fixed =
      Event("ev-2", "2024-03-01", "EV-2", "补发",
            {Item(kCaseA, "c-zhang", "100.00", "E-5"), Item(kCaseB, "c-li", "6999.00", "E-6")});
  ApplyOk({fixed});
  const json::Value event = Read({"event", "EV-2"});
  EXPECT_EQ(Str(event, "total"), "7099.00");
  EXPECT_EQ(Str(event, "cases"), "2");
  EXPECT_EQ(Str(event, "payees"), "2");
  const auto& overdue = ArrayAt(event, "paid_overdue");
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(Str(overdue[0], "amount"), "100.00");
  EXPECT_EQ(Str(overdue[0], "overdue_since"), "2024-02-05");
  EXPECT_EQ(Str(overdue[1], "amount"), "3000.00");
  EXPECT_EQ(Str(overdue[1], "overdue_since"), "2024-03-01");
  EXPECT_EQ(CaseField(kCaseB, "balance"), "1.00");  // 7,000.00 − 6,999.00
}

TEST_F(CliEvents, EventsJsonListsEveryRecordedEvent) {
  Seed();
  const json::Value none = Read({"events"});
  ASSERT_TRUE(none.is_array());
  EXPECT_TRUE(none.items.empty());

  ApplyOk({FirstEvent(), Event("ev-2", "2024-03-02", "EV-2", "第二批",
                               {Item(kCaseA, "c-zhang", "3000.00", "E-9")})});
  const json::Value events = Read({"events"});
  ASSERT_TRUE(events.is_array());
  ASSERT_EQ(events.items.size(), 2u);
  std::set<std::string> ids;
  for (const auto& e : events.items) {
    ExpectKeys(e, {"event_id", "on", "title", "cases", "payees", "total"});
    ids.insert(Str(e, "event_id"));
    if (Str(e, "event_id") == "EV-1") {
      EXPECT_EQ(Str(e, "total"), "18500.00");
      EXPECT_EQ(Str(e, "cases"), "2");
      EXPECT_EQ(Str(e, "payees"), "3");
    } else {
      // A's last 3,000.00 is the rest of A2 (deadline 03-21): nothing overdue.
      EXPECT_EQ(Str(e, "on"), "2024-03-02");
      EXPECT_EQ(Str(e, "title"), "第二批");
      EXPECT_EQ(Str(e, "total"), "3000.00");
      EXPECT_EQ(Str(e, "cases"), "1");
      EXPECT_EQ(Str(e, "payees"), "1");
    }
  }
  EXPECT_EQ(ids, (std::set<std::string>{"EV-1", "EV-2"}));
  EXPECT_EQ(ArrayAt(Read({"event", "EV-2"}), "paid_overdue").size(), 0u);
  EXPECT_EQ(CaseField(kCaseA, "balance"), "0.00");
}

TEST_F(CliEvents, ReversingOneItemDropsItFromTheEventsTotals) {
  Seed();
  ApplyOk({FirstEvent()});
  // E-3 (B c-wang 1,000.00, 500.00 of it overdue) comes back from the bank on 03-05.
  const std::string reverse = Cmd(
      "rv-1", "2024-03-05",
      R"("reverse":{"target_request_id":"ev-1","bank_ref":"E-3","reason":"收款账户已销户，银行退回"})");
  ApplyOk({reverse});

  // payees (A,c-zhang), (B,c-li) = 2 (c-li still has E-2 and E-4); total 18,500.00 −
  // 1,000.00 = 17,500.00; paid_overdue loses c-wang's 500.00.
  const json::Value event = Read({"event", "EV-1"});
  EXPECT_EQ(Str(event, "cases"), "2");
  EXPECT_EQ(Str(event, "payees"), "2");
  EXPECT_EQ(Str(event, "total"), "17500.00");
  const auto& overdue = ArrayAt(event, "paid_overdue");
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(Str(overdue[0], "payee"), "c-zhang");
  EXPECT_EQ(Str(overdue[1], "payee"), "c-li");
  EXPECT_EQ(Str(overdue[1], "amount"), "2500.00");
  // The money is back in B: 500.00 + 1,000.00; disbursed 6,500.00 − 1,000.00.
  EXPECT_EQ(CaseField(kCaseB, "balance"), "1500.00");
  EXPECT_EQ(CaseField(kCaseB, "disbursed"), "5500.00");
  EXPECT_EQ(CaseField(kCaseA, "balance"), "3000.00");  // A is untouched

  // The same item twice: INVALID_STATE; an item the event does not have: UNKNOWN_REFERENCE.
  EXPECT_EQ(ErrorCode(ApplyRejected(Cmd(
                "rv-2", "2024-03-05",
                R"("reverse":{"target_request_id":"ev-1","bank_ref":"E-3","reason":"again"})"))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCode(ApplyRejected(Cmd(
                "rv-3", "2024-03-05",
                R"("reverse":{"target_request_id":"ev-1","bank_ref":"E-99","reason":"none"})"))),
            "UNKNOWN_REFERENCE");

  // The tables keep the item, marked as reversed.
  const CliRun zh = Run({"--db", db_, "event", "EV-1"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_TRUE(Has(zh.out, "王芳（已冲回）").empty()) << zh.out;
  EXPECT_TRUE(Has(zh.out, "17,500.00").empty()) << zh.out;
  const CliRun en = Run({"--db", db_, "event", "EV-1", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  EXPECT_TRUE(Has(en.out, "王芳 (reversed)").empty()) << en.out;
}

TEST_F(CliEvents, EventTableIsChineseByDefaultAndEnglishWithLangEn) {
  Seed();
  ApplyOk({FirstEvent()});
  const CliRun zh = Run({"--db", db_, "event", "EV-1"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* part :
       {"发放活动",   "EV-1",       "集中发放日", "日期",     "2024-03-01", "批准人",
        "chief.zhao", "案件数",     "领款人数",   "合计",     "18,500.00",  "超期发放笔数",
        "案号",       "领款人",     "金额",       "其中超期", "超期起始日", "银行流水号",
        "10,000.00",  "2024-02-05", "E-4"}) {
    EXPECT_TRUE(Has(zh.out, part).empty()) << Has(zh.out, part);
  }
  const CliRun en = Run({"--db", db_, "--lang", "en", "event", "EV-1"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* part : {"event", "on", "approved by", "cases", "payees", "total", "paid overdue",
                           "case_no", "payee", "amount", "overdue part", "overdue since",
                           "bank_ref", "18,500.00", "2024-02-05"}) {
    EXPECT_TRUE(Has(en.out, part).empty()) << Has(en.out, part);
  }
  EXPECT_EQ(en.out.find("发放活动"), std::string::npos) << en.out;
  EXPECT_EQ(en.out.find("领款人"), std::string::npos) << en.out;
  // Each item's payee by name (the case's creditor) and the account's last four digits only:
  // c-zhang gave 6228480010000000001 at filing; c-li and c-wang gave none.
  for (const CliRun* run : {&zh, &en}) {
    for (const char* part : {"张明", "李华", "王芳", "****0001"}) {
      EXPECT_TRUE(Has(run->out, part).empty()) << Has(run->out, part);
    }
    EXPECT_EQ(run->out.find("6228480010000000001"), std::string::npos) << run->out;
  }
  EXPECT_TRUE(Has(zh.out, "收款账号").empty()) << zh.out;
  // Neither table is JSON.
  EXPECT_NE(zh.out.front(), '{');
  EXPECT_NE(en.out.front(), '{');
}

// ---------------------------------------------------------------------------------------
// distribution among creditors

constexpr const char* kCaseD = "(2024)甘0102执201号";

class CliDistribution : public EventsCliFixture {
 protected:
  // Case D: 100,000.00 from an auction, three creditors of the case.
  void Seed() {
    ApplyOk({OpenCase("open-d", "2024-03-01", kCaseD, "300000",
                      R"({"party_id":"c-a","name":"甲银行","kind":"financial_institution",)"
                      R"("account":"6222000000000001"},)"
                      R"({"party_id":"c-b","name":"乙","account":"6222000000000002"},)"
                      R"({"party_id":"c-c","name":"丙","account":"6222000000000003"})",
                      R"({"party_id":"d-1","name":"李强"})"),
             Cmd("r-d", "2024-03-05",
                 R"("receipt":{"case_no":")" + std::string(kCaseD) +
                     R"(","amount":"100000.00","bank_ref":"R-D","source":"auction"})")});
  }

  // 100,000.00 less costs 1,000.00 leaves 99,000.00.
  //   rank 0: c-a 20,000.00 fits: paid in full; 79,000.00 left.
  //   rank 1: c-b 30,000.00 + c-c 60,000.00 = 90,000.00 does not fit: pro rata
  //     c-b 79,000 × 30,000 ÷ 90,000 = 26,333.33|3 → 2,633,333 fen, remainder 1/3
  //     c-c 79,000 × 60,000 ÷ 90,000 = 52,666.66|6 → 5,266,666 fen, remainder 2/3
  //     floors sum to 7,899,999 fen: the 1 fen left goes to c-c (larger remainder): 52,666.67.
  //   rank 2: x-d (not a creditor of the case) gets nothing: no disbursement. Surplus 0.00.
  std::string Distribute() {
    return Cmd("dist-1", "2024-03-10",
               R"("distribute":{"distribution_id":"FP1","case_no":")" + std::string(kCaseD) +
                   R"(","amount":"100000.00","costs":"1000.00","claims":[)"
                   R"({"party_id":"c-a","amount":"20000.00","rank":0},)"
                   R"({"party_id":"c-b","amount":"30000.00"},)"
                   R"({"party_id":"c-c","amount":"60000.00","rank":1},)"
                   R"({"party_id":"x-d","amount":"5000.00","rank":2,"name":"丁",)"
                   R"("account":"6222000000000004"}]})");
  }
};

TEST_F(CliDistribution, DistributeReturnsIdsSharesAndSurplusAndThePlanShowsTheWorking) {
  Seed();
  const auto results = ApplyOk({Distribute()});
  ASSERT_EQ(results.size(), 1u);
  const json::Value& result = results[0];
  const auto& ids = ArrayAt(result, "disbursement_ids");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].text, "FP1/c-a");
  EXPECT_EQ(ids[1].text, "FP1/c-b");
  EXPECT_EQ(ids[2].text, "FP1/c-c");
  const auto& shares = ArrayAt(result, "shares");
  ASSERT_EQ(shares.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"c-a", "20000.00"}, {"c-b", "26333.33"}, {"c-c", "52666.67"}, {"x-d", "0.00"}};
  for (size_t i = 0; i < shares.size(); ++i) {
    EXPECT_EQ(Str(shares[i], "party_id"), expected[i].first) << i;
    EXPECT_EQ(Str(shares[i], "share"), expected[i].second) << i;
  }
  EXPECT_EQ(Str(result, "surplus"), "0.00");
  // The shares are reserved (requested) until paid; the costs stay available.
  EXPECT_EQ(CaseField(kCaseD, "pending"), "99000.00");
  EXPECT_EQ(CaseField(kCaseD, "available"), "1000.00");

  const json::Value plan = Read({"distribution", "FP1"});
  ExpectKeys(plan, {"distribution_id", "case_no", "on", "amount", "costs", "surplus", "shares"});
  EXPECT_EQ(Str(plan, "distribution_id"), "FP1");
  EXPECT_EQ(Str(plan, "case_no"), kCaseD);
  EXPECT_EQ(Str(plan, "amount"), "100000.00");
  EXPECT_EQ(Str(plan, "costs"), "1000.00");
  EXPECT_EQ(Str(plan, "surplus"), "0.00");
  const auto& plan_shares = ArrayAt(plan, "shares");
  ASSERT_EQ(plan_shares.size(), 4u);
  const std::vector<std::vector<std::string>> rows = {{"c-a", "0", "20000.00", "20000.00"},
                                                      {"c-b", "1", "30000.00", "26333.33"},
                                                      {"c-c", "1", "60000.00", "52666.67"},
                                                      {"x-d", "2", "5000.00", "0.00"}};
  for (size_t i = 0; i < plan_shares.size(); ++i) {
    ExpectKeys(plan_shares[i], {"party_id", "rank", "claim", "share"});
    EXPECT_EQ(Str(plan_shares[i], "party_id"), rows[i][0]) << i;
    ASSERT_TRUE(plan_shares[i].Find("rank")->is_number());
    EXPECT_EQ(Str(plan_shares[i], "rank"), rows[i][1]) << i;
    EXPECT_EQ(Str(plan_shares[i], "claim"), rows[i][2]) << i;
    EXPECT_EQ(Str(plan_shares[i], "share"), rows[i][3]) << i;
  }
  EXPECT_EQ(Str(plan_shares[3], "disbursement_id"), "<null>");  // a zero share makes none

  // 26,333.33 ÷ 30,000.00 = 0.877777… and 52,666.67 ÷ 60,000.00 = 0.877777…: 87.78%.
  const CliRun zh = Run({"--db", db_, "distribution", "FP1"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* part :
       {"参与分配方案", "FP1",     "可供分配金额", "100,000.00",    "优先扣除执行费用", "1,000.00",
        "99,000.00",    "债权人",  "顺位",         "债权额",        "分配额",           "c-a",
        "c-b",          "c-c",     "x-d 丁",       "20,000.00",     "26,333.33",        "52,666.67",
        "87.78%",       "100.00%", "计算方法",     "按债权比例分配"}) {
    EXPECT_TRUE(Has(zh.out, part).empty()) << Has(zh.out, part);
  }
  const CliRun en = Run({"--db", db_, "distribution", "FP1", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* part : {"Distribution plan", "creditor", "rank", "claim", "share", "26,333.33",
                           "Working:", "pro rata", "largest remainders"}) {
    EXPECT_TRUE(Has(en.out, part).empty()) << Has(en.out, part);
  }
  EXPECT_EQ(en.out.find("分配"), std::string::npos) << en.out;

  // An unknown distribution: UNKNOWN_REFERENCE, exit 1.
  const CliRun unknown = Run({"--db", db_, "distribution", "FP9", "--json"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(ErrorCode(ParseJson(unknown.out)), "UNKNOWN_REFERENCE");
}

TEST_F(CliDistribution, SharesAreApprovedByAnotherOperatorConfirmedAndShownAsDisbursed) {
  Seed();
  const auto results = ApplyOk({Distribute()});
  ASSERT_EQ(results.size(), 1u);
  std::vector<std::string> ids;
  for (const auto& id : ArrayAt(results[0], "disbursement_ids")) ids.push_back(id.text);
  ASSERT_EQ(ids.size(), 3u);

  // The requester (clerk.wang, who ran distribute) may not approve; nor can an unapproved
  // share be confirmed; x-d's zero share has no disbursement.
  EXPECT_EQ(ErrorCode(ApplyRejected(
                Cmd("ap-self", "2024-03-11",
                    R"("approve_disbursement":{"disbursement_id":")" + ids[0] + R"("})"))),
            "NOT_PERMITTED");
  EXPECT_EQ(ErrorCode(ApplyRejected(Cmd("cf-early", "2024-03-11",
                                        R"("confirm_disbursement":{"disbursement_id":")" + ids[0] +
                                            R"(","bank_ref":"P-0"})"))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCode(ApplyRejected(Cmd("ap-none", "2024-03-11",
                                        R"("approve_disbursement":{"disbursement_id":"FP1/x-d"})",
                                        "chief.zhao"))),
            "UNKNOWN_REFERENCE");

  std::vector<std::string> lines;
  for (size_t i = 0; i < ids.size(); ++i) {
    lines.push_back(Cmd("ap-" + std::to_string(i), "2024-03-11",
                        R"("approve_disbursement":{"disbursement_id":")" + ids[i] + R"("})",
                        "chief.zhao"));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    lines.push_back(Cmd("cf-" + std::to_string(i), "2024-03-12",
                        R"("confirm_disbursement":{"disbursement_id":")" + ids[i] +
                            R"(","bank_ref":"P-)" + std::to_string(i) + R"("})"));
  }
  ApplyOk(lines);
  // 20,000.00 + 26,333.33 + 52,666.67 = 99,000.00 paid to the case's creditors; the costs
  // 1,000.00 stay in the account.
  EXPECT_EQ(CaseField(kCaseD, "disbursed"), "99000.00");
  EXPECT_EQ(CaseField(kCaseD, "recovered"), "100000.00");
  EXPECT_EQ(CaseField(kCaseD, "balance"), "1000.00");
  EXPECT_EQ(CaseField(kCaseD, "pending"), "0.00");
  EXPECT_EQ(CaseField(kCaseD, "available"), "1000.00");
  // On the day before the confirmations the shares were still only reserved.
  EXPECT_EQ(CaseField(kCaseD, "disbursed", "2024-03-11"), "0.00");
  EXPECT_EQ(CaseField(kCaseD, "pending", "2024-03-11"), "99000.00");
}

TEST_F(CliDistribution, TiesGoToTheEarlierClaimAndWhatIsLeftAfterEveryRankIsSurplus) {
  ApplyOk({OpenCase("open-t", "2024-03-01", kCaseD, "3000",
                    R"({"party_id":"p-z","name":"甲"},{"party_id":"p-a","name":"乙"},)"
                    R"({"party_id":"p-m","name":"丙"})",
                    R"({"party_id":"d-1","name":"李强"})"),
           Receipt("r-t", "2024-03-05", kCaseD, "1000.00", "R-T")});
  // T1: 100.00 among three equal claims of 1,000.00 (rank 1): each 33.33|3, remainders equal;
  // the 1 fen left goes to the earliest in the input, p-z (not the alphabetically first p-a).
  // T2: 500.00 less costs 50.00 = 450.00; rank 2 p-m 100.00 fits (350.00 left), rank 5 p-a
  // 300.00 fits (50.00 left): surplus 50.00; shares in input order.
  const auto results = ApplyOk(
      {Cmd("dist-t1", "2024-03-10",
           R"("distribute":{"distribution_id":"T1","case_no":")" + std::string(kCaseD) +
               R"(","amount":"100.00","claims":[{"party_id":"p-z","amount":"1000.00"},)"
               R"({"party_id":"p-a","amount":"1000.00"},{"party_id":"p-m","amount":"1000.00"}]})"),
       Cmd("dist-t2", "2024-03-10",
           R"("distribute":{"distribution_id":"T2","case_no":")" + std::string(kCaseD) +
               R"(","amount":"500.00","costs":"50.00","claims":[)"
               R"({"party_id":"p-a","amount":"300.00","rank":5},)"
               R"({"party_id":"p-m","amount":"100.00","rank":2}]})")});
  ASSERT_EQ(results.size(), 2u);
  const auto& t1 = ArrayAt(results[0], "shares");
  ASSERT_EQ(t1.size(), 3u);
  EXPECT_EQ(Str(t1[0], "party_id"), "p-z");
  EXPECT_EQ(Str(t1[0], "share"), "33.34");
  EXPECT_EQ(Str(t1[1], "share"), "33.33");
  EXPECT_EQ(Str(t1[2], "share"), "33.33");
  EXPECT_EQ(Str(results[0], "surplus"), "0.00");
  EXPECT_EQ(ArrayAt(results[0], "disbursement_ids").size(), 3u);

  const auto& t2 = ArrayAt(results[1], "shares");
  ASSERT_EQ(t2.size(), 2u);
  EXPECT_EQ(Str(t2[0], "party_id"), "p-a");
  EXPECT_EQ(Str(t2[0], "share"), "300.00");
  EXPECT_EQ(Str(t2[1], "party_id"), "p-m");
  EXPECT_EQ(Str(t2[1], "share"), "100.00");
  EXPECT_EQ(Str(results[1], "surplus"), "50.00");
  const auto& t2_ids = ArrayAt(results[1], "disbursement_ids");
  ASSERT_EQ(t2_ids.size(), 2u);
  EXPECT_EQ(t2_ids[0].text, "T2/p-a");
  EXPECT_EQ(t2_ids[1].text, "T2/p-m");
  EXPECT_EQ(Str(Read({"distribution", "T2"}), "surplus"), "50.00");
  // Reserved: 100.00 + 400.00; free: 1,000.00 − 500.00 (costs and surplus stay free).
  EXPECT_EQ(CaseField(kCaseD, "pending"), "500.00");
  EXPECT_EQ(CaseField(kCaseD, "available"), "500.00");

  // More than is available: 500.00 free, 600.00 asked.
  EXPECT_EQ(ErrorCode(ApplyRejected(
                Cmd("dist-t3", "2024-03-10",
                    R"("distribute":{"distribution_id":"T3","case_no":")" + std::string(kCaseD) +
                        R"(","amount":"600.00","claims":[{"party_id":"p-a","amount":"1.00"}]})"))),
            "INSUFFICIENT_FUNDS");
}

// ---------------------------------------------------------------------------------------
// the defaulter list

constexpr const char* kCaseL = "(2024)甘0102执301号";
constexpr const char* kCaseM = "(2024)甘0102执302号";

std::string List(const std::string& request_id, const std::string& on, const std::string& party,
                 const std::string& case_no, int ground, int extra_years = 0) {
  return Cmd(request_id, on,
             R"("list_defaulter":{"party_id":")" + party + R"(","case_no":")" + case_no +
                 R"(","ground":)" + std::to_string(ground) +
                 (extra_years > 0 ? R"(,"extra_years":)" + std::to_string(extra_years) : "") + "}");
}

std::string PartyOp(const std::string& request_id, const std::string& on, const std::string& op,
                    const std::string& party, const std::string& case_no,
                    const std::string& reason = "") {
  return Cmd(request_id, on,
             "\"" + op + R"(":{"party_id":")" + party + R"(","case_no":")" + case_no + "\"" +
                 (reason.empty() ? "" : R"(,"reason":")" + reason + "\"") + "}");
}

using CliDefaulters = EventsCliFixture;

// A case with claim 10,000.00 (fee 50.00, the flat first bracket), no performance_due.
std::string OpenL(const std::string& on = "2024-01-10",
                  const std::string& debtors = R"({"party_id":"d-li","name":"李强"})") {
  return OpenCase("open-l", on, kCaseL, "10000",
                  R"({"party_id":"c-1","name":"张明","account":"6228480010000000001"})", debtors);
}

TEST_F(CliDefaulters, AListingShowsItsGroundDatesAndTheRestriction) {
  // Ground 2 + 1 extra year on the leap day: 2024-02-29 + 36 months = 2027-02-29, clamped to
  // the month's last day: 2027-02-28.
  ApplyOk({OpenL(), List("list-1", "2024-02-29", "d-li", kCaseL, 2, 1)});
  const json::Value d = Read({"defaulter", "d-li", "--on", "2024-03-01"});
  ExpectKeys(d, {"party_id", "listed", "restricted", "listings"});
  EXPECT_EQ(Str(d, "party_id"), "d-li");
  EXPECT_EQ(BoolAt(d, "listed"), "true");
  EXPECT_EQ(BoolAt(d, "restricted"), "true");  // every listed party is restricted
  const auto& listings = ArrayAt(d, "listings");
  ASSERT_EQ(listings.size(), 1u);
  ExpectKeys(listings[0], {"case_no", "ground", "listed_on", "expires_on", "deletion_due_on",
                           "deleted_on", "reason"});
  EXPECT_EQ(Str(listings[0], "case_no"), kCaseL);
  ASSERT_TRUE(listings[0].Find("ground")->is_number());
  EXPECT_EQ(Str(listings[0], "ground"), "2");
  EXPECT_EQ(Str(listings[0], "listed_on"), "2024-02-29");
  EXPECT_EQ(Str(listings[0], "expires_on"), "2027-02-28");
  EXPECT_EQ(Str(listings[0], "deletion_due_on"), "<null>");  // nothing owed has been paid
  EXPECT_EQ(Str(listings[0], "deleted_on"), "<null>");
  EXPECT_EQ(Str(listings[0], "reason"), "<null>");

  // The day before the listing: not listed, not restricted, nothing to show.
  const json::Value before = Read({"defaulter", "d-li", "--on", "2024-02-28"});
  EXPECT_EQ(BoolAt(before, "listed"), "false");
  EXPECT_EQ(BoolAt(before, "restricted"), "false");
  EXPECT_TRUE(ArrayAt(before, "listings").empty());

  // The expiry is itself a deletion cause: 2027-02-28 is a Sunday; working days after it
  // Mon 03-01, Tue 03-02, Wed 03-03 → due 2027-03-03, shown once the expiry has come.
  const json::Value expired = Read({"defaulter", "d-li", "--on", "2027-03-01"});
  EXPECT_EQ(BoolAt(expired, "listed"), "true");  // listed until deleted
  EXPECT_EQ(Str(ArrayAt(expired, "listings").at(0), "deletion_due_on"), "2027-03-03");

  // Listing the same party twice for the case: INVALID_STATE. Ground 7 and extra years for
  // ground 1: INVALID_ARGUMENT.
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-2", "2024-03-01", "d-li", kCaseL, 1))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-3", "2024-03-01", "d-li", kCaseL, 7))),
            "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-4", "2024-03-01", "d-li", kCaseL, 1, 1))),
            "INVALID_ARGUMENT");
  // A party who is not a debtor of the case.
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-5", "2024-03-01", "c-1", kCaseL, 1))),
            "UNKNOWN_REFERENCE");

  // The tables.
  const CliRun zh = Run({"--db", db_, "defaulter", "d-li", "--on", "2024-03-01"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* part : {"失信被执行人", "限制消费", "是", "纳入日期", "2024-02-29", "期限届满",
                           "2027-02-28", kCaseL}) {
    EXPECT_TRUE(Has(zh.out, part).empty()) << Has(zh.out, part);
  }
  const CliRun en = Run({"--db", db_, "defaulter", "d-li", "--on", "2024-03-01", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* part : {"listed", "restricted", "yes", "listed_on", "expires_on"}) {
    EXPECT_TRUE(Has(en.out, part).empty()) << Has(en.out, part);
  }
}

TEST_F(CliDefaulters, PayingEverythingOwedOnAFridayMakesDeletionDueTheNextWednesday) {
  // Owed: claim 10,000.00 + fee 50.00 = 10,050.00 (no delay interest: no performance_due).
  // Thu 03-14: 10,000.00 paid, 50.00 still owed: no cause yet.
  // Fri 03-15: the last 50.00: outstanding 0 from 03-15; working days Mon 18, Tue 19, Wed 20.
  ApplyOk({OpenL(), List("list-1", "2024-03-11", "d-li", kCaseL, 1),
           Receipt("r-1", "2024-03-14", kCaseL, "10000.00", "R-1"),
           Receipt("r-2", "2024-03-15", kCaseL, "50.00", "R-2")});
  EXPECT_EQ(CaseField(kCaseL, "outstanding", "2024-03-14"), "50.00");
  const json::Value thursday = Read({"defaulter", "d-li", "--on", "2024-03-14"});
  EXPECT_EQ(Str(ArrayAt(thursday, "listings").at(0), "deletion_due_on"), "<null>");
  EXPECT_EQ(CaseField(kCaseL, "outstanding", "2024-03-15"), "0.00");
  const json::Value friday = Read({"defaulter", "d-li", "--on", "2024-03-15"});
  const auto& listings = ArrayAt(friday, "listings");
  ASSERT_EQ(listings.size(), 1u);
  EXPECT_EQ(Str(listings[0], "deletion_due_on"), "2024-03-20");
  EXPECT_EQ(Str(listings[0], "expires_on"), "<null>");  // ground 1 has no fixed period
  EXPECT_EQ(BoolAt(friday, "listed"), "true");          // due, not yet deleted
  // Still due that Wednesday when looked at later; the tables show it too.
  EXPECT_EQ(Str(ArrayAt(Read({"defaulter", "d-li", "--on", "2024-04-30"}), "listings").at(0),
                "deletion_due_on"),
            "2024-03-20");
  const CliRun zh = Run({"--db", db_, "defaulter", "d-li", "--on", "2024-03-15"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_TRUE(Has(zh.out, "2024-03-20").empty()) << zh.out;
  const json::Value all = Read({"defaulters", "--on", "2024-03-15"});
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.items.size(), 1u);
  const json::Value* listing = all.items[0].Find("listing");
  ASSERT_NE(listing, nullptr);
  EXPECT_EQ(Str(*listing, "deletion_due_on"), "2024-03-20");
}

TEST_F(CliDefaulters, NationalDayHolidaysAndAdjustedWorkdaysMoveTheDueDate) {
  const std::vector<std::string> scenario = {
      OpenCase("open-n", "2024-09-02", kCaseL, "10000", R"({"party_id":"c-1","name":"张明"})",
               R"({"party_id":"d-li","name":"李强"})"),
      List("list-1", "2024-09-10", "d-li", kCaseL, 1),
      Receipt("r-1", "2024-09-27", kCaseL, "10050.00", "R-1")};  // Friday: all owed paid
  const std::string rules =
      Cmd("rules-1", "2024-09-10",
          R"("set_rules":{"holidays":["2024-10-01","2024-10-02","2024-10-03","2024-10-04",)"
          R"("2024-10-07"],"workdays":["2024-09-29","2024-10-12"]})");
  // With the 2024 National Day calendar: after Fri 09-27, Sat 09-28 is off, Sun 09-29 works (1),
  // Mon 09-30 (2), 10-01..04 holidays, 10-05/06 weekend, 10-07 holiday, Tue 10-08 (3).
  ApplyOk({scenario[0], scenario[1], rules, scenario[2]});
  const json::Value with = Read({"defaulter", "d-li", "--on", "2024-09-27"});
  EXPECT_EQ(Str(ArrayAt(with, "listings").at(0), "deletion_due_on"), "2024-10-08");

  // Without it, plain Monday–Friday: Mon 09-30, Tue 10-01, Wed 10-02.
  db_ = (dir_ / "db-plain").string();
  ApplyOk(scenario);
  const json::Value without = Read({"defaulter", "d-li", "--on", "2024-09-27"});
  EXPECT_EQ(Str(ArrayAt(without, "listings").at(0), "deletion_due_on"), "2024-10-02");
}

TEST_F(CliDefaulters, DelistingKeepsTheListingOnRecordAndTheRestrictionUntilLifted) {
  ApplyOk({OpenL(), List("list-1", "2024-02-01", "d-li", kCaseL, 3)});
  // Lifting the restriction while listed: INVALID_STATE.
  EXPECT_EQ(ErrorCode(ApplyRejected(
                PartyOp("lift-0", "2024-02-05", "lift_restriction", "d-li", kCaseL, "提供担保"))),
            "INVALID_STATE");
  ApplyOk({PartyOp("del-1", "2024-02-06", "delist_defaulter", "d-li", kCaseL, "wrongly_listed")});
  const json::Value d = Read({"defaulter", "d-li", "--on", "2024-02-06"});
  EXPECT_EQ(BoolAt(d, "listed"), "false");
  EXPECT_EQ(BoolAt(d, "restricted"), "true");  // the restriction stays until lifted
  const auto& listings = ArrayAt(d, "listings");
  ASSERT_EQ(listings.size(), 1u);  // on record, no longer public
  EXPECT_EQ(Str(listings[0], "listed_on"), "2024-02-01");
  EXPECT_EQ(Str(listings[0], "expires_on"), "2026-02-01");  // ground 3: 2 years
  EXPECT_EQ(Str(listings[0], "deleted_on"), "2024-02-06");
  EXPECT_EQ(Str(listings[0], "reason"), "wrongly_listed");
  // The day before the deletion it was listed.
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-li", "--on", "2024-02-05"}), "listed"), "true");
  // No longer on the public list.
  const json::Value all = Read({"defaulters", "--on", "2024-02-06"});
  ASSERT_TRUE(all.is_array());
  EXPECT_TRUE(all.items.empty());
  // Deleting again, or with a reason not in RULES §5.
  EXPECT_EQ(ErrorCode(ApplyRejected(
                PartyOp("del-2", "2024-02-06", "delist_defaulter", "d-li", kCaseL, "performed"))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCode(ApplyRejected(
                PartyOp("del-3", "2024-02-06", "delist_defaulter", "d-li", kCaseL, "forgiven"))),
            "INVALID_ARGUMENT");

  // Now the restriction can be lifted.
  ApplyOk({PartyOp("lift-1", "2024-02-07", "lift_restriction", "d-li", kCaseL, "提供担保")});
  const json::Value lifted = Read({"defaulter", "d-li", "--on", "2024-02-07"});
  EXPECT_EQ(BoolAt(lifted, "listed"), "false");
  EXPECT_EQ(BoolAt(lifted, "restricted"), "false");
  EXPECT_EQ(ArrayAt(lifted, "listings").size(), 1u);
  const CliRun zh = Run({"--db", db_, "defaulter", "d-li", "--on", "2024-02-07"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* part : {"删除日期", "2024-02-06", "错误纳入", "解除日期", "2024-02-07"}) {
    EXPECT_TRUE(Has(zh.out, part).empty()) << Has(zh.out, part);
  }
  // A restriction without a listing, then lifted at once.
  ApplyOk({PartyOp("restrict-1", "2024-02-08", "restrict_consumption", "d-li", kCaseL),
           PartyOp("lift-2", "2024-02-08", "lift_restriction", "d-li", kCaseL, "债权人同意")});
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-li", "--on", "2024-02-08"}), "restricted"), "false");
}

TEST_F(CliDefaulters, MinorsAreNeverListed) {
  // d-kid: resident ID born 2010-05-01 (check character 8); d-flag: "minor": true; d-turns18:
  // born 2006-03-15, an adult from 2024-03-15 (check character 3); d-adult: born 1990-01-01.
  const std::string debtors = R"({"party_id":"d-kid","name":"小明","id_type":"resident_id",)"
                              R"("id_number":"110105201005010018"},)"
                              R"({"party_id":"d-flag","name":"小红","minor":true},)"
                              R"({"party_id":"d-turns18","name":"小刚","id_type":"resident_id",)"
                              R"("id_number":"620102200603150033"},)"
                              R"({"party_id":"d-adult","name":"李强","id_type":"resident_id",)"
                              R"("id_number":"62010219900101002X"})";
  ApplyOk({OpenL("2024-01-10", debtors)});
  const json::Value kid = ApplyRejected(List("list-kid", "2024-03-14", "d-kid", kCaseL, 1));
  EXPECT_EQ(ErrorCode(kid), "INVALID_STATE");
  EXPECT_EQ(ErrorMessage(kid).find("110105201005010018"), std::string::npos);  // personal data
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-flag", "2024-03-14", "d-flag", kCaseL, 1))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCode(ApplyRejected(List("list-17", "2024-03-14", "d-turns18", kCaseL, 1))),
            "INVALID_STATE");
  ApplyOk({List("list-18", "2024-03-15", "d-turns18", kCaseL, 1),
           List("list-adult", "2024-03-15", "d-adult", kCaseL, 1)});
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-kid", "--on", "2024-03-15"}), "listed"), "false");
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-turns18", "--on", "2024-03-15"}), "listed"), "true");
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-adult", "--on", "2024-03-15"}), "listed"), "true");
}

TEST_F(CliDefaulters, DefaultersListsOnlyActiveListings) {
  ApplyOk({OpenL(),
           OpenCase("open-m", "2024-01-10", kCaseM, "5000", R"({"party_id":"c-2","name":"王芳"})",
                    R"({"party_id":"d-wu","name":"吴某"},{"party_id":"d-zhou","name":"周某"})"),
           List("list-li", "2024-02-01", "d-li", kCaseL, 1),
           List("list-wu", "2024-02-02", "d-wu", kCaseM, 4, 3),
           List("list-zhou", "2024-02-02", "d-zhou", kCaseM, 5),
           PartyOp("del-zhou", "2024-02-20", "delist_defaulter", "d-zhou", kCaseM,
                   "creditor_request")});
  auto parties = [&](const std::string& on) {
    const json::Value all = Read({"defaulters", "--on", on});
    EXPECT_TRUE(all.is_array());
    std::set<std::string> out;
    for (const auto& row : all.items) {
      out.insert(Str(row, "party_id"));
      const json::Value* listing = row.Find("listing");
      EXPECT_NE(listing, nullptr);
      if (listing != nullptr) {
        EXPECT_EQ(Str(*listing, "deleted_on"), "<null>");
      }
    }
    return out;
  };
  EXPECT_EQ(parties("2024-01-31"), std::set<std::string>{});
  EXPECT_EQ(parties("2024-02-01"), std::set<std::string>{"d-li"});
  EXPECT_EQ(parties("2024-02-19"), (std::set<std::string>{"d-li", "d-wu", "d-zhou"}));
  EXPECT_EQ(parties("2024-02-20"), (std::set<std::string>{"d-li", "d-wu"}));
  // d-wu: ground 4 + 3 years from 2024-02-02 = 2029-02-02.
  const json::Value all = Read({"defaulters", "--on", "2024-02-20"});
  for (const auto& row : all.items) {
    if (Str(row, "party_id") != "d-wu") continue;
    EXPECT_EQ(Str(*row.Find("listing"), "expires_on"), "2029-02-02");
    EXPECT_EQ(Str(*row.Find("listing"), "case_no"), kCaseM);
  }
  const CliRun zh = Run({"--db", db_, "defaulters", "--on", "2024-02-20"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_TRUE(Has(zh.out, "d-wu").empty()) << zh.out;
  EXPECT_EQ(zh.out.find("d-zhou"), std::string::npos) << zh.out;
  EXPECT_TRUE(Has(zh.out, "2 条").empty()) << zh.out;
}

TEST_F(CliDefaulters, AnUnknownPartyIsNotListedAndBadDatesAreUsageErrors) {
  ApplyOk({OpenL()});
  const json::Value nobody = Read({"defaulter", "nobody", "--on", "2024-03-01"});
  EXPECT_EQ(Str(nobody, "party_id"), "nobody");
  EXPECT_EQ(BoolAt(nobody, "listed"), "false");
  EXPECT_EQ(BoolAt(nobody, "restricted"), "false");
  EXPECT_TRUE(ArrayAt(nobody, "listings").empty());
  // Without --on: today (2024-12-31).
  EXPECT_EQ(BoolAt(Read({"defaulter", "nobody"}), "listed"), "false");

  for (const char* bad : {"2024-02-30", "2024/03/01", "24-03-01", "2024-3-1", "2024-03-01x"}) {
    for (const char* command : {"defaulter", "defaulters"}) {
      std::vector<std::string> args = {"--db", db_, command};
      if (std::string(command) == "defaulter") args.push_back("d-li");
      args.insert(args.end(), {"--on", bad, "--json"});
      const CliRun run = Run(args);
      EXPECT_EQ(run.exit_code, 2) << command << " --on " << bad << ": " << run.out << run.err;
      EXPECT_TRUE(Has(run.err, "--on").empty()) << run.err;
    }
  }
}

TEST_F(CliDefaulters, EachDateShowsOnlyTheListingsMadeByThen) {
  // d-x is listed in case M (opened 2024-09-02) on 09-10, then in case L, recorded later but
  // opened 2024-01-10 and listed on 03-01 (each case's dates are checked on their own). On 03-05
  // only L's listing exists; M did not exist yet, so its listing must not show (nor fail).
  ApplyOk({OpenCase("open-m", "2024-09-02", kCaseM, "10000", R"({"party_id":"c-1","name":"张明"})",
                    R"({"party_id":"d-x","name":"李强"})"),
           List("list-m", "2024-09-10", "d-x", kCaseM, 1),
           OpenL("2024-01-10", R"({"party_id":"d-x","name":"李强"})"),
           List("list-l", "2024-03-01", "d-x", kCaseL, 1),
           PartyOp("del-l", "2024-09-20", "delist_defaulter", "d-x", kCaseL, "performed")});
  auto cases_listed = [&](const std::string& on) {
    const json::Value d = Read({"defaulter", "d-x", "--on", on});
    std::vector<std::string> out;
    for (const auto& l : ArrayAt(d, "listings")) {
      out.push_back(Str(l, "case_no") + " " + Str(l, "deleted_on"));
    }
    return out;
  };
  const std::string l = kCaseL, m = kCaseM;
  EXPECT_EQ(cases_listed("2024-02-29"), std::vector<std::string>{});
  EXPECT_EQ(cases_listed("2024-03-05"), std::vector<std::string>{l + " <null>"});
  EXPECT_EQ(cases_listed("2024-09-09"), std::vector<std::string>{l + " <null>"});
  EXPECT_EQ(cases_listed("2024-09-10"), (std::vector<std::string>{m + " <null>", l + " <null>"}));
  EXPECT_EQ(cases_listed("2024-09-20"),
            (std::vector<std::string>{m + " <null>", l + " 2024-09-20"}));
  const json::Value all = Read({"defaulters", "--on", "2024-03-05"});
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.items.size(), 1u);
  EXPECT_EQ(Str(*all.items[0].Find("listing"), "case_no"), kCaseL);
  // The restriction follows the same dates: none before 03-01.
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-x", "--on", "2024-02-29"}), "restricted"), "false");
  EXPECT_EQ(BoolAt(Read({"defaulter", "d-x", "--on", "2024-03-01"}), "restricted"), "true");
}

TEST_F(CliDefaulters, TerminatedThisRoundNeedsMoreThanThreeMonthsAndAListingOrRestriction) {
  // Filed Wed 2024-01-10: 终本 allowed when on > 2024-04-10.
  ApplyOk({OpenL(),
           OpenCase("open-m", "2024-01-10", kCaseM, "5000", R"({"party_id":"c-2","name":"王芳"})",
                    R"({"party_id":"d-wu","name":"吴某"})")});
  auto close = [&](const std::string& request_id, const std::string& on,
                   const std::string& case_no) {
    return Cmd(request_id, on,
               R"("close_case":{"case_no":")" + case_no + R"(","mode":"terminated_this_round"})");
  };
  // Neither listed nor restricted: INVALID_STATE even after three months.
  EXPECT_EQ(ErrorCode(ApplyRejected(close("close-l0", "2024-03-01", kCaseL))), "INVALID_STATE");
  ApplyOk({List("list-li", "2024-03-01", "d-li", kCaseL, 1)});
  // Listed, but 2024-04-10 is not more than three months after filing.
  EXPECT_EQ(ErrorCode(ApplyRejected(close("close-l1", "2024-04-10", kCaseL))), "INVALID_STATE");
  const std::vector<json::Value> closed = ApplyOk({close("close-l2", "2024-04-11", kCaseL)});
  EXPECT_EQ(CaseField(kCaseL, "status"), "closed");
  EXPECT_EQ(CaseField(kCaseL, "mode"), "terminated_this_round");
  EXPECT_EQ(CaseField(kCaseL, "closed_on"), "2024-04-11");
  // A 终本 closure is not a deletion cause: no deletion due.
  EXPECT_EQ(Str(ArrayAt(Read({"defaulter", "d-li", "--on", "2024-04-30"}), "listings").at(0),
                "deletion_due_on"),
            "<null>");

  // Case M: past three months but its debtor unlisted and unrestricted; a restriction suffices.
  EXPECT_EQ(ErrorCode(ApplyRejected(close("close-m0", "2024-05-01", kCaseM))), "INVALID_STATE");
  ApplyOk({PartyOp("restrict-wu", "2024-05-01", "restrict_consumption", "d-wu", kCaseM),
           close("close-m1", "2024-05-01", kCaseM)});
  EXPECT_EQ(CaseField(kCaseM, "status"), "closed");
}

}  // namespace
}  // namespace caseledger
