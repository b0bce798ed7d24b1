// The daily feed to the credit platforms (SPEC §3 feed defaulters): each listing, deletion,
// consumption restriction and lifting an entry recorded, with the party as the case names it.
// Pure: ledger/feed.cc reads the entries and the cases.
#ifndef CASELEDGER_CORE_FEED_H_
#define CASELEDGER_CORE_FEED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "caseledger.pb.h"

namespace caseledger {

struct FeedEvent {
  uint64_t seq = 0;
  std::string on;
  pb::Operation op = pb::OPERATION_UNSPECIFIED;  // list_defaulter, delist_defaulter, ...
  std::string party_id;
  std::string case_no;
  std::optional<int32_t> ground;  // listings
  std::string reason;             // deletions (a deletion reason's wire name) and liftings
  // The party as its case names it (a debtor): personal data, printed only by the feed.
  std::string name;
  std::optional<pb::IdType> id_type;
  std::optional<std::string> id_number;
  std::string court;
};

// The feed's word for the event's kind: listed, deleted, restricted, lifted.
std::string_view FeedKind(pb::Operation op);

// The event an entry recorded, if it is one of the four; the party's fields are left to
// NameParty.
std::optional<FeedEvent> FeedEventOf(uint64_t seq, const pb::Command& command);
// Fills the party's name, id and the court from its case as of the entry.
void NameParty(const pb::CaseRecord& record, FeedEvent* event);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_FEED_H_
