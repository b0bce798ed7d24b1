#include "core/rules.h"

#include "core/names.h"

namespace caseledger {
namespace {

std::vector<Date> Dates(const google::protobuf::RepeatedPtrField<std::string>& texts) {
  std::vector<Date> dates;
  for (const auto& text : texts) {
    Result<Date> date = Date::Parse(text, "stored rule date");
    if (date.ok()) dates.push_back(*date);  // stored dates were validated by set_rules
  }
  return dates;
}

}  // namespace

Rules RulesFromRecord(const pb::RulesRecord& record) {
  Rules rules;
  rules.disburse_within_days = record.disburse_within_days();
  rules.after_hold_days = record.after_hold_days();
  rules.claim_within_days = record.claim_within_days();
  rules.clock_start = record.clock_start();
  rules.fee_base = record.fee_base();
  rules.allocation_order = ValuesOf<pb::AllocationPart>(record.allocation_order());
  rules.calendar.Replace(Dates(record.holidays()), Dates(record.workdays()));
  rules.backdate_allowance_days = record.backdate_allowance_days();
  rules.future_allowance_days = record.future_allowance_days();
  rules.reconcile_window_days = record.reconcile_window_days();
  rules.closure_months = record.closure_months();
  if (!record.approval_tiers().empty()) {
    rules.approval_tiers.clear();
    for (const auto& tier : record.approval_tiers()) {
      rules.approval_tiers.push_back({tier.above_fen(), ValuesOf<pb::Role>(tier.roles())});
    }
  }
  return rules;
}

pb::RulesRecord RecordFromRules(const Rules& rules) {
  pb::RulesRecord record;
  record.set_disburse_within_days(rules.disburse_within_days);
  record.set_after_hold_days(rules.after_hold_days);
  record.set_claim_within_days(rules.claim_within_days);
  record.set_clock_start(rules.clock_start);
  record.set_fee_base(rules.fee_base);
  for (pb::AllocationPart part : rules.allocation_order) record.add_allocation_order(part);
  for (const Date& day : rules.calendar.Holidays()) record.add_holidays(day.ToString());
  for (const Date& day : rules.calendar.Workdays()) record.add_workdays(day.ToString());
  record.set_backdate_allowance_days(rules.backdate_allowance_days);
  record.set_future_allowance_days(rules.future_allowance_days);
  record.set_reconcile_window_days(rules.reconcile_window_days);
  record.set_closure_months(rules.closure_months);
  // The default tiers are not written: records from before issue 19 are what replay writes.
  if (rules.approval_tiers != DefaultApprovalTiers()) {
    for (const ApprovalTier& tier : rules.approval_tiers) {
      pb::ApprovalTierRecord* stored = record.add_approval_tiers();
      stored->set_above_fen(tier.above_fen);
      for (pb::Role role : tier.roles) stored->add_roles(role);
    }
  }
  return record;
}

std::vector<pb::Role> ApprovalChain(const Rules& rules, int64_t amount_fen) {
  // set_rules keeps at least one tier, thresholds increasing.
  const ApprovalTier* chosen = &rules.approval_tiers.front();
  for (const ApprovalTier& tier : rules.approval_tiers) {
    if (amount_fen > tier.above_fen) chosen = &tier;
  }
  return chosen->roles;
}

}  // namespace caseledger
