// Proves the roles of SPEC §9 (issue 19): set_roles and its approval, who may record what once
// roles are set, local writes and --maintenance; every test's log replays to the same state.
#include "tests/core/roles_fixture.h"

namespace caseledger::engine_fixture {
namespace {

using EngineRolesTest = RolesTest;

TEST_F(EngineRolesTest, SetRolesWaitsForASecondAdministrator) {
  const Decision requested = Accept(CmdId("roles-1", "2024-03-01", "set_roles", Staff(), kAdminA));
  const pb::PendingApproval& pending = requested.outcome.pending_approval();
  EXPECT_EQ(pending.next_role(), pb::ROLE_ADMINISTRATOR);
  EXPECT_EQ(pending.steps_done(), 0);
  EXPECT_EQ(pending.steps(), 1);
  EXPECT_FALSE(Has(Table::kRoles, ""));
  // Until approved the ledger behaves as before: a local clerk opens a case.
  Accept(OpenCase());
  // The requester may not approve; nor may someone the request does not make an administrator.
  EXPECT_EQ(Reject(ApproveRequest("2024-03-01", "roles-1", kAdminA)), "NOT_PERMITTED");
  EXPECT_NE(last_error_.message().find("may not approve"), std::string::npos);
  EXPECT_EQ(RejectMessage(ApproveRequest("2024-03-01", "roles-1", kClerk)),
            "NOT_PERMITTED: operator clerk.wang (clerk) may not take the next step of request "
            "roles-1: it needs administrator");
  const Decision approved = Accept(ApproveRequest("2024-03-01", "roles-1", "ADMIN.B"));
  EXPECT_FALSE(approved.outcome.has_pending_approval());
  const pb::RolesRecord roles = Record<pb::RolesRecord>(Table::kRoles, "");
  EXPECT_EQ(roles.operators_size(), 8);
  EXPECT_EQ(roles.seq(), approved.seq);
  // From now on a local write is refused; through the server, a second approval is too late.
  EXPECT_EQ(Reject(ApproveRequest("2024-03-02", "roles-1", kAdminB)), "NOT_PERMITTED");
  origin_ = kAuthenticated;
  EXPECT_EQ(Reject(ApproveRequest("2024-03-02", "roles-1", kAdminB)), "INVALID_STATE");
}

TEST_F(EngineRolesTest, TheFirstSetRolesNamesTwoAdministrators) {
  const std::string one_admin = R"({"assignments": [)" + Assign(kAdminA, R"("administrator")") +
                                ", " + Assign(kClerk, R"("clerk")") + "]}";
  EXPECT_EQ(Reject(Cmd("2024-03-01", "set_roles", one_admin, kAdminA)), "INVALID_ARGUMENT");
  EXPECT_NE(last_error_.message().find("at least two"), std::string::npos);
  EXPECT_EQ(Reject(Cmd("2024-03-01", "set_roles", R"({"assignments": []})", kAdminA)),
            "INVALID_ARGUMENT");
  const std::string bad_role = R"({"assignments": [)" + Assign(kAdminA, R"("judge")") + "]}";
  EXPECT_EQ(RejectMessage(Cmd("2024-03-01", "set_roles", bad_role, kAdminA)),
            "INVALID_ARGUMENT: set_roles.assignments[0].roles[0]: must be one of administrator, "
            "auditor, bureau_head, clerk, court_leader, finance, manager");
  const std::string twice = R"({"assignments": [)" + Assign(kAdminA, R"("administrator")") + ", " +
                            Assign("Admin.A", R"("clerk")") + "]}";
  EXPECT_EQ(Reject(Cmd("2024-03-01", "set_roles", twice, kAdminA)), "INVALID_ARGUMENT");
}

TEST_F(EngineRolesTest, ANonAdministratorMayProposeTheFirstRolesAndANamedAdministratorApproves) {
  Accept(CmdId("roles-1", "2024-03-01", "set_roles", Staff(), "it.he"));
  Accept(ApproveRequest("2024-03-01", "roles-1", kAdminA));
  EXPECT_TRUE(Has(Table::kRoles, ""));
}

TEST_F(EngineRolesTest, ALocalWriteNeedsMaintenanceOnceRolesAreSet) {
  SetStaff();
  origin_ = Origin{};
  EXPECT_EQ(RejectMessage(OpenCase()),
            "NOT_PERMITTED: this ledger has roles: record open_case through the server "
            "(caseledgerd), or locally with apply --maintenance");
  origin_ = kMaintenance;
  const Decision opened = Accept(OpenCase());
  EXPECT_EQ(EntryAt(opened.seq).origin(), pb::ENTRY_ORIGIN_MAINTENANCE);
  // --maintenance lifts only the refusal of local writes: the operator's roles still apply.
  Accept(Receipt("2024-03-02", "10.00", "B1"));
  EXPECT_EQ(Reject(Cmd("2024-03-02", "refund",
                       R"({"case_no": ")" + std::string(kCase) +
                           R"(", "payee": "张某某", "amount": "1.00", "bank_ref": "R1", )"
                           R"("reason": "退款"})")),
            "NOT_PERMITTED");
  origin_ = kAuthenticated;
  EXPECT_EQ(EntryAt(Accept(Receipt("2024-03-02", "5.00", "B2")).seq).origin(),
            pb::ENTRY_ORIGIN_AUTHENTICATED);
}

TEST_F(EngineRolesTest, EachRoleRecordsOnlyItsOperations) {
  SetStaff();
  Accept(OpenCase());
  Accept(Receipt("2024-03-02", "1000.00", "B1"));
  const std::string refund = Cmd("2024-03-03", "refund",
                                 R"({"case_no": ")" + std::string(kCase) +
                                     R"(", "payee": "张某某", "amount": "1.00", )"
                                     R"("bank_ref": "R1", "reason": "退款"})");
  EXPECT_EQ(RejectMessage(refund),
            "NOT_PERMITTED: operator clerk.wang (clerk) may not record refund: it needs finance");
  Accept(Cmd("2024-03-03", "refund",
             R"({"case_no": ")" + std::string(kCase) +
                 R"(", "payee": "张某某", "amount": "1.00", "bank_ref": "R1", "reason": "退款"})",
             kFinance));
  // Finance records bank lines; a clerk opens cases and requests payments, finance does not.
  Accept(Cmd("2024-03-03", "bank_interest", R"({"amount": "2.00", "bank_ref": "I1"})", kFinance));
  EXPECT_EQ(Reject(Cmd("2024-03-03", "open_case", OpenCaseBody(kCase2), kFinance)),
            "NOT_PERMITTED");
  // An auditor never writes; an operator without roles neither.
  const std::string receipt_body = R"({"case_no": ")" + std::string(kCase) +
                                   R"(", "amount": "1.00", "bank_ref": "B2", "source": "other"})";
  EXPECT_EQ(RejectMessage(Cmd("2024-03-03", "receipt", receipt_body, kAuditor)),
            "NOT_PERMITTED: operator audit.qian (auditor) may not record receipt: it needs "
            "clerk, finance");
  EXPECT_EQ(RejectMessage(Cmd("2024-03-03", "open_case", OpenCaseBody(kCase2), "stranger.x")),
            "NOT_PERMITTED: operator stranger.x (no role) may not record open_case: it needs "
            "clerk");
  // Administrators set the rules and the roles; nobody else does.
  EXPECT_EQ(Reject(Cmd("2024-03-03", "set_rules", R"({"after_hold_days": 7})")), "NOT_PERMITTED");
  Accept(Cmd("2024-03-03", "set_rules", R"({"after_hold_days": 7})", kAdminA));
  EXPECT_EQ(Reject(Cmd("2024-03-03", "set_roles", Staff(), kManager)), "NOT_PERMITTED");
  // Approvers approve, but record nothing else.
  EXPECT_EQ(Reject(Cmd("2024-03-03", "open_case", OpenCaseBody(kCase2), kManager)),
            "NOT_PERMITTED");
}

TEST_F(EngineRolesTest, LaterRolesAreChangedByOneAdministratorAndApprovedByAnother) {
  SetStaff();
  const std::string promote = R"({"assignments": [)" + Assign(kClerk, R"("clerk", "manager")") +
                              ", " + Assign(kAuditor, "") + "]}";
  Accept(CmdId("roles-2", "2024-03-02", "set_roles", promote, kAdminA));
  // Pending: nothing changed yet.
  EXPECT_EQ(Reject(Cmd("2024-03-02", "open_case", OpenCaseBody(kCase2), kAuditor)),
            "NOT_PERMITTED");
  EXPECT_EQ(Reject(ApproveRequest("2024-03-02", "roles-2", kAdminA)), "NOT_PERMITTED");
  EXPECT_EQ(Reject(ApproveRequest("2024-03-02", "roles-2", kManager)), "NOT_PERMITTED");
  Accept(ApproveRequest("2024-03-02", "roles-2", kAdminB));
  const pb::RolesRecord roles = Record<pb::RolesRecord>(Table::kRoles, "");
  EXPECT_EQ(roles.operators_size(), 7);  // the auditor removed
  for (const auto& holder : roles.operators()) {
    if (holder.operator_() == kClerk) {
      EXPECT_EQ(holder.roles_size(), 2);
    }
  }
  // The ledger keeps two administrators: removing one is refused.
  EXPECT_EQ(RejectMessage(Cmd("2024-03-03", "set_roles",
                              R"({"assignments": [)" + Assign(kAdminB, "") + "]}", kAdminA)),
            "INVALID_ARGUMENT: set_roles: the roles would have 1 administrator(s); at least two "
            "are needed, one to request a change of roles and another to approve it");
}

TEST_F(EngineRolesTest, ApproveNamesAPendingRequest) {
  Accept(OpenCase());
  EXPECT_EQ(Reject(ApproveRequest("2024-03-01", "nothing", kAdminB)), "UNKNOWN_REFERENCE");
  EXPECT_EQ(Reject(ApproveRequest("2024-03-01", "auto-1", kAdminB)), "INVALID_STATE");
}

}  // namespace
}  // namespace caseledger::engine_fixture
