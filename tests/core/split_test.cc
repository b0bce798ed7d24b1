// Proves a split (SPEC §7) pays costs, then ranks in order, pro rata by largest remainder, exactly.
#include "core/split.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/limits.h"

namespace caseledger {
namespace {

using boost::multiprecision::cpp_int;

SplitResult SplitOk(int64_t amount_fen, int64_t costs_fen, const std::vector<SplitClaim>& claims) {
  Result<SplitResult> result = Split(Fen(amount_fen), Fen(costs_fen), claims);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : SplitResult{};
}

std::vector<Fen> Shares(const SplitResult& result) {
  std::vector<Fen> shares;
  for (const SplitShare& share : result.shares) shares.push_back(share.share_fen);
  return shares;
}

std::vector<Fen> F(std::initializer_list<int64_t> values) {
  return std::vector<Fen>(values.begin(), values.end());
}

// Refused as INVALID_ARGUMENT with a message containing `message_part`.
::testing::AssertionResult Invalid(const Fen& amount_fen, const Fen& costs_fen,
                                   const std::vector<SplitClaim>& claims,
                                   std::string_view message_part) {
  Result<SplitResult> result = Split(amount_fen, costs_fen, claims);
  if (result.ok()) return ::testing::AssertionFailure() << "accepted: " << message_part;
  if (result.status().code() != Code::kInvalidArgument ||
      result.status().message().find(message_part) == std::string::npos) {
    return ::testing::AssertionFailure() << result.status().ToString();
  }
  return ::testing::AssertionSuccess();
}

TEST(SplitTest, EqualClaimsGiveTheExtraFenToTheEarliest) {
  // 100 fen over three claims of 10.00: exact 33.33... each; floors 33 + 33 + 33 = 99; the one
  // fen left goes to the earliest of the equal remainders: 34, 33, 33.
  const SplitResult result = SplitOk(100, 0, {{"a", 1000}, {"b", 1000}, {"c", 1000}});
  EXPECT_EQ(Shares(result), F({34, 33, 33}));
  EXPECT_EQ(result.surplus_fen, 0);
  EXPECT_EQ(result.shares[0].party_id, "a");
  EXPECT_EQ(result.shares[0].rank, 1);
  EXPECT_EQ(result.shares[0].claim_fen, 1000);
}

TEST(SplitTest, OneFenGoesToTheLargestRemainder) {
  // 1 fen over three claims of 0.01: 1/3 each, floors 0; ties → the first claim.
  EXPECT_EQ(Shares(SplitOk(1, 0, {{"a", 1}, {"b", 1}, {"c", 1}})), F({1, 0, 0}));
  // 1 fen over 0.01 and 0.02: exact 1/3 and 2/3, floors 0 and 0; the larger remainder (2/3) wins.
  EXPECT_EQ(Shares(SplitOk(1, 0, {{"a", 1}, {"b", 2}})), F({0, 1}));
  // Nothing to share: every share 0.
  EXPECT_EQ(Shares(SplitOk(0, 0, {{"a", 1}, {"b", 2}})), F({0, 0}));
}

TEST(SplitTest, CostsAreTakenFirstAndWhatIsLeftIsSurplus) {
  // 100.00 − costs 10.00 = 90.00; claims 50.00 + 30.00 fit; surplus 90.00 − 80.00 = 10.00.
  const SplitResult result = SplitOk(10000, 1000, {{"a", 5000}, {"b", 3000}});
  EXPECT_EQ(result.amount_fen, 10000);
  EXPECT_EQ(result.costs_fen, 1000);
  EXPECT_EQ(Shares(result), F({5000, 3000}));
  EXPECT_EQ(result.surplus_fen, 1000);
}

TEST(SplitTest, CostsEqualToTheAmountLeaveNothing) {
  const SplitResult result = SplitOk(500, 500, {{"a", 100}});
  EXPECT_EQ(Shares(result), F({0}));
  EXPECT_EQ(result.surplus_fen, 0);
}

TEST(SplitTest, NoClaimsMakeEverythingSurplus) {
  const SplitResult result = SplitOk(10000, 300, {});
  EXPECT_TRUE(result.shares.empty());
  EXPECT_EQ(result.surplus_fen, 9700);
}

TEST(SplitTest, RanksArePaidInOrderAndTheFirstThatDoesNotFitSharesProRata) {
  // 100.00, no costs. Rank 0: p 20.00 fits, 80.00 left. Rank 1: a 60.00 + b 30.00 = 90.00 does
  // not fit: a = 8000 × 6000 / 9000 = 5333.33, b = 8000 × 3000 / 9000 = 2666.67; floors 5333 +
  // 2666 = 7999, the fen left goes to b (remainder .67 > .33): 5333, 2667. Rank 2: c gets 0.
  // Shares keep the input order.
  const SplitResult result =
      SplitOk(10000, 0, {{"c", 5000, 2}, {"a", 6000, 1}, {"p", 2000, 0}, {"b", 3000, 1}});
  EXPECT_EQ(Shares(result), F({0, 5333, 2000, 2667}));
  EXPECT_EQ(result.shares[0].party_id, "c");
  EXPECT_EQ(result.shares[0].rank, 2);
  EXPECT_EQ(result.shares[2].party_id, "p");
  EXPECT_EQ(result.surplus_fen, 0);
}

TEST(SplitTest, ARankThatExactlyFitsIsPaidInFull) {
  // 90.00 for rank 1 (60.00 + 30.00): exactly fits, nothing left for rank 2, no surplus.
  const SplitResult result = SplitOk(9000, 0, {{"a", 6000}, {"b", 3000}, {"c", 100, 2}});
  EXPECT_EQ(Shares(result), F({6000, 3000, 0}));
  EXPECT_EQ(result.surplus_fen, 0);
}

TEST(SplitTest, ZeroClaimsGetZero) {
  // 10 fen over a 0.00, b 0.30, c 0.00: b's claim is the whole rank total, b gets all 10 fen.
  EXPECT_EQ(Shares(SplitOk(10, 0, {{"a", 0}, {"b", 30}, {"c", 0}})), F({0, 10, 0}));
  // A rank of zero claims always fits.
  const SplitResult result = SplitOk(10, 0, {{"a", 0}});
  EXPECT_EQ(Shares(result), F({0}));
  EXPECT_EQ(result.surplus_fen, 10);
}

TEST(SplitTest, HugeClaimsShareExactly) {
  // Five claims of 999,999,999,999,999.99 (99,999,999,999,999,999 fen) share that amount: each
  // exact share is 19,999,999,999,999,999.8 fen; floors sum to 99,999,999,999,999,995, and the
  // 4 fen left go to the first four (equal remainders): 20,000,000,000,000,000 × 4 and
  // 19,999,999,999,999,999.
  const int64_t max = kAmountMaxFen;
  const SplitResult result =
      SplitOk(max, 0, {{"a", max}, {"b", max}, {"c", max}, {"d", max}, {"e", max}});
  const Fen big = Fen(20000000000000000);
  EXPECT_EQ(Shares(result), std::vector<Fen>({big, big, big, big, big - 1}));
  // Sums beyond 15 digits are fine: a claim total of 5 × 10^17 fen.
  EXPECT_EQ(result.surplus_fen, 0);
}

TEST(SplitTest, RejectsBadInput) {
  EXPECT_TRUE(Invalid(300, 500, {}, "costs 5.00 exceed the amount 3.00"));
  EXPECT_TRUE(Invalid(-1, 0, {}, "amount"));
  EXPECT_TRUE(Invalid(100, -1, {}, "costs"));
  EXPECT_TRUE(Invalid(100, 0, {{"a", -1}}, "claim"));
  EXPECT_TRUE(Invalid(100, 0, {{"a", 1, -1}}, "rank"));
  EXPECT_TRUE(Invalid(100, 0, {{"a", 1, 1001}}, "rank"));
  EXPECT_TRUE(Invalid(100, 0, {{"a", 1}, {"b", 2}, {"a", 3}}, "duplicate party_id \"a\""));
  std::vector<SplitClaim> too_many;
  for (size_t i = 0; i <= kRepeatedItemsMax; ++i) too_many.push_back({std::to_string(i), 1});
  EXPECT_TRUE(Invalid(100, 0, too_many, "claims"));
}

TEST(SplitTest, AcceptsRanksZeroAndAThousand) {
  EXPECT_EQ(Shares(SplitOk(10, 0, {{"a", 5, 1000}, {"b", 5, 0}})), F({5, 5}));
}

TEST(SplitTest, StaysExactNearTheTopOf128Bits) {
  // Three claims of 2^126 share 2^126 (no 128-bit product could hold left × claim = 2^252):
  // 2^126 = 3 × floor(2^126 / 3) + 1, so the shares are floor + 1, floor, floor.
  const Fen top = Fen(1) << 126;
  Result<SplitResult> result = Split(top, 0, {{"a", top}, {"b", top}, {"c", top}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Fen third = top / 3;
  EXPECT_EQ(Shares(*result), std::vector<Fen>({third + 1, third, third}));
  // A claim total beyond 128 bits is still compared exactly: it does not fit, so pro rata.
  const Fen max = std::numeric_limits<Fen>::max();
  result = Split(max, 0, {{"a", max}, {"b", max}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->shares[0].share_fen + result->shares[1].share_fen, max);
}

// Checks every invariant of one split against exact arithmetic.
void CheckInvariants(const Fen& amount_fen, const Fen& costs_fen,
                     const std::vector<SplitClaim>& claims, const SplitResult& result) {
  ASSERT_EQ(result.shares.size(), claims.size());
  Fen sum = 0;
  for (size_t i = 0; i < claims.size(); ++i) {
    const SplitShare& share = result.shares[i];
    EXPECT_EQ(share.party_id, claims[i].party_id);
    EXPECT_GE(share.share_fen, 0);
    EXPECT_LE(share.share_fen, claims[i].claim_fen);
    sum += share.share_fen;
  }
  EXPECT_EQ(sum, amount_fen - costs_fen - result.surplus_fen);
  EXPECT_GE(result.surplus_fen, 0);
  // Walk the ranks: full, then at most one pro rata rank, then zeros.
  cpp_int left(amount_fen - costs_fen);
  for (int rank = 0; rank <= 1000; ++rank) {
    cpp_int total = 0;
    for (const SplitClaim& claim : claims) {
      if (claim.rank == rank) total += cpp_int(claim.claim_fen);
    }
    const bool fits = total <= left;
    for (size_t i = 0; i < claims.size(); ++i) {
      if (claims[i].rank != rank) continue;
      const cpp_int share(result.shares[i].share_fen);
      if (fits) {
        EXPECT_EQ(share, cpp_int(claims[i].claim_fen));
      } else {
        // |share × total − left × claim| < total: within one fen of the exact share.
        cpp_int error = share * total - left * cpp_int(claims[i].claim_fen);
        if (error < 0) error = -error;
        EXPECT_LT(error, total);
      }
    }
    left = fits ? cpp_int(left - total) : cpp_int(0);
  }
  EXPECT_EQ(cpp_int(result.surplus_fen), left);
}

TEST(SplitTest, RandomSplitsKeepEveryInvariant) {
  std::mt19937_64 random(20240501);
  for (int round = 0; round < 5000; ++round) {
    // Small and huge magnitudes alike; ranks few so that several share one.
    const int64_t magnitude = round % 3 == 0 ? kAmountMaxFen : (round % 3 == 1 ? 1000000 : 10);
    std::uniform_int_distribution<int64_t> amount(0, magnitude);
    std::uniform_int_distribution<int> count(0, 12);
    std::uniform_int_distribution<int> rank(0, 3);
    std::vector<SplitClaim> claims;
    const int n = count(random);
    for (int i = 0; i < n; ++i) {
      claims.push_back({"p" + std::to_string(i), Fen(amount(random) / (1 + i % 4)), rank(random)});
    }
    const Fen amount_fen = amount(random) * 3;
    const Fen costs_fen = round % 5 == 0 ? Fen(0) : Fen(amount(random) % (amount_fen + 1));
    Result<SplitResult> result = Split(amount_fen, costs_fen, claims);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    CheckInvariants(amount_fen, costs_fen, claims, *result);
    if (HasFailure()) {
      FAIL() << "round " << round;
    }
  }
}

}  // namespace
}  // namespace caseledger
