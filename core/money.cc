#include "core/money.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "core/identifiers.h"

namespace caseledger {
namespace {

constexpr std::string_view kHowToWrite = "write yuan as a decimal string like \"1234.56\"";
// 15 digits of yuan: kAmountMaxFen.
constexpr size_t kYuanDigitsMax = 15;
constexpr size_t kDecimalsMax = 2;

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool IsSign(char32_t c) {
  return c == U'+' || c == U'-' || c == U'＋' || c == U'－' || c == U'−' || c == U'﹣';
}

bool IsMinus(char32_t c) { return c == U'-' || c == U'－' || c == U'−' || c == U'﹣'; }

bool IsSeparator(char32_t c) {
  return c == U',' || c == U'_' || c == U'\'' || c == U'，' || c == U'、' || c == U'٬' || c == U'’';
}

// Full-width digits and the full-width and ideographic full stops.
bool IsFullWidth(char32_t c) { return (c >= U'０' && c <= U'９') || c == U'．' || c == U'。'; }

template <typename Predicate>
bool Any(std::u32string_view code_points, Predicate predicate) {
  for (char32_t c : code_points) {
    if (predicate(c)) return true;
  }
  return false;
}

// "1e3", "1.5E+2": an exponent letter among characters that could otherwise be a number.
bool UsesExponent(std::u32string_view code_points) {
  if (!Any(code_points, [](char32_t c) { return c == U'e' || c == U'E'; })) return false;
  return !Any(code_points, [](char32_t c) {
    return !(IsAsciiDigit(c) || c == U'.' || IsSign(c) || c == U'e' || c == U'E');
  });
}

// What is wrong with the characters of an amount, most telling fault first; nullopt when there
// are only ASCII digits and points.
std::optional<std::string> CharacterFault(std::u32string_view code_points) {
  if (Any(code_points, IsWhitespaceCodePoint)) return "it contains spaces";
  if (UsesExponent(code_points)) return "it uses an exponent";
  if (Any(code_points, IsMinus)) return "it has a minus sign; amounts are never negative";
  if (Any(code_points, IsSign)) return "it has a plus sign";
  if (Any(code_points, IsSeparator)) {
    return "it has a thousands separator";
  }
  if (Any(code_points, IsFullWidth)) {
    return "it uses full-width digits or points";
  }
  if (Any(code_points, [](char32_t c) { return !IsAsciiDigit(c) && c != U'.'; })) {
    return "it contains characters other than digits and \".\"";
  }
  return std::nullopt;
}

// What is wrong with the shape of ASCII digits and points; nullopt when it is an amount of at
// most two decimals (its size is checked apart).
std::optional<std::string> ShapeFault(std::string_view yuan, std::optional<std::string_view> cents,
                                      std::string_view text) {
  if (text.find('.') != text.rfind('.')) return "it has more than one decimal point";
  if (yuan.empty()) return "it has no digits before the decimal point";
  if (cents.has_value() && cents->empty()) return "it has no digits after the decimal point";
  if (yuan.size() > 1 && yuan.front() == '0') return "it has a leading zero";
  if (cents.has_value() && cents->size() > kDecimalsMax) {
    return "it has more than two decimals; amounts are never rounded";
  }
  return std::nullopt;
}

int64_t DigitsValue(std::string_view digits) {
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::string GroupThousands(std::string_view digits) {
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string Format(const Fen& fen, bool grouped) {
  const bool negative = fen < 0;
  std::string digits = (negative ? Fen(-fen) : fen).str();
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  const std::string_view yuan = std::string_view(digits).substr(0, digits.size() - 2);
  const std::string_view cents = std::string_view(digits).substr(digits.size() - 2);
  return fmt::format("{}{}.{}", negative ? "-" : "", grouped ? GroupThousands(yuan) : yuan, cents);
}

}  // namespace

Result<Fen> ParseAmount(std::string_view text, std::string_view path, AmountKind kind) {
  auto not_an_amount = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("{}: {} is not an amount: {}; {}", path,
                                               QuoteForMessage(text), why, kHowToWrite));
  };
  if (text.empty()) {
    return Status::InvalidArgument(fmt::format("{}: the amount is empty; {}", path, kHowToWrite));
  }
  std::optional<std::u32string> code_points = DecodeUtf8(text);
  if (!code_points.has_value()) {
    return Status::InvalidArgument(
        fmt::format("{}: invalid text (not UTF-8) is not an amount; {}", path, kHowToWrite));
  }
  if (std::optional<std::string> fault = CharacterFault(*code_points)) return not_an_amount(*fault);
  // Only ASCII digits and points from here on.
  const size_t point = text.find('.');
  const std::string_view yuan = text.substr(0, point);
  std::optional<std::string_view> cents;
  if (point != text.npos) cents = text.substr(point + 1);
  if (std::optional<std::string> fault = ShapeFault(yuan, cents, text))
    return not_an_amount(*fault);
  if (yuan.size() > kYuanDigitsMax) {
    return Status::InvalidArgument(
        fmt::format("{}: {} is too large: an amount has at most 15 digits before the decimal point "
                    "(999999999999999.99)",
                    path, QuoteForMessage(text)));
  }
  std::string cent_digits(cents.value_or(""));
  cent_digits.resize(kDecimalsMax, '0');
  const int64_t fen = DigitsValue(yuan) * 100 + DigitsValue(cent_digits);
  if (kind == AmountKind::kPositive && fen == 0) {
    return Status::InvalidArgument(
        fmt::format("{}: {} must be more than zero", path, QuoteForMessage(text)));
  }
  return Fen(fen);
}

std::string FormatAmount(const Fen& fen) { return Format(fen, /*grouped=*/false); }

std::string FormatAmountGrouped(const Fen& fen) { return Format(fen, /*grouped=*/true); }

std::string GroupDecimal(std::string_view decimal) {
  const size_t point = std::min(decimal.find('.'), decimal.size());
  return GroupThousands(decimal.substr(0, point)) + std::string(decimal.substr(point));
}

Result<int64_t> ToInt64(const Fen& fen, std::string_view what) {
  if (fen > std::numeric_limits<int64_t>::max() || fen < std::numeric_limits<int64_t>::min()) {
    return Status::InvalidArgument(fmt::format(
        "{}: amount too large ({} is beyond what can be stored)", what, FormatAmount(fen)));
  }
  return fen.convert_to<int64_t>();
}

Fen DivideRoundHalfUp(const Fen& numerator, const Fen& denominator) {
  if (denominator <= 0) {
    // A programmer error: every divisor in the rules is a positive constant or total.
    std::fprintf(stderr, "DivideRoundHalfUp: denominator %s is not positive\n",
                 denominator.str().c_str());
    std::abort();
  }
  Fen quotient = numerator / denominator;  // truncated toward zero
  const Fen remainder = numerator % denominator;
  const Fen remainder_magnitude = remainder < 0 ? Fen(-remainder) : remainder;
  // Half or more of the denominator rounds away from zero; compared without doubling, which
  // could overflow near the top of the range.
  if (remainder_magnitude >= denominator - remainder_magnitude) {
    quotient += numerator < 0 ? -1 : 1;
  }
  return quotient;
}

}  // namespace caseledger
