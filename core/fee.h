// The statutory enforcement fee (RULES §2, SPEC §7 Fee) and its working for `calc fee`.
#ifndef CASELEDGER_CORE_FEE_H_
#define CASELEDGER_CORE_FEE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/money.h"

namespace caseledger {

// One bracket of RULES §2 that an amount reaches.
struct FeeBracket {
  Fen from_fen;                // where the bracket starts (exclusive, except 0)
  std::optional<Fen> to_fen;   // where it ends (inclusive); nullopt for the top bracket
  std::string rate;            // "0.015", "0.01", "0.005", "0.001"; "" for the flat first bracket
  int64_t rate_per_mille = 0;  // the same in thousandths (15 for 1.5%); 0 for the flat bracket
  std::string part;            // this bracket's exact share of the fee in yuan, with at least two
                               // decimals and as many more as it needs: "50.00", "0.00015"
};

struct FeeWorking {
  Fen amount_fen;
  Fen fee_fen;                       // the sum of the parts, rounded once half up to the fen
  std::vector<FeeBracket> brackets;  // the brackets with a part above zero, lowest first
};

// fee(X) for X > 0: 50 flat for the first 10,000 yuan (any X > 0 reaches it), then 1.5%, 1%,
// 0.5% and 0.1% on the parts of X in the higher brackets; the exact sum is rounded once, half up,
// to the fen. fee(0) = 0 with no brackets (a case with no money amount is charged an explicit
// amount). A negative amount is treated as 0. Never throws: the fee is less than the amount for
// every amount above 50 yuan, so it always fits.
FeeWorking ComputeFee(const Fen& amount_fen);
Fen Fee(const Fen& amount_fen);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_FEE_H_
