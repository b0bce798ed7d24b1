#include "core/split.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

#include "core/limits.h"

namespace caseledger {
namespace {

using boost::multiprecision::cpp_int;

Status CheckInput(const Fen& amount_fen, const Fen& costs_fen,
                  const std::vector<SplitClaim>& claims) {
  if (amount_fen < 0) return Status::InvalidArgument("amount must not be negative");
  if (costs_fen < 0) return Status::InvalidArgument("costs must not be negative");
  if (costs_fen > amount_fen) {
    return Status::InvalidArgument("costs " + FormatAmount(costs_fen) + " exceed the amount " +
                                   FormatAmount(amount_fen));
  }
  if (claims.size() > kRepeatedItemsMax) {
    return Status::InvalidArgument("more than " + std::to_string(kRepeatedItemsMax) + " claims");
  }
  std::set<std::string_view> party_ids;
  for (const SplitClaim& claim : claims) {
    if (claim.rank < 0 || claim.rank > kSplitRankMax) {
      return Status::InvalidArgument("party " + claim.party_id + ": rank " +
                                     std::to_string(claim.rank) + " is outside 0.." +
                                     std::to_string(kSplitRankMax));
    }
    if (claim.claim_fen < 0) {
      return Status::InvalidArgument("party " + claim.party_id + ": claim must not be negative");
    }
    if (!party_ids.insert(claim.party_id).second) {
      return Status::InvalidArgument("duplicate party_id \"" + claim.party_id + "\"");
    }
  }
  return Status::Ok();
}

// Shares `left` (< the rank total) among the claims at `members` (input indices, ascending) by
// the largest-remainder method, writing them into `shares`.
void ShareProRata(const cpp_int& left, const cpp_int& total, const std::vector<size_t>& members,
                  const std::vector<SplitClaim>& claims, std::vector<SplitShare>& shares) {
  std::vector<cpp_int> remainders(claims.size());
  cpp_int given = 0;
  for (size_t i : members) {
    const cpp_int exact_numerator = left * cpp_int(claims[i].claim_fen);
    const cpp_int share = exact_numerator / total;  // floor: both are non-negative
    remainders[i] = exact_numerator % total;
    shares[i].share_fen = Fen(share);
    given += share;
  }
  // Fewer fen are left over than there are claims with a remainder above 0 (the remainders sum
  // to total × left-over, each below total), so a claim of 0 never gets one.
  std::vector<size_t> order = members;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  const cpp_int left_over = left - given;
  for (size_t k = 0; k < order.size() && cpp_int(k) < left_over; ++k) {
    shares[order[k]].share_fen += 1;
  }
}

// Pays the ranks in order; returns the surplus. Throws std::overflow_error only if a result
// does not fit Fen, which valid input cannot cause (every share is at most its claim).
Fen PayRanks(const Fen& left_fen, const std::vector<SplitClaim>& claims,
             std::vector<SplitShare>& shares) {
  std::map<int, std::vector<size_t>> ranks;  // rank -> input indices, ascending
  for (size_t i = 0; i < claims.size(); ++i) ranks[claims[i].rank].push_back(i);
  cpp_int left(left_fen);
  for (const auto& [rank, members] : ranks) {
    cpp_int total = 0;
    for (size_t i : members) total += cpp_int(claims[i].claim_fen);
    if (total <= left) {
      for (size_t i : members) shares[i].share_fen = claims[i].claim_fen;
      left -= total;
      continue;
    }
    ShareProRata(left, total, members, claims, shares);
    return 0;  // later ranks keep their 0
  }
  return Fen(left);
}

// The money invariants of SPEC §7 Split, checked in every build: a failure is a bug here, never
// bad input, so it stops the program rather than let an inexact split reach the ledger.
void CheckShares(const SplitResult& result) {
  Fen sum = result.surplus_fen;
  for (const SplitShare& share : result.shares) {
    if (share.share_fen < 0 || share.share_fen > share.claim_fen) {
      std::fprintf(stderr, "Split: share %s of party %s is outside 0..its claim %s\n",
                   share.share_fen.str().c_str(), share.party_id.c_str(),
                   share.claim_fen.str().c_str());
      std::abort();
    }
    sum += share.share_fen;
  }
  if (sum != result.amount_fen - result.costs_fen) {
    std::fprintf(stderr, "Split: shares and surplus sum to %s, not %s\n", sum.str().c_str(),
                 Fen(result.amount_fen - result.costs_fen).str().c_str());
    std::abort();
  }
}

}  // namespace

Result<SplitResult> Split(const Fen& amount_fen, const Fen& costs_fen,
                          const std::vector<SplitClaim>& claims) {
  CASELEDGER_RETURN_IF_ERROR(CheckInput(amount_fen, costs_fen, claims));
  try {
    SplitResult result{amount_fen, costs_fen, Fen(0), {}};
    result.shares.reserve(claims.size());
    for (const SplitClaim& claim : claims) {
      result.shares.push_back({claim.party_id, claim.rank, claim.claim_fen, Fen(0)});
    }
    result.surplus_fen = PayRanks(amount_fen - costs_fen, claims, result.shares);
    CheckShares(result);
    return result;
  } catch (const std::overflow_error&) {
    return Status::InvalidArgument("split: amount too large");
  } catch (const std::range_error&) {
    return Status::InvalidArgument("split: amount too large");
  }
}

}  // namespace caseledger
