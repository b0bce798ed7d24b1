// Proves the report figures of SPEC §7 on hand-built cases equal hand-computed values:
// indicators (with the arithmetic written out), overdue lists, backlog and clearing, deadlines.
#include "core/reports.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/names.h"

namespace caseledger {
namespace {

Date D(std::string_view text) {
  Result<Date> date = Date::Parse(text, "test");
  EXPECT_TRUE(date.ok()) << text << ": " << date.status().ToString();
  return date.ok() ? *date : Date();
}

std::string Rate(const std::optional<Fen>& rate) { return rate ? FormatRate(*rate) : "null"; }

constexpr int64_t kYuan = 100;  // fen per yuan

// A case record as the engine stores it, with the fields the reports read.
pb::CaseRecord Case(const std::string& case_no, const std::string& filed_on, int64_t claim_yuan,
                    const std::string& judge = "") {
  pb::CaseRecord r;
  r.set_case_no(case_no);
  // "(2024)甘0102执保6号": the court code and type code inside the number; a short name
  // ("B1") stands for a first-instance case of 甘0102.
  r.set_court("甘0102");
  r.set_type_code(pb::CASE_TYPE_ENFORCEMENT);
  const size_t court_start = case_no.find(')');
  const size_t type_start = case_no.find("执");
  if (court_start != std::string::npos && type_start != std::string::npos) {
    r.set_court(case_no.substr(court_start + 1, type_start - court_start - 1));
    const size_t serial = case_no.find_first_of("0123456789", type_start);
    r.set_type_code(
        FromWireName<pb::CaseType>(case_no.substr(type_start, serial - type_start)).value());
  }
  if (!judge.empty()) r.set_judge(judge);
  r.set_status(pb::CASE_STATUS_OPEN);
  r.set_filed_on(filed_on);
  r.set_last_on(filed_on);
  r.set_claim_fen(claim_yuan * kYuan);
  r.set_closure_months(6);
  pb::PartyRecord* creditor = r.add_creditors();
  creditor->set_party_id("c-" + case_no);
  creditor->set_kind(pb::PARTY_KIND_PERSON);
  pb::PartyRecord* debtor = r.add_debtors();
  debtor->set_party_id("d-" + case_no);
  debtor->set_kind(pb::PARTY_KIND_PERSON);
  return r;
}

pb::CaseRecord Recovered(pb::CaseRecord r, int64_t yuan) {
  r.set_received_fen(yuan * kYuan);
  return r;
}

pb::CaseRecord Closed(pb::CaseRecord r, const std::string& on, const std::string& mode) {
  r.set_status(pb::CASE_STATUS_CLOSED);
  r.set_mode(FromWireName<pb::ClosureMode>(mode).value());  // SPEC's name, as tests write it
  r.set_closed_on(on);
  r.set_last_on(on);
  return r;
}

// ---- Indicators for 2024-01-01 .. 2024-06-30 (the day before `from` is 2023-12-31).
//
// Court 甘0102 unless said; closure_months 6; claims and recovered in yuan.
//  A (2023)甘0102执1号   filed 2023-03-01, claim 50,000, 张. Before: open, recovered 10,000.
//                        At to: closed 2024-02-10 fully_performed, recovered 50,000. livelihood.
//                        Deadline 2023-09-01: late. Property at closure: yes.
//  B (2024)甘0102执2号   filed 2024-01-15, claim 200,000, 张, enterprise creditor. Closed
//                        2024-05-20 terminated_this_round, recovered 0. Deadline 2024-07-15.
//  C (2024)甘0102执3号   filed 2024-02-01, claim 1,000,000, 李, financial institution creditor,
//                        government debtor. Closed 2024-06-30 fully_performed, recovered
//                        1,000,000. Deadline 2024-08-01.
//  D (2023)甘0102执4号   filed 2023-06-01, claim 80,000, 李. Before: open, 0; at to: open, 30,000.
//  E (2023)甘0102执5号   filed 2023-01-10, no judge, closed 2023-11-30 withdrawn. Before:
//                        recovered 5,000; at to: 4,000 (a refund in the period).
//  F (2024)甘0102执保6号 filed 2024-03-01, claim 60,000, 张. Closed 2024-04-01 withdrawn, 0.
//  G (2023)甘0102执7号   filed 2023-02-01, claim 300,000, 李. Before: open, 100,000. At to:
//                        closed 2024-03-01 terminated_this_round, 100,000, restored as H.
//  H (2024)甘0102执恢8号 filed 2024-04-01, the chain's claim 300,000, 李, restored from G.
//                        Closed 2024-06-15 fully_performed, recovered 200,000.
//                        organized_crime_property.
//  I (2024)甘0102执9号   filed 2024-02-20, claim 20,000, 张. Closed 2024-04-10 fully_performed
//                        with 20,000 recovered; a bank return after the closure leaves 0 at to.
//  J (2024)甘0103执10号  court 甘0103, filed 2024-05-01, claim 10,000, 王. Open, 0.
//  L (2022)甘0102执11号  filed 2022-05-01, claim 40,000, 张. Suspended before and at to, 0.
struct IndicatorSet {
  std::vector<pb::CaseRecord> at_to;
  std::vector<std::optional<pb::CaseRecord>> before_from;
  std::vector<std::optional<pb::CaseRecord>> at_closure;

  void Add(pb::CaseRecord to, std::optional<pb::CaseRecord> before = std::nullopt,
           std::optional<pb::CaseRecord> closure = std::nullopt) {
    at_to.push_back(std::move(to));
    before_from.push_back(std::move(before));
    at_closure.push_back(std::move(closure));
  }

  void AddTo(IndicatorReport* report) const {
    for (size_t i = 0; i < at_to.size(); ++i) {
      report->AddCase({&at_to[i], before_from[i] ? &*before_from[i] : nullptr,
                       at_closure[i] ? &*at_closure[i] : nullptr});
    }
  }
};

IndicatorSet HandBuiltSet() {
  IndicatorSet set;
  pb::CaseRecord a = Case("(2023)甘0102执1号", "2023-03-01", 50000, "张");
  a.add_flags(pb::CASE_FLAG_LIVELIHOOD);
  set.Add(Closed(Recovered(a, 50000), "2024-02-10", "fully_performed"), Recovered(a, 10000));

  pb::CaseRecord b = Case("(2024)甘0102执2号", "2024-01-15", 200000, "张");
  b.mutable_creditors(0)->set_kind(pb::PARTY_KIND_ENTERPRISE);
  set.Add(Closed(b, "2024-05-20", "terminated_this_round"));

  pb::CaseRecord c = Case("(2024)甘0102执3号", "2024-02-01", 1000000, "李");
  c.mutable_creditors(0)->set_kind(pb::PARTY_KIND_FINANCIAL_INSTITUTION);
  c.mutable_debtors(0)->set_kind(pb::PARTY_KIND_GOVERNMENT);
  set.Add(Closed(Recovered(c, 1000000), "2024-06-30", "fully_performed"));

  pb::CaseRecord d = Case("(2023)甘0102执4号", "2023-06-01", 80000, "李");
  set.Add(Recovered(d, 30000), d);

  pb::CaseRecord e =
      Closed(Case("(2023)甘0102执5号", "2023-01-10", 70000), "2023-11-30", "withdrawn");
  pb::CaseRecord e_to = Recovered(e, 5000);
  e_to.set_refunded_fen(1000 * kYuan);
  set.Add(e_to, Recovered(e, 5000));

  set.Add(
      Closed(Case("(2024)甘0102执保6号", "2024-03-01", 60000, "张"), "2024-04-01", "withdrawn"));

  pb::CaseRecord g = Case("(2023)甘0102执7号", "2023-02-01", 300000, "李");
  pb::CaseRecord g_to = Closed(Recovered(g, 100000), "2024-03-01", "terminated_this_round");
  g_to.set_restored_to("(2024)甘0102执恢8号");
  set.Add(g_to, Recovered(g, 100000));

  pb::CaseRecord h = Case("(2024)甘0102执恢8号", "2024-04-01", 300000, "李");
  h.set_restored_from("(2023)甘0102执7号");
  h.add_flags(pb::CASE_FLAG_ORGANIZED_CRIME_PROPERTY);
  set.Add(Closed(Recovered(h, 200000), "2024-06-15", "fully_performed"));

  pb::CaseRecord i = Case("(2024)甘0102执9号", "2024-02-20", 20000, "张");
  pb::CaseRecord i_closure = Closed(Recovered(i, 20000), "2024-04-10", "fully_performed");
  pb::CaseRecord i_to = i_closure;
  i_to.set_paid_to_others_fen(20000 * kYuan);  // recovered 20,000 − 20,000 = 0 at to
  i_to.set_last_on("2024-05-02");
  set.Add(i_to, std::nullopt, i_closure);

  set.Add(Case("(2024)甘0103执10号", "2024-05-01", 10000, "王"));

  pb::CaseRecord l = Case("(2022)甘0102执11号", "2022-05-01", 40000, "张");
  l.set_status(pb::CASE_STATUS_SUSPENDED);
  set.Add(l, l);
  return set;
}

pb::EventRecord Event(const std::string& on, const std::string& case_no, bool reversed) {
  pb::EventRecord event;
  event.set_event_id("event-" + on);
  event.set_on(on);
  pb::EventItem* item = event.add_items();
  item->set_case_no(case_no);
  item->set_amount_fen(100);
  item->set_reversed(reversed);
  return event;
}

pb::Listing* List(pb::DefaulterRecord* record, const std::string& case_no,
                  const std::string& listed_on, const std::string& deleted_on = "") {
  pb::Listing* listing = record->add_listings();
  listing->set_case_no(case_no);
  listing->set_ground(2);
  listing->set_listed_on(listed_on);
  if (!deleted_on.empty()) listing->set_deleted_on(deleted_on);
  return listing;
}

// Events: E1 2024-03-15 on A; E2 2024-07-05 on A (after the period); E3 2024-04-01 on A with
// its only item reversed; E4 2024-05-01 on J (甘0103). Counted: E1 and E4.
// Listings of party d1: A listed 2023-12-01 deleted 2024-02-15; D listed 2024-03-01; J listed
// 2024-05-10; of party d2: B listed 2024-07-10. Listed in the period: D, J; deleted: A.
void AddEventsAndDefaulters(IndicatorReport* report) {
  report->AddEvent(Event("2024-03-15", "(2023)甘0102执1号", false));
  report->AddEvent(Event("2024-07-05", "(2023)甘0102执1号", false));
  report->AddEvent(Event("2024-04-01", "(2023)甘0102执1号", true));
  report->AddEvent(Event("2024-05-01", "(2024)甘0103执10号", false));
  pb::DefaulterRecord d1;
  d1.set_party_id("d1");
  List(&d1, "(2023)甘0102执1号", "2023-12-01", "2024-02-15");
  List(&d1, "(2023)甘0102执4号", "2024-03-01");
  List(&d1, "(2024)甘0103执10号", "2024-05-10");
  report->AddDefaulter(d1);
  pb::DefaulterRecord d2;
  d2.set_party_id("d2");
  List(&d2, "(2024)甘0102执2号", "2024-07-10");
  report->AddDefaulter(d2);
}

IndicatorReport Build(GroupBy by) {
  IndicatorReport report(D("2024-01-01"), D("2024-06-30"), by);
  HandBuiltSet().AddTo(&report);
  AddEventsAndDefaulters(&report);
  report.Finish();
  return report;
}

TEST(ReportRateTest, FourDecimalsRoundedHalfUpNullOnZero) {
  EXPECT_EQ(Rate(RateTenThousandths(891, 1000)), "0.8910");
  EXPECT_EQ(Rate(RateTenThousandths(5, 8)), "0.6250");
  EXPECT_EQ(Rate(RateTenThousandths(2, 3)), "0.6667");      // 0.66666… up
  EXPECT_EQ(Rate(RateTenThousandths(1, 20000)), "0.0001");  // exactly half: up
  EXPECT_EQ(Rate(RateTenThousandths(1, 20001)), "0.0000");  // just under half: down
  EXPECT_EQ(Rate(RateTenThousandths(3, 3)), "1.0000");
  EXPECT_EQ(Rate(RateTenThousandths(5, 2)), "2.5000");
  EXPECT_EQ(Rate(RateTenThousandths(0, 7)), "0.0000");
  EXPECT_EQ(Rate(RateTenThousandths(5, 0)), "null");
  EXPECT_FALSE(RateText(0, 0).has_value());
  // Money-sized numerators stay exact: 1,350,000.00 / 1,630,000.00 yuan in fen.
  EXPECT_EQ(Rate(RateTenThousandths(Fen(135000000), Fen(163000000))), "0.8282");
}

TEST(ReportIndicatorsTest, HandBuiltSetEqualsHandComputedFigures) {
  const IndicatorReport report = Build(GroupBy::kNone);
  const Indicators& s = report.total();
  // filed: B, C, F, H, I, J (filed_on in the period) = 6.
  EXPECT_EQ(s.filed, 6);
  // carried over: filed before 2024-01-01 and not closed on 2023-12-31: A, D, G, L = 4
  // (E closed 2023-11-30).
  EXPECT_EQ(s.carried_over, 4);
  // closed in the period: A, B, C, F, G, H, I = 7.
  EXPECT_EQ(s.closed, 7);
  // closure rate without 执保 (F) and 执恢 (H): closed A, B, C, G, I = 5;
  // base = carried over A, D, G, L + filed B, C, I, J = 8; 5 / 8 = 0.6250.
  EXPECT_EQ(s.closure_rate_closed, 5);
  EXPECT_EQ(s.closure_rate_base, 8);
  EXPECT_EQ(Rate(s.closure_rate()), "0.6250");
  // within limit (closed_on <= filed_on + 6 months): B (07-15), C (08-01), F (09-01),
  // H (10-01), I (08-20); not A (2023-09-01) nor G (2023-08-01): 5 / 7 = 0.714285… = 0.7143.
  EXPECT_EQ(s.closed_within_limit, 5);
  EXPECT_EQ(Rate(s.closed_within_limit_rate()), "0.7143");
  // with property at the closure: A, C, G, H, I (I had 20,000 then, 0 at to) = 5; of them
  // within limit C, H, I = 3; 3 / 5 = 0.6000.
  EXPECT_EQ(s.closed_with_property, 5);
  EXPECT_EQ(s.closed_with_property_within_limit, 3);
  EXPECT_EQ(Rate(s.with_property_within_limit_rate()), "0.6000");
  // fully performed: A, C, H, I = 4; 4 / 7 = 0.571428… = 0.5714.
  EXPECT_EQ(s.fully_performed, 4);
  EXPECT_EQ(Rate(s.actual_enforcement_rate()), "0.5714");
  // recovered: A +40,000, C +1,000,000, D +30,000, E −1,000, H +200,000 = 1,269,000.00.
  EXPECT_EQ(FormatAmount(s.recovered_fen), "1269000.00");
  // refunded: E's 1,000 refunded in the period (0 before, 1,000 at to).
  EXPECT_EQ(FormatAmount(s.refunded_fen), "1000.00");
  // preserved: F (执保) recovered nothing.
  EXPECT_EQ(FormatAmount(s.preserved_fen), "0.00");
  // recovery rate, chains closed in the period (F, 执保, left out), no fees charged: A
  // min(50,000, 50,000) + B 0 + C 1,000,000 + the G/H chain min(100,000 + 200,000, 300,000)
  // once + I 0 = 1,350,000; claims A 50,000 + B 200,000 + C 1,000,000 + the chain's 300,000
  // once + I 20,000 = 1,570,000; 1,350,000 / 1,570,000 = 0.859872… = 0.8599.
  EXPECT_EQ(FormatAmount(s.closed_recovered_fen), "1350000.00");
  EXPECT_EQ(FormatAmount(s.closed_claims_fen), "1570000.00");
  EXPECT_EQ(Rate(s.recovery_rate()), "0.8599");
  // small cases (claim under 100,000) closed: A, F, I = 3, with 50,000 + 0 + 0.
  EXPECT_EQ(s.small_cases_closed, 3);
  EXPECT_EQ(FormatAmount(s.small_cases_recovered_fen), "50000.00");
  EXPECT_EQ(s.collective_events, 2);
  EXPECT_EQ(s.defaulters_listed, 2);
  EXPECT_EQ(s.defaulters_deleted, 1);
  EXPECT_EQ(s.relief_recipients, 0);
  EXPECT_EQ(s.relief_fen, 0);
  // payments: the unreversed items of E1 (A) and E4 (J), none from an overdue lot.
  EXPECT_EQ(s.payments, 2);
  EXPECT_EQ(s.paid_late, 0);
  EXPECT_EQ(Rate(s.late_payment_rate()), "0.0000");
}

TEST(ReportIndicatorsTest, ModesAndCategoriesOfTheClosedCases) {
  const Indicators s = Build(GroupBy::kNone).total();
  // fully_performed A, C, H, I; terminated_this_round B, G; withdrawn F; the others none.
  const std::vector<int64_t> modes = {4, 2, 0, 1, 0, 0};
  EXPECT_EQ(std::vector<int64_t>(s.modes.begin(), s.modes.end()), modes);
  struct Expected {
    int64_t closed;
    std::string recovered;
  };
  const std::vector<Expected> expected = {
      {3, "50000.00"},    // small_value: A 50,000, F 0, I 0
      {2, "1000000.00"},  // enterprise_applicant: B (enterprise) 0, C (financial) 1,000,000
      {1, "1000000.00"},  // financial_applicant: C
      {1, "1000000.00"},  // government_respondent: C
      {1, "50000.00"},    // livelihood: A
      {1, "200000.00"},   // organized_crime_property: H
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.categories[i].closed, expected[i].closed) << WireName(kReportCategories[i]);
    EXPECT_EQ(FormatAmount(s.categories[i].recovered_fen), expected[i].recovered)
        << WireName(kReportCategories[i]);
  }
}

TEST(ReportIndicatorsTest, ByJudgeCountsEachChainClaimOncePerGroup) {
  const std::vector<IndicatorGroup> groups = Build(GroupBy::kJudge).groups();
  ASSERT_EQ(groups.size(),
            4u);  // "", 张, 李, 王 in byte order: "", 张 (E5…), 李 (E6 9D…), 王 (E7…)
  EXPECT_EQ(groups[0].key, "");
  EXPECT_EQ(groups[1].key, "张");
  EXPECT_EQ(groups[2].key, "李");
  EXPECT_EQ(groups[3].key, "王");
  // No judge: E alone, closed before the period; recovered −1,000 (the refund).
  EXPECT_EQ(groups[0].figures.carried_over, 0);
  EXPECT_EQ(FormatAmount(groups[0].figures.recovered_fen), "-1000.00");
  // 张: A, B, F, I, L. filed B, F, I = 3; carried A, L = 2; closed A, B, F, I = 4;
  // closure rate (F left out) A, B, I / A, L, B, I = 3 / 4 = 0.7500; recovered A +40,000.
  const Indicators& zhang = groups[1].figures;
  EXPECT_EQ(zhang.filed, 3);
  EXPECT_EQ(zhang.carried_over, 2);
  EXPECT_EQ(zhang.closed, 4);
  EXPECT_EQ(Rate(zhang.closure_rate()), "0.7500");
  EXPECT_EQ(FormatAmount(zhang.recovered_fen), "40000.00");
  EXPECT_EQ(zhang.defaulters_deleted, 1);  // A's listing
  EXPECT_EQ(zhang.collective_events, 1);   // E1 on A
  // 李: C, D, G, H. filed C, H = 2; carried D, G = 2; closed C, G, H = 3; closure rate (H left
  // out) C, G / D, G, C = 2 / 3 = 0.6667; recovered C 1,000,000 + D 30,000 + H 200,000;
  // recovery C 1,000,000 + G 100,000 + H 200,000 over C 1,000,000 + the chain's 300,000 once.
  const Indicators& li = groups[2].figures;
  EXPECT_EQ(li.filed, 2);
  EXPECT_EQ(li.carried_over, 2);
  EXPECT_EQ(li.closed, 3);
  EXPECT_EQ(Rate(li.closure_rate()), "0.6667");
  EXPECT_EQ(FormatAmount(li.recovered_fen), "1230000.00");
  EXPECT_EQ(FormatAmount(li.closed_claims_fen), "1300000.00");
  EXPECT_EQ(Rate(li.recovery_rate()), "1.0000");
  EXPECT_EQ(li.defaulters_listed, 1);  // D's listing
  // 王: J filed, nothing closed: closure rate 0 / 1; the rates over closed cases are null.
  const Indicators& wang = groups[3].figures;
  EXPECT_EQ(wang.filed, 1);
  EXPECT_EQ(Rate(wang.closure_rate()), "0.0000");
  EXPECT_EQ(Rate(wang.closed_within_limit_rate()), "null");
  EXPECT_EQ(Rate(wang.actual_enforcement_rate()), "null");
  EXPECT_EQ(Rate(wang.recovery_rate()), "null");
  EXPECT_EQ(wang.collective_events, 1);  // E4 on J
  EXPECT_EQ(wang.defaulters_listed, 1);  // J's listing
}

TEST(ReportIndicatorsTest, ByCourtSplitsEventsAndListingsByTheirCases) {
  const IndicatorReport report = Build(GroupBy::kCourt);
  const std::vector<IndicatorGroup> groups = report.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, "甘0102");
  EXPECT_EQ(groups[1].key, "甘0103");
  EXPECT_EQ(groups[0].figures.filed, 5);  // B, C, F, H, I
  EXPECT_EQ(groups[1].figures.filed, 1);  // J
  EXPECT_EQ(groups[0].figures.collective_events, 1);
  EXPECT_EQ(groups[1].figures.collective_events, 1);
  EXPECT_EQ(groups[0].figures.defaulters_listed, 1);
  EXPECT_EQ(groups[1].figures.defaulters_listed, 1);
  // The groups add up to the total.
  EXPECT_EQ(groups[0].figures.closed + groups[1].figures.closed, report.total().closed);
  EXPECT_EQ(report.total().collective_events, 2);
}

TEST(ReportIndicatorsTest, NoCasesGiveZerosAndNullRates) {
  IndicatorReport report(D("2024-01-01"), D("2024-01-31"), GroupBy::kNone);
  report.Finish();
  const Indicators& s = report.total();
  EXPECT_EQ(s.filed + s.carried_over + s.closed, 0);
  EXPECT_EQ(Rate(s.closure_rate()), "null");
  EXPECT_EQ(Rate(s.recovery_rate()), "null");
  EXPECT_EQ(Rate(s.with_property_within_limit_rate()), "null");
  EXPECT_TRUE(report.groups().empty());
}

TEST(ReportIndicatorsTest, ASuspensionExtendsTheLimitUpToTheClosure) {
  // Filed 2024-01-10, 6 months: 2024-07-10; suspended 2024-03-01 .. 2024-03-31 (30 days):
  // 2024-08-09. Closed 2024-08-09 is within the limit; without the suspension it is not.
  pb::CaseRecord r = Case("(2024)甘0102执20号", "2024-01-10", 1000);
  pb::Suspension* suspension = r.add_suspensions();
  suspension->set_kind(pb::SUSPENSION_KIND_SUSPENSION);
  suspension->set_from("2024-03-01");
  suspension->set_to("2024-03-31");
  const pb::CaseRecord closed = Closed(r, "2024-08-09", "withdrawn");
  IndicatorReport report(D("2024-08-01"), D("2024-08-31"), GroupBy::kNone);
  report.AddCase({&closed, &r, nullptr});
  pb::CaseRecord unsuspended = closed;
  unsuspended.clear_suspensions();
  unsuspended.set_case_no("(2024)甘0102执21号");
  report.AddCase({&unsuspended, &r, nullptr});
  report.Finish();
  EXPECT_EQ(report.total().closed, 2);
  EXPECT_EQ(report.total().closed_within_limit, 1);
  EXPECT_EQ(Rate(report.total().closed_within_limit_rate()), "0.5000");
}

// ---- Overdue on 2024-05-01.

pb::Lot* AddLot(pb::CaseRecord* r, const std::string& date, const std::string& deadline,
                int64_t free_yuan, int64_t reserved_yuan = 0, int64_t held_yuan = 0) {
  pb::Lot* lot = r->add_lots();
  lot->set_lot_id(static_cast<uint64_t>(r->lots_size()));
  lot->set_date(date);
  lot->set_deadline(deadline);
  lot->set_free_fen(free_yuan * kYuan);
  lot->set_reserved_fen(reserved_yuan * kYuan);
  lot->set_held_fen(held_yuan * kYuan);
  return lot;
}

pb::UnidentifiedRecord Unidentified(const std::string& bank_ref, const std::string& on,
                                    const std::string& claim_deadline, int64_t unclaimed_yuan) {
  pb::UnidentifiedRecord u;
  u.set_bank_ref(bank_ref);
  u.set_on(on);
  u.set_claim_deadline(claim_deadline);
  u.set_amount_fen(1000 * kYuan);
  u.set_unclaimed_fen(unclaimed_yuan * kYuan);
  return u;
}

pb::CaseRecord WithFees(pb::CaseRecord r, int64_t yuan) {
  r.set_fees_fen(yuan * kYuan);
  return r;
}

// The demo's 执行到位率 of 100.42% (issue 17): the fee and delay interest the debtor paid were
// counted against the claim alone, and a 执保 case's preserved money as recovered.
// Period 2024-01-01 .. 2024-06-30, claims and money in yuan:
//  P (2024)甘0102执21号   claim 100,000; recovered 101,400 = the claim + the fee 1,400
//                         (0.015 × 100,000 − 100), fees charged 1,400; closed 2024-03-01.
//  Q (2024)甘0102执22号   claim 10,000; recovered 10,300 = the claim + fee 50 + delay interest
//                         250; fees charged 50; closed 2024-04-01.
//  R (2024)甘0102执保23号 claim 5,000; 5,000 frozen (preserved); closed 2024-05-01.
// Before: (101,400 + 10,300 + 5,000) / (100,000 + 10,000 + 5,000) = 1.014782… = 1.0148.
// Now: P min(101,400 − 1,400, 100,000) = 100,000; Q min(10,300 − 50, 10,000) = 10,000; R left
// out: 110,000 / 110,000 = 1.0000. recovered 101,400 + 10,300 = 111,700; preserved 5,000.
TEST(ReportIndicatorsTest, RecoveryRateNeverAboveOneFeesAndPreservationLeftOut) {
  IndicatorSet set;
  set.Add(
      Closed(WithFees(Recovered(Case("(2024)甘0102执21号", "2024-01-10", 100000), 101400), 1400),
             "2024-03-01", "fully_performed"));
  set.Add(Closed(WithFees(Recovered(Case("(2024)甘0102执22号", "2024-01-10", 10000), 10300), 50),
                 "2024-04-01", "fully_performed"));
  set.Add(Closed(Recovered(Case("(2024)甘0102执保23号", "2024-02-01", 5000), 5000), "2024-05-01",
                 "fully_performed"));
  IndicatorReport report(D("2024-01-01"), D("2024-06-30"), GroupBy::kNone);
  set.AddTo(&report);
  report.Finish();
  const Indicators& s = report.total();
  EXPECT_EQ(FormatAmount(s.closed_recovered_fen), "110000.00");
  EXPECT_EQ(FormatAmount(s.closed_claims_fen), "110000.00");
  EXPECT_EQ(Rate(s.recovery_rate()), "1.0000");
  EXPECT_EQ(FormatAmount(s.recovered_fen), "111700.00");
  EXPECT_EQ(FormatAmount(s.preserved_fen), "5000.00");
}

// A chain's money counts over all its cases, fees charged in one case netted in the chain:
//  S1 (2023)甘0102执24号  claim 20,000; recovered 8,000, fee 200 charged
//                         (0.015 × 20,000 − 100); closed 2023-12-01, before the period.
//  S2 (2024)甘0102执恢25号 restored from S1, the chain's claim 20,000; recovered 12,300 (the
//                         rest 12,000 + delay interest 300); closed 2024-06-01.
// Before: S2's own 12,300 / 20,000 = 0.6150. Now: min(8,000 + 12,300 − 200, 20,000) = 20,000;
// 20,000 / 20,000 = 1.0000.
TEST(ReportIndicatorsTest, RecoveryRateNetsTheChainsFeesOverAllItsCases) {
  IndicatorSet set;
  pb::CaseRecord s1 =
      WithFees(Recovered(Case("(2023)甘0102执24号", "2023-05-01", 20000), 8000), 200);
  pb::CaseRecord s1_closed = Closed(s1, "2023-12-01", "terminated_this_round");
  s1_closed.set_restored_to("(2024)甘0102执恢25号");
  set.Add(s1_closed, s1_closed);
  pb::CaseRecord s2 = Recovered(Case("(2024)甘0102执恢25号", "2024-01-05", 20000), 12300);
  s2.set_restored_from("(2023)甘0102执24号");
  set.Add(Closed(s2, "2024-06-01", "fully_performed"));
  IndicatorReport report(D("2024-01-01"), D("2024-06-30"), GroupBy::kNone);
  set.AddTo(&report);
  report.Finish();
  EXPECT_EQ(FormatAmount(report.total().closed_recovered_fen), "20000.00");
  EXPECT_EQ(FormatAmount(report.total().closed_claims_fen), "20000.00");
  EXPECT_EQ(Rate(report.total().recovery_rate()), "1.0000");
}

pb::DisbursementRecord Paid(const std::string& case_no, const std::string& on, int64_t yuan,
                            pb::DisbursementStatus status = pb::DISBURSEMENT_STATUS_CONFIRMED) {
  pb::DisbursementRecord record;
  record.set_disbursement_id("pay-" + case_no + on);
  record.set_case_no(case_no);
  record.set_on(on);
  record.set_amount_fen(yuan * kYuan);
  record.set_status(status);
  return record;
}

// The hand-built cases with, in 2024-01-01 .. 2024-06-30:
// Party d1: A listed 2023-12-01, deleted 2024-02-15; D listed 2024-03-01; C listed 2024-01-20,
// deleted 2024-08-01 (after `to`); restrictions with each listing (since its listed_on), one on
// B alone since 2024-02-02 (lifted 2024-03-01), one on J since 2024-07-02 (after `to`).
//  restrictions in the period: D, C, B = 3 (A's since 2023-12-01, J's after);
//  defaulters_active on 2024-06-30: D, C = 2 (A deleted, C's deletion after `to`).
// Payments: disbursements A 3,000 confirmed 2024-02-01 late; C 7,000 2024-05-01; C returned
// (left out); D 2024-07-02 (after); J (甘0103) 500 2024-06-01 late; an event 2024-03-15 with
// items A 1.00 (from an overdue lot), C 2.00, and a reversed item on C (left out).
//  payments 3 + 2 = 5; paid_late A, J, the A item = 3, 3,000 + 500 + 1.00 = 3,501.00;
//  late_payment_rate 3 / 5 = 0.6000; 甘0103 alone 1 / 1 = 1.0000.
TEST(ReportIndicatorsTest, RestrictionsActiveListingsAndLatePayments) {
  IndicatorReport report(D("2024-01-01"), D("2024-06-30"), GroupBy::kCourt);
  HandBuiltSet().AddTo(&report);
  pb::DefaulterRecord d1;
  d1.set_party_id("d1");
  List(&d1, "(2023)甘0102执1号", "2023-12-01", "2024-02-15");
  List(&d1, "(2023)甘0102执4号", "2024-03-01");
  List(&d1, "(2024)甘0102执3号", "2024-01-20", "2024-08-01");
  const std::vector<std::pair<std::string, std::string>> restrictions = {
      {"(2023)甘0102执1号", "2023-12-01"},
      {"(2023)甘0102执4号", "2024-03-01"},
      {"(2024)甘0102执3号", "2024-01-20"},
      {"(2024)甘0102执2号", "2024-02-02"},
      {"(2024)甘0103执10号", "2024-07-02"}};
  for (const auto& [case_no, since] : restrictions) {
    pb::Restriction* restriction = d1.add_restrictions();
    restriction->set_case_no(case_no);
    restriction->set_since(since);
  }
  d1.mutable_restrictions(3)->set_lifted_on("2024-03-01");
  report.AddDefaulter(d1);
  report.AddDisbursement(Paid("(2023)甘0102执1号", "2024-02-01", 3000), true);
  report.AddDisbursement(Paid("(2024)甘0102执3号", "2024-05-01", 7000), false);
  report.AddDisbursement(
      Paid("(2024)甘0102执3号", "2024-05-03", 900, pb::DISBURSEMENT_STATUS_RETURNED), true);
  report.AddDisbursement(Paid("(2023)甘0102执4号", "2024-07-02", 100), true);
  report.AddDisbursement(Paid("(2024)甘0103执10号", "2024-06-01", 500), true);
  pb::EventRecord event = Event("2024-03-15", "(2023)甘0102执1号", false);
  event.mutable_items(0)->set_overdue_fen(100);
  pb::EventItem* c_item = event.add_items();
  c_item->set_case_no("(2024)甘0102执3号");
  c_item->set_amount_fen(200);
  pb::EventItem* reversed = event.add_items();
  reversed->set_case_no("(2024)甘0102执3号");
  reversed->set_amount_fen(500);
  reversed->set_overdue_fen(500);
  reversed->set_reversed(true);
  report.AddEvent(event);
  report.Finish();
  const Indicators& s = report.total();
  EXPECT_EQ(s.restrictions, 3);
  EXPECT_EQ(s.defaulters_active, 2);
  EXPECT_EQ(s.payments, 5);
  EXPECT_EQ(s.paid_late, 3);
  EXPECT_EQ(FormatAmount(s.paid_late_fen), "3501.00");
  EXPECT_EQ(Rate(s.late_payment_rate()), "0.6000");
  const std::vector<IndicatorGroup> groups = report.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].key, "甘0103");
  EXPECT_EQ(groups[1].figures.payments, 1);
  EXPECT_EQ(Rate(groups[1].figures.late_payment_rate()), "1.0000");
  EXPECT_EQ(groups[0].figures.restrictions, 3);
}

// A disbursement is late when a lot it took money from had a deadline before the payment's day.
TEST(ReportIndicatorsTest, PaidFromOverdueLotsComparesEachLotsDeadline) {
  pb::CaseRecord before = Case("(2024)甘0102执1号", "2024-01-02", 1000);
  const std::vector<std::pair<uint64_t, std::string>> lots = {{1, "2024-03-01"}, {2, "2024-04-01"}};
  for (const auto& [id, deadline] : lots) {
    pb::Lot* lot = before.add_lots();
    lot->set_lot_id(id);
    lot->set_deadline(deadline);
  }
  pb::DisbursementRecord paid = Paid("(2024)甘0102执1号", "2024-03-15", 10);
  paid.add_parts()->set_lot_id(2);
  EXPECT_FALSE(PaidFromOverdueLots(paid, before, D("2024-03-15")));
  EXPECT_TRUE(PaidFromOverdueLots(paid, before, D("2024-04-02")));
  paid.add_parts()->set_lot_id(1);
  EXPECT_FALSE(PaidFromOverdueLots(paid, before, D("2024-03-01")));  // due that day: not late
  EXPECT_TRUE(PaidFromOverdueLots(paid, before, D("2024-03-02")));
  pb::DisbursementRecord new_lot = Paid("(2024)甘0102执1号", "2024-05-01", 10);
  new_lot.add_parts()->set_lot_id(3);  // made on the payment's day: not in `before`
  EXPECT_FALSE(PaidFromOverdueLots(new_lot, before, D("2024-05-01")));
}

// The earliest past lot names when the payment became late: lots 1 (deadline 03-01) and 2
// (deadline 04-01) both past on 04-05 -> overdue since 03-01 + 1 = 03-02; on 03-15 only lot 1
// is past -> 03-02 too; on 03-01 none is (due that day).
TEST(ReportIndicatorsTest, OverdueSinceOfPaymentIsTheEarliestPastLotsDeadlinePlusOne) {
  pb::CaseRecord before = Case("(2024)甘0102执1号", "2024-01-02", 1000);
  for (const auto& [id, deadline] :
       std::vector<std::pair<uint64_t, std::string>>{{2, "2024-04-01"}, {1, "2024-03-01"}}) {
    pb::Lot* lot = before.add_lots();
    lot->set_lot_id(id);
    lot->set_deadline(deadline);
  }
  pb::DisbursementRecord paid = Paid("(2024)甘0102执1号", "2024-04-05", 10);
  paid.add_parts()->set_lot_id(2);
  paid.add_parts()->set_lot_id(1);
  EXPECT_EQ(OverdueSinceOfPayment(paid, before, D("2024-04-05")), D("2024-03-02"));
  EXPECT_EQ(OverdueSinceOfPayment(paid, before, D("2024-03-15")), D("2024-03-02"));
  EXPECT_EQ(OverdueSinceOfPayment(paid, before, D("2024-03-01")), std::nullopt);
}

// Four payments in March 2024 (amounts in fen):
//   03-05 甘0102 王 100.00 on time; 03-20 甘0102 王 300.00 late since 03-10;
//   03-12 甘0103 李 500.00 late since 03-01; 03-28 甘0103 王 700.00 on time.
// Total: payments 4, late 2, late amount 300.00 + 500.00 = 800.00, rate 2/4 = 0.5000.
// By court: 甘0102 2 payments, 1 late 300.00 (0.5000); 甘0103 2, 1 late 500.00 (0.5000).
// By judge: 李 1, 1 late 500.00 (1.0000); 王 3, 1 late 300.00 (1/3 = 0.3333).
// Late ones by date: 03-12 (甘0103), then 03-20 (甘0102).
TEST(ReportLatePaymentsTest, CountsAndAmountsByCourtAndJudge) {
  LatePaymentReport report(D("2024-03-01"), D("2024-03-31"));
  auto add = [&](const char* on, const char* court, const char* judge, int64_t fen,
                 std::optional<Date> since) {
    report.Add({std::string("(2024)") + court + "执1号", court, judge, D(on), "payee", "B",
                Fen(fen), since, false, ""});
  };
  add("2024-03-05", "甘0102", "王", 10000, std::nullopt);
  add("2024-03-20", "甘0102", "王", 30000, D("2024-03-10"));
  add("2024-03-12", "甘0103", "李", 50000, D("2024-03-01"));
  add("2024-03-28", "甘0103", "王", 70000, std::nullopt);
  EXPECT_EQ(report.total().payments, 4);
  EXPECT_EQ(report.total().late, 2);
  EXPECT_EQ(FormatAmount(report.total().late_fen), "800.00");
  EXPECT_EQ(Rate(report.total().late_payment_rate()), "0.5000");
  ASSERT_EQ(report.by_court().size(), 2u);
  EXPECT_EQ(FormatAmount(report.by_court().at("甘0102").late_fen), "300.00");
  EXPECT_EQ(FormatAmount(report.by_court().at("甘0103").late_fen), "500.00");
  ASSERT_EQ(report.by_judge().size(), 2u);
  EXPECT_EQ(Rate(report.by_judge().at("李").late_payment_rate()), "1.0000");
  EXPECT_EQ(report.by_judge().at("王").payments, 3);
  EXPECT_EQ(Rate(report.by_judge().at("王").late_payment_rate()), "0.3333");
  const std::vector<PaymentMade> late = report.late();
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].court, "甘0103");
  EXPECT_EQ(late[1].overdue_since, D("2024-03-10"));
  // No payments: no rate (printed null / "-").
  EXPECT_EQ(LatePaymentReport(D("2024-04-01"), D("2024-04-30")).total().late_payment_rate(),
            std::nullopt);
}

TEST(ReportOverdueTest, MoneyPastItsDeadlineAndUnpaidOverOneYear) {
  OverdueReport report(D("2024-05-01"));
  // P: lot 1 (deadline 03-31) free 1,000 + reserved 500 is overdue since 04-01; lot 2 (deadline
  // 05-10) is not; lot 3 (dated 2023-04-01) holds 700: held money is never overdue, but is
  // unpaid over one year (2024-05-01 > 2023-04-01 + 12 months).
  pb::CaseRecord p = Case("(2024)甘0102执30号", "2024-01-02", 50000);
  AddLot(&p, "2023-04-01", "2023-05-01", 0, 0, 700);
  AddLot(&p, "2024-03-01", "2024-03-31", 1000, 500);
  AddLot(&p, "2024-04-10", "2024-05-10", 2000);
  report.AddCase(p);
  // Q: no money.
  report.AddCase(Case("(2024)甘0102执31号", "2024-01-02", 50000));
  // R: a deadline the day before D is overdue (since D); a deadline on D is not yet.
  pb::CaseRecord r = Case("(2024)甘0102执32号", "2024-01-02", 50000);
  AddLot(&r, "2024-03-31", "2024-04-30", 100);
  AddLot(&r, "2024-04-01", "2024-05-01", 200);
  report.AddCase(r);
  ASSERT_EQ(report.cases.size(), 2u);
  EXPECT_EQ(report.cases[0].case_no, "(2024)甘0102执30号");
  EXPECT_EQ(FormatAmount(report.cases[0].amount_fen), "1500.00");
  EXPECT_EQ(report.cases[0].since, D("2024-04-01"));
  EXPECT_EQ(report.cases[1].case_no, "(2024)甘0102执32号");
  EXPECT_EQ(FormatAmount(report.cases[1].amount_fen), "100.00");
  EXPECT_EQ(report.cases[1].since, D("2024-05-01"));
  ASSERT_EQ(report.over_one_year.size(), 1u);
  EXPECT_EQ(report.over_one_year[0].case_no, "(2024)甘0102执30号");
  EXPECT_EQ(FormatAmount(report.over_one_year[0].amount_fen), "700.00");
}

TEST(ReportOverdueTest, UnidentifiedReceiptsPastTheirClaimDeadline) {
  OverdueReport report(D("2024-05-01"));
  report.AddUnidentified(Unidentified("U1", "2024-04-20", "2024-04-23", 300));  // past
  report.AddUnidentified(Unidentified("U2", "2024-04-28", "2024-05-01", 400));  // due today
  pb::UnidentifiedRecord reversed = Unidentified("U3", "2024-04-01", "2024-04-04", 500);
  reversed.set_reversed(true);
  report.AddUnidentified(reversed);
  report.AddUnidentified(Unidentified("U4", "2024-05-02", "2024-05-05", 600));  // not yet in
  report.AddUnidentified(Unidentified("U5", "2024-04-01", "2024-04-04", 0));    // all claimed
  ASSERT_EQ(report.unclaimed.size(), 1u);
  EXPECT_EQ(report.unclaimed[0].bank_ref, "U1");
  EXPECT_EQ(FormatAmount(report.unclaimed[0].amount_fen), "300.00");
  EXPECT_EQ(report.unclaimed[0].since, D("2024-04-24"));
}

TEST(ReportOverdueTest, DefaulterDeletionsPastTheirDueDate) {
  const Date on = D("2024-05-01");
  pb::DefaulterRecord record;
  record.set_party_id("d1");
  List(&record, "P", "2024-01-10");                 // case closed fully_performed Mon 04-22
  List(&record, "Q", "2024-02-01", "2024-04-28");   // deleted before D: not standing
  List(&record, "R", "2024-02-01", "2024-05-05");   // deleted after D: standing; paid off 04-29
  List(&record, "S", "2024-03-01")->set_ground(1);  // ground 1, no cause: no due date
  List(&record, "T", "2024-05-10");                 // listed after D: not standing
  const pb::DefaulterRecord standing_listings = StandingListings(record, on);
  ASSERT_EQ(standing_listings.listings_size(), 3);
  EXPECT_EQ(standing_listings.listings(0).case_no(), "P");
  EXPECT_EQ(standing_listings.listings(1).case_no(), "R");
  EXPECT_FALSE(standing_listings.listings(1).has_deleted_on());
  EXPECT_EQ(standing_listings.listings(2).case_no(), "S");
  std::map<std::string, CaseStanding> standing;
  standing["P"].closed_on = D("2024-04-22");
  standing["P"].mode = pb::CLOSURE_MODE_FULLY_PERFORMED;
  standing["R"].paid_off_on = D("2024-04-29");
  standing["S"];
  OverdueReport report(on);
  report.AddDefaulter(standing_listings, Calendar(), standing);
  // P: three working days after Monday 04-22 is Thursday 04-25 < 05-01: overdue.
  // R: three working days after Monday 04-29 is Thursday 05-02: not yet due.
  ASSERT_EQ(report.deletions_overdue.size(), 1u);
  EXPECT_EQ(report.deletions_overdue[0].party_id, "d1");
  EXPECT_EQ(report.deletions_overdue[0].case_no, "P");
  EXPECT_EQ(report.deletions_overdue[0].due_on, D("2024-04-25"));
}

// ---- Backlog on 2025-06-30, clearing from 2025-01-01.
//  B1 filed 2024-06-29, open: over one year (06-30 > 2025-06-29), past its deadline 2024-12-29.
//  B2 filed 2024-06-30, open: not over one year (06-30 is not after 2025-06-30); past deadline.
//  B3 filed 2022-06-01: open on F (over one year then), closed 2025-03-01: cleared.
//  B4 filed 2021-12-01: open on F (over one and three years), suspended on D since 2025-05-01.
//  B5 filed 2015-01-01, open: over ten years on D; on F over one and three (not ten: F is
//     2025-01-01, not after 2025-01-01).
//  B6 filed 2024-12-01, extended 3 months, suspended 2025-01-10 .. 2025-03-10 (59 days):
//     deadline 2025-09-01 + 59 days = 2025-10-30: in no list.
//  B7 filed 2020-01-01, closed 2024-11-01: closed on F, in no list.
//  B8 filed 2023-01-01, open on F (over one year), closed on D itself: cleared.
struct BacklogCase {
  pb::CaseRecord at_on;
  std::optional<pb::CaseRecord> at_from;
};

std::vector<BacklogCase> BacklogSet() {
  std::vector<BacklogCase> set;
  auto open = [&](const std::string& case_no, const std::string& filed_on) {
    pb::CaseRecord r = Case(case_no, filed_on, 1000);
    set.push_back({r, filed_on <= "2025-01-01" ? std::optional(r) : std::nullopt});
  };
  open("B1", "2024-06-29");
  open("B2", "2024-06-30");
  pb::CaseRecord b3 = Case("B3", "2022-06-01", 1000);
  set.push_back({Closed(b3, "2025-03-01", "withdrawn"), b3});
  pb::CaseRecord b4 = Case("B4", "2021-12-01", 1000);
  pb::CaseRecord b4_on = b4;
  b4_on.set_status(pb::CASE_STATUS_SUSPENDED);
  pb::Suspension* running = b4_on.add_suspensions();
  running->set_kind(pb::SUSPENSION_KIND_SUSPENSION);
  running->set_from("2025-05-01");
  set.push_back({b4_on, b4});
  open("B5", "2015-01-01");
  pb::CaseRecord b6 = Case("B6", "2024-12-01", 1000);
  pb::Extension* extension = b6.add_extensions();
  extension->set_months(3);
  extension->set_on("2025-05-01");
  pb::Suspension* ended = b6.add_suspensions();
  ended->set_kind(pb::SUSPENSION_KIND_STAY);
  ended->set_from("2025-01-10");
  ended->set_to("2025-03-10");
  set.push_back({b6, Case("B6", "2024-12-01", 1000)});
  pb::CaseRecord b7 = Closed(Case("B7", "2020-01-01", 1000), "2024-11-01", "withdrawn");
  set.push_back({b7, b7});
  pb::CaseRecord b8 = Case("B8", "2023-01-01", 1000);
  set.push_back({Closed(b8, "2025-06-30", "fully_performed"), b8});
  return set;
}

std::vector<std::string> Where(const BacklogReport& report, bool BacklogRow::*member) {
  std::vector<std::string> cases;
  for (const auto& row : report.rows()) {
    if (row.*member) cases.push_back(row.case_no);
  }
  return cases;
}

TEST(ReportBacklogTest, ListsOnAChosenDate) {
  BacklogReport report(D("2025-06-30"), std::nullopt);
  for (const auto& c : BacklogSet()) report.AddCase(&c.at_on, nullptr);
  using V = std::vector<std::string>;
  EXPECT_EQ(Where(report, &BacklogRow::past_deadline), (V{"B1", "B2", "B4", "B5"}));
  EXPECT_EQ(Where(report, &BacklogRow::over_one_year), (V{"B1", "B4", "B5"}));
  EXPECT_EQ(Where(report, &BacklogRow::over_three_years), (V{"B4", "B5"}));
  EXPECT_EQ(Where(report, &BacklogRow::over_five_years), (V{"B5"}));
  EXPECT_EQ(Where(report, &BacklogRow::over_ten_years), (V{"B5"}));
  // B4's deadline: 2022-06-01 + the running suspension's 60 days (05-01 .. 06-30) = 2022-07-31.
  ASSERT_EQ(report.rows()[2].case_no, "B4");
  EXPECT_EQ(report.rows()[2].deadline, D("2022-07-31"));
  EXPECT_EQ(report.backlog_one_year(), 0);  // no --from
  EXPECT_FALSE(report.clearing_rate_one_year().has_value());
}

TEST(ReportBacklogTest, ClearingOfTheBacklogThatStoodOnTheFromDate) {
  BacklogReport report(D("2025-06-30"), D("2025-01-01"));
  for (const auto& c : BacklogSet()) {
    report.AddCase(&c.at_on, c.at_from ? &*c.at_from : nullptr);
  }
  // Over one year on 2025-01-01: B3, B4, B5, B8; closed by 06-30: B3, B8. 2 / 4 = 0.5000.
  EXPECT_EQ(report.backlog_one_year(), 4);
  EXPECT_EQ(report.cleared_one_year(), 2);
  EXPECT_EQ(Rate(report.clearing_rate_one_year()), "0.5000");
  // Over three years on 2025-01-01: B4 (after 2024-12-01), B5; neither closed. 0 / 2.
  EXPECT_EQ(report.backlog_three_years(), 2);
  EXPECT_EQ(report.cleared_three_years(), 0);
  EXPECT_EQ(Rate(report.clearing_rate_three_years()), "0.0000");
  using V = std::vector<std::string>;
  EXPECT_EQ(Where(report, &BacklogRow::cleared_one_year), (V{"B3", "B8"}));
  // Cleared cases are rows too (for the CSV), with no deadline on D.
  EXPECT_FALSE(report.rows()[2].deadline.has_value());
}

// ---- Deadlines from 2024-06-01 to 2024-06-08 (within 7 days).
TEST(ReportDeadlinesTest, ClosureAndPayoutDeadlinesInTheWindowByJudge) {
  DeadlinesReport report(D("2024-06-01"), 7);
  EXPECT_EQ(report.last_day(), D("2024-06-08"));
  report.AddCase(Case("X", "2023-12-01", 1000, "张"));     // deadline 06-01: the first day
  report.AddCase(Case("Y", "2023-12-08", 1000, "张"));     // deadline 06-08: the last day
  pb::CaseRecord z = Case("Z", "2023-12-09", 1000, "李");  // deadline 06-09: outside
  AddLot(&z, "2024-05-06", "2024-06-05", 100);
  AddLot(&z, "2024-05-06", "2024-06-05", 0, 50);      // same deadline: one line of 150
  AddLot(&z, "2024-05-04", "2024-06-03", 0, 0, 999);  // held: left out
  AddLot(&z, "2024-05-01", "2024-05-31", 10);         // already overdue: left out
  report.AddCase(z);
  report.AddCase(Case("W", "2023-12-05", 1000));  // no judge: deadline 06-05
  pb::CaseRecord closed = Closed(Case("V", "2023-12-03", 1000, "李"), "2024-05-01", "withdrawn");
  report.AddCase(closed);  // closed: no closure deadline runs
  const std::vector<JudgeDeadlines> judges = report.judges();
  ASSERT_EQ(judges.size(), 3u);
  EXPECT_EQ(judges[0].judge, "");
  ASSERT_EQ(judges[0].cases.size(), 1u);
  EXPECT_EQ(judges[0].cases[0].case_no, "W");
  EXPECT_EQ(judges[1].judge, "张");
  ASSERT_EQ(judges[1].cases.size(), 2u);
  EXPECT_EQ(judges[1].cases[0].case_no, "X");
  EXPECT_EQ(judges[1].cases[0].deadline, D("2024-06-01"));
  EXPECT_EQ(judges[1].cases[1].case_no, "Y");
  EXPECT_EQ(judges[2].judge, "李");
  EXPECT_TRUE(judges[2].cases.empty());
  ASSERT_EQ(judges[2].money.size(), 1u);
  EXPECT_EQ(judges[2].money[0].case_no, "Z");
  EXPECT_EQ(FormatAmount(judges[2].money[0].amount_fen), "150.00");
  EXPECT_EQ(judges[2].money[0].deadline, D("2024-06-05"));
}

}  // namespace
}  // namespace caseledger
