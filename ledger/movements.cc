// 收支明细 (ledger/reading.h ReadMovements): the entries booked in the period, each one's
// movements through the bank (core/movements.h), payees named, then filtered.
#include "core/movements.h"

#include <map>

#include "ledger/reading.h"
#include "ledger/records.h"

namespace caseledger {
namespace {

// The latest version of each case a movement names, read once.
class CaseCache {
 public:
  explicit CaseCache(Ledger* ledger) : ledger_(ledger) {}
  // nullptr for movements of no case.
  Result<const pb::CaseRecord*> Get(const std::string& case_no) {
    if (case_no.empty()) return static_cast<const pb::CaseRecord*>(nullptr);
    auto it = cases_.find(case_no);
    if (it == cases_.end()) {
      CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord record, ledger_->GetCase(case_no, {}));
      it = cases_.emplace(case_no, std::move(record)).first;
    }
    return &it->second;
  }

 private:
  Ledger* ledger_;
  std::map<std::string, pb::CaseRecord> cases_;
};

// A confirmed disbursement's payee: its record names the party.
Status NamePayeeOfDisbursement(Ledger* ledger, const pb::Command& command,
                               MoneyMovement* movement) {
  if (!command.has_confirm_disbursement()) return Status::Ok();
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<pb::DisbursementRecord> record,
      records::Load<pb::DisbursementRecord>(ledger, Table::kDisbursement,
                                            command.confirm_disbursement().disbursement_id(), {}));
  if (record) {
    movement->payee_party_id = record->payee();
    movement->counterparty = record->payee();
  }
  return Status::Ok();
}

// The creditor's name for a payee given by party id (kept as given when not a creditor: a
// distribution share to a party of another case).
void NameCreditor(const pb::CaseRecord* record, MoneyMovement* movement) {
  if (record == nullptr || movement->payee_party_id.empty()) return;
  for (const auto& creditor : record->creditors()) {
    if (creditor.party_id() == movement->payee_party_id && !creditor.name().empty()) {
      movement->counterparty = creditor.name();
    }
  }
}

}  // namespace

Result<MovementReading> ReadMovements(Ledger* ledger, const MovementQuery& query) {
  MovementReading reading;
  // Every entry up to the last one of the ledger as of the day before `from` is dated before it.
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord before,
                              ledger->GetGlobal(PointInTime{std::nullopt, query.from.AddDays(-1)}));
  const std::string from = query.from.ToString();
  const std::string to = query.to.ToString();
  CaseCache cases(ledger);
  auto visit = [&](const StoredEntry& stored) -> Status {
    const pb::Command& command = EffectiveCommand(stored.entry);
    if (command.on() < from || command.on() > to) return Status::Ok();
    CASELEDGER_ASSIGN_OR_RETURN(std::vector<MoneyMovement> movements,
                                MovementsOf(stored.seq, stored.entry));
    for (MoneyMovement& movement : movements) {
      CASELEDGER_RETURN_IF_ERROR(NamePayeeOfDisbursement(ledger, command, &movement));
      CASELEDGER_ASSIGN_OR_RETURN(const pb::CaseRecord* record, cases.Get(movement.case_no));
      NameCreditor(record, &movement);
      if (query.judge && (record == nullptr || record->judge() != *query.judge)) continue;
      if (Selected(query.filter, movement)) reading.movements.push_back(std::move(movement));
    }
    return Status::Ok();
  };
  const uint64_t first = before.last_seq() + 1;
  if (first <= ledger->head_seq()) {
    CASELEDGER_RETURN_IF_ERROR(ledger->ForEachEntry(first, ledger->head_seq(), visit));
  }
  reading.totals = TotalsOf(reading.movements);
  return reading;
}

}  // namespace caseledger
