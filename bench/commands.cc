#include "bench/commands.h"

#include <fmt/core.h>

#include "bench/parties.h"
#include "bench/year.h"
#include "core/identifiers.h"
#include "core/json.h"

namespace caseledger::bench {
namespace {

// The envelope and the operation's object opened; Close() ends both.
json::Writer& Open(json::Writer& w, const std::string& request_id, const std::string& operator_name,
                   const std::string& on, const char* op) {
  w.BeginObject().Key("request_id").String(request_id).Key("operator").String(operator_name);
  return w.Key("on").String(on).Key(op).BeginObject();
}
std::string Close(json::Writer& w) { return w.EndObject().EndObject().str(); }

void WriteParty(json::Writer& w, const Party& party, bool creditor) {
  w.BeginObject().Key("party_id").String(party.party_id).Key("name").String(party.name);
  if (!party.kind.empty()) w.Key("kind").String(party.kind);
  if (!party.id_type.empty()) {
    w.Key("id_type").String(party.id_type).Key("id_number").String(party.id_number);
  }
  if (creditor && !party.account.empty()) w.Key("account").String(party.account);
  w.EndObject();
}

std::string Operator(const char* role, const CasePlan& p) {
  return std::string(role) + "." + kCourts[p.court].digits;
}
std::string Judge(const CasePlan& p) {
  return fmt::format("judge.{}.{}", kCourts[p.court].digits, p.judge + 1);
}
std::string DisbursementTag(const Step& s) {
  return fmt::format("{}{}{}", s.a + 1, static_cast<char>('a' + s.b), static_cast<int>(s.c));
}

}  // namespace

bool CommandWriter::TakeLine(std::string* line) {
  if (lines_.empty()) return false;
  *line = std::move(lines_.front());
  lines_.pop_front();
  return true;
}

void CommandWriter::FlushRows(int through_day) {
  tally_.bank_lines += statement_.Flush(DateOf(through_day));
}

// A bank reference: the kind of movement, the date, the case and what it is for.
std::string CommandWriter::Ref(char kind, int day, const CasePlan& p,
                               const std::string& tag) const {
  const Date date = DateOf(day);
  return fmt::format("{}{:02d}{:02d}{:02d}-{}-{:06d}-{}", kind, date.year() % 100, date.month(),
                     date.day(), kCourts[p.court].digits, p.serial, tag);
}

void CommandWriter::Row(int day, Direction direction, const Fen& amount,
                        const std::string& bank_ref, const std::string& counterparty,
                        const std::string& counterparty_account, const std::string& virtual_account,
                        const std::string& memo) {
  statement_.Add(StatementRow{DateOf(day), direction, amount, bank_ref, counterparty,
                              counterparty_account, virtual_account, memo, Fen(0)});
}

void CommandWriter::Line(const std::string& op, std::string line) {
  ++tally_.lines;
  ++tally_.operations[op];
  lines_.push_back(std::move(line));
}

void CommandWriter::Emit(const CasePlan& p, const Step& s) {
  switch (s.kind) {
    case Kind::kOpen:
      return EmitOpen(p, s);
    case Kind::kReceipt:
    case Kind::kWrongReceipt:
    case Kind::kReverseReceipt:
    case Kind::kUnidentified:
    case Kind::kClaim:
      return EmitMoneyIn(p, s);
    case Kind::kList:
    case Kind::kRestrict:
    case Kind::kDelist:
    case Kind::kLift:
      return EmitDefaulter(p, s);
    case Kind::kRequest:
    case Kind::kApprove:
    case Kind::kConfirm:
    case Kind::kFail:
    case Kind::kReturn:
      return EmitDisbursement(p, s);
    case Kind::kChargeFee:
    case Kind::kPayCosts:
    case Kind::kRefund:
      return EmitMoneyOut(p, s);
    case Kind::kHold:
    case Kind::kRelease:
    case Kind::kSuspend:
    case Kind::kResume:
    case Kind::kClose:
      return EmitCaseState(p, s);
    case Kind::kStrayReceipt:
    case Kind::kStrayRefund:
      return EmitStray(p, s);
    case Kind::kEventItem:
      return;  // paid by the event's line
  }
}

void CommandWriter::EmitOpen(const CasePlan& p, const Step& s) {
  json::Writer w;
  Open(w, CasePrefix(p) + "-open", Operator("filing", p), DayText(s.day), "open_case");
  w.Key("case_no").String(CaseNo(p)).Key("claim").String(FormatAmount(p.claim));
  if (p.performance_due) {
    w.Key("performance_due").String(DateOf(p.filed + *p.performance_due).ToString());
  }
  w.Key("creditors").BeginArray();
  for (int c = 0; c < p.creditors; ++c) WriteParty(w, CreditorOf(seed_, p, c), true);
  w.EndArray().Key("debtors").BeginArray();
  for (int n = 0; n < p.debtors; ++n) WriteParty(w, DebtorOf(seed_, p, n), false);
  w.EndArray();
  if (p.livelihood || p.organized_crime) {
    w.Key("flags").BeginArray();
    if (p.livelihood) w.String("livelihood");
    if (p.organized_crime) w.String("organized_crime_property");
    w.EndArray();
  }
  w.Key("judge").String(JudgeName(seed_, p));
  if (p.closure_months != 6) w.Key("closure_months").Int(p.closure_months);
  Line("open_case", Close(w));
  ++tally_.cases_opened;
  if (p.claim < kSmallClaimFen) ++tally_.small_cases_opened;
}

void CommandWriter::EmitMoneyIn(const CasePlan& p, const Step& s) {
  const int value_day = s.value_day;
  const std::string number = std::to_string(s.a + 1);
  const std::string bank_ref = Ref('B', value_day, p, number);
  const std::string account_no = MakeAccountNumber(p.index + 1);  // cases open in index order
  const std::string finance = Operator("finance", p);
  json::Writer w;
  Fen recovered = 0;
  if (s.kind == Kind::kUnidentified) {
    Open(w, "unid-" + bank_ref, finance, DayText(s.day), "unidentified_receipt");
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("payer").String(Payer(seed_, p, s)).Key("memo").String("汇款未注明案号");
    if (value_day != s.day) w.Key("value_date").String(DayText(value_day));
    Line("unidentified_receipt", Close(w));
    Row(value_day, Direction::kIn, s.amount, bank_ref, Payer(seed_, p, s), "", "",
        "汇款未注明案号");
    return;
  }
  if (s.kind == Kind::kClaim) {
    Open(w, CasePrefix(p) + "-claim" + number, finance, DayText(s.day), "claim");
    w.Key("bank_ref").String(bank_ref).Key("case_no").String(CaseNo(p));
    Line("claim", Close(w));
    recovered = s.amount;
  } else if (s.kind == Kind::kReverseReceipt) {
    Open(w, CasePrefix(p) + "-rev" + number, finance, DayText(s.day), "reverse");
    w.Key("target_request_id").String(CasePrefix(p) + "-rcpt" + number + "w");
    w.Key("reason").String("金额录入错误，冲正后按银行回单重新入账");
    Line("reverse", Close(w));
    recovered = -s.amount;
  } else {
    const bool wrong = s.kind == Kind::kWrongReceipt;
    Open(w, CasePrefix(p) + "-rcpt" + number + (wrong ? "w" : ""), finance, DayText(s.day),
         "receipt");
    if (s.d & kByAccountNumber) {
      w.Key("account_no").String(account_no);
    } else {
      w.Key("case_no").String(CaseNo(p));
    }
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("source").String(kSources[s.b]).Key("payer").String(Payer(seed_, p, s));
    if (value_day != s.day) w.Key("value_date").String(DayText(value_day));
    Line("receipt", Close(w));
    recovered = s.amount;
    if (!wrong) {
      const std::string statement_ref = s.d & kBankRefDiffers ? "C" + bank_ref : bank_ref;
      Row(value_day, Direction::kIn, s.amount, statement_ref, Payer(seed_, p, s), "", account_no,
          CaseNo(p) + " 执行款");
    }
  }
  tally_.recovered_fen += recovered;
  if (p.claim < kSmallClaimFen) tally_.small_recovered_fen += recovered;
}

void CommandWriter::EmitDefaulter(const CasePlan& p, const Step& s) {
  const std::string debtor = DebtorOf(seed_, p, s.a).party_id;
  const std::string n = std::to_string(s.a + 1);
  json::Writer w;
  switch (s.kind) {
    case Kind::kList:
      Open(w, CasePrefix(p) + "-list" + n, Judge(p), DayText(s.day), "list_defaulter");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p)).Key("ground").Int(s.b);
      if (s.c > 0) w.Key("extra_years").Int(s.c);
      return Line("list_defaulter", Close(w));
    case Kind::kRestrict:
      Open(w, CasePrefix(p) + "-restrict" + n, Judge(p), DayText(s.day), "restrict_consumption");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      return Line("restrict_consumption", Close(w));
    case Kind::kDelist:
      Open(w, CasePrefix(p) + "-delist" + n, Judge(p), DayText(s.day), "delist_defaulter");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      w.Key("reason").String(kDelistReasons[s.b]);
      return Line("delist_defaulter", Close(w));
    default:
      Open(w, CasePrefix(p) + "-lift" + n, Judge(p), DayText(s.day), "lift_restriction");
      w.Key("party_id").String(debtor).Key("case_no").String(CaseNo(p));
      w.Key("reason").String(p.role == Role::kWithdrawn ? "申请执行人撤回执行申请" : "已履行完毕");
      return Line("lift_restriction", Close(w));
  }
}

void CommandWriter::EmitDisbursement(const CasePlan& p, const Step& s) {
  const std::string tag = DisbursementTag(s);
  const std::string id = "D" + CasePrefix(p) + "-" + tag;
  const Party creditor = CreditorOf(seed_, p, s.b);
  // After a refused or returned payment the creditor gives another account.
  const std::string account = s.c == 0 ? creditor.account : "6217" + creditor.account.substr(4);
  json::Writer w;
  switch (s.kind) {
    case Kind::kRequest:
      Open(w, CasePrefix(p) + "-req-" + tag, Judge(p), DayText(s.day), "request_disbursement");
      w.Key("disbursement_id").String(id).Key("case_no").String(CaseNo(p));
      w.Key("payee").String(creditor.party_id).Key("amount").String(FormatAmount(s.amount));
      if (s.c > 0) w.Key("account").String(account);
      return Line("request_disbursement", Close(w));
    case Kind::kApprove:
      Open(w, CasePrefix(p) + "-apv-" + tag, Operator("chief", p), DayText(s.day),
           "approve_disbursement");
      w.Key("disbursement_id").String(id);
      return Line("approve_disbursement", Close(w));
    case Kind::kConfirm: {
      const std::string bank_ref = Ref('P', s.day, p, tag);
      Open(w, CasePrefix(p) + "-cfm-" + tag, Operator("finance", p), DayText(s.day),
           "confirm_disbursement");
      w.Key("disbursement_id").String(id).Key("bank_ref").String(bank_ref);
      Line("confirm_disbursement", Close(w));
      return Row(s.day, Direction::kOut, s.amount, bank_ref, creditor.name, account,
                 MakeAccountNumber(p.index + 1), CaseNo(p) + " 执行款发放");
    }
    case Kind::kFail:
      Open(w, CasePrefix(p) + "-fail-" + tag, Operator("finance", p), DayText(s.day),
           "fail_disbursement");
      w.Key("disbursement_id").String(id).Key("reason").String("收款账户已销户，银行退票");
      return Line("fail_disbursement", Close(w));
    default: {  // kReturn: the payee's bank sent the payment back
      const std::string bank_ref = Ref('R', s.day, p, tag);
      Open(w, CasePrefix(p) + "-ret-" + tag, Operator("finance", p), DayText(s.day), "reverse");
      w.Key("target_request_id").String(CasePrefix(p) + "-cfm-" + tag);
      w.Key("bank_ref").String(bank_ref).Key("reason").String("收款人户名与账号不符，银行退回");
      Line("reverse", Close(w));
      return Row(s.day, Direction::kIn, s.amount, bank_ref, creditor.name, account,
                 MakeAccountNumber(p.index + 1), CaseNo(p) + " 发放退回");
    }
  }
}

void CommandWriter::EmitMoneyOut(const CasePlan& p, const Step& s) {
  json::Writer w;
  const std::string finance = Operator("finance", p);
  if (s.kind == Kind::kChargeFee) {
    Open(w, CasePrefix(p) + "-fee", finance, DayText(s.day), "charge_fee");
    w.Key("case_no").String(CaseNo(p)).Key("amount").String(FormatAmount(s.amount));
    Line("charge_fee", Close(w));
    fee_account_ += s.amount;
    tally_.fees_charged_fen += s.amount;
    return;
  }
  const bool costs = s.kind == Kind::kPayCosts;
  const std::string bank_ref = Ref('P', s.day, p, costs ? "costs" : "refund");
  const std::string payee = costs ? AuctionHouse(seed_, p) : DebtorOf(seed_, p, 0).name;
  Open(w, CasePrefix(p) + (costs ? "-costs" : "-refund"), finance, DayText(s.day),
       costs ? "pay_costs" : "refund");
  w.Key("case_no").String(CaseNo(p)).Key("payee").String(payee);
  w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
  w.Key("reason").String(costs ? "评估拍卖费用" : "多缴执行款退回");
  Line(costs ? "pay_costs" : "refund", Close(w));
  Row(s.day, Direction::kOut, s.amount, bank_ref, payee, "", MakeAccountNumber(p.index + 1),
      CaseNo(p) + (costs ? " 执行费用" : " 退款"));
  if (!costs) {
    tally_.recovered_fen -= s.amount;
    if (p.claim < kSmallClaimFen) tally_.small_recovered_fen -= s.amount;
  }
}

void CommandWriter::EmitCaseState(const CasePlan& p, const Step& s) {
  json::Writer w;
  const std::string n = std::to_string(s.a + 1);
  const std::string hold_id = "H" + CasePrefix(p) + "-" + n;
  switch (s.kind) {
    case Kind::kHold:
      Open(w, CasePrefix(p) + "-hold" + n, Judge(p), DayText(s.day), "hold");
      w.Key("hold_id").String(hold_id).Key("case_no").String(CaseNo(p));
      w.Key("ground").String(kHoldGrounds[s.b]).Key("approved_by").String(Operator("chief", p));
      return Line("hold", Close(w));
    case Kind::kRelease:
      Open(w, CasePrefix(p) + "-release" + n, Judge(p), DayText(s.day), "release_hold");
      w.Key("hold_id").String(hold_id);
      return Line("release_hold", Close(w));
    case Kind::kSuspend:
    case Kind::kResume: {
      const bool suspend = s.kind == Kind::kSuspend;
      const char* op = suspend ? "suspend_case" : "resume_case";
      Open(w, CasePrefix(p) + (suspend ? "-suspend" : "-resume") + n, Judge(p), DayText(s.day), op);
      w.Key("case_no").String(CaseNo(p));
      w.Key("reason").String(suspend ? "被执行人申请破产审查" : "中止事由消失");
      return Line(op, Close(w));
    }
    default:  // kClose
      Open(w, CasePrefix(p) + "-close", Judge(p), DayText(s.day), "close_case");
      w.Key("case_no").String(CaseNo(p)).Key("mode").String(kModes[s.b]);
      Line("close_case", Close(w));
      ++tally_.cases_closed;
      return;
  }
}

void CommandWriter::EmitStray(const CasePlan& p, const Step& s) {
  const std::string payer = StrayPayer(seed_, p);
  const std::string bank_ref = Ref('B', s.value_day, p, "s");
  json::Writer w;
  if (s.kind == Kind::kStrayReceipt) {
    Open(w, "unid-" + bank_ref, Operator("finance", p), DayText(s.day), "unidentified_receipt");
    w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
    w.Key("payer").String(payer).Key("memo").String("货款");
    Line("unidentified_receipt", Close(w));
    return Row(s.day, Direction::kIn, s.amount, bank_ref, payer, "", "", "货款");
  }
  const std::string refund_ref = Ref('P', s.day, p, "s");
  Open(w, "refund-" + bank_ref, Operator("finance", p), DayText(s.day), "refund_unidentified");
  w.Key("bank_ref").String(bank_ref).Key("payee").String(payer);
  w.Key("amount").String(FormatAmount(s.amount)).Key("refund_bank_ref").String(refund_ref);
  w.Key("reason").String("无法认领，原路退回");
  Line("refund_unidentified", Close(w));
  Row(s.day, Direction::kOut, s.amount, refund_ref, payer, "", "", "不明款退回");
}

// The collective day: one line per batch of its cases, each item a payment from the case's
// money to one of its creditors.
void CommandWriter::EmitEvent(const EventShape& event) {
  const std::vector<int64_t> firsts = caseload_.EventBatches(event);
  for (size_t batch = 0; batch < firsts.size(); ++batch) {
    const int64_t last = batch + 1 < firsts.size() ? firsts[batch + 1] : event.members;
    const std::string id =
        firsts.size() > 1 ? event.event_id + "-" + std::to_string(batch + 1) : event.event_id;
    json::Writer w;
    Open(w, id, "finance.gs", DayText(event.day), "collective_disbursement");
    w.Key("event_id").String(id).Key("title").String(event.title);
    w.Key("approved_by").String("chief.gs").Key("items").BeginArray();
    for (int64_t j = firsts[batch]; j < last; ++j) {
      const CasePlan p = caseload_.Build(caseload_.EventMember(event, j));
      for (const Step& s : p.steps) {
        if (s.kind != Kind::kEventItem) continue;
        const Party creditor = CreditorOf(seed_, p, s.b);
        const std::string bank_ref = Ref('J', event.day, p, std::to_string(s.b + 1));
        w.BeginObject().Key("case_no").String(CaseNo(p)).Key("payee").String(creditor.party_id);
        w.Key("amount").String(FormatAmount(s.amount)).Key("bank_ref").String(bank_ref);
        w.EndObject();
        Row(event.day, Direction::kOut, s.amount, bank_ref, creditor.name, creditor.account,
            MakeAccountNumber(p.index + 1), id + " 集中发放");
      }
    }
    w.EndArray();
    Line("collective_disbursement", Close(w));
  }
}

void CommandWriter::EmitRules(int day) {
  json::Writer w;
  Open(w, "rules-2021", "admin.gs", DayText(day), "set_rules");
  w.Key("holidays").BeginArray();
  for (const auto& [month, first, last] : kHolidayRanges) {
    for (int d = first; d <= last; ++d) w.String(DayText(DayOf(month, d)));
  }
  w.EndArray().Key("workdays").BeginArray();
  for (const auto& [month, d] : kWorkdays) w.String(DayText(DayOf(month, d)));
  w.EndArray();
  Line("set_rules", Close(w));
}

void CommandWriter::RemitFees(int day) {
  if (fee_account_ <= 0) return;
  const Date date = DateOf(day);
  const std::string bank_ref =
      fmt::format("T{:02d}{:02d}{:02d}-fees", date.year() % 100, date.month(), date.day());
  json::Writer w;
  Open(w, fmt::format("remit-{}-{:02d}", date.year(), date.month()), "finance.gs", DayText(day),
       "remit_fees");
  w.Key("amount").String(FormatAmount(fee_account_)).Key("bank_ref").String(bank_ref);
  Line("remit_fees", Close(w));
  Row(day, Direction::kOut, fee_account_, bank_ref, "国家金库甘肃省分库", "", "", "执行费上缴国库");
  fee_account_ = 0;
}

}  // namespace caseledger::bench
