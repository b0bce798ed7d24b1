#include "core/interest.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/limits.h"

namespace caseledger {
namespace {

Status CheckPayments(const std::vector<Payment>& payments, Date on) {
  if (payments.size() > kRepeatedItemsMax) {
    return Status::InvalidArgument("more than " + std::to_string(kRepeatedItemsMax) + " payments");
  }
  for (const Payment& payment : payments) {
    if (payment.date > on) {
      return Status::InvalidArgument("payment " + payment.date.ToString() + " is after --on " +
                                     on.ToString());
    }
    if (payment.amount_fen <= 0) {
      return Status::InvalidArgument("payment " + payment.date.ToString() + ": amount " +
                                     FormatAmount(payment.amount_fen) + " must be more than zero");
    }
  }
  return Status::Ok();
}

// The working once inputs are valid; may throw std::overflow_error.
InterestWorking CalcInterestUnchecked(const Fen& claim_fen, Date due, Date on,
                                      std::vector<Payment> payments) {
  std::stable_sort(payments.begin(), payments.end(),
                   [](const Payment& a, const Payment& b) { return a.date < b.date; });
  Fen unpaid_fen = claim_fen;
  Fen paid_fen = 0;
  Fen units = 0;
  for (const Payment& payment : payments) {
    const Fen part_fen = std::min(unpaid_fen, payment.amount_fen);
    units += DelayInterestUnits(part_fen, due, payment.date);
    unpaid_fen -= part_fen;
    paid_fen += payment.amount_fen;
  }
  units += DelayInterestUnits(unpaid_fen, due, on);

  InterestWorking working;
  // Rounded once, half up (the sum is never negative), over the exact sum of every part.
  working.interest_fen = DivideRoundHalfUp(units, kDelayRateDenominator);
  working.claim_paid_fen = claim_fen - unpaid_fen;
  working.claim_unpaid_fen = unpaid_fen;
  const Fen beyond_claim_fen = paid_fen - working.claim_paid_fen;
  working.interest_paid_fen = std::min(working.interest_fen, beyond_claim_fen);
  working.interest_unpaid_fen = working.interest_fen - working.interest_paid_fen;
  working.surplus_fen = beyond_claim_fen - working.interest_paid_fen;
  working.days = std::max<int64_t>(0, DaysBetween(due, on));
  return working;
}

}  // namespace

Fen DelayInterestUnits(const Fen& part_fen, Date due, Date paid_on) {
  const int64_t days = DaysBetween(due, paid_on);
  if (days <= 0) return 0;
  return part_fen * kDelayRateNumerator * days;
}

Result<InterestWorking> CalcInterest(const Fen& claim_fen, Date due, Date on,
                                     std::vector<Payment> payments) {
  if (claim_fen < 0) {
    return Status::InvalidArgument("claim " + FormatAmount(claim_fen) + " must not be negative");
  }
  CASELEDGER_RETURN_IF_ERROR(CheckPayments(payments, on));
  try {
    return CalcInterestUnchecked(claim_fen, due, on, std::move(payments));
  } catch (const std::overflow_error&) {
    return Status::InvalidArgument("delay interest: amount too large");
  } catch (const std::range_error&) {
    return Status::InvalidArgument("delay interest: amount too large");
  }
}

}  // namespace caseledger
