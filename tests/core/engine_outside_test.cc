// Proves the operations that move money outside the special account (direct_performance,
// settle_in_kind, reassign_receipt, relief_payment), their errors and their reversals, against
// figures worked by hand, with the invariants of SPEC §6 after every entry and replay at the end.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/figures.h"
#include "core/lots.h"
#include "core/money.h"
#include "core/reports.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

constexpr std::string_view kCase3 = "(2024)甘0102执3号";

class EngineOutsideTest : public EngineTest {
 protected:
  std::string Direct(std::string_view on, std::string_view amount,
                     std::string_view case_no = kCase) {
    return Cmd(on, "direct_performance",
               std::string(R"({"case_no": ")") + std::string(case_no) + R"(", "amount": ")" +
                   std::string(amount) + R"(", "reason": "被执行人直接向申请执行人履行"})");
  }
  std::string InKind(std::string_view on, std::string_view amount,
                     std::optional<std::string> ruling_on, std::string_view case_no = kCase) {
    std::string body = std::string(R"({"case_no": ")") + std::string(case_no) +
                       R"(", "amount": ")" + std::string(amount) +
                       R"(", "property": "房产一套（兰州市城关区）")";
    if (ruling_on) body += R"(, "ruling_on": ")" + *ruling_on + R"(")";
    return Cmd(on, "settle_in_kind", body + "}");
  }
  std::string Reassign(std::string_view on, std::string_view bank_ref,
                       std::string_view to_case_no) {
    return Cmd(on, "reassign_receipt",
               std::string(R"({"bank_ref": ")") + std::string(bank_ref) + R"(", "to_case_no": ")" +
                   std::string(to_case_no) + R"(", "reason": "到账案号录错"})");
  }
  std::string Relief(std::string_view on, std::string_view amount, std::string_view bank_ref,
                     std::string_view payee = "c2", std::string_view case_no = kCase) {
    return Cmd(on, "relief_payment",
               std::string(R"({"case_no": ")") + std::string(case_no) + R"(", "payee": ")" +
                   std::string(payee) + R"(", "amount": ")" + std::string(amount) +
                   R"(", "bank_ref": ")" + std::string(bank_ref) + R"(", "reason": "生活困难"})");
  }
  // A case of claim 10,000.00 whose performance period expired on 2024-01-01.
  std::string OpenDueCase(std::string_view case_no) {
    return Cmd("2023-12-01", "open_case",
               std::string(R"({"case_no": ")") + std::string(case_no) +
                   R"(", "claim": "10000.00", "performance_due": "2024-01-01", )"
                   R"("creditors": [{"party_id": "c1", "name": "甲公司"}], )"
                   R"("debtors": [{"party_id": "d1", "name": "张某某"}]})");
  }
  std::string RequestIdOf(const Decision& decision) {
    return EntryAt(decision.seq).command().request_id();
  }
};

// Every figure a reversal must give back, and the lots.
void ExpectSameFigures(const CaseFigures& a, const CaseFigures& b) {
  EXPECT_EQ(a.recovered_fen, b.recovered_fen);
  EXPECT_EQ(a.disbursed_fen, b.disbursed_fen);
  EXPECT_EQ(a.balance_fen, b.balance_fen);
  EXPECT_EQ(a.available_fen, b.available_fen);
  EXPECT_EQ(a.held_fen, b.held_fen);
  EXPECT_EQ(a.pending_fen, b.pending_fen);
  EXPECT_EQ(a.outstanding_fen, b.outstanding_fen);
  EXPECT_EQ(a.fee_due_fen, b.fee_due_fen);
  EXPECT_EQ(a.chain_recovered_fen, b.chain_recovered_fen);
}

void ExpectSameLots(const pb::CaseRecord& a, const pb::CaseRecord& b) {
  ASSERT_EQ(a.lots_size(), b.lots_size());
  for (int i = 0; i < a.lots_size(); ++i) {
    EXPECT_EQ(a.lots(i).date(), b.lots(i).date());
    EXPECT_EQ(a.lots(i).deadline(), b.lots(i).deadline());
    EXPECT_EQ(a.lots(i).free_fen(), b.lots(i).free_fen());
    EXPECT_EQ(a.lots(i).reserved_fen(), b.lots(i).reserved_fen());
    EXPECT_EQ(a.lots(i).held_fen(), b.lots(i).held_fen());
    EXPECT_EQ(a.lots(i).origin_seq(), b.lots(i).origin_seq());
  }
}

// ---------------------------------------------------------------------------------------
// direct_performance and settle_in_kind

TEST_F(EngineOutsideTest, DirectPerformanceIsRecoveredAndDisbursedAtOnceWithNoBankMoney) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  const pb::GlobalRecord bank_before = Global();
  const pb::CaseRecord lots_before = CaseOf();
  const Decision performed = Accept(Direct("2024-03-10", "3000.00"));
  // recovered = 1,000.00 received + 3,000.00 performed directly; disbursed = 3,000.00;
  // balance = 4,000.00 − 3,000.00 = 1,000.00, the receipt's lot alone.
  const CaseFigures f = FiguresOn("2024-03-10");
  EXPECT_EQ(f.recovered_fen, Fen(400000));
  EXPECT_EQ(f.disbursed_fen, Fen(300000));
  EXPECT_EQ(f.balance_fen, Fen(100000));
  ExpectSameLots(CaseOf(), lots_before);
  EXPECT_EQ(EntryAt(performed.seq).postings_size(), 0);
  EXPECT_EQ(Global().bank_fen(), bank_before.bank_fen());
  EXPECT_EQ(Global().cases_fen(), bank_before.cases_fen());
}

TEST_F(EngineOutsideTest, SettlementInKindCountsAtItsValueAndLeavesTheBankAlone) {
  Accept(OpenCase("2024-03-01"));
  const Decision settled = Accept(InKind("2024-03-20", "250000.00", std::nullopt));
  // 250,000.00 recovered and disbursed; nothing in the account.
  const CaseFigures f = FiguresOn("2024-03-20");
  EXPECT_EQ(f.recovered_fen, Fen(25000000));
  EXPECT_EQ(f.disbursed_fen, Fen(25000000));
  EXPECT_EQ(f.balance_fen, Fen(0));
  EXPECT_EQ(CaseOf().lots_size(), 0);
  EXPECT_EQ(EntryAt(settled.seq).postings_size(), 0);
  EXPECT_EQ(Global().bank_fen(), 0);
}

TEST_F(EngineOutsideTest, ReversalsOfDirectPerformanceAndSettlementRestoreTheFiguresExactly) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  const CaseFigures before = FiguresOn("2024-03-12");
  const pb::CaseRecord lots_before = CaseOf();
  const Decision performed = Accept(Direct("2024-03-10", "3000.00"));
  const Decision settled = Accept(InKind("2024-03-11", "5000.00", "2024-03-11"));
  // 1,000.00 + 3,000.00 + 5,000.00 recovered; 8,000.00 disbursed.
  EXPECT_EQ(FiguresOn("2024-03-12").recovered_fen, Fen(900000));
  EXPECT_EQ(FiguresOn("2024-03-12").disbursed_fen, Fen(800000));
  Accept(Reverse("2024-03-12", RequestIdOf(settled)));
  Accept(Reverse("2024-03-12", RequestIdOf(performed)));
  ExpectSameFigures(FiguresOn("2024-03-12"), before);
  ExpectSameLots(CaseOf(), lots_before);
  EXPECT_EQ(CaseOf().recovered_elsewhere_fen(), 0);
  // Once only.
  EXPECT_EQ(Reject(Reverse("2024-03-12", RequestIdOf(performed))), "INVALID_STATE");
}

TEST_F(EngineOutsideTest, RulingDateStopsDelayInterestOfASettlementInKind) {
  // Claim 10,000.00, due 2024-01-01, fee 50.00 (the flat first bracket), allocation fee →
  // ordinary interest → claim → delay interest. Each settlement is worth 10,120.00.
  // With the ruling effective 2024-02-10: days(2024-01-01, 2024-02-10) = 31 + 9 = 40, delay
  // interest = 1,000,000 fen × 40 × 7 / 40000 = 7,000 fen = 70.00; 10,120.00 pays fee 50.00 +
  // claim 10,000.00 + interest 70.00: nothing outstanding.
  // Without it, interest runs to the recording date 2024-03-01: days = 31 + 29 = 60,
  // 1,000,000 × 60 × 7 / 40000 = 10,500 fen = 105.00; after fee and claim 70.00 is left for
  // it, so 35.00 is outstanding.
  Accept(OpenDueCase(kCase));
  Accept(OpenDueCase(kCase2));
  Accept(InKind("2024-03-01", "10120.00", "2024-02-10", kCase));
  Accept(InKind("2024-03-01", "10120.00", std::nullopt, kCase2));
  const CaseFigures ruled = FiguresOn("2024-06-30", kCase);
  EXPECT_EQ(ruled.delay_interest_fen, Fen(7000));
  EXPECT_EQ(ruled.outstanding_fen, Fen(0));
  const CaseFigures unruled = FiguresOn("2024-06-30", kCase2);
  EXPECT_EQ(unruled.delay_interest_fen, Fen(10500));
  EXPECT_EQ(unruled.outstanding_fen, Fen(3500));
}

TEST_F(EngineOutsideTest, DirectPerformanceAndSettlementRefuseBadInputAndClosedCases) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Direct("2024-03-02", "0.00")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Direct("2024-03-02", "1.234")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Direct("2024-03-02", "10.00", kUnknownCase)), "UNKNOWN_CASE");
  // The ruling cannot take effect after the day it is recorded.
  EXPECT_EQ(Reject(InKind("2024-03-02", "10.00", "2024-03-03")), "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("settle_in_kind.ruling_on"), std::string::npos);
  EXPECT_EQ(Reject(InKind("2024-03-02", "10.00", "2024-02-30")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "settle_in_kind",
                       std::string(R"({"case_no": ")") + std::string(kCase) +
                           R"(", "amount": "10.00", "property": ""})")),
            "INVALID_ARGUMENT");
  const Decision performed = Accept(Direct("2024-03-02", "10.00"));
  Accept(Close("2024-03-03"));
  EXPECT_EQ(Reject(Direct("2024-03-04", "10.00")), "CASE_CLOSED");
  EXPECT_EQ(Reject(InKind("2024-03-04", "10.00", std::nullopt)), "CASE_CLOSED");
  // A closed case's figures are final: the correction is a restoration, not a reversal.
  EXPECT_EQ(Reject(Reverse("2024-03-04", RequestIdOf(performed))), "CASE_CLOSED");
}

// ---------------------------------------------------------------------------------------
// reassign_receipt

TEST_F(EngineOutsideTest, ReassignedReceiptMovesItsLotWithItsDatesAndItsMoney) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  const Decision receipt = Accept(Receipt("2024-03-05", "1000.00", "B1"));
  const pb::GlobalRecord bank_before = Global();
  const Decision moved = Accept(Reassign("2024-03-08", "B1", kCase2));
  EXPECT_EQ(moved.outcome.amount_fen(), 100000);
  EXPECT_EQ(moved.outcome.receipt_seq(), receipt.seq);
  // The wrong case holds nothing; the right one holds the lot dated 2024-03-05 and due
  // 2024-03-05 + 30 days = 2024-04-04, as the receipt made it.
  EXPECT_EQ(FiguresOn("2024-03-08", kCase).recovered_fen, Fen(0));
  EXPECT_EQ(FiguresOn("2024-03-08", kCase).balance_fen, Fen(0));
  EXPECT_EQ(CaseOf(kCase).lots_size(), 0);
  EXPECT_EQ(CaseOf(kCase).recoveries_size(), 0);
  const pb::CaseRecord right = CaseOf(kCase2);
  ASSERT_EQ(right.lots_size(), 1);
  EXPECT_EQ(right.lots(0).date(), "2024-03-05");
  EXPECT_EQ(right.lots(0).deadline(), "2024-04-04");
  EXPECT_EQ(right.lots(0).free_fen(), 100000);
  ASSERT_EQ(right.recoveries_size(), 1);
  EXPECT_EQ(right.recoveries(0).value_date(), "2024-03-05");
  EXPECT_EQ(FiguresOn("2024-03-08", kCase2).recovered_fen, Fen(100000));
  EXPECT_EQ(FiguresOn("2024-03-08", kCase2).balance_fen, Fen(100000));
  // The money moved between the two case accounts; the bank saw nothing.
  const pb::Entry entry = EntryAt(moved.seq);
  ASSERT_EQ(entry.postings_size(), 2);
  EXPECT_EQ(entry.postings(0).account(), "case:" + std::string(kCase));
  EXPECT_EQ(entry.postings(0).amount_fen(), 100000);
  EXPECT_EQ(entry.postings(1).account(), "case:" + std::string(kCase2));
  EXPECT_EQ(entry.postings(1).amount_fen(), -100000);
  EXPECT_EQ(Global().bank_fen(), bank_before.bank_fen());
  EXPECT_EQ(Global().cases_fen(), bank_before.cases_fen());
  // It is overdue in its new case from the old deadline: 2024-04-05 on.
  EXPECT_EQ(FiguresOn("2024-04-05", kCase2).overdue_fen, Fen(100000));
}

TEST_F(EngineOutsideTest, ReassignmentReversedRestoresBothCasesExactly) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  Accept(Receipt("2024-03-06", "500.00", "B2", kCase2));
  const CaseFigures wrong_before = FiguresOn("2024-03-09", kCase);
  const CaseFigures right_before = FiguresOn("2024-03-09", kCase2);
  const pb::CaseRecord wrong_lots = CaseOf(kCase);
  const pb::CaseRecord right_lots = CaseOf(kCase2);
  const Decision moved = Accept(Reassign("2024-03-08", "B1", kCase2));
  EXPECT_EQ(FiguresOn("2024-03-09", kCase2).recovered_fen, Fen(150000));
  Accept(Reverse("2024-03-09", RequestIdOf(moved)));
  ExpectSameFigures(FiguresOn("2024-03-09", kCase), wrong_before);
  ExpectSameFigures(FiguresOn("2024-03-09", kCase2), right_before);
  ExpectSameLots(CaseOf(kCase), wrong_lots);
  ExpectSameLots(CaseOf(kCase2), right_lots);
  EXPECT_EQ(Reject(Reverse("2024-03-09", RequestIdOf(moved))), "INVALID_STATE");
  // And it can be reassigned again.
  Accept(Reassign("2024-03-10", "B1", kCase2));
  EXPECT_EQ(FiguresOn("2024-03-10", kCase2).balance_fen, Fen(150000));
}

TEST_F(EngineOutsideTest, ReassignmentIsRefusedWhenTheReceiptsMoneyIsHeldOrReserved) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  Accept(Hold("2024-03-06", "H1", "400.00"));
  EXPECT_EQ(Reject(Reassign("2024-03-07", "B1", kCase2)), "INSUFFICIENT_FUNDS");
  EXPECT_NE(last_error_.message().find("600.00"), std::string::npos) << last_error_.message();
  Accept(Cmd("2024-03-07", "release_hold", R"({"hold_id": "H1"})"));
  Accept(Request("2024-03-07", "D1", "1.00"));
  EXPECT_EQ(Reject(Reassign("2024-03-08", "B1", kCase2)), "INSUFFICIENT_FUNDS");
  Accept(Cmd("2024-03-08", "fail_disbursement", R"({"disbursement_id": "D1", "reason": "撤回"})"));
  // Wholly free again: it moves.
  Accept(Reassign("2024-03-08", "B1", kCase2));
  EXPECT_EQ(FiguresOn("2024-03-08", kCase2).balance_fen, Fen(100000));
  EXPECT_EQ(CaseOf(kCase).lots_size(), 0);
}

TEST_F(EngineOutsideTest, ReassignmentMovesEachPieceOfALotSplitByAReleasedHold) {
  // Receipt of 2024-03-05, due 2024-04-04; 400.00 held on 03-06 and released on 04-01, when
  // its deadline becomes 04-01 + 10 days = 04-11: the lot is now 600.00 due 04-04 and 400.00
  // due 04-11, both dated 03-05. Both pieces move as they are.
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  Accept(Hold("2024-03-06", "H1", "400.00"));
  Accept(Cmd("2024-04-01", "release_hold", R"({"hold_id": "H1"})"));
  ASSERT_EQ(CaseOf(kCase).lots_size(), 2);
  Accept(Reassign("2024-04-01", "B1", kCase2));
  const pb::CaseRecord right = CaseOf(kCase2);
  ASSERT_EQ(right.lots_size(), 2);
  EXPECT_EQ(right.lots(0).date(), "2024-03-05");
  EXPECT_EQ(right.lots(0).deadline(), "2024-04-04");
  EXPECT_EQ(right.lots(0).free_fen(), 60000);
  EXPECT_EQ(right.lots(1).date(), "2024-03-05");
  EXPECT_EQ(right.lots(1).deadline(), "2024-04-11");
  EXPECT_EQ(right.lots(1).free_fen(), 40000);
  EXPECT_EQ(CaseOf(kCase).lots_size(), 0);
}

TEST_F(EngineOutsideTest, ReassignmentIsRefusedWhenPartOfTheReceiptWasPaidOut) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  Accept(Outflow("2024-03-06", "refund", "1.00", "OUT1"));
  EXPECT_EQ(Reject(Reassign("2024-03-07", "B1", kCase2)), "INSUFFICIENT_FUNDS");
}

TEST_F(EngineOutsideTest, ReassignmentErrorsFollowTheOrderOfSpec) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(OpenCase("2024-03-01", kCase3));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  Accept(Unidentified("2024-03-05", "20.00", "U1"));
  Accept(Close("2024-03-05", "withdrawn", kCase3));
  EXPECT_EQ(Reject(Cmd("2024-03-06", "reassign_receipt",
                       R"({"bank_ref": "B1", "to_case_no": "(2024)甘0102执2号", "reason": ""})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "B 1", kCase2)), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "B1", kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "NOPE", kCase2)), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "B1", kCase3)), "CASE_CLOSED");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "U1", kCase2)), "INVALID_STATE");
  EXPECT_EQ(Reject(Reassign("2024-03-06", "B1", kCase)), "INVALID_STATE");
  EXPECT_EQ(Reject(Reassign("2024-03-04", "B1", kCase2)), "INVALID_ARGUMENT");  // backdated
}

TEST_F(EngineOutsideTest, ReceiptReassignedTwiceIsUndoneNewestFirstAndReversibleWhereItIs) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(OpenCase("2024-03-01", kCase2));
  Accept(OpenCase("2024-03-01", kCase3));
  const Decision receipt = Accept(Receipt("2024-03-05", "1000.00", "B1"));
  const Decision first = Accept(Reassign("2024-03-06", "B1", kCase2));
  const Decision second = Accept(Reassign("2024-03-07", "B1", kCase3));
  EXPECT_EQ(FiguresOn("2024-03-07", kCase3).balance_fen, Fen(100000));
  EXPECT_EQ(Reject(Reverse("2024-03-08", RequestIdOf(first))), "INVALID_STATE");
  Accept(Reverse("2024-03-08", RequestIdOf(second)));
  EXPECT_EQ(FiguresOn("2024-03-08", kCase2).balance_fen, Fen(100000));
  // The receipt itself is reversed from the case that holds it now; its bank_ref is free again.
  Accept(Reverse("2024-03-09", RequestIdOf(receipt)));
  EXPECT_EQ(FiguresOn("2024-03-09", kCase2).balance_fen, Fen(0));
  EXPECT_EQ(FiguresOn("2024-03-09", kCase2).recovered_fen, Fen(0));
  EXPECT_EQ(FiguresOn("2024-03-09", kCase).balance_fen, Fen(0));
  EXPECT_EQ(Global().bank_fen(), 0);
  EXPECT_EQ(Reject(Reverse("2024-03-09", RequestIdOf(first))), "INVALID_STATE");
  EXPECT_EQ(Reject(Reassign("2024-03-09", "B1", kCase)), "UNKNOWN_REFERENCE");
  Accept(Receipt("2024-03-09", "1000.00", "B1", kCase2));
}

TEST_F(EngineOutsideTest, ReassignedReceiptPaysTheRightCasesClaimFromItsValueDate) {
  // Claim 10,000.00 due 2024-01-01 in both cases; 10,050.00 arrives value-dated 2024-02-10
  // (40 days late) for the second but is booked to the first, and moved on 2024-03-01.
  // In the right case it pays fee 50.00 and the claim as of 2024-02-10: delay interest
  // 1,000,000 × 40 × 7 / 40000 = 7,000 fen. The wrong case is as if it never had it: its
  // claim accrues from 2024-01-01 to 2024-06-30, 181 days: 1,000,000 × 181 × 7 / 40000
  // = 31,675 fen.
  Accept(OpenDueCase(kCase));
  Accept(OpenDueCase(kCase2));
  Accept(Cmd("2024-02-12", "receipt",
             std::string(R"({"case_no": ")") + std::string(kCase) +
                 R"(", "amount": "10050.00", "bank_ref": "B1", "source": "debtor_payment", )"
                 R"("value_date": "2024-02-10"})"));
  Accept(Reassign("2024-03-01", "B1", kCase2));
  EXPECT_EQ(FiguresOn("2024-06-30", kCase2).delay_interest_fen, Fen(7000));
  EXPECT_EQ(FiguresOn("2024-06-30", kCase2).outstanding_fen, Fen(7000));
  EXPECT_EQ(FiguresOn("2024-06-30", kCase).delay_interest_fen, Fen(31675));
}

// ---------------------------------------------------------------------------------------
// relief_payment

TEST_F(EngineOutsideTest, ReliefLeavesTheCaseFiguresAloneAndIsKeptApartFromTheBank) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-05", "1000.00", "B1"));
  const CaseFigures before = FiguresOn("2024-03-10");
  const pb::CaseRecord lots_before = CaseOf();
  const pb::GlobalRecord global_before = Global();
  const Decision relief = Accept(Relief("2024-03-10", "2000.00", "JZ-1"));
  ExpectSameFigures(FiguresOn("2024-03-10"), before);
  ExpectSameLots(CaseOf(), lots_before);
  EXPECT_EQ(EntryAt(relief.seq).postings_size(), 0);
  EXPECT_EQ(Global().bank_fen(), global_before.bank_fen());
  EXPECT_EQ(Global().relief_paid_fen(), 200000);
  EXPECT_EQ(ReliefPaidOf(CaseOf()), Fen(200000));
  // Its reference names one payment out.
  EXPECT_EQ(Reject(Relief("2024-03-10", "1.00", "JZ-1")), "DUPLICATE_BANK_REF");
  EXPECT_EQ(Reject(Outflow("2024-03-10", "refund", "1.00", "JZ-1")), "DUPLICATE_BANK_REF");
  // Reversible: an auditor expects a mistaken or returned relief payment corrected by an entry.
  Accept(Reverse("2024-03-11", RequestIdOf(relief)));
  EXPECT_EQ(Global().relief_paid_fen(), 0);
  EXPECT_EQ(ReliefPaidOf(CaseOf()), Fen(0));
  ASSERT_EQ(CaseOf().reliefs_size(), 1);
  EXPECT_TRUE(CaseOf().reliefs(0).reversed());
  ExpectSameFigures(FiguresOn("2024-03-11"), before);
  Accept(Relief("2024-03-11", "1500.00", "JZ-1"));  // the reference is free again
  EXPECT_EQ(Global().relief_paid_fen(), 150000);
}

TEST_F(EngineOutsideTest, ReliefGoesToACreditorAndAlsoInAClosedCase) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Relief("2024-03-02", "10.00", "JZ-1", "d1")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Relief("2024-03-02", "10.00", "JZ-1", "c9")), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(Relief("2024-03-02", "0", "JZ-1")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Relief("2024-03-02", "10.00", "JZ 1")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Relief("2024-03-02", "10.00", "JZ-1", "c1", kUnknownCase)), "UNKNOWN_CASE");
  // Relief goes mostly to creditors of cases closed with nothing found (终本).
  Accept(Close("2024-06-05", "withdrawn"));
  Accept(Relief("2024-06-10", "3000.00", "JZ-1", "c1"));
  EXPECT_EQ(Global().relief_paid_fen(), 300000);
}

TEST_F(EngineOutsideTest, IndicatorsCountReliefPaidInThePeriodOncePerRecipient) {
  // In [2024-03-01, 2024-03-31]: c2 gets 2,000.00 in the first case and 500.00 in the second
  // (the same person: party ids name one person across cases), c1 300.00 in the first;
  // 100.00 on 2024-02-29 is before the period and 50.00 is reversed within it. Relief paid:
  // 2,000.00 + 500.00 + 300.00 = 2,800.00 to 2 recipients.
  Accept(OpenCase("2024-02-01", kCase));
  Accept(OpenCase("2024-02-01", kCase2));
  Accept(Relief("2024-02-29", "100.00", "JZ-0", "c2", kCase));
  Accept(Relief("2024-03-05", "2000.00", "JZ-1", "c2", kCase));
  Accept(Relief("2024-03-06", "500.00", "JZ-2", "c2", kCase2));
  Accept(Relief("2024-03-07", "300.00", "JZ-3", "c1", kCase));
  const Decision reversed = Accept(Relief("2024-03-08", "50.00", "JZ-4", "c1", kCase2));
  Accept(Reverse("2024-03-09", RequestIdOf(reversed)));
  IndicatorReport report(Day("2024-03-01"), Day("2024-03-31"), GroupBy::kCourt);
  const pb::CaseRecord first = CaseOf(kCase), second = CaseOf(kCase2);
  report.AddCase({&first, &first, nullptr});
  report.AddCase({&second, &second, nullptr});
  report.Finish();
  EXPECT_EQ(report.total().relief_fen, Fen(280000));
  EXPECT_EQ(report.total().relief_recipients, 2);
  ASSERT_EQ(report.groups().size(), 1u);
  EXPECT_EQ(report.groups()[0].figures.relief_fen, Fen(280000));
  EXPECT_EQ(report.groups()[0].figures.relief_recipients, 2);
  // Relief is not recovered money.
  EXPECT_EQ(report.total().recovered_fen, Fen(0));
}

TEST_F(EngineOutsideTest, IndicatorsRecoveredIncludesDirectPerformanceAndSettlementInKind) {
  // As of 2024-02-29 the case has recovered 1,000.00; in March 2,000.00 is performed directly
  // and 3,000.00 settled in kind: recovered in March = 6,000.00 − 1,000.00 = 5,000.00.
  Accept(OpenCase("2024-02-01"));
  Accept(Receipt("2024-02-10", "1000.00", "B1"));
  const pb::CaseRecord before_from = CaseOf();
  Accept(Direct("2024-03-05", "2000.00"));
  Accept(InKind("2024-03-06", "3000.00", std::nullopt));
  const pb::CaseRecord at_to = CaseOf();
  IndicatorReport report(Day("2024-03-01"), Day("2024-03-31"), GroupBy::kNone);
  report.AddCase({&at_to, &before_from, nullptr});
  report.Finish();
  EXPECT_EQ(report.total().recovered_fen, Fen(500000));
}

}  // namespace
}  // namespace caseledger::engine_fixture
