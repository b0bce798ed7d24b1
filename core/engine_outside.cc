// Money that does not move through the special account: direct performance and settlement in
// kind (recovered and disbursed at once), a receipt moved to the case it belongs to, and
// judicial relief paid from the state fund; and their reversals.
#include <algorithm>
#include <optional>

#include "core/command_json.h"
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/lots.h"

namespace caseledger::engine {
namespace {

uint64_t DecodeSeq(const std::string& bytes) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    seq = (seq << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return seq;
}

Fen StoredAmount(const std::string& text) {
  // Stored commands were validated when recorded.
  Result<Fen> amount = ParseAmount(text, "stored amount", AmountKind::kPositive);
  return amount.ok() ? *amount : Fen(0);
}

// Recovered and disbursed at once: recovered_elsewhere counts in both figures, so the balance
// and the lots do not change and the entry has no postings (no money moves through the bank).
Status RecoverOutside(Op* op, const std::string& case_no, const Fen& amount,
                      std::optional<Date> stop_date) {
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, op->Path("case_no"), &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  record.set_recovered_elsewhere_fen(ToStored(Fen(record.recovered_elsewhere_fen()) + amount));
  op->AddRecovery(&record, amount, op->on(), stop_date);
  return op->SaveCase(&record);
}

// A receipt found by its entry: its command, its request record, the case holding it now.
struct ReceiptAt {
  uint64_t seq = 0;
  pb::Entry entry;
  pb::RequestRecord request;
  std::string case_no;
  Fen amount_fen = 0;
};

Status LoadReceiptAt(Op* op, uint64_t seq, ReceiptAt* receipt) {
  std::string bytes;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->ReadEntry(seq, &bytes, &found));
  if (!found || !receipt->entry.ParseFromString(bytes)) {
    return Status::Corruption("entry " + std::to_string(seq) + " is missing");
  }
  receipt->seq = seq;
  const pb::Command& command = receipt->entry.command();
  if (!command.has_receipt()) return Status::Ok();  // the caller names what it is instead
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kRequest, command.request_id(), &receipt->request, &found));
  if (!found)
    return Status::Corruption("the request of entry " + std::to_string(seq) + " is missing");
  receipt->amount_fen = StoredAmount(command.receipt().amount());
  // Recorded to the case its postings name, unless reassigned since.
  for (const auto& posting : receipt->entry.postings()) {
    if (posting.account().starts_with("case:")) receipt->case_no = posting.account().substr(5);
  }
  if (receipt->request.has_case_no()) receipt->case_no = receipt->request.case_no();
  return Status::Ok();
}

// Moves the receipt's money, its lot (or the pieces a released hold split it into) with its
// date and deadline, and its place in the allocation, from one case to the other. Only money
// still wholly free moves: held or reserved money is spoken for, and money paid out is gone.
Status MoveReceipt(Op* op, const ReceiptAt& receipt, pb::CaseRecord* from, pb::CaseRecord* to) {
  const std::string& bank_ref = receipt.entry.command().receipt().bank_ref();
  Fen free = 0;
  for (const auto& lot : from->lots()) {
    if (lot.origin_seq() == receipt.seq) free += lot.free_fen();
  }
  if (free < receipt.amount_fen) {
    return {Code::kInsufficientFunds,
            "case " + from->case_no() + " holds " + FormatAmount(free) + " of receipt " + bank_ref +
                " (" + FormatAmount(receipt.amount_fen) +
                ") free; the rest is held, reserved for a disbursement or paid out"};
  }
  for (auto& lot : *from->mutable_lots()) {
    if (lot.origin_seq() != receipt.seq) continue;
    Result<Date> date = Date::Parse(lot.date(), "stored date");
    Result<Date> deadline = Date::Parse(lot.deadline(), "stored date");
    if (!date.ok() || !deadline.ok()) return Status::Corruption("a stored lot date does not parse");
    AddLot(to, *date, *deadline, Fen(lot.free_fen()), receipt.seq);
    lot.set_free_fen(0);  // dropped by SaveCase
  }
  auto* recoveries = from->mutable_recoveries();
  auto recovery = std::find_if(recoveries->begin(), recoveries->end(),
                               [&](const pb::Recovery& r) { return r.seq() == receipt.seq; });
  if (recovery == recoveries->end()) {
    return Status::Corruption("case " + from->case_no() + " lacks the recovery of entry " +
                              std::to_string(receipt.seq));
  }
  // The money was the other case's all along: it pays that case's claim from its value date.
  *to->add_recoveries() = *recovery;
  recoveries->erase(recovery);
  from->set_received_fen(ToStored(Fen(from->received_fen()) - receipt.amount_fen));
  to->set_received_fen(ToStored(Fen(to->received_fen()) + receipt.amount_fen));
  op->Post(CaseAccount(from->case_no()), receipt.amount_fen);
  op->Post(CaseAccount(to->case_no()), -receipt.amount_fen);
  return Status::Ok();
}

// The receipt's request record names the case that holds its money now (for its reversal).
void NoteReceiptCase(Op* op, ReceiptAt* receipt, const std::string& case_no) {
  receipt->request.set_case_no(case_no);
  op->tx()->PutMessage(Table::kRequest, receipt->entry.command().request_id(), receipt->request);
}

Status ReverseReassignment(Op* op, const pb::Entry& target) {
  ReceiptAt receipt;
  CASELEDGER_RETURN_IF_ERROR(LoadReceiptAt(op, target.outcome().receipt_seq(), &receipt));
  if (!receipt.entry.command().has_receipt()) {
    return Status::Corruption("a reassignment names an entry that is not a receipt");
  }
  std::string from_case;  // where the reassignment took the money from: its debited case
  for (const auto& posting : target.postings()) {
    if (posting.amount_fen() > 0) from_case = posting.account().substr(5);
  }
  pb::CaseRecord from, to;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(target.command().reassign_receipt().to_case_no(),
                                          "reverse.target_request_id", &to));
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(from_case, "reverse.target_request_id", &from));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(from));  // the money would go back into it
  const std::string& bank_ref = receipt.entry.command().receipt().bank_ref();
  if (receipt.request.reversed()) {
    return Status::InvalidState("receipt " + bank_ref + " was reversed since");
  }
  if (receipt.case_no != to.case_no()) {
    return Status::InvalidState("receipt " + bank_ref + " was reassigned again since (to case " +
                                receipt.case_no + "): reverse that first");
  }
  CASELEDGER_RETURN_IF_ERROR(MoveReceipt(op, receipt, &to, &from));
  NoteReceiptCase(op, &receipt, from.case_no());
  CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&to));
  return op->SaveCase(&from);
}

Status ReverseRecoveredOutside(Op* op, const pb::Entry& target) {
  const pb::Command& command = target.command();
  const std::string& case_no = command.has_direct_performance()
                                   ? command.direct_performance().case_no()
                                   : command.settle_in_kind().case_no();
  const Fen amount =
      StoredAmount(command.has_direct_performance() ? command.direct_performance().amount()
                                                    : command.settle_in_kind().amount());
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, "reverse.target_request_id", &record));
  // A closed case's figures are final: a performance that did not happen reopens the matter
  // by restoration (恢复执行), not by changing the closed case.
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  record.set_recovered_elsewhere_fen(ToStored(Fen(record.recovered_elsewhere_fen()) - amount));
  op->AddUncover(&record, amount);  // as a reversed receipt: undone as of the reversal
  return op->SaveCase(&record);
}

Status ReverseRelief(Op* op, uint64_t target_seq, const pb::Entry& target) {
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(target.command().relief_payment().case_no(),
                                          "reverse.target_request_id", &record));
  pb::ReliefPaid* relief = nullptr;
  for (auto& paid : *record.mutable_reliefs()) {
    if (paid.seq() == target_seq) relief = &paid;
  }
  if (relief == nullptr) return Status::Corruption("a relief payment is missing from its case");
  relief->set_reversed(true);
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(op->LoadGlobal(&global));
  global.set_relief_paid_fen(ToStored(Fen(global.relief_paid_fen()) - Fen(relief->amount_fen())));
  op->tx()->PutMessage(Table::kGlobal, "", global);
  return op->SaveCase(&record);
}

}  // namespace

Status DirectPerformanceOp(Op* op) {
  const pb::DirectPerformance& performance = op->command().direct_performance();
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(performance.amount(), op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(CheckText(performance.reason(), op->Path("reason")));
  return RecoverOutside(op, performance.case_no(), amount, std::nullopt);
}

Status SettleInKindOp(Op* op) {
  const pb::SettleInKind& settlement = op->command().settle_in_kind();
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(settlement.amount(), op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(CheckText(settlement.property(), op->Path("property")));
  std::optional<Date> ruling_on;
  if (settlement.has_ruling_on()) {
    CASELEDGER_ASSIGN_OR_RETURN(ruling_on,
                                op->DateField(settlement.ruling_on(), op->Path("ruling_on")));
    if (*ruling_on > op->on()) {
      return Status::InvalidArgument(op->Path("ruling_on") + ": is after on (" +
                                     op->on().ToString() + ")");
    }
  }
  // 法释〔2014〕8号: as for a sale, delay interest stops the day the ruling takes effect; it
  // takes its place in the allocation when recorded, as a receipt does at its value date.
  return RecoverOutside(op, settlement.case_no(), amount, ruling_on);
}

Status ReassignReceiptOp(Op* op) {
  const pb::ReassignReceipt& reassign = op->command().reassign_receipt();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(reassign.bank_ref(), op->Path("bank_ref"), IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(CheckText(reassign.reason(), op->Path("reason")));
  pb::CaseRecord to;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(reassign.to_case_no(), op->Path("to_case_no"), &to));
  std::string seq_bytes;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Read(Table::kBankRefIn, reassign.bank_ref(), &seq_bytes, &found));
  if (!found) {
    return {Code::kUnknownReference, "no receipt with bank reference " + reassign.bank_ref()};
  }
  ReceiptAt receipt;
  CASELEDGER_RETURN_IF_ERROR(LoadReceiptAt(op, DecodeSeq(seq_bytes), &receipt));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(to));
  if (!receipt.entry.command().has_receipt()) {
    // An unidentified receipt is claimed into a case; a bank return came back to its case.
    return Status::InvalidState("bank reference " + reassign.bank_ref() + " is not a receipt (" +
                                OperationName(receipt.entry.command()) +
                                "): only a receipt is reassigned");
  }
  if (receipt.case_no == to.case_no()) {
    return Status::InvalidState("receipt " + reassign.bank_ref() + " is already in case " +
                                to.case_no());
  }
  pb::CaseRecord from;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(receipt.case_no, op->Path("bank_ref"), &from));
  CASELEDGER_RETURN_IF_ERROR(MoveReceipt(op, receipt, &from, &to));
  NoteReceiptCase(op, &receipt, to.case_no());
  op->outcome()->set_receipt_seq(receipt.seq);
  op->outcome()->set_amount_fen(ToStored(receipt.amount_fen));
  CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&from));
  return op->SaveCase(&to);
}

Status ReliefPaymentOp(Op* op) {
  const pb::ReliefPayment& relief = op->command().relief_payment();
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(relief.payee(), op->Path("payee"), IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, op->Amount(relief.amount(), op->Path("amount"), AmountKind::kPositive));
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(relief.bank_ref(), op->Path("bank_ref"), IdKind::kBankRef));
  CASELEDGER_RETURN_IF_ERROR(CheckText(relief.reason(), op->Path("reason")));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(relief.case_no(), op->Path("case_no"), &record));
  bool creditor = false;
  for (const auto& party : record.creditors())
    creditor = creditor || party.party_id() == relief.payee();
  if (!creditor) {
    return {Code::kUnknownReference,
            "party " + relief.payee() + " is not a creditor of case " + record.case_no()};
  }
  // No CheckOpen: relief goes mostly to creditors of cases closed with nothing found (终本).
  // The fund's payment has a bank reference like any payment out; it names one payment.
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, relief.bank_ref()));
  op->TakeBankRef(Table::kBankRefOut, relief.bank_ref());
  pb::ReliefPaid* paid = record.add_reliefs();
  paid->set_seq(op->seq());
  paid->set_on(op->on().ToString());
  paid->set_payee(relief.payee());
  paid->set_amount_fen(ToStored(amount));
  paid->set_bank_ref(relief.bank_ref());
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(op->LoadGlobal(&global));
  global.set_relief_paid_fen(ToStored(Fen(global.relief_paid_fen()) + amount));
  op->tx()->PutMessage(Table::kGlobal, "", global);
  return op->SaveCase(&record);
}

Status ReverseOutside(Op* op, uint64_t target_seq, const pb::Entry& target) {
  const pb::Command& command = target.command();
  if (command.has_reassign_receipt()) return ReverseReassignment(op, target);
  if (command.has_relief_payment()) return ReverseRelief(op, target_seq, target);
  return ReverseRecoveredOutside(op, target);
}

}  // namespace caseledger::engine
