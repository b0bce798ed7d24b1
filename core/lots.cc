#include "core/lots.h"

#include <algorithm>
#include <string>

#include "core/check.h"

namespace caseledger {
namespace {

Fen AsFen(int64_t fen) { return Fen(fen); }

int64_t AsInt64(const Fen& fen) {
  // Lot amounts are bounded by the case balance, itself checked on every entry.
  return fen.convert_to<int64_t>();
}

pb::Lot* FindLot(pb::CaseRecord* record, uint64_t lot_id) {
  for (auto& lot : *record->mutable_lots()) {
    if (lot.lot_id() == lot_id) return &lot;
  }
  return nullptr;
}

bool Older(const pb::Lot& a, const pb::Lot& b) {
  if (a.date() != b.date()) return a.date() < b.date();  // YYYY-MM-DD sorts as text
  return a.lot_id() < b.lot_id();
}

void SortLots(pb::CaseRecord* record) {
  auto* lots = record->mutable_lots();
  std::stable_sort(lots->begin(), lots->end(), Older);
}

// The lot a stored part names, holding at least the part in `held` (its reserved or held money).
Result<pb::Lot*> LotOfPart(pb::CaseRecord* record, const pb::LotPart& part,
                           int64_t (pb::Lot::*held)() const, const char* what) {
  CASELEDGER_CHECK(part.amount_fen() >= 0, "case " + record->case_no() + ": a stored part of lot " +
                                               std::to_string(part.lot_id()) + " is negative");
  pb::Lot* lot = FindLot(record, part.lot_id());
  CASELEDGER_CHECK(lot != nullptr, "case " + record->case_no() + ": lot " +
                                       std::to_string(part.lot_id()) +
                                       " named by a stored part is missing");
  CASELEDGER_CHECK((lot->*held)() >= part.amount_fen(),
                   "case " + record->case_no() + ": lot " + std::to_string(part.lot_id()) +
                       " holds " + std::to_string((lot->*held)()) + " fen " + what +
                       ", less than " + std::to_string(part.amount_fen()) +
                       " named by a stored part");
  return lot;
}

}  // namespace

LotTotals SumLots(const pb::CaseRecord& record) {
  LotTotals totals;
  for (const auto& lot : record.lots()) {
    totals.free_fen += AsFen(lot.free_fen());
    totals.reserved_fen += AsFen(lot.reserved_fen());
    totals.held_fen += AsFen(lot.held_fen());
  }
  return totals;
}

void AddLot(pb::CaseRecord* record, Date date, Date deadline, const Fen& amount_fen,
            uint64_t origin_seq) {
  pb::Lot* lot = record->add_lots();
  lot->set_lot_id(record->next_lot_id());
  record->set_next_lot_id(record->next_lot_id() + 1);
  lot->set_date(date.ToString());
  lot->set_deadline(deadline.ToString());
  lot->set_free_fen(AsInt64(amount_fen));
  lot->set_origin_seq(origin_seq);
  SortLots(record);
}

Result<std::vector<pb::LotPart>> TakeOldestFree(pb::CaseRecord* record, const Fen& amount_fen,
                                                TakeAs as) {
  std::vector<pb::LotPart> parts;
  Fen left = amount_fen;
  for (auto& lot : *record->mutable_lots()) {
    if (left == 0) break;
    const Fen free = AsFen(lot.free_fen());
    CASELEDGER_CHECK(free >= 0, "case " + record->case_no() + ": lot " +
                                    std::to_string(lot.lot_id()) + " holds negative free money");
    if (free == 0) continue;
    const Fen take = std::min(free, left);
    lot.set_free_fen(AsInt64(free - take));
    if (as == TakeAs::kReserved) lot.set_reserved_fen(AsInt64(AsFen(lot.reserved_fen()) + take));
    if (as == TakeAs::kHeld) lot.set_held_fen(AsInt64(AsFen(lot.held_fen()) + take));
    pb::LotPart part;
    part.set_lot_id(lot.lot_id());
    part.set_amount_fen(AsInt64(take));
    parts.push_back(part);
    left -= take;
  }
  // The caller checked that the lots' free money covers the amount (SumLots).
  CASELEDGER_CHECK(left == 0, "case " + record->case_no() +
                                  ": the lots' free money does not "
                                  "cover what their total said it would");
  return parts;
}

Status ConsumeReserved(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts) {
  for (const auto& part : parts) {
    CASELEDGER_ASSIGN_OR_RETURN(pb::Lot * lot,
                                LotOfPart(record, part, &pb::Lot::reserved_fen, "reserved"));
    lot->set_reserved_fen(lot->reserved_fen() - part.amount_fen());
  }
  return Status::Ok();
}

Status FreeReserved(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts) {
  for (const auto& part : parts) {
    CASELEDGER_ASSIGN_OR_RETURN(pb::Lot * lot,
                                LotOfPart(record, part, &pb::Lot::reserved_fen, "reserved"));
    lot->set_reserved_fen(lot->reserved_fen() - part.amount_fen());
    lot->set_free_fen(lot->free_fen() + part.amount_fen());
  }
  return Status::Ok();
}

Status ReleaseHeld(pb::CaseRecord* record, const std::vector<pb::LotPart>& parts,
                   Date earliest_deadline) {
  const std::string floor = earliest_deadline.ToString();
  for (const auto& part : parts) {
    CASELEDGER_ASSIGN_OR_RETURN(pb::Lot * lot, LotOfPart(record, part, &pb::Lot::held_fen, "held"));
    lot->set_held_fen(lot->held_fen() - part.amount_fen());
    if (lot->deadline() >= floor) {
      lot->set_free_fen(lot->free_fen() + part.amount_fen());
      continue;
    }
    // The freed part gets a later deadline than the rest of its lot: split it off,
    // keeping the lot's date so that it stays as old as it was.
    pb::Lot freed = *lot;
    freed.set_lot_id(record->next_lot_id());
    record->set_next_lot_id(record->next_lot_id() + 1);
    freed.set_deadline(floor);
    freed.set_free_fen(part.amount_fen());
    freed.set_reserved_fen(0);
    freed.set_held_fen(0);
    *record->add_lots() = freed;
  }
  SortLots(record);
  return Status::Ok();
}

bool RemoveForReversal(pb::CaseRecord* record, uint64_t origin_seq, const Fen& amount_fen) {
  Fen free_total = 0;
  for (const auto& lot : record->lots()) free_total += AsFen(lot.free_fen());
  if (free_total < amount_fen) return false;
  Fen left = amount_fen;
  auto* lots = record->mutable_lots();
  for (auto& lot : *lots) {
    if (lot.origin_seq() != origin_seq || left == 0) continue;
    const Fen take = std::min(AsFen(lot.free_fen()), left);
    lot.set_free_fen(AsInt64(AsFen(lot.free_fen()) - take));
    left -= take;
  }
  for (auto it = lots->rbegin(); it != lots->rend() && left > 0; ++it) {
    const Fen take = std::min(AsFen(it->free_fen()), left);
    it->set_free_fen(AsInt64(AsFen(it->free_fen()) - take));
    left -= take;
  }
  return true;
}

void PruneEmptyLots(pb::CaseRecord* record) {
  auto* lots = record->mutable_lots();
  lots->erase(std::remove_if(lots->begin(), lots->end(),
                             [](const pb::Lot& lot) {
                               return lot.free_fen() == 0 && lot.reserved_fen() == 0 &&
                                      lot.held_fen() == 0;
                             }),
              lots->end());
}

}  // namespace caseledger
