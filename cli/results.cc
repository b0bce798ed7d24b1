#include "cli/results.h"

#include "core/json.h"
#include "core/money.h"
#include "core/names.h"

namespace caseledger::cli {

std::string ResultJson(const CommandResult& result) {
  json::Writer w;
  w.BeginObject().Key("ok").Bool(result.status.ok());
  if (result.status.ok()) w.Key("seq").Int(static_cast<int64_t>(result.seq));
  w.Key("request_id").OptionalString(result.request_id);
  if (!result.status.ok()) {
    w.Key("error").BeginObject().Key("code").String(CodeName(result.status.code()));
    w.Key("message").String(result.status.message()).EndObject();
    return w.EndObject().str();
  }
  w.Key("created").Bool(result.created);
  if (result.outcome.has_account_no()) w.Key("account_no").String(result.outcome.account_no());
  if (result.outcome.has_amount_fen()) {
    w.Key("amount").String(FormatAmount(result.outcome.amount_fen()));
  }
  if (result.outcome.has_surplus_fen()) {  // distribute
    w.Key("disbursement_ids").BeginArray();
    for (const auto& id : result.outcome.disbursement_ids()) w.String(id);
    w.EndArray().Key("shares").BeginArray();
    for (const auto& share : result.outcome.shares()) {
      w.BeginObject().Key("party_id").String(share.party_id());
      w.Key("share").String(FormatAmount(share.share_fen())).EndObject();
    }
    w.EndArray().Key("surplus").String(FormatAmount(result.outcome.surplus_fen()));
  }
  if (result.outcome.has_pending_approval()) {  // SPEC §9: the request waits for steps
    const pb::PendingApproval& pending = result.outcome.pending_approval();
    w.Key("pending_approval").BeginObject();
    w.Key("next_role").String(WireName(pending.next_role()));
    w.Key("steps_done").Int(pending.steps_done()).Key("steps").Int(pending.steps()).EndObject();
  }
  return w.EndObject().str();
}

}  // namespace caseledger::cli
