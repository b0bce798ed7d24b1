// Proves that Ledger::GetBankActivity gives the ledger's side of SPEC §4 by bank dates: every
// movement through the bank dated in the period (receipts by value date, the rest by `on`),
// whenever booked, collective items one by one, reversed entries and their reversals left out
// (a correction booked later too) except a bank return, which stays with its own reference,
// the bank balance at the period's end by the same dates, and that every month of a random
// ledger booked late, wrongly and corrected matches its bank's statement line for line.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/names.h"
#include "ledger/codec.h"
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

  // Booked on April 3rd, received by the bank on March 29th: 60.00 with no usable case.
  void BookLateUnidentifiedReceipt() {
    Ok(Line("late-u", "2024-04-03", "unidentified_receipt",
            Obj({{"amount", Str("60")},
                 {"bank_ref", Str("U-LATE")},
                 {"value_date", Str("2024-03-29")}})));
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
    out.push_back(std::string(WireName(m.op)) + " " + m.bank_ref + " " +
                  std::string(DirectionName(m.direction)) + " " + FormatAmount(m.amount_fen) + " " +
                  m.date.ToString());
  }
  return out;
}

// The bank movements RecordMarch() leaves in March, as Describe() writes them.
std::vector<std::string> MarchMovements() {
  return {
      "receipt B1 in 1000.00 2024-03-04",
      "unidentified_receipt U1 in 50.00 2024-03-06",
      "confirm_disbursement PAY-1 out 300.00 2024-03-10",
      "reverse RET-1 in 300.00 2024-03-12",
      "receipt B2 in 500.00 2024-03-15",
      "collective_disbursement E1 out 10.00 2024-03-16",
      "refund_unidentified RU1 out 10.00 2024-03-18",
  };
}

TEST_F(ReconcileLedgerTest, MarchHoldsEveryBankMovementOnceAndNoCorrectedOne) {
  RecordMarch();
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  EXPECT_EQ(Describe(march), MarchMovements());
  // 1000 + 50 + (200 − 200) + (−300 + 300) + (−20 + 20) + 500 − 30 + 20 − 10; not April's 70.
  EXPECT_EQ(march.balance_fen, 153000);
  EXPECT_EQ(march.as_of_seq, 17u);  // the head: April's entry was read, and left out
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
  // Up to the 5th: the receipt by its value date, the balance of the money moved by then.
  const BankActivity early = Activity(D(3, 1), D(3, 5));
  EXPECT_EQ(Describe(early), (std::vector<std::string>{"receipt B1 in 1000.00 2024-03-04"}));
  EXPECT_EQ(early.balance_fen, 100000);
  const BankActivity april = Activity(D(4, 1), D(4, 30));
  EXPECT_EQ(Describe(april), (std::vector<std::string>{"receipt B3 in 70.00 2024-04-02"}));
  EXPECT_EQ(april.balance_fen, 160000);
}

TEST_F(ReconcileLedgerTest, AReceiptBookedAfterThePeriodIsInItByItsValueDate) {
  RecordMarch();
  // Booked in April, received by the bank in March: March's by their value dates. A payment
  // has no bank date of its own: the bank paid it on its `on`, in April.
  Ok(Line("late-r", "2024-04-03", "receipt",
          Obj({{"case_no", Str(kCaseA)},
               {"amount", Str("400")},
               {"bank_ref", Str("B-LATE")},
               {"source", Str("debtor_payment")},
               {"value_date", Str("2024-03-31")}})));
  BookLateUnidentifiedReceipt();
  Ok(Line("cost-apr", "2024-04-03", "pay_costs",
          Obj({{"case_no", Str(kCaseA)},
               {"payee", Str("拍卖公司")},
               {"amount", Str("5")},
               {"bank_ref", Str("C-APR")},
               {"reason", Str("auction")}})));
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  std::vector<std::string> expected = MarchMovements();
  expected.insert(expected.end(), {
                                      "receipt B-LATE in 400.00 2024-03-31",
                                      "unidentified_receipt U-LATE in 60.00 2024-03-29",
                                  });
  EXPECT_EQ(Describe(march), expected);
  // The bank's balance on March 31st holds them: 1,530.00 + 400.00 + 60.00 = 1,990.00.
  EXPECT_EQ(march.balance_fen, 199000);
  EXPECT_EQ(march.as_of_seq, 20u);  // the ledger as it stands: every entry read
  ASSERT_EQ(march.movements.size(), 9u);
  EXPECT_EQ(march.movements[7].on.ToString(), "2024-04-03");  // when it was booked
  // April has neither, but the payment; its balance: 1,990.00 + 70.00 − 5.00 = 2,055.00.
  const BankActivity april = Activity(D(4, 1), D(4, 30));
  EXPECT_EQ(Describe(april), (std::vector<std::string>{"receipt B3 in 70.00 2024-04-02",
                                                       "pay_costs C-APR out 5.00 2024-04-03"}));
  EXPECT_EQ(april.balance_fen, 205500);
  // Up to April 2nd: B3 alone in the period; the late receipts are March's, in the balance.
  // 1,990.00 + 70.00 = 2,060.00.
  const BankActivity early_april = Activity(D(4, 1), D(4, 2));
  EXPECT_EQ(Describe(early_april), (std::vector<std::string>{"receipt B3 in 70.00 2024-04-02"}));
  EXPECT_EQ(early_april.balance_fen, 206000);
}

TEST_F(ReconcileLedgerTest, AClaimAfterThePeriodLeavesTheUnidentifiedReceiptInIt) {
  RecordMarch();
  BookLateUnidentifiedReceipt();
  // Claimed into case B the next day: money moves from suspense to the case, not the bank.
  Ok(Line("claim-u", "2024-04-04", "claim",
          Obj({{"bank_ref", Str("U-LATE")}, {"case_no", Str(kCaseB)}})));
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  ASSERT_EQ(march.movements.size(), 8u);
  EXPECT_EQ(Describe(march).back(), "unidentified_receipt U-LATE in 60.00 2024-03-29");
  EXPECT_EQ(march.movements.back().case_no, "");
  EXPECT_EQ(march.balance_fen, 159000);  // 1,530.00 + 60.00
  EXPECT_TRUE(Activity(D(4, 3), D(4, 30)).movements.empty());
}

TEST_F(ReconcileLedgerTest, ACorrectionAfterThePeriodTakesTheEntryOutOfItsMonth) {
  RecordMarch();
  // B2 was booked to the wrong case: reversed in April (no return reference: a booking
  // error, not money leaving the bank).
  Ok(Line("rev-b2", "2024-04-03", "reverse",
          Obj({{"target_request_id", Str("r-2")}, {"reason", Str("wrong case")}})));
  const std::vector<std::string> march = Describe(Activity(D(3, 1), D(3, 31)));
  for (const std::string& movement : march) EXPECT_EQ(movement.find(" B2 "), std::string::npos);
  EXPECT_EQ(march.size(), 6u);
  // The ledger no longer holds B2 at all, so neither does its March balance:
  // 1,530.00 − 500.00 = 1,030.00.
  EXPECT_EQ(Activity(D(3, 1), D(3, 31)).balance_fen, 103000);
  // Up to April 2nd (the reversal's target lies before the period): 1,030.00 + 70.00.
  EXPECT_EQ(Activity(D(4, 1), D(4, 2)).balance_fen, 110000);
  const std::vector<std::string> both = Describe(Activity(D(3, 1), D(4, 30)));
  for (const std::string& movement : both) EXPECT_EQ(movement.find(" B2 "), std::string::npos);
  EXPECT_EQ(both.size(), 7u);
  // Booked again to the right case, keeping the bank's value date: March's again.
  Ok(Line("r-2b", "2024-04-03", "receipt",
          Obj({{"case_no", Str(kCaseA)},
               {"amount", Str("500")},
               {"bank_ref", Str("B2")},
               {"source", Str("debtor_payment")},
               {"value_date", Str("2024-03-15")}})));
  const BankActivity again = Activity(D(3, 1), D(3, 31));
  EXPECT_EQ(Describe(again).back(), "receipt B2 in 500.00 2024-03-15");
  EXPECT_EQ(again.movements.back().seq, 19u);
  EXPECT_EQ(again.balance_fen, 153000);
}

TEST_F(ReconcileLedgerTest, ABankReturnAfterThePeriodIsInTheMonthOfTheReturn) {
  RecordMarch();
  Ok(Line("cost-2", "2024-03-20", "pay_costs",
          Obj({{"case_no", Str(kCaseB)},
               {"payee", Str("评估公司")},
               {"amount", Str("30")},
               {"bank_ref", Str("C2")},
               {"reason", Str("appraisal")}})));
  // The bank sent the payment back on April 3rd.
  Ok(Line("ret-c2", "2024-04-03", "reverse",
          Obj({{"target_request_id", Str("cost-2")},
               {"bank_ref", Str("RET-C2")},
               {"reason", Str("account closed")}})));
  const BankActivity march = Activity(D(3, 1), D(3, 31));
  EXPECT_EQ(Describe(march).back(), "pay_costs C2 out 30.00 2024-03-20");
  EXPECT_EQ(march.balance_fen, 150000);  // 1,530.00 − 30.00: the return is April's
  const BankActivity april = Activity(D(4, 1), D(4, 30));
  EXPECT_EQ(Describe(april), (std::vector<std::string>{"receipt B3 in 70.00 2024-04-02",
                                                       "reverse RET-C2 in 30.00 2024-04-03"}));
  EXPECT_EQ(april.balance_fen, 160000);  // 1,500.00 + 70.00 + 30.00
}

TEST_F(ReconcileLedgerTest, ADamagedEntryIsCorruptionNotASkippedMovement) {
  RecordMarch();
  ledger_.reset();
  // Entry 3, the receipt B1, stored again under its own hash with bytes that are not an entry,
  // or an entry that moves no money: the scan reads most entries without parsing them, but never
  // passes over one it cannot read or one that should have moved money.
  const std::string key = codec::EntryKey(3);
  std::string stored;
  auto raw = [&](const std::function<rocksdb::Status(rocksdb::DB*)>& act) {
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), Dir(), &db).ok());
    EXPECT_TRUE(act(db).ok());
    ASSERT_TRUE(db->Close().ok());
    delete db;
  };
  raw([&](rocksdb::DB* db) { return db->Get(rocksdb::ReadOptions(), key, &stored); });
  ASSERT_GT(stored.size(), 32u);
  const std::string hash = stored.substr(0, 32), bytes = stored.substr(32);
  pb::Entry no_postings;
  ASSERT_TRUE(no_postings.ParseFromString(bytes));
  no_postings.clear_postings();
  for (const std::string& bad : {bytes.substr(0, bytes.size() / 2),  // cut inside the command
                                 std::string("\x1a\x7f", 2),      // a posting longer than the entry
                                 std::string("\xff\xff\xff", 3),  // a tag cut short
                                 std::string("\x1a\x00\x00", 3),  // field number 0
                                 no_postings.SerializeAsString()}) {
    SCOPED_TRACE(testing::PrintToString(bad.size()) + " bytes");
    raw([&](rocksdb::DB* db) { return db->Put(rocksdb::WriteOptions(), key, hash + bad); });
    Result<std::unique_ptr<Ledger>> reader = Ledger::OpenForRead(Dir());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    Result<BankActivity> activity = (*reader)->GetBankActivity(D(3, 1), D(3, 31));
    ASSERT_FALSE(activity.ok());
    EXPECT_EQ(activity.status().code(), Code::kCorruption) << activity.status().ToString();
    EXPECT_NE(activity.status().message().find("entry 3"), std::string::npos)
        << activity.status().ToString();
  }
}

TEST_F(ReconcileLedgerTest, AnEmptyLedgerOrAnEarlierPeriodHasNothing) {
  BankActivity none = Activity(D(1, 1), D(12, 31));
  EXPECT_TRUE(none.movements.empty());
  EXPECT_EQ(none.balance_fen, 0);
  RecordMarch();
  none = Activity(D(2, 1), D(2, 29));
  EXPECT_TRUE(none.movements.empty());
  EXPECT_EQ(none.balance_fen, 0);
  EXPECT_EQ(none.as_of_seq, 17u);  // read up to the head, finding nothing dated by then
}

// ---- Property: a court books what its bank did, late, wrongly and corrected; once everything
// is booked, every month's statement matches line for line and the two balances are equal.

// What the bank did (the statement) and what the court books, generated day by day: money
// arrives on day d (the statement line is dated d) and is booked 0–5 days later with value
// date d; a payment is booked and paid on the same day; some payments come back days later
// (a return, booked that day); some receipts are booked that the bank never had (reversed
// 1–4 days later); some are booked to the wrong case, reversed and booked again to the right
// case with the same reference and value date; unidentified money is claimed later.
class BankAndBooks {
 public:
  BankAndBooks(Ledger* ledger, uint32_t seed) : ledger_(ledger), random_(seed) {}

  // Books every action due on `day`, then (up to `last_new`) draws the day's new ones.
  void Day(Date day, Date last_new) {
    std::vector<std::string> lines;
    for (auto it = due_.begin(); it != due_.end() && it->first <= day;) {
      lines.push_back(it->second(day));
      it = due_.erase(it);
      for (std::string& line : pending_) lines.push_back(std::move(line));
      pending_.clear();
    }
    if (day <= last_new) Draw(day, &lines);
    for (const std::string& line : lines) {
      const CommandResult result = ledger_->Stage(ParseCommandLine(line));
      ASSERT_TRUE(result.status.ok()) << result.status.ToString() << " in " << line;
    }
    ASSERT_TRUE(ledger_->Commit().ok());
  }

  bool Idle() const { return due_.empty(); }
  const std::vector<StatementLine>& statement() const { return statement_; }

 private:
  int Pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  std::string Case(int which) const { return which == 0 ? kCaseA : kCaseB; }
  std::string Yuan(int64_t fen) const { return FormatAmount(fen); }
  void Due(Date day, std::function<std::string(Date)> book) { due_.emplace(day, std::move(book)); }

  void BankLine(Date day, Direction direction, int64_t fen, const std::string& ref) {
    StatementLine line;
    line.row = statement_.size() + 2;
    line.value_date = day;
    line.direction = direction;
    line.amount_fen = fen;
    line.bank_ref = ref;
    statement_.push_back(std::move(line));
  }

  std::string Receipt(const std::string& id, Date on, int which, int64_t fen,
                      const std::string& ref, Date value) {
    return Line(id, on.ToString(), "receipt",
                Obj({{"case_no", Str(Case(which))},
                     {"amount", Str(Yuan(fen))},
                     {"bank_ref", Str(ref)},
                     {"source", Str("debtor_payment")},
                     {"value_date", Str(value.ToString())}}));
  }

  std::string Reverse(const std::string& id, Date on, const std::string& target,
                      const std::string& return_ref = "") {
    std::vector<std::pair<std::string, std::string>> body = {{"target_request_id", Str(target)},
                                                             {"reason", Str("更正")}};
    if (!return_ref.empty()) body.emplace_back("bank_ref", Str(return_ref));
    return Line(id, on.ToString(), "reverse", Obj(body));
  }

  void Draw(Date day, std::vector<std::string>* lines) {
    const int n = ++count_;
    const std::string tag = std::to_string(n);
    const int which = Pick(0, 1);
    const int64_t fen = Pick(1, 500) * 1000;
    switch (Pick(0, 9)) {
      case 0:
      case 1:
      case 2: {  // money for a case, booked 0–5 days later by its value date
        BankLine(day, Direction::kIn, fen, "R" + tag);
        Due(day.AddDays(Pick(0, 5)), [=, this](Date on) {
          free_fen_[which] += fen;
          return Receipt("r" + tag, on, which, fen, "R" + tag, day);
        });
        break;
      }
      case 3: {  // money naming no case, booked late, claimed later still
        BankLine(day, Direction::kIn, fen, "U" + tag);
        const Date booked = day.AddDays(Pick(0, 5));
        Due(booked, [=, this](Date on) {
          return Line("u" + tag, on.ToString(), "unidentified_receipt",
                      Obj({{"amount", Str(Yuan(fen))},
                           {"bank_ref", Str("U" + tag)},
                           {"value_date", Str(day.ToString())}}));
        });
        Due(booked.AddDays(Pick(1, 5)), [=, this](Date on) {
          free_fen_[which] += fen;
          return Line("cl" + tag, on.ToString(), "claim",
                      Obj({{"bank_ref", Str("U" + tag)}, {"case_no", Str(Case(which))}}));
        });
        break;
      }
      case 4: {  // booked, though the bank never had it: reversed 1–4 days later
        lines->push_back(Receipt("m" + tag, day, which, fen, "M" + tag, day));
        Due(day.AddDays(Pick(1, 4)),
            [=, this](Date on) { return Reverse("mrev" + tag, on, "m" + tag); });
        break;
      }
      case 5: {  // booked to the wrong case, reversed and booked again 1–6 days later
        BankLine(day, Direction::kIn, fen, "W" + tag);
        const Date booked = day.AddDays(Pick(0, 3));
        Due(booked,
            [=, this](Date on) { return Receipt("w" + tag, on, which, fen, "W" + tag, day); });
        Due(booked.AddDays(Pick(1, 6)), [=, this](Date on) {
          // The reversal and the new booking are one day's work: two lines.
          pending_.push_back(Receipt("w" + tag + "b", on, 1 - which, fen, "W" + tag, day));
          free_fen_[1 - which] += fen;
          return Reverse("wrev" + tag, on, "w" + tag);
        });
        break;
      }
      default: {  // costs paid from the case's free money; a third come back 1–6 days later
        const int64_t cost = std::min<int64_t>(fen / 10, free_fen_[which]);
        if (cost <= 0) break;
        free_fen_[which] -= cost;
        lines->push_back(Line("p" + tag, day.ToString(), "pay_costs",
                              Obj({{"case_no", Str(Case(which))},
                                   {"payee", Str("评估公司")},
                                   {"amount", Str(Yuan(cost))},
                                   {"bank_ref", Str("P" + tag)},
                                   {"reason", Str("appraisal")}})));
        BankLine(day, Direction::kOut, cost, "P" + tag);
        if (Pick(0, 2) > 0) break;
        const Date back = day.AddDays(Pick(1, 6));
        Due(back, [=, this](Date on) {
          BankLine(on, Direction::kIn, cost, "RET" + tag);
          free_fen_[which] += cost;
          return Reverse("ret" + tag, on, "p" + tag, "RET" + tag);
        });
      }
    }
  }

  Ledger* ledger_;
  std::mt19937 random_;
  std::multimap<Date, std::function<std::string(Date)>> due_;  // by the day they are booked
  std::vector<std::string> pending_;                           // a second line of a due action
  std::vector<StatementLine> statement_;
  int64_t free_fen_[2] = {0, 0};  // money a cost may take: receipts and claims booked, not mistakes
  int count_ = 0;
};

// The statement in date order (as the bank lists it): balances are running sums from 0.
std::vector<StatementLine> ByDate(std::vector<StatementLine> lines) {
  std::stable_sort(lines.begin(), lines.end(), [](const StatementLine& a, const StatementLine& b) {
    return a.value_date < b.value_date;
  });
  return lines;
}

TEST_F(ReconcileLedgerTest, PropertyEveryMonthMatchesLineForLineOnceEverythingIsBooked) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ledger_.reset();
    std::filesystem::remove_all(Dir());
    ledger_ = MustOpen(Dir());
    ASSERT_NE(ledger_, nullptr);
    Ok(Line("open-a", "2024-01-01", "open_case", OpenCaseBody(kCaseA, "100000")));
    Ok(Line("open-b", "2024-01-01", "open_case", OpenCaseBody(kCaseB, "100000")));
    BankAndBooks world(ledger_.get(), seed);
    const Date last_new = D(4, 30);
    Date day = D(1, 2);
    for (; day <= last_new || !world.Idle(); day = day.AddDays(1)) {
      world.Day(day, last_new);
      if (HasFatalFailure()) return;
      if (day.AddDays(1).day() != 1) continue;
      // The month just ended, reconciled that day: what is still to be booked is bank-only,
      // a booking the bank never had is ledger-only, and the difference is explained.
      const Date from = *Date::FromYmd(day.year(), day.month(), 1);
      const std::vector<StatementLine> lines = ByDate(world.statement());
      const BankActivity activity = Activity(from, day);
      const Reconciliation r = Reconcile(lines, activity.movements, activity.case_of_account, from,
                                         day, activity.balance_fen, 3);
      EXPECT_TRUE(r.agree) << day.ToString();
      EXPECT_TRUE(r.mismatched.empty()) << day.ToString();
    }
    // Everything booked: each month, May's returns included, matches line for line.
    const std::vector<StatementLine> lines = ByDate(world.statement());
    for (Date from = D(1, 1); from <= day; from = from.AddMonths(1)) {
      const Date to = from.AddMonths(1).AddDays(-1);
      const BankActivity activity = Activity(from, to);
      const Reconciliation r = Reconcile(lines, activity.movements, activity.case_of_account, from,
                                         to, activity.balance_fen, 3);
      EXPECT_EQ(r.matched.size(), r.lines_in_period) << from.ToString();
      EXPECT_TRUE(r.bank_only.empty()) << from.ToString();
      EXPECT_TRUE(r.ledger_only.empty()) << from.ToString();
      EXPECT_TRUE(r.mismatched.empty()) << from.ToString();
      EXPECT_EQ(r.ledger_balance_fen, r.statement_balance_fen) << from.ToString();
      EXPECT_TRUE(r.agree) << from.ToString();
    }
  }
}

}  // namespace
}  // namespace caseledger
