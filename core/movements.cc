#include "core/movements.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "core/engine.h"
#include "core/identifiers.h"
#include "core/names.h"
#include "core/reconcile.h"

namespace caseledger {
namespace {

// The string field `name` of the command's operation message, "" when it has none: the
// bank references, payers and payees of every operation are found by their SPEC names.
std::string OperationField(const pb::Command& command, const std::string& name) {
  const google::protobuf::OneofDescriptor* op = pb::Command::descriptor()->FindOneofByName("op");
  const google::protobuf::Reflection* reflection = command.GetReflection();
  const google::protobuf::FieldDescriptor* chosen =
      reflection->GetOneofFieldDescriptor(command, op);
  if (chosen == nullptr || chosen->message_type() == nullptr) return "";
  const google::protobuf::Message& body = reflection->GetMessage(command, chosen);
  const google::protobuf::FieldDescriptor* field = body.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return body.GetReflection()->GetString(body, field);
}

Result<Date> StoredDate(uint64_t seq, const std::string& text) {
  Result<Date> date = Date::Parse(text, "stored date");
  if (!date.ok()) return Status::Corruption("entry " + std::to_string(seq) + ": a bad date");
  return date;
}

// One movement per item: each is its own payment, with its own bank reference.
Status AddItems(const pb::Command& command, const Fen& bank_fen, MoneyMovement base,
                std::vector<MoneyMovement>* out) {
  Fen total = 0;
  for (const auto& item : command.collective_disbursement().items()) {
    Result<Fen> amount = ParseAmount(item.amount(), "stored amount", AmountKind::kPositive);
    Result<CaseNumber> number = ParseCaseNumber(item.case_no(), "stored case_no");
    if (!amount.ok() || !number.ok()) {
      return Status::Corruption("entry " + std::to_string(base.seq) + ": an item does not parse");
    }
    total += *amount;
    MoneyMovement movement = base;
    movement.case_no = number->text;
    movement.payee_party_id = item.payee();
    movement.counterparty = item.payee();
    movement.amount_fen = *amount;
    movement.bank_ref = item.bank_ref();
    out->push_back(std::move(movement));
  }
  // Paired check: the items are what left the bank.
  if (total != -bank_fen) {
    return Status::Corruption("entry " + std::to_string(base.seq) +
                              ": the items of a collective disbursement do not sum to its payment");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<MoneyMovement>> MovementsOf(uint64_t seq, const pb::Entry& entry) {
  const pb::Command& command = EffectiveCommand(entry);
  Fen bank = 0;
  MoneyMovement movement;
  for (const auto& posting : entry.postings()) {
    if (posting.account() == "bank") bank += posting.amount_fen();
    if (auto of = CaseOfPostingAccount(posting.account())) movement.case_no = std::string(*of);
  }
  std::vector<MoneyMovement> movements;
  if (bank == 0) return movements;
  movement.seq = seq;
  CASELEDGER_ASSIGN_OR_RETURN(movement.on, StoredDate(seq, command.on()));
  CASELEDGER_ASSIGN_OR_RETURN(movement.value_date, StoredDate(seq, BankDateOf(command)));
  movement.op = OperationOf(command);
  movement.direction = bank > 0 ? Direction::kIn : Direction::kOut;
  if (command.has_collective_disbursement()) {
    CASELEDGER_RETURN_IF_ERROR(AddItems(command, bank, movement, &movements));
    return movements;
  }
  movement.amount_fen = bank > 0 ? bank : Fen(-bank);
  // refund_unidentified names the refund's own reference besides the receipt's.
  movement.bank_ref = OperationField(command, "refund_bank_ref");
  if (movement.bank_ref.empty()) movement.bank_ref = OperationField(command, "bank_ref");
  movement.counterparty = OperationField(command, bank > 0 ? "payer" : "payee");
  movements.push_back(std::move(movement));
  return movements;
}

bool Selected(const MovementFilter& filter, const MoneyMovement& movement) {
  if (filter.case_no && movement.case_no != *filter.case_no) return false;
  if (filter.court) {
    Result<CaseNumber> number = ParseCaseNumber(movement.case_no, "case_no");
    if (!number.ok() || !number->court.starts_with(*filter.court)) return false;
  }
  if (filter.bank_ref && movement.bank_ref != *filter.bank_ref) return false;
  if (filter.payer && movement.counterparty.find(*filter.payer) == std::string::npos) return false;
  if (filter.min_fen && movement.amount_fen < *filter.min_fen) return false;
  if (filter.max_fen && movement.amount_fen > *filter.max_fen) return false;
  return !filter.direction || movement.direction == *filter.direction;
}

MovementTotals TotalsOf(const std::vector<MoneyMovement>& movements) {
  MovementTotals totals;
  for (const MoneyMovement& movement : movements) {
    (movement.direction == Direction::kIn ? totals.in_fen : totals.out_fen) += movement.amount_fen;
    ++totals.count;
  }
  return totals;
}

}  // namespace caseledger
