// Disbursements: request (reserves money), approval by another operator, bank confirmation.
#include <algorithm>
#include <optional>

#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"
#include "core/reports.h"

namespace caseledger::engine {
namespace {

Status LoadDisbursement(Op* op, const std::string& id, pb::DisbursementRecord* record) {
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(id, op->Path("disbursement_id"), IdKind::kDisbursementRef));
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kDisbursement, id, record, &found));
  if (!found) return {Code::kUnknownReference, "no disbursement " + id};
  return op->CheckNotBefore(record->on(), "disbursement " + id);
}

// "requested", ... as messages name it.
std::string StatusOf(const pb::DisbursementRecord& record) {
  return std::string(WireName(record.status()));
}

std::vector<pb::LotPart> Parts(const pb::DisbursementRecord& record) {
  return {record.parts().begin(), record.parts().end()};
}

}  // namespace

Status CreditShareElsewhere(Op* op, const pb::DisbursementRecord& disbursement,
                            const Fen& amount_fen, ShareDirection direction,
                            pb::CaseRecord* record) {
  const bool paid = direction == ShareDirection::kPaid;
  const Fen signed_fen = paid ? amount_fen : -amount_fen;
  record->set_paid_to_others_fen(ToStored(Fen(record->paid_to_others_fen()) + signed_fen));
  // Paid: it leaves the paying case's recovered money; returned: it is recovered again.
  if (paid) {
    op->AddUncover(record, amount_fen);
  } else {
    op->AddRecovery(record, amount_fen, op->on());
  }
  if (!disbursement.has_claim_case_no()) return Status::Ok();
  // ... and counts as recovered (and, paid straight to its creditor, disbursed) in the
  // claimant's own case; no money moves through that case's account.
  pb::CaseRecord other;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kCase, disbursement.claim_case_no(), &other, &found));
  if (!found) return Status::Corruption("the claimant's case of a distribution is missing");
  other.set_recovered_elsewhere_fen(ToStored(Fen(other.recovered_elsewhere_fen()) + signed_fen));
  if (paid) {
    op->AddRecovery(&other, amount_fen, op->on());
  } else {
    op->AddUncover(&other, amount_fen);
  }
  return op->SaveCase(&other);
}

Status RequestDisbursementOp(Op* op) {
  const pb::RequestDisbursement& request = op->command().request_disbursement();
  const std::string path = "request_disbursement";
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(request.disbursement_id(), path + ".disbursement_id", IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(request.payee(), path + ".payee", IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(request.amount(), path + ".amount", AmountKind::kPositive));
  if (request.has_account()) {
    CASELEDGER_RETURN_IF_ERROR(CheckBankAccount(request.account(), path + ".account"));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(request.case_no(), path + ".case_no", &record));
  const pb::PartyRecord* creditor = nullptr;
  for (const auto& party : record.creditors()) {
    if (party.party_id() == request.payee()) creditor = &party;
  }
  if (creditor == nullptr) {
    return {Code::kUnknownReference,
            "party " + request.payee() + " is not a creditor of case " + record.case_no()};
  }
  pb::DisbursementRecord disbursement;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kDisbursement, request.disbursement_id(), &disbursement, &found));
  if (found) {
    return {Code::kDuplicateId, "disbursement_id " + request.disbursement_id() + " is taken"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, amount));
  disbursement.set_disbursement_id(request.disbursement_id());
  disbursement.set_case_no(record.case_no());
  disbursement.set_payee(request.payee());
  disbursement.set_amount_fen(ToStored(amount));
  if (request.has_account()) {
    disbursement.set_account(request.account());
  } else if (auto registered = RegisteredAccount(record, request.payee())) {
    disbursement.set_account(*registered);
  }
  disbursement.set_requested_by(op->command().operator_());
  disbursement.set_status(pb::DISBURSEMENT_STATUS_REQUESTED);
  CASELEDGER_ASSIGN_OR_RETURN(const std::vector<pb::LotPart> parts,
                              TakeOldestFree(&record, amount, TakeAs::kReserved));
  for (const auto& part : parts) *disbursement.add_parts() = part;
  disbursement.set_request_seq(op->seq());
  disbursement.set_on(op->on().ToString());
  if (op->roles_set()) {
    AwaitApprovalSteps(op, record, &disbursement);
    SetPendingOutcome(disbursement.approval(), op->outcome());
  }
  op->tx()->PutMessage(Table::kDisbursement, disbursement.disbursement_id(), disbursement);
  return op->SaveCase(&record);
}

Status ApproveDisbursementOp(Op* op) {
  const std::string& id = op->command().approve_disbursement().disbursement_id();
  if (op->roles_set()) return DisbursementStep(op, id);
  pb::DisbursementRecord disbursement;
  CASELEDGER_RETURN_IF_ERROR(LoadDisbursement(op, id, &disbursement));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(disbursement.case_no(), op->Path("disbursement_id"), &record));
  // The person who prepares a payment is not the person who approves it (RULES §1).
  if (SameOperator(disbursement.requested_by(), op->command().operator_())) {
    return {Code::kNotPermitted,
            "disbursement " + id + " was requested by " + disbursement.requested_by() +
                ", who may not also approve it (" + std::string(kOperatorsCompared) + ")"};
  }
  if (disbursement.status() != pb::DISBURSEMENT_STATUS_REQUESTED) {
    return Status::InvalidState("disbursement " + id + " is " + StatusOf(disbursement) +
                                ", not awaiting approval");
  }
  disbursement.set_status(pb::DISBURSEMENT_STATUS_APPROVED);
  disbursement.set_approved_by(op->command().operator_());
  disbursement.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDisbursement, id, disbursement);
  return op->SaveCase(&record);
}

Status ConfirmDisbursementOp(Op* op) {
  const pb::ConfirmDisbursement& confirm = op->command().confirm_disbursement();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(confirm.bank_ref(), "confirm_disbursement.bank_ref", IdKind::kBankRef));
  pb::DisbursementRecord disbursement;
  CASELEDGER_RETURN_IF_ERROR(LoadDisbursement(op, confirm.disbursement_id(), &disbursement));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(disbursement.case_no(), op->Path("disbursement_id"), &record));
  if (disbursement.status() != pb::DISBURSEMENT_STATUS_APPROVED) {
    return Status::InvalidState("disbursement " + confirm.disbursement_id() + " is " +
                                StatusOf(disbursement) + "; only an approved one can be paid");
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, confirm.bank_ref()));
  op->TakeBankRef(Table::kBankRefOut, confirm.bank_ref());
  CASELEDGER_RETURN_IF_ERROR(ConsumeReserved(&record, Parts(disbursement)));
  const Fen amount = disbursement.amount_fen();
  if (disbursement.to_non_creditor()) {
    // A share to a party outside the case leaves its recovered money (SPEC §2 distribute).
    CASELEDGER_RETURN_IF_ERROR(
        CreditShareElsewhere(op, disbursement, amount, ShareDirection::kPaid, &record));
  } else {
    record.set_disbursed_fen(ToStored(Fen(record.disbursed_fen()) + amount));
  }
  disbursement.set_status(pb::DISBURSEMENT_STATUS_CONFIRMED);
  disbursement.set_bank_ref(confirm.bank_ref());
  disbursement.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDisbursement, confirm.disbursement_id(), disbursement);
  op->Post(CaseAccount(record.case_no()), amount);
  op->Post("bank", -amount);
  return op->SaveCase(&record);
}

Status ReleaseReservation(const pb::DisbursementRecord& disbursement, pb::CaseRecord* record) {
  return FreeReserved(record, Parts(disbursement));
}

Status FailDisbursementOp(Op* op) {
  const pb::FailDisbursement& fail = op->command().fail_disbursement();
  CASELEDGER_RETURN_IF_ERROR(CheckText(fail.reason(), "fail_disbursement.reason"));
  pb::DisbursementRecord disbursement;
  CASELEDGER_RETURN_IF_ERROR(LoadDisbursement(op, fail.disbursement_id(), &disbursement));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(disbursement.case_no(), op->Path("disbursement_id"), &record));
  if (disbursement.status() != pb::DISBURSEMENT_STATUS_REQUESTED &&
      disbursement.status() != pb::DISBURSEMENT_STATUS_APPROVED) {
    return Status::InvalidState("disbursement " + fail.disbursement_id() + " is " +
                                StatusOf(disbursement) +
                                "; only a requested or approved one "
                                "can fail");
  }
  // The money keeps its deadlines.
  CASELEDGER_RETURN_IF_ERROR(ReleaseReservation(disbursement, &record));
  disbursement.set_status(pb::DISBURSEMENT_STATUS_FAILED);
  disbursement.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDisbursement, fail.disbursement_id(), disbursement);
  return op->SaveCase(&record);
}

// change_payee_account (SPEC §9): the account a creditor is paid to from now on. Once roles are
// set it waits for its approval steps as a hold does; before, it takes effect at once.
Status ChangePayeeAccountOp(Op* op) {
  const pb::ChangePayeeAccount& change = op->command().change_payee_account();
  const std::string path = "change_payee_account";
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(change.party_id(), path + ".party_id", IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(CheckBankAccount(change.account(), path + ".account"));
  CASELEDGER_RETURN_IF_ERROR(CheckText(change.reason(), path + ".reason"));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(change.case_no(), path + ".case_no", &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  const bool creditor = std::any_of(
      record.creditors().begin(), record.creditors().end(),
      [&](const pb::PartyRecord& party) { return party.party_id() == change.party_id(); });
  if (!creditor) {
    return {Code::kUnknownReference,
            "party " + change.party_id() + " is not a creditor of case " + record.case_no()};
  }
  pb::PayeeAccount* changed = record.add_payee_accounts();
  changed->set_party_id(change.party_id());
  changed->set_account(change.account());
  changed->set_seq(op->seq());
  changed->set_on(op->on().ToString());
  return op->SaveCase(&record);
}

}  // namespace caseledger::engine
