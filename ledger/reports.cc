// Gathering the reports (ledger/reports.h): reads each case as it stood on the dates a figure
// needs, hands it to core/reports.h.
#include "ledger/reports.h"

#include <algorithm>
#include <functional>
#include <vector>

#include "core/figures.h"
#include "core/identifiers.h"
#include "core/rules.h"
#include "ledger/records.h"

namespace caseledger {
namespace {

// ---- Reading cases as they stood on a date.

// The case as it stood on `day` (the entries with `on` on or before it): the latest version
// itself when its last entry is dated on or before `day`, which costs no read; else one seek.
// nullopt when the case was not filed yet.
Result<std::optional<pb::CaseRecord>> CaseOn(Ledger* ledger, const pb::CaseRecord& latest,
                                             Date day) {
  const std::string text = day.ToString();
  if (latest.last_on() <= text) return std::optional<pb::CaseRecord>(latest);
  if (latest.filed_on() > text) return std::optional<pb::CaseRecord>();
  Result<pb::CaseRecord> then = ledger->GetCase(latest.case_no(), PointInTime{std::nullopt, day});
  if (!then.ok()) {
    if (then.status().code() == Code::kUnknownCase) return std::optional<pb::CaseRecord>();
    return then.status();
  }
  return std::optional<pb::CaseRecord>(std::move(then).value());
}

// Visits the latest version of every case whose court code starts with `court`, in case
// number order, stopping at the first failure.
Status ForEachSelectedCase(Ledger* ledger, const std::string& court,
                           const std::function<Status(const pb::CaseRecord&)>& visit) {
  Status failure;
  Status status = ledger->ForEachCase([&](const pb::CaseRecord& latest) {
    if (!failure.ok() || !latest.court().starts_with(court)) return;
    failure = visit(latest);
  });
  return status.ok() ? failure : status;
}

// Visits every selected case as it stood on `day`, leaving out those not filed by then.
Status ForEachSelectedCaseOn(Ledger* ledger, const std::string& court, Date day,
                             const std::function<void(const pb::CaseRecord&)>& visit) {
  return ForEachSelectedCase(ledger, court, [&](const pb::CaseRecord& latest) -> Status {
    CASELEDGER_ASSIGN_OR_RETURN(std::optional<pb::CaseRecord> at, CaseOn(ledger, latest, day));
    if (at) visit(*at);
    return Status::Ok();
  });
}

// Every case of the selected courts filed by `to`, each read as of `to`, the day before `from`
// and, when it closed in the period, its closure: at most three seeks per case.
Status AddIndicatorCases(Ledger* ledger, const std::string& court, Date from, Date to,
                         IndicatorReport* report) {
  auto visit_case = [&](const pb::CaseRecord& latest) -> Status {
    CASELEDGER_ASSIGN_OR_RETURN(std::optional<pb::CaseRecord> at_to, CaseOn(ledger, latest, to));
    if (!at_to) return Status::Ok();
    CASELEDGER_ASSIGN_OR_RETURN(std::optional<pb::CaseRecord> before_from,
                                CaseOn(ledger, latest, from.AddDays(-1)));
    std::optional<pb::CaseRecord> at_closure;
    if (report->ClosedInPeriod(*at_to)) {
      CASELEDGER_ASSIGN_OR_RETURN(Date closed_on, Date::Parse(at_to->closed_on(), "closed_on"));
      CASELEDGER_ASSIGN_OR_RETURN(at_closure, CaseOn(ledger, *at_to, closed_on));
    }
    report->AddCase(
        {&*at_to, before_from ? &*before_from : nullptr, at_closure ? &*at_closure : nullptr});
    return Status::Ok();
  };
  return ForEachSelectedCase(ledger, court, visit_case);
}

// The listings standing on `on` on cases of the selected courts.
pb::DefaulterRecord SelectedListings(const pb::DefaulterRecord& record, Date on,
                                     const std::string& court) {
  pb::DefaulterRecord standing = StandingListings(record, on);
  if (court.empty()) return standing;
  auto* listings = standing.mutable_listings();
  for (int i = listings->size() - 1; i >= 0; --i) {
    Result<CaseNumber> number = ParseCaseNumber(listings->Get(i).case_no(), "case_no");
    if (!number.ok() || !number->court.starts_with(court)) listings->DeleteSubrange(i, 1);
  }
  return standing;
}

// Every confirmed disbursement the report counts, each read with its case as it stood the day
// before its payment (the lots it took money from still there): one seek per payment.
Status AddIndicatorPayments(Ledger* ledger, IndicatorReport* report) {
  std::vector<pb::DisbursementRecord> payments;
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::DisbursementRecord>(
      ledger, Table::kDisbursement, {}, [&](const pb::DisbursementRecord& record) {
        if (report->CountsPayment(record)) payments.push_back(record);
        return Status::Ok();
      }));
  for (const pb::DisbursementRecord& payment : payments) {
    CASELEDGER_ASSIGN_OR_RETURN(Date paid_on, Date::Parse(payment.on(), "disbursement on"));
    Result<pb::CaseRecord> before =
        ledger->GetCase(payment.case_no(), PointInTime{std::nullopt, paid_on.AddDays(-1)});
    if (!before.ok() && before.status().code() != Code::kUnknownCase) return before.status();
    report->AddDisbursement(payment, before.ok() && PaidFromOverdueLots(payment, *before, paid_on));
  }
  return Status::Ok();
}

}  // namespace

// ---- report indicators.

Result<IndicatorReport> GatherIndicators(Ledger* ledger, const std::string& court, Date from,
                                         Date to, GroupBy by) {
  IndicatorReport report(from, to, by);
  CASELEDGER_RETURN_IF_ERROR(AddIndicatorCases(ledger, court, from, to, &report));
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::EventRecord>(ledger, Table::kEvent, {},
                                                               [&](const pb::EventRecord& event) {
                                                                 report.AddEvent(event);
                                                                 return Status::Ok();
                                                               }));
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::DefaulterRecord>(
      ledger, Table::kDefaulter, {}, [&](const pb::DefaulterRecord& record) {
        report.AddDefaulter(record);
        return Status::Ok();
      }));
  CASELEDGER_RETURN_IF_ERROR(AddIndicatorPayments(ledger, &report));
  report.Finish();
  return report;
}

// ---- report cashbook.

Result<CashbookReading> GatherCashbook(Ledger* ledger, const std::string& court, Date first) {
  CashbookReading reading;
  reading.first = first;
  reading.last = first.AddMonths(1).AddDays(-1);
  if (!court.empty()) reading.book = Cashbook(court);
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord before,
                              ledger->GetGlobal(PointInTime{std::nullopt, first.AddDays(-1)}));
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord by_end,
                              ledger->GetGlobal(PointInTime{std::nullopt, reading.last}));
  if (by_end.last_seq() == 0) return reading;
  CASELEDGER_RETURN_IF_ERROR(
      ledger->ForEachEntry(1, by_end.last_seq(), [&](const StoredEntry& stored) {
        reading.book.AddEntry(stored.entry, stored.seq > before.last_seq());
        return Status::Ok();
      }));
  return reading;
}

// ---- report overdue.

Result<OverdueReport> GatherOverdue(Ledger* ledger, const std::string& court, Date on) {
  OverdueReport report(on);
  CASELEDGER_RETURN_IF_ERROR(ForEachSelectedCaseOn(
      ledger, court, on, [&](const pb::CaseRecord& at_on) { report.AddCase(at_on); }));
  // Unidentified money names no case, so no court: it is listed whatever --court says.
  auto visit_unidentified = [&](const pb::UnidentifiedRecord& record) {
    report.AddUnidentified(record);
    return Status::Ok();
  };
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::UnidentifiedRecord>(ledger, Table::kUnidentified,
                                                                      {}, visit_unidentified));
  const PointInTime point{std::nullopt, on};
  CASELEDGER_ASSIGN_OR_RETURN(pb::RulesRecord rules, ledger->GetRules(point));
  const Calendar calendar = RulesFromRecord(rules).calendar;
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::DefaulterRecord>(
      ledger, Table::kDefaulter, point, [&](const pb::DefaulterRecord& record) -> Status {
        const pb::DefaulterRecord listings = SelectedListings(record, on, court);
        if (listings.listings().empty()) return Status::Ok();
        std::map<std::string, CaseStanding> standing;
        CASELEDGER_RETURN_IF_ERROR(records::ListingStandings(ledger, listings, on, &standing));
        report.AddDefaulter(listings, calendar, standing);
        return Status::Ok();
      }));
  return report;
}

// ---- Late payments.

namespace {

// Court and judge of a case as of `to`, read once per case.
class CaseScopes {
 public:
  CaseScopes(Ledger* ledger, Date to) : ledger_(ledger), to_(to) {}

  Result<std::pair<std::string, std::string>> Of(const std::string& case_no) {
    auto it = known_.find(case_no);
    if (it != known_.end()) return it->second;
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord at,
                                ledger_->GetCase(case_no, PointInTime{std::nullopt, to_}));
    return known_[case_no] = {at.court(), at.judge()};
  }

 private:
  Ledger* ledger_;
  Date to_;
  std::map<std::string, std::pair<std::string, std::string>> known_;
};

// The court code of a case number ("" when it does not parse: such a case is in no court).
std::string CourtOfCaseNo(const std::string& case_no) {
  Result<CaseNumber> number = ParseCaseNumber(case_no, "case_no");
  return number.ok() ? number->court : "";
}

Status AddDisbursementPayments(Ledger* ledger, const std::string& court, CaseScopes* scopes,
                               LatePaymentReport* report) {
  std::vector<pb::DisbursementRecord> paid;
  CASELEDGER_RETURN_IF_ERROR(records::ForEach<pb::DisbursementRecord>(
      ledger, Table::kDisbursement, {}, [&](const pb::DisbursementRecord& record) {
        if (IsPaymentIn(record, report->from(), report->to()) &&
            CourtOfCaseNo(record.case_no()).starts_with(court)) {
          paid.push_back(record);
        }
        return Status::Ok();
      }));
  for (const pb::DisbursementRecord& record : paid) {
    CASELEDGER_ASSIGN_OR_RETURN(Date paid_on, Date::Parse(record.on(), "disbursement on"));
    CASELEDGER_ASSIGN_OR_RETURN(auto scope, scopes->Of(record.case_no()));
    Result<pb::CaseRecord> before =
        ledger->GetCase(record.case_no(), PointInTime{std::nullopt, paid_on.AddDays(-1)});
    if (!before.ok() && before.status().code() != Code::kUnknownCase) return before.status();
    PaymentMade payment{
        record.case_no(),
        scope.first,
        scope.second,
        paid_on,
        record.payee(),
        record.bank_ref(),
        Fen(record.amount_fen()),
        before.ok() ? OverdueSinceOfPayment(record, *before, paid_on) : std::nullopt,
        false,
        ""};
    if (record.has_account() && before.ok() &&
        RegisteredAccount(*before, record.payee()) != record.account()) {
      payment.unregistered_account = true;
      payment.account = record.account();
    }
    report->Add(std::move(payment));
  }
  return Status::Ok();
}

Status AddCollectivePayments(Ledger* ledger, const std::string& court, CaseScopes* scopes,
                             LatePaymentReport* report) {
  const std::string from = report->from().ToString(), to = report->to().ToString();
  return records::ForEach<pb::EventRecord>(
      ledger, Table::kEvent, {}, [&](const pb::EventRecord& event) -> Status {
        if (event.on() < from || event.on() > to) return Status::Ok();
        CASELEDGER_ASSIGN_OR_RETURN(Date on, Date::Parse(event.on(), "event on"));
        for (const auto& item : event.items()) {
          if (item.reversed() || !CourtOfCaseNo(item.case_no()).starts_with(court)) continue;
          CASELEDGER_ASSIGN_OR_RETURN(auto scope, scopes->Of(item.case_no()));
          std::optional<Date> since;
          if (item.overdue_fen() > 0 && item.has_overdue_since()) {
            CASELEDGER_ASSIGN_OR_RETURN(since, Date::Parse(item.overdue_since(), "overdue_since"));
          }
          PaymentMade payment{
              item.case_no(),         scope.first, scope.second, on, item.payee(), item.bank_ref(),
              Fen(item.amount_fen()), since,       false,        ""};
          if (item.has_account()) {
            CASELEDGER_ASSIGN_OR_RETURN(
                pb::CaseRecord paid,
                ledger->GetCase(item.case_no(), PointInTime{std::nullopt, on}));
            if (RegisteredAccount(paid, item.payee()) != item.account()) {
              payment.unregistered_account = true;
              payment.account = item.account();
            }
          }
          report->Add(std::move(payment));
        }
        return Status::Ok();
      });
}

}  // namespace

Result<LatePaymentReport> GatherLatePayments(Ledger* ledger, const std::string& court, Date from,
                                             Date to) {
  LatePaymentReport report(from, to);
  CaseScopes scopes(ledger, to);
  CASELEDGER_RETURN_IF_ERROR(AddDisbursementPayments(ledger, court, &scopes, &report));
  CASELEDGER_RETURN_IF_ERROR(AddCollectivePayments(ledger, court, &scopes, &report));
  return report;
}

// ---- report backlog.

Result<BacklogReport> GatherBacklog(Ledger* ledger, const std::string& court, Date on,
                                    std::optional<Date> from) {
  BacklogReport report(on, from);
  const std::string earliest = (from ? *from : on).ToString();
  CASELEDGER_RETURN_IF_ERROR(
      ForEachSelectedCase(ledger, court, [&](const pb::CaseRecord& latest) -> Status {
        // Closed by the earliest date asked about: in no list and no backlog, without a read (a
        // closed case stays closed).
        if (latest.status() == pb::CASE_STATUS_CLOSED && latest.closed_on() <= earliest) {
          return Status::Ok();
        }
        CASELEDGER_ASSIGN_OR_RETURN(std::optional<pb::CaseRecord> at_on,
                                    CaseOn(ledger, latest, on));
        std::optional<pb::CaseRecord> at_from;
        if (from) {
          CASELEDGER_ASSIGN_OR_RETURN(at_from, CaseOn(ledger, latest, *from));
        }
        report.AddCase(at_on ? &*at_on : nullptr, at_from ? &*at_from : nullptr);
        return Status::Ok();
      }));
  return report;
}

// ---- report deadlines.

Result<DeadlinesReport> GatherDeadlines(Ledger* ledger, const std::string& court, Date on,
                                        int64_t within_days) {
  DeadlinesReport report(on, within_days);
  CASELEDGER_RETURN_IF_ERROR(ForEachSelectedCaseOn(
      ledger, court, on, [&](const pb::CaseRecord& at_on) { report.AddCase(at_on); }));
  return report;
}

// ---- report monthly.

namespace {

// Days past the deadline on `day` of money overdue since `since` (the deadline + 1).
int64_t DaysPast(Date since, Date day) { return DaysBetween(since, day) + 1; }

Status GatherWeeks(Ledger* ledger, MonthlyFigures* figures) {
  // Calendar weeks of the month from its first day: 1-7, 8-14, 15-21, 22-28, 29-end.
  for (Date start = figures->first; start <= figures->last; start = start.AddDays(7)) {
    const Date end = std::min(start.AddDays(6), figures->last);
    CASELEDGER_ASSIGN_OR_RETURN(
        IndicatorReport week, GatherIndicators(ledger, figures->court, start, end, GroupBy::kNone));
    figures->weeks.push_back({start, end, week.total().recovered_fen, week.total().refunded_fen});
  }
  return Status::Ok();
}

// A case's money on the last day, lot by lot, by how long past the lot's deadline it is
// (each part of the money has its own age; held money is never overdue).
void AddOverdueByAge(const pb::CaseRecord& at, Date last,
                     std::array<Fen, kOverdueAgeBands.size() + 1>* overdue_by_age) {
  for (const auto& lot : at.lots()) {
    const Fen payable = Fen(lot.free_fen()) + Fen(lot.reserved_fen());
    Result<Date> deadline = Date::Parse(lot.deadline(), "deadline");
    if (payable == 0 || !deadline.ok() || !(*deadline < last)) continue;
    (*overdue_by_age)[OverdueAgeBand(DaysBetween(*deadline, last))] += payable;
  }
}

// The cases holding money on the last day, so that the list can show them green.
Status GatherHolding(Ledger* ledger, MonthlyFigures* figures) {
  return ForEachSelectedCaseOn(
      ledger, figures->court, figures->last, [&](const pb::CaseRecord& at) {
        AddOverdueByAge(at, figures->last, &figures->overdue_by_age);
        const CaseFigures case_figures = EvaluateCase(at, figures->last);
        if (case_figures.balance_fen <= 0) return;
        figures->holding[at.case_no()] = {at.judge(),
                                          at.creditors().empty() ? "" : at.creditors(0).name(),
                                          case_figures.balance_fen};
      });
}

std::vector<LightRow> LightRows(const MonthlyFigures& figures) {
  std::vector<LightRow> rows;
  for (const auto& c : figures.overdue.cases) {
    const int64_t days = DaysPast(c.since, figures.last);
    auto holding = figures.holding.find(c.case_no);
    rows.push_back({OverdueAgeBand(days) == 0 ? Light::kYellow : Light::kRed, c.case_no,
                    holding == figures.holding.end() ? HoldingCase{} : holding->second,
                    c.amount_fen, c.since, days});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const LightRow& a, const LightRow& b) { return a.days_past > b.days_past; });
  for (const auto& [case_no, holding] : figures.holding) {
    const bool overdue =
        std::any_of(rows.begin(), rows.end(),
                    [&case_no = case_no](const LightRow& r) { return r.case_no == case_no; });
    if (!overdue) rows.push_back({Light::kGreen, case_no, holding, 0, std::nullopt, 0});
  }
  return rows;
}

}  // namespace

size_t OverdueAgeBand(int64_t days) {
  size_t band = 0;
  while (band < kOverdueAgeBands.size() && days > kOverdueAgeBands[band]) ++band;
  return band;
}

Result<MonthlyFigures> GatherMonthly(Ledger* ledger, const std::string& court, Date first) {
  MonthlyFigures figures;
  figures.first = first;
  figures.last = first.AddMonths(1).AddDays(-1);
  figures.court = court;
  CASELEDGER_ASSIGN_OR_RETURN(
      IndicatorReport month,
      GatherIndicators(ledger, court, figures.first, figures.last, GroupBy::kNone));
  figures.indicators = month.total();
  CASELEDGER_RETURN_IF_ERROR(GatherWeeks(ledger, &figures));
  CASELEDGER_ASSIGN_OR_RETURN(figures.overdue, GatherOverdue(ledger, court, figures.last));
  CASELEDGER_ASSIGN_OR_RETURN(BacklogReport backlog,
                              GatherBacklog(ledger, court, figures.last, std::nullopt));
  for (const auto& row : backlog.rows()) {
    figures.backlog[0] += row.past_deadline ? 1 : 0;
    figures.backlog[1] += row.over_one_year ? 1 : 0;
    figures.backlog[2] += row.over_three_years ? 1 : 0;
    figures.backlog[3] += row.over_five_years ? 1 : 0;
    figures.backlog[4] += row.over_ten_years ? 1 : 0;
  }
  CASELEDGER_RETURN_IF_ERROR(GatherHolding(ledger, &figures));
  figures.lights = LightRows(figures);
  CASELEDGER_ASSIGN_OR_RETURN(figures.cashbook, GatherCashbook(ledger, court, first));
  CASELEDGER_ASSIGN_OR_RETURN(figures.late,
                              GatherLatePayments(ledger, court, figures.first, figures.last));
  return figures;
}

}  // namespace caseledger
