// Proves that Ledger::GetBankActivity gives the ledger's side of SPEC §4: every movement
// through the bank dated in the period (receipts by value date, the rest by `on`), collective
// items one by one, reversed entries and their reversals left out except a bank return, which
// stays with its own reference, and the bank balance as of the period's end.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ledger/ledger.h"
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

Date D(int month, int day) { return *Date::FromYmd(2024, month, day); }

class ReconcileLedgerTest : public testutil::LedgerDirTest {
 protected:
  void SetUp() override {
    LedgerDirTest::SetUp();
    ledger_ = MustOpen(Dir());
    ASSERT_NE(ledger_, nullptr);
  }

  void Ok(const std::string& line) {
    const CommandResult result = Apply(ledger_.get(), line);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString() << " in " << line;
  }

  // Two cases and a March of the movements SPEC §4 names, one of each kind.
  void RecordMarch() {
    Ok(Line("open-a", "2024-03-01", "open_case", OpenCaseBody(kCaseA, "100000")));
    Ok(Line("open-b", "2024-03-01", "open_case", OpenCaseBody(kCaseB, "100000")));
    // A receipt by its value date (the 4th), though booked on the 5th.
    Ok(Line("r-1", "2024-03-05", "receipt",
            Obj({{"case_no", Str(kCaseA)},
                 {"amount", Str("1000")},
                 {"bank_ref", Str("B1")},
                 {"source", Str("debtor_payment")},
                 {"value_date", Str("2024-03-04")}})));
    Ok(Line("u-1", "2024-03-06", "unidentified_receipt",
            Obj({{"amount", Str("50")}, {"bank_ref", Str("U1")}})));
    // Booked to the wrong case and reversed: both left out.
    Ok(Line("r-wrong", "2024-03-07", "receipt", ReceiptBody(kCaseA, "200", "B-WRONG")));
    Ok(Line("rev-wrong", "2024-03-07", "reverse",
            Obj({{"target_request_id", Str("r-wrong")}, {"reason", Str("wrong case")}})));
    // A disbursement the bank paid and then returned: both stay, each with its reference.
    Ok(Line("req-1", "2024-03-10", "request_disbursement",
            Obj({{"disbursement_id", Str("D1")},
                 {"case_no", Str(kCaseA)},
                 {"payee", Str("cred-1")},
                 {"amount", Str("300")}})));
    Ok(Line("app-1", "2024-03-10", "approve_disbursement", Obj({{"disbursement_id", Str("D1")}}),
            "chief.li"));
    Ok(Line("conf-1", "2024-03-10", "confirm_disbursement",
            Obj({{"disbursement_id", Str("D1")}, {"bank_ref", Str("PAY-1")}})));
    Ok(Line("ret-1", "2024-03-12", "reverse",
            Obj({{"target_request_id", Str("conf-1")},
                 {"bank_ref", Str("RET-1")},
                 {"reason", Str("account closed")}})));
    // Costs paid and reversed without a return reference (a booking error): both left out.
    Ok(Line("cost-1", "2024-03-13", "pay_costs",
            Obj({{"case_no", Str(kCaseA)},
                 {"payee", Str("评估公司")},
                 {"amount", Str("20")},
                 {"bank_ref", Str("C1")},
                 {"reason", Str("appraisal")}})));
    Ok(Line("rev-cost", "2024-03-14", "reverse",
            Obj({{"target_request_id", Str("cost-1")}, {"reason", Str("booked twice")}})));
    Ok(Line("r-2", "2024-03-15", "receipt", ReceiptBody(kCaseB, "500", "B2")));
    // A collective event of two items; one item reversed by its bank_ref.
    const std::string items = "[" +
                              Obj({{"case_no", Str(kCaseA)},
                                   {"payee", Str("cred-1")},
                                   {"amount", Str("10")},
                                   {"bank_ref", Str("E1")}}) +
                              "," +
                              Obj({{"case_no", Str(kCaseB)},
                                   {"payee", Str("cred-1")},
                                   {"amount", Str("20")},
                                   {"bank_ref", Str("E2")}}) +
                              "]";
    Ok(Line("ev-1", "2024-03-16", "collective_disbursement",
            Obj({{"event_id", Str("EV1")},
                 {"title", Str("集中发放")},
                 {"approved_by", Str("chief.li")},
                 {"items", items}})));
    Ok(Line("rev-e2", "2024-03-17", "reverse",
            Obj({{"target_request_id", Str("ev-1")},
                 {"bank_ref", Str("E2")},
                 {"reason", Str("wrong payee")}})));
    Ok(Line("ru-1", "2024-03-18", "refund_unidentified",
            Obj({{"bank_ref", Str("U1")},
                 {"payee", Str("王某")},
                 {"amount", Str("10")},
                 {"refund_bank_ref", Str("RU1")},
                 {"reason", Str("paid by mistake")}})));
    // After the period.
    Ok(Line("r-3", "2024-04-02", "receipt", ReceiptBody(kCaseA, "70", "B3")));
  }

  BankActivity Activity(Date from, Date to) {
    Result<BankActivity> activity = ledger_->GetBankActivity(from, to);
    EXPECT_TRUE(activity.ok()) << activity.status().ToString();
    return activity.ok() ? *activity : BankActivity{};
  }

  std::unique_ptr<Ledger> ledger_;
};

// "op ref direction amount date" for each movement.
std::vector<std::string> Describe(const BankActivity& activity) {
  std::vector<std::string> out;
  for (const BankMovement& m : activity.movements) {
    out.push_back(m.op + " " + m.bank_ref + " " + std::string(DirectionName(m.direction)) + " " +
                  FormatAmount(m.amount_fen) + " " + m.date.ToString());
  }
  return out;
}

TEST_F(ReconcileLedgerTest, MarchHoldsEveryBankMovementOnceAndNoCorrectedOne) {
  RecordMarch();
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  EXPECT_EQ(Describe(march), (std::vector<std::string>{
                                 "receipt B1 in 1000.00 2024-03-04",
                                 "unidentified_receipt U1 in 50.00 2024-03-06",
                                 "confirm_disbursement PAY-1 out 300.00 2024-03-10",
                                 "reverse RET-1 in 300.00 2024-03-12",
                                 "receipt B2 in 500.00 2024-03-15",
                                 "collective_disbursement E1 out 10.00 2024-03-16",
                                 "refund_unidentified RU1 out 10.00 2024-03-18",
                             }));
  // 1000 + 50 + (200 − 200) + (−300 + 300) + (−20 + 20) + 500 − 30 + 20 − 10; not April's 70.
  EXPECT_EQ(march.balance_fen, 153000);
  EXPECT_EQ(march.as_of_seq, 16u);
}

TEST_F(ReconcileLedgerTest, ReceiptsCarryTheirCaseAndTheCasesTheirVirtualAccounts) {
  RecordMarch();
  Result<pb::CaseRecord> case_a = ledger_->GetCase(kCaseA, PointInTime{});
  ASSERT_TRUE(case_a.ok());
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  ASSERT_FALSE(march.movements.empty());
  const BankMovement& first = march.movements.front();
  EXPECT_EQ(first.seq, 3u);
  EXPECT_EQ(first.request_id, "r-1");
  EXPECT_EQ(first.case_no, kCaseA);
  EXPECT_EQ(march.movements[1].case_no, "");  // an unidentified receipt names no case
  // Matching by virtual account finds the case through the accounts the ledger handed out.
  ASSERT_EQ(march.case_of_account.size(), 2u);
  EXPECT_EQ(march.case_of_account.at(case_a->account_no()), kCaseA);
}

TEST_F(ReconcileLedgerTest, APeriodTakesTheMovementsDatedInIt) {
  RecordMarch();
  // The return on the 12th falls in the period; the payment on the 10th does not.
  EXPECT_EQ(Describe(Activity(D(3, 11), D(3, 15))),
            (std::vector<std::string>{"reverse RET-1 in 300.00 2024-03-12",
                                      "receipt B2 in 500.00 2024-03-15"}));
  // The ledger as of the 5th: the receipt by its value date, the balance after entry 3.
  const BankActivity early = Activity(D(3, 1), D(3, 5));
  EXPECT_EQ(Describe(early), (std::vector<std::string>{"receipt B1 in 1000.00 2024-03-04"}));
  EXPECT_EQ(early.balance_fen, 100000);
  EXPECT_EQ(early.as_of_seq, 3u);
  const BankActivity april = Activity(D(4, 1), D(4, 30));
  EXPECT_EQ(Describe(april), (std::vector<std::string>{"receipt B3 in 70.00 2024-04-02"}));
  EXPECT_EQ(april.balance_fen, 160000);
}

TEST_F(ReconcileLedgerTest, AReversalAfterThePeriodLeavesTheEntryInIt) {
  RecordMarch();
  Ok(Line("rev-b2", "2024-04-03", "reverse",
          Obj({{"target_request_id", Str("r-2")}, {"reason", Str("wrong case")}})));
  // As of March the receipt B2 was not yet reversed.
  const std::vector<std::string> march = Describe(Activity(D(3, 1), D(3, 31)));
  EXPECT_NE(std::find(march.begin(), march.end(), "receipt B2 in 500.00 2024-03-15"), march.end());
  // Over March and April it was, and neither it nor its reversal shows.
  const std::vector<std::string> both = Describe(Activity(D(3, 1), D(4, 30)));
  for (const std::string& movement : both) EXPECT_EQ(movement.find(" B2 "), std::string::npos);
  EXPECT_EQ(both.size(), 7u);
}

TEST_F(ReconcileLedgerTest, AnEmptyLedgerOrAnEarlierPeriodHasNothing) {
  BankActivity none = Activity(D(1, 1), D(12, 31));
  EXPECT_TRUE(none.movements.empty());
  EXPECT_EQ(none.balance_fen, 0);
  RecordMarch();
  none = Activity(D(2, 1), D(2, 29));
  EXPECT_TRUE(none.movements.empty());
  EXPECT_EQ(none.as_of_seq, 0u);
}

}  // namespace
}  // namespace caseledger
