// Reversals: a new entry undoes a reversible one exactly once; the original stays.
#include <map>

#include "core/command_json.h"
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

struct Target {
  pb::RequestRecord request;
  pb::Entry entry;
  const pb::Command& command() const { return entry.command(); }
};

Status LoadTarget(Op* op, const std::string& request_id, Target* target) {
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kRequest, request_id, &target->request, &found));
  if (!found) return {Code::kUnknownReference, "no request " + request_id + " in the ledger"};
  if (target->request.has_approval() && !target->request.approval().has_done_seq()) {
    return Status::InvalidState("request " + request_id +
                                " waits for approval: it has not taken effect");
  }
  std::string bytes;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->ReadEntry(target->request.seq(), &bytes, &found));
  if (!found || !target->entry.ParseFromString(bytes)) {
    return Status::Corruption("entry " + std::to_string(target->request.seq()) + " is missing");
  }
  return op->CheckNotBefore(target->command().on(), "request " + request_id);
}

Fen Amount(const std::string& text) {
  // Stored commands were validated when recorded.
  Result<Fen> amount = ParseAmount(text, "stored amount", AmountKind::kPositive);
  return amount.ok() ? *amount : Fen(0);
}

// A bank return of an outflow brings money back under its own inbound reference.
Status TakeReturnRef(Op* op) {
  const pb::Reverse& reverse = op->command().reverse();
  if (!reverse.has_bank_ref()) return Status::Ok();
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefIn, reverse.bank_ref()));
  op->TakeBankRef(Table::kBankRefIn, reverse.bank_ref());
  return Status::Ok();
}

Status ReverseInflow(Op* op, const Target& target, const std::string& case_no, const Fen& amount,
                     const std::string& source_account) {
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, "reverse.target_request_id", &record));
  // Money leaves the case: a closed case holds none, so this is INSUFFICIENT_FUNDS (SPEC
  // keeps CASE_CLOSED for reversals that would move money into a closed case).
  if (!RemoveForReversal(&record, target.request.seq(), amount)) {
    return {Code::kInsufficientFunds, "case " + record.case_no() + " has " +
                                          FormatAmount(SumLots(record).free_fen) +
                                          " available; the reversal takes " + FormatAmount(amount)};
  }
  record.set_received_fen(ToStored(Fen(record.received_fen()) - amount));
  op->AddUncover(&record, amount);  // undoes the allocation newest first as of `on`
  op->Post(CaseAccount(record.case_no()), amount);
  op->Post(source_account, -amount);
  return op->SaveCase(&record);
}

Status ReverseReceipt(Op* op, const Target& target) {
  const pb::Receipt& receipt = target.command().receipt();
  // The entry's case is found again through the stored postings' case account, unless the
  // receipt was reassigned since: then its money is in the case its request record names.
  std::string case_no;
  for (const auto& posting : target.entry.postings()) {
    if (posting.account().starts_with("case:")) case_no = posting.account().substr(5);
  }
  if (target.request.has_case_no()) case_no = target.request.case_no();
  CASELEDGER_RETURN_IF_ERROR(ReverseInflow(op, target, case_no, Amount(receipt.amount()), "bank"));
  // A reversed receipt's bank_ref may be recorded again (a receipt booked to the wrong case).
  op->tx()->Erase(Table::kBankRefIn, receipt.bank_ref());
  return Status::Ok();
}

Status ReverseClaim(Op* op, const Target& target) {
  const pb::Claim& claim = target.command().claim();
  const Fen amount = target.entry.outcome().amount_fen();
  pb::UnidentifiedRecord suspense;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kUnidentified, claim.bank_ref(), &suspense, &found));
  if (!found) return Status::Corruption("the claimed unidentified receipt is missing");
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number, ParseCaseNumber(claim.case_no(), "claim.case_no"));
  CASELEDGER_RETURN_IF_ERROR(ReverseInflow(op, target, number.text, amount, "suspense"));
  suspense.set_unclaimed_fen(ToStored(Fen(suspense.unclaimed_fen()) + amount));
  suspense.set_last_on(std::max(suspense.last_on(), op->on().ToString()));
  op->tx()->PutMessage(Table::kUnidentified, claim.bank_ref(), suspense);
  return Status::Ok();
}

Status ReverseUnidentified(Op* op, const Target& target) {
  const std::string& bank_ref = target.command().unidentified_receipt().bank_ref();
  pb::UnidentifiedRecord suspense;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kUnidentified, bank_ref, &suspense, &found));
  if (!found) return Status::Corruption("the unidentified receipt is missing");
  // It touches no case: SPEC §1 checks it against the latest `on` in the whole ledger.
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  if (suspense.unclaimed_fen() != suspense.amount_fen()) {
    return Status::InvalidState("unidentified receipt " + bank_ref +
                                " is partly claimed or refunded: reverse those first");
  }
  suspense.set_unclaimed_fen(0);
  suspense.set_reversed(true);
  suspense.set_last_on(op->on().ToString());
  op->tx()->PutMessage(Table::kUnidentified, bank_ref, suspense);
  op->tx()->Erase(Table::kBankRefIn, bank_ref);
  op->Post("suspense", Fen(suspense.amount_fen()));
  op->Post("bank", -Fen(suspense.amount_fen()));
  return Status::Ok();
}

// Money that left a case comes back as a new lot dated by the reversal.
Status ReverseOutflow(Op* op, const Target& target, const std::string& case_no, const Fen& amount,
                      const std::string& out_account) {
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, "reverse.target_request_id", &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (out_account == "fees") {
    pb::GlobalRecord global;
    CASELEDGER_RETURN_IF_ERROR(op->LoadGlobal(&global));
    if (Fen(global.fees_fen()) < amount) {
      return {Code::kInsufficientFunds, "the fee was already remitted to the treasury"};
    }
  } else if (out_account == "bank") {
    // Only money that left the bank comes back under a return reference; fees and lodged
    // money never left it.
    CASELEDGER_RETURN_IF_ERROR(TakeReturnRef(op));
  }
  const pb::Command& command = target.command();
  if (command.has_charge_fee()) record.set_fees_fen(ToStored(Fen(record.fees_fen()) - amount));
  if (command.has_pay_costs()) record.set_costs_fen(ToStored(Fen(record.costs_fen()) - amount));
  if (command.has_refund()) {
    record.set_refunded_fen(ToStored(Fen(record.refunded_fen()) - amount));
    op->AddRecovery(&record, amount, op->on());  // recovered again as of the reversal
  }
  if (command.has_remit_treasury())
    record.set_remitted_fen(ToStored(Fen(record.remitted_fen()) - amount));
  if (command.has_lodge()) record.set_lodged_fen(ToStored(Fen(record.lodged_fen()) - amount));
  if (command.has_confirm_disbursement()) {
    record.set_disbursed_fen(ToStored(Fen(record.disbursed_fen()) - amount));
  }
  op->NewLot(&record, amount);
  op->Post(out_account, amount);
  op->Post(CaseAccount(record.case_no()), -amount);
  return op->SaveCase(&record);
}

std::string OutboundRef(const pb::Command& command) {
  if (command.has_pay_costs()) return command.pay_costs().bank_ref();
  if (command.has_refund()) return command.refund().bank_ref();
  if (command.has_remit_treasury()) return command.remit_treasury().bank_ref();
  if (command.has_confirm_disbursement()) return command.confirm_disbursement().bank_ref();
  if (command.has_relief_payment()) return command.relief_payment().bank_ref();
  return "";
}

// A bank return of a payment from a case that has since closed goes to suspense, naming it.
Status ReturnToSuspense(Op* op, const pb::DisbursementRecord& disbursement,
                        pb::CaseRecord* record) {
  const pb::Reverse& reverse = op->command().reverse();
  if (!reverse.has_bank_ref()) {
    return Status::InvalidArgument(
        "reverse.bank_ref: the bank's return reference is required "
        "when the case is closed (the money goes to suspense)");
  }
  CASELEDGER_RETURN_IF_ERROR(TakeReturnRef(op));
  const Fen amount = disbursement.amount_fen();
  if (disbursement.to_non_creditor()) {
    CASELEDGER_RETURN_IF_ERROR(
        CreditShareElsewhere(op, disbursement, amount, ShareDirection::kReturned, record));
  } else {
    record->set_disbursed_fen(ToStored(Fen(record->disbursed_fen()) - amount));
  }
  record->set_received_fen(ToStored(Fen(record->received_fen()) - amount));
  op->AddUncover(record, amount);
  pb::UnidentifiedRecord suspense;
  suspense.set_bank_ref(reverse.bank_ref());
  suspense.set_amount_fen(ToStored(amount));
  suspense.set_unclaimed_fen(ToStored(amount));
  suspense.set_on(op->on().ToString());
  suspense.set_value_date(op->on().ToString());
  suspense.set_claim_deadline(op->on().AddDays(op->context().rules.claim_within_days).ToString());
  suspense.set_seq(op->seq());
  suspense.set_last_on(op->on().ToString());
  suspense.set_case_no(record->case_no());
  op->tx()->PutMessage(Table::kUnidentified, reverse.bank_ref(), suspense);
  op->Post("bank", amount);
  op->Post("suspense", -amount);
  return op->SaveCase(record);
}

Status ReverseDisbursement(Op* op, const Target& target) {
  const std::string& id = target.command().confirm_disbursement().disbursement_id();
  pb::DisbursementRecord disbursement;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kDisbursement, id, &disbursement, &found));
  if (!found) return Status::Corruption("the confirmed disbursement is missing");
  disbursement.set_status(pb::DISBURSEMENT_STATUS_RETURNED);
  disbursement.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDisbursement, id, disbursement);
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(disbursement.case_no(), "reverse.target_request_id", &record));
  if (record.status() == pb::CASE_STATUS_CLOSED) return ReturnToSuspense(op, disbursement, &record);
  if (!disbursement.to_non_creditor()) {
    return ReverseOutflow(op, target, disbursement.case_no(), disbursement.amount_fen(), "bank");
  }
  // A share paid outside the case comes back: it is the case's recovered money again.
  CASELEDGER_RETURN_IF_ERROR(TakeReturnRef(op));
  const Fen amount = disbursement.amount_fen();
  CASELEDGER_RETURN_IF_ERROR(
      CreditShareElsewhere(op, disbursement, amount, ShareDirection::kReturned, &record));
  op->NewLot(&record, amount);
  op->Post("bank", amount);
  op->Post(CaseAccount(record.case_no()), -amount);
  return op->SaveCase(&record);
}

Status ReverseLodgment(Op* op, const Target& target) {
  const std::string& id = target.command().lodge().lodgment_id();
  pb::LodgmentRecord lodgment;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kLodgment, id, &lodgment, &found));
  if (!found) return Status::Corruption("the lodgment is missing");
  if (lodgment.paid_fen() > 0) {
    return Status::InvalidState("lodgment " + id + " is partly paid out: it cannot be reversed");
  }
  lodgment.set_reversed(true);
  lodgment.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kLodgment, id, lodgment);
  return ReverseOutflow(op, target, lodgment.case_no(), lodgment.amount_fen(), "lodgment");
}

Status ReverseCaseOutflow(Op* op, const Target& target) {
  const pb::Command& command = target.command();
  std::string case_no, amount;
  if (command.has_charge_fee()) {
    case_no = command.charge_fee().case_no();
    return ReverseOutflow(op, target, case_no, target.entry.outcome().amount_fen(), "fees");
  }
  if (command.has_pay_costs())
    case_no = command.pay_costs().case_no(), amount = command.pay_costs().amount();
  if (command.has_refund())
    case_no = command.refund().case_no(), amount = command.refund().amount();
  if (command.has_remit_treasury()) {
    case_no = command.remit_treasury().case_no(), amount = command.remit_treasury().amount();
  }
  return ReverseOutflow(op, target, case_no, Amount(amount), "bank");
}

// A collective event, as a whole or one item by its bank_ref: each item's money comes back
// to its case as a new lot dated by the reversal.
Status ReverseEvent(Op* op, const Target& target, bool* all_reversed) {
  const pb::Reverse& reverse = op->command().reverse();
  const std::string& event_id = target.command().collective_disbursement().event_id();
  pb::EventRecord event;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kEvent, event_id, &event, &found));
  if (!found) return Status::Corruption("the event of a collective disbursement is missing");
  std::vector<pb::EventItem*> items;
  for (auto& item : *event.mutable_items()) {
    if (reverse.has_bank_ref() && item.bank_ref() != reverse.bank_ref()) continue;
    if (!item.reversed()) items.push_back(&item);
  }
  if (items.empty()) {
    if (reverse.has_bank_ref()) {
      for (const auto& item : event.items()) {
        if (item.bank_ref() == reverse.bank_ref()) {
          return Status::InvalidState("item " + reverse.bank_ref() + " of event " + event_id +
                                      " is already reversed");
        }
      }
      return {Code::kUnknownReference,
              "event " + event_id + " has no item with bank reference " + reverse.bank_ref()};
    }
    return Status::InvalidState("every item of event " + event_id + " is already reversed");
  }
  std::map<std::string, pb::CaseRecord> cases;
  for (pb::EventItem* item : items) {
    if (!cases.contains(item->case_no())) {
      pb::CaseRecord record;
      CASELEDGER_RETURN_IF_ERROR(
          op->LoadCase(item->case_no(), "reverse.target_request_id", &record));
      CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
      cases[item->case_no()] = record;
    }
    pb::CaseRecord& record = cases[item->case_no()];
    const Fen amount = item->amount_fen();
    record.set_disbursed_fen(ToStored(Fen(record.disbursed_fen()) - amount));
    op->NewLot(&record, amount);
    op->Post("bank", amount);
    op->Post(CaseAccount(record.case_no()), -amount);
    op->tx()->Erase(Table::kBankRefOut, item->bank_ref());
    item->set_reversed(true);
  }
  for (auto& [case_no, record] : cases) CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&record));
  *all_reversed = true;
  for (const auto& item : event.items()) *all_reversed = *all_reversed && item.reversed();
  op->tx()->PutMessage(Table::kEvent, event_id, event);
  return Status::Ok();
}

// The reversal of one entry that is not a collective disbursement, by its operation.
Status ReverseEntry(Op* op, const Target& target) {
  using C = pb::Command;
  switch (target.command().op_case()) {
    case C::kReceipt:
      return ReverseReceipt(op, target);
    case C::kClaim:
      return ReverseClaim(op, target);
    case C::kUnidentifiedReceipt:
      return ReverseUnidentified(op, target);
    case C::kConfirmDisbursement:
      return ReverseDisbursement(op, target);
    case C::kLodge:
      return ReverseLodgment(op, target);
    case C::kChargeFee:
    case C::kPayCosts:
    case C::kRefund:
    case C::kRemitTreasury:
      return ReverseCaseOutflow(op, target);
    case C::kBankInterest:
    case C::kBankCharge:
      return ReverseBankMoney(op, target.entry);
    case C::kTransferPreserved:
      return ReverseTransfer(op, target.request.seq(), target.entry);
    case C::kReassignReceipt:
    case C::kDirectPerformance:
    case C::kSettleInKind:
    case C::kReliefPayment:
      return ReverseOutside(op, target.request.seq(), target.entry);
    default:
      return Status::InvalidState("a " + OperationName(target.command()) +
                                  " entry is not reversible");
  }
}

}  // namespace

Status ReverseOp(Op* op) {
  const pb::Reverse& reverse = op->command().reverse();
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(reverse.target_request_id(),
                                             "reverse.target_request_id", IdKind::kRequestId));
  if (reverse.has_bank_ref()) {
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(reverse.bank_ref(), "reverse.bank_ref", IdKind::kBankRef));
  }
  CASELEDGER_RETURN_IF_ERROR(CheckText(reverse.reason(), "reverse.reason"));
  Target target;
  CASELEDGER_RETURN_IF_ERROR(LoadTarget(op, reverse.target_request_id(), &target));
  if (target.request.reversed()) {
    return Status::InvalidState("request " + reverse.target_request_id() +
                                " is already reversed (a reversal is recorded once)");
  }
  if (target.command().has_collective_disbursement()) {
    bool all_reversed = false;
    CASELEDGER_RETURN_IF_ERROR(ReverseEvent(op, target, &all_reversed));
    // One item at a time leaves the rest of the event reversible.
    target.request.set_reversed(all_reversed);
    op->tx()->PutMessage(Table::kRequest, reverse.target_request_id(), target.request);
    return Status::Ok();
  }
  CASELEDGER_RETURN_IF_ERROR(ReverseEntry(op, target));
  const std::string out_ref = OutboundRef(target.command());
  if (!out_ref.empty()) op->tx()->Erase(Table::kBankRefOut, out_ref);
  target.request.set_reversed(true);
  op->tx()->PutMessage(Table::kRequest, reverse.target_request_id(), target.request);
  return Status::Ok();
}

}  // namespace caseledger::engine
