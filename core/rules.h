// The configurable values of domain/RULES.md, with their defaults, and their stored form.
#ifndef CASELEDGER_CORE_RULES_H_
#define CASELEDGER_CORE_RULES_H_

#include <string>
#include <vector>

#include "caseledger.pb.h"
#include "core/calendar.h"
#include "core/money.h"

namespace caseledger {

// SPEC §9: a request of an amount above `above_fen` is approved by steps of these roles, in
// order (the tier with the highest threshold below the amount).
struct ApprovalTier {
  int64_t above_fen = 0;
  std::vector<pb::Role> roles;
  bool operator==(const ApprovalTier&) const = default;
};

inline std::vector<ApprovalTier> DefaultApprovalTiers() {
  return {{0, {pb::ROLE_MANAGER, pb::ROLE_BUREAU_HEAD}},
          {100000000, {pb::ROLE_MANAGER, pb::ROLE_BUREAU_HEAD, pb::ROLE_COURT_LEADER}}};
}

struct Rules {
  int disburse_within_days = 30;  // RULES §1: pay within 30 days of the finance notice
  int after_hold_days = 10;       // RULES §1: after a hold ends, pay within 10 days
  int claim_within_days = 3;      // RULES §1: claim unidentified money within 3 days
  pb::ClockStart clock_start = pb::CLOCK_START_NOTICE;  // what dates a receipt's lot
  pb::FeeBase fee_base = pb::FEE_BASE_CLAIM;            // RULES §2
  // RULES §3: costs → ordinary interest → principal → doubled-part interest.
  std::vector<pb::AllocationPart> allocation_order = {
      pb::ALLOCATION_PART_FEE, pb::ALLOCATION_PART_ORDINARY_INTEREST, pb::ALLOCATION_PART_CLAIM,
      pb::ALLOCATION_PART_DELAY_INTEREST};
  Calendar calendar;                // working days: Mon–Fri minus holidays plus workdays
  int backdate_allowance_days = 0;  // SPEC §1
  int future_allowance_days = 0;    // SPEC §1
  int reconcile_window_days = 3;    // SPEC §4
  int closure_months = 6;           // RULES §6
  std::vector<ApprovalTier> approval_tiers = DefaultApprovalTiers();  // SPEC §9
};

// The approval steps of a request of `amount_fen` (0 for a request without an amount, such as
// extend_deadline: the first tier).
std::vector<pb::Role> ApprovalChain(const Rules& rules, int64_t amount_fen);

Rules RulesFromRecord(const pb::RulesRecord& record);
pb::RulesRecord RecordFromRules(const Rules& rules);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_RULES_H_
