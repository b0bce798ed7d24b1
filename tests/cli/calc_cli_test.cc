// Proves through the real binary that calc fee, calc interest and calc split print the exact
// statutory figures of SPEC §7 in the JSON shapes of §8 (and tables in Chinese or English),
// that malformed values are usage errors, that `rules` shows the rules in force on a date, and
// that a case's lifecycle (suspend, extend, close, restore) shows in `case --json` with
// hand-worked deadline and delay interest.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorCode;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;

constexpr const char* kCase = "(2024)甘0102执1234号";
constexpr const char* kRestored = "(2024)甘0102执恢88号";

const std::regex kTwoDecimals("^(0|[1-9][0-9]*)\\.[0-9]{2}$");

std::string Joined(const std::vector<std::string>& args) {
  std::string joined;
  for (const auto& arg : args) joined += arg + " ";
  return joined;
}

class CalcCliTest : public CliFixture {
 protected:
  // A run that must succeed with exactly one JSON document on stdout.
  json::Value RunJson(const std::vector<std::string>& args) {
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << Joined(args) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << Joined(args) << run.out;
    return ParseJson(run.out);
  }

  // A usage error: exit 2, nothing on stdout, "caseledger: ..." naming `fragment` on stderr.
  // Exit 2, nothing on stdout, and a message on stderr that contains `fragment`.
  ::testing::AssertionResult UsageError(const std::vector<std::string>& args,
                                        const std::string& fragment) {
    const CliRun run = Run(args);
    if (run.exit_code != 2) {
      return ::testing::AssertionFailure() << Joined(args) << ": exit " << run.exit_code << "\n"
                                           << run.out << run.err;
    }
    if (!run.out.empty()) return ::testing::AssertionFailure() << "stdout: " << run.out;
    if (!run.err.starts_with("caseledger: ") || run.err.find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure() << "stderr lacks \"" << fragment << "\": " << run.err;
    }
    return ::testing::AssertionSuccess();
  }
};

using CalcFeeCli = CalcCliTest;
using CalcInterestCli = CalcCliTest;
using CalcSplitCli = CalcCliTest;
using CliRules = CalcCliTest;
using CliCaseLifecycle = CalcCliTest;

// ---------------------------------------------------------------------------------------
// calc fee

struct Bracket {
  std::string from, to, rate, part;  // "<null>" for a JSON null
};

// RULES §2 brackets as `calc fee` lists them: the flat 50 (rate null), then 1.5%, 1%, 0.5%, 0.1%.
Bracket Flat() { return {"0.00", "10000.00", "<null>", "50.00"}; }
Bracket Second(const std::string& part) { return {"10000.00", "500000.00", "0.015", part}; }
Bracket Third(const std::string& part) { return {"500000.00", "5000000.00", "0.01", part}; }
Bracket Fourth(const std::string& part) { return {"5000000.00", "10000000.00", "0.005", part}; }
Bracket Top(const std::string& part) { return {"10000000.00", "<null>", "0.001", part}; }

TEST_F(CalcFeeCli, EveryBracketEdgePlusAndMinusOneFen) {
  struct Case {
    std::string amount;
    std::string fee;
    std::vector<Bracket> brackets;
  };
  // Parts are exact (a fen at 1.5% is 0.00015 yuan); the fee is their sum rounded once, half up.
  const std::vector<Case> cases = {
      {"9999.99", "50.00", {Flat()}},
      {"10000", "50.00", {Flat()}},
      // 50 + 0.01 × 0.015 = 50.00015 → 50.00
      {"10000.01", "50.00", {Flat(), Second("0.00015")}},
      // 50 + 489,999.99 × 0.015 = 50 + 7349.99985 = 7399.99985 → 7400.00
      {"499999.99", "7400.00", {Flat(), Second("7349.99985")}},
      {"500000", "7400.00", {Flat(), Second("7350.00")}},  // RULES §2 checkpoint
      // 7400 + 0.01 × 0.01 = 7400.0001 → 7400.00
      {"500000.01", "7400.00", {Flat(), Second("7350.00"), Third("0.0001")}},
      // 7400 + 4,499,999.99 × 0.01 = 7400 + 44999.9999 = 52399.9999 → 52400.00
      {"4999999.99", "52400.00", {Flat(), Second("7350.00"), Third("44999.9999")}},
      {"5000000", "52400.00", {Flat(), Second("7350.00"), Third("45000.00")}},  // checkpoint
      {"5000000.01", "52400.00", {Flat(), Second("7350.00"), Third("45000.00"), Fourth("0.00005")}},
      // 52400 + 4,999,999.99 × 0.005 = 52400 + 24999.99995 = 77399.99995 → 77400.00
      {"9999999.99",
       "77400.00",
       {Flat(), Second("7350.00"), Third("45000.00"), Fourth("24999.99995")}},
      {"10000000",
       "77400.00",
       {Flat(), Second("7350.00"), Third("45000.00"), Fourth("25000.00")}},  // checkpoint
      {"10000000.01",
       "77400.00",
       {Flat(), Second("7350.00"), Third("45000.00"), Fourth("25000.00"), Top("0.00001")}},
      // Rounded once to the fen: 34 fen × 1.5% = 0.51 fen → 50.0051 → 50.01; 33 fen → 50.00.
      {"10000.34", "50.01", {Flat(), Second("0.0051")}},
      {"10000.33", "50.00", {Flat(), Second("0.00495")}},
      // Exactly half a fen rounds up: 50 fen × 1% = 0.5 fen → 7400.005 → 7400.01.
      {"500000.50", "7400.01", {Flat(), Second("7350.00"), Third("0.005")}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.amount);
    const json::Value fee = RunJson({"calc", "fee", c.amount, "--json"});
    ASSERT_TRUE(fee.is_object());
    ASSERT_NE(fee.Find("amount"), nullptr);
    EXPECT_TRUE(fee.Find("amount")->is_string());
    EXPECT_TRUE(std::regex_match(Str(fee, "amount"), kTwoDecimals)) << Str(fee, "amount");
    ASSERT_NE(fee.Find("fee"), nullptr);
    EXPECT_TRUE(fee.Find("fee")->is_string());
    EXPECT_EQ(Str(fee, "fee"), c.fee);
    const json::Value* brackets = fee.Find("brackets");
    ASSERT_NE(brackets, nullptr);
    ASSERT_TRUE(brackets->is_array());
    ASSERT_EQ(brackets->items.size(), c.brackets.size());
    for (size_t i = 0; i < c.brackets.size(); ++i) {
      SCOPED_TRACE("bracket " + std::to_string(i));
      const json::Value& b = brackets->items[i];
      for (const char* key : {"from", "to", "rate", "part"}) {
        ASSERT_NE(b.Find(key), nullptr) << key;
        EXPECT_TRUE(b.Find(key)->is_string() || b.Find(key)->is_null()) << key;
      }
      EXPECT_EQ(Str(b, "from"), c.brackets[i].from);
      EXPECT_EQ(Str(b, "to"), c.brackets[i].to);
      EXPECT_EQ(Str(b, "rate"), c.brackets[i].rate);
      EXPECT_EQ(Str(b, "part"), c.brackets[i].part);
    }
  }
}

TEST_F(CalcFeeCli, AmountIsEchoedWithTwoDecimalsWhateverTheInputForm) {
  for (const char* amount : {"500000", "500000.0", "500000.00"}) {
    const json::Value fee = RunJson({"calc", "fee", amount, "--json"});
    EXPECT_EQ(Str(fee, "amount"), "500000.00") << amount;
    EXPECT_EQ(Str(fee, "fee"), "7400.00") << amount;
  }
  EXPECT_EQ(Str(RunJson({"calc", "fee", "0.01", "--json"}), "fee"), "50.00");
}

TEST_F(CalcFeeCli, ZeroHasNoFeeAndNoBrackets) {
  for (const char* zero : {"0", "0.00"}) {
    const json::Value fee = RunJson({"calc", "fee", zero, "--json"});
    EXPECT_EQ(Str(fee, "amount"), "0.00");
    EXPECT_EQ(Str(fee, "fee"), "0.00");
    const json::Value* brackets = fee.Find("brackets");
    ASSERT_NE(brackets, nullptr);
    EXPECT_TRUE(brackets->is_array());
    EXPECT_TRUE(brackets->items.empty());
  }
}

TEST_F(CalcFeeCli, TableIsChineseByDefaultAndEnglishWithLangEn) {
  const CliRun zh = Run({"calc", "fee", "10000000.01"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_EQ(zh.err, "");
  for (const char* text : {"分段起", "分段止", "费率", "本段金额", "定额50元", "执行标的",
                           "申请执行费", "77,400.00", "10,000,000.01", "0.00001"}) {
    EXPECT_NE(zh.out.find(text), std::string::npos) << text << "\n" << zh.out;
  }
  EXPECT_EQ(zh.out.find("flat 50"), std::string::npos);
  EXPECT_FALSE(json::Parse(zh.out).ok());  // a table, not JSON

  const CliRun en = Run({"calc", "fee", "10000000.01", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* text :
       {"from", "to", "rate", "part", "flat 50", "amount:", "fee:", "77,400.00", "10,000,000.01"}) {
    EXPECT_NE(en.out.find(text), std::string::npos) << text << "\n" << en.out;
  }
  for (const char* text : {"分段起", "申请执行费", "定额50元"}) {
    EXPECT_EQ(en.out.find(text), std::string::npos) << text;
  }
  // --lang before the subcommand works as well.
  EXPECT_EQ(Run({"--lang", "en", "calc", "fee", "10000000.01"}).out, en.out);
}

// SPEC §1: tables show rates as percentages and amounts with thousands separators; --json keeps
// the decimal rate and the plain part. 10,000,000.01: 50 + 490,000 × 1.5% = 7,350 +
// 4,500,000 × 1% = 45,000 + 5,000,000 × 0.5% = 25,000 + 0.01 × 0.1% = 0.00001.
TEST_F(CalcFeeCli, TableShowsRatesAsPercentagesAndPartsGrouped) {
  for (const char* lang : {"zh", "en"}) {
    const CliRun table = Run({"calc", "fee", "10000000.01", "--lang", lang});
    EXPECT_EQ(table.exit_code, 0) << table.err;
    for (const char* text :
         {"1.50%", "1.00%", "0.50%", "0.10%", "7,350.00", "45,000.00", "25,000.00", "0.00001"}) {
      EXPECT_NE(table.out.find(text), std::string::npos) << lang << " " << text << "\n"
                                                         << table.out;
    }
    for (const char* text : {"0.015", "0.005", "7350.00", "45000.00"}) {
      EXPECT_EQ(table.out.find(text), std::string::npos) << lang << " " << text << "\n"
                                                         << table.out;
    }
  }
  const json::Value json = RunJson({"calc", "fee", "10000000.01", "--json"});
  ASSERT_NE(json.Find("brackets"), nullptr);
  ASSERT_EQ(json.Find("brackets")->items.size(), 5u);
  EXPECT_EQ(Str(json.Find("brackets")->items[1], "rate"), "0.015");
  EXPECT_EQ(Str(json.Find("brackets")->items[1], "part"), "7350.00");
}

TEST_F(CalcFeeCli, BadAmountsAreUsageErrorsWithAClearMessage) {
  struct Bad {
    const char* amount;
    const char* fault;  // what the message must say
  };
  const Bad bad[] = {{"1e3", "exponent"},
                     {"-5", "minus sign"},
                     {"1.234", "more than two decimals"},
                     {"abc", "characters other than digits"},
                     {"01", "leading zero"},
                     {"1,000", "thousands separator"}};
  for (const Bad& b : bad) {
    for (bool json : {false, true}) {
      std::vector<std::string> args = {"calc", "fee", b.amount};
      if (json) args.push_back("--json");
      // The message names the value given and what is wrong with it.
      EXPECT_TRUE(UsageError(args, std::string("\"") + b.amount + "\" is not an amount"));
      EXPECT_TRUE(UsageError(args, b.fault));
    }
  }
  // calc needs no ledger and creates none, even on an error.
  EXPECT_FALSE(cli_test::fs::exists(dir_ / "caseledger-data"));
}

// ---------------------------------------------------------------------------------------
// calc interest
//
// 0.000175 per day = 7/40000: the interest in fen is Σ part_fen × days × 7 ÷ 40000 over every
// part of the claim, rounded once, half up, at the end. days(a, b) = b − a.

TEST_F(CalcInterestCli, JsonShapeAndNoPayment) {
  // 12,345.67 from 2023-03-01 to 2023-03-31: 30 days.
  // 1,234,567 fen × 30 × 7 = 259,259,070; ÷ 40000 = 6481.47675 fen → 6481 = 64.81.
  const json::Value r = RunJson({"calc", "interest", "--claim", "12345.67", "--due", "2023-03-01",
                                 "--on", "2023-03-31", "--json"});
  ASSERT_TRUE(r.is_object());
  for (const char* key :
       {"interest", "claim_paid", "claim_unpaid", "interest_paid", "interest_unpaid", "surplus"}) {
    ASSERT_NE(r.Find(key), nullptr) << key;
    EXPECT_TRUE(r.Find(key)->is_string()) << key;
    EXPECT_TRUE(std::regex_match(Str(r, key), kTwoDecimals)) << key << " = " << Str(r, key);
  }
  ASSERT_NE(r.Find("days"), nullptr);
  EXPECT_TRUE(r.Find("days")->is_number());  // a JSON integer, not a string
  EXPECT_EQ(Str(r, "days"), "30");
  EXPECT_EQ(Str(r, "interest"), "64.81");
  EXPECT_EQ(Str(r, "claim_paid"), "0.00");
  EXPECT_EQ(Str(r, "claim_unpaid"), "12345.67");
  EXPECT_EQ(Str(r, "interest_paid"), "0.00");
  EXPECT_EQ(Str(r, "interest_unpaid"), "64.81");
  EXPECT_EQ(Str(r, "surplus"), "0.00");
}

TEST_F(CalcInterestCli, HalfAFenRoundsUp) {
  // 600.00 for 1 day: 60,000 × 1 × 7 = 420,000; ÷ 40000 = 10.5 fen → 11 (half up, not to even).
  const json::Value r = RunJson({"calc", "interest", "--claim", "600", "--due", "2024-01-01",
                                 "--on", "2024-01-02", "--json"});
  EXPECT_EQ(Str(r, "interest"), "0.11");
  EXPECT_EQ(Str(r, "days"), "1");
}

TEST_F(CalcInterestCli, NothingAccruesUpToTheDueDate) {
  for (const char* on : {"2024-01-31", "2024-01-15"}) {
    const json::Value r = RunJson(
        {"calc", "interest", "--claim", "100000", "--due", "2024-01-31", "--on", on, "--json"});
    EXPECT_EQ(Str(r, "interest"), "0.00") << on;
    EXPECT_EQ(Str(r, "days"), "0") << on;  // days(due, on) is 0 when negative
    EXPECT_EQ(Str(r, "claim_unpaid"), "100000.00") << on;
  }
}

TEST_F(CalcInterestCli, PartialPaymentsStopInterestOnThePaidPartAndRoundOnce) {
  // 10,000.00 due 2024-01-01, on 2024-01-31 (30 days); payments given out of date order.
  //   3,000.47 paid 01-11 (10 days):  300,047 × 10 × 7 =  21,003,290 ( 525.08225 fen)
  //   3,000.49 paid 01-21 (20 days):  300,049 × 20 × 7 =  42,006,860 (1050.1715 fen)
  //   3,999.04 unpaid     (30 days):  399,904 × 30 × 7 =  83,979,840 (2099.496 fen)
  //   sum 146,989,990 ÷ 40000 = 3674.74975 fen → 3675 = 36.75 (rounding each part: 36.74).
  const json::Value r = RunJson({"calc", "interest", "--claim", "10000.00", "--due", "2024-01-01",
                                 "--on", "2024-01-31", "--payment", "2024-01-21:3000.49",
                                 "--payment", "2024-01-11:3000.47", "--json"});
  EXPECT_EQ(Str(r, "interest"), "36.75");
  EXPECT_EQ(Str(r, "claim_paid"), "6000.96");
  EXPECT_EQ(Str(r, "claim_unpaid"), "3999.04");
  EXPECT_EQ(Str(r, "interest_paid"), "0.00");
  EXPECT_EQ(Str(r, "interest_unpaid"), "36.75");
  EXPECT_EQ(Str(r, "surplus"), "0.00");
  EXPECT_EQ(Str(r, "days"), "30");
}

TEST_F(CalcInterestCli, MoneyBeyondTheClaimPaysInterest) {
  // 1,000.00 due 2024-01-01, paid in full 01-11 (10 days): 100,000 × 10 × 7 = 7,000,000
  // ÷ 40000 = 175 fen = 1.75. A further 1.00 on 01-31 pays interest: 1.00 paid, 0.75 unpaid.
  const json::Value r =
      RunJson({"calc", "interest", "--claim", "1000", "--due", "2024-01-01", "--on", "2024-01-31",
               "--payment", "2024-01-11:1000", "--payment", "2024-01-31:1", "--json"});
  EXPECT_EQ(Str(r, "interest"), "1.75");
  EXPECT_EQ(Str(r, "claim_paid"), "1000.00");
  EXPECT_EQ(Str(r, "claim_unpaid"), "0.00");
  EXPECT_EQ(Str(r, "interest_paid"), "1.00");
  EXPECT_EQ(Str(r, "interest_unpaid"), "0.75");
  EXPECT_EQ(Str(r, "surplus"), "0.00");
  EXPECT_EQ(Str(r, "days"), "30");  // days(due, on) whatever was paid
}

TEST_F(CalcInterestCli, OverpaymentIsSurplus) {
  // As above, but 1,100.00 on 01-11: claim 1,000.00, interest 1.75, the other 98.25 is surplus.
  const json::Value r = RunJson({"calc", "interest", "--claim", "1000", "--due", "2024-01-01",
                                 "--on", "2024-01-31", "--payment", "2024-01-11:1100", "--json"});
  EXPECT_EQ(Str(r, "interest"), "1.75");
  EXPECT_EQ(Str(r, "claim_paid"), "1000.00");
  EXPECT_EQ(Str(r, "claim_unpaid"), "0.00");
  EXPECT_EQ(Str(r, "interest_paid"), "1.75");
  EXPECT_EQ(Str(r, "interest_unpaid"), "0.00");
  EXPECT_EQ(Str(r, "surplus"), "98.25");
}

TEST_F(CalcInterestCli, PaymentOnTheDueDateAccruesNothing) {
  // 10,000.00 due 2024-01-31, on 2024-03-01 (30 days, 2024 being a leap year). 4,000.00 paid on
  // the due date accrues 0 days; the 6,000.00 unpaid: 600,000 × 30 × 7 = 126,000,000
  // ÷ 40000 = 3150 fen = 31.50.
  const json::Value on_due =
      RunJson({"calc", "interest", "--claim", "10000", "--due", "2024-01-31", "--on", "2024-03-01",
               "--payment", "2024-01-31:4000", "--json"});
  EXPECT_EQ(Str(on_due, "interest"), "31.50");
  EXPECT_EQ(Str(on_due, "claim_paid"), "4000.00");
  EXPECT_EQ(Str(on_due, "claim_unpaid"), "6000.00");
  EXPECT_EQ(Str(on_due, "days"), "30");
  // Before the due date: the same. A day after it: 400,000 × 1 × 7 = 2,800,000 (70 fen) more.
  EXPECT_EQ(Str(RunJson({"calc", "interest", "--claim", "10000", "--due", "2024-01-31", "--on",
                         "2024-03-01", "--payment", "2024-01-15:4000", "--json"}),
                "interest"),
            "31.50");
  EXPECT_EQ(Str(RunJson({"calc", "interest", "--claim", "10000", "--due", "2024-01-31", "--on",
                         "2024-03-01", "--payment", "2024-02-01:4000", "--json"}),
                "interest"),
            "32.20");
}

TEST_F(CalcInterestCli, LeapDayCounts) {
  // 10,000.00 from 02-28 to 03-01: 2 days in 2024 (29 Feb), 1 day in 2023.
  // 1,000,000 × 2 × 7 ÷ 40000 = 350 fen; × 1 day = 175 fen.
  const json::Value leap = RunJson({"calc", "interest", "--claim", "10000", "--due", "2024-02-28",
                                    "--on", "2024-03-01", "--json"});
  EXPECT_EQ(Str(leap, "days"), "2");
  EXPECT_EQ(Str(leap, "interest"), "3.50");
  const json::Value common = RunJson({"calc", "interest", "--claim", "10000", "--due", "2023-02-28",
                                      "--on", "2023-03-01", "--json"});
  EXPECT_EQ(Str(common, "days"), "1");
  EXPECT_EQ(Str(common, "interest"), "1.75");
  // 100,000.00 from 2024-01-31 to 2024-03-01: 29 + 1 = 30 days;
  // 10,000,000 × 30 × 7 ÷ 40000 = 52,500 fen = 525.00.
  const json::Value span = RunJson({"calc", "interest", "--claim", "100000", "--due", "2024-01-31",
                                    "--on", "2024-03-01", "--json"});
  EXPECT_EQ(Str(span, "days"), "30");
  EXPECT_EQ(Str(span, "interest"), "525.00");
}

TEST_F(CalcInterestCli, TableIsChineseByDefaultAndEnglishWithLangEn) {
  const std::vector<std::string> args = {"calc",  "interest",   "--claim", "100000",
                                         "--due", "2024-01-31", "--on",    "2024-03-01"};
  const CliRun zh = Run(args);
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* text : {"迟延履行期间的债务利息", "未还本金", "迟延天数", "525.00", "100,000.00",
                           "日万分之一点七五"}) {
    EXPECT_NE(zh.out.find(text), std::string::npos) << text << "\n" << zh.out;
  }
  std::vector<std::string> en_args = args;
  en_args.insert(en_args.end(), {"--lang", "en"});
  const CliRun en = Run(en_args);
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* text : {"interest", "claim_unpaid", "days", "525.00", "0.000175"}) {
    EXPECT_NE(en.out.find(text), std::string::npos) << text << "\n" << en.out;
  }
  EXPECT_EQ(en.out.find("未还本金"), std::string::npos);
}

TEST_F(CalcInterestCli, APaymentAfterOnIsAUsageError) {
  EXPECT_TRUE(UsageError({"calc", "interest", "--claim", "100", "--due", "2024-01-31", "--on",
                          "2024-03-01", "--payment", "2024-03-02:5", "--json"},
                         "2024-03-02 is after --on 2024-03-01"));
}

TEST_F(CalcInterestCli, MalformedPaymentsAreUsageErrors) {
  struct Bad {
    const char* payment;
    const char* fragment;
  };
  const Bad bad[] = {{"2024-01-01", "DATE:AMOUNT"},   {"x:5", "\"x\" is not a valid date"},
                     {"2024-02-30:5", "2024-02-30"},  {"2024-02-01:0", "more than zero"},
                     {"2024-02-01:-5", "minus sign"}, {"2024-02-01:1e3", "exponent"},
                     {"2024-02-01:", "empty"},        {":5", "--payment date"}};
  for (const Bad& b : bad) {
    EXPECT_TRUE(UsageError({"calc", "interest", "--claim", "100", "--due", "2024-01-31", "--on",
                            "2024-03-01", "--payment", b.payment, "--json"},
                           b.fragment));
    EXPECT_TRUE(UsageError({"calc", "interest", "--claim", "100", "--due", "2024-01-31", "--on",
                            "2024-03-01", "--payment", b.payment},
                           "--payment"));
  }
}

TEST_F(CalcInterestCli, MissingOrMalformedFlagsAreUsageErrors) {
  EXPECT_TRUE(UsageError(
      {"calc", "interest", "--due", "2024-01-31", "--on", "2024-03-01", "--json"}, "--claim"));
  EXPECT_TRUE(UsageError({"calc", "interest", "--claim", "100", "--on", "2024-03-01"}, "--due"));
  EXPECT_TRUE(UsageError({"calc", "interest", "--claim", "100", "--due", "2024-01-31"}, "--on"));
  EXPECT_TRUE(UsageError(
      {"calc", "interest", "--claim", "1e3", "--due", "2024-01-31", "--on", "2024-03-01"},
      "--claim"));
  EXPECT_TRUE(UsageError(
      {"calc", "interest", "--claim", "100", "--due", "2024-13-01", "--on", "2024-03-01"},
      "--due"));
  EXPECT_TRUE(UsageError(
      {"calc", "interest", "--claim", "100", "--due", "2024-01-31", "--on", "2024-3-1"}, "--on"));
}

// ---------------------------------------------------------------------------------------
// calc split

// The shares of a `calc split --json` run as "party:rank:claim:share", checking their shape.
std::vector<std::string> Shares(const json::Value& split) {
  std::vector<std::string> shares;
  const json::Value* list = split.Find("shares");
  EXPECT_NE(list, nullptr);
  if (list == nullptr) return shares;
  EXPECT_TRUE(list->is_array());
  for (const json::Value& share : list->items) {
    for (const char* key : {"party_id", "claim", "share"}) {
      const json::Value* value = share.Find(key);
      EXPECT_TRUE(value != nullptr && value->is_string()) << key;
    }
    const json::Value* rank = share.Find("rank");
    EXPECT_TRUE(rank != nullptr && rank->is_number()) << "rank";
    shares.push_back(Str(share, "party_id") + ":" + Str(share, "rank") + ":" + Str(share, "claim") +
                     ":" + Str(share, "share"));
  }
  return shares;
}

TEST_F(CalcSplitCli, EqualClaimsGiveTheExtraFenToTheEarliest) {
  // 10,000 fen × 100 ÷ 300 = 3333.33 fen each: floors 3333 × 3 = 9999, the 1 fen left over goes
  // to the earliest of the equal remainders.
  const json::Value split = RunJson({"calc", "split", "--amount", "100.00", "--claim", "a:100.00",
                                     "--claim", "b:100.00", "--claim", "c:100.00", "--json"});
  ASSERT_TRUE(split.is_object());
  for (const char* key : {"amount", "costs", "surplus"}) {
    ASSERT_NE(split.Find(key), nullptr) << key;
    EXPECT_TRUE(split.Find(key)->is_string()) << key;
  }
  EXPECT_EQ(Str(split, "amount"), "100.00");
  EXPECT_EQ(Str(split, "costs"), "0.00");
  EXPECT_EQ(Str(split, "surplus"), "0.00");
  EXPECT_EQ(Shares(split),
            (std::vector<std::string>{"a:1:100.00:33.34", "b:1:100.00:33.33", "c:1:100.00:33.33"}));
  // "Earliest" is the input order, not the name.
  const json::Value reversed = RunJson({"calc", "split", "--amount", "100", "--claim", "c:100",
                                        "--claim", "b:100", "--claim", "a:100", "--json"});
  EXPECT_EQ(Shares(reversed),
            (std::vector<std::string>{"c:1:100.00:33.34", "b:1:100.00:33.33", "a:1:100.00:33.33"}));
}

TEST_F(CalcSplitCli, RankZeroIsPaidFirstThenRankOneProRataAndLaterRanksNothing) {
  // 1,000.00 − costs 100.00 = 900.00. Rank 0 (bank, 500.00) fits: paid in full; 400.00 left.
  // Rank 1 (a 300, b 600: 900) does not fit: 40,000 fen × 300/900 = 13,333.33 → 13,333 (a),
  // × 600/900 = 26,666.67 → 26,666 (b); the 1 fen left goes to b's larger remainder (.67).
  // Rank 2 gets nothing. Shares stay in input order.
  const json::Value split =
      RunJson({"calc", "split", "--amount", "1000", "--costs", "100", "--claim", "a:300", "--claim",
               "b:600", "--claim", "bank:500:0", "--claim", "late:50:2", "--json"});
  EXPECT_EQ(Str(split, "amount"), "1000.00");
  EXPECT_EQ(Str(split, "costs"), "100.00");
  EXPECT_EQ(Str(split, "surplus"), "0.00");
  EXPECT_EQ(Shares(split), (std::vector<std::string>{"a:1:300.00:133.33", "b:1:600.00:266.67",
                                                     "bank:0:500.00:500.00", "late:2:50.00:0.00"}));
}

TEST_F(CalcSplitCli, WhatIsLeftWhenEveryRankIsPaidIsSurplus) {
  // 1,000.00 − 100.00 costs − 300.00 − 200.00 = 400.00 surplus (the debtor's).
  const json::Value split = RunJson({"calc", "split", "--amount", "1000", "--costs", "100",
                                     "--claim", "a:300", "--claim", "b:200:5", "--json"});
  EXPECT_EQ(Str(split, "surplus"), "400.00");
  EXPECT_EQ(Shares(split), (std::vector<std::string>{"a:1:300.00:300.00", "b:5:200.00:200.00"}));
  // Costs equal to the amount leave nothing for anyone.
  const json::Value nothing =
      RunJson({"calc", "split", "--amount", "100", "--costs", "100", "--claim", "a:300", "--json"});
  EXPECT_EQ(Str(nothing, "surplus"), "0.00");
  EXPECT_EQ(Shares(nothing), (std::vector<std::string>{"a:1:300.00:0.00"}));
}

TEST_F(CalcSplitCli, TableIsChineseByDefaultAndEnglishWithLangEn) {
  const std::vector<std::string> args = {"calc",  "split",   "--amount", "100",     "--claim",
                                         "a:100", "--claim", "b:100",    "--claim", "c:100"};
  const CliRun zh = Run(args);
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* text : {"债权人", "顺位", "分配额", "可分配金额", "33.34", "33.33"}) {
    EXPECT_NE(zh.out.find(text), std::string::npos) << text << "\n" << zh.out;
  }
  std::vector<std::string> en_args = args;
  en_args.insert(en_args.end(), {"--lang", "en"});
  const CliRun en = Run(en_args);
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* text : {"party", "rank", "share", "surplus:", "33.34"}) {
    EXPECT_NE(en.out.find(text), std::string::npos) << text << "\n" << en.out;
  }
  EXPECT_EQ(en.out.find("债权人"), std::string::npos);
}

TEST_F(CalcSplitCli, CostsAboveTheAmountAreAUsageError) {
  EXPECT_TRUE(
      UsageError({"calc", "split", "--amount", "10", "--costs", "11", "--claim", "a:3", "--json"},
                 "costs 11.00 exceed the amount 10.00"));
}

TEST_F(CalcSplitCli, BadClaimsAndAmountsAreUsageErrors) {
  struct Bad {
    const char* claim;
    const char* fragment;
  };
  const Bad bad[] = {{"a", "ID:AMOUNT[:RANK]"}, {":5", "ID:AMOUNT[:RANK]"}, {"a:1e3", "exponent"},
                     {"a:", "empty"},           {"a:5:x", "rank"},          {"a:5:", "rank"},
                     {"a:5:-1", "rank"},        {"a:5:1001", "1001"}};
  for (const Bad& b : bad) {
    EXPECT_TRUE(
        UsageError({"calc", "split", "--amount", "10", "--claim", b.claim, "--json"}, b.fragment));
  }
  EXPECT_TRUE(UsageError({"calc", "split", "--amount", "10", "--claim", "a:1", "--claim", "a:2"},
                         "duplicate"));
  EXPECT_TRUE(UsageError({"calc", "split", "--amount", "1.234", "--claim", "a:1"}, "--amount"));
  EXPECT_TRUE(UsageError({"calc", "split", "--amount", "10", "--costs", "-1", "--claim", "a:1"},
                         "--costs"));
  EXPECT_TRUE(UsageError({"calc", "split", "--claim", "a:1"}, "--amount"));
  EXPECT_TRUE(UsageError({"calc", "split", "--amount", "10"}, "--claim"));
}

// ---------------------------------------------------------------------------------------
// rules

std::string OpenCaseLine(const std::string& request_id, const std::string& on) {
  return Cmd(request_id, on,
             R"("open_case":{"case_no":")" + std::string(kCase) +
                 R"(","claim":"100000.00","creditors":[{"party_id":"c-zhang","name":"张明"}],)"
                 R"("debtors":[{"party_id":"d-li","name":"李强"}]})");
}

void ExpectDefaultRules(const json::Value& rules) {
  EXPECT_EQ(Str(rules, "disburse_within_days"), "30");
  EXPECT_EQ(Str(rules, "after_hold_days"), "10");
  EXPECT_EQ(Str(rules, "claim_within_days"), "3");
  EXPECT_EQ(Str(rules, "clock_start"), "notice");
  EXPECT_EQ(Str(rules, "fee_base"), "claim");
  const json::Value* order = rules.Find("allocation_order");
  ASSERT_NE(order, nullptr);
  ASSERT_EQ(order->items.size(), 4u);
  EXPECT_EQ(order->items[0].text, "fee");
  EXPECT_EQ(order->items[1].text, "ordinary_interest");
  EXPECT_EQ(order->items[2].text, "claim");
  EXPECT_EQ(order->items[3].text, "delay_interest");
  EXPECT_EQ(Str(rules, "closure_months"), "6");
  EXPECT_EQ(Str(rules, "backdate_allowance_days"), "0");
  EXPECT_EQ(Str(rules, "future_allowance_days"), "0");
  EXPECT_EQ(Str(rules, "reconcile_window_days"), "3");
  EXPECT_EQ(Str(rules, "since"), "<null>");
}

TEST_F(CliRules, AFreshLedgerShowsTheDefaults) {
  const CliRun opened = Apply({OpenCaseLine("open-1", "2024-03-01")});
  ASSERT_EQ(opened.exit_code, 0) << opened.out << opened.err;
  const json::Value rules = RunJson({"--db", db_, "rules", "--json"});
  ASSERT_TRUE(rules.is_object());
  for (const char* key :
       {"disburse_within_days", "after_hold_days", "claim_within_days", "backdate_allowance_days",
        "future_allowance_days", "reconcile_window_days", "closure_months"}) {
    ASSERT_NE(rules.Find(key), nullptr) << key;
    EXPECT_TRUE(rules.Find(key)->is_number()) << key;
  }
  ExpectDefaultRules(rules);
  // The table, in Chinese by default.
  const CliRun zh = Run({"--db", db_, "rules"});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(zh.out.find("到账后发放期限"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("默认"), std::string::npos) << zh.out;
  const CliRun en = Run({"--db", db_, "rules", "--lang", "en"});
  EXPECT_NE(en.out.find("disburse_within_days"), std::string::npos) << en.out;
  EXPECT_EQ(en.out.find("到账后发放期限"), std::string::npos) << en.out;
}

TEST_F(CliRules, SetRulesApplyFromTheirDate) {
  today_ = "2024-12-31";
  const CliRun applied = Apply(
      {OpenCaseLine("open-1", "2024-03-01"),
       Cmd("rules-1", "2024-06-01",
           R"("set_rules":{"disburse_within_days":20,"after_hold_days":7,"claim_within_days":2,)"
           R"("clock_start":"value_date","fee_base":"recovered","allocation_order":["claim",)"
           R"("fee","ordinary_interest","delay_interest"],"closure_months":3})"),
       Cmd("rules-2", "2024-07-01", R"("set_rules":{"closure_months":4})")});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  for (const json::Value& result : CliFixture::Results(applied)) {
    EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  }

  // On 2024-06-01 (and until the next set_rules) the first one is in force.
  for (const char* on : {"2024-06-01", "2024-06-30"}) {
    SCOPED_TRACE(on);
    const json::Value june = RunJson({"--db", db_, "rules", "--as-of", on, "--json"});
    EXPECT_EQ(Str(june, "disburse_within_days"), "20");
    EXPECT_EQ(Str(june, "after_hold_days"), "7");
    EXPECT_EQ(Str(june, "claim_within_days"), "2");
    EXPECT_EQ(Str(june, "clock_start"), "value_date");
    EXPECT_EQ(Str(june, "fee_base"), "recovered");
    const json::Value* order = june.Find("allocation_order");
    ASSERT_NE(order, nullptr);
    ASSERT_EQ(order->items.size(), 4u);
    EXPECT_EQ(order->items[0].text, "claim");
    EXPECT_EQ(order->items[1].text, "fee");
    EXPECT_EQ(Str(june, "closure_months"), "3");
    EXPECT_EQ(Str(june, "since"), "2024-06-01");
  }
  // The day before, the defaults.
  ExpectDefaultRules(RunJson({"--db", db_, "rules", "--as-of", "2024-05-31", "--json"}));
  // The latest: the second set_rules changed closure_months only and kept the rest.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--db", db_, "rules", "--json"},
        std::vector<std::string>{"--db", db_, "rules", "--as-of", "2024-07-01", "--json"}}) {
    const json::Value latest = RunJson(args);
    EXPECT_EQ(Str(latest, "closure_months"), "4");
    EXPECT_EQ(Str(latest, "disburse_within_days"), "20");
    EXPECT_EQ(Str(latest, "fee_base"), "recovered");
    EXPECT_EQ(Str(latest, "since"), "2024-07-01");
  }
  const CliRun text = Run({"--db", db_, "rules", "--lang", "en", "--as-of", "2024-06-15"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2024-06-01"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("claim,fee,ordinary_interest,delay_interest"), std::string::npos)
      << text.out;
  // In Chinese, the parts by the glossary's words (issue 17).
  const CliRun zh = Run({"--db", db_, "rules", "--as-of", "2024-06-15"});
  EXPECT_NE(zh.out.find("申请执行标的、申请执行费、一般债务利息、迟延履行利息"), std::string::npos)
      << zh.out;
  EXPECT_EQ(zh.out.find("ordinary_interest"), std::string::npos) << zh.out;
  // A malformed --as-of is a usage error.
  EXPECT_TRUE(UsageError({"--db", db_, "rules", "--as-of", "2024-06-31"}, "--as-of"));
}

TEST_F(CliRules, ABadValueIsInvalidArgumentAndChangesNothing) {
  today_ = "2024-12-31";
  ASSERT_EQ(Apply({OpenCaseLine("open-1", "2024-03-01")}).exit_code, 0);
  struct Bad {
    std::string body;
    std::string field;  // named in the message
  };
  const std::vector<Bad> bad = {
      {R"({"disburse_within_days":0})", "set_rules.disburse_within_days"},
      {R"({"after_hold_days":-1})", "set_rules.after_hold_days"},
      {R"({"clock_start":"bank"})", "set_rules.clock_start"},
      {R"({"fee_base":"half"})", "set_rules.fee_base"},
      {R"({"allocation_order":["fee","claim","claim","delay_interest"]})",
       "set_rules.allocation_order"},
      {R"({"allocation_order":["fee","claim"]})", "set_rules.allocation_order"},
      {R"({"closure_months":0})", "set_rules.closure_months"},
      {R"({"holidays":["2024-02-30"]})", "set_rules.holidays[0]"},
      {R"({"workdays":["2024-06-03"]})", "set_rules.workdays"},   // a Monday
      {R"({"closure_months":"6"})", "set_rules.closure_months"},  // wrong type
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(bad[i].body);
    const CliRun run =
        Apply({Cmd("bad-" + std::to_string(i), "2024-06-01", R"("set_rules":)" + bad[i].body)});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    const auto results = CliFixture::Results(run);
    ASSERT_EQ(results.size(), 1u) << run.out;
    EXPECT_FALSE(IsOk(results[0]));
    EXPECT_EQ(ErrorCode(results[0]), "INVALID_ARGUMENT");
    EXPECT_EQ(Str(results[0], "request_id"), "bad-" + std::to_string(i));
    EXPECT_NE(ErrorMessage(results[0]).find(bad[i].field), std::string::npos)
        << ErrorMessage(results[0]);
  }
  ExpectDefaultRules(RunJson({"--db", db_, "rules", "--json"}));
}

TEST_F(CliRules, ADirectoryWithoutALedgerIsNoLedger) {
  const CliRun json = Run({"--db", db_, "rules", "--json"});
  EXPECT_EQ(json.exit_code, 2);
  ASSERT_EQ(json.Lines().size(), 1u) << json.out;
  const json::Value error = ParseJson(json.out);
  ASSERT_NE(error.Find("ok"), nullptr);
  EXPECT_FALSE(error.Find("ok")->boolean);
  EXPECT_EQ(ErrorCode(error), "NO_LEDGER");
  const CliRun text = Run({"--db", db_, "rules"});
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_EQ(text.out, "");
  EXPECT_NE(text.err.find("NO_LEDGER"), std::string::npos) << text.err;
  EXPECT_FALSE(cli_test::fs::exists(db_));  // reading created nothing
}

// ---------------------------------------------------------------------------------------
// a case's lifecycle through the CLI

TEST_F(CliCaseLifecycle, SuspendExtendCloseRestoreShowInBothCases) {
  today_ = "2024-04-30";
  const std::string a = kCase, b = kRestored;
  const std::vector<std::string> lines = {
      // Claim 100,000.00, performance due 2024-02-20; fee 0.015 × 100,000 − 100 = 1,400.00.
      Cmd("open-1", "2024-03-01",
          R"("open_case":{"case_no":")" + a +
              R"(","claim":"100000.00","performance_due":"2024-02-20","judge":"马建国",)"
              R"("creditors":[{"party_id":"c-zhang","name":"张明","account":"6228480010000000001"}],)"
              R"("debtors":[{"party_id":"d-li","name":"李强"}]})"),
      // 50,000.00 on 03-05 pays the fee 1,400.00 first, then 48,600.00 of the claim.
      Cmd("rcpt-1", "2024-03-05",
          R"("receipt":{"case_no":")" + a +
              R"(","amount":"50000.00","bank_ref":"B1","source":"debtor_payment"})"),
      Cmd("fee-1", "2024-03-06", R"("charge_fee":{"case_no":")" + a + R"("})"),
      Cmd("req-1", "2024-03-07",
          R"("request_disbursement":{"disbursement_id":"d1","case_no":")" + a +
              R"(","payee":"c-zhang","amount":"48600.00"})"),
      Cmd("appr-1", "2024-03-07", R"("approve_disbursement":{"disbursement_id":"d1"})",
          "director.li"),
      Cmd("conf-1", "2024-03-08",
          R"("confirm_disbursement":{"disbursement_id":"d1","bank_ref":"P1"})"),
      // Suspended 03-10 to 03-20: 10 days.
      Cmd("susp-1", "2024-03-10",
          R"("suspend_case":{"case_no":")" + a + R"(","reason":"破产审查"})"),
      Cmd("resume-1", "2024-03-20",
          R"("resume_case":{"case_no":")" + a + R"(","reason":"审查结束"})"),
      Cmd("ext-1", "2024-03-25",
          R"("extend_deadline":{"case_no":")" + a + R"(","months":3,"approved_by":"director.li"})"),
      Cmd("close-1", "2024-04-01",
          R"("close_case":{"case_no":")" + a + R"(","mode":"terminated"})"),
      Cmd("restore-1", "2024-04-02",
          R"("restore_case":{"case_no":")" + a + R"(","new_case_no":")" + b + R"("})"),
      // 10,000.45 in the restored case on 04-10 pays the claim (the chain's fee is covered).
      Cmd("rcpt-2", "2024-04-10",
          R"("receipt":{"case_no":")" + b +
              R"(","amount":"10000.45","bank_ref":"B2","source":"bank_deduction"})"),
      // The restored case is suspended from 04-20, still running on 04-30.
      Cmd("susp-2", "2024-04-20",
          R"("suspend_case":{"case_no":")" + b + R"(","reason":"评估","kind":"appraisal"})"),
  };
  const CliRun applied = Apply(lines);
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const auto results = CliFixture::Results(applied);
  ASSERT_EQ(results.size(), lines.size()) << applied.out;
  for (const json::Value& result : results) {
    EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
  }
  EXPECT_EQ(Str(results[2], "amount"), "1400.00");  // charge_fee took the fee due
  const std::regex account("^[0-9]{16}$");
  EXPECT_TRUE(std::regex_match(Str(results[10], "account_no"), account));
  EXPECT_NE(Str(results[10], "account_no"), Str(results[0], "account_no"));

  // Delay interest over the chain on 2024-04-30 (rate 7/40000 per day, due 2024-02-20):
  //   48,600.00 paid 03-05: 14 days: 4,860,000 × 14 × 7 =   476,280,000 (11907 fen)
  //   10,000.45 paid 04-10: 50 days: 1,000,045 × 50 × 7 =   350,015,750 (8750.39375 fen)
  //   41,399.55 unpaid:     70 days: 4,139,955 × 70 × 7 = 2,028,577,950 (50714.44875 fen)
  //   sum 2,854,873,700 ÷ 40000 = 71371.8425 fen → 71372 = 713.72 (each part rounded: 713.71).
  // Outstanding = 100,000.00 + fee 1,400.00 + 713.72 − 60,000.45 recovered = 42,113.27.
  const json::Value first = RunJson({"--db", db_, "case", a, "--json", "--as-of", "2024-04-30"});
  EXPECT_EQ(Str(first, "status"), "closed");
  EXPECT_EQ(Str(first, "mode"), "terminated");
  EXPECT_EQ(Str(first, "closed_on"), "2024-04-01");
  // 2024-03-01 + (6 + 3) months = 2024-12-01, + 10 days suspended = 2024-12-11.
  EXPECT_EQ(Str(first, "deadline"), "2024-12-11");
  EXPECT_EQ(Str(first, "restored_from"), "<null>");
  EXPECT_EQ(Str(first, "restored_to"), b);
  EXPECT_EQ(Str(first, "recovered"), "50000.00");
  EXPECT_EQ(Str(first, "disbursed"), "48600.00");
  EXPECT_EQ(Str(first, "fee"), "1400.00");
  EXPECT_EQ(Str(first, "fees"), "1400.00");
  EXPECT_EQ(Str(first, "fee_due"), "0.00");
  EXPECT_EQ(Str(first, "balance"), "0.00");
  EXPECT_EQ(Str(first, "chain_recovered"), "60000.45");
  EXPECT_EQ(Str(first, "delay_interest"), "713.72");
  EXPECT_EQ(Str(first, "outstanding"), "42113.27");

  const json::Value second = RunJson({"--db", db_, "case", b, "--json", "--as-of", "2024-04-30"});
  EXPECT_EQ(Str(second, "status"), "suspended");
  EXPECT_EQ(Str(second, "filed_on"), "2024-04-02");
  // 2024-04-02 + 6 months = 2024-10-02, + 10 days of the running suspension (04-20 to D).
  EXPECT_EQ(Str(second, "deadline"), "2024-10-12");
  EXPECT_EQ(Str(second, "restored_from"), a);
  EXPECT_EQ(Str(second, "restored_to"), "<null>");
  EXPECT_EQ(Str(second, "claim"), "100000.00");  // the chain's terms, counted once
  EXPECT_EQ(Str(second, "performance_due"), "2024-02-20");
  EXPECT_EQ(Str(second, "judge"), "马建国");
  EXPECT_EQ(Str(second, "recovered"), "10000.45");
  EXPECT_EQ(Str(second, "chain_recovered"), "60000.45");
  EXPECT_EQ(Str(second, "fee"), "1400.00");
  EXPECT_EQ(Str(second, "fees"), "0.00");
  EXPECT_EQ(Str(second, "fee_due"), "0.00");  // charged in the first case
  EXPECT_EQ(Str(second, "delay_interest"), "713.72");
  EXPECT_EQ(Str(second, "outstanding"), "42113.27");
  EXPECT_EQ(Str(second, "balance"), "10000.45");
  ASSERT_NE(second.Find("creditors"), nullptr);
  ASSERT_EQ(second.Find("creditors")->items.size(), 1u);
  EXPECT_EQ(Str(second.Find("creditors")->items[0], "party_id"), "c-zhang");

  // calc interest on the same claim parts agrees with the case figure.
  const json::Value calc =
      RunJson({"calc", "interest", "--claim", "100000", "--due", "2024-02-20", "--on", "2024-04-30",
               "--payment", "2024-03-05:48600", "--payment", "2024-04-10:10000.45", "--json"});
  EXPECT_EQ(Str(calc, "interest"), "713.72");
  EXPECT_EQ(Str(calc, "claim_unpaid"), "41399.55");
  EXPECT_EQ(Str(calc, "days"), "70");

  // Earlier dates: during the first suspension the running days count up to D
  // (2024-09-01 + days(03-10, 03-15) = 2024-09-06); before the restoration there is no link.
  const json::Value suspended =
      RunJson({"--db", db_, "case", a, "--json", "--as-of", "2024-03-15"});
  EXPECT_EQ(Str(suspended, "status"), "suspended");
  EXPECT_EQ(Str(suspended, "deadline"), "2024-09-06");
  const json::Value closed = RunJson({"--db", db_, "case", a, "--json", "--as-of", "2024-04-01"});
  EXPECT_EQ(Str(closed, "status"), "closed");
  EXPECT_EQ(Str(closed, "restored_to"), "<null>");
  EXPECT_EQ(Str(closed, "chain_recovered"), "50000.00");
  // The first case's own entries end with its restoration.
  EXPECT_EQ(Run({"--db", db_, "history", a, "--json"}).Lines().size(), 11u);

  // With the fee charged in the first case, none is due in the restored one; and a case is
  // restored at most once.
  const CliRun more = Apply(
      {Cmd("fee-2", "2024-04-30", R"("charge_fee":{"case_no":")" + b + R"("})"),
       Cmd("restore-2", "2024-04-30",
           R"("restore_case":{"case_no":")" + a + R"(","new_case_no":"(2024)甘0102执恢89号"})")});
  EXPECT_EQ(more.exit_code, 1) << more.out;
  const auto rejected = CliFixture::Results(more);
  ASSERT_EQ(rejected.size(), 2u) << more.out;
  EXPECT_EQ(ErrorCode(rejected[0]), "INVALID_STATE") << ErrorMessage(rejected[0]);
  EXPECT_EQ(ErrorCode(rejected[1]), "INVALID_STATE") << ErrorMessage(rejected[1]);
}

}  // namespace
}  // namespace caseledger
