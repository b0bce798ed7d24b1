// Money in and out of case accounts: receipts, suspense, holds, disbursements, fees, outflows.
#include <set>

#include "core/engine_internal.h"
#include "core/fee.h"
#include "core/figures.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

const pb::PartyRecord* FindCreditor(const pb::CaseRecord& record, const std::string& party_id) {
  for (const auto& creditor : record.creditors()) {
    if (creditor.party_id() == party_id) return &creditor;
  }
  return nullptr;
}

Status UnknownCreditor(const pb::CaseRecord& record, const std::string& party_id) {
  return {Code::kUnknownReference,
          "party " + party_id + " is not a creditor of case " + record.case_no()};
}

template <typename M>
Status LoadReference(Op* op, Table table, const std::string& id, const char* what, M* record) {
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(table, id, record, &found));
  if (!found) return {Code::kUnknownReference, std::string("no ") + what + " " + id};
  return Status::Ok();
}

// Resolves a receipt's case from case_no and/or account_no (they must agree).
Status ResolveReceiptCase(Op* op, const pb::Receipt& receipt, pb::CaseRecord* record) {
  if (!receipt.has_case_no() && !receipt.has_account_no()) {
    return Status::InvalidArgument("receipt.case_no: give case_no or account_no");
  }
  std::string case_no;
  if (receipt.has_case_no()) {
    CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number,
                                ParseCaseNumber(receipt.case_no(), "receipt.case_no"));
    case_no = number.text;
  }
  if (receipt.has_account_no()) {
    if (!IsValidAccountNumber(receipt.account_no())) {
      return Status::InvalidArgument(
          "receipt.account_no: not a case account number (16 digits, MOD 97-10 check digits)");
    }
    std::string named;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(
        op->tx()->Read(Table::kAccount, receipt.account_no(), &named, &found));
    if (!found) return {Code::kUnknownCase, "no case has account " + receipt.account_no()};
    if (!case_no.empty() && named != case_no) {
      return Status::InvalidArgument("receipt.account_no: belongs to case " + named + ", not " +
                                     case_no);
    }
    case_no = named;
  }
  return op->LoadCase(case_no, "receipt.case_no", record);
}

}  // namespace

Status ReceiptOp(Op* op) {
  const pb::Receipt& receipt = op->command().receipt();
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(receipt.amount(), "receipt.amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(receipt.bank_ref(), "receipt.bank_ref", IdKind::kBankRef));
  // The source is validated, not kept: no figure depends on it.
  CASELEDGER_RETURN_IF_ERROR(
      ParseName<pb::ReceiptSource>(receipt.source(), "receipt.source").status());
  if (receipt.has_payer()) CASELEDGER_RETURN_IF_ERROR(CheckText(receipt.payer(), "receipt.payer"));
  CASELEDGER_ASSIGN_OR_RETURN(
      const Date value_date,
      op->ValueDate(receipt.has_value_date(), receipt.value_date(), "receipt.value_date"));
  std::optional<Date> stop_date;
  if (receipt.has_interest_stop_date()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        stop_date, op->DateField(receipt.interest_stop_date(), "receipt.interest_stop_date"));
    if (*stop_date > value_date) {
      return Status::InvalidArgument("receipt.interest_stop_date: is after the value date");
    }
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(ResolveReceiptCase(op, receipt, &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefIn, receipt.bank_ref()));
  op->TakeBankRef(Table::kBankRefIn, receipt.bank_ref());
  record.set_received_fen(ToStored(Fen(record.received_fen()) + amount));
  // RULES §1: the 30 days run from the finance notice (`on`), or by rule from the value date.
  const bool by_value_date = op->context().rules.clock_start == pb::CLOCK_START_VALUE_DATE;
  op->NewLot(&record, amount, by_value_date ? value_date : op->on());
  op->AddRecovery(&record, amount, value_date, stop_date);
  op->Post("bank", amount);
  op->Post(CaseAccount(record.case_no()), -amount);
  return op->SaveCase(&record);
}

Status UnidentifiedReceiptOp(Op* op) {
  const pb::UnidentifiedReceipt& receipt = op->command().unidentified_receipt();
  const std::string path = "unidentified_receipt";
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(receipt.amount(), path + ".amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(receipt.bank_ref(), path + ".bank_ref", IdKind::kBankRef));
  if (receipt.has_payer()) CASELEDGER_RETURN_IF_ERROR(CheckText(receipt.payer(), path + ".payer"));
  if (receipt.has_memo()) CASELEDGER_RETURN_IF_ERROR(CheckText(receipt.memo(), path + ".memo"));
  CASELEDGER_ASSIGN_OR_RETURN(
      const Date value_date,
      op->ValueDate(receipt.has_value_date(), receipt.value_date(), path + ".value_date"));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefIn, receipt.bank_ref()));
  op->TakeBankRef(Table::kBankRefIn, receipt.bank_ref());
  pb::UnidentifiedRecord record;
  record.set_bank_ref(receipt.bank_ref());
  record.set_amount_fen(ToStored(amount));
  record.set_unclaimed_fen(ToStored(amount));
  record.set_on(op->on().ToString());
  record.set_value_date(value_date.ToString());
  // The claim limit is fixed when the receipt is recorded (SPEC §2 set_rules).
  record.set_claim_deadline(op->on().AddDays(op->context().rules.claim_within_days).ToString());
  if (receipt.has_payer()) record.set_payer(receipt.payer());
  record.set_seq(op->seq());
  record.set_last_on(op->on().ToString());
  op->tx()->PutMessage(Table::kUnidentified, receipt.bank_ref(), record);
  op->Post("bank", amount);
  op->Post("suspense", -amount);
  return Status::Ok();
}

Status ClaimOp(Op* op) {
  const pb::Claim& claim = op->command().claim();
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(claim.bank_ref(), "claim.bank_ref", IdKind::kBankRef));
  std::optional<Fen> amount;
  if (claim.has_amount()) {
    CASELEDGER_ASSIGN_OR_RETURN(amount,
                                op->Amount(claim.amount(), "claim.amount", AmountKind::kPositive));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(claim.case_no(), "claim.case_no", &record));
  pb::UnidentifiedRecord suspense;
  CASELEDGER_RETURN_IF_ERROR(
      LoadReference(op, Table::kUnidentified, claim.bank_ref(), "unidentified receipt", &suspense));
  CASELEDGER_RETURN_IF_ERROR(
      op->CheckNotBefore(suspense.last_on(), "unidentified receipt " + claim.bank_ref()));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (suspense.reversed()) {
    return Status::InvalidState("unidentified receipt " + claim.bank_ref() + " was reversed");
  }
  const Fen unclaimed = suspense.unclaimed_fen();
  const Fen take = amount.value_or(unclaimed);
  if (unclaimed == 0 || take > unclaimed) {
    return {Code::kInsufficientFunds, "unidentified receipt " + claim.bank_ref() + " has " +
                                          FormatAmount(unclaimed) + " unclaimed; " +
                                          FormatAmount(take) + " claimed"};
  }
  suspense.set_unclaimed_fen(ToStored(unclaimed - take));
  suspense.set_last_on(std::max(suspense.last_on(), op->on().ToString()));
  op->tx()->PutMessage(Table::kUnidentified, claim.bank_ref(), suspense);
  record.set_received_fen(ToStored(Fen(record.received_fen()) + take));
  op->NewLot(&record, take);  // a claim's lot is dated by the claim
  // ... but it takes part in the allocation at the unidentified receipt's value date.
  CASELEDGER_ASSIGN_OR_RETURN(Date value_date, Date::Parse(suspense.value_date(), "value_date"));
  op->AddRecovery(&record, take, value_date);
  op->Post("suspense", take);
  op->Post(CaseAccount(record.case_no()), -take);
  op->outcome()->set_amount_fen(ToStored(take));
  return op->SaveCase(&record);
}

Status RefundUnidentifiedOp(Op* op) {
  const pb::RefundUnidentified& refund = op->command().refund_unidentified();
  const std::string path = "refund_unidentified";
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(refund.bank_ref(), path + ".bank_ref", IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(CheckText(refund.payee(), path + ".payee"));
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount,
                              op->Amount(refund.amount(), path + ".amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(refund.refund_bank_ref(), path + ".refund_bank_ref", IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(CheckText(refund.reason(), path + ".reason"));
  pb::UnidentifiedRecord suspense;
  CASELEDGER_RETURN_IF_ERROR(LoadReference(op, Table::kUnidentified, refund.bank_ref(),
                                           "unidentified receipt", &suspense));
  CASELEDGER_RETURN_IF_ERROR(
      op->CheckNotBefore(suspense.last_on(), "unidentified receipt " + refund.bank_ref()));
  // It touches no case: SPEC §1 checks it against the latest `on` in the whole ledger.
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  if (suspense.reversed()) {
    return Status::InvalidState("unidentified receipt " + refund.bank_ref() + " was reversed");
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, refund.refund_bank_ref()));
  if (Fen(suspense.unclaimed_fen()) < amount) {
    return {Code::kInsufficientFunds, "unidentified receipt " + refund.bank_ref() + " has " +
                                          FormatAmount(suspense.unclaimed_fen()) + " unclaimed; " +
                                          FormatAmount(amount) + " to refund"};
  }
  op->TakeBankRef(Table::kBankRefOut, refund.refund_bank_ref());
  suspense.set_unclaimed_fen(ToStored(Fen(suspense.unclaimed_fen()) - amount));
  suspense.set_last_on(std::max(suspense.last_on(), op->on().ToString()));
  op->tx()->PutMessage(Table::kUnidentified, refund.bank_ref(), suspense);
  op->Post("suspense", amount);
  op->Post("bank", -amount);
  return Status::Ok();
}

Status HoldOp(Op* op) {
  const pb::Hold& hold = op->command().hold();
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(hold.hold_id(), "hold.hold_id", IdKind::kPlain));
  std::optional<Fen> amount;
  if (hold.has_amount()) {
    CASELEDGER_ASSIGN_OR_RETURN(amount,
                                op->Amount(hold.amount(), "hold.amount", AmountKind::kPositive));
  }
  CASELEDGER_ASSIGN_OR_RETURN(pb::HoldGround ground,
                              ParseName<pb::HoldGround>(hold.ground(), "hold.ground"));
  if (hold.has_approved_by()) {  // present unless roles are set (engine.cc CheckApprovedBy)
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(hold.approved_by(), "hold.approved_by", IdKind::kOperator));
  }
  if (hold.has_note()) CASELEDGER_RETURN_IF_ERROR(CheckText(hold.note(), "hold.note"));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(hold.case_no(), "hold.case_no", &record));
  pb::HoldRecord existing;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kHold, hold.hold_id(), &existing, &found));
  if (found) return {Code::kDuplicateId, "hold_id " + hold.hold_id() + " is taken"};
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (SameOperator(hold.approved_by(), op->command().operator_())) {
    return {Code::kNotPermitted, "a hold is approved by someone other than its operator (" +
                                     std::string(kOperatorsCompared) + ")"};
  }
  const Fen available = SumLots(record).free_fen;
  const Fen take = amount.value_or(available);
  if (take == 0) {
    return {Code::kInsufficientFunds,
            "case " + record.case_no() + " has no available money to hold"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, take));
  pb::HoldRecord held;
  held.set_hold_id(hold.hold_id());
  held.set_case_no(record.case_no());
  held.set_amount_fen(ToStored(take));
  held.set_ground(ground);
  CASELEDGER_ASSIGN_OR_RETURN(const std::vector<pb::LotPart> parts,
                              TakeOldestFree(&record, take, TakeAs::kHeld));
  for (const auto& part : parts) *held.add_parts() = part;
  held.set_seq(op->seq());
  held.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kHold, hold.hold_id(), held);
  op->outcome()->set_amount_fen(ToStored(take));
  return op->SaveCase(&record);
}

Status ReleaseHoldOp(Op* op) {
  const pb::ReleaseHold& release = op->command().release_hold();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(release.hold_id(), "release_hold.hold_id", IdKind::kPlain));
  pb::HoldRecord held;
  CASELEDGER_RETURN_IF_ERROR(LoadReference(op, Table::kHold, release.hold_id(), "hold", &held));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(held.case_no(), "release_hold.hold_id", &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBefore(held.on(), "hold " + held.hold_id()));
  if (held.released()) {
    return Status::InvalidState("hold " + held.hold_id() + " is already released");
  }
  const std::vector<pb::LotPart> parts(held.parts().begin(), held.parts().end());
  CASELEDGER_RETURN_IF_ERROR(
      ReleaseHeld(&record, parts, op->on().AddDays(op->context().rules.after_hold_days)));
  held.set_released(true);
  held.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kHold, held.hold_id(), held);
  return op->SaveCase(&record);
}

Status ChargeFeeOp(Op* op) {
  const pb::ChargeFee& charge = op->command().charge_fee();
  std::optional<Fen> amount;
  if (charge.has_amount()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        amount, op->Amount(charge.amount(), "charge_fee.amount", AmountKind::kPositive));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(charge.case_no(), "charge_fee.case_no", &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (record.type_code() == pb::CASE_TYPE_PRESERVATION) {
    return Status::InvalidState("case " + record.case_no() +
                                " is a preservation case (执保): it bears no enforcement fee; "
                                "the applicant prepays the preservation fee");
  }
  // A restored case and the case it restores share one fee (RULES §2: no new fee).
  std::vector<pb::CaseRecord> chain;
  CASELEDGER_RETURN_IF_ERROR(op->LoadChain(record, &chain));
  const CaseFigures figures = EvaluateCase(record, chain, op->on());
  const Fen charged = figures.chain_fees_fen;
  Fen take = 0;
  if (figures.claim_fen == 0) {
    // RULES §2: a case with no money amount pays 50–500 per case, charged explicitly.
    const Fen low = 5000, high = 50000;
    if (!amount)
      return Status::InvalidState("case " + record.case_no() +
                                  " has a claim of 0: give the fee amount (50.00–500.00)");
    if (*amount < low || charged + *amount > high) {
      return Status::InvalidArgument(
          "charge_fee.amount: a case with a claim of 0 is charged 50.00–500.00 in all");
    }
    take = *amount;
  } else {
    const Fen due = figures.fee_due_fen;
    if (amount && *amount > due) {
      return Status::InvalidArgument("charge_fee.amount: " + FormatAmount(*amount) +
                                     " is more than the fee still due (" + FormatAmount(due) + ")");
    }
    if (due == 0) return Status::InvalidState("case " + record.case_no() + " has no fee due");
    take = amount.value_or(due);
  }
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, take));
  CASELEDGER_RETURN_IF_ERROR(TakeOldestFree(&record, take, TakeAs::kConsumed).status());
  record.set_fees_fen(ToStored(Fen(record.fees_fen()) + take));
  op->Post(CaseAccount(record.case_no()), take);
  op->Post("fees", -take);
  op->outcome()->set_amount_fen(ToStored(take));
  return op->SaveCase(&record);
}

Status RemitFeesOp(Op* op) {
  const pb::RemitFees& remit = op->command().remit_fees();
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(remit.amount(), "remit_fees.amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(remit.bank_ref(), "remit_fees.bank_ref", IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, remit.bank_ref()));
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(op->LoadGlobal(&global));
  if (Fen(global.fees_fen()) < amount) {
    return {Code::kInsufficientFunds, "the fee account holds " + FormatAmount(global.fees_fen()) +
                                          "; " + FormatAmount(amount) + " to remit"};
  }
  op->TakeBankRef(Table::kBankRefOut, remit.bank_ref());
  op->Post("fees", amount);
  op->Post("bank", -amount);
  return Status::Ok();
}

// pay_costs, refund and remit_treasury: the oldest free money of the case leaves the bank.
Status CaseOutflowOp(Op* op) {
  const pb::Command& command = op->command();
  std::string case_no, amount_text, bank_ref, reason, payee;
  if (command.has_pay_costs()) {
    const auto& m = command.pay_costs();
    case_no = m.case_no(), payee = m.payee(), amount_text = m.amount(), bank_ref = m.bank_ref(),
    reason = m.reason();
  } else if (command.has_refund()) {
    const auto& m = command.refund();
    case_no = m.case_no(), payee = m.payee(), amount_text = m.amount(), bank_ref = m.bank_ref(),
    reason = m.reason();
  } else {
    const auto& m = command.remit_treasury();
    case_no = m.case_no(), amount_text = m.amount(), bank_ref = m.bank_ref(), reason = m.reason();
  }
  if (!command.has_remit_treasury())
    CASELEDGER_RETURN_IF_ERROR(CheckText(payee, op->Path("payee")));
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount,
                              op->Amount(amount_text, op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(bank_ref, op->Path("bank_ref"), IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(CheckText(reason, op->Path("reason")));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, op->Path("case_no"), &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, bank_ref));
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, amount));
  op->TakeBankRef(Table::kBankRefOut, bank_ref);
  CASELEDGER_RETURN_IF_ERROR(TakeOldestFree(&record, amount, TakeAs::kConsumed).status());
  if (command.has_pay_costs()) record.set_costs_fen(ToStored(Fen(record.costs_fen()) + amount));
  if (command.has_refund()) {
    record.set_refunded_fen(ToStored(Fen(record.refunded_fen()) + amount));
    op->AddUncover(&record, amount);
  }
  if (command.has_remit_treasury())
    record.set_remitted_fen(ToStored(Fen(record.remitted_fen()) + amount));
  op->Post(CaseAccount(record.case_no()), amount);
  op->Post("bank", -amount);
  return op->SaveCase(&record);
}

Status LodgeOp(Op* op) {
  const pb::Lodge& lodge = op->command().lodge();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(lodge.lodgment_id(), "lodge.lodgment_id", IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(lodge.payee(), "lodge.payee", IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount,
                              op->Amount(lodge.amount(), "lodge.amount", AmountKind::kPositive));
  // The ground is validated, not kept (LodgmentRecord has no field for it).
  CASELEDGER_RETURN_IF_ERROR(
      ParseName<pb::LodgmentGround>(lodge.ground(), "lodge.ground").status());
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(lodge.case_no(), "lodge.case_no", &record));
  if (FindCreditor(record, lodge.payee()) == nullptr) return UnknownCreditor(record, lodge.payee());
  pb::LodgmentRecord lodgment;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kLodgment, lodge.lodgment_id(), &lodgment, &found));
  if (found) return {Code::kDuplicateId, "lodgment_id " + lodge.lodgment_id() + " is taken"};
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, amount));
  CASELEDGER_RETURN_IF_ERROR(TakeOldestFree(&record, amount, TakeAs::kConsumed).status());
  record.set_lodged_fen(ToStored(Fen(record.lodged_fen()) + amount));
  lodgment.set_lodgment_id(lodge.lodgment_id());
  lodgment.set_case_no(record.case_no());
  lodgment.set_payee(lodge.payee());
  lodgment.set_amount_fen(ToStored(amount));
  lodgment.set_lodged_on(op->on().ToString());
  lodgment.set_seq(op->seq());
  lodgment.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kLodgment, lodge.lodgment_id(), lodgment);
  op->Post(CaseAccount(record.case_no()), amount);
  op->Post("lodgment", -amount);
  return op->SaveCase(&record);
}

Status PayLodgmentOp(Op* op) {
  const pb::PayLodgment& pay = op->command().pay_lodgment();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(pay.lodgment_id(), "pay_lodgment.lodgment_id", IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(pay.amount(), "pay_lodgment.amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(pay.bank_ref(), "pay_lodgment.bank_ref", IdKind::kBankRef));
  CASELEDGER_ASSIGN_OR_RETURN(pb::LodgmentPayout to,
                              ParseName<pb::LodgmentPayout>(pay.to(), "pay_lodgment.to"));
  pb::LodgmentRecord lodgment;
  CASELEDGER_RETURN_IF_ERROR(
      LoadReference(op, Table::kLodgment, pay.lodgment_id(), "lodgment", &lodgment));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBefore(lodgment.on(), "lodgment " + pay.lodgment_id()));
  if (lodgment.reversed())
    return Status::InvalidState("lodgment " + pay.lodgment_id() + " was reversed");
  CASELEDGER_ASSIGN_OR_RETURN(Date lodged_on, Date::Parse(lodgment.lodged_on(), "lodged_on"));
  // 民法典 art. 574: the right to collect lapses five years after lodgment.
  const bool lapsed = op->on() > lodged_on.AddYears(5);
  if (to == pb::LODGMENT_PAYOUT_TREASURY && !lapsed) {
    return Status::InvalidState("lodged money goes to the treasury only after five years (" +
                                lodged_on.AddYears(5).ToString() + ")");
  }
  if (to == pb::LODGMENT_PAYOUT_PAYEE && lapsed) {
    return Status::InvalidState("the payee's right to collect lapsed five years after " +
                                lodgment.lodged_on());
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, pay.bank_ref()));
  const Fen left = Fen(lodgment.amount_fen()) - Fen(lodgment.paid_fen());
  if (left < amount) {
    return {Code::kInsufficientFunds, "lodgment " + pay.lodgment_id() + " has " +
                                          FormatAmount(left) + " left; " + FormatAmount(amount) +
                                          " to pay"};
  }
  op->TakeBankRef(Table::kBankRefOut, pay.bank_ref());
  lodgment.set_paid_fen(ToStored(Fen(lodgment.paid_fen()) + amount));
  lodgment.set_on(op->on().ToString());
  op->tx()->PutMessage(Table::kLodgment, pay.lodgment_id(), lodgment);
  op->Post("lodgment", amount);
  op->Post("bank", -amount);
  return Status::Ok();
}

}  // namespace caseledger::engine
