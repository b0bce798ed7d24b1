// caseledger event / events / distribution / defaulter / defaulters: each reads through one
// front door of ledger/reading.h and prints.
#include <fmt/core.h>

#include <cstdio>
#include <functional>

#include "cli/commands.h"
#include "core/json.h"
#include "core/money.h"
#include "ledger/ledger.h"
#include "ledger/reading.h"

namespace caseledger::cli {

std::string GroundText(Lang lang, int ground) {
  const std::string label = Label(lang, static_cast<DefaulterGround>(ground));
  return label.empty() ? std::to_string(ground) : label;
}

namespace {

std::string EventJson(const EventReading& reading) {
  const pb::EventRecord& e = reading.record;
  const EventSummary& summary = reading.summary;
  json::Writer w;
  w.BeginObject().Key("event_id").String(e.event_id()).Key("on").String(e.on());
  w.Key("title").String(e.title()).Key("cases").Int(static_cast<int64_t>(summary.cases));
  w.Key("payees").Int(static_cast<int64_t>(summary.payees));
  w.Key("total").String(FormatAmount(summary.total_fen)).Key("paid_overdue").BeginArray();
  for (const auto& item : e.items()) {
    if (item.reversed() || item.overdue_fen() == 0) continue;
    w.BeginObject().Key("case_no").String(item.case_no()).Key("payee").String(item.payee());
    w.Key("amount").String(FormatAmount(item.overdue_fen()));
    w.Key("overdue_since").String(item.overdue_since()).EndObject();
  }
  w.EndArray()
      .Key("approved_by")
      .String(e.approved_by())
      .Key("seq")
      .Int(static_cast<int64_t>(e.seq()));
  return w.EndObject().str() + "\n";
}

std::string EventText(const EventReading& reading, Lang lang) {
  const pb::EventRecord& e = reading.record;
  const EventSummary& summary = reading.summary;
  std::string out = RenderPairs(
      {{L(lang, "发放活动", "event"), e.event_id() + "  " + e.title()},
       {L(lang, "日期", "on"), e.on()},
       {L(lang, "批准人", "approved by"), e.approved_by()},
       {L(lang, "案件数", "cases"), std::to_string(summary.cases)},
       {L(lang, "领款人数", "payees"), std::to_string(summary.payees)},
       {L(lang, "合计", "total"), FormatAmountGrouped(summary.total_fen)},
       {L(lang, "超期发放笔数", "paid overdue"), std::to_string(summary.overdue_items)}});
  TextTable table(
      {L(lang, "案号", "case_no"), L(lang, "领款人", "payee"), L(lang, "收款账号", "account"),
       L(lang, "金额", "amount"), L(lang, "其中超期", "overdue part"),
       L(lang, "超期起始日", "overdue since"), L(lang, "银行流水号", "bank_ref")},
      {false, false, false, true, true, false, false});
  for (int i = 0; i < e.items_size(); ++i) {
    const pb::EventItem& item = e.items(i);
    // Named as the case's creditor (the id when the read found none), the account masked.
    const EventPayee& payee = reading.payees[static_cast<size_t>(i)];
    table.AddRow({item.case_no(),
                  (payee.name.empty() ? item.payee() : payee.name) +
                      (item.reversed() ? L(lang, "（已冲回）", " (reversed)") : ""),
                  MaskedAccount(payee.account), FormatAmountGrouped(item.amount_fen()),
                  FormatAmountGrouped(item.overdue_fen()),
                  item.has_overdue_since() ? item.overdue_since() : "-", item.bank_ref()});
  }
  return out + "\n" + table.Render();
}

std::string EventsJson(const std::vector<EventReading>& events) {
  json::Writer w;
  w.BeginArray();
  for (const auto& [e, s, payees] : events) {
    w.BeginObject().Key("event_id").String(e.event_id()).Key("on").String(e.on());
    w.Key("title").String(e.title()).Key("cases").Int(static_cast<int64_t>(s.cases));
    w.Key("payees")
        .Int(static_cast<int64_t>(s.payees))
        .Key("total")
        .String(FormatAmount(s.total_fen));
    w.Key("paid_overdue_items").Int(static_cast<int64_t>(s.overdue_items)).EndObject();
  }
  return w.EndArray().str() + "\n";
}

std::string EventsText(const std::vector<EventReading>& events, Lang lang) {
  TextTable table({L(lang, "发放活动", "event_id"), L(lang, "日期", "on"), L(lang, "名称", "title"),
                   L(lang, "案件数", "cases"), L(lang, "领款人数", "payees"),
                   L(lang, "合计", "total"), L(lang, "超期发放笔数", "paid overdue")},
                  {false, false, false, true, true, true, true});
  for (const auto& [e, s, payees] : events) {
    table.AddRow({e.event_id(), e.on(), e.title(), std::to_string(s.cases),
                  std::to_string(s.payees), FormatAmountGrouped(s.total_fen),
                  std::to_string(s.overdue_items)});
  }
  return table.Render();
}

// Reads one record by its id through `read` and prints it as JSON or text.
template <typename Reading>
int Show(const Globals& globals, const std::string& id,
         Result<Reading> (*read)(Ledger*, const std::string&), std::string (*json)(const Reading&),
         std::string (*text)(const Reading&, Lang)) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Reading> reading = read(ledger->get(), id);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  Out(globals.json ? json(*reading) : text(*reading, globals.language()));
  return kExitOk;
}

}  // namespace

int RunEvent(const Globals& globals, const std::string& event_id) {
  return Show(globals, event_id, &ReadEvent, &EventJson, &EventText);
}

int RunEvents(const Globals& globals) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto events = ListEvents(ledger->get());
  if (!events.ok()) return ReportError(events.status(), globals.json);
  Out(globals.json ? EventsJson(*events) : EventsText(*events, globals.language()));
  return kExitOk;
}

namespace {

std::string DistributionJson(const DistributionReading& reading) {
  const pb::DistributionRecord& d = reading.record;
  json::Writer w;
  w.BeginObject().Key("distribution_id").String(d.distribution_id());
  w.Key("case_no").String(d.case_no());
  w.Key("on").String(d.on()).Key("amount").String(FormatAmount(d.amount_fen()));
  w.Key("costs")
      .String(FormatAmount(d.costs_fen()))
      .Key("surplus")
      .String(FormatAmount(d.surplus_fen()));
  w.Key("shares").BeginArray();
  for (const auto& s : d.shares()) {
    w.BeginObject().Key("party_id").String(s.party_id()).Key("rank").Int(s.rank());
    w.Key("claim")
        .String(FormatAmount(s.claim_fen()))
        .Key("share")
        .String(FormatAmount(s.share_fen()));
    w.Key("disbursement_id")
        .OptionalString(s.share_fen() > 0 ? std::optional(d.distribution_id() + "/" + s.party_id())
                                          : std::nullopt);
    w.Key("creditor").Bool(s.creditor()).EndObject();
  }
  return w.EndArray().EndObject().str() + "\n";
}

std::string SharesTable(const DistributionReading& reading, Lang lang) {
  TextTable table(
      {L(lang, "债权人", "creditor"), L(lang, "顺位", "rank"), L(lang, "债权额", "claim"),
       L(lang, "分配额", "share"), L(lang, "受偿比例", "paid")},
      {false, true, true, true, true});
  for (int i = 0; i < reading.record.shares_size(); ++i) {
    const pb::DistributionShare& s = reading.record.shares(i);
    const std::optional<int64_t>& basis = reading.paid_ten_thousandths[i];
    const std::string ratio = basis ? fmt::format("{}.{:02}%", *basis / 100, *basis % 100) : "-";
    table.AddRow({s.party_id() + (s.has_name() ? " " + s.name() : ""), std::to_string(s.rank()),
                  FormatAmountGrouped(s.claim_fen()), FormatAmountGrouped(s.share_fen()), ratio});
  }
  return table.Render();
}

std::string DistributionText(const DistributionReading& reading, Lang lang) {
  const pb::DistributionRecord& d = reading.record;
  std::string out = fmt::format("{}\n\n", L(lang, "参与分配方案", "Distribution plan"));
  out += RenderPairs(
      {{L(lang, "分配编号", "distribution"), d.distribution_id()},
       {L(lang, "案号", "case"), d.case_no()},
       {L(lang, "日期", "on"), d.on()},
       {L(lang, "可供分配金额", "amount"), FormatAmountGrouped(d.amount_fen())},
       {L(lang, "优先扣除执行费用", "costs first"), FormatAmountGrouped(d.costs_fen())},
       {L(lang, "扣除费用后", "left for claims"), FormatAmountGrouped(reading.left_for_claims_fen)},
       {L(lang, "剩余退还被执行人", "surplus to the debtor"),
        FormatAmountGrouped(d.surplus_fen())}});
  out +=
      "\n" + SharesTable(reading, lang) + "\n" +
      L(lang,
        "计算方法: 先扣执行费用；按顺位清偿，足额顺位全额受偿；首个不足顺位按债权比例分配（分配额 "
        "= 剩余金额 × 债权额 ÷ "
        "该顺位债权总额，取整到分），余分按小数部分从大到小各补一分，相同者先列者优先；其后顺位不受"
        "偿。\n",
        "Working: costs first; ranks in order, each paid in full while money lasts; the first rank "
        "that does not fit shares what is left pro rata (share = left × claim ÷ rank total, "
        "floored to the fen), the fen left over going one each to the largest remainders, ties to "
        "the earlier claim; later ranks get nothing.\n");
  return out;
}

}  // namespace

int RunDistribution(const Globals& globals, const std::string& distribution_id) {
  return Show(globals, distribution_id, &ReadDistribution, &DistributionJson, &DistributionText);
}

namespace {

void WriteListing(json::Writer& w, const ListingView& v) {
  const pb::Listing& l = v.listing;
  w.BeginObject().Key("case_no").String(l.case_no()).Key("ground").Int(l.ground());
  w.Key("listed_on").String(l.listed_on());
  w.Key("expires_on").OptionalString(Opt(l.has_expires_on(), l.expires_on()));
  w.Key("deletion_due_on")
      .OptionalString(v.deletion_due_on ? std::optional(v.deletion_due_on->ToString())
                                        : std::nullopt);
  w.Key("deletion_cause").OptionalString(Opt(v.cause.has_value(), CauseWire(v)));
  w.Key("deleted_on").OptionalString(Opt(l.has_deleted_on(), l.deleted_on()));
  w.Key("reason").OptionalString(Opt(l.has_reason(), WireName(l.reason())));
  w.EndObject();
}

std::string DefaulterJson(const DefaulterReading& reading) {
  const Date on = reading.on;
  const pb::DefaulterRecord& record = reading.record;
  json::Writer w;
  w.BeginObject().Key("party_id").String(record.party_id());
  w.Key("name").OptionalString(Opt(!record.name().empty(), record.name()));
  w.Key("on")
      .String(on.ToString())
      .Key("listed")
      .Bool(reading.view.listed)
      .Key("restricted")
      .Bool(reading.view.restricted);
  w.Key("listings").BeginArray();
  for (const auto& listing : reading.view.listings) WriteListing(w, listing);
  w.EndArray().Key("restrictions").BeginArray();
  for (const auto& r : record.restrictions()) {
    w.BeginObject().Key("case_no").String(r.case_no()).Key("since").String(r.since());
    w.Key("lifted_on").OptionalString(Opt(r.has_lifted_on(), r.lifted_on()));
    w.Key("reason").OptionalString(Opt(r.has_reason(), r.reason())).EndObject();
  }
  return w.EndArray().EndObject().str() + "\n";
}

// When a listing's deletion is due and why: "2024-02-22 (performed)", "2024-02-22（已履行完毕）".
std::string DeletionDueText(Lang lang, const ListingView& v) {
  if (!v.deletion_due_on) return "-";
  if (lang == Lang::kEn) return v.deletion_due_on->ToString() + " (" + CauseWire(v) + ")";
  std::string cause = Label(lang, *v.cause);
  if (v.mode) cause += "：" + Label(lang, *v.mode);
  return v.deletion_due_on->ToString() + "（" + cause + "）";
}

std::string DefaulterText(const DefaulterReading& reading, Lang lang) {
  const Date on = reading.on;
  const pb::DefaulterRecord& record = reading.record;
  auto yes_no = [&](bool b) { return b ? L(lang, "是", "yes") : L(lang, "否", "no"); };
  std::string out =
      RenderPairs({{L(lang, "当事人", "party"),
                    record.party_id() + (record.name().empty() ? "" : " " + record.name())},
                   {L(lang, "查询日期", "on"), on.ToString()},
                   {L(lang, "失信被执行人", "listed"), yes_no(reading.view.listed)},
                   {L(lang, "限制消费", "restricted"), yes_no(reading.view.restricted)}});
  TextTable listings({L(lang, "案号", "case_no"), L(lang, "情形", "ground"),
                      L(lang, "纳入日期", "listed_on"), L(lang, "期限届满", "expires_on"),
                      L(lang, "应删除日期", "deletion due"), L(lang, "删除日期", "deleted_on"),
                      L(lang, "删除事由", "reason")});
  for (const auto& v : reading.view.listings) {
    const pb::Listing& l = v.listing;
    listings.AddRow({l.case_no(), GroundText(lang, l.ground()), l.listed_on(),
                     l.has_expires_on() ? l.expires_on() : "-", DeletionDueText(lang, v),
                     l.has_deleted_on() ? l.deleted_on() : "-",
                     l.has_reason() ? Label(lang, l.reason()) : "-"});
  }
  TextTable restrictions({L(lang, "案号", "case_no"), L(lang, "限制消费自", "since"),
                          L(lang, "解除日期", "lifted_on"), L(lang, "解除事由", "reason")});
  for (const auto& r : record.restrictions()) {
    restrictions.AddRow({r.case_no(), r.since(), r.has_lifted_on() ? r.lifted_on() : "-",
                         r.has_reason() ? r.reason() : "-"});
  }
  return out + "\n" + listings.Render() + "\n" + restrictions.Render();
}

std::string DefaultersJson(const std::vector<PublicListing>& listings) {
  json::Writer w;
  w.BeginArray();
  for (const auto& p : listings) {
    w.BeginObject().Key("party_id").String(p.party_id).Key("name").String(p.name);
    w.Key("listing");
    WriteListing(w, p.listing);
    w.EndObject();
  }
  return w.EndArray().str() + "\n";
}

std::string DefaultersText(const std::vector<PublicListing>& listings, Lang lang) {
  TextTable table({L(lang, "当事人", "party_id"), L(lang, "名称", "name"),
                   L(lang, "案号", "case_no"), L(lang, "情形", "ground"),
                   L(lang, "纳入日期", "listed_on"), L(lang, "期限届满", "expires_on"),
                   L(lang, "应删除日期", "deletion due")});
  for (const auto& p : listings) {
    const pb::Listing& l = p.listing.listing;
    table.AddRow({p.party_id, p.name, l.case_no(), GroundText(lang, l.ground()), l.listed_on(),
                  l.has_expires_on() ? l.expires_on() : "-",
                  p.listing.deletion_due_on ? p.listing.deletion_due_on->ToString() : "-"});
  }
  return table.Render() + fmt::format("{} {}\n", table.rows(), L(lang, "条", "listings"));
}

}  // namespace

namespace {

// Reads through `read` on --on (today without it) and prints the result as JSON or text.
template <typename Reading>
int ShowOn(const Globals& globals, const std::string& on_text,
           const std::function<Result<Reading>(Ledger*, Date)>& read,
           std::string (*json)(const Reading&), std::string (*text)(const Reading&, Lang)) {
  auto on_flag = DateFlag(on_text, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> on = DateOrToday(*on_flag);
  if (!on.ok()) return ReportError(on.status(), globals.json);
  Result<Reading> reading = read(ledger->get(), *on);
  if (!reading.ok()) return ReportError(reading.status(), globals.json);
  Out(globals.json ? json(*reading) : text(*reading, globals.language()));
  return kExitOk;
}

}  // namespace

int RunDefaulter(const Globals& globals, const std::string& party_id, const std::string& on_text) {
  return ShowOn<DefaulterReading>(
      globals, on_text,
      [&](Ledger* ledger, Date on) { return ReadDefaulter(ledger, party_id, on); }, &DefaulterJson,
      &DefaulterText);
}

int RunDefaulters(const Globals& globals, const std::string& on_text) {
  return ShowOn<std::vector<PublicListing>>(globals, on_text, &ListDefaulters, &DefaultersJson,
                                            &DefaultersText);
}

}  // namespace caseledger::cli
