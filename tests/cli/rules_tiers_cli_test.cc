// `rules` shows the approval steps in force (SPEC §9 approval_tiers), by default and once set.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace caseledger::cli_test {
namespace {

class RulesTiersCliTest : public CliFixture {};

TEST_F(RulesTiersCliTest, TheDefaultTiersAndSetOnes) {
  ASSERT_EQ(Apply({OpenPlainCase("open-1", "(2024)甘0102执1号")}).exit_code, 0);
  // The default: above 0.00 the manager then the bureau head; above 1,000,000.00 the court
  // leader after them.
  const CliRun json = Run({"--db", db_, "--json", "rules"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(
      json.out.find(R"("approval_tiers":[{"above":"0.00","roles":["manager","bureau_head"]},)"
                    R"({"above":"1000000.00","roles":["manager","bureau_head","court_leader"]}])"),
      std::string::npos)
      << json.out;
  const CliRun table = Run({"--db", db_, "rules"});
  EXPECT_NE(table.out.find("审批层级"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("0.00 以上：案款管理人 → 执行局长；1,000,000.00 以上：案款管理人 → "
                           "执行局长 → 分管院领导"),
            std::string::npos)
      << table.out;
  // A court's own: above 50,000.00 the bureau head alone.
  ASSERT_EQ(Apply({Cmd("rules-1", "2024-03-02",
                       R"("set_rules":{"approval_tiers":[{"above":"0","roles":["manager"]},)"
                       R"({"above":"50000","roles":["bureau_head"]}]})")})
                .exit_code,
            0);
  const CliRun set = Run({"--db", db_, "--lang", "en", "rules"});
  EXPECT_NE(set.out.find("above 0.00: manager; above 50,000.00: bureau_head"), std::string::npos)
      << set.out;
}

}  // namespace
}  // namespace caseledger::cli_test
