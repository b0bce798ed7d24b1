// Proves the writer's cache of latest versions (ledger/impl.h VersionCache): bounded by bytes,
// it forgets the least recently used first and keeps what was read or written lately.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ledger/impl.h"

namespace caseledger {
namespace {

// Each item costs its key (2 bytes) + value (100 bytes) + 96 of overhead = 198 bytes; a budget
// of 600 holds three (594), so a fourth evicts the least recently used.
TEST(VersionCacheTest, ForgetsTheLeastRecentlyUsedPastItsBudget) {
  VersionCache cache(600);
  const std::string value(100, 'x');
  cache.Put("c1", value);
  cache.Put("c2", value);
  cache.Put("c3", value);
  EXPECT_EQ(cache.bytes(), 594u);
  ASSERT_NE(cache.Find("c1"), nullptr);  // c1 is now the most recent; c2 the least
  cache.Put("c4", value);
  EXPECT_EQ(cache.Find("c2"), nullptr);
  EXPECT_NE(cache.Find("c1"), nullptr);
  EXPECT_NE(cache.Find("c3"), nullptr);
  EXPECT_NE(cache.Find("c4"), nullptr);
  EXPECT_EQ(cache.bytes(), 594u);
}

// A known-absent record (nullopt) is remembered as absent; replacing a value keeps one item
// and recounts its bytes: key "g" 1 + 0 + 96 = 97, then 1 + 10 + 96 = 107.
TEST(VersionCacheTest, RemembersAbsenceAndReplacesInPlace) {
  VersionCache cache(1000);
  cache.Put("g", std::nullopt);
  const std::optional<std::string>* absent = cache.Find("g");
  ASSERT_NE(absent, nullptr);
  EXPECT_FALSE(absent->has_value());
  EXPECT_EQ(cache.bytes(), 97u);
  cache.Put("g", std::string(10, 'y'));
  const std::optional<std::string>* present = cache.Find("g");
  ASSERT_NE(present, nullptr);
  EXPECT_EQ(**present, std::string(10, 'y'));
  EXPECT_EQ(cache.bytes(), 107u);
  cache.Clear();
  EXPECT_EQ(cache.Find("g"), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

// One item larger than the budget is still kept (the reader just read it), alone.
TEST(VersionCacheTest, KeepsTheLatestItemEvenWhenItAloneExceedsTheBudget) {
  VersionCache cache(300);
  cache.Put("a", std::string(10, 'a'));
  cache.Put("b", std::string(1000, 'b'));
  EXPECT_EQ(cache.Find("a"), nullptr);
  ASSERT_NE(cache.Find("b"), nullptr);
  EXPECT_EQ(cache.Find("b")->value().size(), 1000u);
}

}  // namespace
}  // namespace caseledger
