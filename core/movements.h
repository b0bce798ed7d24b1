// 收支明细 (SPEC §3 movements): the movements of money through the special account, one per
// entry that posts to the bank (one per item of a collective disbursement), taken from the
// entry's postings and command so that a new operation that moves money shows without being
// named here. Pure: ledger/movements.cc reads the entries and the payees' names.
#ifndef CASELEDGER_CORE_MOVEMENTS_H_
#define CASELEDGER_CORE_MOVEMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/money.h"
#include "core/statement.h"
#include "core/status.h"

namespace caseledger {

struct MoneyMovement {
  uint64_t seq = 0;
  Date on;          // booked
  Date value_date;  // the bank's date (BankDateOf the command)
  pb::Operation op = pb::OPERATION_UNSPECIFIED;
  std::string case_no;       // empty for money of no case (suspense, fees, lodgment)
  std::string counterparty;  // the payer or payee as the command names it; may be empty
  // A creditor's party id the counterparty names (disbursements, collective items): the
  // reader puts the creditor's name in `counterparty` for it.
  std::string payee_party_id;
  Direction direction = Direction::kIn;
  Fen amount_fen = 0;  // more than zero
  std::string bank_ref;
};

// The movements one entry made through the bank, in item order; none when it posts nothing to
// it. CORRUPTION when a collective disbursement's items do not sum to its bank posting.
Result<std::vector<MoneyMovement>> MovementsOf(uint64_t seq, const pb::Entry& entry);

// The selection of `movements` (every field optional; a court selects the case numbers whose
// court code starts with it; `payer` is a part of the counterparty; amounts inclusive).
struct MovementFilter {
  std::optional<std::string> case_no;
  std::optional<std::string> court;
  std::optional<std::string> bank_ref;
  std::optional<std::string> payer;
  std::optional<Fen> min_fen;
  std::optional<Fen> max_fen;
  std::optional<Direction> direction;
};
// Whether a movement is selected; `judge` is checked by the reader (it needs the case).
bool Selected(const MovementFilter& filter, const MoneyMovement& movement);

struct MovementTotals {
  Fen in_fen = 0;
  Fen out_fen = 0;
  int64_t count = 0;
};
MovementTotals TotalsOf(const std::vector<MoneyMovement>& movements);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_MOVEMENTS_H_
