// Reading commands: case, cases, history, balance, calc fee.
#include "ledger/reading.h"

#include <fmt/core.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/command_json.h"
#include "core/fee.h"
#include "core/json.h"
#include "core/money.h"
#include "core/statement.h"
#include "ledger/export.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

// A date flag's value; a malformed one is a usage error (exit 2).
bool ParseDateFlag(const std::string& text, const char* flag, std::optional<Date>* out) {
  Result<std::optional<Date>> date = DateFlag(text, flag);
  if (!date.ok()) {
    Usage(date.status().message());
    return false;
  }
  *out = *date;
  return true;
}

std::string OptionalText(bool has, const std::string& value) { return has ? value : "-"; }

void WriteParties(json::Writer& w,
                  const google::protobuf::RepeatedPtrField<pb::PartyRecord>& parties,
                  bool creditors) {
  w.BeginArray();
  for (const auto& party : parties) {
    w.BeginObject().Key("party_id").String(party.party_id()).Key("name").String(party.name());
    w.Key("kind").String(WireName(party.kind()));
    w.Key("id_type").OptionalString(Opt(party.has_id_type(), WireName(party.id_type())));
    w.Key("id_number")
        .OptionalString(party.has_id_number() ? std::optional(party.id_number()) : std::nullopt);
    if (creditors) {
      w.Key("account").OptionalString(party.has_account() ? std::optional(party.account())
                                                          : std::nullopt);
    } else {
      w.Key("minor").Bool(party.minor());
    }
    w.EndObject();
  }
  w.EndArray();
}

std::string CaseJson(const CaseReading& reading) {
  const pb::CaseRecord& r = reading.record;
  const CaseFigures& f = reading.figures;
  json::Writer w;
  w.BeginObject().Key("case_no").String(r.case_no()).Key("account_no").String(r.account_no());
  w.Key("court").String(r.court()).Key("type_code").String(WireName(r.type_code()));
  w.Key("judge").OptionalString(Opt(r.has_judge(), r.judge()));
  w.Key("status").String(WireName(r.status()));
  w.Key("mode").OptionalString(Opt(r.has_mode(), WireName(r.mode())));
  w.Key("filed_on")
      .String(r.filed_on())
      .Key("closed_on")
      .OptionalString(Opt(r.has_closed_on(), r.closed_on()));
  w.Key("deadline").String(f.deadline.ToString());
  w.Key("deadline_basis").String(DeadlineBasisWire(reading.deadline_basis));
  w.Key("claim").String(FormatAmount(f.claim_fen));
  w.Key("ordinary_interest").String(FormatAmount(f.ordinary_interest_fen));
  w.Key("performance_due").OptionalString(Opt(r.has_performance_due(), r.performance_due()));
  const std::pair<const char*, const Fen*> amounts[] = {{"fee", &f.fee_fen},
                                                        {"delay_interest", &f.delay_interest_fen},
                                                        {"recovered", &f.recovered_fen},
                                                        {"disbursed", &f.disbursed_fen},
                                                        {"fees", &f.fees_fen},
                                                        {"costs", &f.costs_fen},
                                                        {"refunded", &f.refunded_fen},
                                                        {"lodged", &f.lodged_fen},
                                                        {"remitted", &f.remitted_fen},
                                                        {"transferred", &f.transferred_fen},
                                                        {"balance", &f.balance_fen},
                                                        {"held", &f.held_fen},
                                                        {"pending", &f.pending_fen},
                                                        {"available", &f.available_fen},
                                                        {"outstanding", &f.outstanding_fen},
                                                        {"fee_due", &f.fee_due_fen},
                                                        {"overdue_amount", &f.overdue_fen}};
  for (const auto& [key, value] : amounts) w.Key(key).String(FormatAmount(*value));
  w.Key("oldest_overdue_since")
      .OptionalString(f.oldest_overdue_since ? std::optional(f.oldest_overdue_since->ToString())
                                             : std::nullopt);
  w.Key("unpaid_over_one_year").String(FormatAmount(f.unpaid_over_one_year_fen));
  w.Key("creditors");
  WriteParties(w, r.creditors(), true);
  w.Key("debtors");
  WriteParties(w, r.debtors(), false);
  w.Key("restored_from").OptionalString(Opt(r.has_restored_from(), r.restored_from()));
  w.Key("restored_to").OptionalString(Opt(r.has_restored_to(), r.restored_to()));
  w.Key("chain_recovered").String(FormatAmount(f.chain_recovered_fen));
  w.Key("relief_paid").String(FormatAmount(reading.relief_paid_fen));
  // The money in the account, lot by lot, with the payout deadline each was given.
  w.Key("lots").BeginArray();
  for (const auto& lot : r.lots()) {
    w.BeginObject().Key("date").String(lot.date()).Key("deadline").String(lot.deadline());
    w.Key("free").String(FormatAmount(lot.free_fen()));
    w.Key("reserved").String(FormatAmount(lot.reserved_fen()));
    w.Key("held").String(FormatAmount(lot.held_fen())).EndObject();
  }
  w.EndArray();
  w.Key("last_seq").Int(static_cast<int64_t>(r.last_seq()));
  return w.EndObject().str();
}

// A case's lots of money: date, payout deadline, free, reserved and held.
std::string LotsText(const pb::CaseRecord& r, Lang lang) {
  TextTable lots(
      {L(lang, "到账日期", "lot date"), L(lang, "发放期限", "deadline"), L(lang, "可发放", "free"),
       L(lang, "待发放", "reserved"), L(lang, "延缓发放", "held")},
      {false, false, true, true, true});
  for (const auto& lot : r.lots()) {
    lots.AddRow({lot.date(), lot.deadline(), FormatAmountGrouped(lot.free_fen()),
                 FormatAmountGrouped(lot.reserved_fen()), FormatAmountGrouped(lot.held_fen())});
  }
  return lots.Render();
}

// How the closure deadline was reached, in the table's language (English: as JSON gives it).
std::string BasisText(const DeadlineBasis& basis, Lang lang) {
  if (lang == Lang::kEn) return "(" + DeadlineBasisWire(basis) + ")";
  std::string text =
      fmt::format("（立案日期 {} + {}个月结案期限", basis.filed_on, basis.closure_months);
  if (basis.extension_months > 0) text += fmt::format(" + 延长{}个月", basis.extension_months);
  if (basis.suspended_days > 0) text += fmt::format(" + 不计入期间{}天", basis.suspended_days);
  return text + "）";
}

// A case's status, with its closure mode once closed.
std::string StatusText(const pb::CaseRecord& r, Lang lang) {
  if (!r.has_mode()) return Label(lang, r.status());
  return Label(lang, r.status()) + (lang == Lang::kZh ? "（" + Label(lang, r.mode()) + "）"
                                                      : " (" + Label(lang, r.mode()) + ")");
}

std::string CaseText(const CaseReading& reading, Lang lang) {
  const pb::CaseRecord& r = reading.record;
  const CaseFigures& f = reading.figures;
  auto money = [](const Fen& fen) { return FormatAmountGrouped(fen); };
  std::vector<std::pair<std::string, std::string>> rows = {
      {L(lang, "案号", "case_no"), r.case_no()},
      {L(lang, "案款账号", "account_no"), r.account_no()},
      {L(lang, "法院", "court"), r.court()},
      {L(lang, "承办人", "judge"), OptionalText(r.has_judge(), r.judge())},
      {L(lang, "状态", "status"), StatusText(r, lang)},
      {L(lang, "立案日期", "filed_on"), r.filed_on()},
      {L(lang, "结案日期", "closed_on"), OptionalText(r.has_closed_on(), r.closed_on())},
      {L(lang, "结案期限", "deadline"),
       f.deadline.ToString() + "  " + BasisText(reading.deadline_basis, lang)},
      {L(lang, "申请执行标的", "claim"), money(f.claim_fen)},
      {L(lang, "一般债务利息", "ordinary_interest"), money(f.ordinary_interest_fen)},
      {L(lang, "申请执行费", "fee"), money(f.fee_fen)},
      {L(lang, "迟延履行利息", "delay_interest"), money(f.delay_interest_fen)},
      {L(lang, "履行期限届满日", "performance_due"),
       OptionalText(r.has_performance_due(), r.performance_due())},
      {L(lang, "执行到位金额", "recovered"), money(f.recovered_fen)},
      {L(lang, "已发放", "disbursed"), money(f.disbursed_fen)},
      {L(lang, "已扣执行费", "fees"), money(f.fees_fen)},
      {L(lang, "执行费用", "costs"), money(f.costs_fen)},
      {L(lang, "已退款", "refunded"), money(f.refunded_fen)},
      {L(lang, "已提存", "lodged"), money(f.lodged_fen)},
      {L(lang, "已上缴国库", "remitted"), money(f.remitted_fen)},
      {L(lang, "保全款已转执行", "transferred"), money(f.transferred_fen)},
      {L(lang, "账户余额", "balance"), money(f.balance_fen)},
      {L(lang, "延缓发放", "held"), money(f.held_fen)},
      {L(lang, "待发放", "pending"), money(f.pending_fen)},
      {L(lang, "可发放", "available"), money(f.available_fen)},
      {L(lang, "尚欠金额", "outstanding"), money(f.outstanding_fen)},
      {L(lang, "应扣执行费", "fee_due"), money(f.fee_due_fen)},
      {L(lang, "超期未发放", "overdue_amount"), money(f.overdue_fen)},
      {L(lang, "超期起始日", "oldest_overdue_since"),
       f.oldest_overdue_since ? f.oldest_overdue_since->ToString() : "-"},
      {L(lang, "超一年未发放", "unpaid_over_one_year"), money(f.unpaid_over_one_year_fen)},
      {L(lang, "司法救助（不计入案款）", "relief_paid (not case money)"),
       money(reading.relief_paid_fen)},
  };
  if (r.has_restored_from() || r.has_restored_to()) {
    rows.push_back({L(lang, "恢复自", "restored_from"),
                    OptionalText(r.has_restored_from(), r.restored_from())});
    rows.push_back(
        {L(lang, "恢复为", "restored_to"), OptionalText(r.has_restored_to(), r.restored_to())});
    rows.push_back({L(lang, "全链执行到位", "chain_recovered"), money(f.chain_recovered_fen)});
  }
  std::string out = RenderPairs(rows);
  TextTable parties(
      {L(lang, "当事人", "party"), L(lang, "编号", "party_id"), L(lang, "名称", "name")});
  for (const auto& c : r.creditors())
    parties.AddRow({L(lang, "申请执行人", "creditor"), c.party_id(), c.name()});
  for (const auto& d : r.debtors())
    parties.AddRow({L(lang, "被执行人", "debtor"), d.party_id(), d.name()});
  out += "\n" + parties.Render();
  if (r.lots_size() > 0) out += "\n" + LotsText(r, lang);
  return out;
}

Result<std::unique_ptr<Ledger>> OpenRead(const Globals& globals) { return OpenReading(globals); }

}  // namespace

int RunCase(const Globals& globals, const CaseOptions& options) {
  std::optional<Date> as_of;
  if (!ParseDateFlag(options.as_of, "--as-of", &as_of)) return kExitUsage;
  auto ledger = OpenRead(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  if (options.at_seq && (*options.at_seq == 0 || *options.at_seq > (*ledger)->head_seq())) {
    WriteErr(fmt::format("caseledger: --at-seq: no entry {} (the ledger has {})\n", *options.at_seq,
                         (*ledger)->head_seq()));
    return kExitUsage;
  }
  auto reading = ReadCase(ledger->get(), options.case_no, PointInTime{options.at_seq, as_of});
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  Out(globals.json ? CaseJson(*reading) + "\n" : CaseText(*reading, globals.language()));
  return kExitOk;
}

namespace {

std::string CasesJson(const std::vector<CaseRow>& rows) {
  json::Writer w;
  w.BeginArray();
  for (const auto& [r, f] : rows) {
    w.BeginObject().Key("case_no").String(r.case_no()).Key("status").String(WireName(r.status()));
    w.Key("filed_on").String(r.filed_on()).Key("claim").String(FormatAmount(f.claim_fen));
    w.Key("recovered").String(FormatAmount(f.recovered_fen));
    w.Key("balance").String(FormatAmount(f.balance_fen));
    w.Key("overdue_amount").String(FormatAmount(f.overdue_fen)).EndObject();
  }
  w.EndArray();
  return w.str() + "\n";
}

std::string CasesText(const std::vector<CaseRow>& rows, Lang lang) {
  TextTable table(
      {L(lang, "案号", "case_no"), L(lang, "状态", "status"), L(lang, "立案日期", "filed_on"),
       L(lang, "申请执行标的", "claim"), L(lang, "执行到位", "recovered"),
       L(lang, "余额", "balance"), L(lang, "超期未发放", "overdue")},
      {false, false, false, true, true, true, true});
  for (const auto& [r, f] : rows) {
    table.AddRow({r.case_no(), Label(lang, r.status()), r.filed_on(),
                  FormatAmountGrouped(f.claim_fen), FormatAmountGrouped(f.recovered_fen),
                  FormatAmountGrouped(f.balance_fen), FormatAmountGrouped(f.overdue_fen)});
  }
  return table.Render() + fmt::format("{} {}\n", table.rows(), L(lang, "件", "cases"));
}

}  // namespace

int RunCases(const Globals& globals, const CasesOptions& options) {
  auto on_flag = DateFlag(options.on, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto ledger = OpenRead(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> on = DateOrToday(*on_flag);
  if (!on.ok()) return ReportError(on.status(), globals.json);
  // --status is one of the wire names (CLI11 checked it against the name table).
  const std::optional<pb::CaseStatus> status =
      options.status.empty() ? std::nullopt : FromWireName<pb::CaseStatus>(options.status);
  auto rows = ListCases(
      ledger->get(), CasesQuery{status, options.court, *on_flag, options.party, options.account_no},
      *on);
  if (!rows.ok()) return ReportError(rows.status(), globals.json);
  Out(globals.json ? CasesJson(*rows) : CasesText(*rows, globals.language()));
  return kExitOk;
}

namespace {

std::string HistoryJson(const HistoryRow& row) {
  const pb::Entry& e = row.stored.entry;
  const pb::Command& c = e.command();
  json::Writer w;
  w.BeginObject()
      .Key("seq")
      .Int(static_cast<int64_t>(row.stored.seq))
      .Key("request_id")
      .String(c.request_id());
  w.Key("operator").String(c.operator_()).Key("on").String(c.on());
  w.Key("recorded_at")
      .String(FormatUtcMicros(e.recorded_at_us()))
      .Key("op")
      .String(OperationName(c));
  w.Key("body").Raw(CommandToJson(c));
  w.Key("postings");
  WritePostings(e, &w);
  w.Key("hash").String(HexOf(row.stored.hash)).EndObject();
  return w.str() + "\n";
}

}  // namespace

int RunHistory(const Globals& globals, const std::string& case_no) {
  auto ledger = OpenRead(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const Lang lang = globals.language();
  TextTable table({L(lang, "序号", "seq"), L(lang, "日期", "on"), L(lang, "操作", "op"),
                   L(lang, "请求号", "request_id"), L(lang, "经办人", "operator"),
                   L(lang, "本案金额", "case amount")},
                  {true, false, false, false, false, true});
  // JSON Lines go out as they are read; the table is printed whole.
  Status status = ForEachHistoryRow(ledger->get(), case_no, [&](const HistoryRow& row) {
    const pb::Command& c = row.stored.entry.command();
    if (globals.json) {
      Out(HistoryJson(row));
    } else {
      table.AddRow({std::to_string(row.stored.seq), c.on(), Label(lang, OperationOf(c)),
                    c.request_id(), c.operator_(), FormatAmountGrouped(row.case_amount_fen)});
    }
    return Status::Ok();
  });
  if (!status.ok()) return ReportError(status, globals.json);
  if (!globals.json) Out(table.Render());
  return kExitOk;
}

namespace {

std::string BalanceJson(const BalanceReading& reading) {
  const Balances& b = reading.balances;
  json::Writer w;
  w.BeginObject().Key("bank").String(FormatAmount(b.bank_fen));
  w.Key("cases").String(FormatAmount(b.cases_fen));
  w.Key("suspense").String(FormatAmount(b.suspense_fen));
  w.Key("fees").String(FormatAmount(b.fees_fen));
  w.Key("lodged").String(FormatAmount(b.lodged_fen));
  w.Key("interest").String(FormatAmount(b.interest_fen));
  w.Key("charges").String(FormatAmount(b.charges_fen));
  w.Key("relief_paid").String(FormatAmount(reading.relief_paid_fen));
  w.Key("agree").Bool(b.agree());
  if (reading.statement_balance_fen) {
    w.Key("statement_balance").String(FormatAmount(*reading.statement_balance_fen));
    w.Key("difference").String(FormatAmount(reading.difference_fen()));
    w.Key("bank_agree").Bool(reading.bank_agree());
  }
  return w.EndObject().str() + "\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> AccountPairs(const Balances& b, Lang lang) {
  return {
      {L(lang, "案款账户合计", "cases"), FormatAmountGrouped(b.cases_fen)},
      {L(lang, "不明款（待认领）", "suspense"), FormatAmountGrouped(b.suspense_fen)},
      {L(lang, "未上缴执行费", "fees"), FormatAmountGrouped(b.fees_fen)},
      {L(lang, "提存未付", "lodged"), FormatAmountGrouped(b.lodged_fen)},
      {L(lang, "银行利息（未上缴）", "interest"), FormatAmountGrouped(b.interest_fen)},
      {L(lang, "银行手续费（待报销）", "charges"), FormatAmountGrouped(b.charges_fen)},
  };
}

namespace {

// 账账相符 (agree) compares the ledger with itself; only with a statement is there a 账实相符.
std::string BalanceText(const BalanceReading& reading, Lang lang) {
  const Balances& b = reading.balances;
  auto yes_no = [lang](bool value) { return value ? L(lang, "是", "yes") : L(lang, "否", "no"); };
  std::vector<std::pair<std::string, std::string>> pairs = {
      {L(lang, "专户银行余额（账面）", "bank"), FormatAmountGrouped(b.bank_fen)}};
  for (auto& pair : AccountPairs(b, lang)) pairs.push_back(std::move(pair));
  pairs.insert(pairs.end(), {{L(lang, "司法救助已付（国家救助资金，不在专户）",
                                "relief_paid (state fund, not in the bank)"),
                              FormatAmountGrouped(reading.relief_paid_fen)},
                             {L(lang, "账账相符", "agree"), yes_no(b.agree())}});
  if (reading.statement_balance_fen) {
    pairs.push_back({L(lang, "银行对账单余额", "statement_balance"),
                     FormatAmountGrouped(*reading.statement_balance_fen)});
    pairs.push_back({L(lang, "差额（账面 − 对账单）", "difference"),
                     FormatAmountGrouped(reading.difference_fen())});
    pairs.push_back({L(lang, "账实相符", "bank_agree"), yes_no(reading.bank_agree())});
  }
  return RenderPairs(pairs);
}

}  // namespace

int RunBalance(const Globals& globals, const BalanceOptions& options) {
  std::optional<Date> as_of;
  if (!ParseDateFlag(options.as_of, "--as-of", &as_of)) return kExitUsage;
  std::optional<std::vector<StatementLine>> statement;
  if (!options.statement.empty()) {
    statement.emplace();
    const int code = ReadStatement(options.statement, globals.json, &*statement);
    if (code != kExitOk) return code;
  }
  auto ledger = OpenRead(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto reading = ReadBalance(ledger->get(), as_of, statement ? &*statement : nullptr);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  Out(globals.json ? BalanceJson(*reading) : BalanceText(*reading, globals.language()));
  return kExitOk;
}

int RunCalcFee(const Globals& globals, const std::string& amount_text) {
  Result<Fen> amount = ParseAmount(amount_text, "amount", AmountKind::kZeroAllowed);
  if (!amount.ok()) {
    WriteErr("caseledger: " + amount.status().message() + "\n");
    return kExitUsage;
  }
  const FeeWorking working = ComputeFee(*amount);
  const Lang lang = globals.language();
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("amount").String(FormatAmount(working.amount_fen));
    w.Key("fee").String(FormatAmount(working.fee_fen)).Key("brackets").BeginArray();
    for (const auto& b : working.brackets) {
      w.BeginObject().Key("from").String(FormatAmount(b.from_fen));
      w.Key("to").OptionalString(b.to_fen ? std::optional(FormatAmount(*b.to_fen)) : std::nullopt);
      w.Key("rate").OptionalString(b.rate.empty() ? std::nullopt : std::optional(b.rate));
      w.Key("part").String(b.part).EndObject();
    }
    Out(w.EndArray().EndObject().str() + "\n");
    return kExitOk;
  }
  TextTable table({L(lang, "分段起", "from"), L(lang, "分段止", "to"), L(lang, "费率", "rate"),
                   L(lang, "本段金额", "part")},
                  {true, true, true, true});
  for (const auto& b : working.brackets) {
    // A rate of thousandths in ten-thousandths, as Percent takes it: 15 -> "1.50%".
    table.AddRow(
        {FormatAmountGrouped(b.from_fen), b.to_fen ? FormatAmountGrouped(*b.to_fen) : "-",
         b.rate.empty() ? L(lang, "定额50元", "flat 50") : Percent(Fen(b.rate_per_mille * 10)),
         GroupDecimal(b.part)});
  }
  Out(table.Render() + fmt::format("{}: {}  {}: {}\n", L(lang, "执行标的", "amount"),
                                   FormatAmountGrouped(working.amount_fen),
                                   L(lang, "申请执行费", "fee"),
                                   FormatAmountGrouped(working.fee_fen)));
  return kExitOk;
}

}  // namespace caseledger::cli
