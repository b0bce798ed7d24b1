// Internal to bench/: the year's caseload as the figures of RULES §8 shape it, at a scale: how
// many cases, small and large, filed on which working day, in which role and with what claim
// (spread exactly over each role's share), the two collective disbursement days and their
// members; and the plan of any case, recomputed from (seed, case index) alone. Nothing here
// changes once built: generating the year (bench/workload.cc) only reads it.
#ifndef CASELEDGER_BENCH_CASELOAD_H_
#define CASELEDGER_BENCH_CASELOAD_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/plans.h"
#include "bench/random.h"
#include "bench/workload.h"
#include "bench/year.h"

namespace caseledger::bench {

// A collective disbursement day: which cases it pays (every stride-th case of its group among
// those filed in its window) and when their money arrives.
struct EventShape {
  std::string event_id;
  std::string title;
  int day = 0;
  bool small = false;                  // the group its cases are drawn from
  int64_t index_lo = 0, index_hi = 0;  // the cases filed in the window
  int64_t rank_lo = 0;                 // the group rank of the window's first case
  int64_t members = 0, stride = 1;
  int receipts_from = 0, receipts_until = 0;  // days
  std::vector<Fen> claims;                    // the province's day: each member's claim
  int64_t two_payees = 0;                     // the first members have two creditors
};

class Caseload {
 public:
  explicit Caseload(const WorkloadOptions& options);

  uint64_t seed() const { return seed_; }
  int64_t cases() const { return cases_; }
  int64_t small_cases() const { return small_cases_; }
  const YearCalendar& calendar() const { return calendar_; }
  int FiledDay(int64_t index) const {
    const std::vector<int>& days = calendar_.working_days();
    return days[static_cast<size_t>(index * static_cast<int64_t>(days.size()) / cases_)];
  }
  // Case `index`'s plan, its steps on the working days of the year.
  CasePlan Build(int64_t index) const;
  std::string CaseNumberOf(int64_t index) const;

  const EventShape& spring() const { return spring_; }
  const EventShape& province() const { return province_; }
  // The case of an event's j-th member, and the first member of each of its batches.
  int64_t EventMember(const EventShape& event, int64_t j) const {
    return IndexOfRank(event.small, event.rank_lo + j * event.stride);
  }
  std::vector<int64_t> EventBatches(const EventShape& event) const;

 private:
  // The cases of one group in one role: their claims' quantiles are a permutation of the
  // stratum's midpoints.
  struct Stratum {
    int64_t count = 0, stride = 1, offset = 0;
  };

  // ---- Groups, filing days, events.
  int64_t SmallBefore(int64_t index) const { return index * small_cases_ / cases_; }
  bool IsSmall(int64_t index) const { return SmallBefore(index + 1) > SmallBefore(index); }
  int64_t InGroupBefore(bool small, int64_t index) const {
    return small ? SmallBefore(index) : index - SmallBefore(index);
  }
  int64_t IndexOfRank(bool small, int64_t rank) const;
  int64_t FirstFiledOnOrAfter(int day) const;
  int64_t Scaled(int64_t figure) const;
  void SetUpStrata();
  void SetUpEvents();
  void SetUpProvinceClaims();
  void SetUpEvent(EventShape* event, int target, int window_from, int window_to) const;
  std::optional<int64_t> MemberOf(const EventShape& event, int64_t index) const;

  // ---- One case's plan.
  void ChooseRoleAndClaim(CasePlan* p, Rng& rng) const;
  void ChooseParties(CasePlan* p, Rng& rng) const;
  int DraftByRole(Draft& d) const;
  void Finish(CasePlan* p, int anchor, bool compress) const;

  uint64_t seed_;
  int64_t scale_;
  int64_t cases_ = 1, small_cases_ = 0;
  YearCalendar calendar_;
  std::array<std::vector<Stratum>, 2> strata_;  // [small][role bucket]
  EventShape spring_, province_;
};

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_CASELOAD_H_
