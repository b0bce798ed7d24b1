// Reconciling a bank statement (ledger/reconciling.h): the ledger's side, the matching, and
// booking the bank-only receipts (SPEC §4 --record).
#include "ledger/reconciling.h"

#include <algorithm>
#include <set>

#include "core/command_json.h"
#include "core/identifiers.h"
#include "core/limits.h"
#include "core/money.h"
#include "ledger/records.h"

namespace caseledger {
namespace {

// The period: --period, else the statement's first to last value date.
Result<std::pair<Date, Date>> PeriodOf(const std::vector<StatementLine>& lines,
                                       const std::optional<std::pair<Date, Date>>& flag) {
  if (flag) return *flag;
  if (lines.empty()) {
    return Status::InvalidArgument("the statement has no lines: give --period FROM:TO");
  }
  Date from = lines.front().value_date, to = from;
  for (const StatementLine& line : lines) {
    from = std::min(from, line.value_date);
    to = std::max(to, line.value_date);
  }
  return std::pair(from, to);
}

// ---- Recording (SPEC §4 --record).

// The case a virtual account names when it is open or suspended: a receipt goes there.
Result<std::optional<std::string>> OpenCaseOf(Ledger* ledger, const std::string& account_no) {
  if (!IsValidAccountNumber(account_no)) return std::optional<std::string>();
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<std::string> case_no,
                              ledger->GetRecord(Table::kAccount, account_no, PointInTime{}));
  if (!case_no) return std::optional<std::string>();
  CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord record, ledger->GetCase(*case_no, PointInTime{}));
  if (record.status() == pb::CASE_STATUS_CLOSED) return std::optional<std::string>();
  return case_no;
}

// What --record books a bank-only line as (SPEC §4): an inbound line of kind `interest` as
// bank_interest, an outbound one of kind `charge` as bank_charge, any other inbound line as a
// receipt or an unidentified receipt (decided by its virtual account); nothing else.
std::optional<pb::Operation> RecordedAs(const StatementLine& line) {
  if (line.direction == Direction::kIn) {
    if (line.kind == LineKind::kInterest) return pb::OPERATION_BANK_INTEREST;
    if (line.kind == LineKind::kNone) return pb::OPERATION_RECEIPT;
    return std::nullopt;  // an inbound `charge` line: the bank's own, and no operation fits it
  }
  if (line.kind == LineKind::kCharge) return pb::OPERATION_BANK_CHARGE;
  return std::nullopt;
}

pb::Command CommandFor(const StatementLine& line, pb::Operation op, bool to_case,
                       const ReconcileRequest& options) {
  pb::Command command;
  command.set_request_id("reconcile:" + line.bank_ref);
  command.set_operator_(options.operator_name);
  command.set_on(options.on.empty() ? line.value_date.ToString() : options.on);
  if (op == pb::OPERATION_BANK_INTEREST || op == pb::OPERATION_BANK_CHARGE) {
    pb::BankInterest* movement = op == pb::OPERATION_BANK_INTEREST ? command.mutable_bank_interest()
                                                                   : command.mutable_bank_charge();
    movement->set_amount(FormatAmount(line.amount_fen));
    movement->set_bank_ref(line.bank_ref);
    movement->set_value_date(line.value_date.ToString());
    return command;
  }
  if (to_case) {
    pb::Receipt* receipt = command.mutable_receipt();
    receipt->set_account_no(line.virtual_account);
    receipt->set_amount(FormatAmount(line.amount_fen));
    receipt->set_bank_ref(line.bank_ref);
    receipt->set_source("other");
    if (!line.counterparty.empty()) receipt->set_payer(line.counterparty);
    receipt->set_value_date(line.value_date.ToString());
    return command;
  }
  pb::UnidentifiedReceipt* receipt = command.mutable_unidentified_receipt();
  receipt->set_amount(FormatAmount(line.amount_fen));
  receipt->set_bank_ref(line.bank_ref);
  if (!line.counterparty.empty()) receipt->set_payer(line.counterparty);
  if (!line.memo.empty()) receipt->set_memo(line.memo);
  receipt->set_value_date(line.value_date.ToString());
  return command;
}

// The entry already holding a bank-only line, if any: one recorded under its request id
// (whatever its body), or one holding its reference in the line's direction, booked with a bank
// date outside the period (recording the line again would be DUPLICATE_BANK_REF). 0 if none.
Result<uint64_t> EntryHolding(Ledger* ledger, const StatementLine& line,
                              const std::string& request_id) {
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<pb::RequestRecord> request,
      records::Load<pb::RequestRecord>(ledger, Table::kRequest, request_id, {}));
  if (request) return request->seq();
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<std::string> held,
      ledger->GetRecord(line.direction == Direction::kIn ? Table::kBankRefIn : Table::kBankRefOut,
                        line.bank_ref, {}));
  if (!held) return uint64_t{0};
  uint64_t seq = 0;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeSeqValue(*held, &seq));
  return seq;
}

// Stages one bank-only line booked as `op`; *outcome says what became of it (until the commit).
// With options.record_through, the command is added to *through instead, its outcome said later.
Status StageLine(Ledger* ledger, const StatementLine& line, pb::Operation op,
                 const ReconcileRequest& options, std::set<std::string>* seen,
                 RecordOutcome* outcome, std::vector<ParsedCommand>* through) {
  outcome->request_id = "reconcile:" + line.bank_ref;
  CASELEDGER_ASSIGN_OR_RETURN(const uint64_t holder,
                              EntryHolding(ledger, line, outcome->request_id));
  // Already in the ledger (or twice in this statement): skipped.
  if (holder != 0 || !seen->insert(outcome->request_id).second) {
    outcome->kind = RecordOutcome::Kind::kSkipped;
    if (holder == 0) return Status::Ok();
    CASELEDGER_ASSIGN_OR_RETURN(StoredEntry entry, ledger->GetEntry(holder));
    outcome->seq = holder;
    outcome->ledger_date = BankDateOf(entry.entry.command());
    return Status::Ok();
  }
  std::optional<std::string> case_no;
  if (op == pb::OPERATION_RECEIPT) {
    CASELEDGER_ASSIGN_OR_RETURN(case_no, OpenCaseOf(ledger, line.virtual_account));
    if (!case_no) op = pb::OPERATION_UNIDENTIFIED_RECEIPT;
  }
  ParsedCommand parsed;
  parsed.command = CommandFor(line, op, case_no.has_value(), options);
  parsed.request_id = parsed.command.request_id();
  outcome->op = op;
  outcome->case_no = case_no.value_or("");
  if (options.record_through) {
    through->push_back(std::move(parsed));
    return Status::Ok();
  }
  const CommandResult result = ledger->Stage(parsed);
  if (result.status.code() == Code::kIoError || result.status.code() == Code::kCorruption) {
    return result.status;
  }
  outcome->kind =
      result.status.ok() ? RecordOutcome::Kind::kRecorded : RecordOutcome::Kind::kNotRecorded;
  outcome->status = result.status;
  outcome->seq = result.seq;
  return Status::Ok();
}

// Records every bank-only line that RecordedAs names, committing in groups of
// kGroupCommandsMax.
Status RecordBankOnly(Ledger* ledger, const std::vector<StatementLine>& lines,
                      const ReconcileRequest& options, ReconcileReading* reading) {
  std::set<std::string> seen;
  std::vector<ParsedCommand> through;  // options.record_through's commands
  std::vector<size_t> through_outcomes;
  for (size_t index : reading->rec.bank_only) {
    const StatementLine& line = lines[index];
    const std::optional<pb::Operation> op = RecordedAs(line);
    if (!op) continue;  // other outbound lines are never recorded
    RecordOutcome outcome;
    outcome.line = index;
    const size_t before = through.size();
    CASELEDGER_RETURN_IF_ERROR(StageLine(ledger, line, *op, options, &seen, &outcome, &through));
    if (through.size() > before) through_outcomes.push_back(reading->outcomes.size());
    reading->outcomes.push_back(std::move(outcome));
    if (ledger->staged_entries() >= kGroupCommandsMax) CASELEDGER_RETURN_IF_ERROR(ledger->Commit());
  }
  if (!options.record_through) return ledger->Commit();
  const std::vector<CommandResult> results = options.record_through(std::move(through));
  for (size_t i = 0; i < results.size() && i < through_outcomes.size(); ++i) {
    const CommandResult& result = results[i];
    if (result.status.code() == Code::kIoError || result.status.code() == Code::kCorruption) {
      return result.status;
    }
    RecordOutcome& outcome = reading->outcomes[through_outcomes[i]];
    outcome.kind =
        result.status.ok() ? RecordOutcome::Kind::kRecorded : RecordOutcome::Kind::kNotRecorded;
    outcome.status = result.status;
    outcome.seq = result.seq;
  }
  return Status::Ok();
}

}  // namespace

Result<ReconcileReading> ReconcileStatement(const std::string& directory,
                                            const std::vector<StatementLine>& lines,
                                            const ReconcileRequest& request) {
  CASELEDGER_RETURN_IF_ERROR(PeriodOf(lines, request.period).status());
  CASELEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, request.record
                                                                  ? Ledger::OpenForWrite(directory)
                                                                  : Ledger::OpenForRead(directory));
  return ReconcileStatement(ledger.get(), lines, request);
}

Result<ReconcileReading> ReconcileStatement(Ledger* ledger, const std::vector<StatementLine>& lines,
                                            const ReconcileRequest& request) {
  CASELEDGER_ASSIGN_OR_RETURN(const auto period, PeriodOf(lines, request.period));
  ReconcileReading reading;
  CASELEDGER_ASSIGN_OR_RETURN(reading.activity,
                              ledger->GetBankActivity(period.first, period.second));
  CASELEDGER_ASSIGN_OR_RETURN(pb::RulesRecord rules, ledger->GetRules(PointInTime{}));
  reading.window_days = rules.reconcile_window_days();
  reading.rec =
      Reconcile(lines, reading.activity.movements, reading.activity.case_of_account, period.first,
                period.second, reading.activity.balance_fen, reading.window_days);
  if (request.record) {
    CASELEDGER_RETURN_IF_ERROR(RecordBankOnly(ledger, lines, request, &reading));
  }
  return reading;
}

}  // namespace caseledger
