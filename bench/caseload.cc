#include "bench/caseload.h"

#include <algorithm>
#include <numeric>

#include "core/fee.h"
#include "core/limits.h"

namespace caseledger::bench {
namespace {

constexpr int64_t kSpringEventCases = 300;
constexpr int64_t kProvinceEventTwoPayeeCases = kWorkloadEventPayees - kWorkloadEventCases;
constexpr int64_t kProvinceEventClaimFloorFen = kSmallClaimFen;
// SPEC §2 allows kRepeatedItemsMax items per event; a collective day at a large scale is split
// into batches of whole cases, each batch one event.
constexpr int64_t kEventItemsPerBatch = kRepeatedItemsMax;

// ---- Exact shares of a group (Bresenham): which items of n belong to the first of several
// buckets weighted w_0..w_m, the rest carved from what is left, so that every bucket has exactly
// floor(n * w / W) items of what is left, spread evenly.
struct Carved {
  int bucket = 0;
  int64_t rank = 0;   // among the bucket's items
  int64_t count = 0;  // the bucket's items
};

Carved Carve(int64_t k, int64_t n, const std::vector<int64_t>& weights) {
  int64_t rest = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  for (size_t b = 0; b + 1 < weights.size(); ++b) {
    const int64_t w = weights[b];
    const int64_t before = k * w / rest, after = (k + 1) * w / rest;
    const int64_t count = n * w / rest;
    if (after > before) return {static_cast<int>(b), before, count};
    k -= before;
    n -= count;
    rest -= w;
  }
  return {static_cast<int>(weights.size()) - 1, k, n};
}

// Claims by quantile, in yuan, linear between the points (quantiles in millionths).
struct QuantilePoint {
  int64_t ppm;
  int64_t yuan;
};
constexpr std::array<QuantilePoint, 5> kSmallClaims = {
    {{0, 2000}, {400000, 12500}, {800000, 36000}, {950000, 72000}, {1000000, 99900}}};
constexpr std::array<QuantilePoint, 5> kLargeClaims = {
    {{0, 100000}, {650000, 140000}, {920000, 245000}, {990000, 650000}, {1000000, 2200000}}};

template <size_t N>
Fen ClaimAt(const std::array<QuantilePoint, N>& points, int64_t ppm) {
  for (size_t i = 0; i + 1 < N; ++i) {
    const QuantilePoint& lo = points[i];
    const QuantilePoint& hi = points[i + 1];
    if (ppm >= hi.ppm && i + 2 < N) continue;
    return Fen(lo.yuan) * 100 + Fen(hi.yuan - lo.yuan) * 100 * (ppm - lo.ppm) / (hi.ppm - lo.ppm);
  }
  return Fen(points[N - 1].yuan) * 100;
}

// The roles of each group, with their weights in thousandths.
constexpr std::array<Role, 5> kSmallRoles = {Role::kFull, Role::kThisRound, Role::kWithdrawn,
                                             Role::kTerminated, Role::kRejected};
const std::vector<int64_t> kSmallRoleWeights = {850, 80, 40, 20, 10};
constexpr std::array<Role, 7> kLargeRoles = {
    Role::kFull,    Role::kThisRound, Role::kTerminated,  Role::kWithdrawn,
    Role::kRefused, Role::kRejected,  Role::kPreservation};
const std::vector<int64_t> kLargeRoleWeights = {550, 280, 40, 60, 20, 20, 30};

}  // namespace

Caseload::Caseload(const WorkloadOptions& options)
    : seed_(options.seed), scale_(options.scale_millionths) {
  cases_ = std::max<int64_t>(1, Scaled(kWorkloadCases));
  small_cases_ = std::min(cases_, Scaled(kWorkloadSmallCases));
  SetUpStrata();
  SetUpEvents();
  SetUpProvinceClaims();
}

// A figure at the scale, rounded half up, exactly.
int64_t Caseload::Scaled(int64_t figure) const {
  return (figure * scale_ * 2 + kScaleOne) / (2 * kScaleOne);
}

void Caseload::SetUpStrata() {
  for (int small = 0; small < 2; ++small) {
    const std::vector<int64_t>& weights = small ? kSmallRoleWeights : kLargeRoleWeights;
    int64_t n = small ? small_cases_ : cases_ - small_cases_;
    int64_t rest = std::accumulate(weights.begin(), weights.end(), int64_t{0});
    for (size_t b = 0; b < weights.size(); ++b) {
      Stratum s;
      s.count = b + 1 == weights.size() ? n : n * weights[b] / rest;
      n -= s.count;
      rest -= weights[b];
      // A stride near the golden section, coprime with the count: the quantiles of the
      // stratum's cases are a permutation of its midpoints, spread over the year.
      s.stride = std::max<int64_t>(1, s.count * 6180339887 / 10000000000);
      while (std::gcd(s.stride, std::max<int64_t>(1, s.count)) != 1) ++s.stride;
      s.offset = s.count > 0 ? static_cast<int64_t>(Mix(seed_ ^ (small * 16 + b)) % s.count) : 0;
      strata_[small].push_back(s);
    }
  }
}

void Caseload::SetUpEvents() {
  spring_.event_id = "GS-2021-02-05";
  spring_.title = "春节前涉民生案件执行款集中发放";
  spring_.day = kSpringEventDay;
  spring_.small = true;
  SetUpEvent(&spring_, static_cast<int>(Scaled(kSpringEventCases)), DayOf(1, 1), DayOf(1, 20));
  spring_.receipts_until = kSpringEventDay - 6;
  province_.event_id = "GS-2021-11-18";
  province_.title = "全省法院执行案款集中发放日";
  province_.day = kProvinceEventDay;
  province_.small = false;
  SetUpEvent(&province_, static_cast<int>(Scaled(kWorkloadEventCases)), kProvinceEventDay - 150,
             kProvinceEventDay - 60);
  province_.receipts_from = kProvinceEventDay - 55;
  province_.receipts_until = kProvinceEventDay - 6;
  province_.two_payees = std::min(province_.members, Scaled(kProvinceEventTwoPayeeCases));
}

// The province's day pays ¥110 million (scaled) exactly: each case at least 100,000.00, the rest
// by random weights.
void Caseload::SetUpProvinceClaims() {
  if (province_.members == 0) return;
  const Fen total = Fen(kWorkloadEventFen) * scale_ / kScaleOne;
  std::vector<int64_t> weights;
  int64_t sum = 0;
  for (int64_t j = 0; j < province_.members; ++j) {
    const uint64_t h = Mix(seed_ ^ Mix(0xE7E7 + j));
    weights.push_back(h % 10 < 8 ? 20 + static_cast<int64_t>(h / 10 % 80)
                                 : 100 + static_cast<int64_t>(h / 10 % 500));
    sum += weights.back();
  }
  Fen floor_fen = kProvinceEventClaimFloorFen;
  if (total < floor_fen * province_.members) floor_fen = total / province_.members;
  const Fen spread = total - floor_fen * province_.members;
  Fen given = 0;
  for (int64_t j = 0; j < province_.members; ++j) {
    const Fen claim =
        j + 1 == province_.members ? total - given : floor_fen + spread * weights[j] / sum;
    province_.claims.push_back(claim);
    given += claim;
  }
}

void Caseload::SetUpEvent(EventShape* event, int target, int window_from, int window_to) const {
  event->index_lo = FirstFiledOnOrAfter(window_from);
  event->index_hi = FirstFiledOnOrAfter(window_to + 1);
  event->rank_lo = InGroupBefore(event->small, event->index_lo);
  const int64_t in_window = InGroupBefore(event->small, event->index_hi) - event->rank_lo;
  event->members = std::min<int64_t>(target, in_window);
  event->stride = event->members > 0 ? in_window / event->members : 1;
  event->receipts_from = window_from;
}

int64_t Caseload::FirstFiledOnOrAfter(int day) const {
  int64_t lo = 0, hi = cases_;  // the first index whose filing day is >= day
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (FiledDay(mid) >= day) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

int64_t Caseload::IndexOfRank(bool small, int64_t rank) const {
  int64_t lo = 0, hi = cases_ - 1;  // the first index with more than `rank` before it and itself
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (InGroupBefore(small, mid + 1) > rank) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

std::optional<int64_t> Caseload::MemberOf(const EventShape& event, int64_t index) const {
  if (event.members == 0 || index < event.index_lo || index >= event.index_hi) return std::nullopt;
  if (IsSmall(index) != event.small) return std::nullopt;
  const int64_t rank = InGroupBefore(event.small, index) - event.rank_lo;
  if (rank % event.stride != 0 || rank / event.stride >= event.members) return std::nullopt;
  return rank / event.stride;
}

void Caseload::ChooseRoleAndClaim(CasePlan* p, Rng& rng) const {
  if (std::optional<int64_t> j = MemberOf(province_, p->index)) {
    p->role = Role::kProvinceEvent;
    p->claim = province_.claims[*j];
    p->creditors = *j < province_.two_payees ? 2 : 1;
    return;
  }
  if (MemberOf(spring_, p->index)) {
    p->role = Role::kSpringEvent;
    p->claim = Fen(rng.Between(5000, 60000)) * 100;
    p->creditors = rng.Between(1, 3);
    p->livelihood = true;
    return;
  }
  const bool small = p->small;
  const int64_t in_group = small ? small_cases_ : cases_ - small_cases_;
  const Carved carved = Carve(InGroupBefore(small, p->index), in_group,
                              small ? kSmallRoleWeights : kLargeRoleWeights);
  p->role = small ? kSmallRoles[carved.bucket] : kLargeRoles[carved.bucket];
  const Stratum& s = strata_[small][carved.bucket];
  const int64_t position = (carved.rank * s.stride + s.offset) % s.count;
  const int64_t ppm = (2 * position + 1) * kScaleOne / (2 * s.count);
  p->claim = small ? ClaimAt(kSmallClaims, ppm) : ClaimAt(kLargeClaims, ppm);
  const int two = small ? 30 : 60;
  p->creditors = rng.PerMille(two) ? 2 : 1;
}

void Caseload::ChooseParties(CasePlan* p, Rng& rng) const {
  static constexpr std::array<int, 3> kLargeCreditors = {50, 35, 15};
  static constexpr std::array<int, 3> kSmallCreditors = {85, 15, 0};
  static constexpr std::array<int, 3> kDebtors = {600, 380, 20};
  const bool persons_only = p->role == Role::kSpringEvent;
  for (int c = 0; c < p->creditors; ++c) {
    p->creditor_kind[c] = persons_only ? 0 : rng.Pick(p->small ? kSmallCreditors : kLargeCreditors);
  }
  p->debtors = rng.PerMille(300) ? 2 : 1;
  for (int n = 0; n < p->debtors; ++n) p->debtor_kind[n] = rng.Pick(kDebtors);
  if (persons_only) p->debtor_kind[0] = 1;  // the employer
  p->livelihood = p->livelihood || rng.PerMille(p->small ? 250 : 30);
  p->organized_crime = !p->small && rng.PerMille(3);
  p->judge = rng.Between(0, 5);
  p->closure_months = rng.PerMille(50) ? 3 : 6;
  if (rng.PerMille(600)) p->performance_due = -rng.Between(5, 90);
}

int Caseload::DraftByRole(Draft& d) const {
  switch (d.plan().role) {
    case Role::kFull:
      return DraftFull(d);
    case Role::kThisRound:
      return DraftThisRound(d);
    case Role::kTerminated:
      return DraftTerminated(d);
    case Role::kWithdrawn:
      return DraftQuiet(d, kWithdrawnMode, 10, 90);
    case Role::kRefused:
      return DraftQuiet(d, kRefusedMode, 20, 80);
    case Role::kRejected:
      return DraftQuiet(d, kRejectedMode, 5, 40);
    case Role::kPreservation:
      return DraftQuiet(d, kFullyPerformed, 3, 30);
    case Role::kProvinceEvent:
      DraftEventCase(d, province_.day, province_.receipts_from, province_.receipts_until);
      return 0;
    case Role::kSpringEvent:
      DraftEventCase(d, spring_.day, d.plan().filed + 3, spring_.receipts_until);
      return 0;
  }
  return 0;
}

CasePlan Caseload::Build(int64_t index) const {
  CasePlan p;
  p.index = index;
  p.court = static_cast<int>(index % kWorkloadCourts);
  p.serial = index / kWorkloadCourts + 1;
  p.filed = FiledDay(index);
  p.small = IsSmall(index);
  Rng rng(Mix(seed_ ^ Mix(static_cast<uint64_t>(index) * 2 + 1)));
  ChooseRoleAndClaim(&p, rng);
  ChooseParties(&p, rng);
  p.fee = p.role == Role::kPreservation ? Fen(0) : Fee(p.claim);
  Draft draft(&p, &rng);
  const int last_receipt = DraftByRole(draft);
  const bool event = p.role == Role::kProvinceEvent || p.role == Role::kSpringEvent;
  // Most cases close within the year, squeezed if filed late; a few are left open at its end
  // with their money in (终本 cases filed late too: they need three months).
  int anchor = p.steps.back().day;
  if (p.role == Role::kThisRound || p.stays_open || rng.PerMille(40)) anchor = last_receipt;
  Strays(draft);
  Finish(&p, anchor, !event);
  return p;
}

void Caseload::Finish(CasePlan* p, int anchor, bool compress) const {
  const int room = kLastDay - p->filed;
  if (compress && anchor > room) {
    for (Step& step : p->steps) step.day = step.day * room / anchor;
  }
  for (Step& step : p->steps) {
    if (step.kind == Kind::kClose && p->role == Role::kThisRound) {
      step.day = std::max(step.day, p->min_close);
    }
    step.day = calendar_.NextWorking(p->filed + step.day);
  }
  // The bank's value dates: at most kValueLagMax days before `on`, never before filing; a
  // claim names the reference of the unidentified receipt it claims.
  std::array<int, 8> unidentified_day{};
  int stray_day = 0;
  for (Step& step : p->steps) {
    step.value_day = std::max(step.day - step.c, p->filed);
    if (step.kind == Kind::kUnidentified) unidentified_day[step.a % 8] = step.value_day;
    if (step.kind == Kind::kClaim) step.value_day = unidentified_day[step.a % 8];
    if (step.kind == Kind::kStrayReceipt) stray_day = step.value_day;
    if (step.kind == Kind::kStrayRefund) step.value_day = stray_day;
  }
  // Strays touch no case: they join the case's steps in date order.
  std::stable_sort(p->steps.begin(), p->steps.end(),
                   [](const Step& a, const Step& b) { return a.day < b.day; });
}

std::string Caseload::CaseNumberOf(int64_t index) const {
  CasePlan p;
  p.index = index;
  p.court = static_cast<int>(index % kWorkloadCourts);
  p.serial = index / kWorkloadCourts + 1;
  Rng rng(Mix(seed_ ^ Mix(static_cast<uint64_t>(index) * 2 + 1)));
  p.small = IsSmall(index);
  ChooseRoleAndClaim(&p, rng);
  return CaseNo(p);
}

// The collective day: one line per batch of its cases (SPEC §2's limit of items per event),
// whole cases in each.
std::vector<int64_t> Caseload::EventBatches(const EventShape& event) const {
  std::vector<int64_t> firsts;
  int64_t items = kEventItemsPerBatch;
  for (int64_t j = 0; j < event.members; ++j) {
    const int creditors = Build(EventMember(event, j)).creditors;
    if (items + creditors > kEventItemsPerBatch) {
      firsts.push_back(j);
      items = 0;
    }
    items += creditors;
  }
  return firsts;
}

}  // namespace caseledger::bench
