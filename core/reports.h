// The reports a court is judged by (SPEC §3, §7, §8; RULES §7): indicators over a period, money
// and deletions overdue on a date, the backlog of old cases and its clearing, and the weekly
// reminder of deadlines. Pure: the caller reads each case as it stood on the dates a figure
// needs (SPEC §1: the entries with `on` on or before that date) and hands the records in.
#ifndef CASELEDGER_CORE_REPORTS_H_
#define CASELEDGER_CORE_REPORTS_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "caseledger.pb.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/defaulters.h"
#include "core/money.h"
#include "core/names.h"

namespace caseledger {

// The six closure modes, in the order reports list them (RULES §6); JSON and CSV name them by
// their wire names (core/names.h).
inline constexpr std::array<pb::ClosureMode, 6> kReportClosureModes = {
    pb::CLOSURE_MODE_FULLY_PERFORMED, pb::CLOSURE_MODE_TERMINATED_THIS_ROUND,
    pb::CLOSURE_MODE_TERMINATED,      pb::CLOSURE_MODE_WITHDRAWN,
    pb::CLOSURE_MODE_REFUSED,         pb::CLOSURE_MODE_REJECTED};

// A small case: a claim under 100,000.00 yuan (RULES §8, the seed reports).
inline constexpr int64_t kSmallCaseClaimFen = 10000000;

// The categories of closed cases the seed reports break down (SPEC §7 Indicators), in the order
// reports list them; JSON and CSV name them by their wire names (core/names.h).
inline constexpr std::array<ReportCategory, kReportCategoryCount> kReportCategories = {
    ReportCategory::kSmallValue,         ReportCategory::kEnterpriseApplicant,
    ReportCategory::kFinancialApplicant, ReportCategory::kGovernmentRespondent,
    ReportCategory::kLivelihood,         ReportCategory::kOrganizedCrimeProperty};

// numerator ÷ denominator in ten-thousandths, rounded half up once, in exact integers;
// nullopt when the denominator is zero (SPEC §7: such a rate prints null).
std::optional<Fen> RateTenThousandths(const Fen& numerator, const Fen& denominator);
// Ten-thousandths as a decimal string with four decimals: 8910 -> "0.8910", 10000 -> "1.0000".
std::string FormatRate(const Fen& ten_thousandths);
// RateTenThousandths then FormatRate; nullopt when the denominator is zero.
std::optional<std::string> RateText(const Fen& numerator, const Fen& denominator);

struct CategoryFigures {
  int64_t closed = 0;
  Fen recovered_fen = 0;  // up to `to`, of the closed cases
};

// The indicators of one scope: every selected case, or one group (SPEC §7 Indicators).
struct Indicators {
  int64_t filed = 0;
  int64_t carried_over = 0;
  int64_t closed = 0;
  int64_t closure_rate_closed = 0;  // closed, neither 执保 nor 执恢
  int64_t closure_rate_base = 0;    // carried over + filed, neither 执保 nor 执恢
  int64_t closed_within_limit = 0;
  int64_t closed_with_property = 0;  // recovered > 0 at the closure
  int64_t closed_with_property_within_limit = 0;
  int64_t fully_performed = 0;
  // Recovered as of `to` − recovered as of the day before `from`, of the cases that are not
  // 执保; `preserved_fen` the same of the 执保 cases (SPEC §7).
  Fen recovered_fen = 0;
  Fen preserved_fen = 0;
  // Refunds in the period (the change of refunded money), 执保 cases left out: `recovered` is
  // net of them, so recovered + refunded is the money recovered before refunds.
  Fen refunded_fen = 0;
  // The recovery rate's numerator: over the restoration chains with a case closed in the period
  // (执保 cases left out), each once, min(chain recovered − chain fees, chain claim) up to `to`.
  Fen closed_recovered_fen = 0;
  Fen closed_claims_fen = 0;  // their claims, a restoration chain's once
  int64_t small_cases_closed = 0;
  Fen small_cases_recovered_fen = 0;
  int64_t collective_events = 0;
  int64_t defaulters_listed = 0;   // listings (party × case) listed in the period
  int64_t defaulters_deleted = 0;  // listings deleted in the period
  int64_t restrictions = 0;        // consumption restrictions (listings' included) since in it
  int64_t defaulters_active = 0;   // listings standing on `to`: listed by it, not deleted by it
  // Confirmed payments to payees in the period (each disbursement and collective item once,
  // reversed ones left out), and those that took money from a lot past its payout deadline on
  // the payment's date: their number and their whole amounts.
  int64_t payments = 0;
  int64_t paid_late = 0;
  Fen paid_late_fen = 0;
  std::array<int64_t, kReportClosureModes.size()> modes{};
  std::array<CategoryFigures, kReportCategories.size()> categories{};
  // Judicial relief (司法救助) paid in the period and not reversed by `to`: the distinct
  // creditors (party ids name one person across cases) and the amount.
  int64_t relief_recipients = 0;
  Fen relief_fen = 0;

  std::optional<Fen> closure_rate() const;
  std::optional<Fen> closed_within_limit_rate() const;
  std::optional<Fen> with_property_within_limit_rate() const;
  std::optional<Fen> actual_enforcement_rate() const;
  std::optional<Fen> recovery_rate() const;
  std::optional<Fen> late_payment_rate() const;
};

enum class GroupBy { kNone, kCourt, kJudge };

struct IndicatorGroup {
  std::string key;  // a court code, or a judge ("" for cases without one)
  Indicators figures;
};

// One case as the indicators need it.
struct IndicatorCase {
  const pb::CaseRecord* at_to = nullptr;        // as of `to`; required
  const pb::CaseRecord* before_from = nullptr;  // as of from − 1; nullptr when not filed by then
  // As of its closed_on, when it closed in the period; nullptr means at_to stands for it.
  const pb::CaseRecord* at_closure = nullptr;
};

// Indicators for [from, to], built case by case so that a ledger of any size streams through.
class IndicatorReport {
 public:
  IndicatorReport(Date from, Date to, GroupBy by);

  // Whether a case as of `to` closed in the period (the caller then reads it at its closure).
  bool ClosedInPeriod(const pb::CaseRecord& at_to) const;
  // Every selected case filed on or before `to`, once, before any event or defaulter.
  void AddCase(const IndicatorCase& c);
  // An event dated in the period counts once in each scope whose cases it paid (reversed items
  // left out).
  void AddEvent(const pb::EventRecord& event);
  // A party's listings and restrictions on the selected cases: listed, deleted or restricted
  // in the period, and listings standing on `to`.
  void AddDefaulter(const pb::DefaulterRecord& record);
  // Whether a disbursement is a payment of this report: confirmed (a returned one is left
  // out), in the period, on an added case.
  bool CountsPayment(const pb::DisbursementRecord& record) const;
  // A disbursement that CountsPayment (others are ignored), `late` when it took money from a
  // lot past its deadline (PaidFromOverdueLots).
  void AddDisbursement(const pb::DisbursementRecord& record, bool late);
  // Counts each restoration chain's claim once in the recovery rate's base, and each relief
  // recipient once per scope. Call once, last.
  void Finish();

  const Indicators& total() const { return total_; }
  // In key order; empty without grouping.
  std::vector<IndicatorGroup> groups() const;

 private:
  struct ClosedClaim {
    std::string case_no;
    std::string key;
    Fen claim_fen;
  };
  struct CaseMoney {
    Fen recovered_fen;  // up to `to`
    Fen fees_fen;       // charged up to `to`
  };
  std::vector<Indicators*> ScopesOf(const std::string& key);
  std::string ChainFirst(const std::string& case_no) const;
  void AddPayment(const std::string& case_no, const Fen& amount_fen, bool late);
  void AddClosedChains();

  Date from_;
  Date to_;
  GroupBy by_;
  Indicators total_;
  std::map<std::string, Indicators> groups_;
  std::map<std::string, std::string> key_of_case_;    // every added case -> its group key
  std::map<std::string, std::string> restored_from_;  // restored cases -> the case restored
  std::vector<ClosedClaim> closed_claims_;
  std::map<std::string, CaseMoney> money_of_case_;  // every added case, as of `to`
  std::set<std::string> relief_payees_;             // in the total
  std::map<std::string, std::set<std::string>> group_relief_payees_;  // by group key
};

// Whether a confirmed disbursement paid on `paid_on` took money from a lot whose deadline is
// before that day; `before` is its case as it stood the day before (its lots still there). A
// lot not found there was made on the payment's day, so its deadline is not past.
bool PaidFromOverdueLots(const pb::DisbursementRecord& record, const pb::CaseRecord& before,
                         Date paid_on);
// The same, as the earliest such lot's deadline + 1 day; nullopt when none was past.
std::optional<Date> OverdueSinceOfPayment(const pb::DisbursementRecord& record,
                                          const pb::CaseRecord& before, Date paid_on);
// Whether a disbursement is a payment made in [from, to]: confirmed (a returned one is left
// out) and dated in it. Collective items are payments on their event's date, unless reversed.
bool IsPaymentIn(const pb::DisbursementRecord& record, Date from, Date to);

// ---- Late payments (超期发放) in a period, by court and judge (SPEC §7 payments, paid_late).

// One payment to a payee: a confirmed disbursement or a collective item (not core/interest.h's
// Payment, a debtor's payment towards a judgment).
struct PaymentMade {
  std::string case_no;
  std::string court;
  std::string judge;  // the case's judge as of the period's end
  Date on;
  std::string payee;
  std::string bank_ref;
  Fen amount_fen = 0;
  // Set when it took money from a lot past its payout deadline on its date: that lot's
  // deadline + 1 day (the earliest such).
  std::optional<Date> overdue_since;
  // Paid to an account other than the payee's registered one (SPEC §9); `account` is that
  // account (personal data: shown masked).
  bool unregistered_account = false;
  std::string account;
};

// The account a creditor of the case is paid to: the latest change_payee_account, else the
// account given at open_case (core/engine_disburse.cc).
std::optional<std::string> RegisteredAccount(const pb::CaseRecord& record,
                                             const std::string& party_id);

// The payments of one scope and the late ones among them, counted as `report indicators`
// counts `payments` and `paid_late`.
struct PaymentTally {
  int64_t payments = 0;
  int64_t late = 0;
  Fen late_fen = 0;
  // late ÷ payments (超期发放率); nullopt without payments.
  std::optional<Fen> late_payment_rate() const;
};

class LatePaymentReport {
 public:
  LatePaymentReport(Date from, Date to) : from_(from), to_(to) {}

  // A payment of the selected cases dated in the period (the caller selects).
  void Add(PaymentMade payment);

  Date from() const { return from_; }
  Date to() const { return to_; }
  const PaymentTally& total() const { return total_; }
  const std::map<std::string, PaymentTally>& by_court() const { return by_court_; }
  const std::map<std::string, PaymentTally>& by_judge() const { return by_judge_; }
  // The late payments by date, then case number, then amount.
  std::vector<PaymentMade> late() const;
  // The payments to an account other than the payee's registered one, in the same order.
  std::vector<PaymentMade> unregistered() const;

 private:
  Date from_;
  Date to_;
  PaymentTally total_;
  std::map<std::string, PaymentTally> by_court_;
  std::map<std::string, PaymentTally> by_judge_;
  std::vector<PaymentMade> late_;
  std::vector<PaymentMade> unregistered_;
};

// Judicial relief paid to a case's creditors, net of reversals (not a figure of the case: the
// money is the state fund's).
Fen ReliefPaidOf(const pb::CaseRecord& record);

// ---- Overdue on D (SPEC §3 report overdue).

struct OverdueCase {
  std::string case_no;
  Fen amount_fen = 0;
  Date since;  // the oldest overdue lot's deadline + 1 day
};
struct UnclaimedReceipt {
  std::string bank_ref;
  Fen amount_fen = 0;
  Date since;  // claim_deadline + 1 day
};
struct UnpaidOverOneYear {
  std::string case_no;
  Fen amount_fen = 0;
};
struct DeletionOverdue {
  std::string party_id;
  std::string case_no;
  Date due_on;
};

struct OverdueReport {
  explicit OverdueReport(Date day) : on(day) {}
  // A case as of `on`.
  void AddCase(const pb::CaseRecord& at_on);
  // An unidentified receipt. Its record is current-only: money claimed after `on` is not
  // counted back (README Decisions).
  void AddUnidentified(const pb::UnidentifiedRecord& record);
  // A party's listings standing on `on` (StandingListings), with each listing case's standing.
  void AddDefaulter(const pb::DefaulterRecord& standing_listings, const Calendar& calendar,
                    const std::map<std::string, CaseStanding>& standing);

  Date on;
  std::vector<OverdueCase> cases;
  std::vector<UnclaimedReceipt> unclaimed;
  std::vector<UnpaidOverOneYear> over_one_year;
  std::vector<DeletionOverdue> deletions_overdue;
};

// The listings of a party's record that stand on `day`: listed on or before it and not deleted
// by it (a deletion after it is undone).
pb::DefaulterRecord StandingListings(const pb::DefaulterRecord& record, Date day);

// ---- Backlog on D, and its clearing from F (SPEC §7 Backlog, Clearing).

struct BacklogRow {
  std::string case_no;
  std::string judge;
  std::string filed_on;
  std::optional<Date> deadline;  // the closure deadline on D, while open on D
  bool past_deadline = false;
  bool over_one_year = false;
  bool over_three_years = false;
  bool over_five_years = false;
  bool over_ten_years = false;
  bool backlog_one_year = false;  // open over one year on F
  bool cleared_one_year = false;  // ... and closed by D
  bool backlog_three_years = false;
  bool cleared_three_years = false;
};

class BacklogReport {
 public:
  BacklogReport(Date on, std::optional<Date> from);
  // A case as of D and as of F; either nullptr when the case was not filed by then.
  void AddCase(const pb::CaseRecord* at_on, const pb::CaseRecord* at_from);

  Date on() const { return on_; }
  const std::optional<Date>& from() const { return from_; }
  // The cases in any list, in the order added.
  const std::vector<BacklogRow>& rows() const { return rows_; }
  int64_t backlog_one_year() const { return backlog_one_year_; }
  int64_t cleared_one_year() const { return cleared_one_year_; }
  int64_t backlog_three_years() const { return backlog_three_years_; }
  int64_t cleared_three_years() const { return cleared_three_years_; }
  std::optional<Fen> clearing_rate_one_year() const;
  std::optional<Fen> clearing_rate_three_years() const;

 private:
  Date on_;
  std::optional<Date> from_;
  std::vector<BacklogRow> rows_;
  int64_t backlog_one_year_ = 0;
  int64_t cleared_one_year_ = 0;
  int64_t backlog_three_years_ = 0;
  int64_t cleared_three_years_ = 0;
};

// ---- Deadlines from D to D + N (SPEC §3 report deadlines, the weekly reminder).

struct DeadlineCase {
  std::string case_no;
  Date deadline;
};
struct DeadlineMoney {
  std::string case_no;
  Fen amount_fen = 0;  // free and reserved money of the case's lots with this deadline
  Date deadline;
};
struct JudgeDeadlines {
  std::string judge;  // "" for cases without one
  std::vector<DeadlineCase> cases;
  std::vector<DeadlineMoney> money;
};

class DeadlinesReport {
 public:
  DeadlinesReport(Date on, int64_t within_days);
  // A case as of D.
  void AddCase(const pb::CaseRecord& at_on);
  // By judge, each list by deadline, then case number.
  std::vector<JudgeDeadlines> judges() const;

  Date on() const { return on_; }
  int64_t within_days() const { return within_days_; }
  Date last_day() const { return last_day_; }

 private:
  Date on_;
  int64_t within_days_;
  Date last_day_;
  std::map<std::string, JudgeDeadlines> judges_;
};

}  // namespace caseledger

#endif  // CASELEDGER_CORE_REPORTS_H_
