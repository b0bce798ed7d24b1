// Proves the approval steps of SPEC §9 (issue 19): once roles are set, holds, extensions,
// collective events and disbursements wait for approve steps by the roles approval_tiers names
// for their amount, in order, each by another person, none by the requester; finance confirms.
#include "core/movements.h"
#include "tests/core/roles_fixture.h"

namespace caseledger::engine_fixture {
namespace {

class EngineApprovalsTest : public RolesTest {
 protected:
  std::string HoldBody(std::string_view id, std::string_view amount) {
    return std::string(R"({"hold_id": ")") + std::string(id) + R"(", "case_no": ")" +
           std::string(kCase) + R"(", "ground": "frozen", "amount": ")" + std::string(amount) +
           R"("})";
  }
  std::string Step(std::string_view id, std::string_view approver) {
    return Cmd("2024-03-05", "approve_disbursement",
               std::string(R"({"disbursement_id": ")") + std::string(id) + R"("})", approver);
  }
  pb::PendingApproval PendingOf(const Decision& decision) {
    EXPECT_TRUE(decision.outcome.has_pending_approval());
    return decision.outcome.pending_approval();
  }
  // A second set_roles, approved: `who` gets `roles`.
  void Grant(std::string_view request_id, std::string_view who, std::string_view roles) {
    Accept(CmdId(request_id, "2024-03-02", "set_roles",
                 R"({"assignments": [)" + Assign(who, roles) + "]}", kAdminA));
    Accept(ApproveRequest("2024-03-02", request_id, kAdminB));
  }
  void OpenWithMoney(std::string_view amount) {
    Accept(OpenCase("2024-03-02", kCase, "5000000.00"));
    Accept(Receipt("2024-03-02", amount, "B-IN"));
  }
};

TEST_F(EngineApprovalsTest, WithoutRolesApprovedByIsStillRequired) {
  Accept(OpenCase());
  Accept(Receipt("2024-03-02", "100.00", "B1"));
  EXPECT_EQ(RejectMessage(Cmd("2024-03-03", "hold", HoldBody("h1", "10.00"))),
            "INVALID_ARGUMENT: hold.approved_by: is required");
  EXPECT_EQ(Accept(Hold("2024-03-03", "h1", "10.00")).outcome.has_pending_approval(), false);
}

TEST_F(EngineApprovalsTest, AHoldRecordedBeforeRolesIsRetriedAfterThemAsStored) {
  Accept(OpenCase("2024-02-01"));
  Accept(Receipt("2024-02-02", "100.00", "B1"));
  const std::string hold = CmdId("hold-0", "2024-02-03", "hold",
                                 R"({"hold_id": "h0", "case_no": ")" + std::string(kCase) +
                                     R"(", "ground": "frozen", "approved_by": "clerk.li"})");
  const Decision first = Accept(hold);
  SetStaff("2024-03-01");
  const Decision retry = Accept(hold);
  EXPECT_FALSE(retry.created);
  EXPECT_EQ(retry.seq, first.seq);
}

TEST_F(EngineApprovalsTest, ApprovedByInABodyIsRefusedOnceRolesAreSet) {
  SetStaff();
  OpenWithMoney("100.00");
  EXPECT_EQ(RejectMessage(Cmd("2024-03-03", "extend_deadline",
                              R"({"case_no": ")" + std::string(kCase) +
                                  R"(", "months": 3, "approved_by": "manager.sun"})")),
            "INVALID_ARGUMENT: extend_deadline.approved_by: this ledger has roles, so approvals "
            "are approve steps by the approvers; leave approved_by out");
  EXPECT_EQ(Reject(Cmd("2024-03-03", "collective_disbursement",
                       R"({"event_id": "E1", "title": "集中发放", "approved_by": "manager.sun", )"
                       R"("items": [{"case_no": ")" +
                           std::string(kCase) +
                           R"(", "payee": "c1", "amount": "5.00", "bank_ref": "P1"}]})")),
            "INVALID_ARGUMENT");
  // A request that could not take effect is refused at once, and records nothing.
  EXPECT_EQ(Reject(Cmd("2024-03-03", "hold", HoldBody("h1", "500.00"))), "INSUFFICIENT_FUNDS");
  // An administrator approves roles, not payments.
  Accept(CmdId("hold-1", "2024-03-03", "hold", HoldBody("h1", "50.00")));
  EXPECT_EQ(RejectMessage(ApproveRequest("2024-03-04", "hold-1", kAdminA)),
            "NOT_PERMITTED: operator admin.a (administrator) may not take the next step of "
            "request hold-1: it needs manager");
}

TEST_F(EngineApprovalsTest, AHoldBelowAMillionIsApprovedByAManagerThenABureauHead) {
  SetStaff();
  OpenWithMoney("5000.00");
  EXPECT_EQ(RejectMessage(Hold("2024-03-03", "h1", "10.00")),
            "INVALID_ARGUMENT: hold.approved_by: this ledger has roles, so approvals are approve "
            "steps by the approvers; leave approved_by out");
  const Decision requested = Accept(CmdId("hold-1", "2024-03-03", "hold", HoldBody("h1", "4000")));
  EXPECT_EQ(PendingOf(requested).next_role(), pb::ROLE_MANAGER);
  EXPECT_EQ(PendingOf(requested).steps(), 2);
  EXPECT_TRUE(EntryAt(requested.seq).postings().empty());
  EXPECT_FALSE(Has(Table::kHold, "h1"));
  EXPECT_EQ(FiguresOn("2024-03-03").held_fen, 0);
  // In order, by another person each, never the requester.
  EXPECT_EQ(RejectMessage(ApproveRequest("2024-03-04", "hold-1", kBureauHead)),
            "NOT_PERMITTED: operator head.zhou (bureau_head) may not take the next step of "
            "request hold-1: it needs manager");
  EXPECT_EQ(RejectMessage(ApproveRequest("2024-03-04", "hold-1", kClerk)),
            "NOT_PERMITTED: operator clerk.wang (clerk) may not record approve: it needs "
            "manager, bureau_head, court_leader, administrator");
  const Decision first = Accept(ApproveRequest("2024-03-04", "hold-1", kManager));
  EXPECT_EQ(PendingOf(first).next_role(), pb::ROLE_BUREAU_HEAD);
  EXPECT_EQ(PendingOf(first).steps_done(), 1);
  EXPECT_FALSE(Has(Table::kHold, "h1"));
  EXPECT_EQ(Reject(ApproveRequest("2024-03-04", "hold-1", kManager)), "NOT_PERMITTED");
  const Decision last = Accept(ApproveRequest("2024-03-05", "hold-1", kBureauHead));
  EXPECT_FALSE(last.outcome.has_pending_approval());
  EXPECT_EQ(last.outcome.amount_fen(), 400000);
  EXPECT_EQ(Record<pb::HoldRecord>(Table::kHold, "h1").amount_fen(), 400000);
  EXPECT_EQ(FiguresOn("2024-03-05").held_fen, 400000);
  EXPECT_EQ(Reject(ApproveRequest("2024-03-05", "hold-1", kLeader)), "INVALID_STATE");
}

TEST_F(EngineApprovalsTest, ADisbursementAboveAMillionNeedsTheCourtLeaderAndFinanceConfirms) {
  SetStaff();
  OpenWithMoney("1500000.00");
  const Decision requested =
      Accept(CmdId("req-1", "2024-03-03", "request_disbursement",
                   R"({"disbursement_id": "d1", "case_no": ")" + std::string(kCase) +
                       R"(", "payee": "c1", "amount": "1200000.00"})"));
  EXPECT_EQ(PendingOf(requested).next_role(), pb::ROLE_MANAGER);
  EXPECT_EQ(PendingOf(requested).steps(), 3);
  const std::string confirm = Cmd("2024-03-05", "confirm_disbursement",
                                  R"({"disbursement_id": "d1", "bank_ref": "P1"})", kFinance);
  EXPECT_EQ(Reject(confirm), "INVALID_STATE");
  Accept(Step("d1", kManager));
  // approve on the request's id takes the same steps.
  EXPECT_EQ(PendingOf(Accept(ApproveRequest("2024-03-05", "req-1", kBureauHead))).next_role(),
            pb::ROLE_COURT_LEADER);
  EXPECT_EQ(Reject(confirm), "INVALID_STATE");
  Accept(Step("d1", kLeader));
  const pb::DisbursementRecord approved =
      Record<pb::DisbursementRecord>(Table::kDisbursement, "d1");
  EXPECT_EQ(approved.status(), pb::DISBURSEMENT_STATUS_APPROVED);
  EXPECT_EQ(approved.approval().approvers_size(), 3);
  EXPECT_EQ(Reject(Confirm("2024-03-05", "d1", "P1")), "NOT_PERMITTED");  // a clerk
  Accept(confirm);
  EXPECT_EQ(FiguresOn("2024-03-05").disbursed_fen, 120000000);
}

TEST_F(EngineApprovalsTest, ADisbursementOfAMillionExactlyNeedsTwoSteps) {
  SetStaff();
  OpenWithMoney("2500000.00");
  EXPECT_EQ(PendingOf(Accept(Request("2024-03-03", "d1", "1000000.00"))).steps(), 2);
  EXPECT_EQ(PendingOf(Accept(Request("2024-03-03", "d2", "1000000.01", "c2"))).steps(), 3);
}

TEST_F(EngineApprovalsTest, OnePersonTakesOneStepOnly) {
  SetStaff();
  Grant("roles-2", kManager, R"("manager", "bureau_head")");
  OpenWithMoney("500.00");
  Accept(Request("2024-03-03", "d1", "100.00"));
  Accept(Step("d1", kManager));
  EXPECT_EQ(RejectMessage(Step("d1", kManager)),
            "NOT_PERMITTED: operator manager.sun already took a step of disbursement d1; each "
            "step is another person's");
  Accept(Step("d1", kBureauHead));
}

TEST_F(EngineApprovalsTest, TheRequesterMayNotApproveEvenWithTheRole) {
  SetStaff();
  Grant("roles-2", kChecker, R"("clerk", "manager")");
  OpenWithMoney("500.00");
  Accept(Cmd("2024-03-03", "request_disbursement",
             R"({"disbursement_id": "d1", "case_no": ")" + std::string(kCase) +
                 R"(", "payee": "c1", "amount": "100.00"})",
             kChecker));
  EXPECT_EQ(RejectMessage(Step("d1", kChecker)),
            "NOT_PERMITTED: operator clerk.li made disbursement d1 and may not approve it");
  Accept(Step("d1", kManager));
}

// refuse {target_request_id, reason}: the approver whose step is next ends a request instead.
// 500.00 received; d1 asks 100.00: available 500.00 - 100.00 reserved = 400.00. The bureau head
// refuses it at the second step: the 100.00 is free again (available 500.00), and d1 is over.
TEST_F(EngineApprovalsTest, ARefusedDisbursementReleasesItsMoneyAndTakesNoMoreSteps) {
  SetStaff();
  OpenWithMoney("500.00");
  Accept(CmdId("req-1", "2024-03-03", "request_disbursement",
               R"({"disbursement_id": "d1", "case_no": ")" + std::string(kCase) +
                   R"(", "payee": "c1", "amount": "100.00"})"));
  EXPECT_EQ(FiguresOn("2024-03-03").available_fen, 40000);
  const auto refuse = [&](std::string_view who, std::string_view reason) {
    return Cmd("2024-03-05", "refuse",
               std::string(R"({"target_request_id": "req-1", "reason": ")") + std::string(reason) +
                   R"("})",
               who);
  };
  EXPECT_EQ(RejectMessage(refuse(kManager, "")), "INVALID_ARGUMENT: refuse.reason: is empty");
  EXPECT_EQ(RejectMessage(refuse(kClerk, "x")),
            "NOT_PERMITTED: operator clerk.wang (clerk) may not record refuse: it needs "
            "manager, bureau_head, court_leader, administrator");
  EXPECT_EQ(RejectMessage(refuse(kBureauHead, "x")),
            "NOT_PERMITTED: operator head.zhou (bureau_head) may not refuse disbursement d1: its "
            "next step needs manager");
  Accept(Step("d1", kManager));
  EXPECT_EQ(RejectMessage(refuse(kManager, "x")),
            "NOT_PERMITTED: operator manager.sun already took a step of disbursement d1; each "
            "step is another person's");
  const Decision refused = Accept(refuse(kBureauHead, "收款人账户与判决书不符"));
  EXPECT_TRUE(EntryAt(refused.seq).postings().empty());
  const auto d1 = Record<pb::DisbursementRecord>(Table::kDisbursement, "d1");
  EXPECT_EQ(d1.status(), pb::DISBURSEMENT_STATUS_REFUSED);
  EXPECT_EQ(d1.approval().refused_seq(), refused.seq);
  EXPECT_EQ(d1.approval().refused_by(), kBureauHead);
  EXPECT_EQ(d1.approval().refusal_reason(), "收款人账户与判决书不符");
  EXPECT_EQ(d1.approval().approvers_size(), 1);
  EXPECT_EQ(FiguresOn("2024-03-05").available_fen, 50000);
  EXPECT_EQ(FiguresOn("2024-03-05").pending_fen, 0);
  // Over: no step, no second refusal, no payment, no bank failure.
  EXPECT_EQ(RejectMessage(Step("d1", kLeader)),
            "INVALID_STATE: disbursement d1 is not awaiting approval");
  EXPECT_EQ(Reject(refuse(kLeader, "x")), "INVALID_STATE");
  EXPECT_EQ(Reject(Cmd("2024-03-05", "confirm_disbursement",
                       R"({"disbursement_id": "d1", "bank_ref": "P1"})", kFinance)),
            "INVALID_STATE");
  EXPECT_EQ(Reject(Cmd("2024-03-05", "fail_disbursement",
                       R"({"disbursement_id": "d1", "reason": "x"})", kFinance)),
            "INVALID_STATE");
  // The money is free for another request, refused by its id as approve_disbursement names it.
  Accept(Request("2024-03-06", "d2", "500.00"));
  const std::string by_id = R"({"disbursement_id": "d2", "reason": "重复申请"})";
  EXPECT_EQ(RejectMessage(Cmd("2024-03-06", "refuse",
                              R"({"disbursement_id": "d2", "target_request_id": "req-1", )"
                              R"("reason": "x"})",
                              kManager)),
            "INVALID_ARGUMENT: refuse: name the request (target_request_id) or the disbursement "
            "(disbursement_id), one of the two");
  Accept(Cmd("2024-03-06", "refuse", by_id, kManager));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "d2").status(),
            pb::DISBURSEMENT_STATUS_REFUSED);
  EXPECT_EQ(FiguresOn("2024-03-06").available_fen, 50000);
}

// A hold refused at its first step never takes effect; its requester may not refuse it either.
TEST_F(EngineApprovalsTest, ARefusedRequestNeverTakesEffect) {
  SetStaff();
  Grant("roles-2", kChecker, R"("clerk", "manager")");
  OpenWithMoney("5000.00");
  const std::string request_id = "hold-1";
  Accept(CmdId(request_id, "2024-03-03", "hold", HoldBody("h1", "4000"), kChecker));
  const auto refuse = [&](std::string_view who) {
    return Cmd("2024-03-04", "refuse",
               R"({"target_request_id": ")" + request_id + R"(", "reason": "未冻结"})", who);
  };
  EXPECT_EQ(RejectMessage(refuse(kChecker)), "NOT_PERMITTED: operator clerk.li made request " +
                                                 request_id + " and may not refuse it");
  const Decision refused = Accept(refuse(kManager));
  EXPECT_FALSE(Has(Table::kHold, "h1"));
  EXPECT_EQ(FiguresOn("2024-03-04").held_fen, 0);
  EXPECT_EQ(RejectMessage(ApproveRequest("2024-03-05", request_id, kBureauHead)),
            "INVALID_STATE: request " + request_id + " was refused by entry " +
                std::to_string(refused.seq));
  EXPECT_EQ(Reject(refuse(kBureauHead)), "INVALID_STATE");
  EXPECT_EQ(RejectMessage(Cmd("2024-03-05", "refuse",
                              R"({"target_request_id": "nope", "reason": "x"})", kManager)),
            "UNKNOWN_REFERENCE: no request nope in the ledger");
}

TEST_F(EngineApprovalsTest, ACollectiveEventPaysAtItsLastStepAndReversesAsBefore) {
  SetStaff();
  OpenWithMoney("1000.00");
  const std::string body = R"({"event_id": "E1", "title": "集中发放", "items": [{"case_no": ")" +
                           std::string(kCase) +
                           R"(", "payee": "c1", "amount": "300.00", "bank_ref": "P-E1"}]})";
  EXPECT_EQ(PendingOf(Accept(CmdId("event-1", "2024-03-03", "collective_disbursement", body)))
                .next_role(),
            pb::ROLE_MANAGER);
  EXPECT_EQ(FiguresOn("2024-03-03").disbursed_fen, 0);
  EXPECT_EQ(Reject(Reverse("2024-03-03", "event-1")), "INVALID_STATE");
  Accept(ApproveRequest("2024-03-04", "event-1", kManager));
  const Decision paid = Accept(ApproveRequest("2024-03-04", "event-1", kBureauHead));
  const pb::Entry paid_entry = EntryAt(paid.seq);
  EXPECT_EQ(paid_entry.postings_size(), 2);
  // The step's entry says what it carried out, dated by the step: readers of money use it.
  EXPECT_EQ(paid_entry.carried_out().collective_disbursement().event_id(), "E1");
  EXPECT_EQ(paid_entry.carried_out().on(), "2024-03-04");
  EXPECT_EQ(paid_entry.carried_out().request_id(), "event-1");
  Result<std::vector<MoneyMovement>> movements = MovementsOf(paid.seq, paid_entry);
  ASSERT_TRUE(movements.ok());
  ASSERT_EQ(movements->size(), 1u);
  EXPECT_EQ((*movements)[0].op, pb::OPERATION_COLLECTIVE_DISBURSEMENT);
  EXPECT_EQ((*movements)[0].bank_ref, "P-E1");
  EXPECT_EQ((*movements)[0].on, Day("2024-03-04"));
  EXPECT_EQ(FiguresOn("2024-03-04").disbursed_fen, 30000);
  EXPECT_EQ(Record<pb::EventRecord>(Table::kEvent, "E1").seq(), paid.seq);
  Accept(Reverse("2024-03-05", "event-1"));
  EXPECT_EQ(FiguresOn("2024-03-05").disbursed_fen, 0);
}

TEST_F(EngineApprovalsTest, AnExtensionWaitsForItsSteps) {
  SetStaff();
  Accept(OpenCase("2024-03-02"));
  const std::string body = R"({"case_no": ")" + std::string(kCase) + R"(", "months": 3})";
  Accept(CmdId("ext-1", "2024-03-03", "extend_deadline", body));
  EXPECT_EQ(CaseOf().extensions_size(), 0);
  Accept(ApproveRequest("2024-03-04", "ext-1", kManager));
  Accept(ApproveRequest("2024-03-04", "ext-1", kBureauHead));
  EXPECT_EQ(CaseOf().extensions_size(), 1);
}

TEST_F(EngineApprovalsTest, ApprovalTiersAreRules) {
  SetStaff();
  EXPECT_EQ(Reject(Cmd("2024-03-02", "set_rules",
                       R"({"approval_tiers": [{"above": "10.00", "roles": ["manager"]},)"
                       R"( {"above": "5.00", "roles": ["bureau_head"]}]})",
                       kAdminA)),
            "INVALID_ARGUMENT");
  EXPECT_EQ(RejectMessage(Cmd("2024-03-02", "set_rules",
                              R"({"approval_tiers": [{"above": "0.00", "roles": ["auditor"]}]})",
                              kAdminA)),
            "INVALID_ARGUMENT: set_rules.approval_tiers[0].roles[0]: auditor takes no approval "
            "step of a payment");
  Accept(Cmd("2024-03-02", "set_rules",
             R"({"approval_tiers": [{"above": "0.00", "roles": ["manager"]},)"
             R"( {"above": "100.00", "roles": ["bureau_head", "court_leader"]}]})",
             kAdminA));
  OpenWithMoney("500.00");
  EXPECT_EQ(PendingOf(Accept(Request("2024-03-03", "d1", "100.00"))).steps(), 1);
  const Decision larger = Accept(Request("2024-03-03", "d2", "100.01", "c2"));
  EXPECT_EQ(PendingOf(larger).next_role(), pb::ROLE_BUREAU_HEAD);
  Accept(Step("d1", kManager));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "d1").status(),
            pb::DISBURSEMENT_STATUS_APPROVED);
}

std::string ChangeBody(std::string_view party_id, std::string_view account) {
  return R"({"case_no": ")" + std::string(kCase) + R"(", "party_id": ")" + std::string(party_id) +
         R"(", "account": ")" + std::string(account) + R"(", "reason": "开户行变更"})";
}

TEST_F(EngineApprovalsTest, WithoutRolesAChangeOfPayeeAccountTakesEffectAtOnce) {
  Accept(OpenCase());
  Accept(Receipt("2024-03-02", "100.00", "B1"));
  Accept(Cmd("2024-03-02", "change_payee_account", ChangeBody("c1", "6222000033334444")));
  EXPECT_EQ(CaseOf().payee_accounts_size(), 1);
  Accept(Request("2024-03-03", "d1", "10.00"));
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "d1").account(),
            "6222000033334444");
  // Only a creditor of the case has a payee account; the message names no account.
  EXPECT_EQ(RejectMessage(
                Cmd("2024-03-03", "change_payee_account", ChangeBody("d1", "6222000033334444"))),
            "UNKNOWN_REFERENCE: party d1 is not a creditor of case (2024)甘0102执1号");
  EXPECT_EQ(Reject(Cmd("2024-03-03", "change_payee_account", ChangeBody("c1", "62220000x"))),
            "INVALID_ARGUMENT");
}

TEST_F(EngineApprovalsTest, APaymentToAnUnregisteredAccountNeedsTheCourtLeader) {
  SetStaff();
  OpenWithMoney("1000.00");
  const std::string elsewhere = R"({"disbursement_id": "d1", "case_no": ")" + std::string(kCase) +
                                R"(", "payee": "c1", "amount": "10.00", )"
                                R"("account": "6222999988887777"})";
  const Decision unregistered = Accept(Cmd("2024-03-03", "request_disbursement", elsewhere));
  EXPECT_EQ(PendingOf(unregistered).steps(), 3);
  EXPECT_EQ(Record<pb::DisbursementRecord>(Table::kDisbursement, "d1").approval().chain(2),
            pb::ROLE_COURT_LEADER);
  EXPECT_EQ(PendingOf(Accept(Request("2024-03-03", "d2", "10.00"))).steps(), 2);
  // The change waits for its steps like a hold, then the account is the registered one.
  const Decision change = Accept(
      CmdId("chg-1", "2024-03-03", "change_payee_account", ChangeBody("c1", "6222999988887777")));
  EXPECT_EQ(PendingOf(change).steps(), 2);
  EXPECT_EQ(CaseOf().payee_accounts_size(), 0);
  Accept(ApproveRequest("2024-03-04", "chg-1", kManager));
  Accept(ApproveRequest("2024-03-04", "chg-1", kBureauHead));
  EXPECT_EQ(CaseOf().payee_accounts_size(), 1);
  EXPECT_EQ(PendingOf(Accept(Cmd("2024-03-04", "request_disbursement",
                                 R"({"disbursement_id": "d3", "case_no": ")" + std::string(kCase) +
                                     R"(", "payee": "c1", "amount": "10.00", )"
                                     R"("account": "6222999988887777"})")))
                .steps(),
            2);
  // An event item paying an unregistered account brings the court leader into its chain.
  const std::string event = R"({"event_id": "E1", "title": "集中发放", "items": [{"case_no": ")" +
                            std::string(kCase) +
                            R"(", "payee": "c2", "amount": "5.00", "bank_ref": "P-E1", )"
                            R"("account": "6222000055556666"}]})";
  const Decision pending = Accept(Cmd("2024-03-04", "collective_disbursement", event));
  EXPECT_EQ(PendingOf(pending).steps(), 3);
}

}  // namespace
}  // namespace caseledger::engine_fixture
