// A bank statement reconciled against the ledger (SPEC §4; a front door beside ledger.h): the
// ledger's side gathered (Ledger::GetBankActivity), matched (core/reconcile.h), and with
// --record the bank-only receipts booked, each where it belongs: a receipt of the case whose
// virtual account the line names while that case is not closed, else unidentified money.
#ifndef CASELEDGER_LEDGER_RECONCILING_H_
#define CASELEDGER_LEDGER_RECONCILING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/reconcile.h"
#include "core/statement.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger {

// Who records the bank-only lines when no one is named (SPEC §4).
inline constexpr char kReconcileOperator[] = "reconcile";

struct ReconcileRequest {
  // --period FROM:TO; nullopt: the statement's first to last value date.
  std::optional<std::pair<Date, Date>> period;
  bool record = false;  // book the bank-only inbound lines
  std::string operator_name = kReconcileOperator;
  std::string on;  // the date of what is recorded; "": each line's value_date
  // caseledgerd's writer: records the commands and gives each one's result, in order (the ledger
  // reconciled on is then a snapshot). Unset: they are staged and committed on the ledger.
  std::function<std::vector<CommandResult>(std::vector<ParsedCommand>)> record_through;
};

// What --record did with one bank-only inbound line.
struct RecordOutcome {
  enum class Kind { kRecorded, kNotRecorded, kSkipped };
  Kind kind = Kind::kRecorded;
  size_t line = 0;  // index into the statement's lines
  std::string request_id;
  uint64_t seq = 0;
  pb::Operation op = pb::OPERATION_UNSPECIFIED;  // receipt or unidentified_receipt
  std::string case_no;                           // a receipt's case
  Status status;                                 // why it was not recorded
  std::string ledger_date;  // skipped: the bank date of the entry already holding the line
};

struct ReconcileReading {
  BankActivity activity;                // the ledger's side; rec's movement indices point into it
  Reconciliation rec;                   // its line indices point into the statement's lines
  int window_days = 0;                  // the rules' date window of matching by virtual account
  std::vector<RecordOutcome> outcomes;  // with record, one per bank-only inbound line
};

// Opens the ledger in `directory` (for writing when request.record, else read-only) and
// reconciles the statement's lines with it over the period; with request.record, books every
// bank-only inbound line not in the ledger yet, committing in groups. INVALID_ARGUMENT when the
// statement has no lines and no period is given.
Result<ReconcileReading> ReconcileStatement(const std::string& directory,
                                            const std::vector<StatementLine>& lines,
                                            const ReconcileRequest& request);
// The same on a ledger already open (caseledgerd's snapshot); --record needs it open for writing.
Result<ReconcileReading> ReconcileStatement(Ledger* ledger, const std::vector<StatementLine>& lines,
                                            const ReconcileRequest& request);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_RECONCILING_H_
