#include "core/fee.h"

#include <array>
#include <cstdint>

namespace caseledger {
namespace {

using boost::multiprecision::cpp_int;

// The parts are exact in units of 1/1000 fen (1/100000 yuan): every rate is a whole number of
// thousandths. Unbounded cpp_int, so no amount can overflow while the parts are summed.
constexpr int64_t kMilliFenPerFen = 1000;
constexpr int kYuanDecimals = 5;  // digits of a milli-fen amount written in yuan

struct BracketRule {
  int64_t from_fen;
  std::optional<int64_t> to_fen;
  int64_t per_mille;  // the rate in thousandths; 0 for the flat bracket
  const char* rate;
};

constexpr int64_t kFlatFeeFen = 5000;  // 50 yuan for the first 10,000 yuan
constexpr std::array<BracketRule, 5> kBrackets = {{
    {0, 1000000, 0, ""},                     // up to 10,000 yuan: 50 flat
    {1000000, 50000000, 15, "0.015"},        // 10,000 - 500,000: 1.5%
    {50000000, 500000000, 10, "0.01"},       // 500,000 - 5,000,000: 1%
    {500000000, 1000000000, 5, "0.005"},     // 5,000,000 - 10,000,000: 0.5%
    {1000000000, std::nullopt, 1, "0.001"},  // above 10,000,000: 0.1%
}};

// A milli-fen amount in yuan: at least two decimals, up to five, no trailing zeros past two.
std::string FormatMilliFen(const cpp_int& milli_fen) {
  std::string digits = milli_fen.str();
  if (digits.size() <= kYuanDecimals) digits.insert(0, kYuanDecimals + 1 - digits.size(), '0');
  std::string yuan = digits.substr(0, digits.size() - kYuanDecimals);
  std::string decimals = digits.substr(digits.size() - kYuanDecimals);
  while (decimals.size() > 2 && decimals.back() == '0') decimals.pop_back();
  return yuan + "." + decimals;
}

// The milli-fen that a bracket contributes to the fee on amount_fen (> 0); 0 if not reached.
cpp_int BracketPart(const BracketRule& rule, const cpp_int& amount_fen) {
  if (rule.per_mille == 0) return cpp_int(kFlatFeeFen) * kMilliFenPerFen;
  if (amount_fen <= rule.from_fen) return 0;
  cpp_int top = amount_fen;
  if (rule.to_fen.has_value() && top > *rule.to_fen) top = *rule.to_fen;
  return (top - rule.from_fen) * rule.per_mille;
}

}  // namespace

FeeWorking ComputeFee(const Fen& amount_fen) {
  FeeWorking working{amount_fen, Fen(0), {}};
  if (amount_fen <= 0) return working;
  const cpp_int amount(amount_fen);
  cpp_int total_milli_fen = 0;
  for (const BracketRule& rule : kBrackets) {
    const cpp_int part = BracketPart(rule, amount);
    if (part == 0) continue;
    total_milli_fen += part;
    std::optional<Fen> to_fen;
    if (rule.to_fen.has_value()) to_fen = Fen(*rule.to_fen);
    working.brackets.push_back(
        {Fen(rule.from_fen), to_fen, rule.rate, rule.per_mille, FormatMilliFen(part)});
  }
  // Rounded once, half up (the total is positive, so half up is half away from zero).
  cpp_int fee_fen = total_milli_fen / kMilliFenPerFen;
  if ((total_milli_fen % kMilliFenPerFen) * 2 >= kMilliFenPerFen) ++fee_fen;
  working.fee_fen = Fen(fee_fen);
  return working;
}

Fen Fee(const Fen& amount_fen) { return ComputeFee(amount_fen).fee_fen; }

}  // namespace caseledger
