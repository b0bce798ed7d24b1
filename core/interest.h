// Interest for delayed performance (法释〔2014〕8号, RULES §3, SPEC §7 Delay interest): the
// working of `calc interest`, and the exact per-part interest that case figures sum.
#ifndef CASELEDGER_CORE_INTEREST_H_
#define CASELEDGER_CORE_INTEREST_H_

#include <cstdint>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace caseledger {

// 0.000175 per day (日万分之一点七五) = 7 / 40000, kept exact.
inline constexpr int64_t kDelayRateNumerator = 7;
inline constexpr int64_t kDelayRateDenominator = 40000;

struct Payment {
  Date date;
  Fen amount_fen;
};

struct InterestWorking {
  Fen interest_fen;  // total delay interest accrued to `on`, exact sum rounded once half up
  Fen claim_paid_fen;
  Fen claim_unpaid_fen;
  Fen interest_paid_fen;
  Fen interest_unpaid_fen;
  int64_t days = 0;  // days(due, on), 0 if negative
  Fen surplus_fen;   // payments beyond claim and interest
};

// Payments are applied in date order (stable for equal dates). Each pays the unpaid claim first
// (a claim part paid on day p accrues days(due, p) days, nothing if p <= due), then interest.
// The claim still unpaid on `on` accrues days(due, on). Interest total =
// round_half_up(Σ part × days × 7/40000). interest_paid = min(interest, payments − claim_paid);
// surplus = the rest.
// Errors (InvalidArgument): a payment dated after `on` ("payment 2024-05-01 is after --on
// 2024-04-30"), a payment amount <= 0, a negative claim, more than kRepeatedItemsMax payments,
// and amounts whose arithmetic overflows ("amount too large").
Result<InterestWorking> CalcInterest(const Fen& claim_fen, Date due, Date on,
                                     std::vector<Payment> payments);

// Interest on one part in units of 1/40000 fen: part_fen × 7 × max(0, days(due, paid_on)).
// Callers sum these and round once with DivideRoundHalfUp(sum, kDelayRateDenominator).
// Throws std::overflow_error beyond the range of Fen (callers in core/ turn it into a status).
Fen DelayInterestUnits(const Fen& part_fen, Date due, Date paid_on);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_INTEREST_H_
