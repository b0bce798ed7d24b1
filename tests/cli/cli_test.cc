// Proves the real caseledger binary keeps the command-line contract of SPEC §1–§3 end to end:
// apply's line-by-line results and exit codes, --atomic, idempotent replays, the reading
// commands' JSON shapes, tables and errors, global flags, that ID numbers are never echoed, and
// that the demo month (demo/month.jsonl) applies cleanly and verifies.
#include <gtest/gtest.h>
#include <poll.h>
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
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
using cli_test::PipedChild;
using cli_test::StartPiped;
using cli_test::Str;
using cli_test::WriteFile;
namespace fs = std::filesystem;

constexpr const char* kCase = "(2024)甘0102执1234号";
constexpr const char* kCase2 = "(2024)甘0102执恢88号";
constexpr const char* kOtherCourtCase = "(2024)京0105执77号";

std::string OpenCase(const std::string& request_id, const std::string& case_no,
                     const std::string& claim, const std::string& on = "2024-03-01") {
  return Cmd(request_id, on,
             R"("open_case":{"case_no":")" + case_no + R"(","claim":")" + claim +
                 R"(","judge":"马建国","creditors":[{"party_id":"c-zhang","name":"张明",)"
                 R"("account":"6228480010000000001"}],"debtors":[{"party_id":"d-lz-jianshe",)"
                 R"("name":"兰州某建设工程有限公司","kind":"enterprise"}]})");
}

std::string Receipt(const std::string& request_id, const std::string& case_no,
                    const std::string& amount, const std::string& bank_ref,
                    const std::string& on = "2024-03-05") {
  return Cmd(request_id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + bank_ref + R"(","source":"debtor_payment","payer":"李强"})");
}

// The shared fixture (cli_util.h) plus a seeded ledger and a case reader.
class CliTest : public CliFixture {
 protected:
  // A ledger with two cases of court 甘0102 (one open with money), and one of 京0105.
  void Seed() {
    const CliRun run = Apply({OpenCase("open-1", kCase, "500000"),
                              Receipt("rcpt-1", kCase, "50000.00", "B240305-0001"),
                              OpenCase("open-2", kCase2, "86000", "2024-03-06"),
                              OpenCase("open-3", kOtherCourtCase, "12000", "2024-03-07")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    ASSERT_EQ(run.Lines().size(), 4u) << run.out;
  }

  json::Value CaseJson(const std::string& case_no, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {"--db", db_, "case", case_no, "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << run.out;
    return ParseJson(run.out);
  }
};

using CliApply = CliTest;
using CliRead = CliTest;
using CliFlags = CliTest;
using CliCalc = CliTest;

// ---------------------------------------------------------------------------------------
// apply

TEST_F(CliApply, OneResultPerNonBlankLineInOrderBlankLinesGiveNone) {
  const CliRun run = Run({"--db", db_, "apply", "-"},
                         "\n" + OpenCase("open-1", kCase, "500000") + "\n\n   \n\t\n" +
                             Receipt("rcpt-1", kCase, "1000.00", "B1") + "\n\n" +
                             Receipt("rcpt-2", kCase, "2000.00", "B2") + "\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 3u) << run.out;
  const char* ids[] = {"open-1", "rcpt-1", "rcpt-2"};
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(IsOk(results[i])) << run.out;
    EXPECT_EQ(Str(results[i], "request_id"), ids[i]);
    EXPECT_EQ(Str(results[i], "seq"), std::to_string(i + 1));
    ASSERT_NE(results[i].Find("created"), nullptr);
    EXPECT_TRUE(results[i].Find("created")->boolean);
  }
  // The account number is 16 digits with valid MOD 97-10 check digits: the first one made.
  EXPECT_EQ(Str(results[0], "account_no"), "8801000000000137");
  EXPECT_EQ(results[1].Find("account_no"), nullptr);
}

TEST_F(CliApply, AcceptsCrlfLineEndingsAndALeadingBom) {
  const std::string input = "\xEF\xBB\xBF" + OpenCase("open-1", kCase, "500000") + "\r\n\r\n" +
                            Receipt("rcpt-1", kCase, "1000.00", "B1") + "\r\n";
  const CliRun run = Run({"--db", db_, "apply"}, input);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 2u) << run.out;
  EXPECT_TRUE(IsOk(results[0])) << run.out;
  EXPECT_TRUE(IsOk(results[1])) << run.out;
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "1000.00");
}

TEST_F(CliApply, MalformedLinesAreInvalidArgumentAndLaterLinesStillRun) {
  struct Bad {
    std::string line;
    std::string request_id;  // expected in the result; "<null>" when the line has none
    std::string fragment;    // expected in the message
  };
  const std::string rc = R"("receipt":{"case_no":"(2024)甘0102执1234号",)";
  const std::vector<Bad> bad = {
      {"{not json at all", "<null>", "not JSON"},
      {std::string(R"({"request_id":"u","operator":"x","on":"2024-03-05","memo":")") +
           "\xC3\x28\xFF" + "\"}",
       "<null>", "UTF-8"},
      {R"({"request_id":"dup","request_id":"dup2","operator":"x","on":"2024-03-05",)" + rc +
           R"("amount":"5","bank_ref":"B9","source":"other"}})",
       "<null>", "duplicate key"},
      {Cmd("nan", "2024-03-05", rc + R"("amount":NaN,"bank_ref":"B9","source":"other"})"), "<null>",
       "NaN"},
      {Cmd("unknown", "2024-03-05",
           rc + R"("amount":"5","bank_ref":"B9","source":"other","foo":"bar"})"),
       "unknown", "receipt.foo"},
      {Cmd("missing", "2024-03-05", rc + R"("bank_ref":"B9","source":"other"})"), "missing",
       "receipt.amount"},
      {Cmd("type", "2024-03-05", rc + R"("amount":"5","bank_ref":"B9","source":7})"), "type",
       "receipt.source"},
      {Cmd("number", "2024-03-05", rc + R"("amount":5,"bank_ref":"B9","source":"other"})"),
       "number", "receipt.amount"},
      {Cmd("date", "2024-02-30", rc + R"("amount":"5","bank_ref":"B9","source":"other"})"), "date",
       "on"},
      {Cmd("vdate", "2024-03-05",
           rc + R"("amount":"5","bank_ref":"B9","source":"other","value_date":"2024-02-30"})"),
       "vdate", "receipt.value_date"},
      {Cmd("fullwidth", "2024-03-05", rc + R"("amount":"５","bank_ref":"B9","source":"other"})"),
       "fullwidth", "receipt.amount"},
  };
  std::vector<std::string> lines = {OpenCase("open-1", kCase, "500000")};
  for (size_t i = 0; i < bad.size(); ++i) {
    lines.push_back(bad[i].line);
    lines.push_back(Receipt("good-" + std::to_string(i), kCase, "100.00", "G" + std::to_string(i)));
  }
  const CliRun run = Apply(lines);
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), lines.size()) << run.out;
  EXPECT_TRUE(IsOk(results[0]));
  for (size_t i = 0; i < bad.size(); ++i) {
    const json::Value& rejected = results[1 + 2 * i];
    const json::Value& after = results[2 + 2 * i];
    SCOPED_TRACE(bad[i].line);
    EXPECT_FALSE(IsOk(rejected));
    EXPECT_EQ(ErrorCode(rejected), "INVALID_ARGUMENT");
    EXPECT_EQ(Str(rejected, "request_id"), bad[i].request_id);
    EXPECT_NE(ErrorMessage(rejected).find(bad[i].fragment), std::string::npos)
        << ErrorMessage(rejected);
    EXPECT_EQ(rejected.Find("seq"), nullptr);
    EXPECT_TRUE(IsOk(after)) << Str(after, "request_id") << " " << ErrorMessage(after);
    EXPECT_EQ(Str(after, "request_id"), "good-" + std::to_string(i));
  }
  // Only the good lines were recorded.
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), std::to_string(bad.size() * 100) + ".00");
}

TEST_F(CliApply, RequestIdIsNullWhenTheLineHasNone) {
  const CliRun run = Apply({R"({"operator":"x","on":"2024-03-05","close_case":{"case_no":")" +
                            std::string(kCase) + R"(","mode":"withdrawn"}})"});
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 1u) << run.out;
  EXPECT_EQ(ErrorCode(results[0]), "INVALID_ARGUMENT");
  ASSERT_NE(results[0].Find("request_id"), nullptr);
  EXPECT_TRUE(results[0].Find("request_id")->is_null());
  EXPECT_NE(ErrorMessage(results[0]).find("request_id"), std::string::npos);
}

TEST_F(CliApply, LineOverSixteenMebibytesIsRejectedAndTheNextLineRuns) {
  const std::string huge =
      R"({"request_id":"huge","operator":"x","on":"2024-03-05","unidentified_receipt":{"amount":"1","bank_ref":"H1","memo":")" +
      std::string(16 * 1024 * 1024 + 10, 'a') + "\"}}";
  const CliRun run =
      Apply({OpenCase("open-1", kCase, "500000"), huge, Receipt("rcpt-1", kCase, "7.00", "B1")});
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 3u) << run.out.substr(0, 1000);
  EXPECT_TRUE(IsOk(results[0]));
  EXPECT_EQ(ErrorCode(results[1]), "INVALID_ARGUMENT");
  EXPECT_TRUE(IsOk(results[2])) << ErrorMessage(results[2]);
  EXPECT_EQ(Str(results[2], "request_id"), "rcpt-1");
  EXPECT_LT(run.out.size(), 4096u);  // the long line is not echoed back
}

TEST_F(CliApply, AtomicWithARejectedLineCommitsNothing) {
  const CliRun run =
      Apply({OpenCase("open-1", kCase, "500000"), Receipt("rcpt-1", kCase, "1000.00", "B1"),
             Receipt("rcpt-2", "(2024)甘0102执9999号", "1000.00", "B2"),
             Receipt("rcpt-3", kCase, "2000.00", "B3")},
            {"--atomic"});
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 4u) << run.out;
  EXPECT_EQ(ErrorCode(results[2]), "UNKNOWN_CASE");
  EXPECT_EQ(Str(results[2], "request_id"), "rcpt-2");
  for (size_t i : {0u, 1u, 3u}) {
    EXPECT_FALSE(IsOk(results[i]));
    EXPECT_EQ(ErrorCode(results[i]), "NOT_COMMITTED") << i;
  }
  const CliRun after = Run({"--db", db_, "case", kCase, "--json"});
  EXPECT_EQ(after.exit_code, 1) << after.out << after.err;
  EXPECT_EQ(ErrorCode(ParseJson(after.out)), "UNKNOWN_CASE");
}

TEST_F(CliApply, AtomicWithAMalformedLineCommitsNothing) {
  const CliRun run =
      Apply({OpenCase("open-1", kCase, "500000"), "{oops", Receipt("r", kCase, "1.00", "B1")},
            {"--atomic"});
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 3u) << run.out;
  EXPECT_EQ(ErrorCode(results[0]), "NOT_COMMITTED");
  EXPECT_EQ(ErrorCode(results[1]), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(results[2]), "NOT_COMMITTED");
  EXPECT_EQ(Run({"--db", db_, "case", kCase, "--json"}).exit_code, 1);
}

TEST_F(CliApply, AtomicSuccessRecordsEveryLine) {
  const CliRun run =
      Apply({OpenCase("open-1", kCase, "500000"), Receipt("rcpt-1", kCase, "1000.00", "B1"),
             Receipt("rcpt-2", kCase, "2000.50", "B2")},
            {"--atomic"});
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 3u) << run.out;
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(IsOk(results[i])) << run.out;
    EXPECT_EQ(Str(results[i], "seq"), std::to_string(i + 1));
  }
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "3000.50");
}

TEST_F(CliApply, EmptyInputExitsZeroWithNoResult) {
  for (const std::string input : {"", "\n\n", "\xEF\xBB\xBF\r\n"}) {
    const CliRun run = Run({"--db", db_, "apply"}, input);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "");
  }
  const CliRun atomic = Run({"--db", db_, "apply", "--atomic"}, "");
  EXPECT_EQ(atomic.exit_code, 0) << atomic.err;
  EXPECT_EQ(atomic.out, "");
}

TEST_F(CliApply, ReplayedRequestReturnsTheStoredResultWithCreatedFalse) {
  const std::vector<std::string> lines = {OpenCase("open-1", kCase, "500000"),
                                          Receipt("rcpt-1", kCase, "1000.00", "B1")};
  const auto first = Results(Apply(lines));
  ASSERT_EQ(first.size(), 2u);
  // Same bodies, other key order and spacing: replays.
  const CliRun again = Apply(
      {lines[0], std::string(R"({ "receipt": {"source":"debtor_payment", "payer":"李强",)") +
                     R"( "bank_ref":"B1", "amount":"1000.00", "case_no":")" + kCase +
                     R"("}, "on":"2024-03-05", "operator":"clerk.wang", "request_id":"rcpt-1" })"});
  EXPECT_EQ(again.exit_code, 0) << again.out;
  const auto results = Results(again);
  ASSERT_EQ(results.size(), 2u) << again.out;
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(IsOk(results[i])) << again.out;
    ASSERT_NE(results[i].Find("created"), nullptr);
    EXPECT_FALSE(results[i].Find("created")->boolean);
    EXPECT_EQ(Str(results[i], "seq"), Str(first[i], "seq"));
  }
  EXPECT_EQ(Str(results[0], "account_no"), Str(first[0], "account_no"));
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "1000.00");
  // "1000" is not "1000.00": a different body under the same request id.
  const CliRun conflict = Apply({Receipt("rcpt-1", kCase, "1000", "B1")});
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_EQ(ErrorCode(ParseJson(conflict.out)), "IDEMPOTENCY_CONFLICT");
}

TEST_F(CliApply, MissingFileIsAUsageError) {
  const CliRun run = Run({"--db", db_, "apply", (dir_ / "no-such.jsonl").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no-such.jsonl"), std::string::npos) << run.err;
}

TEST_F(CliApply, ADirectoryIsAnUnreadableFile) {
  const CliRun run = Run({"--db", db_, "apply", dir_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(run.err.empty());
  EXPECT_FALSE(fs::exists(db_));  // nothing was created for a file that cannot be read
}

TEST_F(CliApply, ReadsAFileArgument) {
  WriteFile(dir_ / "cmds.jsonl",
            OpenCase("open-1", kCase, "500000") + "\n" + Receipt("r", kCase, "5.00", "B1"));
  const CliRun run = Run({"apply", (dir_ / "cmds.jsonl").string(), "--db", db_});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.Lines().size(), 2u);  // a last line without '\n' still counts
}

// Reads one line from `fd`, waiting at most `seconds`; "" on timeout or end of input.
std::string ReadLineWithin(int fd, int seconds) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c = 0;
    if (read(fd, &c, 1) != 1) return line;
    if (c == '\n') return line;
    line += c;
  }
  return line;
}

TEST_F(CliApply, StdinIsAnsweredAsItArrivesAndHoldsTheWriteLock) {
  const PipedChild child =
      StartPiped({CASELEDGER_BINARY, "--db", db_, "apply"}, EnvFor({}), /*pipe_stdout=*/true);
  ASSERT_GT(child.pid, 0);
  const pid_t pid = child.pid;
  auto send = [&](const std::string& line) {
    const std::string text = line + "\n";
    EXPECT_EQ(write(child.to_child, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  };
  // The first result comes while stdin is still open.
  send(OpenCase("open-1", kCase, "500000"));
  const json::Value first = ParseJson(ReadLineWithin(child.from_child, 30));
  EXPECT_TRUE(IsOk(first));
  EXPECT_EQ(Str(first, "request_id"), "open-1");
  // Meanwhile a second writer is refused, and a reader sees the committed prefix.
  const CliRun second = Apply({Receipt("rcpt-x", kCase, "1.00", "BX")});
  EXPECT_EQ(second.exit_code, 1);
  ASSERT_EQ(second.Lines().size(), 1u) << second.out;
  const json::Value locked = ParseJson(second.out);
  EXPECT_EQ(ErrorCode(locked), "LEDGER_LOCKED");
  EXPECT_TRUE(locked.Find("request_id") != nullptr && locked.Find("request_id")->is_null());
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "0.00");

  send(Receipt("rcpt-1", kCase, "1000.00", "B1"));
  const json::Value receipt = ParseJson(ReadLineWithin(child.from_child, 30));
  EXPECT_EQ(Str(receipt, "request_id"), "rcpt-1");
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "1000.00");
  close(child.to_child);
  EXPECT_EQ(ReadLineWithin(child.from_child, 30), "");  // nothing more after end of input
  close(child.from_child);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The rejected writer recorded nothing.
  EXPECT_EQ(Run({"--db", db_, "history", kCase, "--json"}).Lines().size(), 2u);
}

TEST_F(CliApply, RejectedIdNumberIsNeverEchoed) {
  const std::string id_number = "620102198001011235";  // check character should be X
  const CliRun run =
      Apply({Cmd("open-1", "2024-03-01",
                 R"("open_case":{"case_no":")" + std::string(kCase) +
                     R"(","claim":"30000","creditors":[{"party_id":"c1",)"
                     R"("name":"张明","id_type":"resident_id","id_number":")" +
                     id_number + R"("}],"debtors":[{"party_id":"d1","name":"王刚"}]})")});
  EXPECT_EQ(run.exit_code, 1);
  const auto results = Results(run);
  ASSERT_EQ(results.size(), 1u) << run.out;
  EXPECT_EQ(ErrorCode(results[0]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(results[0]).find("open_case.creditors[0].id_number"), std::string::npos)
      << ErrorMessage(results[0]);
  EXPECT_EQ(run.out.find("6201021980"), std::string::npos) << run.out;
  EXPECT_EQ(run.err.find("6201021980"), std::string::npos) << run.err;
}

// ---------------------------------------------------------------------------------------
// reading

TEST_F(CliRead, ReadingCommandsOnAnEmptyDirectoryAreNoLedger) {
  const std::vector<std::vector<std::string>> commands = {
      {"case", kCase}, {"cases"}, {"history", kCase}, {"balance"}, {"verify"}};
  for (const auto& command : commands) {
    SCOPED_TRACE(command[0]);
    std::vector<std::string> args = {"--db", db_};
    args.insert(args.end(), command.begin(), command.end());
    const CliRun text = Run(args);
    EXPECT_EQ(text.exit_code, 2);
    EXPECT_EQ(text.out, "");
    EXPECT_NE(text.err.find("NO_LEDGER"), std::string::npos) << text.err;
    args.push_back("--json");
    const CliRun json = Run(args);
    EXPECT_EQ(json.exit_code, 2);
    ASSERT_EQ(json.Lines().size(), 1u) << json.out;
    const json::Value error = ParseJson(json.out);
    ASSERT_NE(error.Find("ok"), nullptr);
    EXPECT_FALSE(error.Find("ok")->boolean);
    EXPECT_EQ(ErrorCode(error), "NO_LEDGER");
    EXPECT_NE(ErrorMessage(error), "<absent>");
  }
  // Reading created nothing.
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(CliRead, UnknownCaseIsExitOne) {
  Seed();
  const CliRun json = Run({"--db", db_, "case", "(2024)甘0102执9999号", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  const json::Value error = ParseJson(json.out);
  EXPECT_FALSE(error.Find("ok")->boolean);
  EXPECT_EQ(ErrorCode(error), "UNKNOWN_CASE");
  const CliRun text = Run({"--db", db_, "case", "(2024)甘0102执9999号"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.out, "");
  EXPECT_NE(text.err.find("UNKNOWN_CASE"), std::string::npos);
}

TEST_F(CliRead, CaseJsonHasEveryFieldOfSpecSection3) {
  Seed();
  const json::Value c = CaseJson(kCase);
  ASSERT_TRUE(c.is_object());
  const std::regex two_decimals("^(0|[1-9][0-9]*)\\.[0-9]{2}$");
  for (const char* key :
       {"claim", "ordinary_interest", "fee", "delay_interest", "recovered", "disbursed", "fees",
        "refunded", "lodged", "remitted", "balance", "held", "pending", "available", "outstanding",
        "fee_due", "overdue_amount", "unpaid_over_one_year", "chain_recovered"}) {
    const json::Value* v = c.Find(key);
    ASSERT_NE(v, nullptr) << key;
    ASSERT_TRUE(v->is_string()) << key;
    EXPECT_TRUE(std::regex_match(v->text, two_decimals)) << key << " = " << v->text;
  }
  for (const char* key : {"case_no", "account_no", "court", "status", "filed_on", "deadline"}) {
    ASSERT_NE(c.Find(key), nullptr) << key;
    EXPECT_TRUE(c.Find(key)->is_string()) << key;
  }
  for (const char* key : {"judge", "mode", "closed_on", "performance_due", "oldest_overdue_since",
                          "restored_from", "restored_to"}) {
    const json::Value* v = c.Find(key);
    ASSERT_NE(v, nullptr) << key;
    EXPECT_TRUE(v->is_null() || v->is_string()) << key;
  }
  for (const char* key : {"creditors", "debtors"}) {
    ASSERT_NE(c.Find(key), nullptr) << key;
    ASSERT_TRUE(c.Find(key)->is_array()) << key;
    EXPECT_EQ(c.Find(key)->items.size(), 1u) << key;
  }
  EXPECT_EQ(Str(c, "case_no"), kCase);
  EXPECT_EQ(Str(c, "account_no"), "8801000000000137");
  EXPECT_EQ(Str(c, "court"), "甘0102");
  EXPECT_EQ(Str(c, "judge"), "马建国");
  EXPECT_EQ(Str(c, "status"), "open");
  EXPECT_EQ(Str(c, "mode"), "<null>");
  EXPECT_EQ(Str(c, "filed_on"), "2024-03-01");
  EXPECT_EQ(Str(c, "closed_on"), "<null>");
  EXPECT_EQ(Str(c, "claim"), "500000.00");
  EXPECT_EQ(Str(c, "fee"), "7400.00");
  EXPECT_EQ(Str(c, "delay_interest"), "0.00");  // no performance_due
  EXPECT_EQ(Str(c, "recovered"), "50000.00");
  EXPECT_EQ(Str(c, "balance"), "50000.00");
  EXPECT_EQ(Str(c, "available"), "50000.00");
  EXPECT_EQ(Str(c, "outstanding"), "457400.00");
  EXPECT_EQ(Str(c, "fee_due"), "7400.00");
  const json::Value& creditor = c.Find("creditors")->items[0];
  EXPECT_EQ(Str(creditor, "party_id"), "c-zhang");
  EXPECT_EQ(Str(creditor, "name"), "张明");
  EXPECT_EQ(Str(c.Find("debtors")->items[0], "kind"), "enterprise");
}

TEST_F(CliRead, CaseAsOfAndAtSeqShowEarlierFigures) {
  Seed();
  EXPECT_EQ(Str(CaseJson(kCase), "recovered"), "50000.00");
  // Before the receipt's date, and at the entry before it.
  const json::Value as_of = CaseJson(kCase, {"--as-of", "2024-03-04"});
  EXPECT_EQ(Str(as_of, "recovered"), "0.00");
  EXPECT_EQ(Str(as_of, "balance"), "0.00");
  EXPECT_EQ(Str(as_of, "outstanding"), "507400.00");
  const json::Value at_seq = CaseJson(kCase, {"--at-seq", "1"});
  EXPECT_EQ(Str(at_seq, "recovered"), "0.00");
  EXPECT_EQ(Str(CaseJson(kCase, {"--at-seq", "2"}), "recovered"), "50000.00");
  EXPECT_EQ(Str(CaseJson(kCase, {"--as-of", "2024-03-05"}), "recovered"), "50000.00");
  // Before the case was filed there is no case.
  const CliRun before = Run({"--db", db_, "case", kCase, "--as-of", "2024-02-28", "--json"});
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_EQ(ErrorCode(ParseJson(before.out)), "UNKNOWN_CASE");
  // Malformed values are usage errors.
  EXPECT_EQ(Run({"--db", db_, "case", kCase, "--as-of", "2024-02-30"}).exit_code, 2);
  EXPECT_EQ(Run({"--db", db_, "case", kCase, "--at-seq", "99"}).exit_code, 2);
  EXPECT_EQ(Run({"--db", db_, "case", kCase, "--at-seq", "1", "--as-of", "2024-03-04"}).exit_code,
            2);
}

TEST_F(CliRead, CasesJsonIsOneArrayAndFiltersByStatusAndCourt) {
  Seed();
  const CliRun all = Run({"--db", db_, "cases", "--json"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  ASSERT_EQ(all.Lines().size(), 1u) << all.out;
  const json::Value list = ParseJson(all.out);
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.items.size(), 3u);
  std::set<std::string> numbers;
  for (const auto& row : list.items) {
    for (const char* key :
         {"case_no", "status", "filed_on", "claim", "recovered", "balance", "overdue_amount"}) {
      ASSERT_NE(row.Find(key), nullptr) << key;
      EXPECT_TRUE(row.Find(key)->is_string()) << key;
    }
    numbers.insert(Str(row, "case_no"));
    if (Str(row, "case_no") == kCase) {
      EXPECT_EQ(Str(row, "claim"), "500000.00");
      EXPECT_EQ(Str(row, "recovered"), "50000.00");
      EXPECT_EQ(Str(row, "balance"), "50000.00");
      EXPECT_EQ(Str(row, "status"), "open");
    }
  }
  EXPECT_EQ(numbers, (std::set<std::string>{kCase, kCase2, kOtherCourtCase}));

  auto count = [&](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"cases", "--json", "--db", db_};
    args.insert(args.end(), flags.begin(), flags.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const json::Value value = ParseJson(run.out);
    EXPECT_TRUE(value.is_array());
    return value.items.size();
  };
  EXPECT_EQ(count({"--court", "甘0102"}), 2u);
  EXPECT_EQ(count({"--court", "甘"}), 2u);
  EXPECT_EQ(count({"--court", "京"}), 1u);
  EXPECT_EQ(count({"--court", "沪"}), 0u);
  EXPECT_EQ(count({"--status", "open"}), 3u);
  EXPECT_EQ(count({"--status", "closed"}), 0u);
  EXPECT_EQ(count({"--status", "open", "--court", "京0105"}), 1u);

  // Closing the empty 京 case moves it between the filters.
  const CliRun close = Apply({Cmd(
      "close-3", "2024-03-08",
      R"("close_case":{"case_no":")" + std::string(kOtherCourtCase) + R"(","mode":"withdrawn"})")});
  EXPECT_EQ(close.exit_code, 0) << close.out;
  EXPECT_EQ(count({"--status", "closed"}), 1u);
  EXPECT_EQ(count({"--status", "open"}), 2u);
  EXPECT_EQ(count({"--status", "closed", "--court", "甘"}), 0u);
}

TEST_F(CliRead, CasesOnADateShowEachCaseAsItStoodThen) {
  Seed();
  const CliRun closed = Apply({Cmd(
      "close-3", "2024-03-08",
      R"("close_case":{"case_no":")" + std::string(kOtherCourtCase) + R"(","mode":"withdrawn"})")});
  ASSERT_EQ(closed.exit_code, 0) << closed.out;
  auto list = [&](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"--db", db_, "cases", "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return ParseJson(run.out);
  };
  // On 03-04 only the first case was filed, and its receipt of 03-05 had not come.
  const json::Value early = list({"--on", "2024-03-04"});
  ASSERT_EQ(early.items.size(), 1u) << json::Canonical(early);
  EXPECT_EQ(Str(early.items[0], "case_no"), kCase);
  EXPECT_EQ(Str(early.items[0], "recovered"), "0.00");
  EXPECT_EQ(Str(early.items[0], "balance"), "0.00");
  EXPECT_EQ(Str(list({"--on", "2024-03-05"}).items[0], "recovered"), "50000.00");
  // The 京 case was open on 03-07 and closed from 03-08.
  EXPECT_EQ(list({"--on", "2024-03-07", "--status", "closed"}).items.size(), 0u);
  EXPECT_EQ(list({"--on", "2024-03-07", "--status", "open"}).items.size(), 3u);
  EXPECT_EQ(list({"--on", "2024-03-08", "--status", "closed"}).items.size(), 1u);
  EXPECT_EQ(list({"--on", "2024-02-29"}).items.size(), 0u);
}

TEST_F(CliRead, HistoryJsonIsOneObjectPerEntryLine) {
  Seed();
  const CliRun run = Run({"history", kCase, "--json", "--db", db_});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto lines = run.Lines();
  ASSERT_EQ(lines.size(), 2u) << run.out;
  const char* ops[] = {"open_case", "receipt"};
  const char* ids[] = {"open-1", "rcpt-1"};
  for (size_t i = 0; i < lines.size(); ++i) {
    const json::Value entry = ParseJson(lines[i]);
    for (const char* key :
         {"seq", "request_id", "operator", "on", "recorded_at", "op", "body", "postings", "hash"}) {
      EXPECT_NE(entry.Find(key), nullptr) << key;
    }
    EXPECT_EQ(Str(entry, "seq"), std::to_string(i + 1));
    EXPECT_EQ(Str(entry, "request_id"), ids[i]);
    EXPECT_EQ(Str(entry, "operator"), "clerk.wang");
    EXPECT_EQ(Str(entry, "op"), ops[i]);
    EXPECT_TRUE(std::regex_match(Str(entry, "hash"), std::regex("^[0-9a-f]{64}$")));
    EXPECT_TRUE(
        std::regex_match(Str(entry, "recorded_at"), std::regex("^\\d{4}-\\d\\d-\\d\\dT.*Z$")))
        << Str(entry, "recorded_at");
    ASSERT_NE(entry.Find("body"), nullptr);
    EXPECT_TRUE(entry.Find("body")->is_object());
    ASSERT_NE(entry.Find("postings"), nullptr);
    EXPECT_TRUE(entry.Find("postings")->is_array());
  }
  const json::Value receipt = ParseJson(lines[1]);
  EXPECT_EQ(Str(receipt, "on"), "2024-03-05");
  EXPECT_EQ(receipt.Find("postings")->items.size(), 2u);
  const json::Value* body = receipt.Find("body")->Find("receipt");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(Str(*body, "amount"), "50000.00");
  EXPECT_EQ(Str(*body, "bank_ref"), "B240305-0001");
  // Other cases' entries are not in this case's history.
  const CliRun other = Run({"--db", db_, "history", kCase2, "--json"});
  EXPECT_EQ(other.Lines().size(), 1u) << other.out;
}

TEST_F(CliRead, VerifyJsonIsOk) {
  Seed();
  const CliRun run = Run({"--db", db_, "verify", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const json::Value report = ParseJson(run.out);
  ASSERT_NE(report.Find("ok"), nullptr);
  EXPECT_TRUE(report.Find("ok")->boolean);
  EXPECT_EQ(Str(report, "entries"), "4");
  EXPECT_EQ(Str(report, "head_seq"), "4");
  EXPECT_TRUE(std::regex_match(Str(report, "head_hash"), std::regex("^[0-9a-f]{64}$")));
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");
  EXPECT_EQ(Str(report, "problem"), "<null>");
  // The head hash is the hash of the last entry.
  const CliRun history = Run({"--db", db_, "history", kOtherCourtCase, "--json"});
  EXPECT_EQ(Str(ParseJson(history.out), "hash"), Str(report, "head_hash"));
}

TEST_F(CliRead, VerifyFastPrintsWhatVerifyPrintsAndExits3OnDamage) {
  Seed();
  const CliRun deep = Run({"--db", db_, "verify", "--json"});
  const CliRun fast = Run({"--db", db_, "verify", "--fast", "--json"});
  EXPECT_EQ(fast.exit_code, 0) << fast.out << fast.err;
  EXPECT_EQ(fast.out, deep.out);  // ok, entries, head, no problem, the same digest
  // Entry 2's Merkle leaf ('t' level 0, index 1, proto/FORMAT.md) changed with RocksDB itself.
  const std::string leaf_key = std::string("t") + std::string(8, '\0') + '\x01';
  {
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), db_, &db).ok());
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), leaf_key, &value).ok());
    value[0] ^= 0x01;
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), leaf_key, value).ok());
    ASSERT_TRUE(db->Close().ok());
    delete db;
  }
  const CliRun damaged = Run({"--db", db_, "verify", "--fast", "--json"});
  EXPECT_EQ(damaged.exit_code, 3) << damaged.out << damaged.err;
  const json::Value report = ParseJson(damaged.out);
  ASSERT_NE(report.Find("ok"), nullptr);
  EXPECT_FALSE(report.Find("ok")->boolean);
  EXPECT_EQ(Str(report, "first_bad_seq"), "2");
  EXPECT_EQ(Str(report, "head_seq"), "1");
  EXPECT_NE(Str(report, "problem").find("Merkle"), std::string::npos) << damaged.out;
  // The deep pass names the same entry.
  EXPECT_EQ(Str(ParseJson(Run({"--db", db_, "verify", "--json"}).out), "first_bad_seq"), "2");
  // --fast checks a ledger, not an export.
  EXPECT_EQ(Run({"--db", db_, "verify", "--fast", "--file", "export.jsonl"}).exit_code, 2);
}

TEST_F(CliRead, BalanceJsonAgrees) {
  Seed();
  const CliRun run = Run({"--db", db_, "balance", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json::Value balance = ParseJson(run.out);
  EXPECT_EQ(Str(balance, "bank"), "50000.00");
  EXPECT_EQ(Str(balance, "cases"), "50000.00");
  EXPECT_EQ(Str(balance, "suspense"), "0.00");
  ASSERT_NE(balance.Find("agree"), nullptr);
  EXPECT_TRUE(balance.Find("agree")->boolean);
  EXPECT_EQ(
      Str(ParseJson(Run({"--db", db_, "balance", "--as-of", "2024-03-04", "--json"}).out), "bank"),
      "0.00");
}

TEST_F(CliRead, TablesAreChineseByDefaultAndEnglishWithLangEn) {
  Seed();
  const CliRun zh = Run({"--db", db_, "case", kCase});
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* label : {"案号", "申请执行标的", "执行到位金额", "申请执行人", "被执行人"}) {
    EXPECT_NE(zh.out.find(label), std::string::npos) << label;
  }
  EXPECT_NE(zh.out.find("500,000.00"), std::string::npos) << zh.out;
  EXPECT_EQ(zh.out.find("case_no"), std::string::npos);
  const CliRun en = Run({"--db", db_, "case", kCase, "--lang", "en"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  for (const char* label : {"case_no", "claim", "recovered", "creditor", "debtor"}) {
    EXPECT_NE(en.out.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(en.out.find("案号"), std::string::npos);
  EXPECT_EQ(en.out.find("申请执行标的"), std::string::npos);

  const CliRun cases_zh = Run({"--db", db_, "cases"});
  EXPECT_NE(cases_zh.out.find("案号"), std::string::npos);
  EXPECT_NE(cases_zh.out.find("在办"), std::string::npos);
  const CliRun cases_en = Run({"--lang", "en", "--db", db_, "cases"});
  EXPECT_NE(cases_en.out.find("case_no"), std::string::npos);
  EXPECT_EQ(cases_en.out.find("在办"), std::string::npos);
  const CliRun verify_zh = Run({"--db", db_, "verify"});
  EXPECT_NE(verify_zh.out.find("校验通过"), std::string::npos) << verify_zh.out;
  const CliRun verify_en = Run({"--db", db_, "verify", "--lang", "en"});
  EXPECT_NE(verify_en.out.find("verify OK"), std::string::npos) << verify_en.out;
  // Tables are not JSON.
  EXPECT_FALSE(json::Parse(zh.out).ok());
}

// ---------------------------------------------------------------------------------------
// flags

TEST_F(CliFlags, DbAndJsonAreAcceptedBeforeAndAfterTheSubcommand) {
  const CliRun applied = Run({"apply", "--db", db_}, OpenCase("open-1", kCase, "500000") + "\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const std::vector<std::vector<std::string>> orders = {
      {"--db", db_, "--json", "case", kCase},
      {"--json", "case", kCase, "--db", db_},
      {"case", kCase, "--db", db_, "--json"},
      {"--db", db_, "case", "--json", kCase},
  };
  for (const auto& args : orders) {
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(Str(ParseJson(run.out), "claim"), "500000.00") << run.out;
  }
  const CliRun calc = Run({"calc", "fee", "10000", "--json"});
  EXPECT_EQ(Str(ParseJson(calc.out), "fee"), "50.00");
  const CliRun calc_before = Run({"--json", "calc", "fee", "10000"});
  EXPECT_EQ(Str(ParseJson(calc_before.out), "fee"), "50.00");
}

TEST_F(CliFlags, CaseledgerDbIsUsedWhenDbIsAbsent) {
  const CliRun applied =
      Run({"apply"}, OpenCase("open-1", kCase, "500000") + "\n", {{"CASELEDGER_DB", db_}});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_TRUE(fs::exists(db_));
  EXPECT_FALSE(fs::exists(dir_ / "caseledger-data"));
  const CliRun read = Run({"case", kCase, "--json"}, "", {{"CASELEDGER_DB", db_}});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(Str(ParseJson(read.out), "case_no"), kCase);
  // --db wins over the environment.
  const std::string other = (dir_ / "other").string();
  const CliRun overridden =
      Run({"--db", other, "case", kCase, "--json"}, "", {{"CASELEDGER_DB", db_}});
  EXPECT_EQ(overridden.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(overridden.out)), "NO_LEDGER");
  // Neither: ./caseledger-data (the runs' working directory is the test's directory).
  const CliRun fallback = Run({"apply"}, OpenCase("open-1", kCase, "500000") + "\n");
  EXPECT_EQ(fallback.exit_code, 0) << fallback.out;
  EXPECT_TRUE(fs::exists(dir_ / "caseledger-data"));
}

TEST_F(CliFlags, HelpOnEverySubcommandExitsZero) {
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},           {"apply", "--help"},   {"case", "--help"},
      {"cases", "--help"},  {"history", "--help"}, {"balance", "--help"},
      {"verify", "--help"}, {"calc", "--help"},    {"calc", "fee", "--help"}};
  for (const auto& args : commands) {
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << args[0] << " " << run.err;
    EXPECT_FALSE(run.out.empty()) << args[0];
  }
}

TEST_F(CliFlags, BadFlagsAreUsageErrors) {
  Seed();
  const std::vector<std::vector<std::string>> bad = {
      {"--db", db_, "--no-such-flag", "cases"},
      {"--db", db_, "cases", "--no-such-flag"},
      {"--db", db_, "cases", "--status", "pending"},
      {"--db", db_, "cases", "--on", "2024-13-01"},
      {"--db", db_, "--lang", "fr", "cases"},
      {"--db", db_, "case"},
      {"--db", db_, "no-such-command"},
      {"--db", db_},
      {"calc", "fee", "1e5"},
      {"calc", "fee", "-5"},
      {"--db", db_, "balance", "--as-of", "yesterday"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 2) << joined << run.out << run.err;
    EXPECT_FALSE(run.err.empty()) << joined;
  }
}

// ---------------------------------------------------------------------------------------
// calc

TEST_F(CliCalc, FeeJsonListsTheBracketsReached) {
  const CliRun run = Run({"calc", "fee", "500000", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json::Value fee = ParseJson(run.out);
  EXPECT_EQ(Str(fee, "amount"), "500000.00");
  EXPECT_EQ(Str(fee, "fee"), "7400.00");
  const json::Value* brackets = fee.Find("brackets");
  ASSERT_NE(brackets, nullptr);
  ASSERT_EQ(brackets->items.size(), 2u);
  EXPECT_EQ(Str(brackets->items[0], "from"), "0.00");
  EXPECT_EQ(Str(brackets->items[0], "to"), "10000.00");
  EXPECT_EQ(Str(brackets->items[0], "rate"), "<null>");
  EXPECT_EQ(Str(brackets->items[0], "part"), "50.00");
  EXPECT_EQ(Str(brackets->items[1], "from"), "10000.00");
  EXPECT_EQ(Str(brackets->items[1], "to"), "500000.00");
  EXPECT_EQ(Str(brackets->items[1], "rate"), "0.015");
  EXPECT_EQ(Str(brackets->items[1], "part"), "7350.00");

  // The top bracket's "to" is null; calc needs no ledger.
  const json::Value big = ParseJson(Run({"calc", "fee", "20000000", "--json"}).out);
  EXPECT_EQ(Str(big, "fee"), "87400.00");
  ASSERT_NE(big.Find("brackets"), nullptr);
  ASSERT_EQ(big.Find("brackets")->items.size(), 5u);
  EXPECT_EQ(Str(big.Find("brackets")->items[4], "to"), "<null>");
  EXPECT_FALSE(fs::exists(dir_ / "caseledger-data"));

  const CliRun table = Run({"calc", "fee", "500000"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("7,400.00"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("申请执行费"), std::string::npos) << table.out;
}

// ---------------------------------------------------------------------------------------
// the demo month (demo/month.jsonl, written by tools/make_demo.py)

// The demo's March statement (demo/statement-2024-03.csv, tools/make_demo_statement.py): the
// 71 movements the ledger booked with value dates in March, and two lines of the bank's own the
// ledger has not booked: interest 3,284.16 credited on 03-21 and a charge of 30.00 on 03-29.
// The ledger's bank balance on 03-31 is 173,080.00; the statement closes at 173,080.00 +
// 3,284.16 − 30.00 = 176,334.16, so the difference is −3,254.16 and 账实相符 is no, while the
// reconciliation adjusts both sides to 176,334.16. `reconcile --record` books the two lines as
// bank_interest and bank_charge; then the balances agree and 账实相符 is yes.
TEST_F(CliTest, DemoMonthAgainstItsBankStatement) {
  const fs::path demo = fs::path(CASELEDGER_SOURCE_DIR) / "demo";
  const std::string statement = (demo / "statement-2024-03.csv").string();
  ASSERT_EQ(Run({"--db", db_, "apply", (demo / "month.jsonl").string()}).exit_code, 0);
  const json::Value before =
      ParseJson(Run({"--db", db_, "--json", "balance", "--statement", statement}).out);
  EXPECT_EQ(Str(before, "bank"), "173080.00");
  EXPECT_EQ(Str(before, "statement_balance"), "176334.16");
  EXPECT_EQ(Str(before, "difference"), "-3254.16");
  ASSERT_NE(before.Find("bank_agree"), nullptr);
  EXPECT_FALSE(before.Find("bank_agree")->boolean);
  const json::Value r = ParseJson(
      Run({"--db", db_, "--json", "reconcile", statement, "--period", "2024-03-01:2024-03-31"})
          .out);
  ASSERT_NE(r.Find("matched"), nullptr);
  EXPECT_EQ(r.Find("matched")->items.size(), 71u);
  ASSERT_NE(r.Find("bank_only"), nullptr);
  ASSERT_EQ(r.Find("bank_only")->items.size(), 2u);
  EXPECT_EQ(Str(r.Find("bank_only")->items[0], "bank_ref"), "I240321-0001");
  EXPECT_EQ(r.Find("ledger_only")->items.size(), 0u);
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "176334.16");
  EXPECT_TRUE(r.Find("agree")->boolean);
  const CliRun record =
      Run({"--db", db_, "reconcile", statement, "--record", "--on", "2024-03-31"});
  ASSERT_EQ(record.exit_code, 0) << record.out << record.err;
  const json::Value after =
      ParseJson(Run({"--db", db_, "--json", "balance", "--statement", statement}).out);
  EXPECT_EQ(Str(after, "interest"), "3284.16");
  EXPECT_EQ(Str(after, "charges"), "30.00");
  EXPECT_EQ(Str(after, "difference"), "0.00");
  EXPECT_TRUE(after.Find("bank_agree")->boolean);
}

TEST_F(CliTest, DemoMonthAppliesCleanlyAndVerifies) {
  const fs::path demo = fs::path(CASELEDGER_SOURCE_DIR) / "demo" / "month.jsonl";
  ASSERT_TRUE(fs::exists(demo)) << demo;
  const CliRun run = Run({"--db", db_, "apply", demo.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto results = Results(run);
  size_t commands = 0;
  std::string text;
  {
    std::ifstream in(demo);
    for (std::string line; std::getline(in, line);) {
      commands += line.empty() ? 0 : 1;
      text += line + "\n";
    }
  }
  ASSERT_EQ(results.size(), commands);
  for (const auto& result : results) {
    EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
  }
  // The first command is the court's holiday calendar.
  EXPECT_NE(text.substr(0, text.find('\n')).find("\"set_rules\":{\"holidays\""), std::string::npos);
  const json::Value verify = ParseJson(Run({"--db", db_, "verify", "--json"}).out);
  ASSERT_NE(verify.Find("ok"), nullptr);
  EXPECT_TRUE(verify.Find("ok")->boolean);
  const json::Value balance = ParseJson(Run({"--db", db_, "balance", "--json"}).out);
  ASSERT_NE(balance.Find("agree"), nullptr);
  EXPECT_TRUE(balance.Find("agree")->boolean);
  EXPECT_EQ(Str(balance, "fees"), "0.00");  // the fees went to the treasury
  // One court, 30-40 cases (a few carried over from earlier months), some closed as fully
  // performed with nothing left, one restored after a 终本 closure, some accruing delay interest.
  const json::Value all = ParseJson(Run({"--db", db_, "cases", "--json"}).out);
  const json::Value court =
      ParseJson(Run({"--db", db_, "cases", "--json", "--court", "甘0102"}).out);
  EXPECT_EQ(all.items.size(), court.items.size());
  EXPECT_GE(court.items.size(), 30u);
  EXPECT_LE(court.items.size(), 40u);
  size_t fully_performed = 0, restored = 0, with_delay_interest = 0;
  for (const auto& row : court.items) {
    const json::Value c = CaseJson(Str(row, "case_no"));
    if (Str(c, "performance_due") != "<null>" && Str(c, "delay_interest") != "0.00") {
      ++with_delay_interest;
    }
    if (Str(c, "restored_from") != "<null>") {
      ++restored;
      const json::Value first = CaseJson(Str(c, "restored_from"));
      EXPECT_EQ(Str(first, "mode"), "terminated_this_round");
      EXPECT_EQ(Str(first, "restored_to"), Str(c, "case_no"));
      EXPECT_EQ(Str(c, "chain_recovered"), Str(first, "chain_recovered"));
    }
    if (Str(row, "status") != "closed" || Str(c, "mode") != "fully_performed") continue;
    ++fully_performed;
    EXPECT_EQ(Str(c, "balance"), "0.00") << Str(c, "case_no");
    EXPECT_NE(Str(c, "disbursed"), "0.00") << Str(c, "case_no");
  }
  EXPECT_GE(fully_performed, 1u);
  EXPECT_EQ(restored, 1u);
  EXPECT_GE(with_delay_interest, 3u);
  // The collective disbursement day pays 10-15 cases, some of it money past its 30-day limit.
  std::smatch match;
  ASSERT_TRUE(std::regex_search(text, match, std::regex("\"event_id\":\"([^\"]+)\"")));
  const json::Value event = ParseJson(Run({"--db", db_, "event", match[1].str(), "--json"}).out);
  ASSERT_NE(event.Find("cases"), nullptr);
  EXPECT_GE(std::stoi(event.Find("cases")->text), 10);
  EXPECT_LE(std::stoi(event.Find("cases")->text), 15);
  ASSERT_NE(event.Find("paid_overdue"), nullptr);
  EXPECT_FALSE(event.Find("paid_overdue")->items.empty());
  for (const auto& item : event.Find("paid_overdue")->items) {
    EXPECT_LT(Str(item, "overdue_since"), Str(event, "on"));
  }
  // The distribution pays ranks in order and its shares, costs and surplus make its amount.
  ASSERT_TRUE(std::regex_search(text, match, std::regex("\"distribution_id\":\"([^\"]+)\"")));
  const json::Value plan =
      ParseJson(Run({"--db", db_, "distribution", match[1].str(), "--json"}).out);
  ASSERT_NE(plan.Find("shares"), nullptr);
  const auto fen = [](const std::string& amount) {
    const size_t dot = amount.find('.');
    return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(amount.substr(dot + 1));
  };
  long long paid = fen(Str(plan, "costs")) + fen(Str(plan, "surplus"));
  std::set<std::string> ranks;
  for (const auto& share : plan.Find("shares")->items) {
    paid += fen(Str(share, "share"));
    ranks.insert(share.Find("rank")->text);
  }
  EXPECT_EQ(paid, fen(Str(plan, "amount")));
  EXPECT_GE(ranks.size(), 2u);
  // Listings stand on the defaulter list; one listing was deleted after full payment.
  const json::Value listed = ParseJson(Run({"--db", db_, "defaulters", "--json"}).out);
  EXPECT_GE(listed.items.size(), 2u);
  EXPECT_NE(text.find("\"delist_defaulter\""), std::string::npos);
}

}  // namespace
}  // namespace caseledger

namespace caseledger::cli_test {
namespace {

TEST_F(CliTest, CasesAreListedInRegisterOrder) {
  // Bytewise, "执1333号" sorts before "执23号"; a register lists year, court, type, serial.
  ASSERT_EQ(Apply({OpenCase("o1", "(2024)甘0102执1333号", "100"),
                   OpenCase("o2", "(2024)甘0102执23号", "100"),
                   OpenCase("o3", "(2023)甘0102执900号", "100")})
                .exit_code,
            0);
  const CliRun run = Run({"--db", db_, "cases", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json::Value cases = ParseJson(run.out);
  ASSERT_EQ(cases.items.size(), 3u);
  EXPECT_EQ(cases.items[0].Find("case_no")->text, "(2023)甘0102执900号");
  EXPECT_EQ(cases.items[1].Find("case_no")->text, "(2024)甘0102执23号");
  EXPECT_EQ(cases.items[2].Find("case_no")->text, "(2024)甘0102执1333号");
}

}  // namespace
}  // namespace caseledger::cli_test
