// Proves that the enforcement fee follows RULES §2 bracket by bracket, exactly, rounded once half
// up to the fen, and that its working lists each bracket's exact part (SPEC §7 Fee).
#include "core/fee.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace caseledger {
namespace {

using boost::multiprecision::cpp_int;

constexpr int64_t kFenPerYuan = 100;

Fen Yuan(int64_t yuan) { return Fen(yuan) * kFenPerYuan; }

std::vector<std::string> Parts(const FeeWorking& working) {
  std::vector<std::string> parts;
  for (const FeeBracket& bracket : working.brackets) parts.push_back(bracket.part);
  return parts;
}

TEST(FeeTest, ZeroHasNoFeeAndNoBrackets) {
  const FeeWorking working = ComputeFee(0);
  EXPECT_EQ(working.amount_fen, 0);
  EXPECT_EQ(working.fee_fen, 0);
  EXPECT_TRUE(working.brackets.empty());
  EXPECT_EQ(Fee(-100), 0);  // never asked for, but never a negative fee
}

TEST(FeeTest, AnyPositiveAmountPaysTheFlatFifty) {
  // 0.01 yuan reaches the first bracket: 50 flat.
  const FeeWorking working = ComputeFee(1);
  EXPECT_EQ(working.fee_fen, Yuan(50));
  ASSERT_EQ(working.brackets.size(), 1u);
  EXPECT_EQ(working.brackets[0].from_fen, 0);
  ASSERT_TRUE(working.brackets[0].to_fen.has_value());
  EXPECT_EQ(*working.brackets[0].to_fen, Yuan(10000));
  EXPECT_EQ(working.brackets[0].rate, "");
  EXPECT_EQ(working.brackets[0].part, "50.00");
  // 10,000: still only the flat 50.
  EXPECT_EQ(Fee(Yuan(10000)), Yuan(50));
  EXPECT_EQ(ComputeFee(Yuan(10000)).brackets.size(), 1u);
}

TEST(FeeTest, JustAboveTheFirstBracketRoundsOnce) {
  // 10,000.01: 50 + 0.01 x 0.015 = 50 + 0.00015 = 50.00015 -> 50.00.
  const FeeWorking working = ComputeFee(Yuan(10000) + 1);
  EXPECT_EQ(working.fee_fen, Yuan(50));
  EXPECT_EQ(Parts(working), (std::vector<std::string>{"50.00", "0.00015"}));
  EXPECT_EQ(working.brackets[1].rate, "0.015");
  EXPECT_EQ(working.brackets[1].from_fen, Yuan(10000));
  EXPECT_EQ(*working.brackets[1].to_fen, Yuan(500000));
}

TEST(FeeTest, HalfAFenRoundsUp) {
  // 10,001.00: 50 + 1.00 x 0.015 = 50.015 -> 50.02 (exactly half a fen: up).
  EXPECT_EQ(Fee(Yuan(10001)), 5002);
  // 10,000.99: 50 + 0.99 x 0.015 = 50.01485 -> 50.01.
  EXPECT_EQ(Fee(Yuan(10000) + 99), 5001);
  // 10,000.34: 50 + 0.34 x 0.015 = 50.0051 -> 50.01.
  EXPECT_EQ(Fee(Yuan(10000) + 34), 5001);
  // 10,000.33: 50 + 0.33 x 0.015 = 50.00495 -> 50.00.
  EXPECT_EQ(Fee(Yuan(10000) + 33), 5000);
}

TEST(FeeTest, SecondBracket) {
  // 20,000: 50 + (20,000 - 10,000) x 0.015 = 50 + 150 = 200.
  const FeeWorking working = ComputeFee(Yuan(20000));
  EXPECT_EQ(working.fee_fen, Yuan(200));
  EXPECT_EQ(Parts(working), (std::vector<std::string>{"50.00", "150.00"}));
}

TEST(FeeTest, StatutoryCheckpoints) {
  // 500,000: 50 + 490,000 x 0.015 = 50 + 7,350 = 7,400.
  const FeeWorking half_million = ComputeFee(Yuan(500000));
  EXPECT_EQ(half_million.fee_fen, Yuan(7400));
  EXPECT_EQ(Parts(half_million), (std::vector<std::string>{"50.00", "7350.00"}));
  // 5,000,000: 7,400 + 4,500,000 x 0.01 = 7,400 + 45,000 = 52,400.
  const FeeWorking five_million = ComputeFee(Yuan(5000000));
  EXPECT_EQ(five_million.fee_fen, Yuan(52400));
  EXPECT_EQ(Parts(five_million), (std::vector<std::string>{"50.00", "7350.00", "45000.00"}));
  EXPECT_EQ(five_million.brackets[2].rate, "0.01");
  // 10,000,000: 52,400 + 5,000,000 x 0.005 = 52,400 + 25,000 = 77,400.
  const FeeWorking ten_million = ComputeFee(Yuan(10000000));
  EXPECT_EQ(ten_million.fee_fen, Yuan(77400));
  EXPECT_EQ(Parts(ten_million),
            (std::vector<std::string>{"50.00", "7350.00", "45000.00", "25000.00"}));
  EXPECT_EQ(ten_million.brackets[3].rate, "0.005");
}

TEST(FeeTest, TopBracket) {
  // 12,345,678.90: 77,400 + 2,345,678.90 x 0.001 = 77,400 + 2,345.6789 = 79,745.6789
  // -> 79,745.68.
  const FeeWorking working = ComputeFee(Fen(1234567890));
  EXPECT_EQ(working.fee_fen, Fen(7974568));
  EXPECT_EQ(Parts(working),
            (std::vector<std::string>{"50.00", "7350.00", "45000.00", "25000.00", "2345.6789"}));
  EXPECT_EQ(working.brackets[4].rate, "0.001");
  EXPECT_EQ(working.brackets[4].from_fen, Yuan(10000000));
  EXPECT_FALSE(working.brackets[4].to_fen.has_value());
  // 10,000,000.01: 77,400 + 0.01 x 0.001 = 77,400.00001 -> 77,400.00.
  const FeeWorking just_over = ComputeFee(Yuan(10000000) + 1);
  EXPECT_EQ(just_over.fee_fen, Yuan(77400));
  EXPECT_EQ(just_over.brackets.back().part, "0.00001");
}

TEST(FeeTest, LargestUserAmount) {
  // 999,999,999,999,999.99: 77,400 + 999,999,989,999,999.99 x 0.001
  // = 77,400 + 999,999,989,999.99999 = 1,000,000,067,399.99999 -> 1,000,000,067,400.00.
  EXPECT_EQ(Fee(kAmountMaxFen), Fen(100000006740000));
  EXPECT_EQ(ComputeFee(kAmountMaxFen).brackets.back().part, "999999989999.99999");
}

TEST(FeeTest, BeyondInt64DoesNotOverflow) {
  // The top of the Fen range: the parts are summed unbounded and the fee is far below the amount.
  const Fen max = std::numeric_limits<boost::multiprecision::checked_int128_t>::max();
  const Fen fee = Fee(max);
  // Closed form above 10,000,000 yuan: 0.001 X + 67,400, in milli-fen X_fen + 6,740,000,000.
  const cpp_int milli_fen = cpp_int(max) + 6740000000;
  cpp_int expected = milli_fen / 1000;
  if (milli_fen % 1000 >= 500) ++expected;
  EXPECT_EQ(cpp_int(fee), expected);
}

// The closed forms of RULES §2, in milli-fen (1/1000 fen) so that they are exact:
// 0.015 X - 100, 0.01 X + 2,400, 0.005 X + 27,400, 0.001 X + 67,400 (X in yuan).
cpp_int ClosedFormMilliFen(int64_t amount_fen) {
  constexpr int64_t kMilliFenPerYuan = 100000;
  if (amount_fen <= 1000000) return cpp_int(50) * kMilliFenPerYuan;
  if (amount_fen <= 50000000) return cpp_int(15) * amount_fen - 100 * kMilliFenPerYuan;
  if (amount_fen <= 500000000) return cpp_int(10) * amount_fen + 2400 * kMilliFenPerYuan;
  if (amount_fen <= 1000000000) return cpp_int(5) * amount_fen + 27400 * kMilliFenPerYuan;
  return cpp_int(amount_fen) + 67400 * kMilliFenPerYuan;
}

TEST(FeeTest, AgreesWithTheClosedFormsEverywhere) {
  // A deterministic spread of amounts from 0.01 to about 20,000,000 yuan, plus each boundary.
  std::vector<int64_t> amounts = {1,         999999,     1000000,    1000001,   49999999,
                                  50000000,  50000001,   499999999,  500000000, 500000001,
                                  999999999, 1000000000, 1000000001, 2000000000};
  uint64_t state = 20240305;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005u + 1442695040888963407u;  // Knuth's MMIX LCG
    amounts.push_back(static_cast<int64_t>((state >> 33) % 2000000000) + 1);
  }
  for (int64_t amount : amounts) {
    const cpp_int exact = ClosedFormMilliFen(amount);
    cpp_int expected = exact / 1000;
    if (exact % 1000 >= 500) ++expected;
    ASSERT_EQ(cpp_int(Fee(Fen(amount))), expected) << "amount_fen " << amount;
  }
}

}  // namespace
}  // namespace caseledger
