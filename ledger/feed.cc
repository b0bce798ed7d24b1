// The defaulter feed (ledger/reading.h ReadDefaulterFeed): the entries after a cursor, each
// listing, deletion, restriction or lifting with its party as its case named it then.
#include "core/feed.h"

#include <fmt/core.h>

#include "core/identifiers.h"
#include "ledger/reading.h"

namespace caseledger {

Result<DefaulterFeed> ReadDefaulterFeed(Ledger* ledger, uint64_t after_seq) {
  const uint64_t head = ledger->head_seq();
  if (after_seq > head) {
    return Status::UnknownReference(
        fmt::format("the ledger has {} entries, not {}", head, after_seq));
  }
  DefaulterFeed feed;
  feed.cursor = head;
  if (after_seq == head) return feed;
  CASELEDGER_RETURN_IF_ERROR(
      ledger->ForEachEntry(after_seq + 1, head, [&](const StoredEntry& stored) -> Status {
        std::optional<FeedEvent> event = FeedEventOf(stored.seq, stored.entry.command());
        if (!event) return Status::Ok();
        CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number,
                                    ParseCaseNumber(event->case_no, "stored case_no"));
        // The case as of the entry: the same cursor gives the same lines whatever follows.
        CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord record,
                                    ledger->GetCase(number.text, PointInTime{stored.seq, {}}));
        NameParty(record, &*event);
        feed.events.push_back(std::move(*event));
        return Status::Ok();
      }));
  return feed;
}

}  // namespace caseledger
