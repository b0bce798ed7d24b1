#include "core/allocation.h"

#include <algorithm>
#include <deque>

#include "core/fee.h"

namespace caseledger {
namespace {

// 法释〔2014〕8号: 0.000175 per day, i.e. 7 / 40000. Interest is kept in units of
// fen × day × 7 and divided by 40000 once, at the end.
constexpr int kRateNumerator = 7;
constexpr int kRateDenominator = 40000;

enum Component { kFee, kOrdinaryInterest, kClaim, kDelayInterest, kSurplus };

Component ComponentOf(pb::AllocationPart part) {
  if (part == pb::ALLOCATION_PART_FEE) return kFee;
  if (part == pb::ALLOCATION_PART_ORDINARY_INTEREST) return kOrdinaryInterest;
  if (part == pb::ALLOCATION_PART_CLAIM) return kClaim;
  return kDelayInterest;
}

struct Piece {
  Component component;
  Fen amount_fen;
};

// Claim money not paid, accruing since `since`.
struct Unpaid {
  Fen amount_fen;
  Date since;
};

class Allocator {
 public:
  explicit Allocator(const ChainTerms& terms) : terms_(terms) {
    if (terms.performance_due && terms.claim_fen > 0) {
      unpaid_.push_back({terms.claim_fen, *terms.performance_due});
    }
  }

  void Recover(const AllocationEvent& event) {
    recovered_ += event.amount_fen;
    const Date paid_on = event.stop_date.value_or(event.date);
    Fen left = event.amount_fen;
    for (pb::AllocationPart part : terms_.order) {
      const Component component = ComponentOf(part);
      const Fen take = std::min(left, Capacity(component, paid_on));
      if (take == 0) continue;
      covered_[component] += take;
      pieces_.push_back({component, take});
      if (component == kClaim) PayClaim(take, paid_on);
      left -= take;
    }
    if (left > 0) pieces_.push_back({kSurplus, left});
  }

  void Uncover(const AllocationEvent& event) {
    recovered_ -= event.amount_fen;
    Fen left = event.amount_fen;
    while (left > 0 && !pieces_.empty()) {
      Piece& top = pieces_.back();
      const Fen take = std::min(left, top.amount_fen);
      top.amount_fen -= take;
      left -= take;
      if (top.component != kSurplus) covered_[top.component] -= take;
      // Claim money so uncovered accrues delay interest again from that day.
      if (top.component == kClaim && terms_.performance_due) {
        unpaid_.push_back({take, std::max(event.date, *terms_.performance_due)});
      }
      if (top.amount_fen == 0) pieces_.pop_back();
    }
  }

  Allocation Finish(Date on) {
    Allocation result;
    result.recovered_fen = recovered_;
    result.fee_fen = TotalFee();
    result.fee_covered_fen = covered_[kFee];
    result.ordinary_interest_covered_fen = covered_[kOrdinaryInterest];
    result.claim_covered_fen = covered_[kClaim];
    result.delay_interest_covered_fen = covered_[kDelayInterest];
    result.delay_interest_fen = DivideRoundHalfUp(UnitsTo(on), Fen(kRateDenominator));
    return result;
  }

 private:
  Fen TotalFee() const {
    if (!terms_.bears_fee) return 0;
    return terms_.fee_base == pb::FEE_BASE_RECOVERED ? Fee(std::max(Fen(0), recovered_))
                                                     : Fee(terms_.claim_fen);
  }

  Fen Capacity(Component component, Date paid_on) const {
    Fen total = 0;
    switch (component) {
      case kFee:
        total = TotalFee();
        break;
      case kOrdinaryInterest:
        total = terms_.ordinary_interest_fen;
        break;
      case kClaim:
        total = terms_.claim_fen;
        break;
      case kDelayInterest:
        total = DivideRoundHalfUp(UnitsTo(paid_on), Fen(kRateDenominator));
        break;
      case kSurplus:
        return 0;
    }
    return std::max(Fen(0), total - covered_[component]);
  }

  // Interest units accrued on paid parts plus the unpaid claim up to `day`.
  Fen UnitsTo(Date day) const {
    Fen units = units_;
    for (const Unpaid& part : unpaid_) units += Accrual(part.amount_fen, part.since, day);
    return units;
  }

  static Fen Accrual(const Fen& amount_fen, Date since, Date until) {
    const int64_t days = std::max<int64_t>(0, DaysBetween(since, until));
    return amount_fen * days * kRateNumerator;
  }

  // The oldest unpaid claim money is paid first; it stops accruing on `paid_on`.
  void PayClaim(Fen amount_fen, Date paid_on) {
    while (amount_fen > 0 && !unpaid_.empty()) {
      Unpaid& part = unpaid_.front();
      const Fen take = std::min(amount_fen, part.amount_fen);
      units_ += Accrual(take, part.since, paid_on);
      part.amount_fen -= take;
      amount_fen -= take;
      if (part.amount_fen == 0) unpaid_.pop_front();
    }
  }

  const ChainTerms& terms_;
  Fen recovered_ = 0;
  Fen covered_[kSurplus + 1] = {0, 0, 0, 0, 0};
  std::vector<Piece> pieces_;  // the allocation, newest last
  std::deque<Unpaid> unpaid_;
  Fen units_ = 0;  // accrued on claim money already paid
};

}  // namespace

Allocation Allocate(const ChainTerms& terms, std::vector<AllocationEvent> events, Date on) {
  std::stable_sort(events.begin(), events.end(),
                   [](const AllocationEvent& a, const AllocationEvent& b) {
                     if (a.date != b.date) return a.date < b.date;
                     return a.seq < b.seq;
                   });
  Allocator allocator(terms);
  for (const AllocationEvent& event : events) {
    if (event.date > on) break;
    if (event.recover) {
      allocator.Recover(event);
    } else {
      allocator.Uncover(event);
    }
  }
  return allocator.Finish(on);
}

}  // namespace caseledger
