#include "core/reconcile.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace caseledger {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// The movements of each bank_ref, as chains in seq order: one hash lookup per line, one
// table entry per reference.
class RefIndex {
 public:
  explicit RefIndex(const std::vector<BankMovement>& movements) : next_(movements.size(), kNone) {
    first_.reserve(movements.size());
    // Backwards, so that each chain starts at the lowest seq.
    for (size_t i = movements.size(); i-- > 0;) {
      auto [it, inserted] = first_.try_emplace(movements[i].bank_ref, i);
      if (!inserted) {
        next_[i] = it->second;
        it->second = i;
      }
    }
  }
  size_t First(std::string_view ref) const {
    const auto it = first_.find(ref);
    return it == first_.end() ? kNone : it->second;
  }
  size_t Next(size_t i) const { return next_[i]; }

 private:
  std::unordered_map<std::string_view, size_t> first_;
  std::vector<size_t> next_;
};

// The first unused movement of the line's bank_ref that `fits`, in seq order; kNone if none.
template <typename Fits>
size_t FindByRef(const RefIndex& index, const std::vector<bool>& used, const StatementLine& line,
                 Fits fits) {
  for (size_t i = index.First(line.bank_ref); i != kNone; i = index.Next(i)) {
    if (!used[i] && fits(i)) return i;
  }
  return kNone;
}

// Unused receipts by (case, amount), each list by (value date, seq).
using ReceiptIndex = std::map<std::pair<std::string_view, Fen>, std::vector<size_t>>;

ReceiptIndex IndexReceipts(const std::vector<BankMovement>& movements,
                           const std::vector<bool>& used) {
  ReceiptIndex index;
  for (size_t i = 0; i < movements.size(); ++i) {
    const BankMovement& m = movements[i];
    if (used[i] || m.op != pb::OPERATION_RECEIPT || m.case_no.empty()) continue;
    index[{m.case_no, m.amount_fen}].push_back(i);
  }
  for (auto& [key, list] : index) {
    std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) {
      return movements[a].date < movements[b].date;  // seq order kept among equal dates
    });
  }
  return index;
}

// The nearest unused receipt within the window, ties to the lowest seq; kNone if none.
size_t FindByAccount(const ReceiptIndex& index, const std::vector<BankMovement>& movements,
                     const std::vector<bool>& used, const std::string& case_no,
                     const StatementLine& line, int window_days) {
  const auto it = index.find({case_no, line.amount_fen});
  if (it == index.end()) return kNone;
  const std::vector<size_t>& list = it->second;
  const Date earliest = line.value_date.AddDays(-window_days);
  const Date latest = line.value_date.AddDays(window_days);
  auto start = std::lower_bound(list.begin(), list.end(), earliest,
                                [&](size_t i, Date date) { return movements[i].date < date; });
  size_t best = kNone;
  int64_t best_distance = 0;
  for (auto i = start; i != list.end() && movements[*i].date <= latest; ++i) {
    if (used[*i]) continue;
    const int64_t distance = std::llabs(DaysBetween(line.value_date, movements[*i].date));
    const bool better = best == kNone || distance < best_distance ||
                        (distance == best_distance && movements[*i].seq < movements[best].seq);
    if (better) {
      best = *i;
      best_distance = distance;
    }
  }
  return best;
}

bool InPeriod(const StatementLine& line, Date from, Date to) {
  return line.value_date >= from && line.value_date <= to;
}

void Sum(const std::vector<StatementLine>& lines, const std::vector<BankMovement>& movements,
         Reconciliation* r) {
  for (size_t i : r->bank_only) {
    const StatementLine& line = lines[i];
    (line.direction == Direction::kIn ? r->bank_only_in_fen : r->bank_only_out_fen) +=
        line.amount_fen;
  }
  for (size_t i : r->ledger_only) {
    const BankMovement& m = movements[i];
    (m.direction == Direction::kIn ? r->ledger_only_in_fen : r->ledger_only_out_fen) +=
        m.amount_fen;
  }
  for (const MismatchedPair& pair : r->mismatched) {
    const StatementLine& line = lines[pair.line];
    r->mismatched_difference_fen +=
        Signed(line.direction, line.amount_fen) - LedgerSide(movements, pair.movement, pair.batch);
  }
  r->adjusted_ledger_balance_fen = r->ledger_balance_fen + r->bank_only_in_fen -
                                   r->bank_only_out_fen + r->mismatched_difference_fen;
  r->adjusted_statement_balance_fen =
      r->statement_balance_fen + r->ledger_only_in_fen - r->ledger_only_out_fen;
  r->agree = r->adjusted_ledger_balance_fen == r->adjusted_statement_balance_fen;
}

// Which movement each line went with, and how.
struct Pairing {
  Pairing(size_t line_count, size_t movement_count)
      : used(movement_count, false),
        paired(line_count, kNone),
        by_account(line_count, false),
        mismatched(line_count, false) {}
  void Pair(size_t line, size_t movement) {
    used[movement] = true;
    paired[line] = movement;
  }
  std::vector<bool> used;                       // per movement
  std::vector<size_t> paired;                   // per line: the movement, or kNone
  std::vector<bool> by_account;                 // per line
  std::vector<bool> mismatched;                 // per line
  std::map<size_t, std::vector<size_t>> batch;  // per batch line: the movements it paid
};

// Batch lines (SPEC §4): a line whose bank_ref is the batch_ref of outflows in the period takes
// all of them at once: matched when it is outbound and its amount is their sum, else mismatched.
void MatchByBatch(const std::vector<StatementLine>& lines,
                  const std::vector<BankMovement>& movements, Date from, Date to, Pairing* p) {
  std::unordered_map<std::string_view, std::vector<size_t>> batches;
  for (size_t i = 0; i < movements.size(); ++i) {
    if (!movements[i].batch_ref.empty()) batches[movements[i].batch_ref].push_back(i);
  }
  if (batches.empty()) return;  // the usual case
  for (size_t l = 0; l < lines.size(); ++l) {
    const StatementLine& line = lines[l];
    const auto found = batches.find(line.bank_ref);
    if (!InPeriod(line, from, to) || found == batches.end() || p->used[found->second.front()]) {
      continue;
    }
    Fen sum = 0;
    for (size_t m : found->second) {
      sum += movements[m].amount_fen;
      p->used[m] = true;
    }
    p->paired[l] = found->second.front();
    p->batch[l] = found->second;
    p->mismatched[l] = line.direction != Direction::kOut || line.amount_fen != sum;
  }
}

// Steps 1 and 2 of SPEC §4: the same bank_ref, direction and amount; then the same bank_ref
// with another amount or direction, a movement of the line's direction first.
void MatchByRef(const std::vector<StatementLine>& lines, const std::vector<BankMovement>& movements,
                Date from, Date to, Pairing* p) {
  const RefIndex refs(movements);
  for (size_t l = 0; l < lines.size(); ++l) {
    const StatementLine& line = lines[l];
    if (!InPeriod(line, from, to)) continue;
    const size_t m = FindByRef(refs, p->used, line, [&](size_t i) {
      return movements[i].direction == line.direction && movements[i].amount_fen == line.amount_fen;
    });
    if (m != kNone) p->Pair(l, m);
  }
  for (size_t l = 0; l < lines.size(); ++l) {
    const StatementLine& line = lines[l];
    if (p->paired[l] != kNone || !InPeriod(line, from, to)) continue;
    size_t m = FindByRef(refs, p->used, line,
                         [&](size_t i) { return movements[i].direction == line.direction; });
    if (m == kNone) m = FindByRef(refs, p->used, line, [](size_t) { return true; });
    if (m == kNone) continue;
    p->Pair(l, m);
    p->mismatched[l] = true;
  }
}

// Step 3: inbound lines by the case's virtual account, the amount and the nearest value date.
void MatchByAccount(const std::vector<StatementLine>& lines,
                    const std::vector<BankMovement>& movements, const CaseOfAccount& cases,
                    Date from, Date to, int window_days, Pairing* p) {
  auto candidate = [&](size_t l) {
    const StatementLine& line = lines[l];
    return p->paired[l] == kNone && InPeriod(line, from, to) && line.direction == Direction::kIn &&
           !line.virtual_account.empty();
  };
  bool any = false;
  for (size_t l = 0; l < lines.size() && !any; ++l) any = candidate(l);
  if (!any) return;  // the usual case: no index to build
  const ReceiptIndex receipts = IndexReceipts(movements, p->used);
  for (size_t l = 0; l < lines.size(); ++l) {
    if (!candidate(l)) continue;
    const auto named = cases.find(lines[l].virtual_account);
    if (named == cases.end()) continue;
    const size_t m =
        FindByAccount(receipts, movements, p->used, named->second, lines[l], window_days);
    if (m == kNone) continue;
    p->Pair(l, m);
    p->by_account[l] = true;
  }
}

}  // namespace

const std::string& BankDateOf(const pb::Command& command) {
  if (command.has_receipt() && command.receipt().has_value_date()) {
    return command.receipt().value_date();
  }
  if (command.has_unidentified_receipt() && command.unidentified_receipt().has_value_date()) {
    return command.unidentified_receipt().value_date();
  }
  if (command.has_bank_interest() && command.bank_interest().has_value_date()) {
    return command.bank_interest().value_date();
  }
  if (command.has_bank_charge() && command.bank_charge().has_value_date()) {
    return command.bank_charge().value_date();
  }
  return command.on();
}

Fen Signed(Direction direction, const Fen& amount_fen) {
  return direction == Direction::kIn ? amount_fen : -amount_fen;
}

Fen LedgerSide(const std::vector<BankMovement>& movements, size_t movement,
               const std::vector<size_t>& batch) {
  if (batch.empty()) return Signed(movements[movement].direction, movements[movement].amount_fen);
  Fen sum = 0;
  for (size_t m : batch) sum += Signed(movements[m].direction, movements[m].amount_fen);
  return sum;
}

Reconciliation Reconcile(const std::vector<StatementLine>& lines,
                         const std::vector<BankMovement>& movements, const CaseOfAccount& cases,
                         Date from, Date to, const Fen& ledger_balance_fen, int window_days) {
  Reconciliation r;
  r.from = from;
  r.to = to;
  r.ledger_balance_fen = ledger_balance_fen;
  r.statement_balance_fen = StatementBalance(lines, to);
  Pairing p(lines.size(), movements.size());
  MatchByBatch(lines, movements, from, to, &p);
  MatchByRef(lines, movements, from, to, &p);
  MatchByAccount(lines, movements, cases, from, to, window_days, &p);
  for (size_t l = 0; l < lines.size(); ++l) {
    if (!InPeriod(lines[l], from, to)) continue;
    ++r.lines_in_period;
    if (p.paired[l] == kNone) {
      r.bank_only.push_back(l);
    } else if (p.mismatched[l]) {
      r.mismatched.push_back({l, p.paired[l], p.batch[l]});
    } else {
      const MatchedBy by = !p.batch[l].empty() ? MatchedBy::kBatchRef
                           : p.by_account[l]   ? MatchedBy::kVirtualAccount
                                               : MatchedBy::kBankRef;
      r.matched.push_back({l, p.paired[l], by, p.batch[l]});
    }
  }
  for (size_t m = 0; m < movements.size(); ++m) {
    if (!p.used[m]) r.ledger_only.push_back(m);
  }
  Sum(lines, movements, &r);
  return r;
}

}  // namespace caseledger
