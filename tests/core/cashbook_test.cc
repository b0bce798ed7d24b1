// Proves 收支月报 (core/cashbook.h) on entries worked by hand: opening + in − out = closing per
// kind of account and for the bank, money between accounts netted per entry, an account a later
// operation posts to ("interest") listed without being taught, and one court's cases alone.
#include "core/cashbook.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/engine.h"

namespace caseledger {
namespace {

constexpr const char* kCaseA = "(2024)甘0102执1号";
constexpr const char* kCaseB = "(2024)甘0103执2号";
constexpr int64_t kYuan = 100;

pb::Entry Postings(const std::vector<std::pair<std::string, int64_t>>& postings) {
  pb::Entry entry;
  for (const auto& [account, yuan] : postings) {
    pb::Posting* posting = entry.add_postings();
    posting->set_account(account);
    posting->set_amount_fen(yuan * kYuan);
  }
  return entry;
}

// Before March: A receives 1,000; 300 arrives unidentified. Opening: cases 1,000, suspense 300,
// bank 1,300. In March: the fee 50 charged to A (cases out 50, fees in 50); the 300 claimed
// into B (suspense out 300, cases in 300); 600 paid out of A (cases out 600, bank out 600); the
// fees remitted (fees out 50, bank out 50); 100 reassigned from A to B (within cases: neither);
// the bank credits 5 of interest (interest in 5, bank in 5).
//  cases    1,000 + 300 − 650 = 650      suspense 300 + 0 − 300 = 0
//  fees         0 + 50 − 50 = 0          interest   0 + 5 − 0 = 5
//  bank     1,300 + 5 − 650 = 655 = 650 + 0 + 0 + 0 + 5.
// 甘0103 alone (B): 0 + 300 (the claim) + 100 (the reassignment) − 0 = 400.
void AddMonth(Cashbook* book) {
  const std::string a = CaseAccount(kCaseA);
  const std::string b = CaseAccount(kCaseB);
  book->AddEntry(Postings({{"bank", 1000}, {a, -1000}}), false);
  book->AddEntry(Postings({{"bank", 300}, {"suspense", -300}}), false);
  book->AddEntry(Postings({{a, 50}, {"fees", -50}}), true);
  book->AddEntry(Postings({{"suspense", 300}, {b, -300}}), true);
  book->AddEntry(Postings({{"bank", -600}, {a, 600}}), true);
  book->AddEntry(Postings({{"bank", -50}, {"fees", 50}}), true);
  book->AddEntry(Postings({{a, 100}, {b, -100}}), true);
  book->AddEntry(Postings({{"bank", 5}, {"interest", -5}}), true);
}

std::string Row(const CashbookRow& row) {
  return row.account + " " + FormatAmount(row.opening_fen) + " " + FormatAmount(row.in_fen) + " " +
         FormatAmount(row.out_fen) + " " + FormatAmount(row.closing());
}

TEST(CashbookTest, EachAccountAndTheBankOpeningPlusInMinusOutIsClosing) {
  Cashbook book(std::nullopt);
  AddMonth(&book);
  std::vector<std::string> rows;
  for (const CashbookRow& row : book.rows()) rows.push_back(Row(row));
  const std::vector<std::string> expected = {
      "cases 1000.00 300.00 650.00 650.00", "suspense 300.00 0.00 300.00 0.00",
      "fees 0.00 50.00 50.00 0.00",         "lodged 0.00 0.00 0.00 0.00",
      "interest 0.00 5.00 0.00 5.00",       "charges 0.00 0.00 0.00 0.00"};
  EXPECT_EQ(rows, expected);
  ASSERT_TRUE(book.total().has_value());
  EXPECT_EQ(Row(*book.total()), "total 1300.00 5.00 650.00 655.00");
}

TEST(CashbookTest, OneCourtsCasesAloneAndNoTotal) {
  Cashbook book(std::string("甘0103"));
  AddMonth(&book);
  const std::vector<CashbookRow> rows = book.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Row(rows[0]), "cases 0.00 400.00 0.00 400.00");
  EXPECT_FALSE(book.total().has_value());
}

TEST(CashbookTest, AccountKinds) {
  EXPECT_EQ(CashbookAccountOf(CaseAccount(kCaseA)), "cases");
  EXPECT_EQ(CashbookAccountOf("lodgment"), "lodged");
  EXPECT_EQ(CashbookAccountOf("charges"), "charges");
  EXPECT_EQ(CashbookAccountOf("bank"), std::nullopt);
}

}  // namespace
}  // namespace caseledger
