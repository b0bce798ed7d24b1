// Proves delay interest (SPEC §7) is 7/40000 per fen-day, rounded once; claim paid before interest.
#include "core/interest.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace caseledger {
namespace {

Date D(std::string_view text) {
  Result<Date> date = Date::Parse(text, "test");
  EXPECT_TRUE(date.ok()) << text << ": " << date.status().ToString();
  return date.ok() ? *date : Date();
}

InterestWorking Calc(int64_t claim_fen, std::string_view due, std::string_view on,
                     std::vector<Payment> payments = {}) {
  Result<InterestWorking> working = CalcInterest(Fen(claim_fen), D(due), D(on), payments);
  EXPECT_TRUE(working.ok()) << working.status().ToString();
  return working.ok() ? *working : InterestWorking{};
}

TEST(InterestTest, UnitsArePartTimesSevenTimesDays) {
  // 200.00 paid one day late: 20000 × 7 × 1 = 140000 units of 1/40000 fen (3.5 fen).
  EXPECT_EQ(DelayInterestUnits(20000, D("2024-01-01"), D("2024-01-02")), 140000);
  // Paid on the due date or before it: nothing.
  EXPECT_EQ(DelayInterestUnits(20000, D("2024-01-01"), D("2024-01-01")), 0);
  EXPECT_EQ(DelayInterestUnits(20000, D("2024-01-01"), D("2023-12-01")), 0);
  EXPECT_EQ(DelayInterestUnits(0, D("2024-01-01"), D("2024-12-01")), 0);
}

TEST(InterestTest, NoPaymentAccruesOnTheWholeClaim) {
  // 1,000,000.00 = 100,000,000 fen, due 2024-01-01, on 2024-01-31: 30 days.
  // 100,000,000 × 7 × 30 / 40000 = 2500 × 210 = 525,000 fen = 5250.00, exact.
  const InterestWorking w = Calc(100000000, "2024-01-01", "2024-01-31");
  EXPECT_EQ(w.days, 30);
  EXPECT_EQ(w.interest_fen, 525000);
  EXPECT_EQ(FormatAmount(w.interest_fen), "5250.00");
  EXPECT_EQ(w.claim_paid_fen, 0);
  EXPECT_EQ(w.claim_unpaid_fen, 100000000);
  EXPECT_EQ(w.interest_paid_fen, 0);
  EXPECT_EQ(w.interest_unpaid_fen, 525000);
  EXPECT_EQ(w.surplus_fen, 0);
}

TEST(InterestTest, PartialPaymentStopsInterestOnThePaidPart) {
  // Claim 10,000.00 = 1,000,000 fen, due 2024-01-10. 4,000.00 paid 2024-01-20 (10 days):
  //   400,000 × 7 × 10 = 28,000,000 units.
  // On 2024-01-30 (20 days) 600,000 is unpaid: 600,000 × 7 × 20 = 84,000,000 units.
  // Total 112,000,000 / 40000 = 2800 fen = 28.00.
  const InterestWorking w =
      Calc(1000000, "2024-01-10", "2024-01-30", {{D("2024-01-20"), Fen(400000)}});
  EXPECT_EQ(w.days, 20);
  EXPECT_EQ(w.interest_fen, 2800);
  EXPECT_EQ(w.claim_paid_fen, 400000);
  EXPECT_EQ(w.claim_unpaid_fen, 600000);
  EXPECT_EQ(w.interest_paid_fen, 0);
  EXPECT_EQ(w.interest_unpaid_fen, 2800);
  EXPECT_EQ(w.surplus_fen, 0);
}

TEST(InterestTest, PaymentsPayTheClaimFirstThenInterest) {
  // As above, but the second payment, 6,010.00 on 2024-01-30 (20 days), pays the remaining
  // 600,000 of the claim (84,000,000 units) and 1000 fen of interest. Interest stops: on
  // 2024-02-29 (days(2024-01-10, 2024-02-29) = 21 + 29 = 50) it is still 2800 fen.
  // Paid 1,001,000 − claim 1,000,000 = 1000 fen of interest; 1800 fen unpaid.
  // Payments given out of date order are applied in date order.
  const InterestWorking w = Calc(1000000, "2024-01-10", "2024-02-29",
                                 {{D("2024-01-30"), Fen(601000)}, {D("2024-01-20"), Fen(400000)}});
  EXPECT_EQ(w.days, 50);
  EXPECT_EQ(w.interest_fen, 2800);
  EXPECT_EQ(w.claim_paid_fen, 1000000);
  EXPECT_EQ(w.claim_unpaid_fen, 0);
  EXPECT_EQ(w.interest_paid_fen, 1000);
  EXPECT_EQ(w.interest_unpaid_fen, 1800);
  EXPECT_EQ(w.surplus_fen, 0);
}

TEST(InterestTest, PaymentOnTheDueDateAccruesNothing) {
  // Claim 200.00 paid in full on the due date 2024-03-01: days(due, due) = 0, no interest.
  // days(2024-03-01, 2024-03-11) = 10.
  const InterestWorking w =
      Calc(20000, "2024-03-01", "2024-03-11", {{D("2024-03-01"), Fen(20000)}});
  EXPECT_EQ(w.days, 10);
  EXPECT_EQ(w.interest_fen, 0);
  EXPECT_EQ(w.claim_paid_fen, 20000);
  EXPECT_EQ(w.claim_unpaid_fen, 0);
  EXPECT_EQ(w.interest_unpaid_fen, 0);
  EXPECT_EQ(w.surplus_fen, 0);
}

TEST(InterestTest, PaymentBeforeDueAccruesNothingOnItsPart) {
  // Claim 200.00 due 2024-03-01; 50.00 paid 2024-02-20 (before due: 0 days).
  // 150.00 unpaid on 2024-03-11 (10 days): 15000 × 7 × 10 = 1,050,000 / 40000 = 26.25 → 26 fen.
  const InterestWorking w = Calc(20000, "2024-03-01", "2024-03-11", {{D("2024-02-20"), Fen(5000)}});
  EXPECT_EQ(w.interest_fen, 26);
  EXPECT_EQ(w.claim_paid_fen, 5000);
  EXPECT_EQ(w.claim_unpaid_fen, 15000);
}

TEST(InterestTest, CountsLeapDays) {
  // 2024 is a leap year: days(2024-02-28, 2024-03-01) = 2. 400.00: 40000 × 7 × 2 / 40000 = 14.
  const InterestWorking leap = Calc(40000, "2024-02-28", "2024-03-01");
  EXPECT_EQ(leap.days, 2);
  EXPECT_EQ(leap.interest_fen, 14);
  // 2023 is not: 1 day, 40000 × 7 × 1 / 40000 = 7.
  const InterestWorking common = Calc(40000, "2023-02-28", "2023-03-01");
  EXPECT_EQ(common.days, 1);
  EXPECT_EQ(common.interest_fen, 7);
}

TEST(InterestTest, OverpaymentIsSurplus) {
  // Claim 400.00 due 2024-01-01, 500.00 paid 2024-01-11 (10 days):
  //   40000 × 7 × 10 = 2,800,000 / 40000 = 70 fen.
  // 50000 − 40000 claim − 70 interest = 9930 fen surplus. On 2024-01-31 (30 days) no more accrues.
  const InterestWorking w =
      Calc(40000, "2024-01-01", "2024-01-31", {{D("2024-01-11"), Fen(50000)}});
  EXPECT_EQ(w.days, 30);
  EXPECT_EQ(w.interest_fen, 70);
  EXPECT_EQ(w.claim_paid_fen, 40000);
  EXPECT_EQ(w.claim_unpaid_fen, 0);
  EXPECT_EQ(w.interest_paid_fen, 70);
  EXPECT_EQ(w.interest_unpaid_fen, 0);
  EXPECT_EQ(w.surplus_fen, 9930);
}

TEST(InterestTest, RoundsHalfUp) {
  // 200.00 one day late: 20000 × 7 × 1 / 40000 = 3.5 fen → 4 fen = 0.04.
  const InterestWorking half = Calc(20000, "2024-01-01", "2024-01-02");
  EXPECT_EQ(half.interest_fen, 4);
  EXPECT_EQ(FormatAmount(half.interest_fen), "0.04");
  // 199.99: 19999 × 7 / 40000 = 139993 / 40000 = 3.499825 → 3 fen.
  EXPECT_EQ(Calc(19999, "2024-01-01", "2024-01-02").interest_fen, 3);
}

TEST(InterestTest, RoundsTheExactSumOnce) {
  // Claim 720.00 due 2024-01-01; 360.00 paid 2024-01-02 (1 day): 36000 × 7 = 252,000 units
  // = 6.3 fen; 360.00 unpaid on 2024-01-02 (1 day): another 6.3 fen. Exact 12.6 → 13 fen
  // (rounding each part first would give 6 + 6 = 12).
  const InterestWorking w =
      Calc(72000, "2024-01-01", "2024-01-02", {{D("2024-01-02"), Fen(36000)}});
  EXPECT_EQ(w.interest_fen, 13);
}

TEST(InterestTest, EvaluatedBeforeDueHasNoDays) {
  // on before due: days(due, on) < 0 is shown as 0 and nothing accrues.
  const InterestWorking w = Calc(20000, "2024-03-01", "2024-02-01");
  EXPECT_EQ(w.days, 0);
  EXPECT_EQ(w.interest_fen, 0);
  EXPECT_EQ(w.claim_unpaid_fen, 20000);
}

TEST(InterestTest, RejectsAPaymentAfterOn) {
  Result<InterestWorking> w =
      CalcInterest(Fen(20000), D("2024-01-01"), D("2024-04-30"), {{D("2024-05-01"), Fen(100)}});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(w.status().message(), "payment 2024-05-01 is after --on 2024-04-30");
}

TEST(InterestTest, RejectsPaymentsOfZeroOrLess) {
  for (int64_t amount_fen : {0, -1}) {
    Result<InterestWorking> w =
        CalcInterest(Fen(20000), D("2024-01-01"), D("2024-04-30"), {{D("2024-02-01"), amount_fen}});
    ASSERT_FALSE(w.ok()) << amount_fen;
    EXPECT_EQ(w.status().code(), Code::kInvalidArgument);
    EXPECT_NE(w.status().message().find("payment 2024-02-01"), std::string::npos)
        << w.status().message();
  }
}

TEST(InterestTest, RejectsANegativeClaim) {
  Result<InterestWorking> w = CalcInterest(Fen(-1), D("2024-01-01"), D("2024-04-30"), {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Code::kInvalidArgument);
}

TEST(InterestTest, OverflowIsAnErrorNotAnException) {
  // 10^37 × 7 × 29 days is beyond a signed 128-bit integer (about 1.7 × 10^38).
  const Fen huge = Fen(10000000000000000000ULL) * Fen(10000000000000000000ULL) / 10;
  Result<InterestWorking> w = CalcInterest(huge, D("2024-01-01"), D("2024-01-30"), {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Code::kInvalidArgument);
  EXPECT_NE(w.status().message().find("amount too large"), std::string::npos);
}

TEST(InterestTest, LargestWrittenClaimOverCenturiesFits) {
  // 999,999,999,999,999.99 unpaid from 1900-01-01 to 9999-12-31 (2,958,463 days):
  // 99,999,999,999,999,999 × 7 × 2,958,463 / 40000 = 51,773,102,499,999,999,482.27 → ...482.
  const InterestWorking w = Calc(kAmountMaxFen, "1900-01-01", "9999-12-31");
  EXPECT_EQ(w.days, 2958463);
  EXPECT_EQ(w.interest_fen, Fen(kAmountMaxFen) * 7 * 2958463 / 40000);  // .29 rounds down
}

}  // namespace
}  // namespace caseledger
