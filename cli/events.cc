// caseledger event / events / distribution / defaulter / defaulters.
#include <fmt/core.h>

#include <cstdio>
#include <set>

#include "cli/commands.h"
#include "core/defaulters.h"
#include "core/json.h"
#include "core/money.h"
#include "core/rules.h"
#include "ledger/ledger.h"

namespace caseledger::cli {
namespace {

template <typename M>
Result<std::optional<M>> Load(Ledger* ledger, Table table, const std::string& id,
                              const PointInTime& point) {
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                              ledger->GetRecord(table, id, point));
  if (!bytes) return std::optional<M>();
  M message;
  if (!message.ParseFromString(*bytes)) return Status::Corruption("a record does not parse");
  return std::optional<M>(std::move(message));
}

// An event's figures, reversed items left out (SPEC §3 event).
struct EventSummary {
  size_t cases = 0;
  size_t payees = 0;
  Fen total_fen = 0;
  size_t overdue_items = 0;
};

EventSummary Summarise(const pb::EventRecord& event) {
  EventSummary summary;
  std::set<std::string> cases;
  std::set<std::pair<std::string, std::string>> payees;
  for (const auto& item : event.items()) {
    if (item.reversed()) continue;
    cases.insert(item.case_no());
    payees.insert({item.case_no(), item.payee()});
    summary.total_fen += Fen(item.amount_fen());
    if (item.overdue_fen() > 0) ++summary.overdue_items;
  }
  summary.cases = cases.size();
  summary.payees = payees.size();
  return summary;
}

}  // namespace

int RunEvent(const Globals& globals, const std::string& event_id) {
  auto ledger = Ledger::OpenForRead(globals.db);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto event = Load<pb::EventRecord>(ledger->get(), Table::kEvent, event_id, {});
  if (!event.ok()) return ReportError(event.status(), globals.json);
  if (!*event) {
    return ReportError({Code::kUnknownReference, "no event " + event_id}, globals.json);
  }
  const pb::EventRecord& e = **event;
  const EventSummary summary = Summarise(e);
  if (globals.json) {
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
    Out(w.EndObject().str() + "\n");
    return kExitOk;
  }
  const Lang lang = globals.language();
  std::string out = RenderPairs(
      {{L(lang, "发放活动", "event"), e.event_id() + "  " + e.title()},
       {L(lang, "日期", "on"), e.on()},
       {L(lang, "批准人", "approved by"), e.approved_by()},
       {L(lang, "案件数", "cases"), std::to_string(summary.cases)},
       {L(lang, "领款人数", "payees"), std::to_string(summary.payees)},
       {L(lang, "合计", "total"), FormatAmountGrouped(summary.total_fen)},
       {L(lang, "超期发放笔数", "paid overdue"), std::to_string(summary.overdue_items)}});
  TextTable table({L(lang, "案号", "case_no"), L(lang, "领款人", "payee"),
                   L(lang, "金额", "amount"), L(lang, "其中超期", "overdue part"),
                   L(lang, "超期起始日", "overdue since"), L(lang, "银行流水号", "bank_ref")},
                  {false, false, true, true, false, false});
  for (const auto& item : e.items()) {
    table.AddRow({item.case_no(),
                  item.payee() + (item.reversed() ? L(lang, "（已冲回）", " (reversed)") : ""),
                  FormatAmountGrouped(item.amount_fen()), FormatAmountGrouped(item.overdue_fen()),
                  item.has_overdue_since() ? item.overdue_since() : "-", item.bank_ref()});
  }
  Out(out + "\n" + table.Render());
  return kExitOk;
}

int RunEvents(const Globals& globals) {
  auto ledger = Ledger::OpenForRead(globals.db);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  const Lang lang = globals.language();
  json::Writer w;
  w.BeginArray();
  TextTable table({L(lang, "发放活动", "event_id"), L(lang, "日期", "on"), L(lang, "名称", "title"),
                   L(lang, "案件数", "cases"), L(lang, "领款人数", "payees"),
                   L(lang, "合计", "total"), L(lang, "超期发放笔数", "paid overdue")},
                  {false, false, false, true, true, true, true});
  Status status = (*ledger)->ForEachRecord(Table::kEvent, {}, [&](const std::string& bytes) {
    pb::EventRecord e;
    if (!e.ParseFromString(bytes)) return Status::Corruption("an event record does not parse");
    const EventSummary s = Summarise(e);
    if (globals.json) {
      w.BeginObject().Key("event_id").String(e.event_id()).Key("on").String(e.on());
      w.Key("title").String(e.title()).Key("cases").Int(static_cast<int64_t>(s.cases));
      w.Key("payees")
          .Int(static_cast<int64_t>(s.payees))
          .Key("total")
          .String(FormatAmount(s.total_fen));
      w.Key("paid_overdue_items").Int(static_cast<int64_t>(s.overdue_items)).EndObject();
    } else {
      table.AddRow({e.event_id(), e.on(), e.title(), std::to_string(s.cases),
                    std::to_string(s.payees), FormatAmountGrouped(s.total_fen),
                    std::to_string(s.overdue_items)});
    }
    return Status::Ok();
  });
  if (!status.ok()) return ReportError(status, globals.json);
  Out(globals.json ? w.EndArray().str() + "\n" : table.Render());
  return kExitOk;
}

int RunDistribution(const Globals& globals, const std::string& distribution_id) {
  auto ledger = Ledger::OpenForRead(globals.db);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto found =
      Load<pb::DistributionRecord>(ledger->get(), Table::kDistribution, distribution_id, {});
  if (!found.ok()) return ReportError(found.status(), globals.json);
  if (!*found) {
    return ReportError({Code::kUnknownReference, "no distribution " + distribution_id},
                       globals.json);
  }
  const pb::DistributionRecord& d = **found;
  const Fen left = Fen(d.amount_fen()) - Fen(d.costs_fen());
  if (globals.json) {
    json::Writer w;
    w.BeginObject()
        .Key("distribution_id")
        .String(d.distribution_id())
        .Key("case_no")
        .String(d.case_no());
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
          .OptionalString(s.share_fen() > 0
                              ? std::optional(d.distribution_id() + "/" + s.party_id())
                              : std::nullopt);
      w.Key("creditor").Bool(s.creditor()).EndObject();
    }
    Out(w.EndArray().EndObject().str() + "\n");
    return kExitOk;
  }
  const Lang lang = globals.language();
  std::string out = fmt::format("{}\n\n", L(lang, "参与分配方案", "Distribution plan"));
  out +=
      RenderPairs({{L(lang, "分配编号", "distribution"), d.distribution_id()},
                   {L(lang, "案号", "case"), d.case_no()},
                   {L(lang, "日期", "on"), d.on()},
                   {L(lang, "可供分配金额", "amount"), FormatAmountGrouped(d.amount_fen())},
                   {L(lang, "优先扣除执行费用", "costs first"), FormatAmountGrouped(d.costs_fen())},
                   {L(lang, "扣除费用后", "left for claims"), FormatAmountGrouped(left)},
                   {L(lang, "剩余退还被执行人", "surplus to the debtor"),
                    FormatAmountGrouped(d.surplus_fen())}});
  TextTable table(
      {L(lang, "债权人", "creditor"), L(lang, "顺位", "rank"), L(lang, "债权额", "claim"),
       L(lang, "分配额", "share"), L(lang, "受偿比例", "paid")},
      {false, true, true, true, true});
  for (const auto& s : d.shares()) {
    // The share of the claim paid, to four decimals, in exact integer arithmetic.
    std::string ratio = "-";
    if (s.claim_fen() > 0) {
      const Fen basis = DivideRoundHalfUp(Fen(s.share_fen()) * 10000, Fen(s.claim_fen()));
      ratio = fmt::format("{}.{:02}%", basis.convert_to<int64_t>() / 100,
                          basis.convert_to<int64_t>() % 100);
    }
    table.AddRow({s.party_id() + (s.has_name() ? " " + s.name() : ""), std::to_string(s.rank()),
                  FormatAmountGrouped(s.claim_fen()), FormatAmountGrouped(s.share_fen()), ratio});
  }
  out +=
      "\n" + table.Render() + "\n" +
      L(lang,
        "计算方法: 先扣执行费用；按顺位清偿，足额顺位全额受偿；首个不足顺位按债权比例分配（分配额 "
        "= 剩余金额 × 债权额 ÷ "
        "该顺位债权总额，取整到分），余分按小数部分从大到小各补一分，相同者先列者优先；其后顺位不受"
        "偿。\n",
        "Working: costs first; ranks in order, each paid in full while money lasts; the first rank "
        "that does not fit shares what is left pro rata (share = left × claim ÷ rank total, "
        "floored to the fen), the fen left over going one each to the largest remainders, ties to "
        "the earlier claim; later ranks get nothing.\n");
  Out(out);
  return kExitOk;
}

namespace {

// The record as it stood on `on`: listings and restrictions made after it left out, deletions
// and lifts after it undone. A party's record gathers entries of several cases, whose dates
// need not rise with the sequence (a case opened later may be dated earlier), so the version
// found for `on` can hold a later case's listing, whose case did not exist yet on `on`.
void KeepUpTo(pb::DefaulterRecord* record, Date on) {
  const std::string day = on.ToString();
  auto* listings = record->mutable_listings();
  for (int i = listings->size() - 1; i >= 0; --i) {
    pb::Listing& l = *listings->Mutable(i);
    if (l.listed_on() > day) {
      listings->DeleteSubrange(i, 1);
    } else if (l.has_deleted_on() && l.deleted_on() > day) {
      l.clear_deleted_on();
      l.clear_reason();
    }
  }
  auto* restrictions = record->mutable_restrictions();
  for (int i = restrictions->size() - 1; i >= 0; --i) {
    pb::Restriction& r = *restrictions->Mutable(i);
    if (r.since() > day) {
      restrictions->DeleteSubrange(i, 1);
    } else if (r.has_lifted_on() && r.lifted_on() > day) {
      r.clear_lifted_on();
      r.clear_reason();
    }
  }
}

// Each listing's case standing on the evaluation date, from its chain.
Status Standings(Ledger* ledger, const pb::DefaulterRecord& record, const PointInTime& point,
                 std::map<std::string, CaseStanding>* standing) {
  for (const auto& listing : record.listings()) {
    if (standing->contains(listing.case_no())) continue;
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord c, ledger->GetCase(listing.case_no(), point));
    CASELEDGER_ASSIGN_OR_RETURN(std::vector<pb::CaseRecord> chain, ledger->GetChain(c, point));
    (*standing)[listing.case_no()] = StandingOf(c, chain);
  }
  return Status::Ok();
}

void WriteListing(json::Writer& w, const ListingView& v) {
  const pb::Listing& l = v.listing;
  w.BeginObject().Key("case_no").String(l.case_no()).Key("ground").Int(l.ground());
  w.Key("listed_on").String(l.listed_on());
  w.Key("expires_on")
      .OptionalString(l.has_expires_on() ? std::optional(l.expires_on()) : std::nullopt);
  w.Key("deletion_due_on")
      .OptionalString(v.deletion_due_on ? std::optional(v.deletion_due_on->ToString())
                                        : std::nullopt);
  w.Key("deletion_cause").OptionalString(v.cause.empty() ? std::nullopt : std::optional(v.cause));
  w.Key("deleted_on")
      .OptionalString(l.has_deleted_on() ? std::optional(l.deleted_on()) : std::nullopt);
  w.Key("reason").OptionalString(l.has_reason() ? std::optional(std::string(WireName(l.reason())))
                                                : std::nullopt);
  w.EndObject();
}

}  // namespace

int RunDefaulter(const Globals& globals, const std::string& party_id, const std::string& on_text) {
  auto on_flag = DateFlag(on_text, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto ledger = Ledger::OpenForRead(globals.db);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> today = Today();
  if (!today.ok()) return ReportError(today.status(), globals.json);
  const Date on = on_flag->value_or(*today);
  const PointInTime point{std::nullopt, on};
  auto found = Load<pb::DefaulterRecord>(ledger->get(), Table::kDefaulter, party_id, point);
  if (!found.ok()) return ReportError(found.status(), globals.json);
  pb::DefaulterRecord record;
  if (*found) record = **found;
  record.set_party_id(party_id);
  KeepUpTo(&record, on);
  std::map<std::string, CaseStanding> standing;
  Status status = Standings(ledger->get(), record, point, &standing);
  if (!status.ok()) return ReportError(status, globals.json);
  auto rules = (*ledger)->GetRules(point);
  if (!rules.ok()) return ReportError(rules.status(), globals.json);
  const DefaulterView view =
      EvaluateDefaulter(record, on, RulesFromRecord(*rules).calendar, standing);
  if (globals.json) {
    json::Writer w;
    w.BeginObject()
        .Key("party_id")
        .String(party_id)
        .Key("name")
        .OptionalString(record.name().empty() ? std::nullopt : std::optional(record.name()));
    w.Key("on")
        .String(on.ToString())
        .Key("listed")
        .Bool(view.listed)
        .Key("restricted")
        .Bool(view.restricted);
    w.Key("listings").BeginArray();
    for (const auto& listing : view.listings) WriteListing(w, listing);
    w.EndArray().Key("restrictions").BeginArray();
    for (const auto& r : record.restrictions()) {
      w.BeginObject().Key("case_no").String(r.case_no()).Key("since").String(r.since());
      w.Key("lifted_on")
          .OptionalString(r.has_lifted_on() ? std::optional(r.lifted_on()) : std::nullopt);
      w.Key("reason")
          .OptionalString(r.has_reason() ? std::optional(r.reason()) : std::nullopt)
          .EndObject();
    }
    Out(w.EndArray().EndObject().str() + "\n");
    return kExitOk;
  }
  const Lang lang = globals.language();
  auto yes_no = [&](bool b) { return b ? L(lang, "是", "yes") : L(lang, "否", "no"); };
  std::string out = RenderPairs(
      {{L(lang, "当事人", "party"), party_id + (record.name().empty() ? "" : " " + record.name())},
       {L(lang, "查询日期", "on"), on.ToString()},
       {L(lang, "失信被执行人", "listed"), yes_no(view.listed)},
       {L(lang, "限制消费", "restricted"), yes_no(view.restricted)}});
  TextTable listings({L(lang, "案号", "case_no"), L(lang, "情形", "ground"),
                      L(lang, "纳入日期", "listed_on"), L(lang, "期限届满", "expires_on"),
                      L(lang, "应删除日期", "deletion due"), L(lang, "删除日期", "deleted_on"),
                      L(lang, "删除事由", "reason")});
  for (const auto& v : view.listings) {
    const pb::Listing& l = v.listing;
    listings.AddRow({l.case_no(), std::to_string(l.ground()), l.listed_on(),
                     l.has_expires_on() ? l.expires_on() : "-",
                     v.deletion_due_on ? v.deletion_due_on->ToString() + " (" + v.cause + ")" : "-",
                     l.has_deleted_on() ? l.deleted_on() : "-",
                     l.has_reason() ? std::string(WireName(l.reason())) : "-"});
  }
  TextTable restrictions({L(lang, "案号", "case_no"), L(lang, "限制消费自", "since"),
                          L(lang, "解除日期", "lifted_on"), L(lang, "解除事由", "reason")});
  for (const auto& r : record.restrictions()) {
    restrictions.AddRow({r.case_no(), r.since(), r.has_lifted_on() ? r.lifted_on() : "-",
                         r.has_reason() ? r.reason() : "-"});
  }
  Out(out + "\n" + listings.Render() + "\n" + restrictions.Render());
  return kExitOk;
}

int RunDefaulters(const Globals& globals, const std::string& on_text) {
  auto on_flag = DateFlag(on_text, "--on");
  if (!on_flag.ok()) return Usage(on_flag.status().message());
  auto ledger = Ledger::OpenForRead(globals.db);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  Result<Date> today = Today();
  if (!today.ok()) return ReportError(today.status(), globals.json);
  const Date on = on_flag->value_or(*today);
  const PointInTime point{std::nullopt, on};
  auto rules = (*ledger)->GetRules(point);
  if (!rules.ok()) return ReportError(rules.status(), globals.json);
  const Calendar calendar = RulesFromRecord(*rules).calendar;
  const Lang lang = globals.language();
  json::Writer w;
  w.BeginArray();
  TextTable table({L(lang, "当事人", "party_id"), L(lang, "名称", "name"),
                   L(lang, "案号", "case_no"), L(lang, "情形", "ground"),
                   L(lang, "纳入日期", "listed_on"), L(lang, "期限届满", "expires_on"),
                   L(lang, "应删除日期", "deletion due")});
  Status status = (*ledger)->ForEachRecord(Table::kDefaulter, point, [&](const std::string& bytes) {
    pb::DefaulterRecord record;
    if (!record.ParseFromString(bytes))
      return Status::Corruption("a defaulter record does not parse");
    KeepUpTo(&record, on);
    std::map<std::string, CaseStanding> standing;
    CASELEDGER_RETURN_IF_ERROR(Standings(ledger->get(), record, point, &standing));
    const DefaulterView view = EvaluateDefaulter(record, on, calendar, standing);
    for (const auto& v : view.listings) {
      if (v.listing.has_deleted_on()) continue;  // a deleted listing is no longer public
      if (globals.json) {
        w.BeginObject().Key("party_id").String(record.party_id()).Key("name").String(record.name());
        w.Key("listing");
        WriteListing(w, v);
        w.EndObject();
      } else {
        table.AddRow({record.party_id(), record.name(), v.listing.case_no(),
                      std::to_string(v.listing.ground()), v.listing.listed_on(),
                      v.listing.has_expires_on() ? v.listing.expires_on() : "-",
                      v.deletion_due_on ? v.deletion_due_on->ToString() : "-"});
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return ReportError(status, globals.json);
  Out(globals.json
          ? w.EndArray().str() + "\n"
          : table.Render() + fmt::format("{} {}\n", table.rows(), L(lang, "条", "listings")));
  return kExitOk;
}

}  // namespace caseledger::cli
