// `approvals` (SPEC §9): the roles in force and every payment or request still waiting for its
// approval steps, read off the payment and request records; the request's own entry says what
// it asks for.
#include "core/money.h"
#include "core/names.h"
#include "ledger/reading.h"
#include "ledger/records.h"

namespace caseledger {
namespace {

// The case and the money a waiting request's command names (none for set_roles).
Status DescribeRequest(const pb::Command& command, WaitingApproval* waiting) {
  if (command.has_hold()) {
    waiting->case_no = command.hold().case_no();
    if (command.hold().has_amount()) {
      CASELEDGER_ASSIGN_OR_RETURN(
          waiting->amount_fen,
          ParseAmount(command.hold().amount(), "hold.amount", AmountKind::kPositive));
    }
  } else if (command.has_extend_deadline()) {
    waiting->case_no = command.extend_deadline().case_no();
  } else if (command.has_change_payee_account()) {
    waiting->case_no = command.change_payee_account().case_no();
  } else if (command.has_collective_disbursement()) {
    Fen total = 0;
    for (const pb::CollectiveItem& item : command.collective_disbursement().items()) {
      CASELEDGER_ASSIGN_OR_RETURN(
          Fen amount, ParseAmount(item.amount(), "collective_disbursement.items[].amount",
                                  AmountKind::kPositive));
      total += amount;
    }
    waiting->amount_fen = total;
  }
  return Status::Ok();
}

Status AddWaitingPayments(Ledger* ledger, ApprovalsReading* reading) {
  return records::ForEach<pb::DisbursementRecord>(
      ledger, Table::kDisbursement, PointInTime{}, [&](const pb::DisbursementRecord& d) {
        const bool approved = d.status() == pb::DISBURSEMENT_STATUS_APPROVED;
        if (d.status() != pb::DISBURSEMENT_STATUS_REQUESTED && !approved) return Status::Ok();
        WaitingApproval waiting;
        waiting.disbursement = true;
        waiting.to_confirm = approved;
        waiting.id = d.disbursement_id();
        waiting.operation =
            d.has_distribution_id() ? pb::OPERATION_DISTRIBUTE : pb::OPERATION_REQUEST_DISBURSEMENT;
        waiting.case_no = d.case_no();
        waiting.amount_fen = Fen(d.amount_fen());
        waiting.requested_by = d.requested_by();
        waiting.request_seq = d.request_seq();
        waiting.approval = d.approval();
        CASELEDGER_ASSIGN_OR_RETURN(Date on, ledger->EntryDate(d.request_seq()));
        waiting.on = on.ToString();
        reading->waiting.push_back(std::move(waiting));
        return Status::Ok();
      });
}

Status AddWaitingRequests(Ledger* ledger, ApprovalsReading* reading) {
  return records::ForEach<pb::RequestRecord>(
      ledger, Table::kRequest, PointInTime{}, [&](const pb::RequestRecord& r) {
        if (r.approval().chain_size() == 0 || r.approval().has_done_seq() ||
            r.approval().has_refused_seq()) {
          return Status::Ok();
        }
        // A disbursement's steps are its own record's, listed above.
        if (r.op() == pb::OPERATION_REQUEST_DISBURSEMENT) return Status::Ok();
        CASELEDGER_ASSIGN_OR_RETURN(StoredEntry stored, ledger->GetEntry(r.seq()));
        const pb::Command& command = stored.entry.command();
        WaitingApproval waiting;
        waiting.id = command.request_id();
        waiting.operation = r.op();
        waiting.requested_by = command.operator_();
        waiting.on = command.on();
        waiting.request_seq = r.seq();
        waiting.approval = r.approval();
        CASELEDGER_RETURN_IF_ERROR(DescribeRequest(command, &waiting));
        reading->waiting.push_back(std::move(waiting));
        return Status::Ok();
      });
}

}  // namespace

Result<ApprovalsReading> ReadApprovals(Ledger* ledger, bool roles_only) {
  ApprovalsReading reading;
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<pb::RolesRecord> roles,
      records::Load<pb::RolesRecord>(ledger, Table::kRoles, "", PointInTime{}));
  if (roles) reading.roles = std::move(*roles);
  if (roles_only) return reading;
  CASELEDGER_RETURN_IF_ERROR(AddWaitingPayments(ledger, &reading));
  CASELEDGER_RETURN_IF_ERROR(AddWaitingRequests(ledger, &reading));
  return reading;
}

}  // namespace caseledger
