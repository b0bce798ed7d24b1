#include "core/reports.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/figures.h"

namespace caseledger {
namespace {

Date StoredDate(const std::string& text) {
  // Stored dates were validated when recorded.
  Result<Date> parsed = Date::Parse(text, "stored date");
  return parsed.ok() ? *parsed : Date();
}

bool IsOpen(const pb::CaseRecord& record) {
  return record.status() == pb::CASE_STATUS_OPEN || record.status() == pb::CASE_STATUS_SUSPENDED;
}

bool IsPreservation(const pb::CaseRecord& record) {
  return record.type_code() == pb::CASE_TYPE_PRESERVATION;
}

// RULES §7: the closure rate counts neither preservation (执保) nor restored (执恢) cases.
bool OutsideClosureRate(const pb::CaseRecord& record) {
  return record.type_code() == pb::CASE_TYPE_PRESERVATION ||
         record.type_code() == pb::CASE_TYPE_RESTORED;
}

template <typename Parties>
bool AnyOfKind(const Parties& parties, std::initializer_list<pb::PartyKind> kinds) {
  for (const auto& party : parties) {
    for (pb::PartyKind kind : kinds) {
      if (party.kind() == kind) return true;
    }
  }
  return false;
}

bool HasFlag(const pb::CaseRecord& record, pb::CaseFlag flag) {
  return std::find(record.flags().begin(), record.flags().end(), flag) != record.flags().end();
}

// Which of kReportCategories a closed case falls in (a case may fall in several).
std::array<bool, kReportCategories.size()> CategoriesOf(const pb::CaseRecord& r) {
  return {
      r.claim_fen() < kSmallCaseClaimFen,
      AnyOfKind(r.creditors(), {pb::PARTY_KIND_ENTERPRISE, pb::PARTY_KIND_FINANCIAL_INSTITUTION}),
      AnyOfKind(r.creditors(), {pb::PARTY_KIND_FINANCIAL_INSTITUTION}),
      AnyOfKind(r.debtors(), {pb::PARTY_KIND_GOVERNMENT}),
      HasFlag(r, pb::CASE_FLAG_LIVELIHOOD),
      HasFlag(r, pb::CASE_FLAG_ORGANIZED_CRIME_PROPERTY)};
}

// The engine accepts only these modes; nullopt for another (damage, which verify reports).
std::optional<size_t> ModeIndex(pb::ClosureMode mode) {
  for (size_t i = 0; i < kReportClosureModes.size(); ++i) {
    if (kReportClosureModes[i] == mode) return i;
  }
  return std::nullopt;
}

// The figures one case adds to a scope.
void AddCaseTo(const IndicatorCase& c, Date from, Date to, Indicators* s) {
  const pb::CaseRecord& r = *c.at_to;
  const std::string filed_on = r.filed_on();
  const bool filed = filed_on >= from.ToString() && filed_on <= to.ToString();
  const bool carried_over =
      c.before_from != nullptr && c.before_from->status() != pb::CASE_STATUS_CLOSED;
  s->filed += filed ? 1 : 0;
  s->carried_over += carried_over ? 1 : 0;
  if (!OutsideClosureRate(r) && (filed || carried_over)) ++s->closure_rate_base;
  const Fen recovered_to = RecoveredOf(r);
  const Fen change = recovered_to - (c.before_from ? RecoveredOf(*c.before_from) : Fen(0));
  // SPEC §7: a 执保 case's money is preserved, not recovered.
  (IsPreservation(r) ? s->preserved_fen : s->recovered_fen) += change;
  if (IsPreservation(r)) return;
  s->refunded_fen +=
      Fen(r.refunded_fen()) - (c.before_from ? Fen(c.before_from->refunded_fen()) : Fen(0));
}

void AddClosedTo(const IndicatorCase& c, Indicators* s) {
  const pb::CaseRecord& r = *c.at_to;
  const Date closed_on = StoredDate(r.closed_on());
  const Fen recovered_to = RecoveredOf(r);
  ++s->closed;
  if (!OutsideClosureRate(r)) ++s->closure_rate_closed;
  if (const std::optional<size_t> mode = ModeIndex(r.mode())) ++s->modes[*mode];
  if (r.mode() == pb::CLOSURE_MODE_FULLY_PERFORMED) ++s->fully_performed;
  // SPEC §7: the deadline evaluated at the closure (a suspension running then ends then).
  const bool within_limit = closed_on <= ClosureDeadline(r, closed_on);
  const bool with_property = RecoveredOf(c.at_closure ? *c.at_closure : r) > 0;
  s->closed_within_limit += within_limit ? 1 : 0;
  s->closed_with_property += with_property ? 1 : 0;
  s->closed_with_property_within_limit += with_property && within_limit ? 1 : 0;
  if (r.claim_fen() < kSmallCaseClaimFen) {
    ++s->small_cases_closed;
    s->small_cases_recovered_fen += recovered_to;
  }
  const auto categories = CategoriesOf(r);
  for (size_t i = 0; i < categories.size(); ++i) {
    if (!categories[i]) continue;
    ++s->categories[i].closed;
    s->categories[i].recovered_fen += recovered_to;
  }
}

bool InPeriod(const std::string& day, Date from, Date to) {
  return !day.empty() && day >= from.ToString() && day <= to.ToString();
}

}  // namespace

std::optional<Fen> RateTenThousandths(const Fen& numerator, const Fen& denominator) {
  if (denominator == 0) return std::nullopt;
  // Rounded half up, once (SPEC §7).
  return DivideRoundHalfUp(numerator * 10000, denominator);
}

std::string FormatRate(const Fen& ten_thousandths) {
  const bool negative = ten_thousandths < 0;
  const Fen magnitude = negative ? Fen(-ten_thousandths) : ten_thousandths;
  std::string fraction = (magnitude % 10000).str();
  fraction.insert(0, 4 - fraction.size(), '0');
  return (negative ? "-" : "") + Fen(magnitude / 10000).str() + "." + fraction;
}

std::optional<std::string> RateText(const Fen& numerator, const Fen& denominator) {
  const std::optional<Fen> rate = RateTenThousandths(numerator, denominator);
  if (!rate) return std::nullopt;
  return FormatRate(*rate);
}

std::optional<Fen> Indicators::closure_rate() const {
  return RateTenThousandths(closure_rate_closed, closure_rate_base);
}
std::optional<Fen> Indicators::closed_within_limit_rate() const {
  return RateTenThousandths(closed_within_limit, closed);
}
std::optional<Fen> Indicators::with_property_within_limit_rate() const {
  return RateTenThousandths(closed_with_property_within_limit, closed_with_property);
}
std::optional<Fen> Indicators::actual_enforcement_rate() const {
  return RateTenThousandths(fully_performed, closed);
}
std::optional<Fen> Indicators::recovery_rate() const {
  return RateTenThousandths(closed_recovered_fen, closed_claims_fen);
}
std::optional<Fen> Indicators::late_payment_rate() const {
  return RateTenThousandths(paid_late, payments);
}

// ---- Indicators.

IndicatorReport::IndicatorReport(Date from, Date to, GroupBy by) : from_(from), to_(to), by_(by) {}

bool IndicatorReport::ClosedInPeriod(const pb::CaseRecord& at_to) const {
  return at_to.status() == pb::CASE_STATUS_CLOSED && InPeriod(at_to.closed_on(), from_, to_);
}

std::vector<Indicators*> IndicatorReport::ScopesOf(const std::string& key) {
  std::vector<Indicators*> scopes = {&total_};
  if (by_ != GroupBy::kNone) scopes.push_back(&groups_[key]);
  return scopes;
}

void IndicatorReport::AddCase(const IndicatorCase& c) {
  const pb::CaseRecord& r = *c.at_to;
  std::string key;
  if (by_ == GroupBy::kCourt) key = r.court();
  if (by_ == GroupBy::kJudge) key = r.judge();
  key_of_case_[r.case_no()] = key;
  if (r.has_restored_from()) restored_from_[r.case_no()] = r.restored_from();
  money_of_case_[r.case_no()] = {RecoveredOf(r), Fen(r.fees_fen())};
  const bool closed = ClosedInPeriod(r);
  for (Indicators* scope : ScopesOf(key)) {
    AddCaseTo(c, from_, to_, scope);
    if (closed) AddClosedTo(c, scope);
  }
  // SPEC §7: the recovery rate leaves 执保 cases out.
  if (closed && !IsPreservation(r)) {
    closed_claims_.push_back({r.case_no(), key, Fen(r.claim_fen())});
  }
  for (const auto& relief : r.reliefs()) {
    if (relief.reversed() || !InPeriod(relief.on(), from_, to_)) continue;
    for (Indicators* scope : ScopesOf(key)) scope->relief_fen += relief.amount_fen();
    relief_payees_.insert(relief.payee());
    if (by_ != GroupBy::kNone) group_relief_payees_[key].insert(relief.payee());
  }
}

void IndicatorReport::AddEvent(const pb::EventRecord& event) {
  if (!InPeriod(event.on(), from_, to_)) return;
  std::set<std::string> keys;
  for (const auto& item : event.items()) {
    if (item.reversed()) continue;
    auto it = key_of_case_.find(item.case_no());
    if (it != key_of_case_.end()) keys.insert(it->second);
  }
  for (const auto& item : event.items()) {
    if (item.reversed()) continue;
    AddPayment(item.case_no(), Fen(item.amount_fen()), item.overdue_fen() > 0);
  }
  if (keys.empty()) return;
  ++total_.collective_events;
  if (by_ == GroupBy::kNone) return;
  for (const auto& key : keys) ++groups_[key].collective_events;
}

bool IndicatorReport::CountsPayment(const pb::DisbursementRecord& record) const {
  return IsPaymentIn(record, from_, to_) && key_of_case_.contains(record.case_no());
}

void IndicatorReport::AddDisbursement(const pb::DisbursementRecord& record, bool late) {
  if (CountsPayment(record)) AddPayment(record.case_no(), Fen(record.amount_fen()), late);
}

void IndicatorReport::AddPayment(const std::string& case_no, const Fen& amount_fen, bool late) {
  auto it = key_of_case_.find(case_no);
  if (it == key_of_case_.end()) return;
  for (Indicators* scope : ScopesOf(it->second)) {
    ++scope->payments;
    if (!late) continue;
    ++scope->paid_late;
    scope->paid_late_fen += amount_fen;
  }
}

void IndicatorReport::AddDefaulter(const pb::DefaulterRecord& record) {
  const std::string to = to_.ToString();
  for (const auto& listing : record.listings()) {
    auto it = key_of_case_.find(listing.case_no());
    if (it == key_of_case_.end()) continue;
    const bool deleted_by_to = listing.has_deleted_on() && listing.deleted_on() <= to;
    const bool standing = listing.listed_on() <= to && !deleted_by_to;
    for (Indicators* scope : ScopesOf(it->second)) {
      if (InPeriod(listing.listed_on(), from_, to_)) ++scope->defaulters_listed;
      if (listing.has_deleted_on() && InPeriod(listing.deleted_on(), from_, to_)) {
        ++scope->defaulters_deleted;
      }
      if (standing) ++scope->defaulters_active;
    }
  }
  for (const auto& restriction : record.restrictions()) {
    auto it = key_of_case_.find(restriction.case_no());
    if (it == key_of_case_.end() || !InPeriod(restriction.since(), from_, to_)) continue;
    for (Indicators* scope : ScopesOf(it->second)) ++scope->restrictions;
  }
}

std::string IndicatorReport::ChainFirst(const std::string& case_no) const {
  std::string first = case_no;
  // Bounded: a chain is at most as long as the cases added; a loop would be damage.
  for (size_t guard = 0; guard <= restored_from_.size(); ++guard) {
    auto it = restored_from_.find(first);
    if (it == restored_from_.end()) break;
    first = it->second;
  }
  return first;
}

void IndicatorReport::AddClosedChains() {
  // A chain's recovered money and fees over every case of it that was added, as of `to`.
  std::map<std::string, CaseMoney> chain_money;  // first case -> sums
  for (const auto& [case_no, money] : money_of_case_) {
    CaseMoney& sums = chain_money[ChainFirst(case_no)];
    sums.recovered_fen += money.recovered_fen;
    sums.fees_fen += money.fees_fen;
  }
  // A restored case carries its chain's claim: each chain counts once per scope, with
  // min(chain recovered − chain fees, chain claim) so that the rate is never above 1.
  std::set<std::string> counted;                                   // first case of a chain
  std::set<std::pair<std::string, std::string>> counted_in_group;  // (group key, first case)
  for (const auto& closed : closed_claims_) {
    const std::string first = ChainFirst(closed.case_no);
    const CaseMoney& sums = chain_money[first];
    const Fen recovered = std::min(Fen(sums.recovered_fen - sums.fees_fen), closed.claim_fen);
    std::vector<Indicators*> scopes;
    if (counted.insert(first).second) scopes.push_back(&total_);
    const bool in_group = by_ != GroupBy::kNone;
    if (in_group && counted_in_group.insert({closed.key, first}).second) {
      scopes.push_back(&groups_[closed.key]);
    }
    for (Indicators* scope : scopes) {
      scope->closed_claims_fen += closed.claim_fen;
      scope->closed_recovered_fen += recovered;
    }
  }
  closed_claims_.clear();
}

void IndicatorReport::Finish() {
  AddClosedChains();
  total_.relief_recipients = static_cast<int64_t>(relief_payees_.size());
  for (const auto& [key, payees] : group_relief_payees_) {
    groups_[key].relief_recipients = static_cast<int64_t>(payees.size());
  }
}

std::vector<IndicatorGroup> IndicatorReport::groups() const {
  std::vector<IndicatorGroup> groups;
  for (const auto& [key, figures] : groups_) groups.push_back({key, figures});
  return groups;
}

Fen ReliefPaidOf(const pb::CaseRecord& record) {
  Fen paid = 0;
  for (const auto& relief : record.reliefs()) {
    if (!relief.reversed()) paid += relief.amount_fen();
  }
  return paid;
}

bool PaidFromOverdueLots(const pb::DisbursementRecord& record, const pb::CaseRecord& before,
                         Date paid_on) {
  return OverdueSinceOfPayment(record, before, paid_on).has_value();
}

std::optional<Date> OverdueSinceOfPayment(const pb::DisbursementRecord& record,
                                          const pb::CaseRecord& before, Date paid_on) {
  const std::string day = paid_on.ToString();
  std::optional<std::string> earliest;
  for (const auto& part : record.parts()) {
    for (const auto& lot : before.lots()) {
      if (lot.lot_id() != part.lot_id() || !(lot.deadline() < day)) continue;
      if (!earliest || lot.deadline() < *earliest) earliest = lot.deadline();
    }
  }
  if (!earliest) return std::nullopt;
  Result<Date> deadline = Date::Parse(*earliest, "deadline");
  // A stored deadline that does not parse cannot be past: stored dates are checked when
  // written, so this is damage the verifier reports, not a late payment.
  if (!deadline.ok()) return std::nullopt;
  return deadline->AddDays(1);
}

bool IsPaymentIn(const pb::DisbursementRecord& record, Date from, Date to) {
  return record.status() == pb::DISBURSEMENT_STATUS_CONFIRMED && InPeriod(record.on(), from, to);
}

// ---- Late payments.

std::optional<Fen> PaymentTally::late_payment_rate() const {
  return RateTenThousandths(late, payments);
}

void LatePaymentReport::Add(PaymentMade payment) {
  for (PaymentTally* tally : {&total_, &by_court_[payment.court], &by_judge_[payment.judge]}) {
    ++tally->payments;
    if (!payment.overdue_since) continue;
    ++tally->late;
    tally->late_fen += payment.amount_fen;
  }
  if (payment.unregistered_account) unregistered_.push_back(payment);
  if (payment.overdue_since) late_.push_back(std::move(payment));
}

namespace {

std::vector<PaymentMade> ByDate(std::vector<PaymentMade> sorted) {
  std::stable_sort(sorted.begin(), sorted.end(), [](const PaymentMade& a, const PaymentMade& b) {
    return std::tie(a.on, a.case_no, a.amount_fen) < std::tie(b.on, b.case_no, b.amount_fen);
  });
  return sorted;
}

}  // namespace

std::optional<std::string> RegisteredAccount(const pb::CaseRecord& record,
                                             const std::string& party_id) {
  std::optional<std::string> account;
  for (const auto& creditor : record.creditors()) {
    if (creditor.party_id() == party_id && creditor.has_account()) account = creditor.account();
  }
  for (const auto& changed : record.payee_accounts()) {
    if (changed.party_id() == party_id) account = changed.account();  // the latest wins
  }
  return account;
}

std::vector<PaymentMade> LatePaymentReport::late() const { return ByDate(late_); }

std::vector<PaymentMade> LatePaymentReport::unregistered() const { return ByDate(unregistered_); }

// ---- Overdue.

void OverdueReport::AddCase(const pb::CaseRecord& at_on) {
  const CaseFigures figures = EvaluateCase(at_on, on);
  if (figures.overdue_fen > 0 && figures.oldest_overdue_since) {
    cases.push_back({at_on.case_no(), figures.overdue_fen, *figures.oldest_overdue_since});
  }
  if (figures.unpaid_over_one_year_fen > 0) {
    over_one_year.push_back({at_on.case_no(), figures.unpaid_over_one_year_fen});
  }
}

void OverdueReport::AddUnidentified(const pb::UnidentifiedRecord& record) {
  if (record.reversed() || record.unclaimed_fen() <= 0) return;
  if (record.on() > on.ToString()) return;  // not received yet on `on`
  // SPEC §7: unclaimed past its limit when on > its `on` + claim_within_days.
  const Date deadline = StoredDate(record.claim_deadline());
  if (!(on > deadline)) return;
  unclaimed.push_back({record.bank_ref(), Fen(record.unclaimed_fen()), deadline.AddDays(1)});
}

void OverdueReport::AddDefaulter(const pb::DefaulterRecord& standing_listings,
                                 const Calendar& calendar,
                                 const std::map<std::string, CaseStanding>& standing) {
  const DefaulterView view = EvaluateDefaulter(standing_listings, on, calendar, standing);
  for (const auto& listing : view.listings) {
    // Overdue from the day after the due date (SPEC §7 Defaulter list).
    if (!listing.deletion_due_on || !(*listing.deletion_due_on < on)) continue;
    deletions_overdue.push_back(
        {standing_listings.party_id(), listing.listing.case_no(), *listing.deletion_due_on});
  }
}

pb::DefaulterRecord StandingListings(const pb::DefaulterRecord& record, Date day) {
  pb::DefaulterRecord standing = record;
  standing.clear_listings();
  standing.clear_restrictions();
  const std::string text = day.ToString();
  for (const auto& listing : record.listings()) {
    if (listing.listed_on() > text) continue;
    if (listing.has_deleted_on() && listing.deleted_on() <= text) continue;
    pb::Listing* kept = standing.add_listings();
    *kept = listing;
    kept->clear_deleted_on();
    kept->clear_reason();
  }
  return standing;
}

// ---- Backlog.

BacklogReport::BacklogReport(Date on, std::optional<Date> from) : on_(on), from_(from) {}

void BacklogReport::AddCase(const pb::CaseRecord* at_on, const pb::CaseRecord* at_from) {
  if (at_on == nullptr) return;
  BacklogRow row;
  row.case_no = at_on->case_no();
  row.judge = at_on->judge();
  row.filed_on = at_on->filed_on();
  const Date filed_on = StoredDate(at_on->filed_on());
  if (IsOpen(*at_on)) {
    row.deadline = ClosureDeadline(*at_on, on_);
    row.past_deadline = on_ > *row.deadline;
    row.over_one_year = on_ > filed_on.AddMonths(12);
    row.over_three_years = on_ > filed_on.AddMonths(36);
    row.over_five_years = on_ > filed_on.AddMonths(60);
    row.over_ten_years = on_ > filed_on.AddMonths(120);
  }
  if (from_ && at_from != nullptr && IsOpen(*at_from)) {
    const bool closed = at_on->status() == pb::CASE_STATUS_CLOSED;
    row.backlog_one_year = *from_ > filed_on.AddMonths(12);
    row.cleared_one_year = row.backlog_one_year && closed;
    row.backlog_three_years = *from_ > filed_on.AddMonths(36);
    row.cleared_three_years = row.backlog_three_years && closed;
  }
  backlog_one_year_ += row.backlog_one_year ? 1 : 0;
  cleared_one_year_ += row.cleared_one_year ? 1 : 0;
  backlog_three_years_ += row.backlog_three_years ? 1 : 0;
  cleared_three_years_ += row.cleared_three_years ? 1 : 0;
  // Over three, five or ten years implies over one year.
  if (row.past_deadline || row.over_one_year || row.backlog_one_year) rows_.push_back(row);
}

std::optional<Fen> BacklogReport::clearing_rate_one_year() const {
  return RateTenThousandths(cleared_one_year_, backlog_one_year_);
}

std::optional<Fen> BacklogReport::clearing_rate_three_years() const {
  return RateTenThousandths(cleared_three_years_, backlog_three_years_);
}

// ---- Deadlines.

DeadlinesReport::DeadlinesReport(Date on, int64_t within_days)
    : on_(on), within_days_(within_days), last_day_(on.AddDays(within_days)) {}

void DeadlinesReport::AddCase(const pb::CaseRecord& at_on) {
  JudgeDeadlines* judge = nullptr;
  auto judge_of = [&]() {
    if (judge == nullptr) {
      judge = &judges_[at_on.judge()];
      judge->judge = at_on.judge();
    }
    return judge;
  };
  if (IsOpen(at_on)) {
    const Date deadline = ClosureDeadline(at_on, on_);
    if (deadline >= on_ && deadline <= last_day_) {
      judge_of()->cases.push_back({at_on.case_no(), deadline});
    }
  }
  // Lots sharing a deadline are one line; held money has no deadline running (SPEC §8).
  std::map<Date, Fen> by_deadline;
  for (const auto& lot : at_on.lots()) {
    const Fen payable = Fen(lot.free_fen()) + Fen(lot.reserved_fen());
    const Date deadline = StoredDate(lot.deadline());
    if (payable > 0 && deadline >= on_ && deadline <= last_day_) by_deadline[deadline] += payable;
  }
  for (const auto& [deadline, amount] : by_deadline) {
    judge_of()->money.push_back({at_on.case_no(), amount, deadline});
  }
}

std::vector<JudgeDeadlines> DeadlinesReport::judges() const {
  std::vector<JudgeDeadlines> judges;
  for (const auto& [name, judge] : judges_) {
    JudgeDeadlines sorted = judge;
    std::sort(sorted.cases.begin(), sorted.cases.end(), [](const auto& a, const auto& b) {
      return std::tie(a.deadline, a.case_no) < std::tie(b.deadline, b.case_no);
    });
    std::sort(sorted.money.begin(), sorted.money.end(), [](const auto& a, const auto& b) {
      return std::tie(a.deadline, a.case_no) < std::tie(b.deadline, b.case_no);
    });
    judges.push_back(std::move(sorted));
  }
  return judges;
}

}  // namespace caseledger
