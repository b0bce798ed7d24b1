// Amount strings (SPEC §1): ParseAmount accepts exactly the SPEC's syntax, and an amount that
// parses formats back to its canonical text and parses again to the same fen.
#include <string>
#include <string_view>

#include "core/identifiers.h"
#include "core/money.h"
#include "tests/fuzz/fuzz.h"

namespace caseledger {
namespace {

// A message echoes at most kMessageEchoBytesMax bytes of the input, each escaped to at most six
// ("\u0000"), beside a fixed text: bounded whatever the input's length.
constexpr size_t kMessageBytesMax = 6 * kMessageEchoBytesMax + 300;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// SPEC §1 written out by hand: ^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$
bool MatchesSpec(std::string_view text) {
  const size_t point = text.find('.');
  const std::string_view yuan = text.substr(0, point);
  if (yuan.empty() || yuan.size() > 15) return false;
  if (yuan.size() > 1 && yuan.front() == '0') return false;
  for (char c : yuan) {
    if (!IsDigit(c)) return false;
  }
  if (point == std::string_view::npos) return true;
  const std::string_view cents = text.substr(point + 1);
  if (cents.empty() || cents.size() > 2) return false;
  for (char c : cents) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The text FormatAmount gives for an amount written as `text`: always two decimals.
std::string Canonical(std::string_view text) {
  const size_t point = text.find('.');
  if (point == std::string_view::npos) return std::string(text) + ".00";
  return std::string(text) + std::string(2 - (text.size() - point - 1), '0');
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  const std::string_view text = fuzz::AsText(data, size);
  const Result<Fen> any = ParseAmount(text, "amount", AmountKind::kZeroAllowed);
  const Result<Fen> positive = ParseAmount(text, "amount", AmountKind::kPositive);
  FUZZ_REQUIRE(any.ok() == MatchesSpec(text));
  if (!any.ok()) {
    FUZZ_REQUIRE(!positive.ok());
    // Messages are shown and put in JSON: always UTF-8, and never the whole of a long input.
    FUZZ_REQUIRE(IsValidUtf8(any.status().message()));
    FUZZ_REQUIRE(any.status().message().size() <= kMessageBytesMax);
    return 0;
  }
  const Fen fen = any.value();
  FUZZ_REQUIRE(fen >= 0 && fen <= kAmountMaxFen);
  FUZZ_REQUIRE(positive.ok() == (fen > 0));
  const std::string formatted = FormatAmount(fen);
  FUZZ_REQUIRE(formatted == Canonical(text));
  const Result<Fen> again = ParseAmount(formatted, "amount", AmountKind::kZeroAllowed);
  FUZZ_REQUIRE(again.ok() && again.value() == fen);
  std::string ungrouped = FormatAmountGrouped(fen);
  std::erase(ungrouped, ',');
  FUZZ_REQUIRE(ungrouped == formatted);
  FUZZ_REQUIRE(ToInt64(fen, "amount").ok());
  return 0;
}
