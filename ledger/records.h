// What the read layer (ledger/reading.cc, ledger/reports.cc, ledger/reconciling.cc) shares,
// internal to ledger/: typed state records over Ledger's public API, the stored bytes that
// GetRecord and ForEachRecord hand out decoded by the codec (ledger/codec.h); and the standing of
// a party's listing cases.
#ifndef CASELEDGER_LEDGER_RECORDS_H_
#define CASELEDGER_LEDGER_RECORDS_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/defaulters.h"
#include "core/status.h"
#include "core/transaction.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"

namespace caseledger::records {

// The record `id` of a table at that point, nullopt when there is none.
template <typename M>
Result<std::optional<M>> Load(Ledger* ledger, Table table, const std::string& id,
                              const PointInTime& point) {
  CASELEDGER_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                              ledger->GetRecord(table, id, point));
  if (!bytes) return std::optional<M>();
  M message;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(*bytes, &message));
  return std::optional<M>(std::move(message));
}

// Every record of a table at that point, in id order, stopping at visit's first failure.
template <typename M>
Status ForEach(Ledger* ledger, Table table, const PointInTime& point,
               const std::function<Status(const M&)>& visit) {
  return ledger->ForEachRecord(table, point, [&](const std::string& bytes) {
    M message;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(bytes, &message));
    return visit(message);
  });
}

// Each listing's case standing on `on` (the case and its restoration chain as of `on`), added
// to *standing for the cases not in it yet (ledger/reading.cc).
Status ListingStandings(Ledger* ledger, const pb::DefaulterRecord& record, Date on,
                        std::map<std::string, CaseStanding>* standing);

}  // namespace caseledger::records

#endif  // CASELEDGER_LEDGER_RECORDS_H_
