// Splitting money among claims (RULES §4, SPEC §7 Split): costs first, then ranks in order, the
// first rank that does not fit sharing pro rata by the largest-remainder method.
#ifndef CASELEDGER_CORE_SPLIT_H_
#define CASELEDGER_CORE_SPLIT_H_

#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace caseledger {

// Ranks run from 0 (paid first, e.g. priority claims) to this; ordinary claims are rank 1.
inline constexpr int kSplitRankMax = 1000;

struct SplitClaim {
  std::string party_id;
  Fen claim_fen;
  int rank = 1;
};

struct SplitShare {
  std::string party_id;
  int rank;
  Fen claim_fen;
  Fen share_fen;
};

struct SplitResult {
  Fen amount_fen;
  Fen costs_fen;
  Fen surplus_fen;
  std::vector<SplitShare> shares;  // in input order
};

// Costs first (costs > amount → InvalidArgument "costs 5.00 exceed the amount 3.00"); then ranks
// ascending: a rank whose claims fit in what is left is paid in full; the first rank that does
// not fit shares what is left pro rata: each share = floor(left × claim ÷ rank total) fen, and
// the fen left over go one each to the largest fractional remainders, ties to the earlier claim
// in the input; later ranks get 0. Surplus = what is left when every rank is paid in full.
// Shares always sum exactly to amount − costs − surplus, and none exceeds its claim. Claims of 0
// are allowed (share 0). InvalidArgument: a rank outside 0..kSplitRankMax, a negative amount,
// costs or claim, a duplicate party_id, more than kRepeatedItemsMax claims. No claims: everything
// left after costs is surplus. Exact at any size of Fen (products are taken unbounded).
Result<SplitResult> Split(const Fen& amount_fen, const Fen& costs_fen,
                          const std::vector<SplitClaim>& claims);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_SPLIT_H_
