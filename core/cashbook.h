// 收支月报 (SPEC §3 report cashbook): per kind of account and in total, the month's opening
// balance, money in, money out and closing balance, opening + in − out = closing, summed from
// the entries' postings alone, so that an account a new operation posts to shows without being
// named here. Pure: ledger/reports.cc hands in the entries, each marked before or in the month.
#ifndef CASELEDGER_CORE_CASHBOOK_H_
#define CASELEDGER_CORE_CASHBOOK_H_

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseledger.pb.h"
#include "core/money.h"

namespace caseledger {

// The kinds of account the cashbook lists first, in this order (SPEC §8 `account`); a posting
// account of another name is listed after them under its own name.
inline constexpr std::array<std::string_view, 6> kCashbookAccounts = {
    "cases", "suspense", "fees", "lodged", "interest", "charges"};

// The cashbook's kind of a posting account: "case:*" → cases, "lodgment" → lodged, the others
// their own name; nullopt for the bank, which is the total.
std::optional<std::string> CashbookAccountOf(std::string_view posting_account);

struct CashbookRow {
  std::string account;
  Fen opening_fen = 0;
  Fen in_fen = 0;   // what the court came to hold in it (credits)
  Fen out_fen = 0;  // what left it (debits)
  Fen closing() const { return opening_fen + in_fen - out_fen; }
};

class Cashbook {
 public:
  // `court`: only the cases whose court code starts with it, and no total.
  explicit Cashbook(std::optional<std::string> court);
  // An entry booked before the month (its postings make the opening balances) or in it (its
  // postings, netted per kind of account, are money in or out).
  void AddEntry(const pb::Entry& entry, bool in_month);
  // kCashbookAccounts, then any other account in name order; with a court, `cases` alone.
  std::vector<CashbookRow> rows() const;
  // The bank: money into and out of the special account. nullopt with a court.
  std::optional<CashbookRow> total() const;

 private:
  bool SelectedAccount(std::string_view posting_account) const;
  std::optional<std::string> court_;
  std::map<std::string, CashbookRow> rows_;
  CashbookRow bank_;
};

}  // namespace caseledger

#endif  // CASELEDGER_CORE_CASHBOOK_H_
