#include "core/figures.h"

#include <algorithm>

#include "core/allocation.h"
#include "core/fee.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger {
namespace {

Date StoredDate(const std::string& text) {
  // Stored dates were validated when recorded.
  auto parsed = Date::Parse(text, "stored date");
  return parsed.ok() ? *parsed : Date();
}

ChainTerms TermsOf(const pb::CaseRecord& first) {
  ChainTerms terms;
  terms.claim_fen = first.claim_fen();
  terms.ordinary_interest_fen = first.ordinary_interest_fen();
  if (first.has_performance_due()) terms.performance_due = StoredDate(first.performance_due());
  if (first.fee_base() != pb::FEE_BASE_UNSPECIFIED) terms.fee_base = first.fee_base();
  terms.bears_fee = first.type_code() != pb::CASE_TYPE_PRESERVATION;
  if (first.allocation_order_size() == 4) {
    terms.order = ValuesOf<pb::AllocationPart>(first.allocation_order());
  }
  return terms;
}

std::vector<AllocationEvent> EventsOf(const std::vector<pb::CaseRecord>& chain) {
  std::vector<AllocationEvent> events;
  for (const auto& record : chain) {
    for (const auto& recovery : record.recoveries()) {
      AllocationEvent event{StoredDate(recovery.value_date()), recovery.seq(),
                            Fen(recovery.amount_fen()), std::nullopt, true};
      if (recovery.has_stop_date()) event.stop_date = StoredDate(recovery.stop_date());
      events.push_back(event);
    }
    for (const auto& uncover : record.uncovers()) {
      events.push_back({StoredDate(uncover.on()), uncover.seq(), Fen(uncover.amount_fen()),
                        std::nullopt, false});
    }
  }
  return events;
}

void EvaluateLots(const pb::CaseRecord& r, Date on, CaseFigures* f) {
  const LotTotals totals = SumLots(r);
  f->balance_fen = totals.balance_fen();
  f->held_fen = totals.held_fen;
  f->pending_fen = totals.reserved_fen;
  f->available_fen = totals.free_fen;
  for (const auto& lot : r.lots()) {
    const Date deadline = StoredDate(lot.deadline());
    const Fen payable = Fen(lot.free_fen()) + Fen(lot.reserved_fen());
    if (deadline < on && payable > 0) {
      f->overdue_fen += payable;
      const Date since = deadline.AddDays(1);
      if (!f->oldest_overdue_since || since < *f->oldest_overdue_since) {
        f->oldest_overdue_since = since;
      }
    }
    if (on > StoredDate(lot.date()).AddMonths(12)) {
      f->unpaid_over_one_year_fen += payable + Fen(lot.held_fen());
    }
  }
}

}  // namespace

Fen RecoveredOf(const pb::CaseRecord& r) {
  return Fen(r.received_fen()) - Fen(r.refunded_fen()) - Fen(r.paid_to_others_fen()) +
         Fen(r.recovered_elsewhere_fen());
}

Fen BalanceByFigures(const pb::CaseRecord& r) {
  // recovered − disbursed − fees − costs − lodged − remitted − transferred, where recovered and
  // disbursed both carry recovered_elsewhere (it cancels) and recovered loses paid_to_others.
  return Fen(r.received_fen()) - Fen(r.refunded_fen()) - Fen(r.paid_to_others_fen()) -
         Fen(r.disbursed_fen()) - Fen(r.fees_fen()) - Fen(r.costs_fen()) - Fen(r.lodged_fen()) -
         Fen(r.remitted_fen()) - Fen(r.transferred_fen());
}

Date ClosureDeadline(const pb::CaseRecord& r, Date on) {
  int months = r.closure_months();
  for (const auto& extension : r.extensions()) months += extension.months();
  Date deadline = StoredDate(r.filed_on()).AddMonths(months);
  for (const auto& suspension : r.suspensions()) {
    Date end = on;
    if (suspension.has_to()) end = StoredDate(suspension.to());
    const Date from = StoredDate(suspension.from());
    deadline = deadline.AddDays(std::max<int64_t>(0, DaysBetween(from, end)));
  }
  return deadline;
}

DeadlineBasis ClosureDeadlineBasis(const pb::CaseRecord& r, Date on) {
  DeadlineBasis basis;
  basis.filed_on = r.filed_on();
  basis.closure_months = r.closure_months();
  for (const auto& extension : r.extensions()) basis.extension_months += extension.months();
  for (const auto& suspension : r.suspensions()) {
    const Date end = suspension.has_to() ? StoredDate(suspension.to()) : on;
    basis.suspended_days += std::max<int64_t>(0, DaysBetween(StoredDate(suspension.from()), end));
  }
  return basis;
}

std::string DeadlineBasisWire(const DeadlineBasis& basis) {
  std::string text = "filed_on " + basis.filed_on + " + " + std::to_string(basis.closure_months) +
                     " months (closure_months)";
  if (basis.extension_months > 0) {
    text += " + " + std::to_string(basis.extension_months) + " months (extensions)";
  }
  if (basis.suspended_days > 0) {
    text += " + " + std::to_string(basis.suspended_days) + " days (suspensions)";
  }
  return text;
}

CaseFigures EvaluateCase(const pb::CaseRecord& r, const std::vector<pb::CaseRecord>& chain,
                         Date on) {
  CaseFigures f;
  const pb::CaseRecord& first = chain.empty() ? r : chain.front();
  f.claim_fen = first.claim_fen();
  f.ordinary_interest_fen = first.ordinary_interest_fen();
  f.recovered_fen = RecoveredOf(r);
  f.disbursed_fen = Fen(r.disbursed_fen()) + Fen(r.recovered_elsewhere_fen());
  f.fees_fen = r.fees_fen();
  f.costs_fen = r.costs_fen();
  f.refunded_fen = r.refunded_fen();
  f.lodged_fen = r.lodged_fen();
  f.remitted_fen = r.remitted_fen();
  f.transferred_fen = r.transferred_fen();
  EvaluateLots(r, on, &f);
  for (const auto& member : chain.empty() ? std::vector<pb::CaseRecord>{r} : chain) {
    f.chain_recovered_fen += RecoveredOf(member);
    f.chain_fees_fen += Fen(member.fees_fen());
  }
  const Allocation allocation = Allocate(
      TermsOf(first), EventsOf(chain.empty() ? std::vector<pb::CaseRecord>{r} : chain), on);
  f.fee_fen = allocation.fee_fen;
  f.delay_interest_fen = allocation.delay_interest_fen;
  f.fee_due_fen = std::max(Fen(0), f.fee_fen - f.chain_fees_fen);
  const Fen owed = f.claim_fen + f.ordinary_interest_fen + f.fee_fen + f.delay_interest_fen;
  f.outstanding_fen = std::max(Fen(0), owed - f.chain_recovered_fen);
  f.deadline = ClosureDeadline(r, on);
  return f;
}

CaseFigures EvaluateCase(const pb::CaseRecord& record, Date on) {
  return EvaluateCase(record, {record}, on);
}

}  // namespace caseledger
