// Every figure of a case on a date (SPEC §3, §7), computed from its stored record.
#ifndef CASELEDGER_CORE_FIGURES_H_
#define CASELEDGER_CORE_FIGURES_H_

#include <optional>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/money.h"

namespace caseledger {

struct CaseFigures {
  Fen claim_fen = 0;
  Fen ordinary_interest_fen = 0;
  Fen fee_fen = 0;
  Fen delay_interest_fen = 0;
  Fen recovered_fen = 0;
  Fen disbursed_fen = 0;
  Fen fees_fen = 0;
  Fen costs_fen = 0;
  Fen refunded_fen = 0;
  Fen lodged_fen = 0;
  Fen remitted_fen = 0;
  Fen transferred_fen = 0;  // preserved money moved out by transfer_preserved
  Fen balance_fen = 0;
  Fen held_fen = 0;
  Fen pending_fen = 0;
  Fen available_fen = 0;
  Fen outstanding_fen = 0;
  Fen fee_due_fen = 0;
  Fen overdue_fen = 0;
  std::optional<Date> oldest_overdue_since;
  Fen unpaid_over_one_year_fen = 0;
  Date deadline;  // closure deadline
  Fen chain_recovered_fen = 0;
  Fen chain_fees_fen = 0;  // fees charged over the restoration chain
};

// `on` is the evaluation date D. `chain` is the case's restoration chain, first case first,
// each as of the same point in time; it contains `record`. The chain shares the first case's
// claim, ordinary interest, performance due, fee and allocation (SPEC §2 restore_case).
CaseFigures EvaluateCase(const pb::CaseRecord& record, const std::vector<pb::CaseRecord>& chain,
                         Date on);
// A case on its own (a chain of one).
CaseFigures EvaluateCase(const pb::CaseRecord& record, Date on);

// filed_on + (closure_months + extensions) months + the days of every suspension, a running
// one counting up to `on` (or the closure).
Date ClosureDeadline(const pb::CaseRecord& record, Date on);
// How the closure deadline was reached: the filing date, the months of closure_months and of the
// extensions, the days of the suspensions.
struct DeadlineBasis {
  std::string filed_on;
  int closure_months = 0;
  int extension_months = 0;
  int64_t suspended_days = 0;
};
DeadlineBasis ClosureDeadlineBasis(const pb::CaseRecord& record, Date on);
// The basis as JSON's `deadline_basis` (and English tables) give it: "filed_on 2024-01-02 + 6
// months (closure_months) + 3 months (extensions) + 10 days (suspensions)".
std::string DeadlineBasisWire(const DeadlineBasis& basis);

// SPEC §7 recovered: receipts and claims in (reassigned receipts where they are now), less
// refunds and shares paid outside the case, plus money recovered outside this account
// (shares of other cases' distributions paid to its creditors, direct performance,
// settlements in kind).
Fen RecoveredOf(const pb::CaseRecord& record);

// balance by the figures (recovered − disbursed − fees − costs − lodged − remitted −
// transferred).
Fen BalanceByFigures(const pb::CaseRecord& record);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_FIGURES_H_
