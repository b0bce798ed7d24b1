// Internal to bench/: the people and bodies of a case, invented from (seed, case index): names,
// resident IDs (GB 11643) and credit codes (GB 32100) that pass the engine's checks, accounts,
// the judge, and who pays or is paid outside the case's parties.
#ifndef CASELEDGER_BENCH_PARTIES_H_
#define CASELEDGER_BENCH_PARTIES_H_

#include <cstdint>
#include <string>

#include "bench/plans.h"

namespace caseledger::bench {

// A party of a case as open_case names it.
struct Party {
  std::string party_id;
  std::string name;
  std::string kind;  // "" for a person
  std::string id_type, id_number;
  std::string account;  // creditors only
};

// Creditor `c` and debtor `n` of the case, by the kinds its plan chose.
Party CreditorOf(uint64_t seed, const CasePlan& p, int c);
Party DebtorOf(uint64_t seed, const CasePlan& p, int n);
// Who pays the money of receipt step `s`: the first debtor, or the buyer at an auction, or a
// guarantor.
std::string Payer(uint64_t seed, const CasePlan& p, const Step& s);
// The judge's name as the case records it.
std::string JudgeName(uint64_t seed, const CasePlan& p);
// The auction house paid the costs of a sale.
std::string AuctionHouse(uint64_t seed, const CasePlan& p);
// The payer of the case's stray receipt (money that names no case and is no case's).
std::string StrayPayer(uint64_t seed, const CasePlan& p);

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_PARTIES_H_
