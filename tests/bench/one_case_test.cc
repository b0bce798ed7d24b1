// Proves that the one-case phase's commands (bench/one_case.h) parse, carry unique request ids
// and bank references, name the case they are meant for, and that the receipt count scales as
// documented: 20,000 from scale 0.1 up, proportionally fewer below, never fewer than 200.
#include "bench/one_case.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "bench/workload.h"
#include "core/command_json.h"

namespace caseledger {
namespace {

TEST(OneCaseTest, ReceiptCountByScale) {
  EXPECT_EQ(OneCaseReceiptsAt(kScaleMax), kOneCaseReceipts);
  EXPECT_EQ(OneCaseReceiptsAt(kScaleOne), 20000);
  EXPECT_EQ(OneCaseReceiptsAt(100000), 20000);  // 0.1
  EXPECT_EQ(OneCaseReceiptsAt(50000), 10000);   // 0.05
  EXPECT_EQ(OneCaseReceiptsAt(10000), 2000);    // 0.01
  EXPECT_EQ(OneCaseReceiptsAt(1000), 200);      // 0.001
  EXPECT_EQ(OneCaseReceiptsAt(1), kOneCaseSpreadCases);
}

TEST(OneCaseTest, CommandsParseWithUniqueIdsAndReferences) {
  std::set<std::string> request_ids, bank_refs, cases;
  for (int64_t index = 0; index < kOneCaseSpreadCases; ++index) {
    const ParsedCommand open = ParseCommandLine(OneCaseOpenLine(index));
    ASSERT_TRUE(open.status.ok()) << open.status.ToString();
    ASSERT_TRUE(open.command.has_open_case());
    EXPECT_TRUE(request_ids.insert(*open.request_id).second);
    EXPECT_TRUE(cases.insert(open.command.open_case().case_no()).second);
  }
  for (int64_t receipt = 0; receipt < 1000; ++receipt) {
    const int64_t case_index = receipt % kOneCaseSpreadCases;
    const ParsedCommand parsed = ParseCommandLine(OneCaseReceiptLine(receipt, case_index));
    ASSERT_TRUE(parsed.status.ok()) << parsed.status.ToString();
    ASSERT_TRUE(parsed.command.has_receipt());
    EXPECT_TRUE(request_ids.insert(*parsed.request_id).second);
    EXPECT_TRUE(bank_refs.insert(parsed.command.receipt().bank_ref()).second);
    EXPECT_EQ(parsed.command.receipt().case_no(),
              ParseCommandLine(OneCaseOpenLine(case_index)).command.open_case().case_no());
  }
}

}  // namespace
}  // namespace caseledger
