// Roles and approvals (SPEC §9, issue 19): who may record what once set_roles has been approved,
// and approve, the steps by which a pending request takes effect.
#include <algorithm>
#include <map>
#include <set>

#include "core/command_json.h"
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/names.h"
#include "core/reports.h"

namespace caseledger::engine {
namespace {

constexpr uint32_t Bit(pb::Role role) { return uint32_t{1} << static_cast<int>(role); }
constexpr uint32_t kClerk = Bit(pb::ROLE_CLERK);
constexpr uint32_t kFinance = Bit(pb::ROLE_FINANCE);
constexpr uint32_t kAdministrator = Bit(pb::ROLE_ADMINISTRATOR);
// The roles that take approval steps (approval_tiers names them).
constexpr uint32_t kApprovers =
    Bit(pb::ROLE_MANAGER) | Bit(pb::ROLE_BUREAU_HEAD) | Bit(pb::ROLE_COURT_LEADER);

// Who may record each operation once roles are set: the README's table, in the order of
// Operation (checked below). `auditor` is in no row: an auditor never writes.
struct Permission {
  pb::Operation op;
  uint32_t roles;
};
using O = pb::Operation;
constexpr std::array<Permission, 45> kPermissions = {{
    {O::OPERATION_OPEN_CASE, kClerk},
    {O::OPERATION_RECEIPT, kClerk | kFinance},
    {O::OPERATION_UNIDENTIFIED_RECEIPT, kClerk | kFinance},
    {O::OPERATION_CLAIM, kClerk},
    {O::OPERATION_REFUND_UNIDENTIFIED, kFinance},
    {O::OPERATION_HOLD, kClerk},
    {O::OPERATION_RELEASE_HOLD, kClerk},
    {O::OPERATION_REQUEST_DISBURSEMENT, kClerk},
    {O::OPERATION_APPROVE_DISBURSEMENT, kApprovers},
    {O::OPERATION_CONFIRM_DISBURSEMENT, kFinance},
    {O::OPERATION_FAIL_DISBURSEMENT, kFinance},
    {O::OPERATION_CHARGE_FEE, kFinance},
    {O::OPERATION_PAY_COSTS, kFinance},
    {O::OPERATION_REMIT_FEES, kFinance},
    {O::OPERATION_REFUND, kFinance},
    {O::OPERATION_LODGE, kClerk},
    {O::OPERATION_PAY_LODGMENT, kFinance},
    {O::OPERATION_REMIT_TREASURY, kFinance},
    {O::OPERATION_REVERSE, kClerk | kFinance},
    {O::OPERATION_CLOSE_CASE, kClerk},
    {O::OPERATION_SET_RULES, kAdministrator},
    {O::OPERATION_SUSPEND_CASE, kClerk},
    {O::OPERATION_RESUME_CASE, kClerk},
    {O::OPERATION_EXTEND_DEADLINE, kClerk},
    {O::OPERATION_RESTORE_CASE, kClerk},
    {O::OPERATION_COLLECTIVE_DISBURSEMENT, kClerk},
    {O::OPERATION_DISTRIBUTE, kClerk},
    {O::OPERATION_LIST_DEFAULTER, kClerk},
    {O::OPERATION_DELIST_DEFAULTER, kClerk},
    {O::OPERATION_RESTRICT_CONSUMPTION, kClerk},
    {O::OPERATION_LIFT_RESTRICTION, kClerk},
    {O::OPERATION_REASSIGN_RECEIPT, kClerk},
    {O::OPERATION_DIRECT_PERFORMANCE, kClerk},
    {O::OPERATION_SETTLE_IN_KIND, kClerk},
    {O::OPERATION_RELIEF_PAYMENT, kFinance},
    {O::OPERATION_TRANSFER_PRESERVED, kClerk},
    {O::OPERATION_BANK_INTEREST, kFinance},
    {O::OPERATION_BANK_CHARGE, kFinance},
    {O::OPERATION_REMIT_INTEREST, kFinance},
    {O::OPERATION_REIMBURSE_CHARGES, kFinance},
    {O::OPERATION_SET_ROLES, kAdministrator},
    {O::OPERATION_APPROVE, kApprovers | kAdministrator},
    {O::OPERATION_CHANGE_PAYEE_ACCOUNT, kClerk},
    {O::OPERATION_REFUSAL, 0},  // caseledgerd's own record, no role's (RefusalOp)
    {O::OPERATION_REFUSE, kApprovers | kAdministrator},
}};

constexpr bool PermissionsInOrder() {
  if (kPermissions.size() != NameTable<pb::Operation>::kNames.size()) return false;
  for (size_t i = 0; i < kPermissions.size(); ++i) {
    if (kPermissions[i].op != NameTable<pb::Operation>::kNames[i].value) return false;
  }
  return true;
}
static_assert(PermissionsInOrder(), "every operation has its row, in Operation's order");

// "clerk, finance" (wire names, in Role's order); "no role" when there is none.
std::string RoleList(uint32_t roles) {
  std::string text;
  for (const auto& name : NameTable<pb::Role>::kNames) {
    if ((roles & Bit(name.value)) == 0) continue;
    if (!text.empty()) text += ", ";
    text += name.wire;
  }
  return text.empty() ? "no role" : text;
}

uint32_t RolesOf(const pb::RolesRecord& record, std::string_view operator_name) {
  uint32_t roles = 0;
  for (const auto& holder : record.operators()) {
    if (!SameOperator(holder.operator_(), operator_name)) continue;
    for (int role : holder.roles()) roles |= Bit(static_cast<pb::Role>(role));
  }
  return roles;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status CheckAssignments(const pb::SetRoles& set) {
  if (set.assignments().empty()) {
    return Status::InvalidArgument("set_roles.assignments: must name at least one operator");
  }
  std::set<std::string> operators;
  for (int i = 0; i < set.assignments_size(); ++i) {
    const pb::RoleAssignment& assignment = set.assignments(i);
    const std::string path = "set_roles.assignments[" + std::to_string(i) + "]";
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(assignment.operator_(), path + ".operator", IdKind::kOperator));
    if (!operators.insert(Lower(assignment.operator_())).second) {
      return Status::InvalidArgument(path + ".operator: " + assignment.operator_() +
                                     " is named twice");
    }
    std::set<pb::Role> roles;
    for (int j = 0; j < assignment.roles_size(); ++j) {
      const std::string role_path = path + ".roles[" + std::to_string(j) + "]";
      CASELEDGER_ASSIGN_OR_RETURN(pb::Role role,
                                  ParseName<pb::Role>(assignment.roles(j), role_path));
      if (!roles.insert(role).second) {
        return Status::InvalidArgument(role_path + ": " + assignment.roles(j) + " is listed twice");
      }
    }
  }
  return Status::Ok();
}

bool IsAdministrator(const pb::OperatorRoles& holder) {
  for (int role : holder.roles()) {
    if (role == pb::ROLE_ADMINISTRATOR) return true;
  }
  return false;
}

// The roles after `set` (already checked) applies to `current`; at least two administrators
// must remain, one to request each later change of roles and another to approve it.
Status MergeRoles(const pb::RolesRecord& current, const pb::SetRoles& set,
                  pb::RolesRecord* merged) {
  std::map<std::string, pb::OperatorRoles> by_name;
  for (const auto& holder : current.operators()) by_name[Lower(holder.operator_())] = holder;
  for (const auto& assignment : set.assignments()) {
    const std::string key = Lower(assignment.operator_());
    by_name.erase(key);
    if (assignment.roles().empty()) continue;  // an empty list removes the operator
    pb::OperatorRoles& holder = by_name[key];
    holder.set_operator_(assignment.operator_());
    std::set<pb::Role> roles;
    for (const auto& text : assignment.roles()) roles.insert(*FromWireName<pb::Role>(text));
    for (pb::Role role : roles) holder.add_roles(role);
  }
  if (by_name.size() > kOperatorsWithRolesMax) {
    return Status::InvalidArgument("set_roles: more than " +
                                   std::to_string(kOperatorsWithRolesMax) +
                                   " operators would hold roles");
  }
  const auto administrators = std::count_if(
      by_name.begin(), by_name.end(), [](const auto& kv) { return IsAdministrator(kv.second); });
  if (administrators < 2) {
    return Status::InvalidArgument(
        "set_roles: the roles would have " + std::to_string(administrators) +
        " administrator(s); at least two are needed, one to request a change of roles and "
        "another to approve it");
  }
  merged->clear_operators();
  for (auto& [key, holder] : by_name) *merged->add_operators() = holder;
  return Status::Ok();
}

// Who refused a request, why, and in which entry: the end of its approval.
void NoteRefusal(Op* op, pb::ApprovalRecord* approval) {
  approval->set_refused_seq(op->seq());
  approval->set_refused_by(op->command().operator_());
  approval->set_refusal_reason(op->command().refuse().reason());
}

// A request approve names: its request record and its command.
struct Pending {
  std::string request_id;
  pb::RequestRecord request;
  pb::Command command;
};

// The request an approve or a refuse names.
Status LoadRequest(Op* op, Pending* pending) {
  const bool refuse = op->command().has_refuse();
  pending->request_id = refuse ? op->command().refuse().target_request_id()
                               : op->command().approve().target_request_id();
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(
      pending->request_id, refuse ? "refuse.target_request_id" : "approve.target_request_id",
      IdKind::kRequestId));
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kRequest, pending->request_id, &pending->request, &found));
  if (!found) {
    return {Code::kUnknownReference, "no request " + pending->request_id + " in the ledger"};
  }
  std::string bytes;
  pb::Entry entry;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->ReadEntry(pending->request.seq(), &bytes, &found));
  if (!found || !entry.ParseFromString(bytes)) {
    return Status::Corruption("entry " + std::to_string(pending->request.seq()) + " is missing");
  }
  pending->command = entry.command();
  return op->CheckNotBefore(pending->command.on(), "request " + pending->request_id);
}

Status CheckWaiting(const Pending& pending) {
  if (!pending.request.has_approval()) {
    return {Code::kInvalidState, "request " + pending.request_id + " does not wait for approval"};
  }
  if (pending.request.approval().has_refused_seq()) {
    return {Code::kInvalidState, "request " + pending.request_id + " was refused by entry " +
                                     std::to_string(pending.request.approval().refused_seq())};
  }
  if (pending.request.approval().has_done_seq()) {
    return {Code::kInvalidState, "request " + pending.request_id +
                                     " was approved in full by entry " +
                                     std::to_string(pending.request.approval().done_seq())};
  }
  return Status::Ok();
}

// The roles a step is judged by: those in force, or for the first set_roles of a ledger the
// roles it names (one of its administrators approves it).
Status StepRoles(Op* op, const pb::Command& request, pb::RolesRecord* roles) {
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(LoadRoles(op->tx(), roles, &found));
  if (found || !request.has_set_roles()) return Status::Ok();
  return MergeRoles(pb::RolesRecord(), request.set_roles(), roles);
}

// Maker and checker differ, each step is another person's, and the approver holds the role
// the next step needs. `what` names the request ("request r1", "disbursement d1").
// A refusal is judged as the step it takes the place of.
Status CheckStep(const std::string& approver, const std::string& requester,
                 const pb::ApprovalRecord& approval, const pb::RolesRecord& roles,
                 const std::string& what, Step step) {
  if (SameOperator(approver, requester)) {
    return {Code::kNotPermitted, "operator " + approver + " made " + what + " and may not " +
                                     (step == Step::kRefuse ? "refuse" : "approve") + " it"};
  }
  for (const std::string& earlier : approval.approvers()) {
    if (SameOperator(approver, earlier)) {
      return {Code::kNotPermitted, "operator " + approver + " already took a step of " + what +
                                       "; each step is another person's"};
    }
  }
  const pb::Role next = approval.chain(approval.approvers_size());
  const uint32_t held = RolesOf(roles, approver);
  if ((held & Bit(next)) != 0) return Status::Ok();
  const std::string who = "operator " + approver + " (" + RoleList(held) + ") may not ";
  if (step == Step::kRefuse) {
    return {Code::kNotPermitted,
            who + "refuse " + what + ": its next step needs " + RoleList(Bit(next))};
  }
  return {Code::kNotPermitted,
          who + "take the next step of " + what + ": it needs " + RoleList(Bit(next))};
}

// The request approved in full takes effect in the entry of its last step.
Status CarryOut(Op* op, const Pending& pending) {
  if (WaitsForApproval(pending.command)) {
    // Decided again now, on the state as it stands, as if its requester recorded it today.
    pb::Command carried = pending.command;
    carried.set_on(op->on().ToString());
    op->NoteCarriedOut(carried);
    op->ActFor(&carried);
    const Status status = Dispatch(op);
    op->ActFor(nullptr);
    return status;
  }
  if (!pending.command.has_set_roles()) {
    return Status::Corruption("request " + pending.request_id + " waits for an unknown approval");
  }
  pb::RolesRecord current;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(LoadRoles(op->tx(), &current, &found));
  pb::RolesRecord merged;
  CASELEDGER_RETURN_IF_ERROR(MergeRoles(current, pending.command.set_roles(), &merged));
  merged.set_since(op->on().ToString());
  merged.set_seq(op->seq());
  op->tx()->PutMessage(Table::kRoles, "", merged);
  return Status::Ok();
}

// What a request's approval tier is chosen by: the amount it holds (hold) or pays out
// (collective_disbursement, the bank's credits), 0 for an extension.
int64_t ApprovalAmount(const pb::Entry& decided) {
  if (decided.outcome().has_amount_fen()) return decided.outcome().amount_fen();
  int64_t paid_fen = 0;
  for (const auto& posting : decided.postings()) {
    if (posting.account() == "bank" && posting.amount_fen() < 0) {
      paid_fen = ToStored(Fen(paid_fen) - posting.amount_fen());
    }
  }
  return paid_fen;
}

// The steps of a request of `amount_fen`; a payment to an account other than the payee's
// registered one also needs the court leader (SPEC §9), last unless the tier names them.
pb::ApprovalRecord ChainFor(const Rules& rules, int64_t amount_fen, bool unregistered_account) {
  pb::ApprovalRecord approval;
  bool leader = false;
  for (pb::Role role : ApprovalChain(rules, amount_fen)) {
    approval.add_chain(role);
    leader = leader || role == pb::ROLE_COURT_LEADER;
  }
  if (unregistered_account && !leader) approval.add_chain(pb::ROLE_COURT_LEADER);
  return approval;
}

// Whether an item of a collective event pays an account other than its payee's registered one.
Status PaysUnregisteredAccount(Op* op, const pb::Command& command, bool* unregistered) {
  *unregistered = false;
  if (!command.has_collective_disbursement()) return Status::Ok();
  for (const auto& item : command.collective_disbursement().items()) {
    if (!item.has_account()) continue;
    pb::CaseRecord record;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kCase, item.case_no(), &record, &found));
    if (!found || RegisteredAccount(record, item.payee()) != item.account()) *unregistered = true;
  }
  return Status::Ok();
}

}  // namespace

void SetPendingOutcome(const pb::ApprovalRecord& approval, pb::Outcome* outcome) {
  pb::PendingApproval* pending = outcome->mutable_pending_approval();
  pending->set_next_role(approval.chain(approval.approvers_size()));
  pending->set_steps_done(approval.approvers_size());
  pending->set_steps(approval.chain_size());
}

bool WaitsForApproval(const pb::Command& command) {
  return command.has_hold() || command.has_extend_deadline() ||
         command.has_collective_disbursement() || command.has_change_payee_account();
}

Status DeferForApproval(Op* op) {
  // Decided now on a copy of the state that is thrown away: a request that could not take
  // effect is refused at once, and its amount chooses the approval tier.
  Transaction trial_tx(op->tx());
  Op trial(op->command(), op->context(), &trial_tx, op->on());
  trial.set_roles_set(true);
  CASELEDGER_RETURN_IF_ERROR(Dispatch(&trial));
  bool unregistered = false;
  CASELEDGER_RETURN_IF_ERROR(PaysUnregisteredAccount(op, op->command(), &unregistered));
  op->RequestApproval(ChainFor(op->context().rules, ApprovalAmount(trial.entry()), unregistered));
  return Status::Ok();
}

void AwaitApprovalSteps(Op* op, const pb::CaseRecord& record,
                        pb::DisbursementRecord* disbursement) {
  const bool unregistered =
      disbursement->has_account() &&
      RegisteredAccount(record, disbursement->payee()) != disbursement->account();
  *disbursement->mutable_approval() =
      ChainFor(op->context().rules, disbursement->amount_fen(), unregistered);
}

Status DisbursementStep(Op* op, const std::string& disbursement_id, Step step) {
  pb::DisbursementRecord disbursement;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kDisbursement, disbursement_id, &disbursement, &found));
  if (!found) return {Code::kUnknownReference, "no disbursement " + disbursement_id};
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(disbursement.case_no(), "disbursement", &record));
  if (disbursement.status() != pb::DISBURSEMENT_STATUS_REQUESTED) {
    return Status::InvalidState("disbursement " + disbursement_id + " is not awaiting approval");
  }
  // Requested before roles were set: the steps its amount needs now.
  if (!disbursement.has_approval()) AwaitApprovalSteps(op, record, &disbursement);
  pb::RolesRecord roles;
  CASELEDGER_RETURN_IF_ERROR(StepRoles(op, op->command(), &roles));
  pb::ApprovalRecord* approval = disbursement.mutable_approval();
  CASELEDGER_RETURN_IF_ERROR(CheckStep(op->command().operator_(), disbursement.requested_by(),
                                       *approval, roles, "disbursement " + disbursement_id, step));
  if (step == Step::kRefuse) {
    // The money keeps its deadlines, as when the bank refuses it (fail_disbursement).
    CASELEDGER_RETURN_IF_ERROR(ReleaseReservation(disbursement, &record));
    NoteRefusal(op, approval);
    disbursement.set_status(pb::DISBURSEMENT_STATUS_REFUSED);
  } else if (approval->add_approvers(op->command().operator_()),
             approval->approvers_size() < approval->chain_size()) {
    SetPendingOutcome(*approval, op->outcome());
  } else {
    approval->set_done_seq(op->seq());
    disbursement.set_status(pb::DISBURSEMENT_STATUS_APPROVED);
    disbursement.set_approved_by(op->command().operator_());
  }
  disbursement.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDisbursement, disbursement_id, disbursement);
  return op->SaveCase(&record);
}

Status SetRolesOp(Op* op) {
  const pb::SetRoles& set = op->command().set_roles();
  CASELEDGER_RETURN_IF_ERROR(CheckAssignments(set));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  pb::RolesRecord current, merged;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(LoadRoles(op->tx(), &current, &found));
  CASELEDGER_RETURN_IF_ERROR(MergeRoles(current, set, &merged));
  // Takes effect when a second administrator approves it (approve).
  pb::ApprovalRecord approval;
  approval.add_chain(pb::ROLE_ADMINISTRATOR);
  op->RequestApproval(approval);
  return Status::Ok();
}

// approve and refuse: one step on the request they name.
Status ApproveOp(Op* op) {
  const Step step = op->command().has_refuse() ? Step::kRefuse : Step::kApprove;
  if (step == Step::kRefuse) {
    const pb::Refuse& refuse = op->command().refuse();
    CASELEDGER_RETURN_IF_ERROR(CheckText(refuse.reason(), "refuse.reason"));
    if (refuse.has_target_request_id() == refuse.has_disbursement_id()) {
      return Status::InvalidArgument(
          "refuse: name the request (target_request_id) or the disbursement (disbursement_id), "
          "one of the two");
    }
    if (refuse.has_disbursement_id()) {
      CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(refuse.disbursement_id(), "refuse.disbursement_id",
                                                 IdKind::kDisbursementRef));
      return DisbursementStep(op, refuse.disbursement_id(), step);
    }
  }
  Pending pending;
  CASELEDGER_RETURN_IF_ERROR(LoadRequest(op, &pending));
  if (pending.command.has_request_disbursement()) {
    return DisbursementStep(op, pending.command.request_disbursement().disbursement_id(), step);
  }
  CASELEDGER_RETURN_IF_ERROR(CheckWaiting(pending));
  pb::RolesRecord roles;
  CASELEDGER_RETURN_IF_ERROR(StepRoles(op, pending.command, &roles));
  pb::ApprovalRecord* approval = pending.request.mutable_approval();
  CASELEDGER_RETURN_IF_ERROR(CheckStep(op->command().operator_(), pending.command.operator_(),
                                       *approval, roles, "request " + pending.request_id, step));
  if (step == Step::kRefuse) {
    NoteRefusal(op, approval);  // it never takes effect
  } else if (approval->add_approvers(op->command().operator_()),
             approval->approvers_size() < approval->chain_size()) {
    SetPendingOutcome(*approval, op->outcome());
  } else {
    approval->set_done_seq(op->seq());
    CASELEDGER_RETURN_IF_ERROR(CarryOut(op, pending));
  }
  op->tx()->PutMessage(Table::kRequest, pending.request_id, pending.request);
  return Status::Ok();
}

bool RoleMayRecord(pb::Role role, pb::Operation op) {
  if (op < pb::OPERATION_OPEN_CASE || op > pb::OPERATION_REFUSE) return false;
  return (kPermissions[op - pb::OPERATION_OPEN_CASE].roles & Bit(role)) != 0;
}

Status LoadRoles(Transaction* tx, pb::RolesRecord* record, bool* found) {
  return tx->Get(Table::kRoles, "", record, found);
}

Status CheckPermitted(const pb::Command& command, const Origin& origin, Transaction* tx,
                      bool* roles_set) {
  pb::RolesRecord record;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(LoadRoles(tx, &record, &found));
  *roles_set = found;
  if (!found) return Status::Ok();  // before the first approved set_roles: SPEC §2 as it was
  // The server's own record of refusals: RefusalOp checks that it is the server's.
  if (origin.kind == Origin::Kind::kServer && command.has_refusal()) return Status::Ok();
  const std::string name = OperationName(command);
  if (origin.kind == Origin::Kind::kLocal) {
    return {Code::kNotPermitted,
            "this ledger has roles: record " + name +
                " through the server (caseledgerd), or locally with apply --maintenance"};
  }
  const uint32_t needed = kPermissions[OperationOf(command) - pb::OPERATION_OPEN_CASE].roles;
  const uint32_t held = RolesOf(record, command.operator_());
  if ((held & needed) != 0) return Status::Ok();
  return {Code::kNotPermitted, "operator " + command.operator_() + " (" + RoleList(held) +
                                   ") may not record " + name + ": it needs " + RoleList(needed)};
}

}  // namespace caseledger::engine
