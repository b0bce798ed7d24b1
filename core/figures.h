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
};

// `on` is the evaluation date D.
CaseFigures EvaluateCase(const pb::CaseRecord& record, Date on);

// balance by the figures (recovered − disbursed − fees − costs − lodged − remitted).
Fen BalanceByFigures(const pb::CaseRecord& record);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_FIGURES_H_
