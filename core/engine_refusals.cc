// refusal (SPEC §9): caseledgerd's record of the commands it refused, coalesced per operator,
// operation and error code over 60 s. Only the server records one (Origin kServer); it moves no
// money and changes no state: the entry is the record, read by `report refusals`.
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

// YYYY-MM-DDTHH:MM:SS+08:00, a valid date and time of the court's clock.
Status CheckTime(const std::string& text, const std::string& path) {
  const bool shaped = text.size() == 25 && text[10] == 'T' && text[13] == ':' && text[16] == ':' &&
                      text.ends_with("+08:00");
  if (shaped) {
    const Result<Date> date = Date::Parse(text.substr(0, 10), path);
    const int hour = std::atoi(text.substr(11, 2).c_str());
    const int minute = std::atoi(text.substr(14, 2).c_str());
    const int second = std::atoi(text.substr(17, 2).c_str());
    bool digits = true;
    for (size_t i : {11, 12, 14, 15, 17, 18}) digits = digits && std::isdigit(text[i]) != 0;
    if (date.ok() && digits && hour < 24 && minute < 60 && second < 60) return Status::Ok();
  }
  return Status::InvalidArgument(path + ": expected YYYY-MM-DDTHH:MM:SS+08:00, got " + text);
}

bool IsCodeName(const std::string& text) {
  for (int code = 0; code <= static_cast<int>(Code::kNotLeader); ++code) {
    if (CodeName(static_cast<Code>(code)) == text) return true;
  }
  return false;
}

}  // namespace

Status RefusalOp(Op* op) {
  if (op->context().origin.kind != Origin::Kind::kServer) {
    return {Code::kNotPermitted,
            "refusal entries are recorded by caseledgerd itself, never sent as a command"};
  }
  const pb::Refusal& refusal = op->command().refusal();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(refusal.operator_(), "refusal.operator", IdKind::kOperator));
  if (refusal.op() != "-") {
    CASELEDGER_RETURN_IF_ERROR(ParseName<pb::Operation>(refusal.op(), "refusal.op").status());
  }
  if (!IsCodeName(refusal.code()) || refusal.code() == "OK") {
    return Status::InvalidArgument("refusal.code: not an error code: " + refusal.code());
  }
  if (refusal.count() < 1) return Status::InvalidArgument("refusal.count: at least 1");
  CASELEDGER_RETURN_IF_ERROR(CheckTime(refusal.first_at(), "refusal.first_at"));
  CASELEDGER_RETURN_IF_ERROR(CheckTime(refusal.last_at(), "refusal.last_at"));
  if (refusal.last_at() < refusal.first_at()) {
    return Status::InvalidArgument("refusal.last_at is before refusal.first_at");
  }
  return Status::Ok();  // the entry itself is the record
}

}  // namespace caseledger::engine
