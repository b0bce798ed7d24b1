// Proves core/lots keeps money exact across take, reserve, consume, free and release, and that a
// case record inconsistent with its stored parts (a lot missing, a part larger than what the lot
// reserves or holds, negative money) is CORRUPTION in every build, never a crash.
#include "core/lots.h"

#include <gtest/gtest.h>

#include <vector>

namespace caseledger {
namespace {

pb::CaseRecord CaseWithLots() {
  pb::CaseRecord record;
  record.set_case_no("(2024)甘0102执1号");
  AddLot(&record, *Date::FromYmd(2024, 1, 2), *Date::FromYmd(2024, 1, 31), 1000, 1);
  AddLot(&record, *Date::FromYmd(2024, 1, 5), *Date::FromYmd(2024, 2, 4), 500, 2);
  return record;
}

pb::LotPart Part(uint64_t lot_id, int64_t amount_fen) {
  pb::LotPart part;
  part.set_lot_id(lot_id);
  part.set_amount_fen(amount_fen);
  return part;
}

TEST(LotsTest, ReserveThenConsumeOrFreeKeepsTheTotals) {
  pb::CaseRecord record = CaseWithLots();
  Result<std::vector<pb::LotPart>> parts = TakeOldestFree(&record, 1200, TakeAs::kReserved);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);  // oldest first: all of the first lot, 200 of the second
  EXPECT_EQ((*parts)[0].amount_fen(), 1000);
  EXPECT_EQ((*parts)[1].amount_fen(), 200);
  EXPECT_EQ(SumLots(record).reserved_fen, 1200);
  EXPECT_EQ(SumLots(record).free_fen, 300);

  pb::CaseRecord freed = record;
  ASSERT_TRUE(FreeReserved(&freed, *parts).ok());
  EXPECT_EQ(SumLots(freed).free_fen, 1500);
  EXPECT_EQ(SumLots(freed).reserved_fen, 0);

  ASSERT_TRUE(ConsumeReserved(&record, *parts).ok());
  EXPECT_EQ(SumLots(record).balance_fen(), 300);
}

TEST(LotsTest, HeldMoneyReleasedGetsTheLaterDeadline) {
  pb::CaseRecord record = CaseWithLots();
  Result<std::vector<pb::LotPart>> parts = TakeOldestFree(&record, 400, TakeAs::kHeld);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(SumLots(record).held_fen, 400);
  ASSERT_TRUE(ReleaseHeld(&record, *parts, *Date::FromYmd(2024, 3, 1)).ok());
  EXPECT_EQ(SumLots(record).held_fen, 0);
  EXPECT_EQ(SumLots(record).free_fen, 1500);
  bool split_off = false;
  for (const auto& lot : record.lots()) split_off |= lot.deadline() == "2024-03-01";
  EXPECT_TRUE(split_off);
}

TEST(LotsTest, APartNamingAMissingLotIsCorruption) {
  pb::CaseRecord record = CaseWithLots();
  const std::vector<pb::LotPart> parts = {Part(99, 10)};
  for (const Status& status : {ConsumeReserved(&record, parts), FreeReserved(&record, parts),
                               ReleaseHeld(&record, parts, *Date::FromYmd(2024, 3, 1))}) {
    EXPECT_EQ(status.code(), Code::kCorruption);
    EXPECT_NE(status.message().find("lot 99"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("missing"), std::string::npos) << status.message();
  }
}

TEST(LotsTest, APartLargerThanTheLotReservesOrHoldsIsCorruption) {
  pb::CaseRecord record = CaseWithLots();
  ASSERT_TRUE(TakeOldestFree(&record, 100, TakeAs::kReserved).ok());  // lot 0 reserves 100
  const uint64_t lot_id = record.lots(0).lot_id();
  const std::vector<pb::LotPart> too_much = {Part(lot_id, 101)};
  for (const Status& status : {ConsumeReserved(&record, too_much), FreeReserved(&record, too_much),
                               ReleaseHeld(&record, too_much, *Date::FromYmd(2024, 3, 1))}) {
    EXPECT_EQ(status.code(), Code::kCorruption);
    EXPECT_NE(status.message().find("less than 101"), std::string::npos) << status.message();
  }
  const std::vector<pb::LotPart> negative = {Part(lot_id, -1)};
  EXPECT_EQ(ConsumeReserved(&record, negative).code(), Code::kCorruption);
}

TEST(LotsTest, NegativeFreeMoneyInAStoredLotIsCorruption) {
  pb::CaseRecord record = CaseWithLots();
  // Damage on disk: the oldest lot's free money negative; the total (300) still covers 300.
  record.mutable_lots(0)->set_free_fen(-200);
  ASSERT_EQ(SumLots(record).free_fen, 300);
  Result<std::vector<pb::LotPart>> parts = TakeOldestFree(&record, 300, TakeAs::kConsumed);
  EXPECT_EQ(parts.status().code(), Code::kCorruption);
  EXPECT_NE(parts.status().message().find("negative"), std::string::npos);
}

}  // namespace
}  // namespace caseledger
