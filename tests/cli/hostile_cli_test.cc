// Proves that hostile input at the edges of the real caseledger binary (issue 9) is refused with
// the error SPEC §2 gives and a message naming the limit or problem, writes nothing, keeps the
// child's peak memory bounded, leaves the good lines around it applied and the ledger usable:
// 100 MB lines, 10 million commands in one --atomic unit, deep nesting, NUL bytes, invalid
// UTF-8, a 10,000-character case number, statements of a million bad rows or over 1 GiB,
// concurrent writers and a read-only directory. (A forged export whose chain is re-hashed is
// AuditTest.ForgedExportFailsAgainstThePublishedHead.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/identifiers.h"
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
using cli_test::WriteFile;
namespace fs = std::filesystem;

constexpr char kCase[] = "(2024)甘0102执1234号";
constexpr size_t kMebibyte = 1024 * 1024;
// A child that held a 100 MB line whole would pass this. The binary's own baseline is about
// 18 MB, and apply with its buffer of one line (up to 16 MiB) stays near 60 MB.
constexpr long kBoundedRssKb = 100 * 1024;

std::string OpenCase(const std::string& request_id, const std::string& case_no,
                     const std::string& creditor_name = "张明") {
  return Cmd(request_id, "2024-03-01",
             R"("open_case":{"case_no":")" + case_no + R"(","claim":"500000",)" +
                 R"("creditors":[{"party_id":"c1","name":")" + creditor_name +
                 R"("}],"debtors":[{"party_id":"d1","name":"兰州某建设工程有限公司",)" +
                 R"("kind":"enterprise"}]})");
}

std::string Receipt(const std::string& request_id, const std::string& amount,
                    const std::string& bank_ref, const std::string& payer = "李强",
                    const std::string& case_no = kCase) {
  return Cmd(request_id, "2024-03-05",
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + bank_ref + R"(","source":"debtor_payment","payer":")" +
                 payer + R"("})");
}

std::string Repeat(std::string_view text, size_t times) {
  std::string repeated;
  repeated.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) repeated += text;
  return repeated;
}

// The result names no request id: the line was refused before one could be read from it.
bool RequestIdIsNull(const json::Value& result) {
  const json::Value* id = result.Find("request_id");
  return id != nullptr && id->is_null();
}

// What a streamed run did: its output and the child's peak resident memory.
struct Streamed {
  CliRun run;
  long max_rss_kb = 0;
  uint64_t bytes_fed = 0;  // how much of the input the child took before it stopped reading
  bool fed_everything = false;
};

// The binary as a child whose stdin is a pipe we write to as it reads, so that no big input is
// ever whole in this process; stdout and stderr go to files (or stdout to a pipe we read).
class Child {
 public:
  Child(const std::vector<std::string>& argv_text, const std::vector<std::string>& env_text,
        const fs::path& dir, bool stdout_pipe = false) {
    int to_child[2], from_child[2] = {-1, -1};
    if (pipe2(to_child, O_CLOEXEC) != 0) return;
    if (stdout_pipe && pipe2(from_child, O_CLOEXEC) != 0) return;
    std::vector<std::string> args = argv_text, env = env_text;
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    // Files of their own: two children may run at once, beside runs of the fixture.
    static int children = 0;
    const std::string name = "child-" + std::to_string(++children);
    out_ = dir / (name + ".stdout");
    err_ = dir / (name + ".stderr");
    pid_ = fork();
    if (pid_ == 0) {
      signal(SIGPIPE, SIG_DFL);  // ignored in this process, which exec would pass on
      const int out_fd =
          stdout_pipe ? from_child[1] : open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err_fd = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (out_fd < 0 || err_fd < 0) _exit(126);
      dup2(to_child[0], STDIN_FILENO);
      dup2(out_fd, STDOUT_FILENO);
      dup2(err_fd, STDERR_FILENO);
      if (chdir(dir.c_str()) != 0) _exit(126);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(to_child[0]);
    stdin_fd_ = to_child[1];
    if (stdout_pipe) {
      close(from_child[1]);
      stdout_fd_ = from_child[0];
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) Finish();
  }

  bool started() const { return pid_ > 0; }

  // Writes all of `bytes`; false once the child has stopped reading (EPIPE).
  bool Write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = write(stdin_fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes_fed_ += static_cast<uint64_t>(n);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // One line of stdout (a pipe), waiting at most `seconds` against a hang; "" at its end.
  std::string ReadLine(int seconds = 60) {
    std::string line;
    for (int waited = 0; waited < seconds * 10;) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) {
        ++waited;
        continue;
      }
      char c = 0;
      if (read(stdout_fd_, &c, 1) != 1 || c == '\n') return line;
      line += c;
    }
    ADD_FAILURE() << "no line from the child within " << seconds << " s";
    return line;
  }

  // Closes stdin and waits for the child.
  Streamed Finish() {
    Streamed done;
    if (stdin_fd_ >= 0) close(stdin_fd_);
    stdin_fd_ = -1;
    int status = 0;
    rusage usage{};
    while (wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    done.run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (stdout_fd_ >= 0) {
      char chunk[4096];
      for (ssize_t n; (n = read(stdout_fd_, chunk, sizeof chunk)) > 0;)
        done.run.out.append(chunk, n);
      close(stdout_fd_);
      stdout_fd_ = -1;
    } else {
      done.run.out = cli_test::ReadFile(out_);
    }
    done.run.err = cli_test::ReadFile(err_);
    done.max_rss_kb = usage.ru_maxrss;
    done.bytes_fed = bytes_fed_;
    return done;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  uint64_t bytes_fed_ = 0;
};

// `count` bytes of `fill` in pieces of a mebibyte; false once the child stopped reading.
bool WriteRepeated(Child* child, char fill, size_t count) {
  const std::string piece(kMebibyte, fill);
  while (count > 0) {
    const size_t n = std::min(count, piece.size());
    if (!child->Write(std::string_view(piece).substr(0, n))) return false;
    count -= n;
  }
  return true;
}

class HostileTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    // A child that stops reading must give this process EPIPE, not kill it.
    previous_sigpipe_ = signal(SIGPIPE, SIG_IGN);
  }
  void TearDown() override {
    signal(SIGPIPE, previous_sigpipe_);
    CliFixture::TearDown();
  }

  std::unique_ptr<Child> Start(const std::vector<std::string>& args, bool stdout_pipe = false) {
    std::vector<std::string> argv = {CASELEDGER_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Child>(argv, EnvFor({}), dir_, stdout_pipe);
  }

  // `apply` of `lines` (each ended by '\n') from a file, not stdin.
  CliRun ApplyFile(const std::vector<std::string>& lines, const std::vector<std::string>& flags,
                   const std::string& db) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    const fs::path file = dir_ / "input.jsonl";
    WriteFile(file, text);
    std::vector<std::string> args = {"--db", db, "apply", file.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    return Run(args);
  }

  // The ledger's tree head, "SEQ:HASH".
  std::string Head(const std::string& db) {
    const CliRun run = Run({"--db", db, "digest", "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    const json::Value head = ParseJson(run.out);
    return Str(head, "seq") + ":" + Str(head, "hash");
  }

  // verify passes: the chain, the postings and a full replay agree with what is stored.
  void ExpectVerifies(const std::string& db) {
    const CliRun run = Run({"--db", db, "verify", "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_TRUE(IsOk(ParseJson(run.out))) << run.out;
  }

  std::string Recovered(const std::string& case_no = kCase) {
    const CliRun run = Run({"--db", db_, "case", case_no, "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return Str(ParseJson(run.out), "recovered");
  }

  // A ledger with the case open and 100.00 received: head seq 2.
  void Seed() {
    const CliRun run = Apply({OpenCase("open-1", kCase), Receipt("seed", "100.00", "S1")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  }

 private:
  sighandler_t previous_sigpipe_ = SIG_DFL;
};

// ---- apply: lines far over the limit, one unit far over the limit.

TEST_F(HostileTest, AHundredMegabyteLineIsRefusedWithoutBeingHeldAndItsNeighboursApply) {
  auto child = Start({"--db", db_, "apply"});
  ASSERT_TRUE(child->started());
  // Line 1 good, line 2 blank (no result), line 3 of 100 MB, line 4 good, and a last line of
  // 20 MB that input ends in without a newline.
  ASSERT_TRUE(child->Write(OpenCase("open-1", kCase) + "\n\n"));
  ASSERT_TRUE(child->Write(R"({"request_id":"huge","operator":"x","on":"2024-03-05",)"
                           R"("unidentified_receipt":{"amount":"1","bank_ref":"H1","memo":")"));
  ASSERT_TRUE(WriteRepeated(child.get(), 'a', 100 * kMebibyte));
  ASSERT_TRUE(child->Write("\"}}\n" + Receipt("rcpt-1", "7.00", "B1") + "\n"));
  ASSERT_TRUE(WriteRepeated(child.get(), '[', 20 * kMebibyte));
  const Streamed done = child->Finish();

  EXPECT_EQ(done.run.exit_code, 1) << done.run.err;
  EXPECT_LT(done.run.out.size(), 4096u);  // neither long line is echoed back
  const auto results = Results(done.run);
  ASSERT_EQ(results.size(), 4u) << done.run.out;
  EXPECT_TRUE(IsOk(results[0])) << done.run.out;
  EXPECT_TRUE(IsOk(results[2])) << done.run.out;
  EXPECT_EQ(Str(results[2], "request_id"), "rcpt-1");
  for (const auto& [result, line] : {std::pair(&results[1], 3), std::pair(&results[3], 5)}) {
    EXPECT_EQ(ErrorCode(*result), "INVALID_ARGUMENT");
    EXPECT_TRUE(RequestIdIsNull(*result));  // never parsed, so not known
    EXPECT_EQ(ErrorMessage(*result),
              "line " + std::to_string(line) + ": longer than the limit of 16777216 bytes");
  }
  EXPECT_LT(done.max_rss_kb, kBoundedRssKb) << "the child held a long line whole";
  EXPECT_EQ(Recovered(), "7.00");
  EXPECT_EQ(Head(db_).substr(0, 2), "2:");
  ExpectVerifies(db_);
}

TEST_F(HostileTest, TenMillionCommandsInOneAtomicUnitAreRefusedAtTheLimitAndWriteNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Head(db_);
  auto child = Start({"--db", db_, "apply", "--atomic"});
  ASSERT_TRUE(child->started());
  // Ten million valid commands: the first stages an unidentified receipt and the rest replay
  // it (the same request id and body), so that nothing but their number is wrong.
  const std::string line =
      Cmd("u", "2024-03-05", R"("unidentified_receipt":{"amount":"1","bank_ref":"U1"})") + "\n";
  constexpr size_t kLines = 10000000, kLinesPerPiece = 10000;
  std::string piece;
  for (size_t i = 0; i < kLinesPerPiece; ++i) piece += line;
  size_t written = 0;
  while (written < kLines && child->Write(piece)) written += kLinesPerPiece;
  const Streamed done = child->Finish();

  EXPECT_EQ(done.run.exit_code, 1) << done.run.err;
  // It stopped reading once the limit was passed, long before the end of the input.
  EXPECT_FALSE(written == kLines);
  EXPECT_LT(done.bytes_fed, kLines * line.size() / 5);
  const auto results = Results(done.run);
  ASSERT_EQ(results.size(), 1u) << done.run.out.substr(0, 1000);
  EXPECT_EQ(ErrorCode(results[0]), "INVALID_ARGUMENT");
  EXPECT_TRUE(RequestIdIsNull(results[0]));
  EXPECT_EQ(ErrorMessage(results[0]),
            "line 1000001: more than 1000000 commands in one --atomic unit; nothing was "
            "written: split the file");
  // A million staged results take about 230 MB: the limit bounds the unit, not more.
  EXPECT_LT(done.max_rss_kb, 512 * 1024) << "the unit grew past what its limit allows";
  EXPECT_EQ(Head(db_), before);
  // The ledger is usable and the refused unit's request id is free.
  const CliRun after = Apply({line});
  EXPECT_EQ(after.exit_code, 0) << after.out;
  const json::Value result = ParseJson(after.out);
  EXPECT_EQ(Str(result, "seq"), "3");
  ASSERT_NE(result.Find("created"), nullptr);
  EXPECT_TRUE(result.Find("created")->boolean);
  ExpectVerifies(db_);
}

// ---- apply: malformed lines of every hostile kind, each between two good ones.

// Each bad line is sent between two good receipts; every good one is applied, every bad one is
// INVALID_ARGUMENT with `fragment` in its message, and nothing of a bad one is echoed raw.
struct Hostile {
  std::string line;
  std::string fragment;
};

void ExpectRefusedBetweenGoodLines(
    const std::vector<Hostile>& bad,
    const std::function<CliRun(const std::vector<std::string>&)>& apply) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < bad.size(); ++i) {
    lines.push_back(Receipt("good-" + std::to_string(i), "1.00", "G" + std::to_string(i)));
    lines.push_back(bad[i].line);
  }
  lines.push_back(Receipt("good-last", "1.00", "GL"));
  const CliRun run = apply(lines);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  // Every result is valid UTF-8 JSON with no raw control character, whatever the input held.
  EXPECT_TRUE(IsValidUtf8(run.out));
  EXPECT_EQ(run.out.find('\0'), std::string::npos);
  const auto lines_out = run.Lines();
  ASSERT_EQ(lines_out.size(), lines.size()) << run.out.substr(0, 2000);
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE("bad line " + std::to_string(i) + ": " + bad[i].fragment);
    const json::Value good = ParseJson(lines_out[2 * i]);
    EXPECT_TRUE(IsOk(good)) << lines_out[2 * i];
    const json::Value refused = ParseJson(lines_out[2 * i + 1]);
    EXPECT_EQ(ErrorCode(refused), "INVALID_ARGUMENT") << lines_out[2 * i + 1];
    EXPECT_NE(ErrorMessage(refused).find(bad[i].fragment), std::string::npos)
        << ErrorMessage(refused);
    EXPECT_LT(ErrorMessage(refused).size(), 600u) << "a message is not a dump";
  }
  EXPECT_TRUE(IsOk(ParseJson(lines_out.back())));
}

TEST_F(HostileTest, DeepNestingIsRefusedAtSixteenLevelsWithoutExhaustingTheStack) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string prefix = R"({"request_id":"deep","operator":"x","on":"2024-03-05",)";
  auto nested = [](size_t depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  // The top-level object is level 1 and receipt level 2: 14 arrays in case_no make 16 levels,
  // which the parser takes (the field then has the wrong type), and 15 make 17.
  const std::string receipt = prefix + R"("receipt":{"case_no":)";
  const std::vector<Hostile> bad = {
      {receipt + nested(14, '[', ']') + "}}", "receipt.case_no"},
      {receipt + nested(15, '[', ']') + "}}", "nesting deeper than 16 levels"},
      {nested(5000000, '[', ']'), "nesting deeper than 16 levels"},  // 10 MB
      {prefix + R"("receipt":)" + Repeat(R"({"a":)", 400000), "nesting deeper than 16 levels"},
      {std::string(3000000, '[') + "{", "nesting deeper than 16 levels"},
  };
  ExpectRefusedBetweenGoodLines(bad, [&](const auto& lines) { return Apply(lines); });
  EXPECT_EQ(Recovered(), "106.00");
  ExpectVerifies(db_);
}

TEST_F(HostileTest, NulBytesAreRefusedWhereverTheyStand) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  using namespace std::string_literals;
  const std::vector<Hostile> bad = {
      {"\0\0\0\0"s, "control character U+0000"},
      {"\0"s + Receipt("nul-lead", "1.00", "N1"), "control character U+0000"},
      {Receipt("nul-raw", "1.00", "N2", "李\0强"s), "unescaped control character U+0000"},
      {Receipt("nul-escaped", "1.00", "N3", R"(李\u0000强)"), "receipt.payer"},
      {Receipt("nul-ref", "1.00", R"(N\u00004)"), "receipt.bank_ref"},
      {Receipt("nul-amount", R"(1\u0000)", "N5"), "receipt.amount"},
      {Receipt(R"(nul\u0000id)", "1.00", "N6"), "request_id"},
      {Cmd("nul-case", "2024-03-05",
           R"("receipt":{"case_no":"(2024)甘0102执1234号\u0000","amount":"1.00","bank_ref":"N7",)"
           R"("source":"other"})"),
       "receipt.case_no"},
      {Receipt("nul-tail", "1.00", "N8") + "\0"s, "control character U+0000"},
  };
  ExpectRefusedBetweenGoodLines(bad, [&](const auto& lines) { return Apply(lines); });
  EXPECT_EQ(Recovered(), "110.00");
  // The same from a file: a file is read as bytes, a NUL does not end a line.
  ExpectRefusedBetweenGoodLines({{"{\"request_id\":\"f\0\"}"s, "U+0000"}},
                                [&](const auto& lines) { return ApplyFile(lines, {}, db_); });
  ExpectVerifies(db_);
}

TEST_F(HostileTest, InvalidUtf8InNamesIsRefusedAndNeverEchoed) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  auto open = [](const std::string& id, const std::string& name) {
    return OpenCase(id, "(2024)甘0102执" + std::to_string(100 + id.size()) + "号", name);
  };
  const std::vector<Hostile> bad = {
      {open("a", "张\xC3\x28明"), "invalid UTF-8"},            // a lead byte, then ASCII
      {open("bb", "\xC0\x80"), "invalid UTF-8"},               // overlong NUL
      {open("ccc", "张\xED\xA0\x80"), "invalid UTF-8"},        // an encoded surrogate
      {open("dddd", "\xF4\x90\x80\x80"), "invalid UTF-8"},     // above U+10FFFF
      {open("eeeee", "\x80\x80"), "invalid UTF-8"},            // stray continuation bytes
      {open("ffffff", "张\xE6\x98"), "invalid UTF-8"},         // truncated before the quote
      {open("ggggggg", "\xD5\xC5\xC4\xB3"), "invalid UTF-8"},  // 张某 in GBK
      {open("hhhhhhhh", R"(\uD800明)"), "surrogate"},          // an escaped lone surrogate
  };
  ExpectRefusedBetweenGoodLines(bad, [&](const auto& lines) { return Apply(lines); });
  const CliRun cases = Run({"--db", db_, "cases", "--json"});
  EXPECT_EQ(ParseJson(cases.out).items.size(), 1u) << cases.out;  // only the seeded case
  ExpectVerifies(db_);
}

TEST_F(HostileTest, ACaseNumberOfTenThousandCharactersIsRefusedWithAShortMessage) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  // Well-formed up to its serial of 9,986 digits; then 10,000 CJK characters; then a request
  // id and a name of 10,000 characters.
  const std::string long_serial = "(2024)甘0102执" + std::string(9986, '7') + "号";
  std::string long_cjk;
  for (int i = 0; i < 10000; ++i) long_cjk += "甘";
  const std::vector<Hostile> bad = {
      {OpenCase("long-1", long_serial), "the serial number has more than 9 digits"},
      {OpenCase("long-2", long_cjk), "open_case.case_no"},
      {Cmd("long-3", "2024-03-05",
           R"("receipt":{"case_no":")" + long_serial +
               R"(","amount":"1.00","bank_ref":"L3","source":"other"})"),
       "receipt.case_no"},
      {Receipt(std::string(10000, 'r'), "1.00", "L4"), "10000 characters"},
      {OpenCase("long-5", "(2024)甘0102执5号", long_cjk), "open_case.creditors[0].name"},
  };
  ExpectRefusedBetweenGoodLines(bad, [&](const auto& lines) { return Apply(lines); });
  EXPECT_EQ(Recovered(), "106.00");
  // A reading command refuses it the same way, briefly.
  for (const std::string command : {"case", "history"}) {
    const CliRun run = Run({"--db", db_, command, long_serial, "--json"});
    EXPECT_EQ(run.exit_code, 1) << command << " " << run.err;
    const json::Value error = ParseJson(run.out);
    EXPECT_EQ(ErrorCode(error), "INVALID_ARGUMENT") << command << " " << run.out;
    EXPECT_LT(run.out.size(), 600u) << run.out;
  }
  ExpectVerifies(db_);
}

// ---- verify --file and import: an export with a line of 100 MB.

TEST_F(HostileTest, AnExportLineOfAHundredMegabytesIsRefusedWithoutBeingHeld) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const fs::path file = dir_ / "export.jsonl";
  ASSERT_EQ(Run({"--db", db_, "export", "--format", "jsonl", "-o", file.string()}).exit_code, 0);
  {
    // The two good entries, then where entry 3 is due a line of 100 MB.
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << R"({"seq":3,"bytes":")";
    const std::string piece(kMebibyte, 'A');
    for (int i = 0; i < 100; ++i) out << piece;
    out << "\"}\n";
  }
  auto verify = Start({"verify", "--file", file.string(), "--json"});
  ASSERT_TRUE(verify->started());
  const Streamed verified = verify->Finish();
  EXPECT_EQ(verified.run.exit_code, 3) << verified.run.err;
  const json::Value report = ParseJson(verified.run.out);
  EXPECT_EQ(Str(report, "first_bad_seq"), "3");
  EXPECT_EQ(Str(report, "head_seq"), "2");
  EXPECT_NE(Str(report, "problem").find("16777216"), std::string::npos) << verified.run.out;
  EXPECT_LT(verified.run.out.size(), 1000u);
  EXPECT_LT(verified.max_rss_kb, kBoundedRssKb) << "verify --file held a long line whole";

  const std::string copy = (dir_ / "copy").string();
  auto import = Start({"--db", copy, "import", file.string(), "--json"});
  ASSERT_TRUE(import->started());
  const Streamed imported = import->Finish();
  fs::remove(file);
  EXPECT_EQ(imported.run.exit_code, 3) << imported.run.err;
  const json::Value error = ParseJson(imported.run.out);
  EXPECT_EQ(ErrorCode(error), "CORRUPTION");
  EXPECT_NE(ErrorMessage(error).find("entry 3"), std::string::npos) << ErrorMessage(error);
  EXPECT_NE(ErrorMessage(error).find("16777216"), std::string::npos) << ErrorMessage(error);
  EXPECT_FALSE(fs::exists(copy));  // nothing half-imported stays
  EXPECT_LT(imported.max_rss_kb, kBoundedRssKb) << "import held a long line whole";
}

// ---- reconcile: a statement of a million bad rows, and one over its byte limit.

TEST_F(HostileTest, AStatementOfAMillionBadRowsIsRefusedAtTheFirstAndRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Head(db_);
  const fs::path file = dir_ / "statement.csv";
  {
    std::ofstream out(file, std::ios::binary);
    out << "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
           "virtual_account,memo,balance\n";
    // A million rows whose amount is a float; each also names an account, which no message may.
    const std::string row = "2024-03-05,in,1e3,B1,张某,6222000011112222,,,\n";
    std::string piece;
    for (int i = 0; i < 1000; ++i) piece += row;
    for (int i = 0; i < 1000; ++i) out << piece;
  }
  for (const bool json : {true, false}) {
    std::vector<std::string> args = {"--db", db_, "reconcile", file.string(), "--record"};
    if (json) args.push_back("--json");
    const CliRun run = Run(args);
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    const std::string message = json ? ErrorMessage(ParseJson(run.out)) : run.err;
    EXPECT_NE(message.find("row 2: amount"), std::string::npos) << message;
    if (json) {
      EXPECT_EQ(ErrorCode(ParseJson(run.out)), "INVALID_ARGUMENT");
    }
    EXPECT_EQ(run.out.find("6222000011112222"), std::string::npos);
    EXPECT_EQ(run.err.find("6222000011112222"), std::string::npos);
    EXPECT_LT(run.out.size() + run.err.size(), 1000u);
  }
  fs::remove(file);
  EXPECT_EQ(Head(db_), before);
  ExpectVerifies(db_);
}

TEST_F(HostileTest, AStatementRowOfAHundredMegabytesIsRefusedNamingTheFieldLimit) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Head(db_);
  const fs::path file = dir_ / "statement.csv";
  {
    std::ofstream out(file, std::ios::binary);
    out << "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
           "virtual_account,memo,balance\n"
        << "2024-03-05,in,1.00,B1,张某,,,,\n"
        << "2024-03-05,in,1.00,B2,张某,,,\"";
    const std::string piece(kMebibyte, 'm');
    for (int i = 0; i < 100; ++i) out << piece;
    out << "\",\n";
  }
  auto child = Start({"--db", db_, "reconcile", file.string(), "--record", "--json"});
  ASSERT_TRUE(child->started());
  const Streamed done = child->Finish();
  fs::remove(file);
  EXPECT_EQ(done.run.exit_code, 1) << done.run.out << done.run.err;
  const json::Value error = ParseJson(done.run.out);
  EXPECT_EQ(ErrorCode(error), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorMessage(error), "row 3: field 8 is longer than 4096 bytes");
  // The file is read whole (it is under the statement's 1 GiB), but its long field is not
  // copied out of it as well.
  EXPECT_LT(done.max_rss_kb, 150 * 1024);
  EXPECT_EQ(Head(db_), before);
}

TEST_F(HostileTest, AStatementOverOneGibibyteIsRefusedUnread) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Head(db_);
  const fs::path file = dir_ / "statement.csv";
  WriteFile(file, "value_date,direction,amount,bank_ref\n");
  fs::resize_file(file, (size_t{1} << 30) + 1);  // sparse: costs no disk
  auto child = Start({"--db", db_, "reconcile", file.string(), "--record", "--json"});
  ASSERT_TRUE(child->started());
  const Streamed done = child->Finish();
  fs::remove(file);
  EXPECT_EQ(done.run.exit_code, 1) << done.run.err;
  const json::Value error = ParseJson(done.run.out);
  EXPECT_EQ(ErrorCode(error), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(error).find("larger than 1073741824 bytes"), std::string::npos)
      << ErrorMessage(error);
  EXPECT_LT(done.max_rss_kb, kBoundedRssKb);
  EXPECT_EQ(Head(db_), before);
}

// ---- Two writers at once, readers meanwhile.

TEST_F(HostileTest, OfTwoWritersStartedAtOnceOneIsLockedOutAndTheOtherCompletes) {
  // Each round races two writers for a directory that does not exist yet (both create it).
  // Whichever opens it first holds it while its stdin is open, so the other must be refused.
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string db = (dir_ / ("race-" + std::to_string(round))).string();
    const std::string cases[2] = {"(2024)甘0102执1号", "(2024)甘0102执2号"};
    std::unique_ptr<Child> writers[2] = {Start({"--db", db, "apply"}, /*stdout_pipe=*/true),
                                         Start({"--db", db, "apply"}, /*stdout_pipe=*/true)};
    ASSERT_TRUE(writers[0]->started() && writers[1]->started());
    // Whoever is locked out may have exited already: that write may fail.
    for (int i : {0, 1}) writers[i]->Write(OpenCase("open-" + cases[i], cases[i]) + "\n");
    const json::Value first = ParseJson(writers[0]->ReadLine());
    const json::Value second = ParseJson(writers[1]->ReadLine());
    ASSERT_NE(IsOk(first), IsOk(second)) << "exactly one writer must get the ledger";
    const int won = IsOk(first) ? 0 : 1, lost = 1 - won;
    const json::Value& locked = won == 0 ? second : first;
    EXPECT_EQ(ErrorCode(locked), "LEDGER_LOCKED") << ErrorMessage(locked);
    EXPECT_TRUE(RequestIdIsNull(locked));

    // While the winner holds the ledger, readers work and see its committed prefix, and every
    // other writing command is locked out too (an --atomic unit, a reconcile --record).
    EXPECT_EQ(Head(db).substr(0, 2), "1:");
    ExpectVerifies(db);
    const CliRun atomic = ApplyFile({Receipt("r-locked", "1.00", "X1")}, {"--atomic"}, db);
    EXPECT_EQ(atomic.exit_code, 1);
    EXPECT_EQ(ErrorCode(ParseJson(atomic.out)), "LEDGER_LOCKED") << atomic.out;
    const fs::path statement = dir_ / "statement.csv";
    WriteFile(statement,
              "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
              "virtual_account,memo,balance\n2024-03-05,in,5.00,X2,,,,,\n");
    const CliRun record = Run({"--db", db, "reconcile", statement.string(), "--record", "--json"});
    EXPECT_EQ(record.exit_code, 1);
    EXPECT_EQ(ErrorCode(ParseJson(record.out)), "LEDGER_LOCKED") << record.out;
    writers[won]->Write(Receipt("rcpt-1", "9.00", "R1", "李强", cases[won]) + "\n");
    EXPECT_TRUE(IsOk(ParseJson(writers[won]->ReadLine())));
    EXPECT_EQ(Head(db).substr(0, 2), "2:");

    const Streamed winner = writers[won]->Finish();
    EXPECT_EQ(winner.run.exit_code, 0) << winner.run.out << winner.run.err;
    const Streamed loser = writers[lost]->Finish();
    EXPECT_EQ(loser.run.exit_code, 1) << loser.run.out << loser.run.err;
    EXPECT_EQ(loser.run.out, "") << "nothing after the one LEDGER_LOCKED result";
    ExpectVerifies(db);
    // Once the winner is done, the refused writer's command can be retried.
    const CliRun retry = ApplyFile({OpenCase("open-" + cases[lost], cases[lost])}, {}, db);
    EXPECT_EQ(retry.exit_code, 0) << retry.out;
    EXPECT_EQ(Head(db).substr(0, 2), "3:");
  }
}

TEST_F(HostileTest, AnUnwritablePathIsAnIoErrorEvenWhenItsNameSaysLock) {
  // A directory under a regular file cannot be made, not even by root. Only RocksDB's failure
  // to take its LOCK file means another writer, not the word "lock" anywhere in the message.
  WriteFile(dir_ / "file", "");
  for (const std::string name : {"ledger", "clock", "blocked"}) {
    const std::string db = (dir_ / "file" / name).string();
    const CliRun run = Run({"--db", db, "apply"}, Receipt("r-1", "1.00", "B1") + "\n");
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const auto results = Results(run);
    ASSERT_EQ(results.size(), 1u) << run.out;
    EXPECT_EQ(ErrorCode(results[0]), "IO_ERROR") << name << ": " << run.out;
    EXPECT_TRUE(RequestIdIsNull(results[0]));
    EXPECT_NE(ErrorMessage(results[0]).find("Not a directory"), std::string::npos) << run.out;
  }
}

// ---- A read-only directory.

// Runs `args` with `dir` mounted read-only, in a mount namespace of the child's own (root can
// write through chmod, not through a read-only mount). Exit 125 when that cannot be set up.
CliRun RunWithReadOnly(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       const fs::path& dir, const fs::path& work) {
  std::vector<std::string> argv = {CASELEDGER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return cli_test::RunProgram(argv, env, work, "", [&dir] {
    return unshare(CLONE_NEWNS) == 0 &&
           mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
           mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
           mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0;
  });
}

TEST_F(HostileTest, AReadOnlyDirectoryIsAnIoErrorForWritersAndReadableByReaders) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  const std::string before = Head(db_);
  const fs::path empty = dir_ / "empty";
  fs::create_directory(empty);
  const fs::path work = dir_ / "work";  // the children's files, outside the read-only mounts
  fs::create_directory(work);
  const std::vector<std::string> env = EnvFor({});
  if (RunWithReadOnly({"--help"}, env, dir_ / "db", work).exit_code == 125) {
    GTEST_SKIP() << "cannot mount a directory read-only here (needs CAP_SYS_ADMIN and "
                    "unshare(CLONE_NEWNS)); root writes through chmod, so nothing else stops it";
  }
  const fs::path input = work / "input.jsonl";
  WriteFile(input, Receipt("ro-1", "1.00", "RO1") + "\n");

  // A writer: an existing ledger, and an empty directory where it would create one.
  for (const std::string& db : {db_, empty.string()}) {
    SCOPED_TRACE(db);
    for (const std::vector<std::string>& flags :
         {std::vector<std::string>{}, std::vector<std::string>{"--atomic"}}) {
      std::vector<std::string> args = {"--db", db, "apply", input.string()};
      args.insert(args.end(), flags.begin(), flags.end());
      const CliRun run = RunWithReadOnly(args, env, db, work);
      EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
      const auto results = Results(run);
      ASSERT_EQ(results.size(), 1u) << run.out;
      EXPECT_EQ(ErrorCode(results[0]), "IO_ERROR") << run.out;
      EXPECT_TRUE(RequestIdIsNull(results[0]));
      EXPECT_NE(ErrorMessage(results[0]).find("Read-only file system"), std::string::npos)
          << ErrorMessage(results[0]);
    }
  }
  EXPECT_TRUE(fs::is_empty(empty));

  // Readers: a ledger on read-only media (an archive) is read and verified as it is.
  const CliRun case_run = RunWithReadOnly({"--db", db_, "case", kCase, "--json"}, env, db_, work);
  EXPECT_EQ(case_run.exit_code, 0) << case_run.out << case_run.err;
  EXPECT_EQ(Str(ParseJson(case_run.out), "recovered"), "100.00");
  const CliRun verify = RunWithReadOnly({"--db", db_, "verify", "--json"}, env, db_, work);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(IsOk(ParseJson(verify.out))) << verify.out;
  const CliRun digest = RunWithReadOnly({"--db", db_, "digest", "--json"}, env, db_, work);
  EXPECT_EQ(digest.exit_code, 0) << digest.out << digest.err;
  const json::Value head = ParseJson(digest.out);
  EXPECT_EQ(Str(head, "seq") + ":" + Str(head, "hash"), before);
  // Nothing was written, and the ledger is writable again once the mount is gone.
  EXPECT_EQ(Head(db_), before);
  EXPECT_EQ(Run({"--db", db_, "apply", input.string()}).exit_code, 0);
  EXPECT_EQ(Recovered(), "101.00");
}

}  // namespace
}  // namespace caseledger
