// Proves 收支明细's movements (core/movements.h) are read off each entry's bank posting and
// command: one per entry, one per collective item, none without money through the bank; and the
// filters and totals.
#include "core/movements.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "core/engine.h"

namespace caseledger {
namespace {

constexpr const char* kCase = "(2024)甘0102执1号";

pb::Entry EntryOn(const std::string& on, int64_t bank_fen, const std::string& case_no = kCase) {
  pb::Entry entry;
  entry.mutable_command()->set_on(on);
  pb::Posting* bank = entry.add_postings();
  bank->set_account("bank");
  bank->set_amount_fen(bank_fen);
  if (!case_no.empty()) {
    pb::Posting* account = entry.add_postings();
    account->set_account(CaseAccount(case_no));
    account->set_amount_fen(bank_fen);
  }
  return entry;
}

TEST(MovementsTest, AReceiptIsOneMovementInWithItsPayerAndValueDate) {
  pb::Entry entry = EntryOn("2024-01-10", 100000);
  pb::Receipt* receipt = entry.mutable_command()->mutable_receipt();
  receipt->set_bank_ref("R1");
  receipt->set_payer("王五");
  receipt->set_value_date("2024-01-09");
  Result<std::vector<MoneyMovement>> movements = MovementsOf(7, entry);
  ASSERT_TRUE(movements.ok()) << movements.status().ToString();
  ASSERT_EQ(movements->size(), 1u);
  const MoneyMovement& m = (*movements)[0];
  EXPECT_EQ(m.seq, 7u);
  EXPECT_EQ(m.on.ToString(), "2024-01-10");
  EXPECT_EQ(m.value_date.ToString(), "2024-01-09");
  EXPECT_EQ(m.op, pb::OPERATION_RECEIPT);
  EXPECT_EQ(m.case_no, kCase);
  EXPECT_EQ(m.counterparty, "王五");
  EXPECT_EQ(m.direction, Direction::kIn);
  EXPECT_EQ(FormatAmount(m.amount_fen), "1000.00");
  EXPECT_EQ(m.bank_ref, "R1");
}

TEST(MovementsTest, ARefundOfUnidentifiedMoneyShowsItsOwnReferenceAndPayee) {
  pb::Entry entry = EntryOn("2024-01-12", -30000, "");
  pb::RefundUnidentified* refund = entry.mutable_command()->mutable_refund_unidentified();
  refund->set_bank_ref("U1");
  refund->set_refund_bank_ref("UR1");
  refund->set_payee("某公司");
  Result<std::vector<MoneyMovement>> movements = MovementsOf(9, entry);
  ASSERT_TRUE(movements.ok());
  ASSERT_EQ(movements->size(), 1u);
  EXPECT_EQ((*movements)[0].bank_ref, "UR1");
  EXPECT_EQ((*movements)[0].counterparty, "某公司");
  EXPECT_EQ((*movements)[0].direction, Direction::kOut);
  EXPECT_EQ((*movements)[0].case_no, "");
}

TEST(MovementsTest, EachCollectiveItemIsItsOwnMovementAndTheyMustSumToTheBankPosting) {
  pb::Entry entry = EntryOn("2024-02-01", -50000, "");
  auto* event = entry.mutable_command()->mutable_collective_disbursement();
  const std::vector<std::tuple<std::string, std::string, std::string>> items = {
      {kCase, "300.00", "P1"}, {"(2024)甘0102执2号", "200.00", "P2"}};
  for (const auto& [case_no, amount, bank_ref] : items) {
    pb::CollectiveItem* item = event->add_items();
    item->set_case_no(case_no);
    item->set_payee("c-" + bank_ref);
    item->set_amount(amount);
    item->set_bank_ref(bank_ref);
  }
  Result<std::vector<MoneyMovement>> movements = MovementsOf(3, entry);
  ASSERT_TRUE(movements.ok()) << movements.status().ToString();
  ASSERT_EQ(movements->size(), 2u);
  EXPECT_EQ((*movements)[1].case_no, "(2024)甘0102执2号");
  EXPECT_EQ((*movements)[1].payee_party_id, "c-P2");
  EXPECT_EQ(FormatAmount((*movements)[1].amount_fen), "200.00");
  EXPECT_EQ((*movements)[1].bank_ref, "P2");
  entry.mutable_postings(0)->set_amount_fen(-40000);  // 300 + 200 is not 400: damage
  EXPECT_EQ(MovementsOf(3, entry).status().code(), Code::kCorruption);
}

TEST(MovementsTest, AnEntryWithoutABankPostingMovesNothing) {
  pb::Entry entry = EntryOn("2024-01-10", 0);
  entry.mutable_command()->mutable_charge_fee()->set_case_no(kCase);
  Result<std::vector<MoneyMovement>> movements = MovementsOf(4, entry);
  ASSERT_TRUE(movements.ok());
  EXPECT_TRUE(movements->empty());
}

// In 1,000.00 (R1, 王五, case 1), out 300.00 (P1, case 2 of 甘0103): totals in 1,000.00,
// out 300.00, count 2; each filter keeps one of them.
TEST(MovementsTest, FiltersAndTotals) {
  MoneyMovement in;
  in.case_no = kCase;
  in.counterparty = "王五";
  in.amount_fen = 100000;
  in.bank_ref = "R1";
  MoneyMovement out;
  out.case_no = "(2024)甘0103执2号";
  out.direction = Direction::kOut;
  out.amount_fen = 30000;
  out.bank_ref = "P1";
  const MovementTotals totals = TotalsOf({in, out});
  EXPECT_EQ(FormatAmount(totals.in_fen), "1000.00");
  EXPECT_EQ(FormatAmount(totals.out_fen), "300.00");
  EXPECT_EQ(totals.count, 2);
  auto kept = [&](const std::function<void(MovementFilter*)>& set) {
    MovementFilter filter;
    set(&filter);
    return std::make_pair(Selected(filter, in), Selected(filter, out));
  };
  EXPECT_EQ(kept([](MovementFilter*) {}), std::make_pair(true, true));
  EXPECT_EQ(kept([](MovementFilter* f) { f->case_no = kCase; }), std::make_pair(true, false));
  EXPECT_EQ(kept([](MovementFilter* f) { f->court = "甘0103"; }), std::make_pair(false, true));
  EXPECT_EQ(kept([](MovementFilter* f) { f->bank_ref = "P1"; }), std::make_pair(false, true));
  EXPECT_EQ(kept([](MovementFilter* f) { f->payer = "王"; }), std::make_pair(true, false));
  EXPECT_EQ(kept([](MovementFilter* f) { f->min_fen = Fen(30001); }), std::make_pair(true, false));
  EXPECT_EQ(kept([](MovementFilter* f) { f->max_fen = Fen(30000); }), std::make_pair(false, true));
  EXPECT_EQ(kept([](MovementFilter* f) { f->direction = Direction::kOut; }),
            std::make_pair(false, true));
}

}  // namespace
}  // namespace caseledger
