// Proves, through the real caseledger binary, `feed defaulters --after-seq N` (SPEC §3): one
// JSON line per listing, deletion, restriction and lifting after entry N in seq order, the
// party's name and ID number, the cursor last; the same N gives the same bytes; a cursor past
// the head is refused; the table for people leaves the ID number out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;

constexpr const char* kCase = "(2024)甘0102执1号";
constexpr const char* kIdNumber = "620102198001010017";

std::string PartyOp(const std::string& id, const std::string& on, const std::string& op,
                    const std::string& extra) {
  return Cmd(
      id, on,
      "\"" + op + R"(":{"party_id":"d-1","case_no":")" + std::string(kCase) + "\"" + extra + "}");
}

// Entries: 1 open, 2 a receipt, 3 listed (ground 3), 4 deleted (wrongly_listed), 5 the
// restriction lifted, 6 restricted again.
class FeedCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const CliRun run = Apply({
        Cmd("open", "2024-01-02",
            R"("open_case":{"case_no":")" + std::string(kCase) +
                R"(","claim":"10000","creditors":[{"party_id":"c-1","name":"张明"}],)"
                R"("debtors":[{"party_id":"d-1","name":"李强","id_type":"resident_id",)"
                R"("id_number":")" +
                kIdNumber + R"("}]})"),
        Cmd("rcpt", "2024-01-05",
            R"("receipt":{"case_no":")" + std::string(kCase) +
                R"(","amount":"10","bank_ref":"R1","source":"debtor_payment"})"),
        PartyOp("list", "2024-02-01", "list_defaulter", R"(,"ground":3)"),
        PartyOp("del", "2024-02-06", "delist_defaulter", R"(,"reason":"wrongly_listed")"),
        PartyOp("lift", "2024-02-07", "lift_restriction", R"(,"reason":"提供担保")"),
        PartyOp("restrict", "2024-02-08", "restrict_consumption", ""),
    });
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  }

  CliRun Feed(const std::string& after, bool json = true) {
    std::vector<std::string> args = {"--db", db_, "feed", "defaulters", "--after-seq", after};
    if (json) args.push_back("--json");
    return Run(args);
  }
};

TEST_F(FeedCliTest, OneLinePerEventThenTheCursor) {
  const CliRun run = Feed("0");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::vector<std::string> lines = run.Lines();
  ASSERT_EQ(lines.size(), 5u) << run.out;
  std::vector<std::string> kinds;
  for (size_t i = 0; i + 1 < lines.size(); ++i) kinds.push_back(Str(ParseJson(lines[i]), "kind"));
  EXPECT_EQ(kinds, (std::vector<std::string>{"listed", "deleted", "lifted", "restricted"}));
  const json::Value listed = ParseJson(lines[0]);
  EXPECT_EQ(listed.Find("seq")->text, "3");
  EXPECT_EQ(Str(listed, "on"), "2024-02-01");
  EXPECT_EQ(Str(listed, "party_id"), "d-1");
  EXPECT_EQ(Str(listed, "name"), "李强");
  EXPECT_EQ(Str(listed, "id_type"), "resident_id");
  EXPECT_EQ(Str(listed, "id_number"), kIdNumber);
  EXPECT_EQ(Str(listed, "case_no"), kCase);
  EXPECT_EQ(Str(listed, "court"), "甘0102");
  EXPECT_EQ(listed.Find("ground")->text, "3");
  EXPECT_EQ(Str(listed, "reason"), "<null>");
  const json::Value deleted = ParseJson(lines[1]);
  EXPECT_EQ(Str(deleted, "reason"), "wrongly_listed");
  EXPECT_EQ(Str(deleted, "ground"), "<null>");
  EXPECT_EQ(Str(ParseJson(lines[2]), "reason"), "提供担保");
  EXPECT_EQ(ParseJson(lines[4]).Find("cursor")->text, "6");
}

TEST_F(FeedCliTest, TheSameCursorGivesTheSameBytesAndALaterOneTheRest) {
  const CliRun first = Feed("3");
  const CliRun again = Feed("3");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, again.out);
  ASSERT_EQ(first.Lines().size(), 4u);  // deleted, lifted, restricted, the cursor
  EXPECT_EQ(Str(ParseJson(first.Lines()[0]), "kind"), "deleted");
  const CliRun none = Feed("6");
  ASSERT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "{\"cursor\":6}\n");
  const CliRun past = Feed("7");
  EXPECT_EQ(past.exit_code, 1) << past.out;
  EXPECT_NE(past.out.find("UNKNOWN_REFERENCE"), std::string::npos) << past.out;
}

TEST_F(FeedCliTest, TheTableForPeopleInChineseLeavesTheIdNumberOut) {
  const CliRun run = Feed("0", false);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* word : {"纳入失信名单", "删除失信信息", "解除限制消费", "限制消费", "李强"}) {
    EXPECT_NE(run.out.find(word), std::string::npos) << word << "\n" << run.out;
  }
  EXPECT_EQ(run.out.find(kIdNumber), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("wrongly_listed"), std::string::npos) << run.out;
  // Ground 3 as its wording (RULES §5), as `defaulter` prints it, not the bare number.
  const size_t listed = run.out.find("纳入失信名单");
  ASSERT_NE(listed, std::string::npos);
  const std::string row = run.out.substr(listed, run.out.find('\n', listed) - listed);
  EXPECT_NE(row.find("以虚假诉讼、隐匿转移财产等方法规避执行"), std::string::npos) << row;
  EXPECT_FALSE(row.ends_with(" 3")) << row;
  EXPECT_EQ(run.out.find("listed"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace caseledger
