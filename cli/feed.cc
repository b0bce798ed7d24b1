// caseledger feed defaulters --after-seq N [--json] (SPEC §3): the daily feed to the credit
// platforms, read through ledger/reading.h's ReadDefaulterFeed. With --json, one JSON line per
// event and a last line with the cursor; ID numbers are printed here and nowhere else but
// `case --json` and exports. The table for people leaves them out.
#include <fmt/core.h>

#include "cli/commands.h"
#include "core/json.h"
#include "ledger/ledger.h"
#include "ledger/reading.h"

namespace caseledger::cli {
namespace {

std::string EventJson(const FeedEvent& e) {
  json::Writer w;
  w.BeginObject().Key("seq").Int(static_cast<int64_t>(e.seq)).Key("on").String(e.on);
  w.Key("kind").String(FeedKind(e.op)).Key("party_id").String(e.party_id);
  w.Key("name").String(e.name);
  w.Key("id_type").OptionalString(
      Opt(e.id_type.has_value(), e.id_type ? WireName(*e.id_type) : ""));
  w.Key("id_number").OptionalString(e.id_number);
  w.Key("case_no").String(e.case_no).Key("court").String(e.court).Key("ground");
  if (e.ground) {
    w.Int(*e.ground);
  } else {
    w.Null();
  }
  w.Key("reason").OptionalString(Opt(!e.reason.empty(), e.reason));
  return w.EndObject().str() + "\n";
}

std::string FeedJson(const DefaulterFeed& feed) {
  std::string out;
  for (const FeedEvent& event : feed.events) out += EventJson(event);
  json::Writer w;
  w.BeginObject().Key("cursor").Int(static_cast<int64_t>(feed.cursor));
  return out + w.EndObject().str() + "\n";
}

// A deletion's reason is a wire name (RULES §5); a lifting's is free text, shown as given.
std::string ReasonLabel(Lang lang, const FeedEvent& e) {
  if (e.op != pb::OPERATION_DELIST_DEFAULTER) return e.reason;
  const std::optional<pb::DeletionReason> reason = FromWireName<pb::DeletionReason>(e.reason);
  return reason ? Label(lang, *reason) : e.reason;
}

std::string FeedText(const DefaulterFeed& feed, Lang lang) {
  TextTable table({L(lang, "序号", "seq"), L(lang, "日期", "on"), L(lang, "类别", "kind"),
                   L(lang, "被执行人", "party"), L(lang, "案号", "case"),
                   L(lang, "失信情形", "ground"), L(lang, "原因", "reason")},
                  {true, false, false, false, false, false, false});
  for (const FeedEvent& e : feed.events) {
    table.AddRow({std::to_string(e.seq), e.on, Label(lang, e.op), e.name, e.case_no,
                  e.ground ? GroundText(lang, *e.ground) : "", ReasonLabel(lang, e)});
  }
  return table.Render() +
         fmt::format("\n{} {}\n", L(lang, "下次推送起点（--after-seq）", "cursor"), feed.cursor);
}

}  // namespace

int RunFeedDefaulters(const Globals& globals, uint64_t after_seq) {
  auto ledger = OpenReading(globals);
  if (!ledger.ok()) return ReportError(ledger.status(), globals.json);
  auto feed = ReadDefaulterFeed(ledger->get(), after_seq);
  if (!feed.ok()) return ReportError(feed.status(), globals.json);
  Out(globals.json ? FeedJson(*feed) : FeedText(*feed, globals.language()));
  return kExitOk;
}

}  // namespace caseledger::cli
