// Helpers shared by the ledger tests: a temporary ledger directory per test with a fixed
// "today", and small builders for JSON command lines.
#ifndef CASELEDGER_TESTS_LEDGER_LEDGER_TEST_UTIL_H_
#define CASELEDGER_TESTS_LEDGER_LEDGER_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/command_json.h"
#include "ledger/ledger.h"

namespace caseledger::testutil {

inline constexpr char kToday[] = "2024-12-31";

// A JSON string literal (the values used in tests need only '"' and '\' escaped).
inline std::string Str(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// A JSON object from (key, already-encoded JSON value) pairs, in the order given.
inline std::string Obj(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "{";
  for (const auto& [key, value] : members) {
    if (out.size() > 1) out.push_back(',');
    out += Str(key) + ":" + value;
  }
  out.push_back('}');
  return out;
}

// One command line: the envelope and one operation.
inline std::string Line(const std::string& request_id, const std::string& on, const std::string& op,
                        const std::string& body, const std::string& operator_name = "clerk.wang") {
  return Obj({{"request_id", Str(request_id)},
              {"operator", Str(operator_name)},
              {"on", Str(on)},
              {op, body}});
}

inline std::string OpenCaseBody(const std::string& case_no, const std::string& claim) {
  return Obj({{"case_no", Str(case_no)},
              {"claim", Str(claim)},
              {"creditors", "[" +
                                Obj({{"party_id", Str("cred-1")},
                                     {"name", Str("张三")},
                                     {"account", Str("6222000011112222")}}) +
                                "]"},
              {"debtors", "[" + Obj({{"party_id", Str("debt-1")}, {"name", Str("李四")}}) + "]"}});
}

inline std::string ReceiptBody(const std::string& case_no, const std::string& amount,
                               const std::string& bank_ref) {
  return Obj({{"case_no", Str(case_no)},
              {"amount", Str(amount)},
              {"bank_ref", Str(bank_ref)},
              {"source", Str("debtor_payment")}});
}

// Stages one line and commits it; the result is the staged one.
inline CommandResult Apply(Ledger* ledger, const std::string& line) {
  CommandResult result = ledger->Stage(ParseCommandLine(line));
  Status committed = ledger->Commit();
  EXPECT_TRUE(committed.ok()) << committed.ToString();
  return result;
}

// Owns a fresh directory under the system temp directory and pins CASELEDGER_TODAY.
class LedgerDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("CASELEDGER_TODAY"); old != nullptr) old_today_ = old;
    ASSERT_EQ(setenv("CASELEDGER_TODAY", kToday, 1), 0);
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("caseledger-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
             std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    ASSERT_TRUE(std::filesystem::create_directories(root_));
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
    if (old_today_) {
      setenv("CASELEDGER_TODAY", old_today_->c_str(), 1);
    } else {
      unsetenv("CASELEDGER_TODAY");
    }
  }

  // A directory for one ledger inside the test's root (not created).
  std::string Dir(const std::string& name = "ledger") const { return (root_ / name).string(); }

  static std::unique_ptr<Ledger> MustOpen(const std::string& directory) {
    Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForWrite(directory);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return nullptr;
    return std::move(opened).value();
  }

  std::filesystem::path root_;

 private:
  std::optional<std::string> old_today_;
};

}  // namespace caseledger::testutil

#endif  // CASELEDGER_TESTS_LEDGER_LEDGER_TEST_UTIL_H_
