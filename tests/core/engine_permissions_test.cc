// Proves that the roles table of SPEC §9 in the engine is the README's, operation by operation:
// each role may record exactly the operations its row lists; an auditor records nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "core/engine_internal.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

// The README's table ("Roles and approvals (issue 19)"), written out again by hand.
const std::map<pb::Role, std::set<std::string>>& Table() {
  static const auto* table = new std::map<pb::Role, std::set<std::string>>{
      {pb::ROLE_CLERK,
       {"change_payee_account",
        "open_case",
        "receipt",
        "unidentified_receipt",
        "claim",
        "reassign_receipt",
        "direct_performance",
        "settle_in_kind",
        "transfer_preserved",
        "hold",
        "release_hold",
        "request_disbursement",
        "distribute",
        "collective_disbursement",
        "lodge",
        "reverse",
        "suspend_case",
        "resume_case",
        "extend_deadline",
        "close_case",
        "restore_case",
        "list_defaulter",
        "delist_defaulter",
        "restrict_consumption",
        "lift_restriction"}},
      {pb::ROLE_FINANCE,
       {"receipt", "unidentified_receipt", "confirm_disbursement", "fail_disbursement",
        "charge_fee", "pay_costs", "refund", "refund_unidentified", "remit_fees", "remit_treasury",
        "pay_lodgment", "relief_payment", "bank_interest", "bank_charge", "remit_interest",
        "reimburse_charges", "reverse"}},
      {pb::ROLE_MANAGER, {"approve", "approve_disbursement", "refuse"}},
      {pb::ROLE_BUREAU_HEAD, {"approve", "approve_disbursement", "refuse"}},
      {pb::ROLE_COURT_LEADER, {"approve", "approve_disbursement", "refuse"}},
      {pb::ROLE_ADMINISTRATOR, {"set_rules", "set_roles", "approve", "refuse"}},
      {pb::ROLE_AUDITOR, {}},
  };
  return *table;
}

TEST(PermissionsTest, EveryRoleMayRecordExactlyItsRowOfTheTable) {
  int checked = 0;
  for (const auto& role : NameTable<pb::Role>::kNames) {
    const std::set<std::string>& allowed = Table().at(role.value);
    for (const auto& op : NameTable<pb::Operation>::kNames) {
      EXPECT_EQ(RoleMayRecord(role.value, op.value), allowed.contains(std::string(op.wire)))
          << role.wire << " " << op.wire;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 7 * 45);
}

TEST(PermissionsTest, EveryOperationIsSomeonesAndTheTableNamesOnlyOperations) {
  std::set<std::string> someones;
  for (const auto& [role, operations] : Table())
    someones.insert(operations.begin(), operations.end());
  for (const auto& op : NameTable<pb::Operation>::kNames) {
    // refusal is caseledgerd's own record (origin server), no role's.
    if (op.value == pb::OPERATION_REFUSAL) {
      EXPECT_FALSE(someones.contains(std::string(op.wire)));
      continue;
    }
    EXPECT_TRUE(someones.contains(std::string(op.wire))) << op.wire << " is nobody's";
    someones.erase(std::string(op.wire));
  }
  EXPECT_TRUE(someones.empty()) << *someones.begin();
  EXPECT_FALSE(RoleMayRecord(pb::ROLE_CLERK, pb::OPERATION_UNSPECIFIED));
}

}  // namespace
}  // namespace caseledger::engine
