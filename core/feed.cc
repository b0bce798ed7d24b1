#include "core/feed.h"

namespace caseledger {

std::string_view FeedKind(pb::Operation op) {
  switch (op) {
    case pb::OPERATION_LIST_DEFAULTER:
      return "listed";
    case pb::OPERATION_DELIST_DEFAULTER:
      return "deleted";
    case pb::OPERATION_RESTRICT_CONSUMPTION:
      return "restricted";
    case pb::OPERATION_LIFT_RESTRICTION:
      return "lifted";
    default:
      return "";
  }
}

std::optional<FeedEvent> FeedEventOf(uint64_t seq, const pb::Command& command) {
  FeedEvent event;
  event.seq = seq;
  event.on = command.on();
  if (command.has_list_defaulter()) {
    event.op = pb::OPERATION_LIST_DEFAULTER;
    event.party_id = command.list_defaulter().party_id();
    event.case_no = command.list_defaulter().case_no();
    event.ground = command.list_defaulter().ground();
  } else if (command.has_restrict_consumption()) {
    event.op = pb::OPERATION_RESTRICT_CONSUMPTION;
    event.party_id = command.restrict_consumption().party_id();
    event.case_no = command.restrict_consumption().case_no();
  } else if (command.has_delist_defaulter() || command.has_lift_restriction()) {
    const bool deleted = command.has_delist_defaulter();
    const pb::DelistDefaulter& body =
        deleted ? command.delist_defaulter() : command.lift_restriction();
    event.op = deleted ? pb::OPERATION_DELIST_DEFAULTER : pb::OPERATION_LIFT_RESTRICTION;
    event.party_id = body.party_id();
    event.case_no = body.case_no();
    event.reason = body.reason();
  } else {
    return std::nullopt;
  }
  return event;
}

void NameParty(const pb::CaseRecord& record, FeedEvent* event) {
  event->case_no = record.case_no();  // normalised, as stored
  event->court = record.court();
  for (const auto& debtor : record.debtors()) {
    if (debtor.party_id() != event->party_id) continue;
    event->name = debtor.name();
    if (debtor.has_id_type()) event->id_type = debtor.id_type();
    if (debtor.has_id_number()) event->id_number = debtor.id_number();
  }
}

}  // namespace caseledger
