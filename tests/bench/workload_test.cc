// Proves that the bench workload is deterministic by seed, that every line is a well-formed
// command the engine accepts, in business-date order, that its proportions follow the Gansu 2021
// figures it is scaled from (cases, small cases, money recovered), and that its bank statement
// balances and parses.
#include "bench/workload.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/command_json.h"
#include "core/money.h"
#include "core/statement.h"
#include "ledger/ledger.h"

namespace caseledger {
namespace {

std::vector<std::string> AllLines(uint64_t seed, int64_t scale_millionths) {
  Workload workload({seed, scale_millionths});
  std::vector<std::string> lines;
  for (std::string line; workload.Next(&line);) lines.push_back(line);
  return lines;
}

Fen Amount(const std::string& text) {
  Result<Fen> amount = ParseAmount(text, "amount", AmountKind::kPositive);
  EXPECT_TRUE(amount.ok()) << text;
  return amount.ok() ? *amount : Fen(0);
}

// |actual - expected| <= expected * percent / 100, in exact integers.
bool Within(const Fen& actual, const Fen& expected, int percent) {
  const Fen difference = actual > expected ? actual - expected : expected - actual;
  return difference * 100 <= expected * percent;
}

TEST(WorkloadTest, ParsesTheScaleExactly) {
  EXPECT_EQ(*ParseScale("0.01", "--scale"), 10000);
  EXPECT_EQ(*ParseScale("1", "--scale"), kScaleOne);
  EXPECT_EQ(*ParseScale("10", "--scale"), 10 * kScaleOne);
  EXPECT_EQ(*ParseScale("0.000001", "--scale"), 1);
  EXPECT_EQ(*ParseScale("2.5", "--scale"), 2500000);
  EXPECT_EQ(*ParseScale("100", "--scale"), kScaleMax);
  for (const char* bad : {"", "0", "0.0", "-1", "+1", "1e2", ".5", "5.", "0.0000001", "101", "1,5",
                          " 1", "1 ", "１", "abc", "1000"}) {
    Result<int64_t> scale = ParseScale(bad, "--scale");
    EXPECT_FALSE(scale.ok()) << bad;
    if (!scale.ok()) {
      EXPECT_EQ(scale.status().code(), Code::kInvalidArgument) << bad;
    }
  }
  EXPECT_EQ(FormatScale(10000), "0.01");
  EXPECT_EQ(FormatScale(kScaleOne), "1");
  EXPECT_EQ(FormatScale(2500000), "2.5");
}

TEST(WorkloadTest, TheSameSeedGivesTheSameLines) {
  const std::vector<std::string> a = AllLines(7, 2000);
  EXPECT_EQ(a, AllLines(7, 2000));
  EXPECT_NE(a, AllLines(8, 2000));
  EXPECT_GT(a.size(), 1000u);
}

TEST(WorkloadTest, EveryLineParsesAndDatesNeverGoBack) {
  Workload workload({3, 2000});
  std::string last_on;
  std::set<std::string> request_ids;
  int64_t lines = 0;
  for (std::string line; workload.Next(&line); ++lines) {
    const ParsedCommand parsed = ParseCommandLine(line);
    ASSERT_TRUE(parsed.status.ok()) << parsed.status.ToString() << "\n" << line;
    EXPECT_GE(parsed.command.on(), last_on) << line;
    last_on = parsed.command.on();
    EXPECT_TRUE(request_ids.insert(parsed.command.request_id()).second) << line;
  }
  EXPECT_EQ(lines, workload.CountLines());
  EXPECT_EQ(lines, workload.tally().lines);
  EXPECT_LE(last_on, Workload::LastDay().ToString());
}

// The figures of RULES §8 at scale 0.001: 156 cases, 14 small ones, ¥15.27 million recovered
// (counted here from the lines themselves: receipts and claims, less refunds and reversals).
TEST(WorkloadTest, ProportionsFollowTheGansuFigures) {
  Workload workload({1, 1000});
  EXPECT_EQ(workload.cases(), 156);
  EXPECT_EQ(workload.small_cases(), 14);
  Fen recovered = 0;
  int64_t opened = 0, small = 0;
  std::set<std::string> courts;
  for (std::string line; workload.Next(&line);) {
    const ParsedCommand parsed = ParseCommandLine(line);
    ASSERT_TRUE(parsed.status.ok()) << line;
    const pb::Command& c = parsed.command;
    if (c.has_open_case()) {
      ++opened;
      small += Amount(c.open_case().claim()) < Fen(10000000) ? 1 : 0;
      courts.insert(c.open_case().case_no().substr(0, c.open_case().case_no().find("执")));
    }
    // A receipt booked wrong ("...w") is reversed at once: it never counts.
    if (c.has_receipt() && !c.request_id().ends_with("w")) {
      recovered += Amount(c.receipt().amount());
    }
    if (c.has_claim()) {  // claims of the generator name no amount: the whole receipt
      EXPECT_FALSE(c.claim().has_amount());
    }
    if (c.has_unidentified_receipt() && !c.request_id().ends_with("-s")) {  // later claimed
      recovered += Amount(c.unidentified_receipt().amount());
    }
    if (c.has_refund()) recovered -= Amount(c.refund().amount());
  }
  EXPECT_EQ(opened, 156);
  EXPECT_EQ(small, 14);
  EXPECT_EQ(courts.size(), 100u);
  const Fen target = Fen(kWorkloadRecoveredFen) / 1000;
  EXPECT_TRUE(Within(workload.tally().recovered_fen, target, 5))
      << FormatAmount(workload.tally().recovered_fen) << " vs " << FormatAmount(target);
  EXPECT_EQ(recovered, workload.tally().recovered_fen);
}

TEST(WorkloadTest, ProportionsHoldAtScaleOneHundredth) {
  Workload workload({1, 10000});
  for (std::string line; workload.Next(&line);) {
  }
  const WorkloadTally& tally = workload.tally();
  EXPECT_EQ(tally.cases_opened, 1565);
  EXPECT_EQ(tally.small_cases_opened, 142);
  EXPECT_TRUE(Within(tally.recovered_fen, Fen(kWorkloadRecoveredFen) / 100, 3))
      << FormatAmount(tally.recovered_fen);
  EXPECT_TRUE(Within(tally.small_recovered_fen, Fen(kWorkloadSmallRecoveredFen) / 100, 5))
      << FormatAmount(tally.small_recovered_fen);
  // About ten entries a case, most cases closed within the year.
  EXPECT_GT(tally.lines, 8 * tally.cases_opened);
  EXPECT_LT(tally.lines, 13 * tally.cases_opened);
  EXPECT_GT(tally.cases_closed * 100, tally.cases_opened * 80);
  for (const char* op :
       {"open_case", "receipt", "unidentified_receipt", "claim", "hold", "release_hold",
        "request_disbursement", "approve_disbursement", "confirm_disbursement", "charge_fee",
        "reverse", "collective_disbursement", "list_defaulter", "restrict_consumption",
        "delist_defaulter", "close_case", "remit_fees", "refund_unidentified"}) {
    EXPECT_GT(tally.operations.count(op), 0u) << op;
  }
  EXPECT_EQ(tally.operations.at("collective_disbursement"), 2);
}

// Every movement through the bank is on the statement, in value-date order with its running
// balance, and the statement is one SPEC §4 accepts.
TEST(WorkloadTest, TheStatementBalancesAndParses) {
  Workload workload({5, 2000});
  std::string csv = StatementCsvHeader();
  Fen balance = 0;
  Date last = Workload::FirstDay();
  int64_t rows = 0;
  workload.SetStatementSink([&](const StatementRow& row) {
    balance += row.direction == Direction::kIn ? row.amount_fen : -row.amount_fen;
    EXPECT_EQ(row.balance_fen, balance);
    EXPECT_GE(row.balance_fen, 0);
    EXPECT_GE(row.value_date, last);
    last = row.value_date;
    csv += StatementCsvRow(row);
    ++rows;
  });
  for (std::string line; workload.Next(&line);) {
  }
  EXPECT_EQ(rows, workload.tally().bank_lines);
  EXPECT_GT(rows, 500);
  Result<std::vector<StatementLine>> lines = ParseStatement(csv);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_EQ(static_cast<int64_t>(lines->size()), rows);
  EXPECT_EQ(StatementBalance(*lines, Workload::LastDay()), balance);
}

// The engine accepts every line: a rejected one is a bug of the generator.
TEST(WorkloadTest, TheEngineAcceptsEveryLine) {
  std::string pattern = (std::filesystem::temp_directory_path() / "workload-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  {
    Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForWrite(pattern + "/db");
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    Workload workload({11, 3000});
    int64_t staged = 0;
    for (std::string line; workload.Next(&line);) {
      const CommandResult result = (*ledger)->Stage(ParseCommandLine(line));
      ASSERT_TRUE(result.status.ok()) << result.status.ToString() << "\n" << line;
      if (++staged % 1024 == 0) {
        ASSERT_TRUE((*ledger)->Commit().ok());
      }
    }
    ASSERT_TRUE((*ledger)->Commit().ok());
    Result<VerifyReport> report = (*ledger)->Verify([](uint64_t, uint64_t) {});
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok) << report->problem;
  }
  std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace caseledger
