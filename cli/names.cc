// `names --json`: every named state and kind of core/names.h with its Chinese and English label,
// so that a program showing the ledger's JSON (the console) labels values as the tables do.
#include "core/names.h"

#include "cli/commands.h"
#include "cli/report_labels.h"
#include "core/json.h"

namespace caseledger::cli {
namespace {

template <typename E>
void WriteNames(json::Writer& w, const char* kind) {
  w.Key(kind).BeginObject();
  for (const std::string& wire : AllWireNames<E>()) {
    const E value = *FromWireName<E>(wire);
    w.Key(wire).BeginObject().Key("zh").String(ChineseLabel(value));
    w.Key("en").String(EnglishLabel(value)).EndObject();
  }
  w.EndObject();
}

}  // namespace

int RunNames(const Globals& globals) {
  if (!globals.json) return Usage("names prints JSON only: caseledger names --json");
  json::Writer w;
  w.BeginObject();
  WriteNames<pb::CaseStatus>(w, "case_status");
  WriteNames<pb::ClosureMode>(w, "closure_mode");
  WriteNames<pb::CaseType>(w, "case_type");
  WriteNames<pb::PartyKind>(w, "party_kind");
  WriteNames<pb::IdType>(w, "id_type");
  WriteNames<pb::HoldGround>(w, "hold_ground");
  WriteNames<pb::DisbursementStatus>(w, "disbursement_status");
  WriteNames<pb::ReceiptSource>(w, "receipt_source");
  WriteNames<pb::Operation>(w, "operation");
  WriteNames<pb::Role>(w, "role");
  w.Key("direction").BeginObject();  // money in or out of the special account, as the tables say
  for (const Direction direction : {Direction::kIn, Direction::kOut}) {
    w.Key(DirectionName(direction))
        .BeginObject()
        .Key("zh")
        .String(DirectionLabel(Lang::kZh, direction));
    w.Key("en").String(DirectionLabel(Lang::kEn, direction)).EndObject();
  }
  w.EndObject().Key("matched_by").BeginObject();  // reconcile's ways of matching a line
  for (const MatchedBy by :
       {MatchedBy::kBankRef, MatchedBy::kVirtualAccount, MatchedBy::kBatchRef}) {
    w.Key(MatchedByName(by)).BeginObject().Key("zh").String(MatchedByLabel(Lang::kZh, by));
    w.Key("en").String(MatchedByLabel(Lang::kEn, by)).EndObject();
  }
  w.EndObject();
  w.Key("account").BeginObject();  // the cashbook's kinds of account (cli/cashbook.cc)
  for (const auto& [key, zh] : AccountLabels()) {
    w.Key(key).BeginObject().Key("zh").String(zh).Key("en").String(key).EndObject();
  }
  w.EndObject();
  Out(w.EndObject().str() + "\n");
  return kExitOk;
}

}  // namespace caseledger::cli
