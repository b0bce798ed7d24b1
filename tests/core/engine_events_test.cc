// Proves collective events, distribution, the defaulter list and deletion due dates (SPEC §2, §7).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/defaulters.h"
#include "core/figures.h"
#include "core/money.h"
#include "core/rules.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

constexpr std::string_view kCase3 = "(2024)甘0102执3号";

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string CaseNo(int serial) { return "(2024)甘0102执" + std::to_string(serial) + "号"; }

// An 18-character resident ID: the 17 digits given plus the GB 11643 check character.
std::string ResidentId(std::string_view first17) {
  constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return std::string(first17) + "10X98765432"[sum % 11];
}

std::string Item(std::string_view case_no, std::string_view payee, std::string_view amount,
                 std::string_view bank_ref) {
  return R"({"case_no": )" + Quoted(case_no) + R"(, "payee": )" + Quoted(payee) +
         R"(, "amount": )" + Quoted(amount) + R"(, "bank_ref": )" + Quoted(bank_ref) + "}";
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
  return out;
}

class EngineEventsTest : public EngineTest {
 protected:
  std::string Message() const { return last_error_.message(); }

  std::string Event(std::string_view on, std::string_view event_id,
                    const std::vector<std::string>& items, std::string_view request_id = "",
                    std::string_view approved_by = kChecker) {
    const std::string body = R"({"event_id": )" + Quoted(event_id) +
                             R"(, "title": "集中发放日", "approved_by": )" + Quoted(approved_by) +
                             R"(, "items": [)" + Joined(items) + "]}";
    if (request_id.empty()) return Cmd(on, "collective_disbursement", body);
    return CmdId(request_id, on, "collective_disbursement", body);
  }

  // Two cases with money: kCase 100,000.00 (lot of 03-01, deadline 03-31) and 50,000.00 (lot
  // of 03-05, deadline 04-04); kCase2 30,000.00 (lot of 03-02). The bank holds 180,000.00.
  void OpenTwoCasesWithMoney() {
    Accept(OpenCase("2024-03-01", kCase));
    Accept(OpenCase("2024-03-01", kCase2));
    Accept(Receipt("2024-03-01", "100000.00", "IN-1"));
    Accept(Receipt("2024-03-05", "50000.00", "IN-2"));
    Accept(Receipt("2024-03-02", "30000.00", "IN-3", kCase2));
  }
  // The event of OpenTwoCasesWithMoney: 120,000.00 and 20,000.00 from kCase, 10,000.00 from
  // kCase2, recorded as request "ev-req".
  void PayThreeItems() {
    Accept(Event("2024-03-10", "ev-1",
                 {Item(kCase, "c1", "120000.00", "OUT-1"), Item(kCase2, "c1", "10000.00", "OUT-2"),
                  Item(kCase, "c2", "20000.00", "OUT-3")},
                 "ev-req"));
  }

  std::string OpenWithParties(std::string_view on, std::string_view case_no, std::string_view claim,
                              std::string_view creditors, std::string_view debtors) {
    return Cmd(on, "open_case",
               R"({"case_no": )" + Quoted(case_no) + R"(, "claim": )" + Quoted(claim) +
                   R"(, "creditors": )" + std::string(creditors) + R"(, "debtors": )" +
                   std::string(debtors) + "}");
  }

  std::string Distribute(std::string_view on, std::string_view distribution_id,
                         std::string_view amount, std::string_view costs,
                         const std::vector<std::string>& claims, std::string_view case_no = kCase,
                         std::string_view request_id = "") {
    std::string body = R"({"distribution_id": )" + Quoted(distribution_id) + R"(, "case_no": )" +
                       Quoted(case_no) + R"(, "amount": )" + Quoted(amount);
    if (!costs.empty()) body += R"(, "costs": )" + Quoted(costs);
    body += R"(, "claims": [)" + Joined(claims) + "]}";
    if (request_id.empty()) return Cmd(on, "distribute", body);
    return CmdId(request_id, on, "distribute", body);
  }
  static std::string ClaimOf(std::string_view party_id, std::string_view amount,
                             std::string_view extra = "") {
    std::string claim = R"({"party_id": )" + Quoted(party_id) + R"(, "amount": )" + Quoted(amount);
    if (!extra.empty()) claim += ", " + std::string(extra);
    return claim + "}";
  }

  std::string List(std::string_view on, std::string_view party_id, int ground,
                   std::optional<int> extra_years = std::nullopt,
                   std::string_view case_no = kCase) {
    std::string body = R"({"party_id": )" + Quoted(party_id) + R"(, "case_no": )" +
                       Quoted(case_no) + R"(, "ground": )" + std::to_string(ground);
    if (extra_years) body += R"(, "extra_years": )" + std::to_string(*extra_years);
    return Cmd(on, "list_defaulter", body + "}");
  }
  std::string Delist(std::string_view on, std::string_view party_id, std::string_view reason,
                     std::string_view case_no = kCase) {
    return Cmd(on, "delist_defaulter",
               R"({"party_id": )" + Quoted(party_id) + R"(, "case_no": )" + Quoted(case_no) +
                   R"(, "reason": )" + Quoted(reason) + "}");
  }
  std::string Restrict(std::string_view on, std::string_view party_id,
                       std::string_view case_no = kCase) {
    return Cmd(on, "restrict_consumption",
               R"({"party_id": )" + Quoted(party_id) + R"(, "case_no": )" + Quoted(case_no) + "}");
  }
  std::string Lift(std::string_view on, std::string_view party_id,
                   std::string_view case_no = kCase) {
    return Cmd(on, "lift_restriction",
               R"({"party_id": )" + Quoted(party_id) + R"(, "case_no": )" + Quoted(case_no) +
                   R"(, "reason": "担保")" + "}");
  }
  pb::DefaulterRecord DefaulterOf(std::string_view party_id) {
    return Record<pb::DefaulterRecord>(Table::kDefaulter, party_id);
  }

  // The working-day calendar of the rules in force (set_rules), else the default one.
  Calendar CurrentCalendar() {
    if (!Has(Table::kRules, "")) return Rules().calendar;
    return RulesFromRecord(Record<pb::RulesRecord>(Table::kRules, "")).calendar;
  }
  // The defaulter view on D with each listed case's standing from its restoration chain.
  DefaulterView ViewOn(std::string_view party_id, std::string_view on,
                       std::optional<Calendar> calendar = std::nullopt) {
    const pb::DefaulterRecord record = DefaulterOf(party_id);
    std::map<std::string, CaseStanding> standing;
    for (const auto& listing : record.listings()) {
      standing[listing.case_no()] =
          StandingOf(CaseOf(listing.case_no()), ChainOf(listing.case_no()));
    }
    return EvaluateDefaulter(record, Day(on), calendar.value_or(CurrentCalendar()), standing);
  }
};

// ---------------------------------------------------------------------------------------
// collective_disbursement: success

TEST_F(EngineEventsTest, CollectivePaysEachItemFromItsCasesOldestFreeMoney) {
  OpenTwoCasesWithMoney();
  PayThreeItems();
  // kCase: items 0 and 2 take 120,000.00 + 20,000.00 = 140,000.00, in input order: item 0
  // empties the 03-01 lot (100,000.00) and takes 20,000.00 of the 03-05 lot, item 2 another
  // 20,000.00 of it, leaving 50,000.00 − 40,000.00 = 10,000.00 in the 03-05 lot.
  const CaseFigures first = FiguresOn("2024-03-10");
  EXPECT_EQ(first.recovered_fen, 15000000);
  EXPECT_EQ(first.disbursed_fen, 14000000);
  EXPECT_EQ(first.balance_fen, 1000000);  // 150,000.00 − 140,000.00
  EXPECT_EQ(first.available_fen, 1000000);
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.lots_size(), 1);
  EXPECT_EQ(record.lots(0).date(), "2024-03-05");
  EXPECT_EQ(record.lots(0).free_fen(), 1000000);
  // kCase2: 30,000.00 − 10,000.00 = 20,000.00.
  const CaseFigures second = FiguresOn("2024-03-10", kCase2);
  EXPECT_EQ(second.disbursed_fen, 1000000);
  EXPECT_EQ(second.balance_fen, 2000000);
  // The bank: 180,000.00 in, 150,000.00 out = 30,000.00.
  EXPECT_EQ(Global().bank_fen(), 3000000);
  EXPECT_EQ(Global().cases_fen(), 3000000);

  const pb::EventRecord event = Record<pb::EventRecord>(Table::kEvent, "ev-1");
  EXPECT_EQ(event.on(), "2024-03-10");
  EXPECT_EQ(event.approved_by(), kChecker);
  EXPECT_EQ(event.request_id(), "ev-req");
  ASSERT_EQ(event.items_size(), 3);
  EXPECT_EQ(event.items(0).case_no(), kCase);
  EXPECT_EQ(event.items(0).payee(), "c1");
  EXPECT_EQ(event.items(0).amount_fen(), 12000000);
  EXPECT_EQ(event.items(1).case_no(), kCase2);
  EXPECT_EQ(event.items(1).amount_fen(), 1000000);
  EXPECT_EQ(event.items(2).payee(), "c2");
  EXPECT_EQ(event.items(2).bank_ref(), "OUT-3");
  for (const auto& item : event.items()) {
    EXPECT_EQ(item.overdue_fen(), 0);  // deadlines 03-31 and 04-04 are after 03-10
    EXPECT_FALSE(item.has_overdue_since());
    EXPECT_FALSE(item.reversed());
    EXPECT_TRUE(Has(Table::kBankRefOut, item.bank_ref()));
  }
}

TEST_F(EngineEventsTest, CollectiveRecordsMoneyPaidFromOverdueLots) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-01", "100000.00", "IN-1"));        // deadline 03-01 + 30 = 03-31
  Accept(Receipt("2024-04-02", "50000.00", "IN-2"));         // deadline 05-02
  Accept(Receipt("2024-03-11", "8000.00", "IN-3", kCase2));  // deadline 04-10: the event's day
  // Before the event, kCase's 100,000.00 is overdue since 03-31 + 1 = 04-01.
  EXPECT_EQ(FiguresOn("2024-04-10").overdue_fen, 10000000);
  EXPECT_EQ(FiguresOn("2024-04-10").oldest_overdue_since, Day("2024-04-01"));
  EXPECT_EQ(FiguresOn("2024-04-10", kCase2).overdue_fen, 0);  // a deadline on D is not before D

  Accept(Event("2024-04-10", "ev-overdue",
               {Item(kCase, "c1", "70000.00", "P-1"), Item(kCase, "c2", "40000.00", "P-2"),
                Item(kCase2, "c1", "8000.00", "P-3")}));
  const pb::EventRecord event = Record<pb::EventRecord>(Table::kEvent, "ev-overdue");
  ASSERT_EQ(event.items_size(), 3);
  // Item 0 (first in input order): 70,000.00, all of it from the overdue 03-01 lot.
  EXPECT_EQ(event.items(0).overdue_fen(), 7000000);
  EXPECT_EQ(event.items(0).overdue_since(), "2024-04-01");
  // Item 1: the 30,000.00 left of the 03-01 lot (overdue) + 10,000.00 of the fresh 04-02 lot.
  // (Paid in the other order it would have been 40,000.00 overdue and item 0 60,000.00.)
  EXPECT_EQ(event.items(1).overdue_fen(), 3000000);
  EXPECT_EQ(event.items(1).overdue_since(), "2024-04-01");
  // Item 2: money whose deadline is the event's day is not overdue.
  EXPECT_EQ(event.items(2).overdue_fen(), 0);
  EXPECT_FALSE(event.items(2).has_overdue_since());
  // What is left in kCase is 50,000.00 − 10,000.00 = 40,000.00 of fresh money.
  const CaseFigures after = FiguresOn("2024-04-10");
  EXPECT_EQ(after.balance_fen, 4000000);
  EXPECT_EQ(after.overdue_fen, 0);
  EXPECT_EQ(after.disbursed_fen, 11000000);  // 70,000.00 + 40,000.00
}

// ---------------------------------------------------------------------------------------
// collective_disbursement: all items or none

class EngineEventsRejectTest : public EngineEventsTest {
 protected:
  // kCase holds 100,000.00 − a refund of 1,000.00 (bank_ref OUT-TAKEN) = 99,000.00; kCase2
  // is closed.
  void SetUp() override {
    Accept(OpenCase("2024-03-01", kCase));
    Accept(OpenCase("2024-03-01", kCase2));
    Accept(Receipt("2024-03-01", "100000.00", "IN-1"));
    Accept(Outflow("2024-03-02", "refund", "1000.00", "OUT-TAKEN"));
    Accept(Close("2024-03-02", "withdrawn", kCase2));
  }
  std::string Good() { return Item(kCase, "c1", "10000.00", "E-0"); }
};

TEST_F(EngineEventsRejectTest, OneBadItemRecordsNothingAndEveryFailureIsNamed) {
  const std::vector<std::string> items = {
      Good(),
      Item(kUnknownCase, "c1", "1.00", "E-1"),  // UNKNOWN_CASE
      Item(kCase, "x9", "1.00", "E-2"),         // UNKNOWN_REFERENCE: not a creditor
      Item(kCase2, "c1", "1.00", "E-3"),        // CASE_CLOSED
      Item(kCase, "c1", "1.00", "OUT-TAKEN"),   // DUPLICATE_BANK_REF in the ledger
      Item(kCase, "c2", "1.00", "E-0"),         // DUPLICATE_BANK_REF twice in the event
      Item(kCase, "c1", "1.234", "E-6"),        // INVALID_ARGUMENT: three decimals
      // INSUFFICIENT_FUNDS: with item 0, 10,000.00 + 89,000.01 = 99,000.01 > 99,000.00.
      Item(kCase, "c2", "89000.01", "E-7"),
  };
  // INVALID_ARGUMENT comes first in SPEC §2's table, whatever the items' order.
  EXPECT_EQ(Reject(Event("2024-03-10", "ev-bad", items)), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("7 of the event's items fail"), std::string::npos) << Message();
  for (int i = 1; i <= 7; ++i) {
    EXPECT_NE(Message().find("items[" + std::to_string(i) + "]"), std::string::npos)
        << i << ": " << Message();
  }
  EXPECT_EQ(Message().find("items[0]"), std::string::npos) << Message();
  EXPECT_FALSE(Has(Table::kEvent, "ev-bad"));
  EXPECT_FALSE(Has(Table::kBankRefOut, "E-0"));
  EXPECT_EQ(FiguresOn("2024-03-10").balance_fen, 9900000);
  EXPECT_EQ(FiguresOn("2024-03-10").disbursed_fen, 0);
}

TEST_F(EngineEventsRejectTest, EachFaultAloneRejectsTheEventWithItsCode) {
  struct Fault {
    std::string item;
    std::string code;
  };
  const std::vector<Fault> faults = {
      {Item(kUnknownCase, "c1", "1.00", "E-1"), "UNKNOWN_CASE"},
      {Item("not-a-case", "c1", "1.00", "E-1"), "INVALID_ARGUMENT"},
      {Item(kCase, "x9", "1.00", "E-1"), "UNKNOWN_REFERENCE"},
      {Item(kCase, "d1", "1.00", "E-1"), "UNKNOWN_REFERENCE"},  // a debtor is not a payee
      {Item(kCase2, "c1", "1.00", "E-1"), "CASE_CLOSED"},
      {Item(kCase, "c1", "1.00", "OUT-TAKEN"), "DUPLICATE_BANK_REF"},
      {Item(kCase, "c1", "1.00", "E-0"), "DUPLICATE_BANK_REF"},
      {Item(kCase, "c1", "1.234", "E-1"), "INVALID_ARGUMENT"},
      {Item(kCase, "c1", "0", "E-1"), "INVALID_ARGUMENT"},  // money moved must be > 0
      {Item(kCase, "c1", "-1.00", "E-1"), "INVALID_ARGUMENT"},
      {Item(kCase, "c1", "1,000.00", "E-1"), "INVALID_ARGUMENT"},
      {Item(kCase, "c1", "89000.01", "E-1"), "INSUFFICIENT_FUNDS"},  // 10,000.00 + 89,000.01
  };
  for (const Fault& fault : faults) {
    EXPECT_EQ(Reject(Event("2024-03-10", "ev-bad", {Good(), fault.item})), fault.code)
        << fault.item;
    EXPECT_NE(Message().find("items[1]"), std::string::npos) << Message();
    EXPECT_FALSE(Has(Table::kEvent, "ev-bad"));
  }
  // One item alone more than the case's 99,000.00.
  EXPECT_EQ(Reject(Event("2024-03-10", "ev-bad", {Item(kCase, "c1", "99000.01", "E-0")})),
            "INSUFFICIENT_FUNDS");
  EXPECT_NE(Message().find("items[0]"), std::string::npos) << Message();
  // The code is the first failing one in the table's order, not in the items' order.
  EXPECT_EQ(
      Reject(Event("2024-03-10", "ev-bad",
                   {Item(kCase, "x9", "1.00", "E-1"), Item(kUnknownCase, "c1", "1.00", "E-2")})),
      "UNKNOWN_CASE");
  EXPECT_EQ(
      Reject(Event("2024-03-10", "ev-bad",
                   {Item(kCase, "c1", "99000.01", "E-1"), Item(kCase2, "c1", "1.00", "E-2")})),
      "CASE_CLOSED");
  // A bank_ref repeated after a failing item is named as well.
  EXPECT_EQ(
      Reject(Event("2024-03-10", "ev-bad",
                   {Item(kUnknownCase, "c1", "1.00", "E-1"), Item(kCase, "c1", "1.00", "E-1")})),
      "UNKNOWN_CASE");
  EXPECT_NE(Message().find("2 of the event's items fail"), std::string::npos) << Message();
  EXPECT_NE(Message().find("items[1] DUPLICATE_BANK_REF"), std::string::npos) << Message();
  // Nothing was consumed by the failures: the good item and the rest of the money pay out.
  Accept(Event("2024-03-10", "ev-good", {Good(), Item(kCase, "c2", "89000.00", "E-7")}));
  EXPECT_EQ(FiguresOn("2024-03-10").balance_fen, 0);  // 99,000.00 − 10,000.00 − 89,000.00
  EXPECT_EQ(FiguresOn("2024-03-10").disbursed_fen, 9900000);
}

TEST_F(EngineEventsRejectTest, TheEventItselfIsChecked) {
  // The approver must not be the operator (maker and checker differ).
  EXPECT_EQ(Reject(Event("2024-03-10", "ev-x", {Good()}, "", kClerk)), "NOT_PERMITTED");
  // 0 items, 10,001 items.
  EXPECT_EQ(Reject(Event("2024-03-10", "ev-x", {})), "INVALID_ARGUMENT");
  std::vector<std::string> too_many;
  for (int i = 0; i < 10001; ++i) {
    too_many.push_back(Item(kCase, "c1", "0.01", "M-" + std::to_string(i)));
  }
  EXPECT_EQ(Reject(Event("2024-03-10", "ev-x", too_many)), "INVALID_ARGUMENT");
  // 10,000 items is the limit: 10,000 × 0.01 = 100.00.
  too_many.pop_back();
  Accept(Event("2024-03-10", "ev-x", too_many));
  EXPECT_EQ(Record<pb::EventRecord>(Table::kEvent, "ev-x").items_size(), 10000);
  EXPECT_EQ(FiguresOn("2024-03-10").disbursed_fen, 10000);
  EXPECT_EQ(FiguresOn("2024-03-10").balance_fen, 9890000);  // 99,000.00 − 100.00
  // The event_id is taken now.
  EXPECT_EQ(Reject(Event("2024-03-11", "ev-x", {Good()})), "DUPLICATE_ID");
  // The event's own rules rank in the table like the items' codes: an item's
  // INVALID_ARGUMENT or UNKNOWN_CASE comes before DUPLICATE_ID, CASE_CLOSED before
  // NOT_PERMITTED, DUPLICATE_ID before INSUFFICIENT_FUNDS.
  EXPECT_EQ(Reject(Event("2024-03-11", "ev-x", {Item(kCase, "c1", "1.234", "E-1")})),
            "INVALID_ARGUMENT");
  EXPECT_EQ(
      Reject(Event("2024-03-11", "ev-y", {Item(kUnknownCase, "c1", "1.00", "E-1")}, "", kClerk)),
      "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Event("2024-03-11", "ev-y", {Item(kCase2, "c1", "1.00", "E-1")}, "", kClerk)),
            "CASE_CLOSED");
  EXPECT_EQ(Reject(Event("2024-03-11", "ev-x", {Item(kCase, "c1", "99000.00", "E-1")})),
            "DUPLICATE_ID");
}

// ---------------------------------------------------------------------------------------
// collective_disbursement: reversal

TEST_F(EngineEventsTest, ReversingTheWholeEventRestoresEveryItemAsNewLots) {
  OpenTwoCasesWithMoney();
  PayThreeItems();
  Accept(Reverse("2024-03-12", "ev-req"));
  // kCase: 10,000.00 left in the 03-05 lot, plus 120,000.00 and 20,000.00 back as lots of
  // 03-12 due 03-12 + 30 = 04-11.
  const CaseFigures first = FiguresOn("2024-03-12");
  EXPECT_EQ(first.disbursed_fen, 0);
  EXPECT_EQ(first.balance_fen, 15000000);
  EXPECT_EQ(first.recovered_fen, 15000000);
  Fen returned = 0;
  const pb::CaseRecord record = CaseOf();
  for (const auto& lot : record.lots()) {
    if (lot.date() != "2024-03-12") continue;
    EXPECT_EQ(lot.deadline(), "2024-04-11");
    returned += Fen(lot.free_fen());
  }
  EXPECT_EQ(returned, 14000000);
  // kCase2: 20,000.00 + 10,000.00 back.
  EXPECT_EQ(FiguresOn("2024-03-12", kCase2).disbursed_fen, 0);
  EXPECT_EQ(FiguresOn("2024-03-12", kCase2).balance_fen, 3000000);
  EXPECT_EQ(Global().bank_fen(), 18000000);
  const pb::EventRecord event = Record<pb::EventRecord>(Table::kEvent, "ev-1");
  for (const auto& item : event.items()) {
    EXPECT_TRUE(item.reversed());
    EXPECT_FALSE(Has(Table::kBankRefOut, item.bank_ref()));
  }
  // Once only, whole or by item.
  EXPECT_EQ(Reject(Reverse("2024-03-12", "ev-req")), "INVALID_STATE");
  EXPECT_EQ(Reject(Reverse("2024-03-12", "ev-req", "OUT-1")), "INVALID_STATE");
  // A reversed entry's bank_ref may be recorded again.
  Accept(Event("2024-03-13", "ev-2", {Item(kCase, "c1", "1.00", "OUT-1")}));
}

TEST_F(EngineEventsTest, ReversingOneItemByItsBankRefLeavesTheRest) {
  OpenTwoCasesWithMoney();
  PayThreeItems();
  Accept(Reverse("2024-03-12", "ev-req", "OUT-3"));
  // Only item 2 (kCase, 20,000.00): kCase disbursed 140,000.00 − 20,000.00 = 120,000.00,
  // balance 10,000.00 + 20,000.00 = 30,000.00; kCase2 unchanged.
  EXPECT_EQ(FiguresOn("2024-03-12").disbursed_fen, 12000000);
  EXPECT_EQ(FiguresOn("2024-03-12").balance_fen, 3000000);
  EXPECT_EQ(FiguresOn("2024-03-12", kCase2).disbursed_fen, 1000000);
  EXPECT_EQ(FiguresOn("2024-03-12", kCase2).balance_fen, 2000000);
  EXPECT_EQ(Global().bank_fen(), 5000000);  // 30,000.00 + 20,000.00
  pb::EventRecord event = Record<pb::EventRecord>(Table::kEvent, "ev-1");
  EXPECT_FALSE(event.items(0).reversed());
  EXPECT_FALSE(event.items(1).reversed());
  EXPECT_TRUE(event.items(2).reversed());
  EXPECT_FALSE(Record<pb::RequestRecord>(Table::kRequest, "ev-req").reversed());
  // The same item again, and an item the event does not have.
  EXPECT_EQ(Reject(Reverse("2024-03-12", "ev-req", "OUT-3")), "INVALID_STATE");
  EXPECT_EQ(Reject(Reverse("2024-03-12", "ev-req", "NO-SUCH")), "UNKNOWN_REFERENCE");
  // The rest: items 0 and 1.
  Accept(Reverse("2024-03-13", "ev-req"));
  EXPECT_EQ(FiguresOn("2024-03-13").disbursed_fen, 0);
  EXPECT_EQ(FiguresOn("2024-03-13").balance_fen, 15000000);
  EXPECT_EQ(FiguresOn("2024-03-13", kCase2).disbursed_fen, 0);
  EXPECT_EQ(FiguresOn("2024-03-13", kCase2).balance_fen, 3000000);
  EXPECT_EQ(Global().bank_fen(), 18000000);
  event = Record<pb::EventRecord>(Table::kEvent, "ev-1");
  for (const auto& item : event.items()) EXPECT_TRUE(item.reversed());
  EXPECT_TRUE(Record<pb::RequestRecord>(Table::kRequest, "ev-req").reversed());
  EXPECT_EQ(Reject(Reverse("2024-03-13", "ev-req")), "INVALID_STATE");
  EXPECT_EQ(Reject(Reverse("2024-03-13", "ev-req", "OUT-1")), "INVALID_STATE");
}

TEST_F(EngineEventsTest, AnEventOf5000ItemsOver500CasesIsAccepted) {
  constexpr int kCases = 500;
  for (int i = 1; i <= kCases; ++i) {
    Accept(OpenCase("2024-03-01", CaseNo(i)));
    Accept(Receipt("2024-03-01", "10000.00", "BIG-IN-" + std::to_string(i), CaseNo(i)));
  }
  // Ten items per case, k = 1..10, of k × 10.00, spread over the event: 10.00 + ... + 100.00
  // = 550.00 per case.
  std::vector<std::string> items;
  for (int k = 1; k <= 10; ++k) {
    for (int i = 1; i <= kCases; ++i) {
      items.push_back(Item(CaseNo(i), k % 2 == 0 ? "c2" : "c1", std::to_string(k * 10) + ".00",
                           "BIG-" + std::to_string(i) + "-" + std::to_string(k)));
    }
  }
  ASSERT_EQ(items.size(), 5000u);
  Accept(Event("2024-03-10", "ev-big", items));
  for (int i = 1; i <= kCases; ++i) {
    const CaseFigures figures = FiguresOn("2024-03-10", CaseNo(i));
    EXPECT_EQ(figures.disbursed_fen, 55000) << i;
    EXPECT_EQ(figures.balance_fen, 945000) << i;  // 10,000.00 − 550.00
  }
  // 500 × 10,000.00 − 500 × 550.00 = 5,000,000.00 − 275,000.00 = 4,725,000.00.
  EXPECT_EQ(Global().bank_fen(), 472500000);
  const pb::EventRecord event = Record<pb::EventRecord>(Table::kEvent, "ev-big");
  ASSERT_EQ(event.items_size(), 5000);
  EXPECT_EQ(event.items(4999).case_no(), CaseNo(500));
  EXPECT_EQ(event.items(4999).amount_fen(), 10000);
}

// ---------------------------------------------------------------------------------------
// distribute

class EngineDistributeTest : public EngineEventsTest {
 protected:
  // kCase (creditors c1 with an account, c2 without) holds 100,000.00 from 03-05; kCase2 is
  // the own case of x1, who is not a party of kCase.
  void SetUp() override {
    Accept(OpenCase("2024-03-01", kCase));
    Accept(OpenWithParties("2024-03-01", kCase2, "60000.00",
                           R"([{"party_id": "x1", "name": "王某"}])",
                           R"([{"party_id": "d1", "name": "张某某"}])"));
    Accept(Receipt("2024-03-05", "100000.00", "IN-1"));
  }
  // 100,000.00 with costs 1,000.00: c1 (rank 0) 20,000.00 in full; rank 1 (c2 30,000.00,
  // x1 60,000.00 = 90,000.00) shares the 79,000.00 left; x2 (rank 2) gets nothing.
  std::vector<std::string> Claims() {
    return {
        ClaimOf("c1", "20000.00", R"("rank": 0)"), ClaimOf("c2", "30000.00"),
        ClaimOf("x1", "60000.00",
                R"("case_no": ")" + std::string(kCase2) +
                    R"(", "name": "王某", "account": "6222000033334444")"),
        ClaimOf("x2", "5000.00", R"("rank": 2, "name": "赵某", "account": "6222000055556666")")};
  }
};

TEST_F(EngineDistributeTest, SharesBecomeRequestedDisbursementsReservingTheMoney) {
  const Decision decision =
      Accept(Distribute("2024-03-10", "D1", "100000.00", "1000.00", Claims()));
  // Pro rata in fen: c2 = floor(7,900,000 × 3,000,000 / 9,000,000) = floor(2,633,333.33)
  // = 2,633,333 (remainder 1/3); x1 = floor(5,266,666.67) = 5,266,666 (remainder 2/3). One fen
  // is left (7,900,000 − 7,899,999) and goes to the largest remainder: x1 5,266,667.
  const pb::Outcome& outcome = decision.outcome;
  ASSERT_EQ(outcome.disbursement_ids_size(), 3);  // x2's zero share makes none
  EXPECT_EQ(outcome.disbursement_ids(0), "D1/c1");
  EXPECT_EQ(outcome.disbursement_ids(1), "D1/c2");
  EXPECT_EQ(outcome.disbursement_ids(2), "D1/x1");
  ASSERT_EQ(outcome.shares_size(), 4);
  EXPECT_EQ(outcome.shares(0).party_id(), "c1");
  EXPECT_EQ(outcome.shares(0).share_fen(), 2000000);
  EXPECT_EQ(outcome.shares(1).share_fen(), 2633333);
  EXPECT_EQ(outcome.shares(2).share_fen(), 5266667);
  EXPECT_EQ(outcome.shares(3).party_id(), "x2");
  EXPECT_EQ(outcome.shares(3).share_fen(), 0);
  EXPECT_EQ(outcome.surplus_fen(), 0);
  EXPECT_FALSE(Has(Table::kDisbursement, "D1/x2"));
  // Reserved: 20,000.00 + 26,333.33 + 52,666.67 = 99,000.00; the costs stay free.
  const CaseFigures figures = FiguresOn("2024-03-10");
  EXPECT_EQ(figures.pending_fen, 9900000);
  EXPECT_EQ(figures.available_fen, 100000);
  EXPECT_EQ(figures.balance_fen, 10000000);
  EXPECT_EQ(figures.disbursed_fen, 0);

  const auto c1 = Record<pb::DisbursementRecord>(Table::kDisbursement, "D1/c1");
  EXPECT_EQ(c1.status(), pb::DISBURSEMENT_STATUS_REQUESTED);
  EXPECT_EQ(c1.amount_fen(), 2000000);
  EXPECT_EQ(c1.account(), kCreditorAccount);  // the creditor's account by default
  EXPECT_EQ(c1.requested_by(), kClerk);
  EXPECT_FALSE(c1.to_non_creditor());
  EXPECT_EQ(c1.distribution_id(), "D1");
  const auto x1 = Record<pb::DisbursementRecord>(Table::kDisbursement, "D1/x1");
  EXPECT_EQ(x1.amount_fen(), 5266667);
  EXPECT_EQ(x1.account(), "6222000033334444");
  EXPECT_TRUE(x1.to_non_creditor());
  EXPECT_EQ(x1.claim_case_no(), kCase2);
  const auto stored = Record<pb::DistributionRecord>(Table::kDistribution, "D1");
  EXPECT_EQ(stored.costs_fen(), 100000);
  EXPECT_EQ(stored.surplus_fen(), 0);
  ASSERT_EQ(stored.shares_size(), 4);
  EXPECT_TRUE(stored.shares(0).creditor());
  EXPECT_FALSE(stored.shares(2).creditor());
}

TEST_F(EngineDistributeTest, CostsAndSurplusStayFreeInTheCase) {
  // 50,000.00 − costs 500.00 = 49,500.00; rank 1 (10,000.00 + 20,000.00) fits: surplus
  // 49,500.00 − 30,000.00 = 19,500.00.
  const Decision decision =
      Accept(Distribute("2024-03-10", "D2", "50000.00", "500.00",
                        {ClaimOf("c1", "10000.00"), ClaimOf("c2", "20000.00")}));
  EXPECT_EQ(decision.outcome.surplus_fen(), 1950000);
  EXPECT_EQ(decision.outcome.shares(0).share_fen(), 1000000);
  EXPECT_EQ(decision.outcome.shares(1).share_fen(), 2000000);
  // Reserved 30,000.00; free 100,000.00 − 30,000.00 = 70,000.00 (costs, surplus and the 50,000.00
  // not distributed).
  EXPECT_EQ(FiguresOn("2024-03-10").pending_fen, 3000000);
  EXPECT_EQ(FiguresOn("2024-03-10").available_fen, 7000000);
  // The costs are paid and the surplus refunded from the free money.
  Accept(Outflow("2024-03-11", "pay_costs", "500.00", "COST-1"));
  Accept(Outflow("2024-03-11", "refund", "19500.00", "REF-1"));
  EXPECT_EQ(FiguresOn("2024-03-11").available_fen, 5000000);  // 70,000.00 − 20,000.00
}

TEST_F(EngineDistributeTest, ConfirmedSharesCountWhereTheyBelong) {
  Accept(Distribute("2024-03-10", "D1", "100000.00", "1000.00", Claims()));
  // Maker and checker differ.
  EXPECT_EQ(Reject(Approve("2024-03-11", "D1/c1", kClerk)), "NOT_PERMITTED");
  EXPECT_EQ(Reject(Confirm("2024-03-11", "D1/c1", "PAY-1")), "INVALID_STATE");  // not approved
  Accept(Approve("2024-03-11", "D1/c1"));
  Accept(Confirm("2024-03-11", "D1/c1", "PAY-1"));
  // A share to a creditor is disbursed: balance 100,000.00 − 20,000.00 = 80,000.00.
  CaseFigures paying = FiguresOn("2024-03-11");
  EXPECT_EQ(paying.disbursed_fen, 2000000);
  EXPECT_EQ(paying.recovered_fen, 10000000);
  EXPECT_EQ(paying.balance_fen, 8000000);
  EXPECT_EQ(paying.pending_fen, 7900000);  // 26,333.33 + 52,666.67

  Accept(Approve("2024-03-12", "D1/x1"));
  Accept(CmdId("confirm-x1", "2024-03-12", "confirm_disbursement",
               R"({"disbursement_id": "D1/x1", "bank_ref": "PAY-2"})"));
  // A share to a non-creditor leaves kCase's recovered money, not disbursed:
  // recovered 100,000.00 − 52,666.67 = 47,333.33; balance 80,000.00 − 52,666.67 = 27,333.33.
  paying = FiguresOn("2024-03-12");
  EXPECT_EQ(paying.recovered_fen, 4733333);
  EXPECT_EQ(paying.disbursed_fen, 2000000);
  EXPECT_EQ(paying.balance_fen, 2733333);
  EXPECT_EQ(paying.pending_fen, 2633333);
  // ... and is recovered and disbursed in x1's own case, whose account does not move.
  CaseFigures claimant = FiguresOn("2024-03-12", kCase2);
  EXPECT_EQ(claimant.recovered_fen, 5266667);
  EXPECT_EQ(claimant.disbursed_fen, 5266667);
  EXPECT_EQ(claimant.balance_fen, 0);
  EXPECT_EQ(Global().bank_fen(), 2733333);  // 100,000.00 − 20,000.00 − 52,666.67

  // The bank returns the payment: both sides are restored.
  Accept(Reverse("2024-03-14", "confirm-x1", "RET-1"));
  paying = FiguresOn("2024-03-14");
  EXPECT_EQ(paying.recovered_fen, 10000000);
  EXPECT_EQ(paying.disbursed_fen, 2000000);
  EXPECT_EQ(paying.balance_fen, 8000000);
  claimant = FiguresOn("2024-03-14", kCase2);
  EXPECT_EQ(claimant.recovered_fen, 0);
  EXPECT_EQ(claimant.disbursed_fen, 0);
  EXPECT_EQ(claimant.balance_fen, 0);
  EXPECT_EQ(Global().bank_fen(), 8000000);
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "D1/x1").status(),
            pb::DISBURSEMENT_STATUS_RETURNED);
}

TEST_F(EngineDistributeTest, BadDistributionsAreRejected) {
  // More than the 100,000.00 available.
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "100000.01", "", {ClaimOf("c1", "1.00")})),
            "INSUFFICIENT_FUNDS");
  // Costs more than the amount.
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1000.00", "1000.01", {ClaimOf("c1", "1.00")})),
            "INVALID_ARGUMENT");
  // A party twice.
  EXPECT_EQ(
      Reject(Distribute("2024-03-10", "D9", "1000.00", "",
                        {ClaimOf("c1", "1.00"), ClaimOf("c2", "1.00"), ClaimOf("c1", "2.00")})),
      "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("claims[2]"), std::string::npos) << Message();
  // A non-creditor needs name and account.
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1000.00", "",
                              {ClaimOf("x1", "1.00", R"("account": "6222000033334444")")})),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1000.00", "",
                              {ClaimOf("x1", "1.00", R"("name": "王某")")})),
            "INVALID_ARGUMENT");
  // A rank outside 0–1000.
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1000.00", "",
                              {ClaimOf("c1", "1.00", R"("rank": 1001)")})),
            "INVALID_ARGUMENT");
  // An unknown claim case, an unknown distributing case.
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1000.00", "",
                              {ClaimOf("x1", "1.00",
                                       R"("name": "王某", "account": "1", "case_no": ")" +
                                           std::string(kUnknownCase) + R"(")")})),
            "UNKNOWN_CASE");
  EXPECT_EQ(
      Reject(Distribute("2024-03-10", "D9", "1.00", "", {ClaimOf("c1", "1.00")}, kUnknownCase)),
      "UNKNOWN_CASE");
  // A taken distribution_id.
  Accept(Distribute("2024-03-10", "D1", "1000.00", "", {ClaimOf("c1", "1000.00")}));
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D1", "1000.00", "", {ClaimOf("c1", "1000.00")})),
            "DUPLICATE_ID");
  // A closed case (closed with no money: CASE_CLOSED ranks before INSUFFICIENT_FUNDS).
  Accept(Close("2024-03-10", "withdrawn", kCase2));
  EXPECT_EQ(Reject(Distribute("2024-03-10", "D9", "1.00", "", {ClaimOf("x1", "1.00")}, kCase2)),
            "CASE_CLOSED");
  // Nothing of the rejected ones was written.
  EXPECT_FALSE(Has(Table::kDistribution, "D9"));
  EXPECT_EQ(FiguresOn("2024-03-10").pending_fen, 100000);  // D1's 1,000.00 only
}

// ---------------------------------------------------------------------------------------
// list_defaulter, delist_defaulter, restrict_consumption, lift_restriction

class EngineDefaulterTest : public EngineEventsTest {
 protected:
  // d1 an adult without ID; d2 a minor by flag; d3 a minor by resident ID (born 2010-05-01);
  // d4 an adult by resident ID (born 1980-01-01); d5 turns 18 on 2024-03-10.
  static std::string Debtors() {
    return R"([{"party_id": "d1", "name": "张某某"}, {"party_id": "d2", "name": "小明", "minor": true}, )"
           R"({"party_id": "d3", "name": "小红", "id_type": "resident_id", "id_number": ")" +
           ResidentId("11010120100501001") +
           R"("}, {"party_id": "d4", "name": "王某", "id_type": "resident_id", "id_number": ")" +
           ResidentId("11010119800101001") +
           R"("}, {"party_id": "d5", "name": "李某", "id_type": "resident_id", "id_number": ")" +
           ResidentId("11010120060310001") + R"("}])";
  }
  static std::string Creditors() { return R"([{"party_id": "c1", "name": "甲公司"}])"; }
  std::string OpenWithDebtors(std::string_view on, std::string_view case_no,
                              std::string_view claim = "500000.00") {
    return OpenWithParties(on, case_no, claim, Creditors(), Debtors());
  }
};

TEST_F(EngineDefaulterTest, ListingIsChecked) {
  Accept(OpenWithDebtors("2024-02-01", kCase));
  // Grounds 1–6 only; extra years 0–3, grounds 2–6 only.
  EXPECT_EQ(Reject(List("2024-03-04", "d1", 0)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(List("2024-03-04", "d1", 7)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(List("2024-03-04", "d1", -1)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(List("2024-03-04", "d1", 2, 4)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(List("2024-03-04", "d1", 2, -1)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(List("2024-03-04", "d1", 1, 1)), "INVALID_ARGUMENT");
  // Minors are never listed: by the flag, by the resident ID's birth date.
  EXPECT_EQ(Reject(List("2024-03-04", "d2", 1)), "INVALID_STATE");
  EXPECT_EQ(Reject(List("2024-03-04", "d3", 1)), "INVALID_STATE");
  EXPECT_EQ(Reject(List("2024-03-09", "d5", 1)), "INVALID_STATE");  // 18 tomorrow
  // Only a debtor of the case; only a known case.
  EXPECT_EQ(Reject(List("2024-03-09", "c1", 1)), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(List("2024-03-09", "nobody", 1)), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(List("2024-03-09", "d1", 1, std::nullopt, kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_FALSE(Has(Table::kDefaulter, "d1"));
  // d5 is 18 on 2024-03-10 (birth date + 18 years): an adult may be listed.
  Accept(List("2024-03-10", "d5", 1));
  Accept(List("2024-03-10", "d4", 6, 3));
  Accept(List("2024-03-10", "d1", 1, 0));  // extra_years 0 is no extension
  // Once per case while listed.
  EXPECT_EQ(Reject(List("2024-03-10", "d1", 2)), "INVALID_STATE");
  // A closed case lists no one (CASE_CLOSED ranks before INVALID_STATE); it may delist.
  Accept(Close("2024-03-10", "withdrawn"));
  EXPECT_EQ(Reject(List("2024-03-10", "d1", 2)), "CASE_CLOSED");
  Accept(Delist("2024-03-10", "d1", "wrongly_listed"));
  EXPECT_EQ(Reject(List("2024-03-10", "d1", 2)), "CASE_CLOSED");
}

TEST_F(EngineDefaulterTest, ListingTermsAndTheRestrictionItBrings) {
  Accept(OpenWithDebtors("2024-02-01", kCase));
  Accept(OpenCase("2024-02-01", kCase2));  // debtor d1 again (the same person)
  // 2024-02-29 + 2 years = 2026-02-29, clamped to 2026-02-28; + 5 years = 2029-02-28.
  Accept(List("2024-02-29", "d1", 2));
  Accept(List("2024-02-29", "d4", 3, 3));
  Accept(List("2024-02-29", "d1", 1, std::nullopt, kCase2));
  const pb::DefaulterRecord d1 = DefaulterOf("d1");
  EXPECT_EQ(d1.name(), "张某某");
  ASSERT_EQ(d1.listings_size(), 2);
  EXPECT_EQ(d1.listings(0).case_no(), kCase);
  EXPECT_EQ(d1.listings(0).ground(), 2);
  EXPECT_EQ(d1.listings(0).listed_on(), "2024-02-29");
  EXPECT_EQ(d1.listings(0).expires_on(), "2026-02-28");
  EXPECT_EQ(d1.listings(1).case_no(), kCase2);
  EXPECT_FALSE(d1.listings(1).has_expires_on());  // ground 1: no fixed period
  // Listing restricts consumption, in each case.
  ASSERT_EQ(d1.restrictions_size(), 2);
  EXPECT_EQ(d1.restrictions(0).case_no(), kCase);
  EXPECT_EQ(d1.restrictions(0).since(), "2024-02-29");
  EXPECT_FALSE(d1.restrictions(0).has_lifted_on());
  const pb::DefaulterRecord d4 = DefaulterOf("d4");
  ASSERT_EQ(d4.listings_size(), 1);
  EXPECT_EQ(d4.listings(0).extra_years(), 3);
  EXPECT_EQ(d4.listings(0).expires_on(), "2029-02-28");
  const DefaulterView view = ViewOn("d1", "2024-02-29");
  EXPECT_TRUE(view.listed);
  EXPECT_TRUE(view.restricted);
}

TEST_F(EngineDefaulterTest, DelistingKeepsTheRecordAndTheRestriction) {
  Accept(OpenWithDebtors("2024-02-01", kCase));
  Accept(List("2024-03-04", "d1", 2));
  EXPECT_EQ(Reject(Delist("2024-03-05", "d1", "paid")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Delist("2024-03-05", "d4", "performed")), "INVALID_STATE");  // not listed
  EXPECT_EQ(Reject(Lift("2024-03-05", "d1")), "INVALID_STATE");                 // listed
  EXPECT_EQ(Reject(Restrict("2024-03-05", "d1")), "INVALID_STATE");  // restricted by listing
  Accept(Delist("2024-03-06", "d1", "performed"));
  pb::DefaulterRecord d1 = DefaulterOf("d1");
  ASSERT_EQ(d1.listings_size(), 1);
  EXPECT_EQ(d1.listings(0).deleted_on(), "2024-03-06");
  EXPECT_EQ(d1.listings(0).reason(), pb::DELETION_REASON_PERFORMED);
  EXPECT_FALSE(d1.restrictions(0).has_lifted_on());  // the restriction stays until lifted
  DefaulterView view = ViewOn("d1", "2024-03-06");
  EXPECT_FALSE(view.listed);
  EXPECT_TRUE(view.restricted);
  EXPECT_EQ(Reject(Delist("2024-03-06", "d1", "performed")), "INVALID_STATE");
  // Once delisted, the restriction may be lifted, once.
  Accept(Lift("2024-03-07", "d1"));
  d1 = DefaulterOf("d1");
  EXPECT_EQ(d1.restrictions(0).lifted_on(), "2024-03-07");
  EXPECT_EQ(d1.restrictions(0).reason(), "担保");
  EXPECT_FALSE(ViewOn("d1", "2024-03-07").restricted);
  EXPECT_EQ(Reject(Lift("2024-03-07", "d1")), "INVALID_STATE");
  // A restriction without listing, once.
  Accept(Restrict("2024-03-07", "d4"));
  EXPECT_EQ(Reject(Restrict("2024-03-07", "d4")), "INVALID_STATE");
  EXPECT_EQ(Reject(Restrict("2024-03-07", "c1")), "UNKNOWN_REFERENCE");
  view = ViewOn("d4", "2024-03-07");
  EXPECT_FALSE(view.listed);
  EXPECT_TRUE(view.restricted);
  // A deleted listing does not stop a new one: both stay on record.
  Accept(List("2024-03-08", "d1", 4));
  d1 = DefaulterOf("d1");
  EXPECT_EQ(d1.listings_size(), 2);
  EXPECT_EQ(d1.restrictions_size(), 2);
  EXPECT_TRUE(ViewOn("d1", "2024-03-08").listed);
}

TEST_F(EngineDefaulterTest, TerminatedThisRoundNeedsEveryAdultDebtorListedOrRestricted) {
  // kCase: d1 (adult) and d2 (minor). kCase2: d1 only. kCase3: d1 and d4 (adults).
  Accept(OpenWithParties("2024-01-10", kCase, "500000.00", Creditors(),
                         R"([{"party_id": "d1", "name": "张某某"}, )"
                         R"({"party_id": "d2", "name": "小明", "minor": true}])"));
  Accept(OpenCase("2024-01-10", kCase2));
  Accept(OpenWithParties(
      "2024-01-10", kCase3, "500000.00", Creditors(),
      R"([{"party_id": "d1", "name": "张某某"}, {"party_id": "d4", "name": "王某"}])"));
  // Nobody listed or restricted.
  EXPECT_EQ(Reject(Close("2024-04-11", "terminated_this_round")), "INVALID_STATE");
  Accept(List("2024-04-10", "d1", 1));
  // 2024-01-10 + 3 months = 2024-04-10: not more than 3 months yet.
  EXPECT_EQ(Reject(Close("2024-04-10", "terminated_this_round")), "INVALID_STATE");
  // The minor d2 needs neither.
  Accept(Close("2024-04-11", "terminated_this_round"));
  EXPECT_EQ(CaseOf().mode(), pb::CLOSURE_MODE_TERMINATED_THIS_ROUND);
  // d1's listing in kCase does not count for kCase2; a restriction there does.
  EXPECT_EQ(Reject(Close("2024-04-11", "terminated_this_round", kCase2)), "INVALID_STATE");
  Accept(Restrict("2024-04-11", "d1", kCase2));
  Accept(Close("2024-04-11", "terminated_this_round", kCase2));
  // Every adult debtor: d4 as well.
  Accept(Restrict("2024-04-11", "d1", kCase3));
  EXPECT_EQ(Reject(Close("2024-04-11", "terminated_this_round", kCase3)), "INVALID_STATE");
  EXPECT_NE(Message().find("d4"), std::string::npos) << Message();
  Accept(Restrict("2024-04-11", "d4", kCase3));
  Accept(Close("2024-04-11", "terminated_this_round", kCase3));
  EXPECT_EQ(CaseOf(kCase3).status(), pb::CASE_STATUS_CLOSED);
}

// ---------------------------------------------------------------------------------------
// Deletion due dates (EvaluateDefaulter over StandingOf)

TEST_F(EngineDefaulterTest, PaidInFullOnAFridayIsDueTheNextWednesday) {
  // Claim 10,000.00: fee 50.00 (the flat first bracket); owed 10,050.00, no performance_due.
  Accept(OpenCase("2024-03-01", kCase, "10000.00"));
  Accept(List("2024-03-04", "d1", 1));
  Accept(Receipt("2024-03-06", "5000.00", "IN-1"));  // outstanding 5,050.00
  EXPECT_FALSE(CaseOf().has_paid_off_on());
  DefaulterView view = ViewOn("d1", "2024-03-06");
  ASSERT_EQ(view.listings.size(), 1u);
  EXPECT_FALSE(view.listings[0].cause_on);
  EXPECT_FALSE(view.listings[0].deletion_due_on);
  Accept(Receipt("2024-03-08", "5050.00", "IN-2"));  // Friday: outstanding 0
  EXPECT_EQ(ChainFiguresOn("2024-03-08").outstanding_fen, 0);
  EXPECT_EQ(CaseOf().paid_off_on(), "2024-03-08");
  // The day before, the cause has not happened.
  view = ViewOn("d1", "2024-03-07");
  EXPECT_FALSE(view.listings[0].cause_on);
  EXPECT_FALSE(view.listings[0].deletion_due_on);
  // Mon 03-11 (1), Tue 03-12 (2), Wed 03-13 (3).
  view = ViewOn("d1", "2024-03-08");
  EXPECT_TRUE(view.listed);
  EXPECT_EQ(CauseWire(view.listings[0]), "performed");
  EXPECT_EQ(view.listings[0].cause_on, Day("2024-03-08"));
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2024-03-13"));
  // The fee is charged, the rest paid and the case closed fully_performed on 03-12: the
  // earliest cause still counts.
  Accept(Cmd("2024-03-11", "charge_fee", R"({"case_no": )" + Quoted(kCase) + "}"));
  Accept(Event("2024-03-11", "ev-1", {Item(kCase, "c1", "10000.00", "OUT-1")}));
  Accept(Close("2024-03-12", "fully_performed"));
  EXPECT_EQ(CaseOf().paid_off_on(), "2024-03-08");
  view = ViewOn("d1", "2024-03-12");
  EXPECT_EQ(CauseWire(view.listings[0]), "performed");
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2024-03-13"));
  // Deleted on its due date: no longer listed, still restricted.
  Accept(Delist("2024-03-13", "d1", "performed"));
  view = ViewOn("d1", "2024-03-13");
  EXPECT_FALSE(view.listed);
  EXPECT_TRUE(view.restricted);
  EXPECT_EQ(view.listings[0].listing.deleted_on(), "2024-03-13");
}

TEST_F(EngineDefaulterTest, WorkingDaysFollowTheCourtsHolidaysAndAdjustedWeekends) {
  // National Day 2024: 10-01..10-07 off; Sunday 09-29 and Saturday 10-12 worked.
  Accept(Cmd(
      "2024-09-01", "set_rules",
      R"({"holidays": ["2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", )"
      R"("2024-10-05", "2024-10-06", "2024-10-07"], "workdays": ["2024-09-29", "2024-10-12"]})"));
  Accept(OpenCase("2024-09-02", kCase, "10000.00"));
  Accept(OpenCase("2024-09-02", kCase2, "10000.00"));
  Accept(List("2024-09-03", "d1", 1));
  Accept(List("2024-09-03", "d1", 1, std::nullopt, kCase2));
  // Paid in full on Friday 09-27: Sat 09-28 off, Sun 09-29 worked (1), Mon 09-30 (2),
  // 10-01..10-07 off, Tue 10-08 (3).
  Accept(Receipt("2024-09-27", "10050.00", "IN-1"));
  DefaulterView view = ViewOn("d1", "2024-09-27");
  ASSERT_EQ(view.listings.size(), 2u);
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2024-10-08"));
  // With Monday–Friday alone it would be Mon 09-30, Tue 10-01, Wed 10-02.
  EXPECT_EQ(ViewOn("d1", "2024-09-27", Calendar()).listings[0].deletion_due_on, Day("2024-10-02"));
  // kCase2 closed as terminated on Thursday 10-10: Fri 10-11 (1), Sat 10-12 worked (2),
  // Mon 10-14 (3).
  Accept(Close("2024-10-10", "terminated", kCase2));
  view = ViewOn("d1", "2024-10-10");
  EXPECT_EQ(CauseWire(view.listings[1]), "closed:terminated");
  EXPECT_EQ(view.listings[1].cause_on, Day("2024-10-10"));
  EXPECT_EQ(view.listings[1].deletion_due_on, Day("2024-10-14"));
  EXPECT_EQ(ViewOn("d1", "2024-10-10", Calendar()).listings[1].deletion_due_on,
            Day("2024-10-15"));  // Fri 10-11, Mon 10-14, Tue 10-15
}

TEST_F(EngineDefaulterTest, ClosuresThatEndTheListingAreCausesButNotTerminatedThisRound) {
  const std::vector<std::string> modes = {"fully_performed", "terminated", "refused", "withdrawn",
                                          "rejected"};
  for (size_t i = 0; i < modes.size(); ++i) {
    Accept(OpenCase("2024-03-01", CaseNo(static_cast<int>(i) + 1)));  // 500,000.00 unpaid
    Accept(List("2024-03-04", "d1", 1, std::nullopt, CaseNo(static_cast<int>(i) + 1)));
  }
  Accept(OpenCase("2024-03-01", CaseNo(6)));
  Accept(List("2024-03-04", "d1", 1, std::nullopt, CaseNo(6)));
  // Friday 03-15: due Mon 18, Tue 19, Wed 20.
  for (size_t i = 0; i < modes.size(); ++i) {
    Accept(Close("2024-03-15", modes[i], CaseNo(static_cast<int>(i) + 1)));
  }
  Accept(Close("2024-06-10", "terminated_this_round", CaseNo(6)));  // > 2024-06-01
  const DefaulterView view = ViewOn("d1", "2024-12-31");
  ASSERT_EQ(view.listings.size(), 6u);
  for (size_t i = 0; i < modes.size(); ++i) {
    EXPECT_EQ(CauseWire(view.listings[i]), "closed:" + modes[i]);
    EXPECT_EQ(view.listings[i].cause_on, Day("2024-03-15")) << modes[i];
    EXPECT_EQ(view.listings[i].deletion_due_on, Day("2024-03-20")) << modes[i];
  }
  EXPECT_FALSE(view.listings[5].cause_on);  // a 终本 closure does not end the listing
  EXPECT_FALSE(view.listings[5].deletion_due_on);
  EXPECT_TRUE(view.listed);
  // Before the closures, nothing is shown.
  const DefaulterView before = ViewOn("d1", "2024-03-14");
  for (const auto& listing : before.listings) EXPECT_FALSE(listing.deletion_due_on);
}

TEST_F(EngineDefaulterTest, ExpiryIsACauseOnItsDay) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(List("2024-03-04", "d1", 2));             // expires 2026-03-04, a Wednesday
  Accept(List("2024-03-04", "d1", 5, 1, kCase2));  // expires 2027-03-04, a Thursday
  DefaulterView view = ViewOn("d1", "2026-03-03");
  ASSERT_EQ(view.listings.size(), 2u);
  EXPECT_EQ(view.listings[0].listing.expires_on(), "2026-03-04");  // known in advance
  EXPECT_FALSE(view.listings[0].cause_on);
  EXPECT_FALSE(view.listings[0].deletion_due_on);
  // Thu 03-05 (1), Fri 03-06 (2), Mon 03-09 (3).
  view = ViewOn("d1", "2026-03-04");
  EXPECT_EQ(CauseWire(view.listings[0]), "expired");
  EXPECT_EQ(view.listings[0].cause_on, Day("2026-03-04"));
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2026-03-09"));
  EXPECT_FALSE(view.listings[1].deletion_due_on);
  EXPECT_TRUE(view.listed);  // listed until deleted
  // Fri 2027-03-05 (1), Mon 03-08 (2), Tue 03-09 (3).
  view = ViewOn("d1", "2027-03-04");
  EXPECT_EQ(CauseWire(view.listings[1]), "expired");
  EXPECT_EQ(view.listings[1].deletion_due_on, Day("2027-03-09"));
}

TEST_F(EngineDefaulterTest, ThePerformedCauseLapsesWhenMoneyIsOwedAgain) {
  Accept(OpenCase("2024-03-01", kCase, "10000.00"));
  Accept(List("2024-03-04", "d1", 1));
  Accept(Receipt("2024-03-08", "10050.00", "IN-1"));  // 10,000.00 + fee 50.00: paid off
  EXPECT_EQ(CaseOf().paid_off_on(), "2024-03-08");
  // A refund of 100.00 on Monday 03-11: outstanding 100.00 again.
  Accept(Outflow("2024-03-11", "refund", "100.00", "OUT-1"));
  EXPECT_EQ(ChainFiguresOn("2024-03-11").outstanding_fen, 10000);
  EXPECT_FALSE(CaseOf().has_paid_off_on());
  DefaulterView view = ViewOn("d1", "2024-03-11");
  EXPECT_FALSE(view.listings[0].cause_on);
  EXPECT_FALSE(view.listings[0].deletion_due_on);
  // Paid again on Friday 03-15: due Wed 03-20.
  Accept(Receipt("2024-03-15", "100.00", "IN-2"));
  view = ViewOn("d1", "2024-03-15");
  EXPECT_EQ(view.listings[0].cause_on, Day("2024-03-15"));
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2024-03-20"));
}

TEST_F(EngineDefaulterTest, ACaseAlreadyPaidOffIsACauseFromTheListingDay) {
  Accept(OpenCase("2024-03-01", kCase, "10000.00"));
  Accept(Receipt("2024-03-08", "10050.00", "IN-1"));
  // Listed on Tuesday 03-12 although paid off on 03-08: the cause counts from the listing
  // (causes on or after listed_on): Wed 13 (1), Thu 14 (2), Fri 15 (3).
  Accept(List("2024-03-12", "d1", 1));
  EXPECT_EQ(CaseOf().paid_off_on(), "2024-03-08");
  const DefaulterView view = ViewOn("d1", "2024-03-12");
  EXPECT_EQ(view.listings[0].cause_on, Day("2024-03-12"));
  EXPECT_EQ(view.listings[0].deletion_due_on, Day("2024-03-15"));
}

}  // namespace
}  // namespace caseledger::engine_fixture
