// The configurable values of domain/RULES.md, with their defaults.
#ifndef CASELEDGER_CORE_RULES_H_
#define CASELEDGER_CORE_RULES_H_

namespace caseledger {

struct Rules {
  int disburse_within_days = 30;    // RULES §1: pay within 30 days of the finance notice
  int after_hold_days = 10;         // RULES §1: after a hold ends, pay within 10 days
  int claim_within_days = 3;        // RULES §1: claim unidentified money within 3 days
  int backdate_allowance_days = 0;  // SPEC §1
  int future_allowance_days = 0;    // SPEC §1
  int closure_months = 6;           // RULES §6
};

}  // namespace caseledger

#endif  // CASELEDGER_CORE_RULES_H_
