// The allocation of money recovered over a restoration chain, and delay interest (SPEC §7).
#ifndef CASELEDGER_CORE_ALLOCATION_H_
#define CASELEDGER_CORE_ALLOCATION_H_

#include <optional>
#include <string>
#include <vector>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/money.h"

namespace caseledger {

// What the chain owes: the first case's terms, counted once.
struct ChainTerms {
  Fen claim_fen = 0;
  Fen ordinary_interest_fen = 0;
  std::optional<Date> performance_due;
  pb::FeeBase fee_base = pb::FEE_BASE_CLAIM;
  // A preservation case (执保) bears no enforcement fee (SPEC §7 Fee): its fee is 0.
  bool bears_fee = true;
  std::vector<pb::AllocationPart> order = {
      pb::ALLOCATION_PART_FEE, pb::ALLOCATION_PART_ORDINARY_INTEREST, pb::ALLOCATION_PART_CLAIM,
      pb::ALLOCATION_PART_DELAY_INTEREST};
};

// Money recovered (at its value date, paying the claim as of stop_date or the value date) or
// uncovered again (a refund or a reversed receipt or claim, as of its `on`).
struct AllocationEvent {
  Date date;
  uint64_t seq = 0;
  Fen amount_fen = 0;
  std::optional<Date> stop_date;
  bool recover = true;
};

struct Allocation {
  Fen recovered_fen = 0;  // net of uncovered money
  Fen fee_fen = 0;        // the chain's fee on the evaluation date
  Fen fee_covered_fen = 0;
  Fen ordinary_interest_covered_fen = 0;
  Fen claim_covered_fen = 0;
  Fen delay_interest_covered_fen = 0;
  Fen delay_interest_fen = 0;  // accrued to the evaluation date, rounded once half up
};

// Events dated after `on` are left out. Never throws for amounts a ledger can hold.
Allocation Allocate(const ChainTerms& terms, std::vector<AllocationEvent> events, Date on);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_ALLOCATION_H_
