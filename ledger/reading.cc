// The typed reads of the reading commands (ledger/reading.h), on Ledger's public API; and the
// one decoder of stored state records (ledger/records.h).
#include "ledger/reading.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/engine.h"
#include "core/identifiers.h"
#include "core/reports.h"
#include "core/rules.h"
#include "ledger/records.h"

namespace caseledger {

// ---- case.

Result<CaseReading> ReadCase(Ledger* ledger, const std::string& case_no, const PointInTime& point) {
  CaseReading reading;
  if (point.at_seq) {
    CASELEDGER_ASSIGN_OR_RETURN(reading.on, ledger->EntryDate(*point.at_seq));
  } else if (point.as_of) {
    reading.on = *point.as_of;
  } else {
    CASELEDGER_ASSIGN_OR_RETURN(reading.on, Today());
  }
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number, ParseCaseNumber(case_no, "case_no"));
  CASELEDGER_ASSIGN_OR_RETURN(reading.record, ledger->GetCase(number.text, point));
  CASELEDGER_ASSIGN_OR_RETURN(std::vector<pb::CaseRecord> chain,
                              ledger->GetChain(reading.record, point));
  reading.figures = EvaluateCase(reading.record, chain, reading.on);
  reading.deadline_basis = ClosureDeadlineBasis(reading.record, reading.on);
  reading.relief_paid_fen = ReliefPaidOf(reading.record);
  return reading;
}

// ---- cases.

namespace {

std::tuple<int, std::string, std::string, std::string, int64_t> CaseOrderKey(
    const pb::CaseRecord& record) {
  Result<CaseNumber> number = ParseCaseNumber(record.case_no(), "case_no");
  if (!number.ok()) return {0, record.case_no(), "", "", 0};  // stored numbers always parse
  return {number->year, number->court, number->special, number->type_code, number->serial};
}

}  // namespace

namespace {

// Whether a creditor's or debtor's name of the case contains `text` (cases --party).
bool NamesParty(const pb::CaseRecord& record, const std::string& text) {
  for (const auto* parties : {&record.creditors(), &record.debtors()}) {
    for (const pb::PartyRecord& party : *parties) {
      if (party.name().find(text) != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<CaseRow>> ListCases(Ledger* ledger, const CasesQuery& options, Date today) {
  const std::optional<Date>& on_flag = options.on;
  Status lookup;  // the first failure to read a case as it stood on --on
  std::vector<pb::CaseRecord> shown;
  Status status = ledger->ForEachCase([&](const pb::CaseRecord& latest) {
    // With --on, each case as it stood on that date (SPEC §1: the entries with on <= D);
    // a case filed after it is not listed.
    pb::CaseRecord r = latest;
    if (on_flag) {
      Result<pb::CaseRecord> then =
          ledger->GetCase(latest.case_no(), PointInTime{std::nullopt, on_flag});
      if (!then.ok()) {
        if (then.status().code() != Code::kUnknownCase && lookup.ok()) lookup = then.status();
        return;
      }
      r = std::move(then).value();
    }
    if (options.status && r.status() != *options.status) return;
    if (!options.court.empty() && !r.court().starts_with(options.court)) return;
    if (!options.party.empty() && !NamesParty(r, options.party)) return;
    if (!options.account_no.empty() && r.account_no() != options.account_no) return;
    shown.push_back(std::move(r));
  });
  if (status.ok()) status = lookup;
  if (!status.ok()) return status;
  // In the order a register lists them: year, court, type code, then serial as a number.
  std::stable_sort(shown.begin(), shown.end(),
                   [](const pb::CaseRecord& a, const pb::CaseRecord& b) {
                     return CaseOrderKey(a) < CaseOrderKey(b);
                   });
  const Date on = on_flag.value_or(today);
  std::vector<CaseRow> rows;
  rows.reserve(shown.size());
  for (pb::CaseRecord& r : shown) {
    CaseFigures figures = EvaluateCase(r, on);
    rows.push_back({std::move(r), std::move(figures)});
  }
  return rows;
}

// ---- history.

Status ForEachHistoryRow(Ledger* ledger, const std::string& case_no,
                         const std::function<Status(const HistoryRow&)>& visit) {
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number, ParseCaseNumber(case_no, "case_no"));
  CASELEDGER_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, ledger->CaseHistory(number.text));
  for (uint64_t seq : seqs) {
    HistoryRow row;
    CASELEDGER_ASSIGN_OR_RETURN(row.stored, ledger->GetEntry(seq));
    for (const auto& p : row.stored.entry.postings()) {
      if (p.account() == "case:" + number.text) row.case_amount_fen -= Fen(p.amount_fen());
    }
    CASELEDGER_RETURN_IF_ERROR(visit(row));
  }
  return Status::Ok();
}

// ---- balance, state.

bool Balances::agree() const {
  return bank_fen == cases_fen + suspense_fen + fees_fen + lodged_fen + interest_fen - charges_fen;
}

Fen BalanceReading::difference_fen() const {
  return balances.bank_fen - statement_balance_fen.value_or(balances.bank_fen);
}

bool BalanceReading::bank_agree() const {
  return statement_balance_fen.has_value() && difference_fen() == 0;
}

Result<BalanceReading> ReadBalance(Ledger* ledger, const std::optional<Date>& as_of,
                                   const std::vector<StatementLine>* statement) {
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord global,
                              ledger->GetGlobal(PointInTime{std::nullopt, as_of}));
  BalanceReading reading;
  reading.balances = {global.bank_fen(),   global.cases_fen(),    global.suspense_fen(),
                      global.fees_fen(),   global.lodgment_fen(), global.interest_fen(),
                      global.charges_fen()};
  reading.relief_paid_fen = global.relief_paid_fen();
  if (statement != nullptr) {
    Date to;
    for (const StatementLine& line : *statement) to = std::max(to, line.value_date);
    reading.statement_balance_fen = StatementBalance(*statement, as_of.value_or(to));
  }
  return reading;
}

Result<StateReading> ReadState(Ledger* ledger, std::optional<uint64_t> at_seq,
                               const std::function<void(uint64_t)>& progress) {
  const uint64_t seq = at_seq.value_or(ledger->head_seq());
  if (seq > ledger->head_seq()) {
    return Status::UnknownReference(
        fmt::format("the ledger has {} entries, not {}", ledger->head_seq(), seq));
  }
  StateReading state;
  state.seq = seq;
  // Balances summed from the postings alone, independent of the stored state: debits positive
  // on the bank and the charges, credits positive on the accounts the court owes (cases,
  // suspense, fees, lodgment, interest).
  std::map<std::string, Fen> sums;
  CASELEDGER_RETURN_IF_ERROR(ledger->ForEachEntry(1, seq, [&](const StoredEntry& stored) {
    for (const auto& p : stored.entry.postings()) sums[p.account()] += Fen(p.amount_fen());
    state.hash = stored.hash;
    state.on = stored.entry.command().on();
    progress(stored.seq);
    return Status::Ok();
  }));
  auto owed = [&](const std::string& account) -> Fen {
    auto it = sums.find(account);
    return it == sums.end() ? Fen(0) : Fen(-it->second);
  };
  Balances& b = state.balances;
  b.bank_fen = -owed("bank");
  for (const auto& [account, sum] : sums) {
    const std::optional<std::string_view> case_no = CaseOfPostingAccount(account);
    if (!case_no) continue;
    state.case_balances.emplace_back(std::string(*case_no), Fen(-sum));
    b.cases_fen += -sum;
  }
  b.suspense_fen = owed("suspense"), b.fees_fen = owed("fees"), b.lodged_fen = owed("lodgment");
  b.interest_fen = owed("interest"), b.charges_fen = -owed("charges");  // charges: an asset
  return state;
}

// ---- events, distributions.

namespace {

EventSummary Summarise(const pb::EventRecord& event) {
  EventSummary summary;
  std::set<std::string> cases;
  std::set<std::pair<std::string, std::string>> payees;
  for (const auto& item : event.items()) {
    if (item.reversed()) continue;
    cases.insert(item.case_no());
    payees.insert({item.case_no(), item.payee()});
    summary.total_fen += Fen(item.amount_fen());
    if (item.overdue_fen() > 0) ++summary.overdue_items;
  }
  summary.cases = cases.size();
  summary.payees = payees.size();
  return summary;
}

// The item's payee among its case's creditors (the engine checked it is one).
EventPayee PayeeOf(const pb::CaseRecord& record, const pb::EventItem& item) {
  EventPayee payee;
  if (item.has_account()) payee.account = item.account();
  for (const auto& creditor : record.creditors()) {
    if (creditor.party_id() != item.payee()) continue;
    payee.name = creditor.name();
    if (payee.account.empty() && creditor.has_account()) payee.account = creditor.account();
  }
  return payee;
}

}  // namespace

Result<EventReading> ReadEvent(Ledger* ledger, const std::string& event_id) {
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<pb::EventRecord> event,
      records::Load<pb::EventRecord>(ledger, Table::kEvent, event_id, PointInTime{}));
  if (!event) return Status::UnknownReference("no event " + event_id);
  const EventSummary summary = Summarise(*event);
  std::vector<EventPayee> payees;
  for (const auto& item : event->items()) {
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord record, ledger->GetCase(item.case_no(), {}));
    payees.push_back(PayeeOf(record, item));
  }
  return EventReading{std::move(*event), summary, std::move(payees)};
}

Result<std::vector<EventReading>> ListEvents(Ledger* ledger) {
  std::vector<EventReading> events;
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::EventRecord>(
      ledger, Table::kEvent, PointInTime{}, [&](const pb::EventRecord& e) {
        events.push_back({e, Summarise(e), {}});
        return Status::Ok();
      }));
  return events;
}

Result<DistributionReading> ReadDistribution(Ledger* ledger, const std::string& distribution_id) {
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<pb::DistributionRecord> found,
                              records::Load<pb::DistributionRecord>(
                                  ledger, Table::kDistribution, distribution_id, PointInTime{}));
  if (!found) return Status::UnknownReference("no distribution " + distribution_id);
  DistributionReading reading;
  reading.record = std::move(*found);
  const pb::DistributionRecord& d = reading.record;
  reading.left_for_claims_fen = Fen(d.amount_fen()) - Fen(d.costs_fen());
  for (const auto& s : d.shares()) {
    // The share of the claim paid, to four decimals, in exact integer arithmetic.
    std::optional<int64_t> basis;
    if (s.claim_fen() > 0) {
      basis =
          DivideRoundHalfUp(Fen(s.share_fen()) * 10000, Fen(s.claim_fen())).convert_to<int64_t>();
    }
    reading.paid_ten_thousandths.push_back(basis);
  }
  return reading;
}

// ---- defaulters.

namespace {

// When a listing or a restriction began, when it ended (nullptr while it stands), and undoing
// its end.
const std::string& Begun(const pb::Listing& l) { return l.listed_on(); }
const std::string& Begun(const pb::Restriction& r) { return r.since(); }
const std::string* Ended(const pb::Listing& l) {
  return l.has_deleted_on() ? &l.deleted_on() : nullptr;
}
const std::string* Ended(const pb::Restriction& r) {
  return r.has_lifted_on() ? &r.lifted_on() : nullptr;
}
void Reopen(pb::Listing* l) { l->clear_deleted_on(); }
void Reopen(pb::Restriction* r) { r->clear_lifted_on(); }

// The items of a party's record as they stood on `day`: those begun after it dropped, those
// ended after it reopened (their end and its reason cleared).
template <typename Item>
void KeepItemsUpTo(google::protobuf::RepeatedPtrField<Item>* items, const std::string& day) {
  for (int i = items->size() - 1; i >= 0; --i) {
    Item& item = *items->Mutable(i);
    const std::string* ended = Ended(item);
    if (Begun(item) > day) {
      items->DeleteSubrange(i, 1);
    } else if (ended != nullptr && *ended > day) {
      Reopen(&item);
      item.clear_reason();
    }
  }
}

// The record as it stood on `on`: listings and restrictions made after it left out, deletions
// and lifts after it undone. A party's record gathers entries of several cases, whose dates
// need not rise with the sequence (a case opened later may be dated earlier), so the version
// found for `on` can hold a later case's listing, whose case did not exist yet on `on`.
void KeepUpTo(pb::DefaulterRecord* record, Date on) {
  const std::string day = on.ToString();
  KeepItemsUpTo(record->mutable_listings(), day);
  KeepItemsUpTo(record->mutable_restrictions(), day);
}

// The calendar of the rules in force on `on`.
Result<Calendar> CalendarOn(Ledger* ledger, Date on) {
  CASELEDGER_ASSIGN_OR_RETURN(pb::RulesRecord rules,
                              ledger->GetRules(PointInTime{std::nullopt, on}));
  return RulesFromRecord(rules).calendar;
}

}  // namespace

namespace records {

Status ListingStandings(Ledger* ledger, const pb::DefaulterRecord& record, Date on,
                        std::map<std::string, CaseStanding>* standing) {
  const PointInTime point{std::nullopt, on};
  for (const auto& listing : record.listings()) {
    if (standing->contains(listing.case_no())) continue;
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord c, ledger->GetCase(listing.case_no(), point));
    CASELEDGER_ASSIGN_OR_RETURN(std::vector<pb::CaseRecord> chain, ledger->GetChain(c, point));
    (*standing)[listing.case_no()] = StandingOf(c, chain);
  }
  return Status::Ok();
}

}  // namespace records

Result<DefaulterReading> ReadDefaulter(Ledger* ledger, const std::string& party_id, Date on) {
  const PointInTime point{std::nullopt, on};
  CASELEDGER_ASSIGN_OR_RETURN(
      std::optional<pb::DefaulterRecord> found,
      records::Load<pb::DefaulterRecord>(ledger, Table::kDefaulter, party_id, point));
  DefaulterReading reading;
  reading.on = on;
  if (found) reading.record = std::move(*found);
  reading.record.set_party_id(party_id);
  KeepUpTo(&reading.record, on);
  std::map<std::string, CaseStanding> standing;
  CASELEDGER_RETURN_IF_ERROR(records::ListingStandings(ledger, reading.record, on, &standing));
  CASELEDGER_ASSIGN_OR_RETURN(const Calendar calendar, CalendarOn(ledger, on));
  reading.view = EvaluateDefaulter(reading.record, on, calendar, standing);
  return reading;
}

Result<std::vector<PublicListing>> ListDefaulters(Ledger* ledger, Date on) {
  CASELEDGER_ASSIGN_OR_RETURN(const Calendar calendar, CalendarOn(ledger, on));
  std::vector<PublicListing> listings;
  auto visit = [&](const pb::DefaulterRecord& stored) -> Status {
    pb::DefaulterRecord record = stored;
    KeepUpTo(&record, on);
    std::map<std::string, CaseStanding> standing;
    CASELEDGER_RETURN_IF_ERROR(records::ListingStandings(ledger, record, on, &standing));
    DefaulterView view = EvaluateDefaulter(record, on, calendar, standing);
    for (auto& v : view.listings) {
      if (v.listing.has_deleted_on()) continue;  // a deleted listing is no longer public
      listings.push_back({record.party_id(), record.name(), std::move(v)});
    }
    return Status::Ok();
  };
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::DefaulterRecord>(
      ledger, Table::kDefaulter, PointInTime{std::nullopt, on}, visit));
  return listings;
}

Result<std::vector<RefusalRow>> ReadRefusals(Ledger* ledger, Date from, Date to) {
  std::vector<RefusalRow> rows;
  const std::string first = from.ToString(), last = to.ToString();
  CASELEDGER_RETURN_IF_ERROR(
      ledger->ForEachEntry(1, ledger->head_seq(), [&](const StoredEntry& stored) -> Status {
        const pb::Command& command = stored.entry.command();
        if (!command.has_refusal()) return Status::Ok();
        const std::string day = command.refusal().last_at().substr(0, 10);
        if (day >= first && day <= last) rows.push_back({stored.seq, command.refusal()});
        return Status::Ok();
      }));
  return rows;
}

}  // namespace caseledger
