// Proves the matching and the balances of SPEC §4 on hand-built lines and movements: by
// reference, mismatched references, by virtual account within the date window (nearest date,
// ties to the lowest seq), the period, the two adjusted balances of the 余额调节表, and each
// command's bank date.
#include "core/reconcile.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/names.h"

namespace caseledger {
namespace {

constexpr char kAccount1[] = "8801000000000137";
constexpr char kAccount2[] = "8801000000000234";
const CaseOfAccount kCases = {{kAccount1, std::string("case of ") + kAccount1},
                              {kAccount2, std::string("case of ") + kAccount2}};

Date D(int day) { return *Date::FromYmd(2024, 3, day); }

StatementLine Line(int day, Direction direction, int64_t fen, const std::string& ref,
                   const std::string& account = "") {
  static size_t row = 1;
  StatementLine line;
  line.row = ++row;
  line.value_date = D(day);
  line.direction = direction;
  line.amount_fen = fen;
  line.bank_ref = ref;
  line.virtual_account = account;
  return line;
}

// A movement; `account` names its case by the case's virtual account (kCases).
BankMovement Move(uint64_t seq, int day, Direction direction, int64_t fen, const std::string& ref,
                  pb::Operation op = pb::OPERATION_RECEIPT, const std::string& account = "") {
  BankMovement m;
  m.seq = seq;
  m.op = op;
  m.bank_ref = ref;
  m.direction = direction;
  m.amount_fen = fen;
  m.date = D(day);
  m.case_no = account.empty() ? "" : "case of " + account;
  return m;
}

constexpr Direction kIn = Direction::kIn;
constexpr Direction kOut = Direction::kOut;

TEST(ReconcileMatchTest, TheSameReferenceDirectionAndAmountMatch) {
  const std::vector<StatementLine> lines = {Line(4, kIn, 500000, "B1"),
                                            Line(10, kOut, 10000, "P1")};
  const std::vector<BankMovement> moves = {Move(3, 4, kIn, 500000, "B1"),
                                           Move(6, 10, kOut, 10000, "P1", pb::OPERATION_PAY_COSTS)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 490000, 3);
  ASSERT_EQ(r.matched.size(), 2u);
  EXPECT_EQ(r.matched[0].line, 0u);
  EXPECT_EQ(r.matched[0].movement, 0u);
  EXPECT_EQ(r.matched[0].by, MatchedBy::kBankRef);
  EXPECT_EQ(r.matched[1].movement, 1u);
  EXPECT_TRUE(r.mismatched.empty());
  EXPECT_TRUE(r.bank_only.empty());
  EXPECT_TRUE(r.ledger_only.empty());
  EXPECT_EQ(r.statement_balance_fen, 490000);
  EXPECT_TRUE(r.agree);
}

TEST(ReconcileMatchTest, AReferenceWithAnotherAmountOrDirectionIsMismatched) {
  const std::vector<StatementLine> lines = {Line(6, kIn, 35000, "B2"), Line(7, kOut, 2000, "B3")};
  const std::vector<BankMovement> moves = {Move(4, 6, kIn, 30000, "B2"),
                                           Move(5, 7, kIn, 2000, "B3")};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 32000, 3);
  ASSERT_EQ(r.mismatched.size(), 2u);
  EXPECT_EQ(r.mismatched[0].line, 0u);
  EXPECT_EQ(r.mismatched[0].movement, 0u);
  EXPECT_EQ(r.mismatched[1].line, 1u);
  EXPECT_EQ(r.mismatched[1].movement, 1u);
  EXPECT_TRUE(r.matched.empty());
  // Σ (bank − ledger), signed: (350 − 300) + (−20 − 20) = 10.00.
  EXPECT_EQ(r.mismatched_difference_fen, 1000);
  // Ledger 320.00 + 10.00 = the statement's 350 − 20 = 330.00.
  EXPECT_EQ(r.adjusted_ledger_balance_fen, 33000);
  EXPECT_EQ(r.adjusted_statement_balance_fen, 33000);
  EXPECT_TRUE(r.agree);  // explained, yet reported: the run's exit code is 1
}

TEST(ReconcileMatchTest, AnExactMatchIsPreferredToAMismatchOfTheSameReference) {
  // Two ledger entries share a reference (a reversed one was booked again): the line takes the
  // one with its amount, even though the other has a lower seq.
  const std::vector<StatementLine> lines = {Line(6, kIn, 30000, "B2")};
  const std::vector<BankMovement> moves = {Move(4, 6, kIn, 99900, "B2"),
                                           Move(9, 6, kIn, 30000, "B2")};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 129900, 3);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].movement, 1u);
  ASSERT_EQ(r.ledger_only.size(), 1u);
  EXPECT_EQ(r.ledger_only[0], 0u);
}

TEST(ReconcileMatchTest, AnInboundLineMatchesAReceiptByAccountAmountAndTheNearestDate) {
  const std::vector<StatementLine> lines = {Line(10, kIn, 70000, "BANK-Y", kAccount2)};
  const std::vector<BankMovement> moves = {
      Move(5, 7, kIn, 70000, "L-1", pb::OPERATION_RECEIPT, kAccount2),   // 3 days before
      Move(6, 12, kIn, 70000, "L-2", pb::OPERATION_RECEIPT, kAccount2),  // 2 days after: nearest
      Move(7, 10, kIn, 70000, "L-3", pb::OPERATION_RECEIPT, kAccount1),  // another case
      Move(8, 10, kIn, 60000, "L-4", pb::OPERATION_RECEIPT, kAccount2),  // another amount
      Move(9, 10, kIn, 70000, "L-5", pb::OPERATION_UNIDENTIFIED_RECEIPT, kAccount2)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 0, 3);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].movement, 1u);
  EXPECT_EQ(r.matched[0].by, MatchedBy::kVirtualAccount);
  EXPECT_EQ(r.ledger_only, (std::vector<size_t>{0, 2, 3, 4}));
}

TEST(ReconcileMatchTest, AVirtualAccountOfNoCaseMatchesNothing) {
  const std::vector<StatementLine> lines = {Line(10, kIn, 70000, "BANK-Y", "8801000000000331"),
                                            Line(10, kIn, 70000, "BANK-Z", "")};
  const std::vector<BankMovement> moves = {
      Move(5, 10, kIn, 70000, "L-1", pb::OPERATION_RECEIPT, kAccount2)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 70000, 3);
  EXPECT_TRUE(r.matched.empty());
  EXPECT_EQ(r.bank_only, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(r.ledger_only, (std::vector<size_t>{0}));
}

TEST(ReconcileMatchTest, EqualDistancesGoToTheLowestSeq) {
  const std::vector<StatementLine> lines = {Line(10, kIn, 70000, "BANK-Y", kAccount2)};
  const std::vector<BankMovement> moves = {
      Move(5, 12, kIn, 70000, "L-1", pb::OPERATION_RECEIPT, kAccount2),
      Move(6, 8, kIn, 70000, "L-2", pb::OPERATION_RECEIPT, kAccount2)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 0, 3);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].movement, 0u);  // both 2 days away: seq 5 before seq 6
}

TEST(ReconcileMatchTest, TheWindowBoundsTheDateAndOnlyInboundLinesMatchByAccount) {
  const std::vector<StatementLine> lines = {Line(11, kIn, 70000, "BANK-Y", kAccount2),
                                            Line(11, kOut, 70000, "BANK-Z", kAccount2)};
  const std::vector<BankMovement> moves = {
      Move(5, 7, kIn, 70000, "L-1", pb::OPERATION_RECEIPT, kAccount2)};
  // Four days apart: outside the default window of 3, inside a window of 4.
  Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 70000, 3);
  EXPECT_TRUE(r.matched.empty());
  EXPECT_EQ(r.bank_only, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(r.ledger_only, (std::vector<size_t>{0}));
  r = Reconcile(lines, moves, kCases, D(1), D(31), 70000, 4);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].line, 0u);
  EXPECT_EQ(r.bank_only, (std::vector<size_t>{1}));  // the outbound line never matches so
}

TEST(ReconcileMatchTest, AReferenceMatchComesBeforeAnAccountMatch) {
  // The receipt L-1 is the reference match of the second line; the first line, whose
  // reference is unknown, cannot take it by account.
  const std::vector<StatementLine> lines = {Line(7, kIn, 70000, "BANK-Y", kAccount2),
                                            Line(7, kIn, 70000, "L-1", kAccount2)};
  const std::vector<BankMovement> moves = {
      Move(5, 7, kIn, 70000, "L-1", pb::OPERATION_RECEIPT, kAccount2)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 70000, 3);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].line, 1u);
  EXPECT_EQ(r.matched[0].by, MatchedBy::kBankRef);
  EXPECT_EQ(r.bank_only, (std::vector<size_t>{0}));
}

// SPEC §4 batch lines: one bank line paying every outflow that shares its batch_ref.
BankMovement Item(uint64_t seq, int64_t fen, const std::string& ref, const std::string& batch) {
  BankMovement m = Move(seq, 10, kOut, fen, ref, pb::OPERATION_COLLECTIVE_DISBURSEMENT);
  m.batch_ref = batch;
  return m;
}

TEST(ReconcileMatchTest, ABatchLineMatchesAllItsOutflowsForTheirSum) {
  // Event E1 (batch BATCH-1) paid 1,000.00 + 2,500.00 + 300.00 = 3,800.00 in items of seq 7;
  // the bank shows one line of 3,800.00 under BATCH-1. Another outflow P1 stays by reference.
  const std::vector<StatementLine> lines = {Line(10, kOut, 380000, "BATCH-1"),
                                            Line(10, kOut, 5000, "P1")};
  const std::vector<BankMovement> moves = {
      Item(7, 100000, "E1-1", "BATCH-1"), Item(7, 250000, "E1-2", "BATCH-1"),
      Item(7, 30000, "E1-3", "BATCH-1"), Move(8, 10, kOut, 5000, "P1", pb::OPERATION_PAY_COSTS)};
  // The lines give no balance: the statement's is 0 − 3,800.00 − 50.00 = −3,850.00, and
  // with every item matched the ledger's −3,850.00 agrees with it unadjusted.
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), -385000, 3);
  EXPECT_TRUE(r.agree);
  ASSERT_EQ(r.matched.size(), 2u);
  EXPECT_EQ(r.matched[0].by, MatchedBy::kBatchRef);
  EXPECT_EQ(r.matched[0].batch, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(r.matched[1].by, MatchedBy::kBankRef);
  EXPECT_TRUE(r.matched[1].batch.empty());
  EXPECT_TRUE(r.ledger_only.empty());
  EXPECT_TRUE(r.bank_only.empty());
  EXPECT_TRUE(r.mismatched.empty());
}

TEST(ReconcileMatchTest, ABatchLineOfAnotherAmountIsMismatchedByTheDifference) {
  // The bank paid 3,700.00 for a batch of 3,800.00: mismatched, bank − ledger = −3,700.00 −
  // (−3,800.00) = +100.00 adjusts the ledger's balance.
  const std::vector<StatementLine> lines = {Line(10, kOut, 370000, "BATCH-1")};
  const std::vector<BankMovement> moves = {Item(7, 100000, "E1-1", "BATCH-1"),
                                           Item(7, 280000, "E1-2", "BATCH-1")};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 0, 3);
  ASSERT_EQ(r.mismatched.size(), 1u);
  EXPECT_EQ(r.mismatched[0].batch, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(r.mismatched_difference_fen, 10000);
  EXPECT_EQ(LedgerSide(moves, 0, r.mismatched[0].batch), -380000);
  EXPECT_TRUE(r.ledger_only.empty());
  // Each item's own line still matches by its reference when the bank shows items instead.
  const std::vector<StatementLine> items = {Line(10, kOut, 100000, "E1-1"),
                                            Line(10, kOut, 280000, "E1-2")};
  const Reconciliation by_item = Reconcile(items, moves, kCases, D(1), D(31), 0, 3);
  EXPECT_EQ(by_item.matched.size(), 2u);
  EXPECT_EQ(by_item.matched[0].by, MatchedBy::kBankRef);
}

TEST(ReconcileMatchTest, LinesOutsideThePeriodTakeNoPart) {
  std::vector<StatementLine> lines = {Line(1, kIn, 100, "A", ""), Line(15, kIn, 200, "B"),
                                      Line(31, kIn, 300, "C")};
  lines[0].value_date = *Date::FromYmd(2024, 2, 29);
  lines[0].balance_fen = 100;
  const std::vector<BankMovement> moves = {Move(2, 15, kIn, 200, "B")};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(30), 300, 3);
  EXPECT_EQ(r.lines_in_period, 1u);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_TRUE(r.bank_only.empty());
  // The balance on the 30th: opening 0 (the first line's 100 less its own 100) + 100 + 200.
  EXPECT_EQ(r.statement_balance_fen, 300);
  EXPECT_TRUE(r.agree);
}

TEST(ReconcileMatchTest, BothAdjustedBalancesAgreeWithItemsOnBothSides) {
  // Ledger: opening 1,000.00 + receipts 500 and 200 − payment 100 (not yet through the bank)
  // = 1,600.00. Bank: 1,000.00 + 500 + interest 1.23 − charge 5.00 − an unbooked payment 30
  // + 200 = 1,666.23.
  std::vector<StatementLine> lines = {Line(2, kIn, 50000, "B1"), Line(3, kIn, 123, "INT"),
                                      Line(4, kOut, 500, "FEE"), Line(5, kOut, 3000, "P9"),
                                      Line(6, kIn, 20000, "B2")};
  lines[0].balance_fen = 150000;
  const std::vector<BankMovement> moves = {Move(11, 2, kIn, 50000, "B1"),
                                           Move(12, 6, kIn, 20000, "B2"),
                                           Move(13, 8, kOut, 10000, "P1", pb::OPERATION_PAY_COSTS)};
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 160000, 3);
  EXPECT_EQ(r.matched.size(), 2u);
  EXPECT_EQ(r.bank_only, (std::vector<size_t>{1, 2, 3}));
  EXPECT_EQ(r.ledger_only, (std::vector<size_t>{2}));
  EXPECT_EQ(r.bank_only_in_fen, 123);
  EXPECT_EQ(r.bank_only_out_fen, 3500);
  EXPECT_EQ(r.ledger_only_out_fen, 10000);
  EXPECT_EQ(r.statement_balance_fen, 166623);
  // 1,600.00 + 1.23 − 35.00 = 1,566.23 = 1,666.23 − 100.00.
  EXPECT_EQ(r.adjusted_ledger_balance_fen, 156623);
  EXPECT_EQ(r.adjusted_statement_balance_fen, 156623);
  EXPECT_TRUE(r.agree);
}

TEST(ReconcileMatchTest, AnUnexplainedDifferenceDoesNotAgree) {
  const std::vector<StatementLine> lines = {Line(2, kIn, 50000, "B1")};
  const std::vector<BankMovement> moves = {Move(11, 2, kIn, 50000, "B1")};
  // The ledger holds 1.00 more than its movements and the statement explain.
  const Reconciliation r = Reconcile(lines, moves, kCases, D(1), D(31), 50100, 3);
  EXPECT_FALSE(r.agree);
  EXPECT_EQ(r.adjusted_ledger_balance_fen - r.adjusted_statement_balance_fen, 100);
}

TEST(ReconcileMatchTest, TheBankDateIsTheValueDateOfMoneyInAndTheOnOfMoneyOut) {
  pb::Command receipt;
  receipt.set_on("2024-04-01");
  receipt.mutable_receipt()->set_value_date("2024-03-31");
  EXPECT_EQ(BankDateOf(receipt), "2024-03-31");
  receipt.mutable_receipt()->clear_value_date();  // booked without one: the day it was booked
  EXPECT_EQ(BankDateOf(receipt), "2024-04-01");
  pb::Command unidentified;
  unidentified.set_on("2024-04-02");
  unidentified.mutable_unidentified_receipt()->set_value_date("2024-03-29");
  EXPECT_EQ(BankDateOf(unidentified), "2024-03-29");
  // Money out, and a bank return, have no bank date of their own: the day booked.
  pb::Command payment;
  payment.set_on("2024-04-03");
  payment.mutable_confirm_disbursement()->set_bank_ref("PAY-1");
  EXPECT_EQ(BankDateOf(payment), "2024-04-03");
  pb::Command back;
  back.set_on("2024-04-04");
  back.mutable_reverse()->set_bank_ref("RET-1");
  EXPECT_EQ(BankDateOf(back), "2024-04-04");
}

TEST(ReconcileMatchTest, SignedAmountsFollowTheDirection) {
  EXPECT_EQ(Signed(kIn, 5), 5);
  EXPECT_EQ(Signed(kOut, 5), -5);
}

}  // namespace
}  // namespace caseledger
