// Money of the special account that belongs to no case's creditors (SPEC §2, issue 17):
// preserved money moved to the enforcement case, the bank's interest and charges, the
// remittance of interest to the treasury and the budget's reimbursement of charges.
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

// The money of the special account outside every case, as the ledger holds it now.
struct BankMoney {
  Fen bank_fen = 0;
  Fen interest_fen = 0;
  Fen charges_fen = 0;
};

Result<BankMoney> LoadBankMoney(Op* op) {
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(op->LoadGlobal(&global));
  return BankMoney{global.bank_fen(), global.interest_fen(), global.charges_fen()};
}

// The fields bank_interest and bank_charge share, checked in the order of SPEC §2's checks;
// they touch no case, so `on` is checked against the whole ledger.
Result<Fen> CheckBankMovement(Op* op, const pb::BankInterest& movement, Table direction) {
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(movement.amount(), op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(movement.bank_ref(), op->Path("bank_ref"), IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(
      op->ValueDate(movement.has_value_date(), movement.value_date(), op->Path("value_date"))
          .status());
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(direction, movement.bank_ref()));
  return amount;
}

// remit_interest and reimburse_charges.
Result<Fen> CheckRemittance(Op* op, const pb::RemitInterest& remit, Table direction) {
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(remit.amount(), op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(remit.bank_ref(), op->Path("bank_ref"), IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(direction, remit.bank_ref()));
  return amount;
}

Status RefuseOverBank(const BankMoney& money, const Fen& amount) {
  if (money.bank_fen >= amount) return Status::Ok();
  return {Code::kInsufficientFunds, "the special account holds " + FormatAmount(money.bank_fen) +
                                        "; the bank charge is " + FormatAmount(amount)};
}

Status RefuseOverInterest(const BankMoney& money, const Fen& amount) {
  if (money.interest_fen >= amount) return Status::Ok();
  return {Code::kInsufficientFunds, "the interest account holds " +
                                        FormatAmount(money.interest_fen) + "; " +
                                        FormatAmount(amount) + " requested"};
}

// Charges not yet reimbursed are what the budget owes, not money held: more than that is the
// wrong state, not missing funds (README Decisions, issue 17).
Status RefuseOverCharges(const BankMoney& money, const Fen& amount) {
  if (money.charges_fen >= amount) return Status::Ok();
  return Status::InvalidState("charges not yet reimbursed are " + FormatAmount(money.charges_fen) +
                              "; " + FormatAmount(amount) + " cannot be reimbursed");
}

// The enforcement case that receives preserved money: 执 or 执恢, not 执保.
Status CheckTransferTypes(const pb::CaseRecord& from, const pb::CaseRecord& to) {
  if (from.type_code() != pb::CASE_TYPE_PRESERVATION) {
    return Status::InvalidArgument("transfer_preserved.from_case_no: case " + from.case_no() +
                                   " is not a preservation case (执保)");
  }
  if (to.type_code() != pb::CASE_TYPE_ENFORCEMENT && to.type_code() != pb::CASE_TYPE_RESTORED) {
    return Status::InvalidArgument("transfer_preserved.to_case_no: case " + to.case_no() +
                                   " is not an enforcement case (执 or 执恢)");
  }
  return Status::Ok();
}

}  // namespace

Status BankInterestOp(Op* op) {
  const pb::BankInterest& interest = op->command().bank_interest();
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount, CheckBankMovement(op, interest, Table::kBankRefIn));
  op->TakeBankRef(Table::kBankRefIn, interest.bank_ref());
  op->Post("bank", amount);
  op->Post("interest", -amount);
  return Status::Ok();
}

Status BankChargeOp(Op* op) {
  const pb::BankInterest& charge = op->command().bank_charge();
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount, CheckBankMovement(op, charge, Table::kBankRefOut));
  CASELEDGER_ASSIGN_OR_RETURN(BankMoney money, LoadBankMoney(op));
  CASELEDGER_RETURN_IF_ERROR(RefuseOverBank(money, amount));
  op->TakeBankRef(Table::kBankRefOut, charge.bank_ref());
  op->Post("charges", amount);
  op->Post("bank", -amount);
  return Status::Ok();
}

Status RemitInterestOp(Op* op) {
  const pb::RemitInterest& remit = op->command().remit_interest();
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount, CheckRemittance(op, remit, Table::kBankRefOut));
  CASELEDGER_ASSIGN_OR_RETURN(BankMoney money, LoadBankMoney(op));
  CASELEDGER_RETURN_IF_ERROR(RefuseOverInterest(money, amount));
  op->TakeBankRef(Table::kBankRefOut, remit.bank_ref());
  op->Post("interest", amount);
  op->Post("bank", -amount);
  return Status::Ok();
}

Status ReimburseChargesOp(Op* op) {
  const pb::RemitInterest& reimburse = op->command().reimburse_charges();
  CASELEDGER_ASSIGN_OR_RETURN(Fen amount, CheckRemittance(op, reimburse, Table::kBankRefIn));
  CASELEDGER_ASSIGN_OR_RETURN(BankMoney money, LoadBankMoney(op));
  CASELEDGER_RETURN_IF_ERROR(RefuseOverCharges(money, amount));
  op->TakeBankRef(Table::kBankRefIn, reimburse.bank_ref());
  op->Post("bank", amount);
  op->Post("charges", -amount);
  return Status::Ok();
}

// A reversed bank_interest takes its interest back out of the bank (unless already remitted);
// a reversed bank_charge puts the charge back (unless already reimbursed). Either frees its
// bank_ref (SPEC §6 invariant 5).
Status ReverseBankMoney(Op* op, const pb::Entry& target) {
  const pb::Command& command = target.command();
  const bool interest = command.has_bank_interest();
  const pb::BankInterest& movement = interest ? command.bank_interest() : command.bank_charge();
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(movement.amount(), "stored amount", AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(op->CheckNotBeforeLedger());
  CASELEDGER_ASSIGN_OR_RETURN(BankMoney money, LoadBankMoney(op));
  if (interest) {
    CASELEDGER_RETURN_IF_ERROR(RefuseOverInterest(money, amount));
    op->Post("interest", amount);
    op->Post("bank", -amount);
    op->tx()->Erase(Table::kBankRefIn, movement.bank_ref());
  } else {
    CASELEDGER_RETURN_IF_ERROR(RefuseOverCharges(money, amount));
    op->Post("bank", amount);
    op->Post("charges", -amount);
    op->tx()->Erase(Table::kBankRefOut, movement.bank_ref());
  }
  return Status::Ok();
}

Status TransferPreservedOp(Op* op) {
  const pb::TransferPreserved& transfer = op->command().transfer_preserved();
  std::optional<Fen> amount;
  if (transfer.has_amount()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        amount, op->Amount(transfer.amount(), op->Path("amount"), AmountKind::kPositive));
  }
  pb::CaseRecord from, to;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(transfer.from_case_no(), op->Path("from_case_no"), &from));
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(transfer.to_case_no(), op->Path("to_case_no"), &to));
  CASELEDGER_RETURN_IF_ERROR(CheckTransferTypes(from, to));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(from));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(to));
  const Fen take = amount.value_or(SumLots(from).free_fen);
  if (take == 0) {
    return {Code::kInsufficientFunds, "case " + from.case_no() + " has 0.00 available"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(from, take));
  CASELEDGER_RETURN_IF_ERROR(TakeOldestFree(&from, take, TakeAs::kConsumed).status());
  from.set_transferred_fen(ToStored(Fen(from.transferred_fen()) + take));
  // Recovered in the enforcement case on `on`: a new lot and an allocation input dated `on`.
  to.set_received_fen(ToStored(Fen(to.received_fen()) + take));
  op->NewLot(&to, take);
  op->AddRecovery(&to, take, op->on());
  op->Post(CaseAccount(from.case_no()), take);
  op->Post(CaseAccount(to.case_no()), -take);
  op->outcome()->set_amount_fen(ToStored(take));
  CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&from));
  return op->SaveCase(&to);
}

// The money goes back to the preservation case as a new lot dated by the reversal; it leaves
// the enforcement case as a reversed claim does (its own lot first, then the newest free money).
Status ReverseTransfer(Op* op, uint64_t target_seq, const pb::Entry& target) {
  const pb::TransferPreserved& transfer = target.command().transfer_preserved();
  const Fen amount = target.outcome().amount_fen();
  pb::CaseRecord from, to;
  CASELEDGER_RETURN_IF_ERROR(
      op->LoadCase(transfer.from_case_no(), "reverse.target_request_id", &from));
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(transfer.to_case_no(), "reverse.target_request_id", &to));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(from));  // money would move into it
  if (!RemoveForReversal(&to, target_seq, amount)) {
    return {Code::kInsufficientFunds, "case " + to.case_no() + " has " +
                                          FormatAmount(SumLots(to).free_fen) +
                                          " available; the reversal takes " + FormatAmount(amount)};
  }
  to.set_received_fen(ToStored(Fen(to.received_fen()) - amount));
  op->AddUncover(&to, amount);
  from.set_transferred_fen(ToStored(Fen(from.transferred_fen()) - amount));
  op->NewLot(&from, amount);
  op->Post(CaseAccount(to.case_no()), amount);
  op->Post(CaseAccount(from.case_no()), -amount);
  CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&to));
  return op->SaveCase(&from);
}

}  // namespace caseledger::engine
