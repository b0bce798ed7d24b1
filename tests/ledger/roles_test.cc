// The origin of a write (SPEC §9, issue 19) is recorded in the entry, and verify, export and
// import decide every entry again with the recorded origin.
#include <gtest/gtest.h>

#include <sstream>

#include "ledger/export.h"
#include "ledger/ledger.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

using testutil::Line;
using testutil::Obj;
using testutil::Str;

constexpr char kCaseNo[] = "(2024)甘0102执7号";

class OriginTest : public testutil::LedgerDirTest {
 protected:
  CommandResult Apply(Ledger* ledger, const std::string& line, Origin origin = {}) {
    CommandResult result = ledger->Stage(ParseCommandLine(line), origin);
    EXPECT_TRUE(ledger->Commit().ok());
    return result;
  }
  pb::Entry EntryAt(Ledger* ledger, uint64_t seq) {
    Result<StoredEntry> stored = ledger->GetEntry(seq);
    EXPECT_TRUE(stored.ok());
    return stored.ok() ? stored->entry : pb::Entry{};
  }
};

TEST_F(OriginTest, EachOriginIsRecordedAndALocalWriteRecordsNothing) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  ASSERT_TRUE(Apply(ledger.get(),
                    Line("open", "2024-03-01", "open_case", testutil::OpenCaseBody(kCaseNo, "100")))
                  .status.ok());
  ASSERT_TRUE(Apply(ledger.get(),
                    Line("r1", "2024-03-02", "receipt", testutil::ReceiptBody(kCaseNo, "10", "B1")),
                    Origin{Origin::Kind::kMaintenance})
                  .status.ok());
  ASSERT_TRUE(Apply(ledger.get(),
                    Line("r2", "2024-03-02", "receipt", testutil::ReceiptBody(kCaseNo, "20", "B2")),
                    Origin{Origin::Kind::kAuthenticated})
                  .status.ok());
  EXPECT_EQ(EntryAt(ledger.get(), 1).origin(), pb::ENTRY_ORIGIN_UNSPECIFIED);
  EXPECT_EQ(EntryAt(ledger.get(), 2).origin(), pb::ENTRY_ORIGIN_MAINTENANCE);
  EXPECT_EQ(EntryAt(ledger.get(), 3).origin(), pb::ENTRY_ORIGIN_AUTHENTICATED);
  // A local entry's bytes are those of a ledger before issue 19: field 5 absent.
  Result<StoredEntry> local = ledger->GetEntry(1);
  ASSERT_TRUE(local.ok());
  pb::Entry without = local->entry;
  without.clear_origin();
  EXPECT_EQ(SerializeDeterministic(without), local->bytes);

  Result<VerifyReport> report = ledger->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST_F(OriginTest, ExportRendersTheOriginAndImportKeepsIt) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  ASSERT_TRUE(Apply(ledger.get(),
                    Line("open", "2024-03-01", "open_case", testutil::OpenCaseBody(kCaseNo, "100")),
                    Origin{Origin::Kind::kMaintenance})
                  .status.ok());
  Result<StoredEntry> stored = ledger->GetEntry(1);
  ASSERT_TRUE(stored.ok());
  const std::string line = ExportLine(*stored);
  EXPECT_NE(line.find(R"("origin":"maintenance")"), std::string::npos) << line;
  Result<StoredEntry> parsed = ParseExportLine(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();

  std::unique_ptr<Ledger> copy = MustOpen(Dir("copy"));
  ASSERT_NE(copy, nullptr);
  ASSERT_TRUE(copy->StageStored(*parsed).ok());
  ASSERT_TRUE(copy->Commit().ok());
  EXPECT_EQ(copy->head_hash(), ledger->head_hash());
  // An entry whose recorded origin was changed no longer chains: the origin is hashed.
  pb::Entry changed = parsed->entry;
  changed.set_origin(pb::ENTRY_ORIGIN_AUTHENTICATED);
  EXPECT_NE(SerializeDeterministic(changed), parsed->bytes);
}

// A ledger whose roles, approvals and payments came through the server verifies, and its
// export imports to the same head: every decision is reproduced from the log alone.
TEST_F(OriginTest, ALedgerWithRolesReplaysEveryDecision) {
  std::unique_ptr<Ledger> ledger = MustOpen(Dir());
  ASSERT_NE(ledger, nullptr);
  const Origin server{Origin::Kind::kAuthenticated};
  auto assign = [](const std::string& name, const std::string& role) {
    return Obj({{"operator", Str(name)}, {"roles", "[" + Str(role) + "]"}});
  };
  const std::string staff = Obj(
      {{"assignments",
        "[" + assign("admin.a", "administrator") + "," + assign("admin.b", "administrator") + "," +
            assign("clerk.wang", "clerk") + "," + assign("manager.sun", "manager") + "," +
            assign("head.zhou", "bureau_head") + "," + assign("finance.zhao", "finance") + "]"}});
  const auto approve = [](const std::string& target) {
    return Obj({{"target_request_id", Str(target)}});
  };
  const std::vector<std::pair<std::string, Origin>> lines = {
      {Line("roles", "2024-03-01", "set_roles", staff, "admin.a"), Origin{}},
      {Line("ok-roles", "2024-03-01", "approve", approve("roles"), "admin.b"), Origin{}},
      {Line("open", "2024-03-01", "open_case", testutil::OpenCaseBody(kCaseNo, "100")), server},
      {Line("r1", "2024-03-02", "receipt", testutil::ReceiptBody(kCaseNo, "90", "B1")),
       Origin{Origin::Kind::kMaintenance}},
      {Line("req", "2024-03-03", "request_disbursement",
            Obj({{"disbursement_id", Str("d1")},
                 {"case_no", Str(kCaseNo)},
                 {"payee", Str("cred-1")},
                 {"amount", Str("50")}})),
       server},
      {Line("s1", "2024-03-04", "approve", approve("req"), "manager.sun"), server},
      {Line("s2", "2024-03-04", "approve", approve("req"), "head.zhou"), server},
      {Line("pay", "2024-03-05", "confirm_disbursement",
            Obj({{"disbursement_id", Str("d1")}, {"bank_ref", Str("P1")}}), "finance.zhao"),
       server},
      {Line("event", "2024-03-06", "collective_disbursement",
            Obj({{"event_id", Str("E1")},
                 {"title", Str("集中发放")},
                 {"items", "[" +
                               Obj({{"case_no", Str(kCaseNo)},
                                    {"payee", Str("cred-1")},
                                    {"amount", Str("30")},
                                    {"bank_ref", Str("P-E1")}}) +
                               "]"}})),
       server},
      {Line("e1", "2024-03-07", "approve", approve("event"), "manager.sun"), server},
      {Line("e2", "2024-03-08", "approve", approve("event"), "head.zhou"), server},
  };
  for (const auto& [line, origin] : lines) {
    const CommandResult result = Apply(ledger.get(), line, origin);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString() << "\n" << line;
  }
  // A local write is refused now, and nothing is written.
  const CommandResult local = ledger->Stage(ParseCommandLine(
      Line("r2", "2024-03-05", "receipt", testutil::ReceiptBody(kCaseNo, "1", "B2"))));
  EXPECT_EQ(local.status.code(), Code::kNotPermitted);
  EXPECT_NE(local.status.message().find("caseledgerd"), std::string::npos);
  EXPECT_EQ(ledger->staged_entries(), 0u);

  // The event's payment is the bank's on the day of its last step, under its own reference.
  Result<BankActivity> activity = ledger->GetBankActivity(
      Date::Parse("2024-03-01", "test").value(), Date::Parse("2024-03-31", "test").value());
  ASSERT_TRUE(activity.ok()) << activity.status().ToString();
  bool found = false;
  for (const BankMovement& movement : activity->movements) {
    if (movement.bank_ref != "P-E1") continue;
    found = true;
    EXPECT_EQ(movement.op, pb::OPERATION_COLLECTIVE_DISBURSEMENT);
    EXPECT_EQ(movement.date.ToString(), "2024-03-08");
    EXPECT_EQ(movement.amount_fen, 3000);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(activity->balance_fen, 1000);  // 90 in, 50 and 30 out

  Result<VerifyReport> report = ledger->Verify(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  Result<VerifyReport> fast = ledger->VerifyFast(nullptr);
  ASSERT_TRUE(fast.ok());
  EXPECT_TRUE(fast->ok) << fast->problem;
  EXPECT_EQ(fast->head_hash, report->head_hash);
  std::unique_ptr<Ledger> copy = MustOpen(Dir("copy"));
  ASSERT_NE(copy, nullptr);
  const Status exported =
      ledger->ForEachEntry(1, ledger->head_seq(), [&](const StoredEntry& stored) -> Status {
        Result<StoredEntry> parsed = ParseExportLine(ExportLine(stored));
        if (!parsed.ok()) return parsed.status();
        return copy->StageStored(*parsed);
      });
  ASSERT_TRUE(exported.ok()) << exported.ToString();
  ASSERT_TRUE(copy->Commit().ok());
  EXPECT_EQ(copy->head_hash(), ledger->head_hash());
}

}  // namespace
}  // namespace caseledger
