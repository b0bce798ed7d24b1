// The engine test fixture: an in-memory state, command builders, invariant and replay checks.
#ifndef CASELEDGER_TESTS_CORE_ENGINE_FIXTURE_H_
#define CASELEDGER_TESTS_CORE_ENGINE_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseledger.pb.h"
#include "core/command_json.h"
#include "core/date.h"
#include "core/engine.h"
#include "core/figures.h"
#include "core/lots.h"
#include "core/money.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/transaction.h"

namespace caseledger::engine_fixture {

inline constexpr std::string_view kCase = "(2024)甘0102执1号";
inline constexpr std::string_view kCase2 = "(2024)甘0102执2号";
inline constexpr std::string_view kUnknownCase = "(2024)甘0102执999号";
inline constexpr std::string_view kClerk = "clerk.wang";
inline constexpr std::string_view kChecker = "clerk.li";
inline constexpr std::string_view kCreditorAccount = "6222000011112222";

inline Date Day(std::string_view text) { return Date::Parse(text, "test").value(); }

// The state a ledger would hold, in memory: versioned tables keep only their latest value.
class MemoryState : public StateReader {
 public:
  using Records = std::map<std::pair<Table, std::string>, std::string>;

  Status Read(Table table, std::string_view id, std::string* value, bool* found) override {
    auto it = records_.find({table, std::string(id)});
    *found = it != records_.end();
    if (*found) *value = it->second;
    return Status::Ok();
  }
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override {
    auto it = entries_.find(seq);
    *found = it != entries_.end();
    if (*found) *bytes = it->second;
    return Status::Ok();
  }
  void Commit(const Transaction& tx) {
    for (const auto& [key, value] : tx.writes()) {
      if (value) {
        records_[key] = *value;
      } else {
        records_.erase(key);
      }
    }
    for (const auto& [seq, bytes] : tx.entries()) entries_[seq] = bytes;
  }
  const Records& records() const { return records_; }
  const std::map<uint64_t, std::string>& entries() const { return entries_; }

 private:
  Records records_;
  std::map<uint64_t, std::string> entries_;
};

// ISO 7064 MOD 97-10: a valid number is 1 modulo 97.
inline int Mod97(std::string_view digits) {
  int rest = 0;
  for (char c : digits) rest = (rest * 10 + (c - '0')) % 97;
  return rest;
}

class EngineTest : public ::testing::Test {
 protected:
  // Decides one JSON line against the state; an accepted entry is committed and checked.
  Result<Decision> Apply(std::string_view line) {
    ParsedCommand parsed = ParseCommandLine(line);
    if (!parsed.status.ok()) return parsed.status;
    ApplyContext context;
    context.seq = next_seq_;
    context.recorded_at_us = 1700000000000000 + static_cast<int64_t>(next_seq_);
    context.today = today_;
    context.rules = rules_;
    context.origin = origin_;
    Transaction tx(&state_);
    Result<Decision> decision = Decide(parsed.command, context, &tx);
    if (!decision.ok()) return decision;
    if (!decision->created) {
      EXPECT_TRUE(tx.writes().empty()) << "a replay wrote state";
      EXPECT_TRUE(tx.entries().empty()) << "a replay wrote an entry";
      return decision;
    }
    EXPECT_EQ(decision->seq, next_seq_);
    state_.Commit(tx);
    ++next_seq_;
    CheckInvariants(decision->entry);
    return decision;
  }

  // Applies a command that must be accepted.
  Decision Accept(std::string_view line) {
    Result<Decision> decision = Apply(line);
    if (!decision.ok()) {
      ADD_FAILURE() << "rejected: " << decision.status().ToString() << "\n  " << line;
      return {};
    }
    return *decision;
  }

  // Applies a command that must be rejected; returns its code ("OK" if it was accepted) and
  // checks that nothing was written.
  std::string Reject(std::string_view line) {
    const MemoryState::Records before = state_.records();
    const uint64_t seq_before = next_seq_;
    Result<Decision> decision = Apply(line);
    if (decision.ok()) return "OK";
    EXPECT_EQ(state_.records(), before) << "a rejected command changed the state";
    EXPECT_EQ(next_seq_, seq_before);
    last_error_ = decision.status();
    return std::string(CodeName(decision.status().code()));
  }

  // A command line with the envelope of SPEC §2. Cmd names its request_id itself.
  std::string CmdId(std::string_view request_id, std::string_view on, std::string_view op,
                    std::string_view body, std::string_view operator_name = kClerk) {
    return std::string(R"({"request_id": ")") + std::string(request_id) + R"(", "operator": ")" +
           std::string(operator_name) + R"(", "on": ")" + std::string(on) + R"(", ")" +
           std::string(op) + R"(": )" + std::string(body) + "}";
  }
  std::string Cmd(std::string_view on, std::string_view op, std::string_view body,
                  std::string_view operator_name = kClerk) {
    return CmdId("auto-" + std::to_string(++auto_id_), on, op, body, operator_name);
  }

  // Common commands.
  std::string OpenCaseBody(std::string_view case_no, std::string_view claim = "500000.00") {
    return std::string(R"({"case_no": ")") + std::string(case_no) + R"(", "claim": ")" +
           std::string(claim) +
           R"(", "creditors": [{"party_id": "c1", "name": "甲公司", "kind": "enterprise", )"
           R"("account": "6222000011112222"}, {"party_id": "c2", "name": "李某"}], )"
           R"("debtors": [{"party_id": "d1", "name": "张某某"}]})";
  }
  std::string OpenCase(std::string_view on = "2024-03-01", std::string_view case_no = kCase,
                       std::string_view claim = "500000.00") {
    return Cmd(on, "open_case", OpenCaseBody(case_no, claim));
  }
  std::string Receipt(std::string_view on, std::string_view amount, std::string_view bank_ref,
                      std::string_view case_no = kCase) {
    return Cmd(on, "receipt",
               std::string(R"({"case_no": ")") + std::string(case_no) + R"(", "amount": ")" +
                   std::string(amount) + R"(", "bank_ref": ")" + std::string(bank_ref) +
                   R"(", "source": "debtor_payment"})");
  }
  std::string Request(std::string_view on, std::string_view id, std::string_view amount,
                      std::string_view payee = "c1", std::string_view case_no = kCase) {
    return Cmd(on, "request_disbursement",
               std::string(R"({"disbursement_id": ")") + std::string(id) + R"(", "case_no": ")" +
                   std::string(case_no) + R"(", "payee": ")" + std::string(payee) +
                   R"(", "amount": ")" + std::string(amount) + R"("})");
  }
  std::string Approve(std::string_view on, std::string_view id,
                      std::string_view operator_name = kChecker) {
    return Cmd(on, "approve_disbursement",
               std::string(R"({"disbursement_id": ")") + std::string(id) + R"("})", operator_name);
  }
  std::string Confirm(std::string_view on, std::string_view id, std::string_view bank_ref) {
    return Cmd(on, "confirm_disbursement",
               std::string(R"({"disbursement_id": ")") + std::string(id) + R"(", "bank_ref": ")" +
                   std::string(bank_ref) + R"("})");
  }
  std::string Hold(std::string_view on, std::string_view id, std::optional<std::string> amount,
                   std::string_view approved_by = kChecker) {
    std::string body = std::string(R"({"hold_id": ")") + std::string(id) + R"(", "case_no": ")" +
                       std::string(kCase) + R"(", "ground": "frozen", "approved_by": ")" +
                       std::string(approved_by) + R"(")";
    if (amount) body += R"(, "amount": ")" + *amount + R"(")";
    return Cmd(on, "hold", body + "}");
  }
  std::string Close(std::string_view on, std::string_view mode = "fully_performed",
                    std::string_view case_no = kCase) {
    return Cmd(on, "close_case",
               std::string(R"({"case_no": ")") + std::string(case_no) + R"(", "mode": ")" +
                   std::string(mode) + R"("})");
  }
  std::string Outflow(std::string_view on, std::string_view op, std::string_view amount,
                      std::string_view bank_ref, std::string_view case_no = kCase) {
    std::string body = std::string(R"({"case_no": ")") + std::string(case_no) +
                       R"(", "amount": ")" + std::string(amount) + R"(", "bank_ref": ")" +
                       std::string(bank_ref) + R"(", "reason": "退款")";
    if (op != "remit_treasury") body += R"(, "payee": "张某某")";
    return Cmd(on, op, body + "}");
  }
  std::string Unidentified(std::string_view on, std::string_view amount,
                           std::string_view bank_ref) {
    return Cmd(on, "unidentified_receipt",
               std::string(R"({"amount": ")") + std::string(amount) + R"(", "bank_ref": ")" +
                   std::string(bank_ref) + R"(", "payer": "某某"})");
  }
  std::string Claim(std::string_view on, std::string_view bank_ref,
                    std::optional<std::string> amount, std::string_view case_no = kCase) {
    std::string body = std::string(R"({"bank_ref": ")") + std::string(bank_ref) +
                       R"(", "case_no": ")" + std::string(case_no) + R"(")";
    if (amount) body += R"(, "amount": ")" + *amount + R"(")";
    return Cmd(on, "claim", body + "}");
  }
  std::string Reverse(std::string_view on, std::string_view target,
                      std::optional<std::string> bank_ref = std::nullopt) {
    std::string body =
        std::string(R"({"target_request_id": ")") + std::string(target) + R"(", "reason": "更正")";
    if (bank_ref) body += R"(, "bank_ref": ")" + *bank_ref + R"(")";
    return Cmd(on, "reverse", body + "}");
  }

  template <typename M>
  M Record(Table table, std::string_view id) {
    M message;
    auto it = state_.records().find({table, std::string(id)});
    if (it == state_.records().end()) {
      ADD_FAILURE() << "no record " << static_cast<char>(table) << ":" << id;
      return message;
    }
    EXPECT_TRUE(message.ParseFromString(it->second));
    return message;
  }
  bool Has(Table table, std::string_view id) {
    return state_.records().contains({table, std::string(id)});
  }
  pb::CaseRecord CaseOf(std::string_view case_no = kCase) {
    return Record<pb::CaseRecord>(Table::kCase, case_no);
  }
  CaseFigures FiguresOn(std::string_view on, std::string_view case_no = kCase) {
    return EvaluateCase(CaseOf(case_no), Day(on));
  }
  // The restoration chain of a case, first case first, as the state holds it now: back along
  // restored_from to the first case, then forward along restored_to (SPEC §2 restore_case).
  std::vector<pb::CaseRecord> ChainOf(std::string_view case_no = kCase) {
    pb::CaseRecord first = CaseOf(case_no);
    for (size_t steps = 0; first.has_restored_from(); ++steps) {
      if (steps > state_.records().size()) {
        ADD_FAILURE() << "restored_from loops at " << first.case_no();
        break;
      }
      first = CaseOf(first.restored_from());
    }
    std::vector<pb::CaseRecord> chain = {first};
    while (chain.back().has_restored_to()) {
      if (chain.size() > state_.records().size()) {
        ADD_FAILURE() << "restored_to loops at " << chain.back().case_no();
        break;
      }
      chain.push_back(CaseOf(chain.back().restored_to()));
    }
    return chain;
  }
  // The figures of a case on D over its restoration chain.
  CaseFigures ChainFiguresOn(std::string_view on, std::string_view case_no = kCase) {
    return EvaluateCase(CaseOf(case_no), ChainOf(case_no), Day(on));
  }
  pb::GlobalRecord Global() { return Record<pb::GlobalRecord>(Table::kGlobal, ""); }
  pb::Entry EntryAt(uint64_t seq) {
    pb::Entry entry;
    EXPECT_TRUE(entry.ParseFromString(state_.entries().at(seq)));
    return entry;
  }

  // SPEC §6 after every accepted entry: postings balance (2), no case account or lot goes
  // negative (3), the bank equals the accounts it holds less the charges (4), and the global record
  // and each case's lots agree with the sum of all postings so far.
  void CheckInvariants(const pb::Entry& entry) {
    Fen sum = 0;
    for (const auto& posting : entry.postings()) {
      sum += posting.amount_fen();
      // The bank and the charges the budget owes back are assets: debits positive.
      const bool asset = posting.account() == "bank" || posting.account() == "charges";
      const Fen signed_amount = asset ? Fen(posting.amount_fen()) : -Fen(posting.amount_fen());
      balances_[posting.account()] += signed_amount;
    }
    EXPECT_EQ(sum, 0) << "postings do not balance";
    Fen cases = 0, others = 0;
    for (const auto& [account, balance] : balances_) {
      if (account == "bank") continue;
      EXPECT_GE(balance, 0) << account;
      if (account.starts_with("case:")) cases += balance;
      others += account == "charges" ? -balance : balance;
    }
    EXPECT_EQ(balances_["bank"], others);
    const pb::GlobalRecord global = Global();
    EXPECT_EQ(Fen(global.bank_fen()), balances_["bank"]);
    EXPECT_EQ(Fen(global.cases_fen()), cases);
    EXPECT_EQ(Fen(global.suspense_fen()), balances_["suspense"]);
    EXPECT_EQ(Fen(global.fees_fen()), balances_["fees"]);
    EXPECT_EQ(Fen(global.lodgment_fen()), balances_["lodgment"]);
    EXPECT_EQ(Fen(global.interest_fen()), balances_["interest"]);
    EXPECT_EQ(Fen(global.charges_fen()), balances_["charges"]);
    for (const auto& [key, bytes] : state_.records()) {
      if (key.first != Table::kCase) continue;
      pb::CaseRecord record;
      ASSERT_TRUE(record.ParseFromString(bytes));
      const LotTotals totals = SumLots(record);
      EXPECT_EQ(totals.balance_fen(), balances_["case:" + record.case_no()]) << record.case_no();
      EXPECT_EQ(totals.balance_fen(), BalanceByFigures(record)) << record.case_no();
      for (const auto& lot : record.lots()) {
        EXPECT_GE(lot.free_fen(), 0);
        EXPECT_GE(lot.reserved_fen(), 0);
        EXPECT_GE(lot.held_fen(), 0);
      }
    }
  }

  // SPEC §6.7: replaying the log from empty reproduces the state and every entry's bytes.
  // The log carries its own set_rules entries, so replay starts from the default rules.
  void CheckReplay() {
    MemoryState replayed;
    for (const auto& [seq, bytes] : state_.entries()) {
      pb::Entry entry;
      ASSERT_TRUE(entry.ParseFromString(bytes));
      ApplyContext context;
      context.seq = seq;
      context.recorded_at_us = entry.recorded_at_us();
      context.rules = rules_;
      context.origin = OriginOf(entry);
      Transaction tx(&replayed);
      Result<Decision> decision = Decide(entry.command(), context, &tx);
      ASSERT_TRUE(decision.ok()) << "replay of " << seq << ": " << decision.status().ToString();
      ASSERT_TRUE(decision->created);
      EXPECT_EQ(tx.entries().at(seq), bytes) << "replay of " << seq;
      replayed.Commit(tx);
    }
    EXPECT_EQ(replayed.records(), state_.records()) << "replay differs from the state";
  }
  void TearDown() override { CheckReplay(); }

  MemoryState state_;
  uint64_t next_seq_ = 1;
  int auto_id_ = 0;
  Rules rules_;
  Origin origin_;  // where the next commands come from (SPEC §9)
  std::optional<Date> today_ = Day("2031-06-30");
  Status last_error_;
  std::map<std::string, Fen> balances_;  // by account: the bank as an asset, the rest owed
};

}  // namespace caseledger::engine_fixture

#endif  // CASELEDGER_TESTS_CORE_ENGINE_FIXTURE_H_
