// Proves the allocation of SPEC §7: recovered money pays fee, ordinary interest, claim and
// delay interest in the rule's order, and delay interest accrues on the claim until paid.
#include "core/allocation.h"

#include <gtest/gtest.h>

namespace caseledger {
namespace {

Date D(const char* text) { return *Date::Parse(text, "test"); }

AllocationEvent Recover(const char* date, int64_t fen, uint64_t seq,
                        std::optional<Date> stop = std::nullopt) {
  return AllocationEvent{D(date), seq, Fen(fen), stop, true};
}
AllocationEvent Uncover(const char* date, int64_t fen, uint64_t seq) {
  return AllocationEvent{D(date), seq, Fen(fen), std::nullopt, false};
}

ChainTerms Terms(int64_t claim_fen, std::optional<Date> due = std::nullopt) {
  ChainTerms terms;
  terms.claim_fen = claim_fen;
  terms.performance_due = due;
  return terms;
}

TEST(AllocationTest, NoPerformanceDueMeansNoDelayInterest) {
  const Allocation a =
      Allocate(Terms(1000000), {Recover("2024-03-05", 500000, 1)}, D("2025-01-01"));
  EXPECT_EQ(a.delay_interest_fen, 0);
  // claim 10,000.00 → fee 50.00 first, then 4,950.00 of the claim.
  EXPECT_EQ(a.fee_fen, 5000);
  EXPECT_EQ(a.fee_covered_fen, 5000);
  EXPECT_EQ(a.claim_covered_fen, 495000);
  EXPECT_EQ(a.recovered_fen, 500000);
}

TEST(AllocationTest, UnpaidClaimAccruesFromTheDueDate) {
  // claim 100,000.00 = 10,000,000 fen, due 2024-01-01, nothing paid, evaluated 2024-01-11:
  // 10 days × 10,000,000 × 7/40000 = 17,500 fen = 175.00.
  const Allocation a = Allocate(Terms(10000000, D("2024-01-01")), {}, D("2024-01-11"));
  EXPECT_EQ(a.delay_interest_fen, 17500);
}

TEST(AllocationTest, APaymentStopsInterestOnThePartItPays) {
  // claim 100,000.00, due 2024-01-01. On 2024-01-11 (value date) 50,050.00 arrives: fee of
  // 100,000 = 50 + 90,000 × 1.5% = 1,400.00 first, then 48,650.00 of the claim.
  // Paid part: 4,865,000 fen × 10 days; unpaid 5,135,000 fen × 20 days to 2024-01-21.
  // units = (48,650,000 + 102,700,000) × 7 = 1,059,450,000; / 40000 = 26,486.25 → 26,486 fen.
  const Allocation a = Allocate(Terms(10000000, D("2024-01-01")),
                                {Recover("2024-01-11", 5005000, 1)}, D("2024-01-21"));
  EXPECT_EQ(a.fee_covered_fen, 140000);
  EXPECT_EQ(a.claim_covered_fen, 4865000);
  EXPECT_EQ(a.delay_interest_fen, 26486);
}

TEST(AllocationTest, InterestStopDateBeatsTheValueDate) {
  // A sale: the ruling took effect 2024-01-06, the money came 2024-01-11. claim 10,000.00
  // (fee 50.00), due 2024-01-01, 10,050.00 pays all: the claim accrues 5 days, not 10.
  // 1,000,000 × 5 × 7 / 40000 = 875 fen.
  const Allocation a =
      Allocate(Terms(1000000, D("2024-01-01")),
               {Recover("2024-01-11", 1005000, 1, D("2024-01-06"))}, D("2024-02-01"));
  EXPECT_EQ(a.claim_covered_fen, 1000000);
  EXPECT_EQ(a.delay_interest_fen, 875);
}

TEST(AllocationTest, PaymentOnOrBeforeTheDueDateAccruesNothing) {
  const Allocation a = Allocate(Terms(1000000, D("2024-01-01")),
                                {Recover("2024-01-01", 1005000, 1)}, D("2024-06-01"));
  EXPECT_EQ(a.delay_interest_fen, 0);
}

TEST(AllocationTest, ReceiptsAllocateInValueDateOrderNotRecordingOrder) {
  // Recorded second but with an earlier value date, receipt 2 pays the fee first.
  // claim 10,000.00 (fee 50.00): receipt 2 on 01-05 of 50.00 covers the fee; receipt 1 on
  // 01-10 of 10,000.00 pays the claim: 1,000,000 × 9 days × 7/40000 = 1,575 fen.
  const Allocation a = Allocate(Terms(1000000, D("2024-01-01")),
                                {Recover("2024-01-10", 1000000, 1), Recover("2024-01-05", 5000, 2)},
                                D("2024-03-01"));
  EXPECT_EQ(a.fee_covered_fen, 5000);
  EXPECT_EQ(a.claim_covered_fen, 1000000);
  EXPECT_EQ(a.delay_interest_fen, 1575);
}

TEST(AllocationTest, AnUncoverUndoesNewestFirstAndTheClaimAccruesAgain) {
  // claim 10,000.00 (fee 50.00), due 2024-01-01. 01-11: 10,050.00 pays fee and claim
  // (10 days on 1,000,000 fen). 01-21: a refund of 1,000.00 uncovers 100,000 fen of the
  // claim, which accrues again from 01-21 to 01-31: 10 days.
  // units = (1,000,000 × 10 + 100,000 × 10) × 7 = 77,000,000 → 1,925 fen.
  const Allocation a = Allocate(
      Terms(1000000, D("2024-01-01")),
      {Recover("2024-01-11", 1005000, 1), Uncover("2024-01-21", 100000, 2)}, D("2024-01-31"));
  EXPECT_EQ(a.claim_covered_fen, 900000);
  EXPECT_EQ(a.fee_covered_fen, 5000);
  EXPECT_EQ(a.recovered_fen, 905000);
  EXPECT_EQ(a.delay_interest_fen, 1925);
}

TEST(AllocationTest, SurplusIsUncoveredBeforeTheClaim) {
  // claim 100.00 (fee 50.00): 200.00 recovered covers 150.00, 50.00 is beyond everything.
  // Uncovering 50.00 takes the surplus; the claim stays covered.
  const Allocation a =
      Allocate(Terms(10000), {Recover("2024-01-11", 20000, 1), Uncover("2024-01-12", 5000, 2)},
               D("2024-01-31"));
  EXPECT_EQ(a.claim_covered_fen, 10000);
  EXPECT_EQ(a.fee_covered_fen, 5000);
}

TEST(AllocationTest, OrdinaryInterestComesBeforeTheClaim) {
  ChainTerms terms = Terms(1000000);
  terms.ordinary_interest_fen = 20000;
  // 10,100.00: fee 50.00, ordinary interest 200.00, claim 9,850.00.
  const Allocation a = Allocate(terms, {Recover("2024-01-11", 1010000, 1)}, D("2024-01-31"));
  EXPECT_EQ(a.fee_covered_fen, 5000);
  EXPECT_EQ(a.ordinary_interest_covered_fen, 20000);
  EXPECT_EQ(a.claim_covered_fen, 985000);
}

TEST(AllocationTest, AnAgreedOrderPaysDelayInterestBeforeTheClaim) {
  // Order delay_interest → claim → fee → ordinary_interest. claim 10,000.00 due 01-01;
  // on 01-11, 1,000.00 arrives: interest accrued by then 1,000,000 × 10 × 7/40000 = 1,750
  // fen = 17.50, paid first; 982.50 goes to the claim.
  ChainTerms terms = Terms(1000000, D("2024-01-01"));
  terms.order = {pb::ALLOCATION_PART_DELAY_INTEREST, pb::ALLOCATION_PART_CLAIM,
                 pb::ALLOCATION_PART_FEE, pb::ALLOCATION_PART_ORDINARY_INTEREST};
  const Allocation a = Allocate(terms, {Recover("2024-01-11", 100000, 1)}, D("2024-01-11"));
  EXPECT_EQ(a.delay_interest_covered_fen, 1750);
  EXPECT_EQ(a.claim_covered_fen, 98250);
  EXPECT_EQ(a.fee_covered_fen, 0);
}

TEST(AllocationTest, FeeOnRecoveredMoneyGrowsWithEachReceipt) {
  // fee_base recovered: 20,000.00 then 20,000.00. fee(20,000) = 50 + 10,000 × 1.5% = 200.00
  // covered by the first; fee(40,000) = 50 + 30,000 × 1.5% = 500.00, so the second covers
  // 300.00 more.
  ChainTerms terms = Terms(100000000);
  terms.fee_base = pb::FEE_BASE_RECOVERED;
  const Allocation a =
      Allocate(terms, {Recover("2024-01-11", 2000000, 1), Recover("2024-01-12", 2000000, 2)},
               D("2024-01-31"));
  EXPECT_EQ(a.fee_fen, 50000);
  EXPECT_EQ(a.fee_covered_fen, 50000);
  EXPECT_EQ(a.claim_covered_fen, 3950000);
}

}  // namespace
}  // namespace caseledger
