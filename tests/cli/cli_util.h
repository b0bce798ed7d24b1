// Helpers shared by the CLI tests: a fixture that runs the real caseledger binary
// (CASELEDGER_BINARY) in a directory of its own with a fixed "today", and small readers for its
// JSON output.
#ifndef CASELEDGER_TESTS_CLI_CLI_UTIL_H_
#define CASELEDGER_TESTS_CLI_CLI_UTIL_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"

extern char** environ;

namespace caseledger::cli_test {

namespace fs = std::filesystem;
using Env = std::vector<std::pair<std::string, std::string>>;

// What one run of the binary did.
struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;

  // stdout split into lines, without their '\n'.
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream stream(out);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
  }
};

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline json::Value ParseJson(const std::string& text) {
  Result<json::Value> value = json::Parse(text);
  EXPECT_TRUE(value.ok()) << value.status().ToString() << " in: " << text.substr(0, 300);
  return value.ok() ? std::move(value).value() : json::Value{};
}

// The string at `key`, "<null>" for null, "<absent>" when missing.
inline std::string Str(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  if (v == nullptr) return "<absent>";
  if (v->is_null()) return "<null>";
  return v->text;
}

inline std::string ErrorCode(const json::Value& result) {
  const json::Value* error = result.Find("error");
  return error == nullptr ? "<none>" : Str(*error, "code");
}

inline std::string ErrorMessage(const json::Value& result) {
  const json::Value* error = result.Find("error");
  return error == nullptr ? "<none>" : Str(*error, "message");
}

inline bool IsOk(const json::Value& result) {
  const json::Value* ok = result.Find("ok");
  return ok != nullptr && ok->is_bool() && ok->boolean;
}

// One command line: the envelope plus one operation.
inline std::string Cmd(const std::string& request_id, const std::string& on, const std::string& op,
                       const std::string& operator_name = "clerk.wang") {
  return R"({"request_id":")" + request_id + R"(","operator":")" + operator_name + R"(","on":")" +
         on + R"(",)" + op + "}";
}

// open_case of `case_no` on 2024-03-01 with a claim of 100,000.00, one enterprise creditor
// (party c1, 某公司) and one debtor (party d1, 张某): the plain case of the bank-side tests.
inline std::string OpenPlainCase(const std::string& request_id, const std::string& case_no) {
  return Cmd(request_id, "2024-03-01",
             R"("open_case":{"case_no":")" + case_no +
                 R"(","claim":"100000","creditors":[{"party_id":"c1","name":"某公司"}],)"
                 R"("debtors":[{"party_id":"d1","name":"张某"}]})");
}

// The header row of a bank statement: SPEC §4's nine columns, and the tenth (`kind`) if asked.
inline std::string StatementHeader(bool with_kind = false) {
  return std::string(
             "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
             "virtual_account,memo,balance") +
         (with_kind ? ",kind\n" : "\n");
}

// Each test gets its own directory, holding its ledger (db) and the run's temp files.
// Runs argv[0] (a path) with exactly `env`, in `dir`, stdin from `input`; stdout and stderr
// go through files in `dir`. `prepare`, when given, runs in the child before the program (a
// mount namespace of its own, say); if it returns false the child exits 125.
inline CliRun RunProgram(std::vector<std::string> argv_text, std::vector<std::string> env_text,
                         const fs::path& dir, const std::string& input = "",
                         const std::function<bool()>& prepare = {}) {
  const fs::path in = dir / "stdin", out = dir / "stdout", err = dir / "stderr";
  WriteFile(in, input);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  CliRun run;
  const pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    if (prepare && !prepare()) _exit(125);
    const int in_fd = open(in.c_str(), O_RDONLY);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(126);
    dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    if (chdir(dir.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  EXPECT_GT(pid, 0) << "fork: " << std::strerror(errno);
  if (pid <= 0) return run;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadFile(out);
  run.err = ReadFile(err);
  return run;
}

// A program started with its stdin, and if asked its stdout, on pipes of ours (a stream fed and
// read as it goes, or a process to kill mid-way). from_child is -1 when stdout is not piped.
struct PipedChild {
  pid_t pid = -1;
  int to_child = -1;
  int from_child = -1;
};

inline PipedChild StartPiped(std::vector<std::string> argv_text, std::vector<std::string> env_text,
                             bool pipe_stdout) {
  PipedChild child;
  int in_pipe[2], out_pipe[2] = {-1, -1};
  if (pipe(in_pipe) != 0 || (pipe_stdout && pipe(out_pipe) != 0)) return child;
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  child.pid = fork();
  if (child.pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    if (pipe_stdout) dup2(out_pipe[1], STDOUT_FILENO);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) {
      if (fd >= 0) close(fd);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  if (pipe_stdout) close(out_pipe[1]);
  child.to_child = in_pipe[1];
  child.from_child = out_pipe[0];
  return child;
}

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "caseledger-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    db_ = (dir_ / "db").string();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // The environment of a run: ours without CASELEDGER_DB and CASELEDGER_TODAY, then `env`,
  // then CASELEDGER_TODAY=today_ unless `env` set it.
  std::vector<std::string> EnvFor(const Env& env) const {
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      if (entry.starts_with("CASELEDGER_DB=") || entry.starts_with("CASELEDGER_TODAY=")) continue;
      env_text.push_back(entry);
    }
    bool today_given = false;
    for (const auto& [name, value] : env) {
      env_text.push_back(name + "=" + value);
      today_given = today_given || name == "CASELEDGER_TODAY";
    }
    if (!today_given) env_text.push_back("CASELEDGER_TODAY=" + today_);
    return env_text;
  }

  // Runs the binary with `args`, stdin from `input`, CASELEDGER_TODAY set (unless `env`
  // overrides it) and CASELEDGER_DB removed (unless `env` sets it).
  CliRun Run(const std::vector<std::string>& args, const std::string& input = "",
             const Env& env = {}) {
    std::vector<std::string> argv = {CASELEDGER_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv, EnvFor(env), dir_, input);
  }

  // `apply` of `lines` joined by '\n' on stdin, with --db first.
  CliRun Apply(const std::vector<std::string>& lines, const std::vector<std::string>& flags = {}) {
    std::string input;
    for (const auto& line : lines) input += line + "\n";
    std::vector<std::string> args = {"--db", db_, "apply"};
    args.insert(args.end(), flags.begin(), flags.end());
    return Run(args, input);
  }

  // The parsed result lines of a run, one per stdout line.
  static std::vector<json::Value> Results(const CliRun& run) {
    std::vector<json::Value> results;
    for (const auto& line : run.Lines()) results.push_back(ParseJson(line));
    return results;
  }

  fs::path dir_;
  std::string db_;
  std::string today_ = "2024-03-31";  // CASELEDGER_TODAY of every run unless `env` sets it
};

}  // namespace caseledger::cli_test

#endif  // CASELEDGER_TESTS_CLI_CLI_UTIL_H_
