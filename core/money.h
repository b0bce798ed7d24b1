// Money (SPEC §1): exact integers of fen, the one amount syntax users write, and its printing.
#ifndef CASELEDGER_CORE_MONEY_H_
#define CASELEDGER_CORE_MONEY_H_

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caseledger {

// An exact amount of fen (0.01 yuan). Overflow throws, never wraps; public functions of core/
// catch it and return a status.
using Fen = boost::multiprecision::checked_int128_t;

// The largest amount a user may write: 15 digits of yuan and .99.
inline constexpr int64_t kAmountMaxFen = 99999999999999999;

enum class AmountKind {
  kPositive,     // money moved by a command: more than zero
  kZeroAllowed,  // claim, ordinary_interest, costs
};

// SPEC §1: text must match ^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$ ; kPositive also rejects zero.
// Errors are InvalidArgument "<path>: <what is wrong>", e.g.
//   receipt.amount: "1e3" is not an amount: it uses an exponent; write yuan as a decimal string
//   like "1234.56"
// naming the fault (exponent, sign, spaces, separators, full-width characters, more than two
// decimals, leading zero, empty, zero, too large) and echoing at most ~40 bytes of the input.
Result<Fen> ParseAmount(std::string_view text, std::string_view path, AmountKind kind);

// Exactly two decimals, '-' for negatives, no separators: 123456 -> "1234.56", 5 -> "0.05",
// -5 -> "-0.05". Any Fen value.
std::string FormatAmount(const Fen& fen);
// The same with thousands separators, for tables: 123456 -> "1,234.56".
std::string FormatAmountGrouped(const Fen& fen);
// A non-negative decimal string (digits, an optional point and decimals) with its whole part
// grouped by thousands, for tables: "7350.00015" -> "7,350.00015".
std::string GroupDecimal(std::string_view decimal);

// For storage in int64 fields: InvalidArgument "<what>: amount too large (...)" when out of range.
Result<int64_t> ToInt64(const Fen& fen, std::string_view what);

// numerator / denominator rounded half away from zero to an integer. The denominator must be more
// than zero (a programmer error otherwise: aborts).
Fen DivideRoundHalfUp(const Fen& numerator, const Fen& denominator);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_MONEY_H_
