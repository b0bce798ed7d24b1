// set_rules: the configurable values of RULES.md, as a ledger entry that applies from its date.
#include <set>

#include "core/engine_internal.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

Status CheckRange(const char* field, int value, int low, int high) {
  if (value < low || value > high) {
    return Status::InvalidArgument(std::string("set_rules.") + field + ": must be " +
                                   std::to_string(low) + " to " + std::to_string(high));
  }
  return Status::Ok();
}

Status SetDays(const pb::SetRules& set, Rules* rules) {
  struct Field {
    const char* name;
    bool has;
    int value;
    int low, high;
    int* target;
  };
  const Field fields[] = {
      {"disburse_within_days", set.has_disburse_within_days(), set.disburse_within_days(), 1, 365,
       &rules->disburse_within_days},
      {"after_hold_days", set.has_after_hold_days(), set.after_hold_days(), 0, 365,
       &rules->after_hold_days},
      {"claim_within_days", set.has_claim_within_days(), set.claim_within_days(), 0, 365,
       &rules->claim_within_days},
      {"backdate_allowance_days", set.has_backdate_allowance_days(), set.backdate_allowance_days(),
       0, 3650, &rules->backdate_allowance_days},
      {"future_allowance_days", set.has_future_allowance_days(), set.future_allowance_days(), 0,
       3650, &rules->future_allowance_days},
      {"reconcile_window_days", set.has_reconcile_window_days(), set.reconcile_window_days(), 0, 31,
       &rules->reconcile_window_days},
      {"closure_months", set.has_closure_months(), set.closure_months(), 1, 120,
       &rules->closure_months},
  };
  for (const Field& field : fields) {
    if (!field.has) continue;
    CASELEDGER_RETURN_IF_ERROR(CheckRange(field.name, field.value, field.low, field.high));
    *field.target = field.value;
  }
  return Status::Ok();
}

// A permutation of the four parts, each named once, or nullopt.
std::optional<std::vector<pb::AllocationPart>> AllocationOrder(
    const google::protobuf::RepeatedPtrField<std::string>& texts) {
  std::vector<pb::AllocationPart> order;
  std::set<pb::AllocationPart> seen;
  for (const std::string& text : texts) {
    const std::optional<pb::AllocationPart> part = FromWireName<pb::AllocationPart>(text);
    if (!part || !seen.insert(*part).second) return std::nullopt;
    order.push_back(*part);
  }
  if (order.size() != NameTable<pb::AllocationPart>::kNames.size()) return std::nullopt;
  return order;
}

Status SetChoices(const pb::SetRules& set, Rules* rules) {
  if (set.has_clock_start()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        rules->clock_start, ParseName<pb::ClockStart>(set.clock_start(), "set_rules.clock_start"));
  }
  if (set.has_fee_base()) {
    CASELEDGER_ASSIGN_OR_RETURN(rules->fee_base,
                                ParseName<pb::FeeBase>(set.fee_base(), "set_rules.fee_base"));
  }
  if (!set.allocation_order().empty()) {
    std::optional<std::vector<pb::AllocationPart>> order = AllocationOrder(set.allocation_order());
    if (!order) {
      return Status::InvalidArgument(
          "set_rules.allocation_order: must list fee, ordinary_interest, claim and "
          "delay_interest, each once, in the order money pays them");
    }
    rules->allocation_order = std::move(*order);
  }
  return Status::Ok();
}

Status ParseDates(const google::protobuf::RepeatedPtrField<std::string>& texts,
                  const std::string& path, std::vector<Date>* dates) {
  for (int i = 0; i < texts.size(); ++i) {
    CASELEDGER_ASSIGN_OR_RETURN(Date day,
                                Date::ParseInput(texts[i], path + "[" + std::to_string(i) + "]"));
    dates->push_back(day);
  }
  return Status::Ok();
}

Status SetCalendar(const pb::SetRules& set, Rules* rules) {
  std::vector<Date> holidays, workdays;
  CASELEDGER_RETURN_IF_ERROR(ParseDates(set.holidays(), "set_rules.holidays", &holidays));
  CASELEDGER_RETURN_IF_ERROR(ParseDates(set.workdays(), "set_rules.workdays", &workdays));
  const std::set<Date> holiday_set(holidays.begin(), holidays.end());
  for (const Date& day : workdays) {
    if (holiday_set.contains(day)) {
      return Status::InvalidArgument("set_rules.workdays: " + day.ToString() +
                                     " is also listed as a holiday");
    }
    if (day.weekday() <= 5) {
      return Status::InvalidArgument("set_rules.workdays: " + day.ToString() +
                                     " is a weekday; list only weekend days worked");
    }
  }
  // The lists replace those of the years they name, and only those (SPEC §2).
  if (!holidays.empty() || !workdays.empty()) rules->calendar.Replace(holidays, workdays);
  return Status::Ok();
}

// SPEC §9 approval_tiers: thresholds increasing, each tier at least one role that approves
// (neither auditor nor administrator: they take no payment's step).
Status SetApprovalTiers(const pb::SetRules& set, Rules* rules) {
  if (set.approval_tiers().empty()) return Status::Ok();
  std::vector<ApprovalTier> tiers;
  for (int i = 0; i < set.approval_tiers_size(); ++i) {
    const pb::ApprovalTier& tier = set.approval_tiers(i);
    const std::string path = "set_rules.approval_tiers[" + std::to_string(i) + "]";
    CASELEDGER_ASSIGN_OR_RETURN(
        Fen above, ParseAmount(tier.above(), path + ".above", AmountKind::kZeroAllowed));
    if (!tiers.empty() && above <= Fen(tiers.back().above_fen)) {
      return Status::InvalidArgument(path + ".above: thresholds must increase");
    }
    ApprovalTier parsed{ToStored(above), {}};
    for (int j = 0; j < tier.roles_size(); ++j) {
      const std::string role_path = path + ".roles[" + std::to_string(j) + "]";
      CASELEDGER_ASSIGN_OR_RETURN(pb::Role role, ParseName<pb::Role>(tier.roles(j), role_path));
      if (role == pb::ROLE_AUDITOR || role == pb::ROLE_ADMINISTRATOR) {
        return Status::InvalidArgument(role_path + ": " + tier.roles(j) +
                                       " takes no approval step of a payment");
      }
      parsed.roles.push_back(role);
    }
    if (parsed.roles.empty()) {
      return Status::InvalidArgument(path + ".roles: must name at least one role");
    }
    tiers.push_back(std::move(parsed));
  }
  rules->approval_tiers = std::move(tiers);
  return Status::Ok();
}

}  // namespace

Status SetRulesOp(Op* op) {
  const pb::SetRules& set = op->command().set_rules();
  Rules rules = op->context().rules;
  CASELEDGER_RETURN_IF_ERROR(SetDays(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(SetChoices(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(SetCalendar(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(SetApprovalTiers(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  pb::RulesRecord record = RecordFromRules(rules);
  record.set_since(op->on().ToString());
  record.set_seq(op->seq());
  op->tx()->PutMessage(Table::kRules, "", record);
  return Status::Ok();
}

}  // namespace caseledger::engine
