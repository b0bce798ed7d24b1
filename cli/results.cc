#include "cli/results.h"

#include "core/json.h"
#include "core/money.h"

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
  return w.EndObject().str();
}

}  // namespace caseledger::cli
