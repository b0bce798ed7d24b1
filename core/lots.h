// Money lots of a case (SPEC §7): free, reserved or held, each with its payout deadline.
#ifndef CASELEDGER_CORE_LOTS_H_
#define CASELEDGER_CORE_LOTS_H_

#include <vector>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace caseledger {

struct LotTotals {
  Fen free_fen = 0;
  Fen reserved_fen = 0;
  Fen held_fen = 0;
  Fen balance_fen() const { return free_fen + reserved_fen + held_fen; }
};
LotTotals SumLots(const pb::CaseRecord& record);

// A new lot of free money. Lots stay sorted by (date, lot_id): oldest first.
void AddLot(pb::CaseRecord* record, Date date, Date deadline, const Fen& amount_fen,
            uint64_t origin_seq);

// The lots are read from disk: a lot missing, or holding less than a stored part of it names,
// is CORRUPTION (core/check.h), in every build.
enum class TakeAs { kConsumed, kReserved, kHeld };
// Takes `amount_fen` of the oldest free money. The caller has checked that enough is free
// (SumLots): lots that then do not cover it (a negative amount) are CORRUPTION.
Result<std::vector<pb::LotPart>> TakeOldestFree(pb::CaseRecord* record, const Fen& amount_fen,
                                                TakeAs as);
// A confirmation pays out what a request reserved.
[[nodiscard]] Status ConsumeReserved(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts);
// A failed request frees its reservation, the money keeping its deadlines.
[[nodiscard]] Status FreeReserved(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts);
// release_hold on day R: the freed money's deadline becomes max(deadline, earliest_deadline).
[[nodiscard]] Status ReleaseHeld(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts,
                                 Date earliest_deadline);
// A reversed receipt or claim: the free part of its own lot first, then the newest free
// money, never held or reserved money. Returns false (and changes nothing) when the free
// money does not cover it.
bool RemoveForReversal(pb::CaseRecord* record, uint64_t origin_seq, const Fen& amount_fen);
// Drops lots with no money left.
void PruneEmptyLots(pb::CaseRecord* record);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_LOTS_H_
