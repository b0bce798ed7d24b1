// Proves that tools/verify_export.py, written from the export format alone, accepts a real
// `caseledger export --format jsonl` and its published tree heads, and finds the same first bad
// entry as `caseledger verify --file` in a changed, dropped, reordered or duplicated line.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::ParseJson;
using cli_test::ReadFile;
using cli_test::Str;
using cli_test::WriteFile;
namespace fs = std::filesystem;

constexpr size_t kCommands = 60;  // of demo/month.jsonl: every kind of entry, quickly

// A published tree head, as `digest --json` prints it.
struct TreeHead {
  std::string seq;
  std::string hash;
  std::string Argument() const { return seq + ":" + hash; }
};

// '…' around `text`, for /bin/sh.
std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The demo's first commands applied, exported, and the two verifiers to run on exports.
class PythonVerifierTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    std::ifstream demo(fs::path(CASELEDGER_SOURCE_DIR) / "demo" / "month.jsonl");
    std::vector<std::string> commands;
    for (std::string line; commands.size() < kCommands && std::getline(demo, line);) {
      commands.push_back(line);
    }
    ASSERT_EQ(commands.size(), kCommands);
    const CliRun applied = Apply(commands);
    ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    const CliRun exported = Run({"--db", db_, "export", "--format", "jsonl"});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    lines_ = SplitLines(exported.out);
    ASSERT_EQ(lines_.size(), kCommands);
  }

  // tools/verify_export.py on `export_path` with `args`, its stdout and exit code.
  CliRun Python(const fs::path& export_path, const std::vector<std::string>& args = {}) {
    std::string command =
        "python3 " + ShellQuote(std::string(CASELEDGER_SOURCE_DIR) + "/tools/verify_export.py");
    if (!export_path.empty()) command += " " + ShellQuote(export_path.string());
    for (const auto& arg : args) command += " " + ShellQuote(arg);
    const fs::path err = dir_ / "python.err";
    command += " 2>" + ShellQuote(err.string());
    CliRun run;
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << command;
    if (pipe == nullptr) return run;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
    const int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.err = ReadFile(err);
    return run;
  }

  fs::path Write(const std::string& name, const std::vector<std::string>& lines) {
    const fs::path path = dir_ / name;
    WriteFile(path, JoinLines(lines));
    return path;
  }

  // The tree head (`digest --json`) of the first `seq` entries.
  TreeHead Digest(uint64_t seq) {
    const CliRun run = Run({"--db", db_, "digest", "--json", "--at-seq", std::to_string(seq)});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const json::Value digest = ParseJson(run.out);
    EXPECT_EQ(Str(digest, "seq"), std::to_string(seq));
    return {Str(digest, "seq"), Str(digest, "hash")};
  }

  std::vector<std::string> lines_;  // the export, one entry a line
};

TEST_F(PythonVerifierTest, AcceptsTheExportAndItsPublishedTreeHeads) {
  const fs::path good = Write("good.jsonl", lines_);
  const CliRun native = Run({"verify", "--file", good.string(), "--json"});
  ASSERT_EQ(native.exit_code, 0) << native.out << native.err;
  const std::string head_hash = Str(ParseJson(native.out), "head_hash");

  const TreeHead first = Digest(1), middle = Digest(25), all = Digest(kCommands);
  const CliRun python = Python(good, {"--digest", first.Argument(), "--digest", middle.Argument(),
                                      "--digest", all.Argument()});
  EXPECT_EQ(python.exit_code, 0) << python.out << python.err;
  const std::vector<std::string> expected = {
      "OK 60 entries, head 60 " + head_hash, "digest 1 " + first.hash + " matches",
      "digest 25 " + middle.hash + " matches", "digest 60 " + all.hash + " matches"};
  EXPECT_EQ(python.Lines(), expected);

  const json::Value report = ParseJson(Python(good, {"--json"}).out);
  EXPECT_TRUE(report.Find("ok") != nullptr && report.Find("ok")->boolean);
  EXPECT_EQ(Str(report, "entries"), "60");
  EXPECT_EQ(Str(report, "head_hash"), head_hash);
  EXPECT_EQ(Str(report, "first_bad_seq"), "<null>");

  // A head published for another size, or for more entries than the export holds, is damage.
  const std::string shifted = "26:" + middle.hash;
  const CliRun wrong = Python(good, {"--digest", shifted});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.out;
  EXPECT_TRUE(wrong.out.starts_with("BAD digest 26: ")) << wrong.out;
  const CliRun beyond = Python(good, {"--digest", "61:" + all.hash});
  EXPECT_EQ(beyond.exit_code, 3) << beyond.out;
  EXPECT_TRUE(beyond.out.starts_with("BAD digest 61: ")) << beyond.out;
  EXPECT_EQ(Run({"verify", "--file", good.string(), "--digest", shifted}).exit_code, 3);
}

TEST_F(PythonVerifierTest, UsageErrorsExitTwo) {
  const fs::path good = Write("good.jsonl", lines_);
  EXPECT_EQ(Python("").exit_code, 2);
  EXPECT_EQ(Python(dir_ / "missing.jsonl").exit_code, 2);
  EXPECT_EQ(Python(good, {"--digest", "10"}).exit_code, 2);
  EXPECT_EQ(Python(good, {"--digest", "10:ABC"}).exit_code, 2);
}

// Each damage to line k, and the sequence number both verifiers must stop at.
struct Damage {
  std::string name;
  std::vector<std::string> lines;
  uint64_t first_bad_seq;
};

// `line` with the character at `at` replaced by another of the same alphabet, so that the
// damage is caught by the hash, not by the syntax.
std::string ChangeCharacter(std::string line, size_t at, const std::string& alphabet) {
  const size_t position = alphabet.find(line[at]);
  EXPECT_NE(position, std::string::npos) << line.substr(at, 10);
  line[at] = alphabet[(position + 1) % alphabet.size()];
  return line;
}

std::vector<Damage> Damages(const std::vector<std::string>& lines, size_t k) {
  const size_t i = k - 1;  // line k holds seq k
  std::vector<Damage> damages;
  const std::string bytes_key = "\"bytes\":\"", hash_key = "\"hash\":\"";
  const size_t bytes_at = lines[i].find(bytes_key) + bytes_key.size() + 20;
  const size_t hash_at = lines[i].find(hash_key) + hash_key.size() + 30;
  std::vector<std::string> changed = lines;
  changed[i] = ChangeCharacter(lines[i], bytes_at,
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  damages.push_back({"a byte of bytes", changed, k});
  changed[i] = ChangeCharacter(lines[i], hash_at, "0123456789abcdef");
  damages.push_back({"a byte of hash", changed, k});
  changed = lines;
  changed.erase(changed.begin() + i);
  damages.push_back({"line dropped", changed, k});
  changed = lines;
  std::swap(changed[i], changed[i + 1]);
  damages.push_back({"lines swapped", changed, k});
  changed = lines;
  changed.insert(changed.begin() + i, lines[i]);
  damages.push_back({"line duplicated", changed, k + 1});
  return damages;
}

TEST_F(PythonVerifierTest, FindsTheFirstBadLineAsCaseledgerVerifyDoes) {
  for (size_t k : {size_t{1}, size_t{17}, kCommands - 1}) {
    for (const Damage& damage : Damages(lines_, k)) {
      SCOPED_TRACE(damage.name + " at line " + std::to_string(k));
      const fs::path path = Write("damaged.jsonl", damage.lines);
      const std::string seq = std::to_string(damage.first_bad_seq);

      if (k == 17) {  // the text report once per kind of damage: a Python start is not free
        const CliRun text = Python(path);
        EXPECT_EQ(text.exit_code, 3) << text.out << text.err;
        EXPECT_TRUE(text.out.starts_with("BAD seq " + seq + ": ")) << text.out;
      }
      const CliRun python = Python(path, {"--json"});
      EXPECT_EQ(python.exit_code, 3) << python.out << python.err;
      const json::Value python_report = ParseJson(python.out);
      EXPECT_EQ(Str(python_report, "first_bad_seq"), seq) << python.out;
      EXPECT_EQ(Str(python_report, "entries"), std::to_string(damage.first_bad_seq - 1));

      const CliRun native = Run({"verify", "--file", path.string(), "--json"});
      EXPECT_EQ(native.exit_code, 3) << native.out << native.err;
      const json::Value native_report = ParseJson(native.out);
      EXPECT_EQ(Str(native_report, "first_bad_seq"), seq) << native.out;
      EXPECT_EQ(Str(python_report, "head_hash"), Str(native_report, "head_hash"));
    }
  }
}

}  // namespace
}  // namespace caseledger
