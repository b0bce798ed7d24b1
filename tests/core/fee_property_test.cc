// Proves, over thousands of seeded random inputs, that fee(x) never decreases as x grows (also
// one fen either side of every bracket edge) and rises by at most one fen per fen, and that
// Split's shares sum exactly, never exceed a claim and stay within a fen of the exact pro rata.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/fee.h"
#include "core/money.h"
#include "core/split.h"

namespace caseledger {
namespace {

using boost::multiprecision::cpp_int;

constexpr uint64_t kSeed = 20240601;
constexpr int kRounds = 5000;

// The bracket edges of RULES §2 in fen: 10,000, 500,000, 5,000,000 and 10,000,000 yuan.
constexpr int64_t kEdgesFen[] = {1000000, 50000000, 500000000, 1000000000};

// An amount from 0 to kAmountMaxFen whose number of digits is itself uniform, so that every
// bracket (and the fen-sized amounts below the first) is drawn about as often as the others.
Fen RandomAmount(std::mt19937_64& random) {
  std::uniform_int_distribution<int> digits(1, 17);
  int64_t limit = 1;
  for (int i = digits(random); i > 0; --i) limit *= 10;
  std::uniform_int_distribution<int64_t> amount(0, std::min(limit - 1, kAmountMaxFen));
  return Fen(amount(random));
}

// fee(x) <= fee(x + 1 fen), and the step is at most one fen once x > 0 (no marginal rate is
// above 1.5%, so the exact fee rises by less than a fen and rounding adds at most one).
void ExpectStepAt(const Fen& x) {
  const Fen here = Fee(x), next = Fee(x + 1);
  EXPECT_LE(here, next) << "fee(" << x.str() << ") = " << here.str() << " > fee("
                        << Fen(x + 1).str() << ") = " << next.str();
  if (x > 0) {
    EXPECT_LE(next - here, Fen(1)) << "at " << x.str();
  }
}

TEST(FeePropertyTest, FeeNeverDecreasesAcrossRandomAmounts) {
  std::mt19937_64 random(kSeed);
  std::vector<Fen> amounts;
  for (int round = 0; round < kRounds; ++round) amounts.push_back(RandomAmount(random));
  std::sort(amounts.begin(), amounts.end());
  Fen previous_fee = -1;
  for (const Fen& amount : amounts) {
    const Fen fee = Fee(amount);
    EXPECT_GE(fee, previous_fee) << "at " << amount.str();
    EXPECT_GE(fee, Fen(0));
    previous_fee = fee;
    ExpectStepAt(amount);
    if (HasFailure()) FAIL() << "amount " << amount.str();
  }
}

TEST(FeePropertyTest, FeeNeverDecreasesAroundEveryBracketEdge) {
  ExpectStepAt(Fen(0));  // 0 → 0.01: from no fee to the flat 50.00
  EXPECT_EQ(Fee(Fen(1)), Fen(5000));
  for (const int64_t edge : kEdgesFen) {
    SCOPED_TRACE(edge);
    for (int64_t x = edge - 3; x <= edge + 3; ++x) ExpectStepAt(Fen(x));
    EXPECT_LE(Fee(Fen(edge - 1)), Fee(Fen(edge)));
    EXPECT_LE(Fee(Fen(edge)), Fee(Fen(edge + 1)));
  }
  // And around random points, one fen apart.
  std::mt19937_64 random(kSeed + 1);
  for (int round = 0; round < kRounds; ++round) {
    ExpectStepAt(RandomAmount(random));
    if (HasFailure()) FAIL() << "round " << round;
  }
}

// Shares of a random split: sum exact, each within 0..claim, surplus only when every rank is
// paid in full, at most one rank paid in part, and each pro rata share within a fen of
// left × claim ÷ rank total.
void CheckSplit(const Fen& amount_fen, const Fen& costs_fen, const std::vector<SplitClaim>& claims,
                const SplitResult& result) {
  ASSERT_EQ(result.shares.size(), claims.size());
  EXPECT_EQ(result.amount_fen, amount_fen);
  EXPECT_EQ(result.costs_fen, costs_fen);
  EXPECT_GE(result.surplus_fen, Fen(0));
  Fen sum = 0;
  std::map<int, Fen> claimed_by_rank, paid_by_rank;
  for (size_t i = 0; i < claims.size(); ++i) {
    const SplitShare& share = result.shares[i];
    EXPECT_EQ(share.party_id, claims[i].party_id);  // input order
    EXPECT_EQ(share.rank, claims[i].rank);
    EXPECT_EQ(share.claim_fen, claims[i].claim_fen);
    EXPECT_GE(share.share_fen, Fen(0)) << share.party_id;
    EXPECT_LE(share.share_fen, share.claim_fen) << share.party_id;
    sum += share.share_fen;
    claimed_by_rank[share.rank] += share.claim_fen;
    paid_by_rank[share.rank] += share.share_fen;
  }
  EXPECT_EQ(sum + result.surplus_fen + costs_fen, amount_fen);
  // Ranks in order: full, full, ..., at most one partial, then nothing.
  Fen left = amount_fen - costs_fen;
  bool short_rank_seen = false;
  for (const auto& [rank, claimed] : claimed_by_rank) {
    const Fen paid = paid_by_rank[rank];
    if (short_rank_seen) {
      EXPECT_EQ(paid, Fen(0)) << "rank " << rank << " after a rank paid in part";
      continue;
    }
    if (claimed <= left) {
      EXPECT_EQ(paid, claimed) << "rank " << rank << " fits but is not paid in full";
      left -= claimed;
      continue;
    }
    short_rank_seen = true;
    EXPECT_EQ(paid, left) << "rank " << rank << " does not share all that is left";
    for (const SplitShare& share : result.shares) {
      if (share.rank != rank) continue;
      // |share × total − left × claim| < total: within a fen of the exact share.
      const cpp_int exact = cpp_int(left) * cpp_int(share.claim_fen);
      const cpp_int given = cpp_int(share.share_fen) * cpp_int(claimed);
      const cpp_int gap = given > exact ? given - exact : exact - given;
      EXPECT_LT(gap, cpp_int(claimed)) << share.party_id;
    }
    left = 0;
  }
  EXPECT_EQ(result.surplus_fen, short_rank_seen ? Fen(0) : left);
}

TEST(FeePropertyTest, SplitSharesSumExactlyAndNeverExceedAClaim) {
  std::mt19937_64 random(kSeed + 2);
  std::uniform_int_distribution<int> count(1, 20);
  std::uniform_int_distribution<int> rank(0, 3);
  std::uniform_int_distribution<int> zero_claim(0, 9);
  for (int round = 0; round < kRounds; ++round) {
    std::vector<SplitClaim> claims;
    const int n = count(random);
    for (int i = 0; i < n; ++i) {
      const Fen claim = zero_claim(random) == 0 ? Fen(0) : RandomAmount(random);
      claims.push_back({"p" + std::to_string(i), claim, rank(random)});
    }
    const Fen amount_fen = RandomAmount(random);
    std::uniform_int_distribution<int64_t> costs(0, static_cast<int64_t>(amount_fen));
    const Fen costs_fen = round % 4 == 0 ? Fen(0) : Fen(costs(random));
    Result<SplitResult> result = Split(amount_fen, costs_fen, claims);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    CheckSplit(amount_fen, costs_fen, claims, *result);
    if (HasFailure()) FAIL() << "round " << round;
  }
}

TEST(FeePropertyTest, SplitOfEqualClaimsDiffersByAtMostOneFenEarliestFirst) {
  std::mt19937_64 random(kSeed + 3);
  std::uniform_int_distribution<int> count(2, 30);
  for (int round = 0; round < kRounds; ++round) {
    const int n = count(random);
    const Fen claim = RandomAmount(random) + 1;
    std::vector<SplitClaim> claims;
    for (int i = 0; i < n; ++i) claims.push_back({"p" + std::to_string(i), claim, 1});
    std::uniform_int_distribution<int64_t> amount(0, static_cast<int64_t>(claim * n));
    const Fen amount_fen = Fen(amount(random));
    Result<SplitResult> result = Split(amount_fen, Fen(0), claims);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    CheckSplit(amount_fen, Fen(0), claims, *result);
    // Equal remainders: the fen left over go to the earliest claims, so shares never increase
    // along the input and differ by at most one fen.
    for (int i = 1; i < n; ++i) {
      EXPECT_LE(result->shares[i].share_fen, result->shares[i - 1].share_fen);
    }
    EXPECT_LE(result->shares.front().share_fen - result->shares.back().share_fen, Fen(1));
    if (HasFailure()) FAIL() << "round " << round;
  }
}

}  // namespace
}  // namespace caseledger
