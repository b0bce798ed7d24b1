// Proves that amounts parse only in SPEC §1's exact syntax, with messages naming each fault, and
// that fen print, convert and round exactly over the whole int128 range.
#include "core/money.h"

#include <gtest/gtest.h>

#include <string>

namespace caseledger {
namespace {

using boost::multiprecision::checked_int128_t;

Fen ParseOk(std::string_view text, AmountKind kind = AmountKind::kPositive) {
  Result<Fen> result = ParseAmount(text, "receipt.amount", kind);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? *result : Fen(-1);
}

// The message of a rejected amount; fails the test if it was accepted or not InvalidArgument.
std::string ParseError(std::string_view text, AmountKind kind = AmountKind::kPositive) {
  Result<Fen> result = ParseAmount(text, "receipt.amount", kind);
  EXPECT_FALSE(result.ok()) << text << " was accepted";
  EXPECT_EQ(result.status().code(), Code::kInvalidArgument) << text;
  return result.status().message();
}

// Rejected with a message that names the path and contains `fragment`.
::testing::AssertionResult Rejected(std::string_view text, std::string_view fragment,
                                    AmountKind kind = AmountKind::kPositive) {
  const std::string message = ParseError(text, kind);
  if (!message.starts_with("receipt.amount: ") || message.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << "message for \"" << text << "\" is: " << message;
  }
  return ::testing::AssertionSuccess();
}

TEST(ParseAmountTest, AcceptsTheSpecSyntax) {
  EXPECT_EQ(ParseOk("1234.56"), 123456);
  EXPECT_EQ(ParseOk("7"), 700);
  EXPECT_EQ(ParseOk("0.05"), 5);
  EXPECT_EQ(ParseOk("0.5"), 50);
  EXPECT_EQ(ParseOk("10.1"), 1010);
  EXPECT_EQ(ParseOk("100"), 10000);
  EXPECT_EQ(ParseOk("999999999999999.99"), kAmountMaxFen);
  EXPECT_EQ(ParseOk("999999999999999"), Fen(kAmountMaxFen) - 99);
}

TEST(ParseAmountTest, ZeroOnlyWhenAllowed) {
  EXPECT_EQ(ParseOk("0", AmountKind::kZeroAllowed), 0);
  EXPECT_EQ(ParseOk("0.00", AmountKind::kZeroAllowed), 0);
  EXPECT_EQ(ParseOk("0.0", AmountKind::kZeroAllowed), 0);
  EXPECT_TRUE(Rejected("0", "\"0\" must be more than zero"));
  EXPECT_TRUE(Rejected("0.00", "\"0.00\" must be more than zero"));
}

TEST(ParseAmountTest, RejectsExponents) {
  EXPECT_EQ(ParseError("1e3"),
            "receipt.amount: \"1e3\" is not an amount: it uses an exponent; write yuan as a "
            "decimal string like \"1234.56\"");
  EXPECT_TRUE(Rejected("1E3", "exponent"));
  EXPECT_TRUE(Rejected("1.5e-2", "exponent"));
}

TEST(ParseAmountTest, RejectsSigns) {
  EXPECT_TRUE(Rejected("-5", "minus sign; amounts are never negative"));
  EXPECT_TRUE(Rejected("+5", "plus sign"));
  EXPECT_TRUE(Rejected("－5", "minus sign"));
}

TEST(ParseAmountTest, RejectsSpaces) {
  EXPECT_TRUE(Rejected(" 5", "contains spaces"));
  EXPECT_TRUE(Rejected("5 ", "contains spaces"));
  EXPECT_TRUE(Rejected("1 000", "contains spaces"));
  EXPECT_TRUE(Rejected("5\t", "contains spaces"));
  EXPECT_TRUE(Rejected("5\u3000", "contains spaces"));  // ideographic space
  EXPECT_TRUE(Rejected("5\u00a0", "contains spaces"));  // no-break space
}

TEST(ParseAmountTest, RejectsSeparators) {
  EXPECT_TRUE(Rejected("1,000", "thousands separator"));
  EXPECT_TRUE(Rejected("1,000.00", "thousands separator"));
  EXPECT_TRUE(Rejected("1_000", "thousands separator"));
  EXPECT_TRUE(Rejected("1，000", "thousands separator"));
  EXPECT_TRUE(Rejected("1.000.000", "more than one decimal point"));
}

TEST(ParseAmountTest, RejectsFullWidthDigits) {
  EXPECT_TRUE(Rejected("０１", "full-width"));
  EXPECT_TRUE(Rejected("５．００", "full-width"));
  EXPECT_TRUE(Rejected("5。00", "full-width"));
}

TEST(ParseAmountTest, RejectsMoreThanTwoDecimals) {
  EXPECT_TRUE(Rejected("1.234", "has more than two decimals; amounts are never rounded"));
  EXPECT_TRUE(Rejected("0.001", "has more than two decimals; amounts are never rounded"));
  EXPECT_TRUE(Rejected("1.000", "has more than two decimals; amounts are never rounded"));
}

TEST(ParseAmountTest, RejectsLeadingZeros) {
  EXPECT_TRUE(Rejected("01", "leading zero"));
  EXPECT_TRUE(Rejected("00", "leading zero"));
  EXPECT_TRUE(Rejected("00.5", "leading zero"));
  EXPECT_TRUE(Rejected("01", "leading zero", AmountKind::kZeroAllowed));
}

TEST(ParseAmountTest, RejectsMissingDigits) {
  EXPECT_TRUE(Rejected("", "the amount is empty"));
  EXPECT_TRUE(Rejected(".5", "no digits before the decimal point"));
  EXPECT_TRUE(Rejected("5.", "no digits after the decimal point"));
  EXPECT_TRUE(Rejected(".", "no digits before the decimal point"));
}

TEST(ParseAmountTest, RejectsTooLarge) {
  EXPECT_TRUE(Rejected("1000000000000000", "is too large"));  // 16 digits of yuan
  EXPECT_TRUE(Rejected("1000000000000000.00", "is too large"));
  EXPECT_TRUE(Rejected("99999999999999999999999999999999999999999", "is too large"));
}

TEST(ParseAmountTest, RejectsOtherText) {
  EXPECT_TRUE(Rejected("NaN", "characters other than digits"));
  EXPECT_TRUE(Rejected("Infinity", "characters other than digits"));
  EXPECT_TRUE(Rejected("¥5", "characters other than digits"));
  EXPECT_TRUE(Rejected("5元", "characters other than digits"));
  EXPECT_TRUE(Rejected("0x10", "characters other than digits"));
}

TEST(ParseAmountTest, EchoesAtMostFortyBytesOfValidUtf8) {
  const std::string long_text = "1" + std::string(100, '2') + "x";
  const std::string message = ParseError(long_text);
  EXPECT_NE(message.find("\"1222222222222222222222222222222222222222…\""), std::string::npos)
      << message;
  EXPECT_EQ(message.find(std::string(41, '2')), std::string::npos) << message;

  const std::string invalid = ParseError("5\xff");
  EXPECT_NE(invalid.find("invalid text"), std::string::npos) << invalid;
  EXPECT_EQ(invalid.find('\xff'), std::string::npos);

  // A multi-byte character is never cut in half.
  const std::string chinese = ParseError(std::string(30, '1') + "一二三四五六");
  EXPECT_NE(chinese.find(std::string(30, '1') + "一二三…\""), std::string::npos) << chinese;
}

TEST(FormatAmountTest, TwoDecimalsAndMinus) {
  EXPECT_EQ(FormatAmount(123456), "1234.56");
  EXPECT_EQ(FormatAmount(5), "0.05");
  EXPECT_EQ(FormatAmount(50), "0.50");
  EXPECT_EQ(FormatAmount(0), "0.00");
  EXPECT_EQ(FormatAmount(100), "1.00");
  EXPECT_EQ(FormatAmount(-5), "-0.05");
  EXPECT_EQ(FormatAmount(-123456), "-1234.56");
  EXPECT_EQ(FormatAmount(kAmountMaxFen), "999999999999999.99");
}

TEST(FormatAmountTest, BeyondInt64) {
  const Fen big = Fen(std::numeric_limits<int64_t>::max()) * 100 + 7;
  EXPECT_EQ(FormatAmount(big), "9223372036854775807.07");
  EXPECT_EQ(FormatAmount(-big), "-9223372036854775807.07");
  const Fen max = std::numeric_limits<checked_int128_t>::max();
  EXPECT_EQ(FormatAmount(max), "3402823669209384634633746074317682114.55");
  EXPECT_EQ(FormatAmount(-max), "-3402823669209384634633746074317682114.55");
}

TEST(FormatAmountTest, Grouped) {
  EXPECT_EQ(FormatAmountGrouped(123456), "1,234.56");
  EXPECT_EQ(FormatAmountGrouped(12345), "123.45");
  EXPECT_EQ(FormatAmountGrouped(5), "0.05");
  EXPECT_EQ(FormatAmountGrouped(100000000), "1,000,000.00");
  EXPECT_EQ(FormatAmountGrouped(-123456789), "-1,234,567.89");
  EXPECT_EQ(FormatAmountGrouped(kAmountMaxFen), "999,999,999,999,999.99");
}

TEST(FormatAmountTest, RoundTripsWithParse) {
  for (const char* text : {"0.01", "0.10", "1.00", "1234.56", "999999999999999.99"}) {
    EXPECT_EQ(FormatAmount(ParseOk(text)), text);
  }
}

TEST(ToInt64Test, InRangeConverts) {
  Result<int64_t> value = ToInt64(Fen(-123456), "balance");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, -123456);
  Result<int64_t> max = ToInt64(Fen(std::numeric_limits<int64_t>::max()), "balance");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, std::numeric_limits<int64_t>::max());
  Result<int64_t> min = ToInt64(Fen(std::numeric_limits<int64_t>::min()), "balance");
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(*min, std::numeric_limits<int64_t>::min());
}

TEST(ToInt64Test, OutOfRangeFails) {
  const Fen over = Fen(std::numeric_limits<int64_t>::max()) + 1;
  Result<int64_t> high = ToInt64(over, "balance");
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.status().code(), Code::kInvalidArgument);
  EXPECT_NE(high.status().message().find("balance: amount too large"), std::string::npos)
      << high.status().message();
  const Fen under = Fen(std::numeric_limits<int64_t>::min()) - 1;
  EXPECT_FALSE(ToInt64(under, "balance").ok());
}

TEST(FenTest, OverflowThrowsInsteadOfWrapping) {
  const Fen max = std::numeric_limits<checked_int128_t>::max();
  EXPECT_THROW((void)(max + 1), std::overflow_error);
  EXPECT_THROW((void)(max * 2), std::overflow_error);
}

TEST(DivideRoundHalfUpTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(DivideRoundHalfUp(10, 4), 3);    // 2.5 -> 3
  EXPECT_EQ(DivideRoundHalfUp(9, 4), 2);     // 2.25 -> 2
  EXPECT_EQ(DivideRoundHalfUp(11, 4), 3);    // 2.75 -> 3
  EXPECT_EQ(DivideRoundHalfUp(-10, 4), -3);  // -2.5 -> -3
  EXPECT_EQ(DivideRoundHalfUp(-9, 4), -2);   // -2.25 -> -2
  EXPECT_EQ(DivideRoundHalfUp(8, 4), 2);
  EXPECT_EQ(DivideRoundHalfUp(0, 7), 0);
  EXPECT_EQ(DivideRoundHalfUp(1, 3), 0);  // 0.333...
  EXPECT_EQ(DivideRoundHalfUp(2, 3), 1);  // 0.666...
  EXPECT_EQ(DivideRoundHalfUp(499, 1000), 0);
  EXPECT_EQ(DivideRoundHalfUp(500, 1000), 1);
}

TEST(DivideRoundHalfUpTest, NoOverflowAtTheTopOfTheRange) {
  const Fen max = std::numeric_limits<checked_int128_t>::max();
  EXPECT_EQ(DivideRoundHalfUp(max, max), 1);
  EXPECT_EQ(DivideRoundHalfUp(max - 1, max), 1);  // just under 1
  EXPECT_EQ(DivideRoundHalfUp(max, 1), max);
  EXPECT_EQ(DivideRoundHalfUp(-max, 1), -max);
  EXPECT_EQ(DivideRoundHalfUp(max / 2, max), 0);      // just under a half
  EXPECT_EQ(DivideRoundHalfUp(max / 2 + 1, max), 1);  // just over a half
}

}  // namespace
}  // namespace caseledger
