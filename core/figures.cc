#include "core/figures.h"

#include <algorithm>

#include "core/fee.h"
#include "core/lots.h"

namespace caseledger {
namespace {

Date MustDate(const std::string& text) {
  // Stored dates were validated when recorded.
  auto parsed = Date::Parse(text, "stored date");
  return parsed.ok() ? *parsed : Date();
}

}  // namespace

Fen BalanceByFigures(const pb::CaseRecord& r) {
  return Fen(r.received_fen()) - Fen(r.refunded_fen()) - Fen(r.disbursed_fen()) -
         Fen(r.fees_fen()) - Fen(r.costs_fen()) - Fen(r.lodged_fen()) - Fen(r.remitted_fen());
}

CaseFigures EvaluateCase(const pb::CaseRecord& r, Date on) {
  CaseFigures f;
  f.claim_fen = r.claim_fen();
  f.ordinary_interest_fen = r.ordinary_interest_fen();
  f.fee_fen = Fee(f.claim_fen);
  f.recovered_fen = Fen(r.received_fen()) - Fen(r.refunded_fen());
  f.disbursed_fen = r.disbursed_fen();
  f.fees_fen = r.fees_fen();
  f.costs_fen = r.costs_fen();
  f.refunded_fen = r.refunded_fen();
  f.lodged_fen = r.lodged_fen();
  f.remitted_fen = r.remitted_fen();
  const LotTotals totals = SumLots(r);
  f.balance_fen = totals.balance_fen();
  f.held_fen = totals.held_fen;
  f.pending_fen = totals.reserved_fen;
  f.available_fen = totals.free_fen;
  f.fee_due_fen = std::max(Fen(0), f.fee_fen - f.fees_fen);
  const Fen owed = f.claim_fen + f.ordinary_interest_fen + f.fee_fen + f.delay_interest_fen;
  f.outstanding_fen = std::max(Fen(0), owed - f.recovered_fen);
  for (const auto& lot : r.lots()) {
    const Date deadline = MustDate(lot.deadline());
    const Fen payable = Fen(lot.free_fen()) + Fen(lot.reserved_fen());
    if (deadline < on && payable > 0) {
      f.overdue_fen += payable;
      const Date since = deadline.AddDays(1);
      if (!f.oldest_overdue_since || since < *f.oldest_overdue_since) {
        f.oldest_overdue_since = since;
      }
    }
    if (on > MustDate(lot.date()).AddMonths(12)) {
      f.unpaid_over_one_year_fen += payable + Fen(lot.held_fen());
    }
  }
  f.deadline = MustDate(r.filed_on()).AddMonths(r.closure_months());
  return f;
}

}  // namespace caseledger
