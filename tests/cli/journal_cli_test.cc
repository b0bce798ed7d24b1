// Proves, through the real caseledger binary and hledger, `export --format journal` (SPEC §5):
// on the demo month hledger's balance of every account equals caseledger's to the fen (assets
// positive, liabilities negative) and hledger knows no other account; the journal passes
// hledger's strict checks; request ids full of punctuation stay out of descriptions; an empty
// ledger exports a valid journal; an unwritable --output and --json are usage errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

extern char** environ;

namespace caseledger {
namespace {

namespace fs = std::filesystem;
using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::ReadFile;
using cli_test::Str;

constexpr char kHledgerMissing[] =
    "hledger is not installed: these tests check the journal with it. ./run.sh test installs it "
    "(apt-get install hledger).";

// hledger's path, or "" when it is not on PATH.
std::string FindHledger() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path == nullptr ? "/usr/bin:/bin" : path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "hledger";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// One CSV line of hledger's output into fields (every field quoted, "" inside a field).
std::vector<std::string> CsvFields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// An amount as a plain exact decimal: hledger's "-1,234.50 CNY" and "0" and caseledger's
// "-0.00" become "-1234.50", "0.00", "0.00".
std::string Normalize(std::string_view amount) {
  std::string digits;
  for (char c : amount) {
    if (c == '-' || c == '.' || (c >= '0' && c <= '9')) digits += c;
  }
  if (digits.find('.') == std::string::npos) digits += ".00";
  if (digits == "-0.00") digits = "0.00";
  return digits;
}

// A normalised amount in fen, exactly ("-1234.56" -> -123456).
int64_t FenOf(const std::string& plain) {
  const size_t point = plain.find('.');
  EXPECT_TRUE(point != std::string::npos && point + 3 == plain.size()) << plain;
  if (point == std::string::npos || point + 3 != plain.size()) return 0;
  const bool negative = plain.front() == '-';
  const std::string digits =
      plain.substr(negative ? 1 : 0, point - (negative ? 1 : 0)) + plain.substr(point + 1);
  const int64_t fen = std::stoll(digits);
  return negative ? -fen : fen;
}

// What a caseledger balance shows in hledger for a liability: its negation.
std::string Negated(std::string_view amount) {
  const std::string plain = Normalize(amount);
  if (plain == "0.00") return plain;
  return plain.front() == '-' ? plain.substr(1) : "-" + plain;
}

class JournalCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    hledger_ = FindHledger();
    ASSERT_FALSE(hledger_.empty()) << kHledgerMissing;
  }

  // Runs hledger with `args`. hledger 1.25 reads its input in the locale's encoding and fails
  // on the CJK case numbers without a UTF-8 one ("hGetContents: invalid byte sequence"), so the
  // run gets LC_ALL=C.UTF-8 whatever the test's environment has.
  CliRun Hledger(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {hledger_};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env = {"LC_ALL=C.UTF-8", "HOME=" + dir_.string()};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).starts_with("PATH=")) env.push_back(*e);
    }
    return cli_test::RunProgram(argv, env, dir_);
  }

  // The journal of the test's ledger, written to a file; "" on failure.
  std::string ExportJournal() {
    const std::string file = (dir_ / "ledger.journal").string();
    const CliRun run = Run({"--db", db_, "export", "--format", "journal", "--output", file});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "");
    return run.exit_code == 0 ? file : "";
  }

  // Every account hledger shows with its balance, normalised. --empty keeps accounts whose
  // postings net to zero; -s (strict) fails on an undeclared account or commodity; --real would
  // drop a posting hledger took for virtual (an account name starting with '(').
  std::map<std::string, std::string> HledgerBalances(const std::string& journal) {
    const CliRun run = Hledger(
        {"-s", "-f", journal, "balance", "--flat", "--no-total", "--empty", "--real", "-O", "csv"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::map<std::string, std::string> balances;
    std::istringstream lines(run.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(CsvFields(line), (std::vector<std::string>{"account", "balance"})) << run.out;
    while (std::getline(lines, line)) {
      if (line.empty() || line == "\r") continue;
      const std::vector<std::string> fields = CsvFields(line);
      EXPECT_EQ(fields.size(), 2u) << line;
      if (fields.size() != 2) continue;
      EXPECT_TRUE(fields[1] == "0" || fields[1].ends_with(" CNY")) << line;
      EXPECT_FALSE(balances.contains(fields[0])) << "listed twice: " << fields[0];
      balances[fields[0]] = Normalize(fields[1]);
    }
    return balances;
  }

  // Every account caseledger has, named as in the journal, with the balance hledger must show.
  std::map<std::string, std::string> CaseledgerBalances() {
    const json::Value balance = ParseJson(Run({"--db", db_, "balance", "--json"}).out);
    std::map<std::string, std::string> expected = {
        {"assets:bank", Normalize(Str(balance, "bank"))},
        {"liabilities:suspense", Negated(Str(balance, "suspense"))},
        {"liabilities:fees", Negated(Str(balance, "fees"))},
        {"liabilities:lodgment", Negated(Str(balance, "lodged"))}};
    const json::Value cases = ParseJson(Run({"--db", db_, "cases", "--json"}).out);
    EXPECT_TRUE(cases.is_array());
    for (const json::Value& row : cases.items) {
      const std::string case_no = Str(row, "case_no");
      const CliRun run = Run({"--db", db_, "case", case_no, "--json"});
      EXPECT_EQ(run.exit_code, 0) << case_no << ": " << run.err;
      expected["liabilities:cases:" + case_no] = Negated(Str(ParseJson(run.out), "balance"));
    }
    return expected;
  }

  std::string hledger_;
};

TEST_F(JournalCliTest, DemoMonthEveryAccountBalanceAgreesWithHledger) {
  const fs::path demo = fs::path(CASELEDGER_SOURCE_DIR) / "demo" / "month.jsonl";
  ASSERT_TRUE(fs::exists(demo)) << demo;
  const CliRun applied = Run({"--db", db_, "apply", demo.string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const std::string journal = ExportJournal();
  ASSERT_FALSE(journal.empty());

  const std::map<std::string, std::string> expected = CaseledgerBalances();
  const std::map<std::string, std::string> shown = HledgerBalances(journal);
  ASSERT_GE(expected.size(), 34u);  // the four accounts and the demo's 30-40 cases
  size_t nonzero = 0, case_accounts_shown = 0;
  for (const auto& [account, balance] : expected) {
    const auto it = shown.find(account);
    // hledger leaves out an account no posting touched; its balance must then be zero.
    const std::string hledger_balance = it == shown.end() ? "0.00" : it->second;
    EXPECT_EQ(hledger_balance, balance) << account;
    nonzero += balance == "0.00" ? 0 : 1;
    case_accounts_shown += it != shown.end() && account.starts_with("liabilities:cases:") ? 1 : 0;
  }
  for (const auto& [account, balance] : shown) {
    EXPECT_TRUE(expected.contains(account))
        << "hledger has " << account << " = " << balance << ", caseledger has no such account";
  }
  // The comparison is not vacuous: money sits in the bank and in cases, and many cases had
  // postings, their numbers with ASCII parentheses and CJK as accounts.
  EXPECT_NE(expected.at("assets:bank"), "0.00");
  EXPECT_GE(nonzero, 5u);
  EXPECT_GE(case_accounts_shown, 20u);
  // Assets equal liabilities: the whole journal nets to zero.
  int64_t total_fen = 0;
  for (const auto& [account, balance] : shown) total_fen += FenOf(balance);
  EXPECT_EQ(total_fen, 0);
}

TEST_F(JournalCliTest, EveryAccountKindStdoutEqualsFileAndHledgerStrictAccepts) {
  const std::string case_no = "(2024)甘0102执7号";
  const std::string in_case = R"("case_no":")" + case_no + R"(",)";
  // A request id with every character a journal could trip on (':' in the shape reconcile
  // --record makes, the only one that may hold it: SPEC §1); full-width parentheses in the case
  // number as a user may type them (stored, and named in the account, as ASCII). Money ends up
  // in all five accounts, so each mapping and sign is seen with a non-zero balance.
  const CliRun applied =
      Apply({Cmd("reconcile:open;1|x:y,z:w", "2024-03-01",
                 R"("open_case":{"case_no":"（2024）甘0102执7号","claim":"100000",)"
                 R"("creditors":[{"party_id":"c1","name":"某公司"}],)"
                 R"("debtors":[{"party_id":"d1","name":"张某"}]})"),
             Cmd("reconcile:rcpt;2|a:b,c:d", "2024-03-02",
                 R"("receipt":{)" + in_case +
                     R"("amount":"1234.56","bank_ref":"B1","source":"debtor_payment"})"),
             Cmd("fee-3", "2024-03-03", R"("charge_fee":{)" + in_case + R"("amount":"34.56"})"),
             Cmd("lodge-4", "2024-03-04",
                 R"("lodge":{"lodgment_id":"L1",)" + in_case +
                     R"("payee":"c1","amount":"100.00","ground":"refused"})"),
             Cmd("unid-5", "2024-03-05",
                 R"("unidentified_receipt":{"amount":"77.00","bank_ref":"B2","payer":"杨帆"})")});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  for (const json::Value& result : cli_test::CliFixture::Results(applied)) {
    ASSERT_TRUE(IsOk(result)) << cli_test::ErrorMessage(result);
  }
  const std::string journal = ExportJournal();
  ASSERT_FALSE(journal.empty());
  const CliRun to_stdout = Run({"--db", db_, "export", "--format", "journal"});
  EXPECT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, ReadFile(journal));
  const CliRun dash = Run({"--db", db_, "export", "--format", "journal", "--output", "-"});
  EXPECT_EQ(dash.out, to_stdout.out);

  // Strict: accounts, commodities and tags declared; the transactions balance.
  const CliRun check = Hledger({"-s", "-f", journal, "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  // The description is the operation and the case number, never the request id.
  const CliRun reg = Hledger({"-f", journal, "register", "-O", "csv"});
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  std::set<std::string> descriptions;
  std::istringstream lines(reg.out);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> header = CsvFields(line);
  const auto column = std::find(header.begin(), header.end(), "description") - header.begin();
  while (std::getline(lines, line)) {
    const std::vector<std::string> fields = CsvFields(line);
    if (static_cast<size_t>(column) < fields.size()) descriptions.insert(fields[column]);
  }
  EXPECT_EQ(descriptions, (std::set<std::string>{"receipt " + case_no, "charge_fee " + case_no,
                                                 "lodge " + case_no, "unidentified_receipt"}))
      << reg.out;
  const std::map<std::string, std::string> expected = {
      {"assets:bank", "1311.56"},
      {"liabilities:suspense", "-77.00"},
      {"liabilities:fees", "-34.56"},
      {"liabilities:lodgment", "-100.00"},
      {"liabilities:cases:" + case_no, "-1100.00"}};
  EXPECT_EQ(HledgerBalances(journal), expected);
  EXPECT_EQ(CaseledgerBalances(), expected);
  // The entry without postings is a comment line that names it.
  const std::string text = ReadFile(journal);
  EXPECT_NE(text.find("\n; seq 1, 2024-03-01 open_case " + case_no + ": no money moved"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    ; request_id: reconcile:rcpt;2|a:b,c:d\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n; end of journal: seq 1 to 5\n"), std::string::npos) << text;
}

TEST_F(JournalCliTest, EmptyLedgerExportsAValidJournal) {
  const CliRun created = Apply({});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string journal = ExportJournal();
  ASSERT_FALSE(journal.empty());
  EXPECT_NE(ReadFile(journal).find("; head seq: 0\n"), std::string::npos) << ReadFile(journal);
  const CliRun check = Hledger({"-s", "-f", journal, "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(HledgerBalances(journal).empty());
}

TEST_F(JournalCliTest, UnwritableOutputIsAUsageError) {
  ASSERT_EQ(Apply({}).exit_code, 0);
  for (const fs::path& output : {dir_ / "no-such-directory" / "x.journal", dir_}) {
    const CliRun run =
        Run({"--db", db_, "export", "--format", "journal", "--output", output.string()});
    EXPECT_EQ(run.exit_code, 2) << output;
    EXPECT_NE(run.err.find("cannot write " + output.string()), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

TEST_F(JournalCliTest, JsonFlagIsAUsageError) {
  ASSERT_EQ(Apply({}).exit_code, 0);
  const std::string file = (dir_ / "x.journal").string();
  const CliRun run = Run({"--db", db_, "--json", "export", "--format", "journal", "-o", file});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--json"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(JournalCliTest, NoLedgerIsReportedNotAnEmptyJournal) {
  const std::string file = (dir_ / "x.journal").string();
  const CliRun run = Run({"--db", db_, "export", "--format", "journal", "--output", file});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("NO_LEDGER"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(file));
}

}  // namespace
}  // namespace caseledger
