// Proves, through the real caseledger binary, `reconcile` (SPEC §4, §8): matching by reference
// and by virtual account, amount and date; a reference with another amount is mismatched; both
// adjusted balances agree with items on both sides; --record records bank-only receipts once;
// a malformed statement records nothing and names its row; --period; the exit codes; and the
// statement for people (zh/en) and CSV.
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
using cli_test::ErrorCode;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ParseJson;
using cli_test::Str;
using cli_test::WriteFile;

constexpr char kCaseA[] = "(2024)甘0102执1号";
constexpr char kCaseB[] = "(2024)甘0102执2号";
// The virtual accounts of the first and second case opened (serials 1 and 2, MOD 97-10).
constexpr char kAccountA[] = "8801000000000137";
constexpr char kAccountB[] = "8801000000000234";

std::string OpenCase(const std::string& id, const std::string& case_no) {
  return cli_test::OpenPlainCase(id, case_no);
}

std::string Receipt(const std::string& id, const std::string& on, const std::string& case_no,
                    const std::string& amount, const std::string& ref) {
  return Cmd(id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + ref + R"(","source":"debtor_payment"})");
}

// A receipt booked on `on` that the bank received on `value_date`.
std::string LateReceipt(const std::string& id, const std::string& on, const std::string& case_no,
                        const std::string& amount, const std::string& ref,
                        const std::string& value_date) {
  return Cmd(id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + ref + R"(","source":"debtor_payment","value_date":")" +
                 value_date + R"("})");
}

std::string PayCosts(const std::string& id, const std::string& on, const std::string& amount,
                     const std::string& ref) {
  return Cmd(id, on,
             R"("pay_costs":{"case_no":")" + std::string(kCaseA) +
                 R"(","payee":"评估公司","amount":")" + amount + R"(","bank_ref":")" + ref +
                 R"(","reason":"评估费"})");
}

std::string Row(const std::string& date, const std::string& direction, const std::string& amount,
                const std::string& ref, const std::string& account = "",
                const std::string& balance = "", const std::string& counterparty = "张某") {
  return date + "," + direction + "," + amount + "," + ref + "," + counterparty +
         ",6222000011112222," + account + ",," + balance + "\n";
}

const std::vector<json::Value>& ArrayAt(const json::Value& object, std::string_view key) {
  static const std::vector<json::Value> kEmpty;
  const json::Value* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->is_array()) << key << " is not an array";
  return v != nullptr && v->is_array() ? v->items : kEmpty;
}

bool BoolAt(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->is_bool()) << key << " is not a bool";
  return v != nullptr && v->is_bool() && v->boolean;
}

// The bank_refs of a list of lines or entries, in order.
std::vector<std::string> Refs(const json::Value& object, std::string_view key) {
  std::vector<std::string> refs;
  for (const auto& item : ArrayAt(object, key)) refs.push_back(Str(item, "bank_ref"));
  return refs;
}

class ReconcileCli : public CliFixture {
 protected:
  // Case A: receipt B1 of 5,000.00 on 03-04, costs P1 of 100.00 paid on 03-10 and P2 of
  // 50.00 on 03-11. Case B: receipt LEDGER-X of 700.00 booked on 03-07. Bank: 5,550.00.
  void RecordMarch() {
    const CliRun run = Apply({OpenCase("open-a", kCaseA), OpenCase("open-b", kCaseB),
                              Receipt("r-1", "2024-03-04", kCaseA, "5000", "B1"),
                              Receipt("r-2", "2024-03-07", kCaseB, "700", "LEDGER-X"),
                              PayCosts("c-1", "2024-03-10", "100", "P1"),
                              PayCosts("c-2", "2024-03-11", "50", "P2")});
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }

  std::string Statement(const std::string& rows, const std::string& name = "statement.csv") {
    WriteFile(dir_ / name, cli_test::StatementHeader(false) + rows);
    return (dir_ / name).string();
  }

  CliRun Reconcile(const std::string& file, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {"--db", db_, "reconcile", file};
    args.insert(args.end(), flags.begin(), flags.end());
    return Run(args);
  }

  json::Value ReconcileJson(const std::string& file, const std::vector<std::string>& flags,
                            int expected_exit) {
    std::vector<std::string> with_json = flags;
    with_json.push_back("--json");
    const CliRun run = Reconcile(file, with_json);
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    EXPECT_EQ(run.Lines().size(), 1u) << run.out;
    return ParseJson(run.out);
  }

  // How many entries the ledger holds.
  int64_t Entries() {
    const CliRun run = Run({"--db", db_, "verify", "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out;
    const json::Value report = ParseJson(run.out);
    const json::Value* entries = report.Find("entries");
    return entries == nullptr ? -1 : std::stoll(entries->text);
  }
};

TEST_F(ReconcileCli, MatchesByReferenceAndByVirtualAccountAmountAndDate) {
  RecordMarch();
  // BANK-Y is the bank's reference for the receipt booked as LEDGER-X two days earlier.
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA, "5000") +
                Row("2024-03-09", "in", "700.00", "BANK-Y", kAccountB, "5700") +
                Row("2024-03-10", "out", "100.00", "P1", "", "5600") +
                Row("2024-03-11", "out", "50.00", "P2", "", "5550"));
  const json::Value r = ReconcileJson(file, {}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "BANK-Y", "P1", "P2"}));
  const auto& matched = ArrayAt(r, "matched");
  ASSERT_EQ(matched.size(), 4u);
  EXPECT_EQ(Str(matched[0], "matched_by"), "bank_ref");
  EXPECT_EQ(Str(matched[0], "seq"), "3");
  EXPECT_EQ(Str(matched[0], "amount"), "5000.00");
  EXPECT_EQ(Str(matched[0], "direction"), "in");
  EXPECT_EQ(Str(matched[0], "value_date"), "2024-03-04");
  EXPECT_EQ(Str(matched[1], "matched_by"), "virtual_account");
  EXPECT_EQ(Str(matched[1], "ledger_bank_ref"), "LEDGER-X");
  EXPECT_EQ(Str(matched[1], "ledger_date"), "2024-03-07");
  EXPECT_EQ(Str(matched[1], "seq"), "4");
  EXPECT_TRUE(ArrayAt(r, "bank_only").empty());
  EXPECT_TRUE(ArrayAt(r, "ledger_only").empty());
  EXPECT_TRUE(ArrayAt(r, "mismatched").empty());
  const json::Value* period = r.Find("period");
  ASSERT_NE(period, nullptr);
  EXPECT_EQ(Str(*period, "from"), "2024-03-04");
  EXPECT_EQ(Str(*period, "to"), "2024-03-11");
  EXPECT_EQ(Str(r, "ledger_balance"), "5550.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5550.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, AMatchByAccountNeedsTheDateWithinTheWindow) {
  RecordMarch();
  // Four days after the booking: outside the default window of 3 days ...
  const std::string file = Statement(Row("2024-03-11", "in", "700.00", "BANK-Y", kAccountB));
  json::Value r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"BANK-Y"}));
  EXPECT_EQ(Refs(r, "ledger_only"), (std::vector<std::string>{"B1", "LEDGER-X", "P1", "P2"}));
  // ... inside a window of 4 set by the court.
  ASSERT_EQ(
      Apply({Cmd("rules-1", "2024-03-12", R"("set_rules":{"reconcile_window_days":4})")}).exit_code,
      0);
  r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"BANK-Y"}));
  EXPECT_EQ(Str(r, "window_days"), "4");
}

TEST_F(ReconcileCli, AReferenceWithAnotherAmountIsMismatchedAndExitsOne) {
  RecordMarch();
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.10", "B1", kAccountA) +
                Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                Row("2024-03-10", "out", "100.00", "P1") + Row("2024-03-11", "out", "50.00", "P2"));
  const json::Value r = ReconcileJson(file, {}, 1);
  const auto& mismatched = ArrayAt(r, "mismatched");
  ASSERT_EQ(mismatched.size(), 1u);
  EXPECT_EQ(Str(mismatched[0], "bank_ref"), "B1");
  EXPECT_EQ(Str(mismatched[0], "bank_amount"), "5000.10");
  EXPECT_EQ(Str(mismatched[0], "bank_direction"), "in");
  EXPECT_EQ(Str(mismatched[0], "bank_value_date"), "2024-03-04");
  EXPECT_EQ(Str(mismatched[0], "ledger_amount"), "5000.00");
  EXPECT_EQ(Str(mismatched[0], "ledger_direction"), "in");
  EXPECT_EQ(Str(mismatched[0], "ledger_date"), "2024-03-04");
  EXPECT_EQ(Str(mismatched[0], "seq"), "3");
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"LEDGER-X", "P1", "P2"}));
  // The difference is explained (5,550.00 + 0.10 = 5,550.10) but must still be looked into.
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5550.10");
  EXPECT_EQ(Str(r, "adjusted_statement_balance"), "5550.10");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, BothAdjustedBalancesAgreeWithItemsOnBothSides) {
  RecordMarch();
  // The bank has not yet paid P2 (ledger only) but has paid interest and taken a charge
  // (bank only). Bank: 5,000 + 700 − 100 + 1.23 − 5.00 = 5,596.23.
  const std::string file = Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA, "5000") +
                                     Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                                     Row("2024-03-10", "out", "100.00", "P1") +
                                     Row("2024-03-21", "in", "1.23", "INT-0321", "", "", "银行") +
                                     Row("2024-03-25", "out", "5.00", "FEE-0325", "", "", "银行"));
  const json::Value r = ReconcileJson(file, {}, 0);
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"INT-0321", "FEE-0325"}));
  EXPECT_EQ(Refs(r, "ledger_only"), (std::vector<std::string>{"P2"}));
  const auto& ledger_only = ArrayAt(r, "ledger_only");
  ASSERT_EQ(ledger_only.size(), 1u);
  EXPECT_EQ(Str(ledger_only[0], "direction"), "out");
  EXPECT_EQ(Str(ledger_only[0], "amount"), "50.00");
  EXPECT_EQ(Str(ledger_only[0], "value_date"), "2024-03-11");
  EXPECT_EQ(Str(ledger_only[0], "seq"), "6");
  EXPECT_EQ(Str(r, "ledger_balance"), "5550.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5596.23");
  // 5,550.00 + 1.23 − 5.00 = 5,546.23 = 5,596.23 − 50.00.
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5546.23");
  EXPECT_EQ(Str(r, "adjusted_statement_balance"), "5546.23");
  EXPECT_TRUE(BoolAt(r, "agree"));
  EXPECT_TRUE(ArrayAt(r, "recorded").empty());
  EXPECT_TRUE(ArrayAt(r, "not_recorded").empty());
}

TEST_F(ReconcileCli, BalancesThatDoNotAgreeExitOne) {
  RecordMarch();
  // The bank says 5,560.00 where the lines it lists give 5,550.00.
  const std::string file = Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                                     Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                                     Row("2024-03-10", "out", "100.00", "P1") +
                                     Row("2024-03-11", "out", "50.00", "P2", "", "5560.00"));
  const json::Value r = ReconcileJson(file, {}, 1);
  EXPECT_FALSE(BoolAt(r, "agree"));
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5550.00");
  EXPECT_EQ(Str(r, "adjusted_statement_balance"), "5560.00");
  const CliRun text = Reconcile(file);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("调节后余额不符"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("-10.00"), std::string::npos) << text.out;
}

TEST_F(ReconcileCli, RecordTwiceRecordsOnce) {
  RecordMarch();
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                Row("2024-03-10", "out", "100.00", "P1") + Row("2024-03-11", "out", "50.00", "P2") +
                Row("2024-03-15", "in", "200.00", "NEW-1", kAccountA, "", "李某") +
                Row("2024-03-21", "in", "1.23", "INT-0321", "", "", "银行") +
                Row("2024-03-25", "out", "5.00", "FEE-0325", "", "", "银行"));
  const int64_t before = Entries();
  json::Value r = ReconcileJson(file, {"--record", "--operator", "finance.zhao"}, 0);
  // The figures are those before recording.
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"NEW-1", "INT-0321", "FEE-0325"}));
  const auto& recorded = ArrayAt(r, "recorded");
  ASSERT_EQ(recorded.size(), 2u);  // the outbound charge is never recorded
  EXPECT_EQ(Str(recorded[0], "request_id"), "reconcile:NEW-1");
  EXPECT_EQ(Str(recorded[0], "op"), "receipt");
  EXPECT_EQ(Str(recorded[0], "case_no"), kCaseA);
  EXPECT_EQ(Str(recorded[1], "request_id"), "reconcile:INT-0321");
  EXPECT_EQ(Str(recorded[1], "op"), "unidentified_receipt");
  EXPECT_EQ(Str(recorded[1], "case_no"), "<null>");
  EXPECT_EQ(Entries(), before + 2);
  // The receipt went to case A through the normal write path, dated by its value date.
  const CliRun history = Run({"--db", db_, "history", kCaseA, "--json"});
  EXPECT_NE(history.out.find(
                R"("request_id":"reconcile:NEW-1","operator":"finance.zhao","on":"2024-03-15")"),
            std::string::npos)
      << history.out;
  // Twice: nothing new; the lines are matched now.
  r = ReconcileJson(file, {"--record"}, 0);
  EXPECT_TRUE(ArrayAt(r, "recorded").empty());
  EXPECT_TRUE(ArrayAt(r, "not_recorded").empty());
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"FEE-0325"}));
  EXPECT_EQ(Entries(), before + 2);
  const CliRun verify = Run({"--db", db_, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(ReconcileCli, ALineWhoseRequestIdIsInTheLedgerIsSkipped) {
  RecordMarch();
  // Recorded as an unidentified receipt, then reversed: bank-only again, but its request id
  // is taken. A reference twice in one statement is recorded once.
  const std::string file = Statement(Row("2024-03-21", "in", "1.23", "INT-0321", "", "", "银行") +
                                     Row("2024-03-22", "in", "2.00", "TWICE", "", "", "银行") +
                                     Row("2024-03-22", "in", "2.00", "TWICE", "", "", "银行"));
  const std::vector<std::string> flags = {"--record", "--period", "2024-03-01:2024-03-31"};
  json::Value r = ReconcileJson(file, flags, 0);
  EXPECT_EQ(Refs(r, "recorded"), (std::vector<std::string>{"INT-0321", "TWICE"}));
  EXPECT_EQ(Refs(r, "skipped"), (std::vector<std::string>{"TWICE"}));
  ASSERT_EQ(
      Apply({Cmd("rev-int", "2024-03-31",
                 R"("reverse":{"target_request_id":"reconcile:INT-0321","reason":"bank error"})")})
          .exit_code,
      0);
  const int64_t before = Entries();
  r = ReconcileJson(file, flags, 0);
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"INT-0321", "TWICE"}));
  EXPECT_TRUE(ArrayAt(r, "recorded").empty());
  // The reversed one, and the second TWICE (its request id is the first one's).
  EXPECT_EQ(Refs(r, "skipped"), (std::vector<std::string>{"INT-0321", "TWICE"}));
  EXPECT_EQ(Entries(), before);
}

TEST_F(ReconcileCli, ALineThatCannotBeRecordedIsListedWithItsCode) {
  RecordMarch();
  // Dated the 2nd, before case A's latest entry (the 11th): the receipt is refused.
  const std::string file = Statement(Row("2024-03-02", "in", "200.00", "EARLY-1", kAccountA));
  json::Value r = ReconcileJson(file, {"--record", "--period", "2024-03-01:2024-03-31"}, 1);
  EXPECT_TRUE(ArrayAt(r, "recorded").empty());
  const auto& not_recorded = ArrayAt(r, "not_recorded");
  ASSERT_EQ(not_recorded.size(), 1u);
  EXPECT_EQ(Str(not_recorded[0], "bank_ref"), "EARLY-1");
  EXPECT_EQ(ErrorCode(not_recorded[0]), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(not_recorded[0]).find("before the latest entry"), std::string::npos);
  // Recorded on the day of the reconciliation instead, keeping the bank's value date.
  r = ReconcileJson(file, {"--record", "--period", "2024-03-01:2024-03-31", "--on", "2024-03-31"},
                    0);
  ASSERT_EQ(ArrayAt(r, "recorded").size(), 1u);
  const CliRun case_a = Run({"--db", db_, "case", kCaseA, "--json"});
  EXPECT_EQ(Str(ParseJson(case_a.out), "recovered"), "5200.00");
}

TEST_F(ReconcileCli, AMalformedStatementRecordsNothingAndNamesTheRow) {
  RecordMarch();
  const std::string file = Statement(Row("2024-03-15", "in", "200.00", "NEW-1", kAccountA) +
                                     Row("2024-03-16", "in", "300.00", "NEW-2", kAccountA) +
                                     Row("2024-03-17", "in", "1,5", "NEW-3", kAccountA));
  const int64_t before = Entries();
  const json::Value r = ReconcileJson(file, {"--record"}, 1);
  EXPECT_FALSE(IsOk(r));
  EXPECT_EQ(ErrorCode(r), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorMessage(r).rfind("row 4: 10 fields", 0), 0u) << ErrorMessage(r);
  EXPECT_EQ(Entries(), before);
  // The same for a bad amount, a bad direction and a bad date, in text mode on stderr.
  for (const auto& [row, expected] : std::vector<std::pair<std::string, std::string>>{
           {Row("2024-03-17", "in", "1e3", "NEW-3"), "row 4: amount"},
           {Row("2024-03-17", "收入", "1.00", "NEW-3"), "row 4: direction"},
           {Row("2024-03-32", "in", "1.00", "NEW-3"), "row 4: value_date"},
           {Row("2024-03-17", "in", "1.00", ""), "row 4: bank_ref: missing"}}) {
    const std::string bad = Statement(Row("2024-03-15", "in", "200.00", "NEW-1", kAccountA) +
                                      Row("2024-03-16", "in", "300.00", "NEW-2", kAccountA) + row);
    const CliRun run = Reconcile(bad, {"--record"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("6222000011112222"), std::string::npos) << run.err;
    EXPECT_EQ(Entries(), before);
  }
}

TEST_F(ReconcileCli, AGbkStatementIsRefusedWithAClearMessage) {
  RecordMarch();
  // "张某" in GBK.
  const std::string file = Statement("2024-03-04,in,5000.00,B1,\xD5\xC5\xC4\xB3,,,,\n");
  const CliRun run = Reconcile(file);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("not UTF-8"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("iconv -f GBK -t UTF-8"), std::string::npos) << run.err;
}

TEST_F(ReconcileCli, PeriodReconcilesOneMonth) {
  today_ = "2024-04-30";
  RecordMarch();
  ASSERT_EQ(Apply({Receipt("r-3", "2024-04-02", kCaseA, "80", "B3"),
                   PayCosts("c-3", "2024-04-20", "30", "P3")})
                .exit_code,
            0);
  // A statement of March and April, the running balance throughout.
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA, "5000") +
                Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB, "5700") +
                Row("2024-03-10", "out", "100.00", "P1", "", "5600") +
                Row("2024-03-11", "out", "50.00", "P2", "", "5550") +
                Row("2024-04-02", "in", "80.00", "B3", kAccountA, "5630") +
                Row("2024-04-20", "out", "30.00", "P3", "", "5600"));
  json::Value r = ReconcileJson(file, {"--period", "2024-04-01:2024-04-30"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B3", "P3"}));
  EXPECT_TRUE(ArrayAt(r, "ledger_only").empty());
  EXPECT_EQ(Str(r, "lines_in_period"), "2");
  EXPECT_EQ(Str(r, "ledger_balance"), "5600.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5600.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
  // March alone: its balance as of the 31st, without April's lines or entries.
  r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "LEDGER-X", "P1", "P2"}));
  EXPECT_EQ(Str(r, "ledger_balance"), "5550.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5550.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, UsageErrorsExitTwo) {
  RecordMarch();
  const std::string file = Statement(Row("2024-03-04", "in", "5000.00", "B1"));
  EXPECT_EQ(Reconcile((dir_ / "missing.csv").string()).exit_code, 2);
  EXPECT_EQ(Reconcile(dir_.string()).exit_code, 2);
  EXPECT_EQ(Reconcile(file, {"--period", "2024-03-01"}).exit_code, 2);
  EXPECT_EQ(Reconcile(file, {"--period", "2024-03-31:2024-03-01"}).exit_code, 2);
  EXPECT_EQ(Reconcile(file, {"--on", "2024-03-31"}).exit_code, 2);  // --on needs --record
  EXPECT_EQ(Reconcile(file, {"--record", "--on", "2024-02-30"}).exit_code, 2);
  EXPECT_EQ(Reconcile(file, {"--record", "--operator", "a b"}).exit_code, 2);
  // Operators are printable ASCII (SPEC §1): a look-alike of finance.zhao is a usage error, not
  // a run whose every line is refused.
  for (const std::string look_alike :
       {"finance.zhao\u00ad", "finance\u200d.zhao", "finance.zhao\u2060", "\u200efinance.zhao",
        "ｆinance.zhao", "finance/zhao"}) {
    const CliRun run = Reconcile(file, {"--record", "--operator", look_alike});
    EXPECT_EQ(run.exit_code, 2) << look_alike << ": " << run.out << run.err;
  }
  EXPECT_EQ(Reconcile(file, {"--csv", "--json"}).exit_code, 2);
  const CliRun no_ledger = Run({"--db", (dir_ / "none").string(), "reconcile", file, "--json"});
  EXPECT_EQ(no_ledger.exit_code, 2);
  EXPECT_EQ(ErrorCode(ParseJson(no_ledger.out)), "NO_LEDGER");
}

TEST_F(ReconcileCli, TheStatementForPeopleIsChineseByDefaultAndEnglishWithLangEn) {
  RecordMarch();
  const std::string file = Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                                     Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                                     Row("2024-03-10", "out", "100.00", "P1") +
                                     Row("2024-03-21", "in", "1.23", "INT-0321", "", "", "银行"));
  const CliRun zh = Reconcile(file);
  EXPECT_EQ(zh.exit_code, 0) << zh.err;
  for (const char* part :
       {"银行存款余额调节表", "账面银行存款余额（截至 2024-03-21）", "加：银行已收、账面未收",
        "减：账面已付、银行未付", "调节后账面余额", "5,550.00", "5,551.23", "结论：调节后余额相符",
        "INT-0321", "支付执行费用", "编制人"}) {
    EXPECT_NE(zh.out.find(part), std::string::npos) << part << " missing in:\n" << zh.out;
  }
  const CliRun en = Run({"--db", db_, "--lang", "en", "reconcile", file});
  EXPECT_EQ(en.exit_code, 0);
  for (const char* part : {"Bank reconciliation statement", "Adjusted ledger balance",
                           "Conclusion: the adjusted balances agree", "pay_costs"}) {
    EXPECT_NE(en.out.find(part), std::string::npos) << part << " missing in:\n" << en.out;
  }
}

TEST_F(ReconcileCli, CsvHasOneRowPerLineOrEntryWithItsStatus) {
  RecordMarch();
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.10", "B1", kAccountA) +
                Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                Row("2024-03-10", "out", "100.00", "P1") +
                Row("2024-03-21", "in", "1.23", "INT-0321", "", "", "\"=HYPERLINK(\"\"x\"\")\""));
  const CliRun run = Reconcile(file, {"--csv"});
  EXPECT_EQ(run.exit_code, 1);  // B1 is mismatched
  const std::vector<std::string> lines = run.Lines();
  ASSERT_EQ(lines.size(), 6u) << run.out;
  EXPECT_EQ(lines[0].rfind("status,row,bank_ref,direction,amount,value_date,seq,", 0), 0u);
  EXPECT_EQ(lines[1].rfind("matched,3,LEDGER-X,in,700.00,2024-03-07,4,receipt,", 0), 0u);
  EXPECT_EQ(lines[2].rfind("matched,4,P1,out,100.00,2024-03-10,5,pay_costs,", 0), 0u);
  EXPECT_EQ(lines[3].rfind("mismatched,2,B1,in,5000.10,2024-03-04,3,receipt,", 0), 0u);
  EXPECT_EQ(lines[4].rfind("bank_only,5,INT-0321,in,1.23,2024-03-21,", 0), 0u);
  // A formula from outside the court is shown as text, quoted as RFC 4180 says.
  EXPECT_NE(lines[4].find(R"csv("'=HYPERLINK(""x"")")csv"), std::string::npos) << lines[4];
  EXPECT_EQ(lines[5].rfind("ledger_only,,P2,out,50.00,2024-03-11,6,pay_costs,", 0), 0u);
}

// ---- Bank dates: a period takes the ledger's movements by the bank's date, whenever booked.

// March's statement of RecordMarch, and B-LATE: 300.00 for case A on the 31st. Bank: 5,850.00.
std::string MarchWithLateRows() {
  return Row("2024-03-04", "in", "5000.00", "B1", kAccountA, "5000") +
         Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB, "5700") +
         Row("2024-03-10", "out", "100.00", "P1", "", "5600") +
         Row("2024-03-11", "out", "50.00", "P2", "", "5550") +
         Row("2024-03-31", "in", "300.00", "B-LATE", kAccountA, "5850");
}

TEST_F(ReconcileCli, AReceiptBookedAfterItsMonthWasReconciledMatchesInThatMonth) {
  today_ = "2024-04-30";
  RecordMarch();
  const std::string file = Statement(MarchWithLateRows());
  const std::vector<std::string> march = {"--period", "2024-03-01:2024-03-31"};
  // Reconciled on March 31st, before the receipt was booked: the bank has it, the ledger not.
  // 5,550.00 + 300.00 = 5,850.00 on both sides.
  json::Value r = ReconcileJson(file, march, 0);
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"B-LATE"}));
  EXPECT_EQ(Str(r, "ledger_balance"), "5550.00");
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5850.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
  // Booked on April 1st with the bank's value date: March's movement now. The ledger's bank
  // balance on the 31st holds it (5,550.00 + 300.00), and nothing is left to adjust.
  ASSERT_EQ(
      Apply({LateReceipt("r-late", "2024-04-01", kCaseA, "300", "B-LATE", "2024-03-31")}).exit_code,
      0);
  r = ReconcileJson(file, march, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "LEDGER-X", "P1", "P2", "B-LATE"}));
  const auto& matched = ArrayAt(r, "matched");
  ASSERT_EQ(matched.size(), 5u);
  EXPECT_EQ(Str(matched[4], "matched_by"), "bank_ref");
  EXPECT_EQ(Str(matched[4], "seq"), "7");
  EXPECT_EQ(Str(matched[4], "ledger_date"), "2024-03-31");
  EXPECT_EQ(Str(matched[4], "ledger_on"), "2024-04-01");
  EXPECT_TRUE(ArrayAt(r, "bank_only").empty());
  EXPECT_TRUE(ArrayAt(r, "ledger_only").empty());
  EXPECT_EQ(Str(r, "ledger_balance"), "5850.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5850.00");
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5850.00");
  EXPECT_EQ(Str(r, "adjusted_statement_balance"), "5850.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
  EXPECT_EQ(Str(r, "ledger_seq"), "7");
  // The statement for people says the same.
  const CliRun text = Reconcile(file, march);
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("账面银行存款余额（截至 2024-03-31）"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("5,850.00"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("结论：调节后余额相符"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("银行已记、账面未记"), std::string::npos) << text.out;
  // April: B3 of 80.00; the late receipt is not April's, but in both of April's balances:
  // 5,850.00 + 80.00 = 5,930.00.
  ASSERT_EQ(Apply({Receipt("r-3", "2024-04-02", kCaseA, "80", "B3")}).exit_code, 0);
  const std::string both = Statement(
      MarchWithLateRows() + Row("2024-04-02", "in", "80.00", "B3", kAccountA, "5930"), "both.csv");
  r = ReconcileJson(both, {"--period", "2024-04-01:2024-04-30"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B3"}));
  EXPECT_TRUE(ArrayAt(r, "ledger_only").empty());
  EXPECT_EQ(Str(r, "ledger_balance"), "5930.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5930.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, RecordRecognisesALineTheLedgerBookedLater) {
  today_ = "2024-04-30";
  RecordMarch();
  // B-LATE booked on April 1st with its value date; B-LATE2 (the 30th, 20.00 for case B)
  // booked on April 2nd without one, so the ledger dates it by its booking.
  ASSERT_EQ(Apply({LateReceipt("r-late", "2024-04-01", kCaseA, "300", "B-LATE", "2024-03-31"),
                   Receipt("r-late2", "2024-04-02", kCaseB, "20", "B-LATE2")})
                .exit_code,
            0);
  const std::string file =
      Statement(MarchWithLateRows() + Row("2024-03-30", "in", "20.00", "B-LATE2", kAccountB));
  const int64_t before = Entries();
  const json::Value r = ReconcileJson(file, {"--record", "--period", "2024-03-01:2024-03-31"}, 0);
  // B-LATE is matched: nothing to record. B-LATE2 is the bank's on March 30th and the
  // ledger's on April 2nd: bank-only in March (5,850.00 + 20.00 = 5,870.00 both sides), and
  // already in the ledger, so skipped, naming the entry, not refused as a duplicate.
  EXPECT_EQ(Refs(r, "bank_only"), (std::vector<std::string>{"B-LATE2"}));
  EXPECT_EQ(Str(r, "ledger_balance"), "5850.00");
  EXPECT_EQ(Str(r, "adjusted_ledger_balance"), "5870.00");
  EXPECT_EQ(Str(r, "adjusted_statement_balance"), "5870.00");
  EXPECT_TRUE(ArrayAt(r, "recorded").empty());
  EXPECT_TRUE(ArrayAt(r, "not_recorded").empty());
  const auto& skipped = ArrayAt(r, "skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(Str(skipped[0], "bank_ref"), "B-LATE2");
  EXPECT_EQ(Str(skipped[0], "seq"), "8");
  EXPECT_EQ(Str(skipped[0], "ledger_date"), "2024-04-02");
  EXPECT_EQ(Entries(), before);
}

TEST_F(ReconcileCli, AnUnidentifiedReceiptBookedAndClaimedLaterMatchesInItsMonth) {
  today_ = "2024-04-30";
  RecordMarch();
  ASSERT_EQ(
      Apply({Cmd("u-late", "2024-04-01",
                 R"("unidentified_receipt":{"amount":"40","bank_ref":"U-LATE",)"
                 R"("value_date":"2024-03-29"})"),
             Cmd("claim-late", "2024-04-02",
                 R"("claim":{"bank_ref":"U-LATE","case_no":")" + std::string(kCaseB) + R"("})")})
          .exit_code,
      0);
  const std::string file =
      Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                Row("2024-03-10", "out", "100.00", "P1") + Row("2024-03-11", "out", "50.00", "P2") +
                Row("2024-03-29", "in", "40.00", "U-LATE", "", "", "王某"));
  const json::Value r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "LEDGER-X", "P1", "P2", "U-LATE"}));
  EXPECT_EQ(Str(ArrayAt(r, "matched").back(), "op"), "unidentified_receipt");
  EXPECT_TRUE(ArrayAt(r, "bank_only").empty());
  // 5,550.00 + 40.00: the claim moved the money from suspense to case B, not through the bank.
  EXPECT_EQ(Str(r, "ledger_balance"), "5590.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5590.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, ACorrectionBookedNextMonthReconcilesItsMonthByWhatTheLedgerHoldsNow) {
  today_ = "2024-04-30";
  RecordMarch();
  // On April 1st: LEDGER-X was case A's, not B's (reversed, booked again with the bank's value
  // date); P2 was never paid by the bank (reversed, no return reference).
  ASSERT_EQ(
      Apply(
          {Cmd("rev-x", "2024-04-01", R"("reverse":{"target_request_id":"r-2","reason":"错案号"})"),
           LateReceipt("r-2b", "2024-04-01", kCaseA, "700", "LEDGER-X", "2024-03-07"),
           Cmd("rev-p2", "2024-04-01", R"("reverse":{"target_request_id":"c-2","reason":"重复"})")})
          .exit_code,
      0);
  // The bank: 5,000.00 + 700.00 − 100.00 = 5,600.00; so is the ledger now, by bank dates.
  const std::string file = Statement(Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                                     Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                                     Row("2024-03-10", "out", "100.00", "P1", "", "5600"));
  const json::Value r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "LEDGER-X", "P1"}));
  const auto& matched = ArrayAt(r, "matched");
  ASSERT_EQ(matched.size(), 3u);
  EXPECT_EQ(Str(matched[1], "seq"), "8");  // the booking that stands, not the reversed one
  EXPECT_TRUE(ArrayAt(r, "ledger_only").empty());
  EXPECT_TRUE(ArrayAt(r, "bank_only").empty());
  EXPECT_EQ(Str(r, "ledger_balance"), "5600.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5600.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

TEST_F(ReconcileCli, ABankReturnNextMonthLeavesThePaymentInItsMonth) {
  today_ = "2024-04-30";
  RecordMarch();
  ASSERT_EQ(Apply({Cmd("ret-p1", "2024-04-02",
                       R"("reverse":{"target_request_id":"c-1","bank_ref":"RET-P1",)"
                       R"("reason":"收款账户已销户"})")})
                .exit_code,
            0);
  const std::string rows = Row("2024-03-04", "in", "5000.00", "B1", kAccountA) +
                           Row("2024-03-07", "in", "700.00", "LEDGER-X", kAccountB) +
                           Row("2024-03-10", "out", "100.00", "P1") +
                           Row("2024-03-11", "out", "50.00", "P2", "", "5550") +
                           Row("2024-04-02", "in", "100.00", "RET-P1", "", "5650");
  const std::string file = Statement(rows);
  // March: the payment, 5,550.00 on both sides; April: the return, 5,650.00.
  json::Value r = ReconcileJson(file, {"--period", "2024-03-01:2024-03-31"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"B1", "LEDGER-X", "P1", "P2"}));
  EXPECT_EQ(Str(r, "ledger_balance"), "5550.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
  r = ReconcileJson(file, {"--period", "2024-04-01:2024-04-30"}, 0);
  EXPECT_EQ(Refs(r, "matched"), (std::vector<std::string>{"RET-P1"}));
  EXPECT_EQ(Str(r, "ledger_balance"), "5650.00");
  EXPECT_EQ(Str(r, "statement_balance"), "5650.00");
  EXPECT_TRUE(BoolAt(r, "agree"));
}

}  // namespace
}  // namespace caseledger
