// Proves set_rules, suspensions, extensions, restoration and delay interest of SPEC §2 and §7.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/figures.h"
#include "core/money.h"
#include "core/rules.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

constexpr std::string_view kRestored = "(2024)甘0102执恢1号";
constexpr std::string_view kRestored2 = "(2024)甘0102执恢2号";
constexpr std::string_view kAgreedOrder =
    R"(["delay_interest", "fee", "ordinary_interest", "claim"])";

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

class LifecycleTest : public EngineTest {
 protected:
  std::string SetRules(std::string_view on, std::string_view fields) {
    return Cmd(on, "set_rules", "{" + std::string(fields) + "}");
  }
  // open_case with extra fields (performance_due, closure_months, judge, ...).
  std::string OpenWith(std::string_view on, std::string_view case_no, std::string_view claim,
                       std::string_view extra) {
    std::string body = OpenCaseBody(case_no, claim);
    body.pop_back();  // the closing brace
    if (!extra.empty()) body += ", " + std::string(extra);
    return Cmd(on, "open_case", body + "}");
  }
  std::string OpenDue(std::string_view on, std::string_view due, std::string_view case_no = kCase,
                      std::string_view claim = "500000.00") {
    return OpenWith(on, case_no, claim, R"("performance_due": )" + Quoted(due));
  }
  std::string ReceiptWith(std::string_view request_id, std::string_view on, std::string_view amount,
                          std::string_view bank_ref, std::string_view value_date,
                          std::string_view stop_date = "", std::string_view case_no = kCase) {
    std::string body = R"({"case_no": )" + Quoted(case_no) + R"(, "amount": )" + Quoted(amount) +
                       R"(, "bank_ref": )" + Quoted(bank_ref) +
                       R"(, "source": "debtor_payment", "value_date": )" + Quoted(value_date);
    if (!stop_date.empty()) body += R"(, "interest_stop_date": )" + Quoted(stop_date);
    return CmdId(request_id, on, "receipt", body + "}");
  }
  std::string UnidentifiedAt(std::string_view on, std::string_view amount,
                             std::string_view bank_ref, std::string_view value_date) {
    return Cmd(on, "unidentified_receipt",
               R"({"amount": )" + Quoted(amount) + R"(, "bank_ref": )" + Quoted(bank_ref) +
                   R"(, "value_date": )" + Quoted(value_date) + "}");
  }
  std::string Suspend(std::string_view on, std::optional<std::string> kind = std::nullopt,
                      std::string_view case_no = kCase, std::string_view op = "suspend_case") {
    std::string body = R"({"case_no": )" + Quoted(case_no) + R"(, "reason": "鉴定")";
    if (kind) body += R"(, "kind": )" + Quoted(*kind);
    return Cmd(on, op, body + "}");
  }
  std::string Resume(std::string_view on, std::optional<std::string> kind = std::nullopt,
                     std::string_view case_no = kCase) {
    return Suspend(on, kind, case_no, "resume_case");
  }
  std::string Extend(std::string_view on, int months, std::string_view approved_by = kChecker,
                     std::string_view case_no = kCase) {
    return Cmd(on, "extend_deadline",
               R"({"case_no": )" + Quoted(case_no) + R"(, "months": )" + std::to_string(months) +
                   R"(, "approved_by": )" + Quoted(approved_by) + "}");
  }
  std::string Restore(std::string_view on, std::string_view new_case_no = kRestored,
                      std::string_view case_no = kCase) {
    return Cmd(
        on, "restore_case",
        R"({"case_no": )" + Quoted(case_no) + R"(, "new_case_no": )" + Quoted(new_case_no) + "}");
  }
  std::string ChargeFee(std::string_view on, std::optional<std::string> amount = std::nullopt,
                        std::string_view case_no = kCase) {
    std::string body = R"({"case_no": )" + Quoted(case_no);
    if (amount) body += R"(, "amount": )" + Quoted(*amount);
    return Cmd(on, "charge_fee", body + "}");
  }
  std::string Release(std::string_view on, std::string_view hold_id) {
    return Cmd(on, "release_hold", R"({"hold_id": )" + Quoted(hold_id) + "}");
  }
  // Pays `amount` to creditor c1 through request, approval and confirmation.
  void PayOut(std::string_view on, std::string_view id, std::string_view amount,
              std::string_view case_no = kCase) {
    Accept(Request(on, id, amount, "c1", case_no));
    Accept(Approve(on, id));
    Accept(Confirm(on, id, std::string("OUT-") + std::string(id)));
  }

  pb::RulesRecord StoredRules() { return Record<pb::RulesRecord>(Table::kRules, ""); }
  std::string Deadline(std::string_view on, std::string_view case_no = kCase) {
    return FiguresOn(on, case_no).deadline.ToString();
  }
  const pb::Lot* LotOf(const pb::CaseRecord& record, uint64_t origin_seq) {
    for (const auto& lot : record.lots()) {
      if (lot.origin_seq() == origin_seq) return &lot;
    }
    ADD_FAILURE() << "no lot from entry " << origin_seq;
    return nullptr;
  }
  std::string Message() const { return last_error_.message(); }
};

using EngineRulesTest = LifecycleTest;
using EngineRulesReplayTest = LifecycleTest;
using EngineSuspendTest = LifecycleTest;
using EngineExtendTest = LifecycleTest;
using EngineRestoreTest = LifecycleTest;
using EngineDelayInterestTest = LifecycleTest;

// ---------------------------------------------------------------------------------------
// set_rules: validation

TEST_F(EngineRulesTest, EachNumberIsCheckedAgainstItsRange) {
  struct Range {
    std::string_view field;
    int low, high;
  };
  const Range ranges[] = {
      {"disburse_within_days", 1, 365},   {"after_hold_days", 0, 365},
      {"claim_within_days", 0, 365},      {"backdate_allowance_days", 0, 3650},
      {"future_allowance_days", 0, 3650}, {"reconcile_window_days", 0, 31},
      {"closure_months", 1, 120},
  };
  for (const Range& range : ranges) {
    const std::string key = Quoted(range.field) + ": ";
    for (int bad : {range.low - 1, range.high + 1, -1000}) {
      EXPECT_EQ(Reject(SetRules("2024-01-01", key + std::to_string(bad))), "INVALID_ARGUMENT")
          << range.field << " " << bad;
      EXPECT_NE(Message().find("set_rules." + std::string(range.field)), std::string::npos)
          << Message();
    }
    Accept(SetRules("2024-01-01", key + std::to_string(range.low)));
    Accept(SetRules("2024-01-01", key + std::to_string(range.high)));
    // A number written as a string is malformed, not converted.
    EXPECT_EQ(Reject(SetRules("2024-01-01", key + "\"5\"")), "INVALID_ARGUMENT");
  }
  const pb::RulesRecord stored = StoredRules();
  EXPECT_EQ(stored.disburse_within_days(), 365);
  EXPECT_EQ(stored.after_hold_days(), 365);
  EXPECT_EQ(stored.claim_within_days(), 365);
  EXPECT_EQ(stored.backdate_allowance_days(), 3650);
  EXPECT_EQ(stored.future_allowance_days(), 3650);
  EXPECT_EQ(stored.reconcile_window_days(), 31);
  EXPECT_EQ(stored.closure_months(), 120);
}

TEST_F(EngineRulesTest, FieldsNotGivenKeepTheirValues) {
  Accept(SetRules("2024-01-01", R"("disburse_within_days": 15)"));
  Accept(SetRules("2024-01-02", R"("after_hold_days": 7)"));
  const pb::RulesRecord stored = StoredRules();
  EXPECT_EQ(stored.disburse_within_days(), 15);  // kept from the first entry
  EXPECT_EQ(stored.after_hold_days(), 7);
  EXPECT_EQ(stored.claim_within_days(), 3);  // defaults
  EXPECT_EQ(stored.closure_months(), 6);
  EXPECT_EQ(stored.clock_start(), pb::CLOCK_START_NOTICE);
  EXPECT_EQ(stored.fee_base(), pb::FEE_BASE_CLAIM);
  EXPECT_EQ(stored.since(), "2024-01-02");
  EXPECT_EQ(stored.seq(), 2u);
}

TEST_F(EngineRulesTest, ClockStartAndFeeBaseTakeOnlyTheirNames) {
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("clock_start": "bank")")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.clock_start"), std::string::npos);
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("clock_start": "Notice")")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("fee_base": "debt")")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.fee_base"), std::string::npos);
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("fee_base": "")")), "INVALID_ARGUMENT");
  Accept(SetRules("2024-01-01", R"("clock_start": "value_date", "fee_base": "recovered")"));
  EXPECT_EQ(StoredRules().clock_start(), pb::CLOCK_START_VALUE_DATE);
  EXPECT_EQ(StoredRules().fee_base(), pb::FEE_BASE_RECOVERED);
  Accept(SetRules("2024-01-01", R"("clock_start": "notice", "fee_base": "claim")"));
  EXPECT_EQ(StoredRules().clock_start(), pb::CLOCK_START_NOTICE);
  EXPECT_EQ(StoredRules().fee_base(), pb::FEE_BASE_CLAIM);
}

TEST_F(EngineRulesTest, AllocationOrderMustBeAPermutationOfTheFourNames) {
  for (std::string_view bad : {
           R"(["fee", "ordinary_interest", "claim"])",                           // three
           R"(["fee", "fee", "claim", "delay_interest"])",                       // repeated
           R"(["fee", "ordinary_interest", "claim", "costs"])",                  // unknown
           R"(["fee", "ordinary_interest", "claim", "delay_interest", "fee"])",  // five
           R"(["Fee", "ordinary_interest", "claim", "delay_interest"])",         // case matters
       }) {
    EXPECT_EQ(Reject(SetRules("2024-01-01", R"("allocation_order": )" + std::string(bad))),
              "INVALID_ARGUMENT")
        << bad;
    EXPECT_NE(Message().find("set_rules.allocation_order"), std::string::npos) << Message();
  }
  Accept(SetRules("2024-01-01", R"("allocation_order": )" + std::string(kAgreedOrder)));
  const pb::RulesRecord stored = StoredRules();
  ASSERT_EQ(stored.allocation_order_size(), 4);
  EXPECT_EQ(stored.allocation_order(0), pb::ALLOCATION_PART_DELAY_INTEREST);
  EXPECT_EQ(stored.allocation_order(1), pb::ALLOCATION_PART_FEE);
  EXPECT_EQ(stored.allocation_order(2), pb::ALLOCATION_PART_ORDINARY_INTEREST);
  EXPECT_EQ(stored.allocation_order(3), pb::ALLOCATION_PART_CLAIM);
}

TEST_F(EngineRulesTest, CalendarDatesAreCheckedWithTheirPath) {
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("holidays": ["2024-10-01", "2024-13-01"])")),
            "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.holidays[1]"), std::string::npos) << Message();
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("workdays": ["2024-02-30"])")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.workdays[0]"), std::string::npos) << Message();
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("holidays": ["2024-1-01"])")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.holidays[0]"), std::string::npos) << Message();
  // A workday is a weekend day worked: 2024-10-08 is a Tuesday.
  ASSERT_EQ(Day("2024-10-08").weekday(), 2);
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("workdays": ["2024-10-08"])")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("set_rules.workdays"), std::string::npos) << Message();
  // ... and not also a holiday: 2024-10-05 is a Saturday.
  ASSERT_EQ(Day("2024-10-05").weekday(), 6);
  EXPECT_EQ(
      Reject(SetRules("2024-01-01", R"("holidays": ["2024-10-05"], "workdays": ["2024-10-05"])")),
      "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(SetRules("2024-01-01", R"("holidays": [7])")), "INVALID_ARGUMENT");
  // National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
  Accept(SetRules("2024-01-01",
                  R"("holidays": ["2024-10-07", "2024-10-01", "2024-10-02", "2024-10-03", )"
                  R"("2024-10-04", "2024-10-05", "2024-10-06"], )"
                  R"("workdays": ["2024-10-12", "2024-09-29"])"));
  const pb::RulesRecord stored = StoredRules();
  ASSERT_EQ(stored.holidays_size(), 7);
  EXPECT_EQ(stored.holidays(0), "2024-10-01");  // stored sorted
  EXPECT_EQ(stored.holidays(6), "2024-10-07");
  ASSERT_EQ(stored.workdays_size(), 2);
  EXPECT_EQ(stored.workdays(0), "2024-09-29");
  const Calendar calendar = RulesFromRecord(stored).calendar;
  EXPECT_FALSE(calendar.IsWorkingDay(Day("2024-10-04")));  // a Friday off
  EXPECT_TRUE(calendar.IsWorkingDay(Day("2024-09-29")));   // a Sunday worked
  EXPECT_TRUE(calendar.IsWorkingDay(Day("2024-10-08")));   // an ordinary Tuesday
}

TEST_F(EngineRulesTest, CalendarListsReplaceOnlyTheYearsTheyName) {
  Accept(SetRules("2024-01-01", R"("holidays": ["2024-10-01", "2025-10-01"])"));
  Accept(SetRules("2024-01-01", R"("holidays": ["2025-05-01"])"));  // replaces 2025 only
  const pb::RulesRecord stored = StoredRules();
  ASSERT_EQ(stored.holidays_size(), 2);
  EXPECT_EQ(stored.holidays(0), "2024-10-01");
  EXPECT_EQ(stored.holidays(1), "2025-05-01");
  // A list of workdays alone leaves the holidays as they were.
  Accept(SetRules("2024-01-01", R"("workdays": ["2025-04-27"])"));
  EXPECT_EQ(StoredRules().holidays_size(), 2);
  EXPECT_EQ(StoredRules().workdays_size(), 1);
}

TEST_F(EngineRulesTest, BackdatingIsCheckedAgainstTheWholeLedger) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-10", "100.00", "B1"));  // the ledger's latest `on`, in one case
  // set_rules touches no case, yet it may not be dated before any entry of the ledger.
  EXPECT_EQ(Reject(SetRules("2024-03-09", R"("after_hold_days": 7)")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("the ledger"), std::string::npos) << Message();
  Accept(SetRules("2024-03-10", R"("backdate_allowance_days": 2)"));
  // From now on two days back are allowed: 2024-03-08 is, 2024-03-07 is not.
  Accept(SetRules("2024-03-08", R"("after_hold_days": 7)"));
  EXPECT_EQ(Reject(SetRules("2024-03-07", R"("after_hold_days": 8)")), "INVALID_ARGUMENT");
  EXPECT_EQ(StoredRules().after_hold_days(), 7);
  EXPECT_EQ(Global().last_on(), "2024-03-10");  // a backdated entry does not move it back
}

// ---------------------------------------------------------------------------------------
// set_rules: each value is fixed when the entry it governs is recorded

TEST_F(EngineRulesTest, ALotsDeadlineIsFixedAtTheLot) {
  Accept(OpenCase("2024-03-01"));
  const uint64_t old_lot = Accept(Receipt("2024-03-01", "1000.00", "B1")).seq;
  Accept(SetRules("2024-06-01", R"("disburse_within_days": 15)"));
  const uint64_t new_lot = Accept(Receipt("2024-06-02", "500.00", "B2")).seq;
  const pb::CaseRecord record = CaseOf();
  // Old lot: 2024-03-01 + 30 = 2024-03-31, kept. New lot: 2024-06-02 + 15 = 2024-06-17.
  EXPECT_EQ(LotOf(record, old_lot)->deadline(), "2024-03-31");
  EXPECT_EQ(LotOf(record, new_lot)->deadline(), "2024-06-17");
  CaseFigures figures = FiguresOn("2024-06-17");  // only the old lot is past its deadline
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-01"));
  figures = FiguresOn("2024-06-18");  // 1000.00 + 500.00
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1500.00");
  // A later change leaves both lots as they are.
  Accept(SetRules("2024-06-03", R"("disburse_within_days": 60)"));
  EXPECT_EQ(LotOf(CaseOf(), old_lot)->deadline(), "2024-03-31");
  EXPECT_EQ(LotOf(CaseOf(), new_lot)->deadline(), "2024-06-17");
}

TEST_F(EngineRulesTest, DeadlinesAcrossAHoldAndItsReleaseWithAfterHoldDaysSetMidYear) {
  Accept(OpenCase("2024-03-01"));
  const uint64_t first = Accept(Receipt("2024-03-01", "1000.00", "B1")).seq;  // due 2024-03-31
  Accept(Hold("2024-03-05", "h1", std::nullopt));                             // holds 1000.00
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-15").overdue_fen), "0.00");       // held: never overdue
  // Released under the default 10 days: max(2024-03-31, 2024-04-20 + 10) = 2024-04-30.
  Accept(Release("2024-04-20", "h1"));
  EXPECT_EQ(LotOf(CaseOf(), first)->deadline(), "2024-04-30");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-30").overdue_fen), "0.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-05-01").overdue_fen), "1000.00");
  Accept(Hold("2024-05-01", "h2", std::nullopt));  // the same money, held again
  Accept(SetRules("2024-06-01", R"("after_hold_days": 7)"));
  const uint64_t second = Accept(Receipt("2024-06-05", "500.00", "B2")).seq;  // due 2024-07-05
  // Released under 7 days: the held lot gets max(2024-04-30, 2024-06-10 + 7) = 2024-06-17;
  // the lot that was never held keeps 2024-07-05.
  Accept(Release("2024-06-10", "h2"));
  EXPECT_EQ(LotOf(CaseOf(), first)->deadline(), "2024-06-17");
  EXPECT_EQ(LotOf(CaseOf(), second)->deadline(), "2024-07-05");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-06-17").overdue_fen), "0.00");
  CaseFigures figures = FiguresOn("2024-06-18");
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1000.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-06-18"));
  figures = FiguresOn("2024-07-06");  // 1000.00 + 500.00, the oldest still since 2024-06-18
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "1500.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-06-18"));
}

TEST_F(EngineRulesTest, ClaimLimitIsFixedAtTheUnidentifiedReceipt) {
  Accept(Unidentified("2024-03-01", "100.00", "U1"));
  Accept(SetRules("2024-03-02", R"("claim_within_days": 5)"));
  Accept(Unidentified("2024-03-02", "200.00", "U2"));
  // U1: 2024-03-01 + 3 (the rule when it arrived); U2: 2024-03-02 + 5.
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1").claim_deadline(),
            "2024-03-04");
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U2").claim_deadline(),
            "2024-03-07");
}

TEST_F(EngineRulesTest, ClosureMonthsFeeBaseAndOrderAreFixedAtOpenCase) {
  Accept(OpenCase("2024-03-01", kCase));
  Accept(SetRules("2024-03-01", R"("closure_months": 3, "fee_base": "recovered", )"
                                R"("allocation_order": )" +
                                    std::string(kAgreedOrder)));
  Accept(OpenCase("2024-03-01", kCase2));
  const std::string kCase3 = "(2024)甘0102执3号";
  Accept(OpenWith("2024-03-01", kCase3, "500000.00", R"("closure_months": 12)"));
  const pb::CaseRecord before = CaseOf(kCase);
  const pb::CaseRecord after = CaseOf(kCase2);
  EXPECT_EQ(before.closure_months(), 6);
  EXPECT_EQ(before.fee_base(), pb::FEE_BASE_CLAIM);
  EXPECT_EQ(before.allocation_order(0), pb::ALLOCATION_PART_FEE);
  EXPECT_EQ(after.closure_months(), 3);
  EXPECT_EQ(after.fee_base(), pb::FEE_BASE_RECOVERED);
  EXPECT_EQ(after.allocation_order(0), pb::ALLOCATION_PART_DELAY_INTEREST);
  EXPECT_EQ(CaseOf(kCase3).closure_months(), 12);  // open_case's own value wins
  // Deadlines: 2024-03-01 + 6 months, + 3 months, + 12 months.
  EXPECT_EQ(Deadline("2024-03-01", kCase), "2024-09-01");
  EXPECT_EQ(Deadline("2024-03-01", kCase2), "2024-06-01");
  EXPECT_EQ(Deadline("2024-03-01", kCase3), "2025-03-01");
  // Fee: the first case on its claim, fee(500000.00) = 0.01 × 500000 + 2400 = 7400.00; the
  // second on 20000.00 recovered, 50 + 1.5% × (20000 − 10000) = 200.00.
  Accept(Receipt("2024-03-05", "20000.00", "B1", kCase));
  Accept(Receipt("2024-03-05", "20000.00", "B2", kCase2));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-05", kCase).fee_fen), "7400.00");
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-05", kCase2).fee_fen), "200.00");
  // A later rule changes neither case.
  Accept(SetRules("2024-03-06", R"("closure_months": 4, "fee_base": "claim")"));
  EXPECT_EQ(CaseOf(kCase2).closure_months(), 3);
  EXPECT_EQ(CaseOf(kCase2).fee_base(), pb::FEE_BASE_RECOVERED);
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-06", kCase2).fee_fen), "200.00");
}

TEST_F(EngineRulesTest, ClockStartValueDateDatesAReceiptsLotButAClaimsLotByTheClaim) {
  Accept(OpenCase("2024-03-01"));
  // Under the default (notice) a receipt's lot is dated by its `on`: 2024-03-08 + 30.
  const uint64_t notice = Accept(ReceiptWith("r0", "2024-03-08", "100.00", "B0", "2024-03-07")).seq;
  Accept(SetRules("2024-03-10", R"("clock_start": "value_date")"));
  // By value date: 2024-03-05 + 30 = 2024-04-04.
  const uint64_t by_value =
      Accept(ReceiptWith("r1", "2024-03-10", "200.00", "B1", "2024-03-05")).seq;
  // A claim's lot is always dated by the claim: 2024-03-12 + 30 = 2024-04-11.
  Accept(UnidentifiedAt("2024-03-10", "300.00", "U1", "2024-03-06"));
  const uint64_t claim = Accept(Claim("2024-03-12", "U1", std::nullopt)).seq;
  const pb::CaseRecord record = CaseOf();
  EXPECT_EQ(LotOf(record, notice)->date(), "2024-03-08");
  EXPECT_EQ(LotOf(record, notice)->deadline(), "2024-04-07");
  EXPECT_EQ(LotOf(record, by_value)->date(), "2024-03-05");
  EXPECT_EQ(LotOf(record, by_value)->deadline(), "2024-04-04");
  EXPECT_EQ(LotOf(record, claim)->date(), "2024-03-12");
  EXPECT_EQ(LotOf(record, claim)->deadline(), "2024-04-11");
  // The value-dated lot is the oldest: lots stay sorted by date.
  EXPECT_EQ(record.lots(0).origin_seq(), by_value);
  CaseFigures figures = FiguresOn("2024-04-05");  // only the lot due 2024-04-04
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "200.00");
  EXPECT_EQ(figures.oldest_overdue_since, Day("2024-04-05"));
  figures = FiguresOn("2024-04-12");  // 200.00 + 100.00 + 300.00
  EXPECT_EQ(FormatAmount(figures.overdue_fen), "600.00");
}

// ---------------------------------------------------------------------------------------
// Replay

TEST_F(EngineRulesReplayTest, ReplayFromEmptyReproducesTheStateAfterSetRules) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  Accept(SetRules("2024-03-02", R"("disburse_within_days": 10, "after_hold_days": 7, )"
                                R"("claim_within_days": 5, "clock_start": "value_date", )"
                                R"("fee_base": "recovered", "closure_months": 4, )"
                                R"("holidays": ["2024-10-01"], "allocation_order": )" +
                                    std::string(kAgreedOrder)));
  Accept(ReceiptWith("r2", "2024-03-03", "500.00", "B2", "2024-03-02"));
  Accept(Unidentified("2024-03-03", "50.00", "U1"));
  Accept(OpenCase("2024-03-03", kCase2));
  Accept(Hold("2024-03-04", "h1", std::nullopt));
  Accept(Release("2024-03-05", "h1"));
  CheckReplay();  // the fixture replays from empty with the default rules
  EXPECT_FALSE(HasFailure());
  // What replay must reproduce: the new rules applied to the entries after them.
  EXPECT_EQ(CaseOf().lots(0).deadline(), "2024-03-31");  // 2024-03-01 + 30, before the rules
  EXPECT_EQ(CaseOf().lots(1).deadline(), "2024-03-12");  // 2024-03-02 + 10, then held
  EXPECT_EQ(Record<pb::UnidentifiedRecord>(Table::kUnidentified, "U1").claim_deadline(),
            "2024-03-08");
  EXPECT_EQ(CaseOf(kCase2).closure_months(), 4);
}

// ---------------------------------------------------------------------------------------
// suspend_case, resume_case

TEST_F(EngineSuspendTest, SuspendingASuspendedCaseOrResumingAnOpenOneIsInvalidState) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Resume("2024-03-02")), "INVALID_STATE");
  Accept(Suspend("2024-03-02"));
  EXPECT_EQ(CaseOf().status(), pb::CASE_STATUS_SUSPENDED);
  EXPECT_EQ(Reject(Suspend("2024-03-03")), "INVALID_STATE");
  Accept(Resume("2024-03-04"));
  EXPECT_EQ(CaseOf().status(), pb::CASE_STATUS_OPEN);
  EXPECT_EQ(Reject(Resume("2024-03-05")), "INVALID_STATE");
  ASSERT_EQ(CaseOf().suspensions_size(), 1);
  EXPECT_EQ(CaseOf().suspensions(0).kind(), pb::SUSPENSION_KIND_SUSPENSION);  // the default kind
  EXPECT_EQ(CaseOf().suspensions(0).from(), "2024-03-02");
  EXPECT_EQ(CaseOf().suspensions(0).to(), "2024-03-04");
  EXPECT_EQ(Reject(Suspend("2024-03-05", std::nullopt, kUnknownCase)), "UNKNOWN_CASE");
}

TEST_F(EngineSuspendTest, ASuspendedCaseStillTakesReceipts) {
  Accept(OpenCase("2024-03-01"));
  Accept(Suspend("2024-03-02"));
  Accept(Receipt("2024-03-03", "100.00", "B1"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-03").recovered_fen), "100.00");
}

TEST_F(EngineSuspendTest, AClosedCaseIsCaseClosed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Close("2024-03-02"));
  EXPECT_EQ(Reject(Suspend("2024-03-03")), "CASE_CLOSED");
  EXPECT_EQ(Reject(Resume("2024-03-03")), "CASE_CLOSED");
  // Kind is checked first: INVALID_ARGUMENT comes before CASE_CLOSED in SPEC §2's table.
  EXPECT_EQ(Reject(Suspend("2024-03-03", "holiday")), "INVALID_ARGUMENT");
}

TEST_F(EngineSuspendTest, KindIsOneOfFour) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Suspend("2024-03-02", "vacation")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("suspend_case.kind"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Suspend("2024-03-02", "")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-02", "suspend_case",
                       R"({"case_no": )" + Quoted(kCase) + R"(, "reason": ""})")),
            "INVALID_ARGUMENT");  // a reason is required
  EXPECT_EQ(CaseOf().status(), pb::CASE_STATUS_OPEN);
  struct Period {
    std::string_view kind, from, to;
  };
  for (const Period& period :
       {Period{"suspension", "2024-03-02", "2024-03-03"},
        Period{"stay", "2024-03-03", "2024-03-04"}, Period{"appraisal", "2024-03-04", "2024-03-05"},
        Period{"auction", "2024-03-05", "2024-03-06"}}) {
    Accept(Suspend(period.from, std::string(period.kind)));
    EXPECT_EQ(Reject(Resume(period.to, "pause")), "INVALID_ARGUMENT");
    EXPECT_NE(Message().find("resume_case.kind"), std::string::npos) << Message();
    Accept(Resume(period.to));
  }
  const pb::CaseRecord record = CaseOf();
  ASSERT_EQ(record.suspensions_size(), 4);
  EXPECT_EQ(record.suspensions(1).kind(), pb::SUSPENSION_KIND_STAY);
  EXPECT_EQ(record.suspensions(3).kind(), pb::SUSPENSION_KIND_AUCTION);
  // Four suspensions of one day each: 2024-09-01 + 4 days.
  EXPECT_EQ(Deadline("2024-03-10"), "2024-09-05");
}

TEST_F(EngineSuspendTest, DeadlineIsFiledOnPlusMonthsAndExtensionsThenSuspensionDays) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Deadline("2024-03-01"), "2024-09-01");  // 2024-03-01 + 6 months
  Accept(Extend("2024-04-01", 3));                  // + 3 months: 2024-12-01
  EXPECT_EQ(Deadline("2024-04-01"), "2024-12-01");
  Accept(Suspend("2024-05-01"));
  Accept(Resume("2024-05-21"));  // days(2024-05-01, 2024-05-21) = 20: 2024-12-21
  EXPECT_EQ(Deadline("2024-05-21"), "2024-12-21");
  Accept(Suspend("2024-06-01", "auction"));  // running: counts up to the evaluation date
  EXPECT_EQ(Deadline("2024-06-01"), "2024-12-21");
  EXPECT_EQ(Deadline("2024-06-11"), "2024-12-31");  // + days(2024-06-01, 2024-06-11) = 10
  EXPECT_EQ(Deadline("2024-07-01"), "2025-01-20");  // + 30
}

TEST_F(EngineSuspendTest, ARunningSuspensionCountsUpToTheEvaluationDate) {
  Accept(OpenCase("2024-03-01"));
  Accept(Suspend("2024-04-01"));
  EXPECT_EQ(Deadline("2024-03-15"), "2024-09-01");  // not yet suspended on that day: + 0
  EXPECT_EQ(Deadline("2024-04-01"), "2024-09-01");  // days(2024-04-01, 2024-04-01) = 0
  EXPECT_EQ(Deadline("2024-04-11"), "2024-09-11");
  // days(2024-04-01, 2025-01-01) = 275: 2024-09-01 + 275 days = 2025-06-03.
  EXPECT_EQ(Deadline("2025-01-01"), "2025-06-03");
}

TEST_F(EngineSuspendTest, ClosingDuringASuspensionEndsItAtTheClosure) {
  Accept(OpenCase("2024-03-01"));
  Accept(Suspend("2024-04-01", "stay"));
  Accept(Close("2024-04-11"));
  const pb::CaseRecord record = CaseOf();
  EXPECT_EQ(record.status(), pb::CASE_STATUS_CLOSED);
  ASSERT_EQ(record.suspensions_size(), 1);
  EXPECT_EQ(record.suspensions(0).to(), "2024-04-11");
  // days(2024-04-01, 2024-04-11) = 10, whatever the evaluation date: 2024-09-11.
  EXPECT_EQ(Deadline("2024-04-11"), "2024-09-11");
  EXPECT_EQ(Deadline("2025-01-01"), "2024-09-11");
}

TEST_F(EngineSuspendTest, MonthEndsAreClamped) {
  const std::string august = "(2023)甘0102执5号";
  Accept(OpenCase("2023-08-31", august));
  EXPECT_EQ(Deadline("2023-08-31", august), "2024-02-29");  // 2023-08-31 + 6 months
  // The months are added together, not one after the other: + 7 months = 2024-03-31
  // (2024-02-29 + 1 month would be 2024-03-29). days(2024-02-20, 2024-02-29) = 9 ≥ 5.
  Accept(Extend("2024-02-20", 1, kChecker, august));
  EXPECT_EQ(Deadline("2024-02-20", august), "2024-03-31");
  Accept(SetRules("2024-02-29", R"("closure_months": 12)"));
  Accept(OpenCase("2024-02-29", kCase));
  EXPECT_EQ(CaseOf().closure_months(), 12);
  EXPECT_EQ(Deadline("2024-02-29"), "2025-02-28");  // 2024-02-29 + 12 months
}

// ---------------------------------------------------------------------------------------
// extend_deadline

TEST_F(EngineExtendTest, MonthsAre1To12AndTheDeadlineGrowsByThem) {
  Accept(OpenCase("2024-03-01"));
  for (int months : {0, 13, -1, 100}) {
    EXPECT_EQ(Reject(Extend("2024-03-02", months)), "INVALID_ARGUMENT") << months;
    EXPECT_NE(Message().find("extend_deadline.months"), std::string::npos) << Message();
  }
  Accept(Extend("2024-03-02", 1));  // 6 + 1 months: 2024-10-01
  EXPECT_EQ(Deadline("2024-03-02"), "2024-10-01");
  Accept(Extend("2024-03-02", 12));  // 6 + 1 + 12 months: 2025-10-01
  EXPECT_EQ(Deadline("2024-03-02"), "2025-10-01");
  ASSERT_EQ(CaseOf().extensions_size(), 2);
  EXPECT_EQ(CaseOf().extensions(1).months(), 12);
  EXPECT_EQ(CaseOf().extensions(1).on(), "2024-03-02");
}

TEST_F(EngineExtendTest, TheApproverIsNotTheOperator) {
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(Reject(Extend("2024-03-02", 3, kClerk)), "NOT_PERMITTED");
  EXPECT_EQ(Reject(Extend("2024-03-02", 3, "")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Extend("2024-03-02", 3, kChecker, kUnknownCase)), "UNKNOWN_CASE");
  EXPECT_EQ(CaseOf().extensions_size(), 0);
}

TEST_F(EngineExtendTest, RequestedAtLeastFiveDaysBeforeTheDeadline) {
  Accept(OpenCase("2024-03-01"));                               // deadline 2024-09-01
  EXPECT_EQ(Reject(Extend("2024-09-02", 3)), "INVALID_STATE");  // past it
  EXPECT_EQ(Reject(Extend("2024-09-01", 3)), "INVALID_STATE");  // on it
  EXPECT_EQ(Reject(Extend("2024-08-28", 3)), "INVALID_STATE");  // 4 days before
  EXPECT_NE(Message().find("2024-09-01"), std::string::npos) << Message();
  Accept(Extend("2024-08-27", 3));  // days(2024-08-27, 2024-09-01) = 5: exactly in time
  EXPECT_EQ(Deadline("2024-08-27"), "2024-12-01");
}

TEST_F(EngineExtendTest, ASuspensionMovesTheLastDayToAskForAnExtension) {
  Accept(OpenCase("2024-03-01"));  // deadline 2024-09-01
  Accept(Suspend("2024-08-01"));
  // On 2024-08-31 the running suspension adds days(2024-08-01, 2024-08-31) = 30 days:
  // deadline 2024-10-01, 31 days ahead.
  Accept(Extend("2024-08-31", 2));
  EXPECT_EQ(Deadline("2024-08-31"), "2024-12-01");  // 2024-03-01 + 8 months + 30 days
}

TEST_F(EngineExtendTest, AClosedCaseIsCaseClosed) {
  Accept(OpenCase("2024-03-01"));
  Accept(Close("2024-03-02"));
  EXPECT_EQ(Reject(Extend("2024-03-03", 3)), "CASE_CLOSED");
  EXPECT_EQ(Reject(Extend("2024-03-03", 3, kClerk)), "CASE_CLOSED");  // before NOT_PERMITTED
}

// ---------------------------------------------------------------------------------------
// restore_case

// Opens kCase (claim 500000.00), receives `received`, charges `fee` (all due when empty),
// pays the rest to c1 and closes it on 2024-03-10.
class EngineRestoreChainTest : public LifecycleTest {
 protected:
  void CloseWithFee(std::string_view received, std::string_view paid,
                    std::optional<std::string> fee) {
    Accept(OpenCase("2024-03-01"));
    Accept(Receipt("2024-03-05", received, "B1"));
    Accept(ChargeFee("2024-03-06", fee));
    PayOut("2024-03-07", "d1", paid);
    Accept(Close("2024-03-10", "terminated"));
  }
};

TEST_F(EngineRestoreTest, OnlyAClosedCaseIsRestoredAndOnlyOnce) {
  Accept(OpenCase("2024-03-01"));
  Accept(OpenCase("2024-03-01", "(2024)甘0102执恢9号"));      // a 执恢 number already taken
  EXPECT_EQ(Reject(Restore("2024-03-02")), "INVALID_STATE");  // not closed
  EXPECT_NE(Message().find("not closed"), std::string::npos) << Message();
  // SPEC §2's table order: CASE_EXISTS before INVALID_STATE.
  EXPECT_EQ(Reject(Restore("2024-03-02", "(2024)甘0102执恢9号")), "CASE_EXISTS");
  Accept(Close("2024-03-02"));
  EXPECT_EQ(Reject(Restore("2024-03-03", kCase2)), "INVALID_ARGUMENT");  // type code 执
  EXPECT_NE(Message().find("restore_case.new_case_no"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Restore("2024-03-03", "(2024)甘0102执保3号")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Restore("2024-03-03", "not a case")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Restore("2024-03-03", "(2024)甘0102执恢9号")), "CASE_EXISTS");
  EXPECT_EQ(Reject(Restore("2024-03-03", kRestored, kUnknownCase)), "UNKNOWN_CASE");
  Accept(Restore("2024-03-03"));
  EXPECT_EQ(Reject(Restore("2024-03-04", kRestored2)), "INVALID_STATE");  // restored twice
  EXPECT_NE(Message().find("already restored"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Restore("2024-03-04", kRestored2, kRestored)), "INVALID_STATE");  // open
  EXPECT_FALSE(Has(Table::kCase, kRestored2));
}

TEST_F(EngineRestoreTest, LinksBothWaysAndCopiesPartiesJudgeAndClaim) {
  Accept(OpenWith("2024-03-01", kCase, "500000.00",
                  R"("ordinary_interest": "1200.00", "performance_due": "2024-02-20", )"
                  R"("judge": "王法官", "flags": ["livelihood"])"));
  Accept(Close("2024-03-02", "terminated"));
  const Decision restored = Accept(Restore("2024-04-01"));
  const pb::CaseRecord old_case = CaseOf(kCase);
  const pb::CaseRecord record = CaseOf(kRestored);
  EXPECT_EQ(old_case.restored_to(), kRestored);
  EXPECT_EQ(record.restored_from(), kCase);
  EXPECT_FALSE(record.has_restored_to());
  EXPECT_EQ(old_case.status(), pb::CASE_STATUS_CLOSED);
  EXPECT_EQ(record.status(), pb::CASE_STATUS_OPEN);
  EXPECT_EQ(record.type_code(), pb::CASE_TYPE_RESTORED);
  EXPECT_EQ(record.court(), "甘0102");
  EXPECT_EQ(record.filed_on(), "2024-04-01");
  EXPECT_EQ(record.judge(), "王法官");
  EXPECT_EQ(record.claim_fen(), 50000000);
  EXPECT_EQ(record.ordinary_interest_fen(), 120000);
  EXPECT_EQ(record.performance_due(), "2024-02-20");
  ASSERT_EQ(record.flags_size(), 1);
  ASSERT_EQ(record.creditors_size(), 2);
  EXPECT_EQ(record.creditors(0).SerializeAsString(), old_case.creditors(0).SerializeAsString());
  EXPECT_EQ(record.creditors(1).name(), "李某");
  ASSERT_EQ(record.debtors_size(), 1);
  EXPECT_EQ(record.debtors(0).SerializeAsString(), old_case.debtors(0).SerializeAsString());
  // A new account of its own, in the outcome, with valid check digits.
  const std::string account = restored.outcome.account_no();
  EXPECT_EQ(account.size(), 16u);
  EXPECT_EQ(Mod97(account), 1);
  EXPECT_NE(account, old_case.account_no());
  EXPECT_EQ(record.account_no(), account);
  Accept(Cmd("2024-04-02", "receipt",
             R"({"account_no": )" + Quoted(account) +
                 R"(, "amount": "10.00", "bank_ref": "B1", "source": "other"})"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-02", kRestored).recovered_fen), "10.00");
  EXPECT_EQ(Reject(Receipt("2024-04-02", "10.00", "B2", kCase)), "CASE_CLOSED");
  // The chain as the fixture reads it, from either end.
  ASSERT_EQ(ChainOf(kCase).size(), 2u);
  EXPECT_EQ(ChainOf(kRestored)[0].case_no(), kCase);
  EXPECT_EQ(ChainOf(kCase)[1].case_no(), kRestored);
}

TEST_F(EngineRestoreChainTest, TheChainSharesOneFeeChargedInTheOldCase) {
  // 100000.00 received, fee(500000.00) = 7400.00 charged, 92600.00 paid out.
  CloseWithFee("100000.00", "92600.00", std::nullopt);
  EXPECT_EQ(CaseOf().fees_fen(), 740000);
  Accept(Restore("2024-04-01"));
  Accept(Receipt("2024-04-02", "50000.00", "B2", kRestored));
  EXPECT_EQ(Reject(ChargeFee("2024-04-03", std::nullopt, kRestored)), "INVALID_STATE");
  EXPECT_NE(Message().find("no fee due"), std::string::npos) << Message();
  EXPECT_EQ(Reject(ChargeFee("2024-04-03", "1.00", kRestored)), "INVALID_ARGUMENT");
  for (std::string_view case_no : {kCase, kRestored}) {
    const CaseFigures figures = ChainFiguresOn("2024-04-10", case_no);
    EXPECT_EQ(FormatAmount(figures.fee_fen), "7400.00") << case_no;
    EXPECT_EQ(FormatAmount(figures.chain_fees_fen), "7400.00") << case_no;
    EXPECT_EQ(FormatAmount(figures.fee_due_fen), "0.00") << case_no;
    // 100000.00 + 50000.00 over the chain.
    EXPECT_EQ(FormatAmount(figures.chain_recovered_fen), "150000.00") << case_no;
    // The claim and the fee counted once: 500000.00 + 7400.00 − 150000.00.
    EXPECT_EQ(FormatAmount(figures.outstanding_fen), "357400.00") << case_no;
  }
  EXPECT_EQ(FormatAmount(ChainFiguresOn("2024-04-10", kCase).recovered_fen), "100000.00");
  EXPECT_EQ(FormatAmount(ChainFiguresOn("2024-04-10", kRestored).recovered_fen), "50000.00");
}

TEST_F(EngineRestoreChainTest, APartFeeChargedBeforeLeavesOnlyTheRestDue) {
  // 100000.00 received, 3000.00 of the fee charged, 97000.00 paid out.
  CloseWithFee("100000.00", "97000.00", "3000.00");
  Accept(Restore("2024-04-01"));
  Accept(Receipt("2024-04-02", "50000.00", "B2", kRestored));
  // fee_due = 7400.00 − 3000.00 = 4400.00.
  EXPECT_EQ(FormatAmount(ChainFiguresOn("2024-04-03", kRestored).fee_due_fen), "4400.00");
  EXPECT_EQ(Reject(ChargeFee("2024-04-03", "4400.01", kRestored)), "INVALID_ARGUMENT");
  const Decision charged = Accept(ChargeFee("2024-04-03", std::nullopt, kRestored));
  EXPECT_EQ(charged.outcome.amount_fen(), 440000);
  EXPECT_EQ(CaseOf(kRestored).fees_fen(), 440000);
  const CaseFigures figures = ChainFiguresOn("2024-04-03", kRestored);
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "0.00");
  EXPECT_EQ(FormatAmount(figures.chain_fees_fen), "7400.00");  // 3000.00 + 4400.00
  EXPECT_EQ(FormatAmount(figures.balance_fen), "45600.00");    // 50000.00 − 4400.00
  // 500000.00 + 7400.00 − 150000.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "357400.00");
  EXPECT_EQ(Reject(ChargeFee("2024-04-04", std::nullopt, kRestored)), "INVALID_STATE");
}

TEST_F(EngineRestoreTest, TheAllocationAndDelayInterestContinueOverTheChain) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  // 107400.00 at 2024-03-11: the fee 7400.00, then 100000.00 of the claim.
  Accept(ReceiptWith("r1", "2024-03-11", "107400.00", "B1", "2024-03-11"));
  Accept(ChargeFee("2024-03-12"));
  PayOut("2024-03-12", "d1", "100000.00");
  Accept(Close("2024-03-20", "terminated"));
  Accept(Restore("2024-04-01"));
  // All 100000.00 pays the claim: the fee was covered in the first case.
  Accept(ReceiptWith("r2", "2024-04-11", "100000.00", "B2", "2024-04-11", "", kRestored));
  // Delay interest on 2024-05-01, 0.000175 a day:
  //   100000.00 paid 2024-03-11, days(03-01, 03-11) = 10:  100000 × 10 × 0.000175 = 175.00
  //   100000.00 paid 2024-04-11, days(03-01, 04-11) = 41:  100000 × 41 × 0.000175 = 717.50
  //   300000.00 unpaid,          days(03-01, 05-01) = 61:  300000 × 61 × 0.000175 = 3202.50
  //                                                                          total 4095.00
  const CaseFigures figures = ChainFiguresOn("2024-05-01", kRestored);
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "4095.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "0.00");
  // 500000.00 + 7400.00 + 4095.00 − 207400.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "304095.00");
  EXPECT_EQ(FormatAmount(ChainFiguresOn("2024-05-01", kCase).outstanding_fen), "304095.00");
}

// ---------------------------------------------------------------------------------------
// Delay interest in the case figures

TEST_F(EngineDelayInterestTest, AnUnpaidClaimAccruesFromPerformanceDue) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-01").delay_interest_fen), "0.00");  // 0 days
  EXPECT_EQ(FormatAmount(FiguresOn("2024-02-15").delay_interest_fen), "0.00");  // before due
  // days(2024-03-01, 2024-04-10) = 40: 500000.00 × 40 × 7/40000 = 3500.00.
  const CaseFigures figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "3500.00");
  // 500000.00 + fee 7400.00 + 3500.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "510900.00");
  // Without performance_due there is no delay interest.
  Accept(OpenCase("2024-03-01", kCase2));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-10", kCase2).delay_interest_fen), "0.00");
}

TEST_F(EngineDelayInterestTest, APartPaidBeforePerformanceDueAccruesNothing) {
  Accept(OpenDue("2024-03-01", "2024-04-01"));
  // 107400.00 at 2024-03-11 pays the fee and 100000.00 of the claim before it is due.
  Accept(ReceiptWith("r1", "2024-03-11", "107400.00", "B1", "2024-03-11"));
  // On 2024-04-11 only the unpaid 400000.00 accrues: 400000 × 10 × 0.000175 = 700.00.
  const CaseFigures figures = FiguresOn("2024-04-11");
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "700.00");
  // 500000.00 + 7400.00 + 700.00 − 107400.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "400700.00");
}

TEST_F(EngineDelayInterestTest, TheTotalIsComputedExactlyAndRoundedOnceHalfUp) {
  // One day on 200.00: 20000 fen × 7/40000 = 3.5 fen, half up to 0.04.
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase2, "200.00"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02", kCase2).delay_interest_fen), "0.04");
  // Claim 400.00; 250.00 at 2024-03-02 pays the fee 50.00 (fee(400.00)) and 200.00 of the
  // claim. On 2024-03-02: 200.00 paid after 1 day (3.5 fen) + 200.00 unpaid 1 day (3.5 fen)
  // = 7 fen exactly, not 4 + 4.
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase, "400.00"));
  Accept(ReceiptWith("r1", "2024-03-02", "250.00", "B1", "2024-03-02"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").delay_interest_fen), "0.07");
}

TEST_F(EngineDelayInterestTest, AReceiptPaysTheFeeFirstThenTheClaimAtItsValueDate) {
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase));
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase2));
  Accept(ReceiptWith("r1", "2024-03-12", "107400.00", "B1", "2024-03-11", "", kCase));
  Accept(ReceiptWith("r2", "2024-03-12", "100000.00", "B2", "2024-03-11", "", kCase2));
  // kCase on 2024-04-10: the fee 7400.00, then 100000.00 of the claim paid 2024-03-11.
  //   100000 × 10 × 0.000175 = 175.00; 400000 × 40 × 0.000175 = 2800.00; total 2975.00.
  CaseFigures figures = FiguresOn("2024-04-10", kCase);
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "2975.00");
  // 500000.00 + 7400.00 + 2975.00 − 107400.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "402975.00");
  // kCase2: the fee takes 7400.00 first, so only 92600.00 of the claim is paid.
  //   92600 × 10 × 0.000175 = 162.05; 407400 × 40 × 0.000175 = 2851.80; total 3013.85.
  figures = FiguresOn("2024-04-10", kCase2);
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "3013.85");
  // 500000.00 + 7400.00 + 3013.85 − 100000.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "410413.85");
}

TEST_F(EngineDelayInterestTest, OrdinaryInterestIsPaidBetweenTheFeeAndTheClaim) {
  Accept(OpenWith("2024-03-01", kCase, "500000.00",
                  R"("ordinary_interest": "10000.00", "performance_due": "2024-03-01")"));
  // 20000.00 at 2024-03-11: fee 7400.00, ordinary interest 10000.00, claim 2600.00.
  Accept(ReceiptWith("r1", "2024-03-11", "20000.00", "B1", "2024-03-11"));
  // On 2024-04-10: 2600 × 10 × 0.000175 = 4.55; 497400 × 40 × 0.000175 = 3481.80.
  const CaseFigures figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "3486.35");
  // 500000.00 + 10000.00 + 7400.00 + 3486.35 − 20000.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "500886.35");
}

TEST_F(EngineDelayInterestTest, InterestStopDateStopsItBeforeTheValueDate) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  // A sale: the ruling took effect 2024-03-11, the money arrived 2024-03-21.
  Accept(ReceiptWith("r1", "2024-03-21", "107400.00", "B1", "2024-03-21", "2024-03-11"));
  // Same as paid on 2024-03-11: 175.00 + 2800.00.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-10").delay_interest_fen), "2975.00");
  EXPECT_EQ(Reject(ReceiptWith("r2", "2024-03-21", "1.00", "B2", "2024-03-20", "2024-03-21")),
            "INVALID_ARGUMENT");  // the stop date may not be after the value date
}

TEST_F(EngineDelayInterestTest, AClaimOfAnUnidentifiedReceiptPaysAtThatReceiptsValueDate) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  Accept(UnidentifiedAt("2024-03-12", "107400.00", "U1", "2024-03-11"));
  Accept(Claim("2024-03-20", "U1", std::nullopt));
  // As if received 2024-03-11: 175.00 + 2800.00.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-04-10").delay_interest_fen), "2975.00");
}

TEST_F(EngineDelayInterestTest, ARefundUncoversTheNewestAllocationWhichAccruesAgain) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  Accept(ReceiptWith("r1", "2024-03-12", "107400.00", "B1", "2024-03-11"));
  Accept(Outflow("2024-03-21", "refund", "30000.00", "R1"));
  // The refund uncovers 30000.00 of the claim (the newest piece), accruing from 2024-03-21:
  //   100000 × 10 × 0.000175 = 175.00 (paid 2024-03-11, accrued before it was paid)
  //   30000 × days(03-21, 04-10) = 20 × 0.000175 = 105.00
  //   400000 × 40 × 0.000175 = 2800.00                                  total 3080.00
  const CaseFigures figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "3080.00");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "77400.00");
  // 500000.00 + 7400.00 + 3080.00 − 77400.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "433080.00");
}

TEST_F(EngineDelayInterestTest, AReversedReceiptUncoversItsMoneyLikewise) {
  Accept(OpenDue("2024-03-01", "2024-03-01"));
  Accept(ReceiptWith("r1", "2024-03-12", "107400.00", "B1", "2024-03-11"));
  Accept(Reverse("2024-03-21", "r1"));
  // The claim piece 100000.00 then the fee 7400.00 are uncovered as of 2024-03-21:
  //   100000 × 10 × 0.000175 = 175.00; 100000 × 20 × 0.000175 = 350.00;
  //   400000 × 40 × 0.000175 = 2800.00;                                 total 3325.00
  const CaseFigures figures = FiguresOn("2024-04-10");
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "3325.00");
  EXPECT_EQ(FormatAmount(figures.recovered_fen), "0.00");
  // 500000.00 + 7400.00 + 3325.00 − 0.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "510725.00");
}

TEST_F(EngineDelayInterestTest, OutstandingIsNeverBelowZero) {
  Accept(OpenCase("2024-03-01", kCase, "1000.00"));
  Accept(Receipt("2024-03-02", "2000.00", "B1"));
  // 1000.00 + fee 50.00 − 2000.00 < 0.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").outstanding_fen), "0.00");
}

TEST_F(EngineDelayInterestTest, AnAgreedOrderSetBeforeOpenCaseChangesTheFigures) {
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase2));  // the default order
  Accept(SetRules("2024-03-01", R"("allocation_order": )" + std::string(kAgreedOrder)));
  Accept(OpenDue("2024-03-01", "2024-03-01", kCase));  // delay interest first
  Accept(ReceiptWith("r1", "2024-04-10", "10000.00", "B1", "2024-04-10", "", kCase));
  Accept(ReceiptWith("r2", "2024-04-10", "10000.00", "B2", "2024-04-10", "", kCase2));
  // Default: fee 7400.00, claim 2600.00 paid 2024-04-10. On 2024-04-20:
  //   2600 × 40 × 0.000175 = 18.20; 497400 × 50 × 0.000175 = 4352.25; total 4370.45.
  CaseFigures figures = FiguresOn("2024-04-20", kCase2);
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "4370.45");
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "501770.45");  // 507400 + 4370.45 − 10000
  // Agreed: the interest due on 2024-04-10 (500000 × 40 × 0.000175 = 3500.00), then 6500.00
  // of the fee; no claim is paid, so all of it accrues: 500000 × 50 × 0.000175 = 4375.00.
  figures = FiguresOn("2024-04-20", kCase);
  EXPECT_EQ(FormatAmount(figures.delay_interest_fen), "4375.00");
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "501775.00");  // 507400 + 4375 − 10000
  // The fee is still due in full: allocation does not charge it.
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "7400.00");
}

TEST_F(EngineDelayInterestTest, FeeBaseRecoveredChargesTheFeeOnTheMoneyRecovered) {
  Accept(SetRules("2024-03-01", R"("fee_base": "recovered")"));
  Accept(OpenCase("2024-03-01"));
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-01").fee_fen), "0.00");  // fee(0) = 0
  Accept(Receipt("2024-03-02", "20000.00", "B1"));
  // fee(20000.00) = 50 + 1.5% × 10000 = 200.00.
  EXPECT_EQ(FormatAmount(FiguresOn("2024-03-02").fee_fen), "200.00");
  EXPECT_EQ(Accept(ChargeFee("2024-03-03")).outcome.amount_fen(), 20000);
  Accept(Receipt("2024-03-04", "30000.00", "B2"));
  // fee(50000.00) = 50 + 1.5% × 40000 = 650.00; 200.00 charged, 450.00 due.
  const CaseFigures figures = FiguresOn("2024-03-04");
  EXPECT_EQ(FormatAmount(figures.fee_fen), "650.00");
  EXPECT_EQ(FormatAmount(figures.fee_due_fen), "450.00");
  // 500000.00 + 650.00 − 50000.00.
  EXPECT_EQ(FormatAmount(figures.outstanding_fen), "450650.00");
}

}  // namespace
}  // namespace caseledger::engine_fixture
