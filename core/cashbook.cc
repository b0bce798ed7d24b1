#include "core/cashbook.h"

#include <algorithm>

#include "core/engine.h"
#include "core/identifiers.h"

namespace caseledger {
namespace {

constexpr std::string_view kBankAccount = "bank";

// A net movement of one entry on a row: the court's side is a credit (negative posting) for
// every account but the bank, whose debit (positive posting) is money in.
void AddNet(const Fen& held_change, bool in_month, CashbookRow* row) {
  if (!in_month) {
    row->opening_fen += held_change;
  } else if (held_change > 0) {
    row->in_fen += held_change;
  } else {
    row->out_fen += -held_change;
  }
}

}  // namespace

std::optional<std::string> CashbookAccountOf(std::string_view posting_account) {
  if (posting_account == kBankAccount) return std::nullopt;
  if (CaseOfPostingAccount(posting_account)) return std::string(kCashbookAccounts[0]);
  if (posting_account == "lodgment") return std::string(kCashbookAccounts[3]);
  return std::string(posting_account);
}

Cashbook::Cashbook(std::optional<std::string> court) : court_(std::move(court)) {
  bank_.account = "total";
  for (std::string_view account : kCashbookAccounts) {
    if (court_ && account != kCashbookAccounts[0]) continue;
    rows_[std::string(account)].account = account;
  }
}

bool Cashbook::SelectedAccount(std::string_view posting_account) const {
  if (!court_) return true;
  const std::optional<std::string_view> case_no = CaseOfPostingAccount(posting_account);
  if (!case_no) return false;
  Result<CaseNumber> number = ParseCaseNumber(*case_no, "case_no");
  return number.ok() && number->court.starts_with(*court_);
}

void Cashbook::AddEntry(const pb::Entry& entry, bool in_month) {
  // Netted per kind of account within the entry: money moved between two cases of the
  // cashbook's selection (a receipt reassigned) is neither in nor out.
  std::map<std::string, Fen> held_change;
  Fen bank_change = 0;
  for (const auto& posting : entry.postings()) {
    const std::optional<std::string> account = CashbookAccountOf(posting.account());
    if (!account) {
      bank_change += posting.amount_fen();
    } else if (SelectedAccount(posting.account())) {
      held_change[*account] -= posting.amount_fen();
    }
  }
  for (const auto& [account, change] : held_change) {
    CashbookRow& row = rows_[account];
    row.account = account;
    AddNet(change, in_month, &row);
  }
  AddNet(bank_change, in_month, &bank_);
}

std::vector<CashbookRow> Cashbook::rows() const {
  std::vector<CashbookRow> rows;
  for (std::string_view account : kCashbookAccounts) {
    auto it = rows_.find(std::string(account));
    if (it != rows_.end()) rows.push_back(it->second);
  }
  for (const auto& [account, row] : rows_) {
    const bool listed = std::find(kCashbookAccounts.begin(), kCashbookAccounts.end(), account) !=
                        kCashbookAccounts.end();
    if (!listed) rows.push_back(row);
  }
  return rows;
}

std::optional<CashbookRow> Cashbook::total() const {
  if (court_) return std::nullopt;
  return bank_;
}

}  // namespace caseledger
