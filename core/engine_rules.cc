// set_rules: the configurable values of RULES.md, as a ledger entry that applies from its date.
#include <set>

#include "core/engine_internal.h"

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

Status SetChoices(const pb::SetRules& set, Rules* rules) {
  if (set.has_clock_start()) {
    if (set.clock_start() != "notice" && set.clock_start() != "value_date") {
      return Status::InvalidArgument("set_rules.clock_start: must be notice or value_date");
    }
    rules->clock_start = set.clock_start();
  }
  if (set.has_fee_base()) {
    if (set.fee_base() != "claim" && set.fee_base() != "recovered") {
      return Status::InvalidArgument("set_rules.fee_base: must be claim or recovered");
    }
    rules->fee_base = set.fee_base();
  }
  if (!set.allocation_order().empty()) {
    const std::set<std::string> names(set.allocation_order().begin(), set.allocation_order().end());
    const std::set<std::string> expected = {"fee", "ordinary_interest", "claim", "delay_interest"};
    if (names != expected || set.allocation_order_size() != 4) {
      return Status::InvalidArgument(
          "set_rules.allocation_order: must list fee, ordinary_interest, claim and "
          "delay_interest, each once, in the order money pays them");
    }
    rules->allocation_order.assign(set.allocation_order().begin(), set.allocation_order().end());
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

}  // namespace

Status SetRulesOp(Op* op) {
  const pb::SetRules& set = op->command().set_rules();
  Rules rules = op->context().rules;
  CASELEDGER_RETURN_IF_ERROR(SetDays(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(SetChoices(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(SetCalendar(set, &rules));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  pb::RulesRecord record = RecordFromRules(rules);
  record.set_since(op->on().ToString());
  record.set_seq(op->seq());
  op->tx()->PutMessage(Table::kRules, "", record);
  return Status::Ok();
}

}  // namespace caseledger::engine
