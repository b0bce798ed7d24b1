// Proves that over thousands of seeded random commands, valid and invalid, committed in random
// groups, every invariant of SPEC §6 holds after each group and replay equals the stored state.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/command_json.h"
#include "core/date.h"
#include "core/figures.h"
#include "core/money.h"
#include "core/reports.h"
#include "ledger/ledger.h"
#include "ledger/reports.h"
#include "tests/ledger/ledger_test_util.h"

namespace caseledger {
namespace {

using testutil::Line;
using testutil::Obj;
using testutil::Str;

constexpr int kCommandsPerSeed = 1000;
constexpr uint64_t kSeeds[] = {20240101, 7, 982451653, 1234567};
constexpr int kGroupSizeMax = 8;
constexpr int kVerifyEvery = 400;  // commands between full verifications
const std::vector<std::string> kOperators = {"clerk.wang", "clerk.li", "clerk.zhao"};

// A command that created an entry: enough to send it again, identically or changed.
struct Sent {
  std::string request_id;
  std::string on;
  std::string op;
  std::string body;
  std::string operator_name;
  uint64_t seq = 0;
  std::string LineWith(const std::string& operator_override) const {
    return Line(request_id, on, op, body, operator_override);
  }
};

// What the generator knows of the ledger: the committed state, or the committed state plus the
// staged group. Exact because it only records commands the ledger accepted.
struct Knowledge {
  std::vector<std::string> cases;
  std::set<std::string> closed;
  std::vector<std::string> unidentified;
  std::vector<std::string> holds;
  std::vector<std::string> disbursements;
  std::map<std::string, std::string> requester;  // disbursement_id -> operator who requested
  std::vector<std::string> lodgments;
  std::vector<std::string> inbound_refs;
  std::map<std::string, std::string> account_of;  // case_no -> its virtual account number
  std::vector<Sent> created;
  Date latest_on;  // the latest `on` of any entry
  bool HasCase(const std::string& case_no) const {
    return std::find(cases.begin(), cases.end(), case_no) != cases.end();
  }
};

// One generated line and what must happen to it.
struct Planned {
  std::string op;    // the operation key
  std::string kind;  // for the statistics: the operation, or the kind of garbage
  std::string request_id;
  std::string on;
  std::string body;
  std::string operator_name = "clerk.wang";
  std::optional<std::string> raw;  // a line sent as is (malformed input)
  // The exact status required; nullopt when the rules decide (funds, states).
  std::optional<Code> expect;
  // An idempotent retry: the seq it must report, with created == false.
  std::optional<uint64_t> replay_seq;
  // What the generator learns when the command creates an entry.
  std::function<void(Knowledge*, const CommandResult&)> learn;
  std::string Text() const { return raw ? *raw : Line(request_id, on, op, body, operator_name); }
};

class Generator {
 public:
  Generator(uint64_t seed, Date start, Date today)
      : rng_(seed), seed_(seed), date_(start), today_(today) {}

  // The next command; `ledger` is read (committed state) to pick amounts that often fit.
  Planned Next(const Knowledge& known, Ledger* ledger) {
    AdvanceDate();
    if (!queued_.empty()) {
      Planned planned = std::move(queued_.front());
      queued_.pop_front();
      planned.on = date_.ToString();
      return planned;
    }
    if (outside_ && !known.cases.empty() && Chance(12)) return Outside(known);
    if (outside_ && Chance(4)) return BankOwn(ledger);
    const int roll = Uniform(0, 999);
    // Cumulative weights in thousandths.
    if (roll < 60 || known.cases.empty()) return OpenCase(known);
    if (roll < 230) return Receipt(known);
    if (roll < 270) return Unidentified();
    if (roll < 320) return Claim(known);
    if (roll < 370) return Hold(known, ledger);
    if (roll < 400) return ReleaseHold(known);
    if (roll < 470) return RequestDisbursement(known, ledger);
    if (roll < 520) return ApproveDisbursement(known);
    if (roll < 570) return ConfirmDisbursement(known);
    if (roll < 590) return FailDisbursement(known);
    if (roll < 620) return ChargeFee(known, ledger);
    if (roll < 680) return CaseOutflow(known, ledger);
    if (roll < 700) return RemitFees(ledger);
    if (roll < 730) return Lodge(known, ledger);
    if (roll < 745) return PayLodgment(known);
    if (roll < 760) return RefundUnidentified(known);
    if (roll < 815) return Reverse(known);
    if (roll < 830) return PayOutAndClose(known, ledger);
    if (roll < 865) return CloseCase(known, ledger);
    if (roll < 885) return BadAmount(known);
    if (roll < 890) return UnknownCase();
    if (roll < 895) return BadAccountNumber(known);
    if (roll < 915) return Malformed();
    if (roll < 925) return FutureOrInvalidDate(known);
    if (roll < 935) return Backdated(known);
    if (roll < 975) return Retry(known);
    return Conflict(known);
  }

  // Also generate the operations outside the special account (issue 10).
  void EnableOutside() { outside_ = true; }

  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }

 private:
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, static_cast<int>(items.size()) - 1)];
  }
  // Mostly a case that is not closed; now and then any case.
  const std::string& SomeCase(const Knowledge& known) {
    if (Chance(85)) {
      for (int tries = 0; tries < 8; ++tries) {
        const std::string& case_no = Pick(known.cases);
        if (!known.closed.contains(case_no)) return case_no;
      }
    }
    return Pick(known.cases);
  }
  // Half the time one of the last few items: recent ones are more often still in play.
  template <typename T>
  const T& PickRecent(const std::vector<T>& items) {
    const int count = static_cast<int>(items.size());
    if (Chance(50)) return items[count - 1 - Uniform(0, std::min(3, count - 1))];
    return Pick(items);
  }

  void AdvanceDate() {
    const int roll = Uniform(0, 99);
    int days = 0;
    if (roll >= 55) days = 1;
    if (roll >= 85) days = Uniform(2, 4);
    if (roll >= 97) days = Uniform(5, 20);
    date_ = std::min(date_.AddDays(days), today_);
  }

  std::string NewRequestId() { return "r" + std::to_string(seed_) + "-" + std::to_string(++ids_); }
  std::string NewRef(const char* prefix) { return prefix + std::to_string(++ids_); }
  std::string Operator() { return Pick(kOperators); }

  // Writes fen as yuan in one of its valid spellings ("7", "7.0", "7.00" are all 7 yuan).
  std::string Yuan(int64_t fen) {
    const std::string whole = std::to_string(fen / 100);
    const int64_t cents = fen % 100;
    const std::string two = (cents < 10 ? "0" : "") + std::to_string(cents);
    if (cents == 0) {
      const int form = Uniform(0, 2);
      return form == 0 ? whole : form == 1 ? whole + ".0" : whole + ".00";
    }
    if (cents % 10 == 0 && Chance(50)) return whole + "." + two.substr(0, 1);
    return whole + "." + two;
  }

  int64_t RandomFen() {
    switch (Uniform(0, 3)) {
      case 0:
        return Uniform(1, 100);
      case 1:
        return Uniform(1, 10000);
      case 2:
        return Uniform(1, 1000000);
      default:
        return Uniform(1, 5000000);
    }
  }

  // Mostly an amount the case can pay from its committed available money.
  int64_t AmountFor(Ledger* ledger, const std::string& case_no) {
    Result<pb::CaseRecord> record = ledger->GetCase(case_no, {});
    if (record.ok() && Chance(85)) {
      const Fen available = EvaluateCase(*record, today_).available_fen;
      if (available > 0) {
        const int64_t most = available.convert_to<int64_t>();
        if (Chance(20)) return most;
        return std::uniform_int_distribution<int64_t>(1, most)(rng_);
      }
    }
    return RandomFen();
  }

  Planned Make(const std::string& op, const std::string& body) {
    Planned planned;
    planned.op = op;
    planned.kind = op;
    planned.request_id = NewRequestId();
    planned.on = date_.ToString();
    planned.body = body;
    planned.operator_name = Operator();
    return planned;
  }

  Planned OpenCase(const Knowledge& known) {
    const bool again = !known.cases.empty() && Chance(5);
    const std::string case_no =
        again ? Pick(known.cases) : "(2021)甘0102执" + std::to_string(++cases_) + "号";
    const std::string claim = Chance(15) ? "0" : Yuan(Uniform(1000, 100000000));
    std::string creditors = "[" + Obj({{"party_id", Str("cred-1")},
                                       {"name", Str("张三")},
                                       {"account", Str("6222000011112222")}});
    if (Chance(30)) creditors += "," + Obj({{"party_id", Str("cred-2")}, {"name", Str("某公司")}});
    creditors += "]";
    Planned planned = Make(
        "open_case",
        Obj({{"case_no", Str(case_no)},
             {"claim", Str(claim)},
             {"creditors", creditors},
             {"debtors", "[" + Obj({{"party_id", Str("debt-1")}, {"name", Str("李四")}}) + "]"}}));
    planned.expect = known.HasCase(case_no) ? Code::kCaseExists : Code::kOk;
    planned.learn = [case_no](Knowledge* k, const CommandResult& result) {
      k->cases.push_back(case_no);
      k->account_of[case_no] = result.outcome.account_no();
    };
    return planned;
  }

  Planned Receipt(const Knowledge& known) {
    const std::string& case_no = SomeCase(known);
    const bool reuse = !known.inbound_refs.empty() && Chance(5);
    const std::string bank_ref = reuse ? Pick(known.inbound_refs) : NewRef("IN-");
    std::vector<std::pair<std::string, std::string>> body = {
        {"amount", Str(Yuan(RandomFen()))},
        {"bank_ref", Str(bank_ref)},
        {"source", Str(Chance(50) ? "debtor_payment" : "auction")}};
    const int naming = Uniform(0, 9);
    if (naming < 6) {
      body.insert(body.begin(), {"case_no", Str(case_no)});
    } else if (naming < 8) {
      // The virtual account number alone names the case.
      body.insert(body.begin(), {"account_no", Str(known.account_of.at(case_no))});
    } else if (naming < 9) {
      body.insert(body.begin(), {"account_no", Str(known.account_of.at(case_no))});
      body.insert(body.begin(), {"case_no", Str(case_no)});
    } else {
      // The full-width spelling of the same case number.
      std::string wide = case_no;
      wide.replace(wide.find('('), 1, "（");
      wide.replace(wide.find(')'), 1, "）");
      body.insert(body.begin(), {"case_no", Str(wide)});
    }
    if (Chance(30)) body.push_back({"value_date", Str(date_.AddDays(-Uniform(0, 3)).ToString())});
    Planned planned = Make("receipt", Obj(body));
    if (!reuse) planned.expect = known.closed.contains(case_no) ? Code::kCaseClosed : Code::kOk;
    planned.learn = [bank_ref](Knowledge* k, const CommandResult&) {
      k->inbound_refs.push_back(bank_ref);
    };
    return planned;
  }

  Planned Unidentified() {
    const std::string bank_ref = NewRef("UN-");
    Planned planned = Make("unidentified_receipt", Obj({{"amount", Str(Yuan(RandomFen()))},
                                                        {"bank_ref", Str(bank_ref)},
                                                        {"payer", Str("王五")}}));
    planned.expect = Code::kOk;
    planned.learn = [bank_ref](Knowledge* k, const CommandResult&) {
      k->unidentified.push_back(bank_ref);
      k->inbound_refs.push_back(bank_ref);
    };
    return planned;
  }

  Planned Claim(const Knowledge& known) {
    if (known.unidentified.empty()) return Unidentified();
    std::vector<std::pair<std::string, std::string>> body = {
        {"bank_ref", Str(Pick(known.unidentified))}, {"case_no", Str(SomeCase(known))}};
    if (Chance(50)) body.push_back({"amount", Str(Yuan(RandomFen()))});
    return Make("claim", Obj(body));
  }

  Planned Hold(const Knowledge& known, Ledger* ledger) {
    const std::string& case_no = SomeCase(known);
    const std::string hold_id = NewRef("H-");
    std::vector<std::pair<std::string, std::string>> body = {{"hold_id", Str(hold_id)},
                                                             {"case_no", Str(case_no)}};
    if (Chance(70)) body.push_back({"amount", Str(Yuan(AmountFor(ledger, case_no)))});
    body.push_back({"ground", Str(Chance(50) ? "frozen" : "distribution")});
    Planned planned = Make("hold", "");
    const bool self_approved = Chance(10);
    std::string approver = Operator();
    while (!self_approved && approver == planned.operator_name) approver = Operator();
    if (self_approved) approver = planned.operator_name;
    body.push_back({"approved_by", Str(approver)});
    planned.body = Obj(body);
    // Maker and checker must differ; checked after the case is found open.
    if (self_approved && !known.closed.contains(case_no)) planned.expect = Code::kNotPermitted;
    planned.learn = [hold_id](Knowledge* k, const CommandResult&) { k->holds.push_back(hold_id); };
    return planned;
  }

  Planned ReleaseHold(const Knowledge& known) {
    const std::string hold_id = known.holds.empty() ? "H-none" : PickRecent(known.holds);
    Planned planned = Make("release_hold", Obj({{"hold_id", Str(hold_id)}}));
    if (known.holds.empty()) planned.expect = Code::kUnknownReference;
    return planned;
  }

  Planned RequestDisbursement(const Knowledge& known, Ledger* ledger) {
    const std::string& case_no = SomeCase(known);
    const std::string id = NewRef("D-");
    Planned planned =
        Make("request_disbursement", Obj({{"disbursement_id", Str(id)},
                                          {"case_no", Str(case_no)},
                                          {"payee", Str(Chance(90) ? "cred-1" : "cred-2")},
                                          {"amount", Str(Yuan(AmountFor(ledger, case_no)))}}));
    const std::string requester = planned.operator_name;
    planned.learn = [id, requester](Knowledge* k, const CommandResult&) {
      k->disbursements.push_back(id);
      k->requester[id] = requester;
    };
    return planned;
  }

  Planned ApproveDisbursement(const Knowledge& known) {
    if (known.disbursements.empty()) return Receipt(known);
    const std::string& id = PickRecent(known.disbursements);
    Planned planned = Make("approve_disbursement", Obj({{"disbursement_id", Str(id)}}));
    const std::string& requester = known.requester.at(id);
    if (Chance(10)) {
      planned.operator_name = requester;
      // Maker and checker must differ, whatever the disbursement's state.
      planned.expect = Code::kNotPermitted;
    } else {
      while (planned.operator_name == requester) planned.operator_name = Operator();
    }
    return planned;
  }

  Planned ConfirmDisbursement(const Knowledge& known) {
    if (known.disbursements.empty()) return Receipt(known);
    return Make("confirm_disbursement",
                Obj({{"disbursement_id", Str(PickRecent(known.disbursements))},
                     {"bank_ref", Str(NewRef("OUT-"))}}));
  }

  Planned FailDisbursement(const Knowledge& known) {
    if (known.disbursements.empty()) return Receipt(known);
    return Make("fail_disbursement", Obj({{"disbursement_id", Str(PickRecent(known.disbursements))},
                                          {"reason", Str("账户错误")}}));
  }

  Planned ChargeFee(const Knowledge& known, Ledger* ledger) {
    const std::string& case_no = SomeCase(known);
    std::vector<std::pair<std::string, std::string>> body = {{"case_no", Str(case_no)}};
    if (Chance(50)) {
      body.push_back(
          {"amount", Str(Yuan(Chance(50) ? Uniform(5000, 50000) : AmountFor(ledger, case_no)))});
    }
    return Make("charge_fee", Obj(body));
  }

  // pay_costs, refund and remit_treasury.
  Planned CaseOutflow(const Knowledge& known, Ledger* ledger) {
    const std::string& case_no = SomeCase(known);
    const int kind = Uniform(0, 9);
    const std::string op = kind < 4 ? "pay_costs" : kind < 9 ? "refund" : "remit_treasury";
    std::vector<std::pair<std::string, std::string>> body = {{"case_no", Str(case_no)}};
    if (op != "remit_treasury") body.push_back({"payee", Str("评估公司")});
    body.push_back({"amount", Str(Yuan(AmountFor(ledger, case_no)))});
    body.push_back({"bank_ref", Str(NewRef("OUT-"))});
    body.push_back({"reason", Str("costs")});
    return Make(op, Obj(body));
  }

  Planned RemitFees(Ledger* ledger) {
    int64_t amount = RandomFen();
    Result<pb::GlobalRecord> global = ledger->GetGlobal({});
    if (global.ok() && global->fees_fen() > 0 && Chance(80)) {
      amount = std::uniform_int_distribution<int64_t>(1, global->fees_fen())(rng_);
    }
    return Make("remit_fees",
                Obj({{"amount", Str(Yuan(amount))}, {"bank_ref", Str(NewRef("OUT-"))}}));
  }

  // The bank's own money (issue 17): interest credited and charges debited, each usually
  // within what the accounts hold when remitted or reimbursed.
  Planned BankOwn(Ledger* ledger) {
    Result<pb::GlobalRecord> global = ledger->GetGlobal({});
    const int kind = Uniform(0, 3);
    int64_t amount = RandomFen() % 10000 + 1;
    const int64_t held = !global.ok() ? 0
                         : kind == 2  ? global->interest_fen()
                         : kind == 3  ? global->charges_fen()
                                      : 0;
    if (held > 0 && Chance(80)) amount = std::uniform_int_distribution<int64_t>(1, held)(rng_);
    static const char* const kOps[] = {"bank_interest", "bank_charge", "remit_interest",
                                       "reimburse_charges"};
    std::vector<std::pair<std::string, std::string>> body = {
        {"amount", Str(Yuan(amount))}, {"bank_ref", Str(NewRef(kind % 3 == 0 ? "IN-" : "OUT-"))}};
    if (kind < 2 && Chance(30)) {
      body.push_back({"value_date", Str(date_.AddDays(-Uniform(0, 3)).ToString())});
    }
    return Make(kOps[kind], Obj(body));
  }

  Planned Lodge(const Knowledge& known, Ledger* ledger) {
    const std::string& case_no = SomeCase(known);
    const std::string id = NewRef("L-");
    Planned planned = Make("lodge", Obj({{"lodgment_id", Str(id)},
                                         {"case_no", Str(case_no)},
                                         {"payee", Str("cred-1")},
                                         {"amount", Str(Yuan(AmountFor(ledger, case_no)))},
                                         {"ground", Str("refused")}}));
    planned.learn = [id](Knowledge* k, const CommandResult&) { k->lodgments.push_back(id); };
    return planned;
  }

  Planned PayLodgment(const Knowledge& known) {
    if (known.lodgments.empty()) return Receipt(known);
    const bool treasury = Chance(10);
    Planned planned = Make("pay_lodgment", Obj({{"lodgment_id", Str(Pick(known.lodgments))},
                                                {"amount", Str(Yuan(RandomFen()))},
                                                {"bank_ref", Str(NewRef("OUT-"))},
                                                {"to", Str(treasury ? "treasury" : "payee")}}));
    return planned;
  }

  Planned RefundUnidentified(const Knowledge& known) {
    if (known.unidentified.empty()) return Unidentified();
    return Make("refund_unidentified", Obj({{"bank_ref", Str(Pick(known.unidentified))},
                                            {"payee", Str("王五")},
                                            {"amount", Str(Yuan(RandomFen()))},
                                            {"refund_bank_ref", Str(NewRef("OUT-"))},
                                            {"reason", Str("no case")}}));
  }

  Planned Reverse(const Knowledge& known) {
    if (known.created.empty()) return Unidentified();
    // Mostly a recent entry, whose money is more likely still there, or one of the rarer
    // reversible outflows (a bank return of a payment from a closed case goes to suspense).
    static const std::set<std::string> kOutflows = {
        "confirm_disbursement", "charge_fee", "pay_costs", "refund", "lodge", "claim",
        "remit_treasury"};
    std::vector<const Sent*> outflows;
    for (const Sent& sent : known.created) {
      if (kOutflows.contains(sent.op)) outflows.push_back(&sent);
    }
    const int count = static_cast<int>(known.created.size());
    const Sent* target = &Pick(known.created);
    if (!outflows.empty() && Chance(35)) {
      target = Pick(outflows);
    } else if (Chance(50)) {
      target = &known.created[count - 1 - Uniform(0, std::min(9, count - 1))];
    }
    std::vector<std::pair<std::string, std::string>> body = {
        {"target_request_id", Str(target->request_id)}};
    if (Chance(70)) body.push_back({"bank_ref", Str(NewRef("RET-"))});
    body.push_back({"reason", Str("correction")});
    return Stat(Make("reverse", Obj(body)), "reverse:" + target->op);
  }

  // A case whose committed balance is zero, if there is one: closing it can succeed.
  const std::string& EmptyCase(const Knowledge& known, Ledger* ledger) {
    const int count = static_cast<int>(known.cases.size());
    const int start = Uniform(0, count - 1);
    for (int i = 0; i < count; ++i) {
      const std::string& case_no = known.cases[(start + i) % count];
      Result<pb::CaseRecord> record = ledger->GetCase(case_no, {});
      if (record.ok() && record->status() != pb::CASE_STATUS_CLOSED &&
          EvaluateCase(*record, today_).balance_fen == 0) {
        return case_no;
      }
    }
    return known.cases[start];
  }

  Planned CloseCase(const Knowledge& known, Ledger* ledger) {
    static const std::vector<std::string> kModes = {"fully_performed", "terminated",
                                                    "withdrawn",       "refused",
                                                    "rejected",        "terminated_this_round"};
    const std::string& case_no = Chance(50) ? EmptyCase(known, ledger) : Pick(known.cases);
    Planned planned =
        Make("close_case", Obj({{"case_no", Str(case_no)}, {"mode", Str(Pick(kModes))}}));
    if (known.closed.contains(case_no)) planned.expect = Code::kCaseClosed;
    planned.learn = [case_no](Knowledge* k, const CommandResult&) { k->closed.insert(case_no); };
    return planned;
  }

  // Pays a case's whole balance to its creditor and closes it; sometimes the bank then returns
  // the payment, which goes to suspense because the case is closed. Queued as several commands.
  Planned PayOutAndClose(const Knowledge& known, Ledger* ledger) {
    const int count = static_cast<int>(known.cases.size());
    const int start = Uniform(0, count - 1);
    for (int i = 0; i < count; ++i) {
      const std::string& case_no = known.cases[(start + i) % count];
      Result<pb::CaseRecord> record = ledger->GetCase(case_no, {});
      if (!record.ok() || record->status() == pb::CASE_STATUS_CLOSED) continue;
      const CaseFigures figures = EvaluateCase(*record, today_);
      if (figures.balance_fen == 0 || figures.available_fen != figures.balance_fen) continue;
      const std::string id = NewRef("D-");
      Planned request =
          Make("request_disbursement",
               Obj({{"disbursement_id", Str(id)},
                    {"case_no", Str(case_no)},
                    {"payee", Str("cred-1")},
                    {"amount", Str(Yuan(figures.balance_fen.convert_to<int64_t>()))}}));
      const std::string requester = request.operator_name;
      request.learn = [id, requester](Knowledge* k, const CommandResult&) {
        k->disbursements.push_back(id);
        k->requester[id] = requester;
      };
      Planned approve = Make("approve_disbursement", Obj({{"disbursement_id", Str(id)}}));
      while (approve.operator_name == requester) approve.operator_name = Operator();
      Planned confirm =
          Make("confirm_disbursement",
               Obj({{"disbursement_id", Str(id)}, {"bank_ref", Str(NewRef("OUT-"))}}));
      const std::string confirm_id = confirm.request_id;
      queued_.push_back(std::move(approve));
      queued_.push_back(std::move(confirm));
      queued_.push_back(CloseWith(case_no, "fully_performed"));
      if (Chance(60)) {
        const std::string return_ref = NewRef("RET-");
        Planned reverse = Make("reverse", Obj({{"target_request_id", Str(confirm_id)},
                                               {"bank_ref", Str(return_ref)},
                                               {"reason", Str("account closed")}}));
        // The returned money waits in suspense under the return's reference.
        reverse.learn = [return_ref](Knowledge* k, const CommandResult&) {
          k->unidentified.push_back(return_ref);
        };
        queued_.push_back(Stat(std::move(reverse), "reverse:confirm_disbursement"));
      }
      return request;
    }
    return Receipt(known);
  }

  Planned CloseWith(const std::string& case_no, const std::string& mode) {
    Planned planned = Make("close_case", Obj({{"case_no", Str(case_no)}, {"mode", Str(mode)}}));
    planned.learn = [case_no](Knowledge* k, const CommandResult&) { k->closed.insert(case_no); };
    return planned;
  }

  // ---- Garbage.

  Planned BadAmount(const Knowledge& known) {
    static const std::vector<std::string> kBad = {
        "1e3", "-5.00", "1.234", "01.00", "",   "１００", "1,000.00",         " 5",   "5 ",
        "0",   "0.00",  "+5",    ".5",    "5.", "NaN",    "1000000000000000", "0x10", "1.2.3"};
    Planned planned = Make("receipt", Obj({{"case_no", Str(Pick(known.cases))},
                                           {"amount", Str(Pick(kBad))},
                                           {"bank_ref", Str(NewRef("IN-"))},
                                           {"source", Str("other")}}));
    planned.expect = Code::kInvalidArgument;
    return Stat(std::move(planned), "garbage:bad_amount");
  }

  Planned BadAccountNumber(const Knowledge& known) {
    std::string account = known.account_of.at(Pick(known.cases));
    account.back() = account.back() == '9' ? '0' : static_cast<char>(account.back() + 1);
    Planned planned = Make("receipt", Obj({{"account_no", Str(account)},
                                           {"amount", Str("10.00")},
                                           {"bank_ref", Str(NewRef("IN-"))},
                                           {"source", Str("other")}}));
    planned.expect = Code::kInvalidArgument;
    return Stat(std::move(planned), "garbage:account_no");
  }

  Planned UnknownCase() {
    // Well-formed numbers of a year the generator never opens.
    Planned planned = Make(
        "receipt", Obj({{"case_no", Str("(2020)京执" + std::to_string(Uniform(1, 999)) + "号")},
                        {"amount", Str("10.00")},
                        {"bank_ref", Str(NewRef("IN-"))},
                        {"source", Str("other")}}));
    planned.expect = Code::kUnknownCase;
    return Stat(std::move(planned), "garbage:unknown_case");
  }

  Planned Malformed() {
    const std::string id = NewRequestId();
    const std::string on = date_.ToString();
    const std::string receipt = R"({"case_no":"(2021)甘0102执1号","amount":"1.00",)"
                                R"("bank_ref":"X","source":"other"})";
    const std::vector<std::string> lines = {
        "{",
        "not json",
        "",
        "[]",
        R"({"request_id":")" + id + R"(","request_id":"again","operator":"a","on":")" + on +
            R"(","receipt":)" + receipt + "}",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on + R"(","colour":"red",)" +
            R"("receipt":)" + receipt + "}",
        R"({"request_id":")" + id + R"(","on":")" + on + R"(","receipt":)" + receipt + "}",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on +
            R"(","receipt":{"case_no":"(2021)甘0102执1号","amount":100,"bank_ref":"X",)" +
            R"("source":"other"})",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on +
            R"(","receipt":{"case_no":"(2021)甘0102执1号","amount":NaN,"bank_ref":"X",)" +
            R"("source":"other"})",
        R"({"request_id":")" + id + "\",\"operator\":\"a\xff\",\"on\":\"" + on + R"(","receipt":)" +
            receipt + "}",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on + R"(","receipt":)" +
            receipt + R"(,"close_case":{"case_no":"(2021)甘0102执1号","mode":"withdrawn"}})",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on + R"("})",
        R"({"request_id":")" + id + R"(","operator":"a","on":")" + on +
            R"(","receipt":{"case_no":"(2021)甘0102执1号","bank_ref":"X","source":"other"}})",
        R"({"request_id":"has space","operator":"a","on":")" + on + R"(","receipt":)" + receipt +
            "}",
    };
    Planned planned;
    planned.raw = Pick(lines);
    planned.expect = Code::kInvalidArgument;
    return Stat(std::move(planned), "garbage:malformed");
  }

  Planned FutureOrInvalidDate(const Knowledge& known) {
    Planned planned = Make("receipt", Obj({{"case_no", Str(Pick(known.cases))},
                                           {"amount", Str("10.00")},
                                           {"bank_ref", Str(NewRef("IN-"))},
                                           {"source", Str("other")}}));
    static const std::vector<std::string> kDates = {"2025-01-01", "2024-02-30", "2024-1-05",
                                                    "20240105",   "2024-13-01", "2099-12-31"};
    planned.on = Pick(kDates);
    planned.expect = Code::kInvalidArgument;
    return Stat(std::move(planned), "garbage:date");
  }

  Planned Backdated(const Knowledge& known) {
    // Entries that touch no case are checked against the latest `on` in the whole ledger.
    Planned planned = Unidentified();
    const Date back = known.latest_on.AddDays(-Uniform(1, 30));
    planned.on = back.ToString();
    planned.expect = known.created.empty() ? Code::kOk : Code::kInvalidArgument;
    return Stat(std::move(planned), "garbage:backdated");
  }

  Planned Retry(const Knowledge& known) {
    if (known.created.empty()) return Unidentified();
    const Sent& sent = Pick(known.created);
    Planned planned;
    planned.raw = sent.LineWith(sent.operator_name);
    planned.expect = Code::kOk;
    planned.replay_seq = sent.seq;
    return Stat(std::move(planned), "retry");
  }

  Planned Conflict(const Knowledge& known) {
    if (known.created.empty()) return Unidentified();
    const Sent& sent = Pick(known.created);
    std::string other = Operator();
    while (other == sent.operator_name) other = Operator();
    Planned planned;
    planned.raw = sent.LineWith(other);
    planned.expect = Code::kIdempotencyConflict;
    return Stat(std::move(planned), "conflict");
  }

  Planned Stat(Planned planned, const std::string& kind) {
    planned.kind = kind;
    return planned;
  }

  std::mt19937_64 rng_;
  uint64_t seed_;
  Date date_;
  Date today_;
  int ids_ = 0;
  int cases_ = 0;
  std::deque<Planned> queued_;  // the rest of a multi-command step
  bool outside_ = false;

  // direct_performance, settle_in_kind, reassign_receipt, relief_payment, or the reversal of
  // one of them.
  Planned Outside(const Knowledge& known) {
    static const std::set<std::string> kOutside = {"direct_performance", "settle_in_kind",
                                                   "reassign_receipt", "relief_payment"};
    const int kind = Uniform(0, 9);
    const std::string& case_no = SomeCase(known);
    if (kind < 2) {
      return Make("direct_performance", Obj({{"case_no", Str(case_no)},
                                             {"amount", Str(Yuan(RandomFen()))},
                                             {"reason", Str("直接履行")}}));
    }
    if (kind < 4) {
      std::vector<std::pair<std::string, std::string>> body = {
          {"case_no", Str(case_no)}, {"amount", Str(Yuan(RandomFen()))}, {"property", Str("房产")}};
      if (Chance(60)) body.push_back({"ruling_on", Str(date_.AddDays(-Uniform(0, 5)).ToString())});
      return Make("settle_in_kind", Obj(body));
    }
    if (kind < 6 && !known.inbound_refs.empty()) {
      return Make("reassign_receipt", Obj({{"bank_ref", Str(PickRecent(known.inbound_refs))},
                                           {"to_case_no", Str(case_no)},
                                           {"reason", Str("案号录错")}}));
    }
    if (kind < 8) {
      return Make("relief_payment", Obj({{"case_no", Str(case_no)},
                                         {"payee", Str(Chance(90) ? "cred-1" : "debt-1")},
                                         {"amount", Str(Yuan(RandomFen()))},
                                         {"bank_ref", Str(NewRef("JZ-"))},
                                         {"reason", Str("生活困难")}}));
    }
    std::vector<const Sent*> targets;
    for (const Sent& sent : known.created) {
      if (kOutside.contains(sent.op)) targets.push_back(&sent);
    }
    if (targets.empty()) return Receipt(known);
    const Sent* target = Chance(50) ? targets.back() : Pick(targets);
    return Stat(Make("reverse", Obj({{"target_request_id", Str(target->request_id)},
                                     {"reason", Str("correction")}})),
                "reverse:" + target->op);
  }
};

// Tallies of every account from the postings of every entry read so far.
struct Tallies {
  std::map<std::string, Fen> accounts;  // a debit is positive
  uint64_t checked_seq = 0;
  std::map<std::string, std::string> case_last_on;  // per case account: the latest `on` seen
  // Reversals that brought a payment back to suspense (its case had closed).
  int returns_to_suspense = 0;
  // Per request_id: its operation and the bank references it took (direction 'i' or 'o').
  std::map<std::string, std::string> op_of;
  std::map<std::string, std::vector<std::pair<char, std::string>>> refs_of;
  std::set<std::string> reversed;  // request ids reversed by a later entry
  // Versions seen after a commit, to be read again later at the same seq.
  std::vector<std::pair<uint64_t, std::string>> global_versions;
  std::vector<std::pair<uint64_t, pb::CaseRecord>> case_versions;
};

// The bank references an entry takes, by direction, as SPEC §2 describes each operation.
std::vector<std::pair<char, std::string>> BankRefsOf(const pb::Command& command,
                                                     const Tallies& tallies) {
  if (command.has_receipt()) return {{'i', command.receipt().bank_ref()}};
  if (command.has_unidentified_receipt()) return {{'i', command.unidentified_receipt().bank_ref()}};
  if (command.has_confirm_disbursement()) return {{'o', command.confirm_disbursement().bank_ref()}};
  if (command.has_pay_costs()) return {{'o', command.pay_costs().bank_ref()}};
  if (command.has_refund()) return {{'o', command.refund().bank_ref()}};
  if (command.has_remit_treasury()) return {{'o', command.remit_treasury().bank_ref()}};
  if (command.has_remit_fees()) return {{'o', command.remit_fees().bank_ref()}};
  if (command.has_pay_lodgment()) return {{'o', command.pay_lodgment().bank_ref()}};
  if (command.has_relief_payment()) return {{'o', command.relief_payment().bank_ref()}};
  if (command.has_bank_interest()) return {{'i', command.bank_interest().bank_ref()}};
  if (command.has_bank_charge()) return {{'o', command.bank_charge().bank_ref()}};
  if (command.has_remit_interest()) return {{'o', command.remit_interest().bank_ref()}};
  if (command.has_reimburse_charges()) return {{'i', command.reimburse_charges().bank_ref()}};
  if (command.has_refund_unidentified()) {
    return {{'o', command.refund_unidentified().refund_bank_ref()}};
  }
  if (command.has_reverse() && command.reverse().has_bank_ref()) {
    // The bank's return of an outflow comes in under its own reference.
    static const std::set<std::string> kReturned = {"confirm_disbursement", "pay_costs", "refund",
                                                    "remit_treasury", "lodge"};
    auto target = tallies.op_of.find(command.reverse().target_request_id());
    if (target != tallies.op_of.end() && kReturned.contains(target->second)) {
      return {{'i', command.reverse().bank_ref()}};
    }
  }
  return {};
}

class PropertyTest : public testutil::LedgerDirTest {
 protected:
  // Reads the new entries: each one's postings balance, and dates never go back per case.
  void ReadNewEntries(Ledger* ledger, Tallies* tallies) {
    for (uint64_t seq = tallies->checked_seq + 1; seq <= ledger->head_seq(); ++seq) {
      Result<StoredEntry> stored = ledger->GetEntry(seq);
      ASSERT_TRUE(stored.ok()) << stored.status().ToString();
      Fen sum = 0;
      for (const pb::Posting& posting : stored->entry.postings()) {
        ASSERT_NE(posting.amount_fen(), 0) << "entry " << seq;
        sum += posting.amount_fen();
        tallies->accounts[posting.account()] += posting.amount_fen();
        if (posting.account().starts_with("case:")) {
          std::string& last = tallies->case_last_on[posting.account()];
          EXPECT_GE(stored->entry.command().on(), last) << "entry " << seq << " backdates";
          last = std::max(last, stored->entry.command().on());
        }
      }
      ASSERT_EQ(sum, 0) << "entry " << seq << ": postings do not balance";
      // Invariant 8: a request is recorded once; a reversal reverses exactly once.
      const pb::Command& command = stored->entry.command();
      ASSERT_FALSE(tallies->op_of.contains(command.request_id())) << "entry " << seq;
      tallies->op_of[command.request_id()] = OperationName(command);
      tallies->refs_of[command.request_id()] = BankRefsOf(command, *tallies);
      if (command.has_reverse()) {
        EXPECT_TRUE(tallies->reversed.insert(command.reverse().target_request_id()).second)
            << "entry " << seq << " reverses an entry twice";
      }
      if (stored->entry.command().has_reverse() && stored->entry.postings_size() == 2 &&
          stored->entry.postings(0).account() == "bank" &&
          stored->entry.postings(1).account() == "suspense") {
        ++tallies->returns_to_suspense;
      }
      tallies->checked_seq = seq;
    }
  }

  // SPEC §6 invariants 2, 3 and 4 on the committed state, against the postings' tallies.
  void CheckInvariants(Ledger* ledger, Tallies* tallies, size_t cases_known) {
    ASSERT_NO_FATAL_FAILURE(ReadNewEntries(ledger, tallies));
    Result<pb::GlobalRecord> global = ledger->GetGlobal({});
    ASSERT_TRUE(global.ok()) << global.status().ToString();
    EXPECT_GE(global->bank_fen(), 0);
    EXPECT_GE(global->cases_fen(), 0);
    EXPECT_GE(global->suspense_fen(), 0);
    EXPECT_GE(global->fees_fen(), 0);
    EXPECT_GE(global->lodgment_fen(), 0);
    EXPECT_GE(global->interest_fen(), 0);
    EXPECT_GE(global->charges_fen(), 0);
    EXPECT_EQ(Fen(global->bank_fen()), Fen(global->cases_fen()) + global->suspense_fen() +
                                           global->fees_fen() + global->lodgment_fen() +
                                           global->interest_fen() - global->charges_fen());
    // The bank is an asset (debit balance); the others are liabilities (credit balances).
    EXPECT_EQ(Fen(global->bank_fen()), tallies->accounts["bank"]);
    EXPECT_EQ(Fen(global->suspense_fen()), -tallies->accounts["suspense"]);
    EXPECT_EQ(Fen(global->fees_fen()), -tallies->accounts["fees"]);
    EXPECT_EQ(Fen(global->lodgment_fen()), -tallies->accounts["lodgment"]);
    EXPECT_EQ(Fen(global->interest_fen()), -tallies->accounts["interest"]);
    EXPECT_EQ(Fen(global->charges_fen()), tallies->accounts["charges"]);  // an asset
    EXPECT_EQ(global->cases_opened(), cases_known);

    const Date today = *Date::Parse(testutil::kToday, "today");
    Fen case_total = 0;
    Fen relief_total = 0;  // relief is kept apart from the bank, by case and in the total
    size_t cases = 0;
    Status listed = ledger->ForEachCase([&](const pb::CaseRecord& record) {
      ++cases;
      const CaseFigures figures = EvaluateCase(record, today);
      EXPECT_GE(figures.balance_fen, 0) << record.case_no();
      EXPECT_GE(figures.held_fen, 0) << record.case_no();
      EXPECT_GE(figures.pending_fen, 0) << record.case_no();
      EXPECT_GE(figures.available_fen, 0) << record.case_no();
      EXPECT_EQ(figures.available_fen, figures.balance_fen - figures.held_fen - figures.pending_fen)
          << record.case_no();
      EXPECT_EQ(figures.balance_fen, BalanceByFigures(record)) << record.case_no();
      EXPECT_EQ(figures.balance_fen, -tallies->accounts["case:" + record.case_no()])
          << record.case_no();
      if (record.status() == pb::CASE_STATUS_CLOSED) {
        EXPECT_EQ(figures.balance_fen, 0) << record.case_no();
      }
      EXPECT_LE(record.last_on(), testutil::kToday);
      EXPECT_LE(record.last_seq(), ledger->head_seq());
      case_total += figures.balance_fen;
      relief_total += ReliefPaidOf(record);
    });
    ASSERT_TRUE(listed.ok()) << listed.ToString();
    EXPECT_EQ(cases, cases_known);
    EXPECT_EQ(case_total, Fen(global->cases_fen()));
    EXPECT_EQ(relief_total, Fen(global->relief_paid_fen()));
    Fen tallied_cases = 0;
    for (const auto& [account, amount] : tallies->accounts) {
      if (account.starts_with("case:")) tallied_cases -= amount;
    }
    EXPECT_EQ(tallied_cases, case_total);

    // Invariant 5: among entries not reversed, a bank_ref is recorded once per direction.
    std::map<std::pair<char, std::string>, std::string> holders;
    for (const auto& [request_id, refs] : tallies->refs_of) {
      if (tallies->reversed.contains(request_id)) continue;
      for (const auto& ref : refs) {
        auto [it, fresh] = holders.emplace(ref, request_id);
        EXPECT_TRUE(fresh) << "bank_ref " << ref.second << " (" << ref.first << ") is held by "
                           << it->second << " and " << request_id;
      }
    }

    // Remember some versions, to read them again later at the same seq.
    if (++checks_ % 25 == 0) {
      tallies->global_versions.emplace_back(ledger->head_seq(), global->SerializeAsString());
      Status visited = ledger->ForEachCase([&](const pb::CaseRecord& record) {
        if (tallies->case_versions.size() < checks_ / 5) {
          tallies->case_versions.emplace_back(ledger->head_seq(), record);
        }
      });
      ASSERT_TRUE(visited.ok());
    }
  }

  // Point-in-time reads return exactly the versions seen when those seqs were the head.
  void CheckEarlierVersions(Ledger* ledger, const Tallies& tallies) {
    for (const auto& [seq, bytes] : tallies.global_versions) {
      PointInTime point;
      point.at_seq = seq;
      Result<pb::GlobalRecord> global = ledger->GetGlobal(point);
      ASSERT_TRUE(global.ok());
      EXPECT_EQ(global->SerializeAsString(), bytes) << "global at seq " << seq;
    }
    for (const auto& [seq, record] : tallies.case_versions) {
      PointInTime point;
      point.at_seq = seq;
      Result<pb::CaseRecord> version = ledger->GetCase(record.case_no(), point);
      ASSERT_TRUE(version.ok()) << version.status().ToString();
      EXPECT_EQ(version->SerializeAsString(), record.SerializeAsString())
          << record.case_no() << " at seq " << seq;
      Result<std::vector<uint64_t>> history = ledger->CaseHistory(record.case_no());
      ASSERT_TRUE(history.ok());
      EXPECT_TRUE(std::find(history->begin(), history->end(), record.last_seq()) != history->end());
      EXPECT_TRUE(std::is_sorted(history->begin(), history->end()));
    }
  }

  // "As of D" of the special account is the newest version whose last_on (a running maximum)
  // is on or before D: the ledger finds it by binary search; here, by reading every version.
  void CheckGlobalAsOf(Ledger* ledger) {
    std::vector<std::pair<std::string, std::string>> versions;  // (last_on, bytes) by seq
    for (uint64_t seq = 1; seq <= ledger->head_seq(); ++seq) {
      PointInTime point;
      point.at_seq = seq;
      Result<pb::GlobalRecord> global = ledger->GetGlobal(point);
      ASSERT_TRUE(global.ok());
      versions.emplace_back(global->last_on(), global->SerializeAsString());
    }
    ASSERT_FALSE(versions.empty());
    Date day = *Date::Parse(versions.front().first, "test");
    const Date last = *Date::Parse(versions.back().first, "test");
    for (day = day.AddDays(-1); day <= last.AddDays(1); day = day.AddDays(1)) {
      std::string expected;  // empty: no version dated by then
      for (const auto& [last_on, bytes] : versions) {
        if (last_on <= day.ToString()) expected = bytes;
      }
      PointInTime point;
      point.as_of = day;
      Result<pb::GlobalRecord> global = ledger->GetGlobal(point);
      ASSERT_TRUE(global.ok());
      EXPECT_EQ(global->SerializeAsString(), expected) << "global as of " << day.ToString();
    }
  }

  size_t checks_ = 0;

  // 收支月报 (report cashbook), month by month over the whole history: each row's opening +
  // in − out = closing, each closing the next month's opening, the total's opening and closing
  // the bank balance `balance --as-of` the month's ends, and the rows add up to the total at
  // both ends (bank = cases + suspense + fees + lodged).
  void CheckCashbook(Ledger* ledger) {
    Result<pb::GlobalRecord> head = ledger->GetGlobal({});
    ASSERT_TRUE(head.ok());
    const Date start = *Date::FromYmd(2020, 12, 1);
    const Date end = *Date::Parse(head->last_on(), "test");
    std::map<std::string, Fen> previous_closing;
    for (Date first = start; first <= end; first = first.AddMonths(1)) {
      Result<CashbookReading> reading = GatherCashbook(ledger, "", first);
      ASSERT_TRUE(reading.ok()) << reading.status().ToString();
      const std::optional<CashbookRow> total = reading->book.total();
      ASSERT_TRUE(total.has_value());
      Result<pb::GlobalRecord> opening = ledger->GetGlobal({std::nullopt, first.AddDays(-1)});
      Result<pb::GlobalRecord> closing = ledger->GetGlobal({std::nullopt, reading->last});
      ASSERT_TRUE(opening.ok() && closing.ok());
      const std::string month = first.ToString().substr(0, 7);
      EXPECT_EQ(total->opening_fen, Fen(opening->bank_fen())) << month;
      EXPECT_EQ(total->closing(), Fen(closing->bank_fen())) << month;
      EXPECT_EQ(total->opening_fen + total->in_fen - total->out_fen, total->closing()) << month;
      Fen rows_opening = 0, rows_closing = 0;
      std::map<std::string, Fen> closing_of;
      for (const CashbookRow& row : reading->book.rows()) {
        EXPECT_GE(row.in_fen, 0) << month << " " << row.account;
        EXPECT_GE(row.out_fen, 0) << month << " " << row.account;
        EXPECT_EQ(row.opening_fen, previous_closing[row.account]) << month << " " << row.account;
        rows_opening += row.opening_fen;
        rows_closing += row.closing();
        closing_of[row.account] = row.closing();
      }
      EXPECT_EQ(rows_opening, total->opening_fen) << month;
      EXPECT_EQ(rows_closing, total->closing()) << month;
      EXPECT_EQ(closing_of["cases"], Fen(closing->cases_fen())) << month;
      EXPECT_EQ(closing_of["suspense"], Fen(closing->suspense_fen())) << month;
      EXPECT_EQ(closing_of["fees"], Fen(closing->fees_fen())) << month;
      EXPECT_EQ(closing_of["lodged"], Fen(closing->lodgment_fen())) << month;
      previous_closing = closing_of;
    }
  }

  // Invariants 6 and 7: the chain holds and replaying the log reproduces the stored state.
  void CheckVerify(Ledger* ledger) {
    Result<VerifyReport> report = ledger->Verify(nullptr);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok) << "first bad " << report->first_bad_seq.value_or(0) << ": "
                            << report->problem;
    EXPECT_EQ(report->entries, ledger->head_seq());
    EXPECT_EQ(report->head_seq, ledger->head_seq());
    EXPECT_EQ(report->head_hash, ledger->head_hash());
  }

  // Runs one seed; adds to the statistics of accepted and rejected commands per kind.
  void RunSeed(uint64_t seed, std::map<std::string, int>* accepted,
               std::map<std::string, int>* rejected, int* returns_to_suspense,
               bool outside = false) {
    const std::string dir = Dir("seed-" + std::to_string(seed));
    std::unique_ptr<Ledger> ledger = MustOpen(dir);
    ASSERT_NE(ledger, nullptr);
    const Date today = *Date::Parse(testutil::kToday, "today");
    Generator generator(seed, *Date::FromYmd(2021, 1, 4), today);
    if (outside) generator.EnableOutside();
    Knowledge committed;
    Tallies tallies;
    int sent = 0;
    bool restarted = false;
    while (sent < kCommandsPerSeed) {
      Knowledge staged = committed;
      const int group = generator.Uniform(1, kGroupSizeMax);
      for (int i = 0; i < group && sent < kCommandsPerSeed; ++i, ++sent) {
        const Planned planned = generator.Next(staged, ledger.get());
        ASSERT_NO_FATAL_FAILURE(StageOne(ledger.get(), planned, &staged, accepted, rejected));
      }
      if (generator.Chance(5)) {
        ledger->Abandon();  // the group never happened
        EXPECT_EQ(ledger->staged_entries(), 0u);
      } else {
        const Status status = ledger->Commit();
        ASSERT_TRUE(status.ok()) << status.ToString();
        committed = std::move(staged);
      }
      ASSERT_NO_FATAL_FAILURE(CheckInvariants(ledger.get(), &tallies, committed.cases.size()));
      if (sent % kVerifyEvery < group) {
        ASSERT_NO_FATAL_FAILURE(CheckVerify(ledger.get()));
      }
      if (!restarted && sent >= kCommandsPerSeed / 2) {
        // A restart keeps the head, and idempotency holds across it.
        restarted = true;
        const uint64_t head = ledger->head_seq();
        const Hash head_hash = ledger->head_hash();
        ledger.reset();
        ledger = MustOpen(dir);
        ASSERT_NE(ledger, nullptr);
        EXPECT_EQ(ledger->head_seq(), head);
        EXPECT_EQ(ledger->head_hash(), head_hash);
      }
    }
    ASSERT_NO_FATAL_FAILURE(CheckInvariants(ledger.get(), &tallies, committed.cases.size()));
    ASSERT_NO_FATAL_FAILURE(CheckVerify(ledger.get()));
    ASSERT_NO_FATAL_FAILURE(CheckEarlierVersions(ledger.get(), tallies));
    ASSERT_NO_FATAL_FAILURE(CheckGlobalAsOf(ledger.get()));
    ASSERT_NO_FATAL_FAILURE(CheckCashbook(ledger.get()));
    EXPECT_GT(tallies.global_versions.size(), 0u);
    EXPECT_GT(tallies.case_versions.size(), 0u);
    // Every created command is still answered with its seq.
    for (const Sent& sent_command : committed.created) {
      const CommandResult again =
          ledger->Stage(ParseCommandLine(sent_command.LineWith(sent_command.operator_name)));
      ASSERT_TRUE(again.status.ok()) << again.status.ToString();
      EXPECT_FALSE(again.created);
      EXPECT_EQ(again.seq, sent_command.seq);
    }
    EXPECT_EQ(ledger->staged_entries(), 0u);
    EXPECT_EQ(ledger->head_seq(), committed.created.size());
    *returns_to_suspense += tallies.returns_to_suspense;
  }

  void StageOne(Ledger* ledger, const Planned& planned, Knowledge* staged,
                std::map<std::string, int>* accepted, std::map<std::string, int>* rejected) {
    const std::string line = planned.Text();
    const size_t staged_before = ledger->staged_entries();
    const uint64_t next_seq = ledger->head_seq() + staged_before + 1;
    const CommandResult result = ledger->Stage(ParseCommandLine(line));
    if (planned.expect) {
      ASSERT_EQ(result.status.code(), *planned.expect) << result.status.ToString() << "\n" << line;
    }
    if (planned.replay_seq) {
      ASSERT_FALSE(result.created) << line;
      ASSERT_EQ(result.seq, *planned.replay_seq) << line;
    }
    if (!result.status.ok()) {
      ++(*rejected)[planned.kind];
      ASSERT_FALSE(result.created);
      ASSERT_EQ(ledger->staged_entries(), staged_before) << "a rejected command staged an entry";
      return;
    }
    if (!result.created) {
      ASSERT_EQ(ledger->staged_entries(), staged_before) << "a retry staged an entry";
      ++(*accepted)[planned.kind];
      return;
    }
    ++(*accepted)[planned.kind];
    ASSERT_EQ(result.seq, next_seq) << line;
    ASSERT_EQ(ledger->staged_entries(), staged_before + 1);
    Sent sent{planned.request_id,    planned.on, planned.op, planned.body,
              planned.operator_name, result.seq};
    staged->created.push_back(sent);
    staged->latest_on = std::max(staged->latest_on, *Date::Parse(planned.on, "on"));
    if (planned.learn) planned.learn(staged, result);
  }
};

TEST_F(PropertyTest, RandomCommandsKeepEveryInvariantAndReplayEqualsState) {
  std::map<std::string, int> accepted;
  std::map<std::string, int> rejected;
  int returns_to_suspense = 0;
  for (uint64_t seed : kSeeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_NO_FATAL_FAILURE(RunSeed(seed, &accepted, &rejected, &returns_to_suspense));
  }
  // The generator reaches every operation, accepted and rejected.
  for (const char* op : {"open_case",
                         "receipt",
                         "unidentified_receipt",
                         "claim",
                         "hold",
                         "release_hold",
                         "request_disbursement",
                         "approve_disbursement",
                         "confirm_disbursement",
                         "fail_disbursement",
                         "charge_fee",
                         "pay_costs",
                         "refund",
                         "lodge",
                         "close_case",
                         "remit_fees",
                         "pay_lodgment",
                         "refund_unidentified",
                         "retry",
                         "reverse:receipt",
                         "reverse:claim",
                         "reverse:unidentified_receipt",
                         "reverse:confirm_disbursement",
                         "reverse:charge_fee",
                         "reverse:pay_costs",
                         "reverse:refund",
                         "reverse:lodge"}) {
    EXPECT_GT(accepted[op], 0) << op << " was never accepted";
  }
  for (const char* kind :
       {"garbage:bad_amount", "garbage:unknown_case", "garbage:malformed", "garbage:date",
        "garbage:backdated", "conflict", "hold", "claim", "reverse:open_case", "reverse:reverse"}) {
    EXPECT_GT(rejected[kind], 0) << kind << " was never rejected";
  }
  std::set<std::string> kinds;
  for (const auto& [kind, count] : accepted) kinds.insert(kind);
  for (const auto& [kind, count] : rejected) kinds.insert(kind);
  std::string summary;
  for (const std::string& kind : kinds) {
    summary +=
        kind + " " + std::to_string(accepted[kind]) + "/" + std::to_string(rejected[kind]) + "  ";
  }
  RecordProperty("accepted_rejected", summary);
  RecordProperty("returns_to_suspense", returns_to_suspense);
  EXPECT_GT(returns_to_suspense, 0) << "no bank return of a closed case's payment was reached";
}

}  // namespace
}  // namespace caseledger

namespace caseledger {
namespace {

// The same, with the operations outside the special account among the commands: money moved
// between cases, recovered without moving, relief beside the bank, the bank's own interest and
// charges, their remittance and reimbursement (issue 17), and their reversals keep every
// invariant (bank = cases + suspense + fees + lodged + interest − charges), and replay equals
// the state.
TEST_F(PropertyTest, OperationsOutsideTheAccountKeepEveryInvariant) {
  std::map<std::string, int> accepted;
  std::map<std::string, int> rejected;
  int returns_to_suspense = 0;
  for (uint64_t seed : {uint64_t{20240101}, uint64_t{982451653}}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_NO_FATAL_FAILURE(RunSeed(seed, &accepted, &rejected, &returns_to_suspense, true));
  }
  for (const char* op : {"direct_performance", "settle_in_kind", "reassign_receipt",
                         "relief_payment", "reverse:direct_performance", "reverse:settle_in_kind",
                         "reverse:reassign_receipt", "reverse:relief_payment", "bank_interest",
                         "bank_charge", "remit_interest", "reimburse_charges"}) {
    EXPECT_GT(accepted[op], 0) << op << " was never accepted";
  }
  for (const char* kind : {"reassign_receipt", "relief_payment", "direct_performance",
                           "remit_interest", "reimburse_charges"}) {
    EXPECT_GT(rejected[kind], 0) << kind << " was never rejected";
  }
}

}  // namespace
}  // namespace caseledger
