// Bank reconciliation (SPEC §4): the statement's lines matched with the ledger's movements
// through the bank, and the reconciliation statement (余额调节表). Pure: the ledger's side is
// read by Ledger::GetBankActivity.
#ifndef CASELEDGER_CORE_RECONCILE_H_
#define CASELEDGER_CORE_RECONCILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/money.h"
#include "core/statement.h"

namespace caseledger {

// One movement of money through the bank as the ledger recorded it.
struct BankMovement {
  uint64_t seq = 0;  // the entry
  std::string request_id;
  // The entry's operation: receipt, unidentified_receipt, confirm_disbursement,
  // collective_disbursement (one movement per item), refund, refund_unidentified, pay_costs,
  // remit_fees, remit_treasury, pay_lodgment, bank_interest, bank_charge, remit_interest,
  // reimburse_charges, or reverse (a bank return of an outflow).
  pb::Operation op = pb::OPERATION_UNSPECIFIED;
  std::string bank_ref;
  Direction direction = Direction::kIn;
  Fen amount_fen = 0;     // more than zero
  Date date;              // the bank date: BankDateOf the entry's command
  Date on;                // when the ledger booked it (the entry's `on`)
  std::string case_no;    // the case the money came from or went to; empty for none
  std::string batch_ref;  // a collective item's: its event's batch_ref, if any
};

// Virtual account number → case number, for every case opened or restored.
using CaseOfAccount = std::unordered_map<std::string, std::string>;

enum class MatchedBy {
  kBankRef,         // the same bank_ref, direction and amount
  kVirtualAccount,  // an inbound line with the case's virtual account, amount and near date
  kBatchRef,        // a line whose bank_ref is the batch_ref of outflows, for their sum
};

struct MatchedPair {
  size_t line = 0;      // index into the statement's lines
  size_t movement = 0;  // index into the movements
  MatchedBy by = MatchedBy::kBankRef;
  // A batch line (kBatchRef): every movement it paid, in seq order (`movement` the first).
  std::vector<size_t> batch;
};

// The same bank_ref with another amount or direction.
struct MismatchedPair {
  size_t line = 0;
  size_t movement = 0;
  std::vector<size_t> batch;  // a batch line whose amount is not its outflows' sum
};

// What the ledger side of a pair moved, signed (in +, out −): its movement's, or its batch's sum.
Fen LedgerSide(const std::vector<BankMovement>& movements, size_t movement,
               const std::vector<size_t>& batch);

struct Reconciliation {
  Date from, to;
  size_t lines_in_period = 0;              // the statement's lines dated in [from, to]
  std::vector<MatchedPair> matched;        // in statement order
  std::vector<MismatchedPair> mismatched;  // in statement order
  std::vector<size_t> bank_only;           // lines, in statement order
  std::vector<size_t> ledger_only;         // movements, in the order given (by seq)
  // Signed sums (in +, out −).
  Fen bank_only_in_fen = 0, bank_only_out_fen = 0;      // out as a positive amount
  Fen ledger_only_in_fen = 0, ledger_only_out_fen = 0;  // out as a positive amount
  Fen mismatched_difference_fen = 0;                    // Σ (bank − ledger), signed
  Fen ledger_balance_fen = 0;
  Fen statement_balance_fen = 0;
  Fen adjusted_ledger_balance_fen = 0;     // ledger + bank-only + mismatched differences
  Fen adjusted_statement_balance_fen = 0;  // statement + ledger-only
  bool agree = false;
};

// The day the bank moved a command's money, as the ledger knows it: a receipt's, an
// unidentified receipt's, a bank interest's or a bank charge's value date (when given); for
// everything else (payments, refunds, remittances, bank returns) its `on`, the day the bank
// paid or returned it. A reconciliation
// takes movements by this date; a reversal that corrects a booking takes its target's.
const std::string& BankDateOf(const pb::Command& command);

// A movement's or line's amount signed by its direction: in +, out −.
Fen Signed(Direction direction, const Fen& amount_fen);

// Matches the lines dated in [from, to] with the movements (the ledger's side of that period,
// in seq order) as SPEC §4 says: first a batch line (its bank_ref the batch_ref of outflows)
// with all of them, matched when outbound for their sum, else mismatched; then the same bank_ref,
// direction and amount; then the same bank_ref with another amount or direction (a line of the same
// direction first, then the lowest seq); then an inbound line against an unmatched receipt of the
// case its virtual account names (`cases`), with the same amount and a value date at most
// `window_days` away, the nearest date first, ties to the lowest seq. Lines are taken in statement
// order at each step. The statement's balance is StatementBalance(lines, to).
Reconciliation Reconcile(const std::vector<StatementLine>& lines,
                         const std::vector<BankMovement>& movements, const CaseOfAccount& cases,
                         Date from, Date to, const Fen& ledger_balance_fen, int window_days);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_RECONCILE_H_
