// Proves that the read layer's front doors (ledger/reading.h, ledger/reports.h,
// ledger/reconciling.h) give typed results worked by hand on a small ledger, that --record books
// a bank-only receipt to an open case and to suspense otherwise, and that a stored record that
// does not parse is CORRUPTION.
#include "ledger/reading.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/reconciling.h"
#include "ledger/records.h"
#include "ledger/reports.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

using testutil::Apply;
using testutil::Line;
using testutil::Obj;
using testutil::OpenCaseBody;
using testutil::ReceiptBody;
using testutil::Str;

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";
constexpr char kCaseC[] = "(2024)甘0102执10号";
constexpr char kCaseD[] = "(2024)京执3号";

Date D(int month, int day) { return *Date::FromYmd(2024, month, day); }

// A: claim 50,000.00, receipt 1,000.00 on 01-10 (payout deadline 02-09), never paid out.
// B: opened and closed withdrawn on 01-20, no money. C: serial 10, opened 02-01. D: Beijing.
class ReadingTest : public testutil::LedgerDirTest {
 protected:
  void SetUp() override {
    LedgerDirTest::SetUp();
    ledger_ = MustOpen(Dir());
    ASSERT_NE(ledger_, nullptr);
    Ok(Line("open-a", "2024-01-02", "open_case", OpenCaseBody(kCaseA, "50000")));
    Ok(Line("open-b", "2024-01-03", "open_case", OpenCaseBody(kCaseB, "20000")));
    Ok(Line("r-1", "2024-01-10", "receipt", ReceiptBody(kCaseA, "1000", "B1")));
    Ok(Line("close-b", "2024-01-20", "close_case",
            Obj({{"case_no", Str(kCaseB)}, {"mode", Str("withdrawn")}})));
    Ok(Line("open-c", "2024-02-01", "open_case", OpenCaseBody(kCaseC, "3000")));
    Ok(Line("open-d", "2024-02-01", "open_case", OpenCaseBody(kCaseD, "3000")));
  }

  void Ok(const std::string& line) {
    const CommandResult result = Apply(ledger_.get(), line);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString() << " in " << line;
  }

  std::string AccountOf(const char* case_no) {
    Result<pb::CaseRecord> record = ledger_->GetCase(case_no, PointInTime{});
    EXPECT_TRUE(record.ok());
    return record.ok() ? record->account_no() : "";
  }

  std::unique_ptr<Ledger> ledger_;
};

TEST_F(ReadingTest, CaseAtAPointHasItsFiguresOnThatDate) {
  Result<CaseReading> now = ReadCase(ledger_.get(), kCaseA, PointInTime{});
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_EQ(now->on, D(12, 31));  // today (testutil::kToday)
  EXPECT_EQ(now->figures.recovered_fen, 100000);
  EXPECT_EQ(now->figures.balance_fen, 100000);
  EXPECT_EQ(now->relief_paid_fen, 0);
  EXPECT_FALSE(now->deadline_basis.filed_on.empty());
  EXPECT_EQ(now->deadline_basis.closure_months, 6);
  // As of 01-09 the receipt is not there yet; at entry 1 neither, dated that entry's day.
  Result<CaseReading> before = ReadCase(ledger_.get(), kCaseA, PointInTime{std::nullopt, D(1, 9)});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->figures.recovered_fen, 0);
  Result<CaseReading> first = ReadCase(ledger_.get(), kCaseA, PointInTime{1, std::nullopt});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->on, D(1, 2));
  EXPECT_EQ(first->record.last_seq(), 1u);
  EXPECT_EQ(ReadCase(ledger_.get(), "(2024)甘0102执99号", {}).status().code(), Code::kUnknownCase);
}

TEST_F(ReadingTest, CasesAreFilteredAndListedInRegisterOrder) {
  Result<std::vector<CaseRow>> all = ListCases(ledger_.get(), CasesQuery{}, D(12, 31));
  ASSERT_TRUE(all.ok());
  std::vector<std::string> order;
  for (const CaseRow& row : *all) order.push_back(row.record.case_no());
  // Court 京 sorts before 甘0102 (UTF-8 bytes), serial 10 after 2 (a number, not text).
  EXPECT_EQ(order, (std::vector<std::string>{kCaseD, kCaseA, kCaseB, kCaseC}));
  Result<std::vector<CaseRow>> open = ListCases(
      ledger_.get(), CasesQuery{pb::CASE_STATUS_OPEN, "甘0102", std::nullopt, "", ""}, D(12, 31));
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].record.case_no(), kCaseA);
  EXPECT_EQ((*open)[0].figures.balance_fen, 100000);
  // On 01-15 B was still open, C and D not filed.
  Result<std::vector<CaseRow>> then =
      ListCases(ledger_.get(), CasesQuery{pb::CASE_STATUS_OPEN, "", D(1, 15), "", ""}, D(12, 31));
  ASSERT_TRUE(then.ok());
  ASSERT_EQ(then->size(), 2u);
  EXPECT_EQ((*then)[1].record.case_no(), kCaseB);
}

TEST_F(ReadingTest, HistoryGivesEachEntryWithWhatItMovedForTheCase) {
  std::vector<std::pair<uint64_t, Fen>> rows;
  Status status = ForEachHistoryRow(ledger_.get(), kCaseA, [&](const HistoryRow& row) {
    rows.emplace_back(row.stored.seq, row.case_amount_fen);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  // Entry 1 opened the case (no money); entry 3 received 1,000.00 into it.
  EXPECT_EQ(rows, (std::vector<std::pair<uint64_t, Fen>>{{1, 0}, {3, 100000}}));
}

TEST_F(ReadingTest, BalanceAndStateAgreeWithTheReceipt) {
  Result<BalanceReading> balance = ReadBalance(ledger_.get(), std::nullopt);
  ASSERT_TRUE(balance.ok());
  EXPECT_EQ(balance->balances.bank_fen, 100000);
  EXPECT_EQ(balance->balances.cases_fen, 100000);
  EXPECT_TRUE(balance->balances.agree());
  Result<BalanceReading> before = ReadBalance(ledger_.get(), D(1, 9));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->balances.bank_fen, 0);

  std::vector<uint64_t> ticks;
  Result<StateReading> state =
      ReadState(ledger_.get(), 3, [&](uint64_t seq) { ticks.push_back(seq); });
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(ticks, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(state->on, "2024-01-10");
  EXPECT_EQ(state->balances.bank_fen, 100000);
  EXPECT_TRUE(state->balances.agree());
  ASSERT_EQ(state->case_balances.size(), 1u);
  EXPECT_EQ(state->case_balances[0], (std::pair<std::string, Fen>{kCaseA, 100000}));
  EXPECT_EQ(ReadState(ledger_.get(), 7, [](uint64_t) {}).status().code(), Code::kUnknownReference);
}

TEST_F(ReadingTest, MissingEventsDistributionsAndListingsAreSaidSo) {
  EXPECT_EQ(ReadEvent(ledger_.get(), "E1").status().ToString(), "UNKNOWN_REFERENCE: no event E1");
  EXPECT_EQ(ReadDistribution(ledger_.get(), "N1").status().ToString(),
            "UNKNOWN_REFERENCE: no distribution N1");
  Result<std::vector<EventReading>> events = ListEvents(ledger_.get());
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  Result<DefaulterReading> party = ReadDefaulter(ledger_.get(), "debt-1", D(3, 1));
  ASSERT_TRUE(party.ok());
  EXPECT_EQ(party->record.party_id(), "debt-1");
  EXPECT_FALSE(party->view.listed);
  Result<std::vector<PublicListing>> listings = ListDefaulters(ledger_.get(), D(3, 1));
  ASSERT_TRUE(listings.ok());
  EXPECT_TRUE(listings->empty());
}

TEST_F(ReadingTest, ReportsSelectCasesByCourtAsTheyStoodOnTheDate) {
  // On 03-01 A's 1,000.00 is past its deadline (02-09): overdue since 02-10.
  Result<OverdueReport> overdue = GatherOverdue(ledger_.get(), "甘0102", D(3, 1));
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->cases.size(), 1u);
  EXPECT_EQ(overdue->cases[0].case_no, kCaseA);
  EXPECT_EQ(overdue->cases[0].amount_fen, 100000);
  EXPECT_EQ(overdue->cases[0].since, D(2, 10));
  Result<OverdueReport> beijing = GatherOverdue(ledger_.get(), "京", D(3, 1));
  ASSERT_TRUE(beijing.ok());
  EXPECT_TRUE(beijing->cases.empty());
  // January: A and B filed (2), B closed (1, withdrawn); 1,000.00 recovered.
  Result<IndicatorReport> january =
      GatherIndicators(ledger_.get(), "甘0102", D(1, 1), D(1, 31), GroupBy::kNone);
  ASSERT_TRUE(january.ok());
  EXPECT_EQ(january->total().filed, 2);
  EXPECT_EQ(january->total().closed, 1);
  EXPECT_EQ(january->total().recovered_fen, 100000);
  // Deadlines from 07-01 within 10 days: A's closure deadline is 01-02 + 6 months = 07-02.
  Result<DeadlinesReport> deadlines = GatherDeadlines(ledger_.get(), "甘0102", D(7, 1), 10);
  ASSERT_TRUE(deadlines.ok());
  ASSERT_EQ(deadlines->judges().size(), 1u);
  ASSERT_EQ(deadlines->judges()[0].cases.size(), 1u);
  EXPECT_EQ(deadlines->judges()[0].cases[0].case_no, kCaseA);
  EXPECT_EQ(deadlines->judges()[0].cases[0].deadline, D(7, 2));
  // Monthly, March: A red (03-31 is 51 days past 02-09 > 30), nothing else holds money.
  Result<MonthlyFigures> march = GatherMonthly(ledger_.get(), "甘0102", D(3, 1));
  ASSERT_TRUE(march.ok());
  EXPECT_EQ(march->last, D(3, 31));
  EXPECT_EQ(march->weeks.size(), 5u);  // 1-7, 8-14, 15-21, 22-28, 29-31
  ASSERT_EQ(march->lights.size(), 1u);
  EXPECT_EQ(march->lights[0].light, Light::kRed);
  EXPECT_EQ(march->lights[0].days_past, 51);
  EXPECT_EQ(march->overdue_by_age[1], 100000);  // 51 days: the 31–90 bar
}

TEST_F(ReadingTest, RecordBooksToAnOpenCaseElseToSuspense) {
  const std::string account_a = AccountOf(kCaseA), account_b = AccountOf(kCaseB);
  ledger_.reset();  // ReconcileStatement opens the ledger itself
  auto line = [](size_t row, const std::string& ref, const std::string& account) {
    StatementLine l;
    l.row = row, l.value_date = D(1, 10), l.amount_fen = 100000, l.bank_ref = ref;
    l.virtual_account = account;
    return l;
  };
  // B1 is A's receipt; N1 names open A, N2 closed B, N3 no account.
  const std::vector<StatementLine> lines = {line(2, "B1", account_a), line(3, "N1", account_a),
                                            line(4, "N2", account_b), line(5, "N3", "")};
  ReconcileRequest request;
  request.record = true;
  request.on = "2024-02-01";  // booked today (the ledger's last day); the bank's date stays 01-10
  Result<ReconcileReading> reading = ReconcileStatement(Dir(), lines, request);
  ASSERT_TRUE(reading.ok()) << reading.status().ToString();
  EXPECT_EQ(reading->rec.matched.size(), 1u);
  EXPECT_EQ(reading->rec.bank_only, (std::vector<size_t>{1, 2, 3}));
  ASSERT_EQ(reading->outcomes.size(), 3u);
  EXPECT_EQ(reading->outcomes[0].kind, RecordOutcome::Kind::kRecorded);
  EXPECT_EQ(reading->outcomes[0].op, pb::OPERATION_RECEIPT);
  EXPECT_EQ(reading->outcomes[0].case_no, kCaseA);
  for (size_t i : {1, 2}) {
    EXPECT_EQ(reading->outcomes[i].kind, RecordOutcome::Kind::kRecorded);
    EXPECT_EQ(reading->outcomes[i].op, pb::OPERATION_UNIDENTIFIED_RECEIPT);
    EXPECT_EQ(reading->outcomes[i].seq, 7 + i);  // after A's receipt, entry 7
  }
  // Again: every line is in the ledger now, each skipped naming the entry holding it.
  Result<ReconcileReading> again = ReconcileStatement(Dir(), lines, request);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->rec.matched.size(), 4u);
  EXPECT_TRUE(again->outcomes.empty());
  // No lines and no period: nothing to reconcile.
  EXPECT_EQ(ReconcileStatement(Dir(), {}, ReconcileRequest{}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace caseledger
