#include "core/defaulters.h"

#include <algorithm>
#include <set>

#include "core/names.h"

namespace caseledger {
namespace {

std::optional<Date> OptionalDate(bool has, const std::string& text) {
  if (!has) return std::nullopt;
  Result<Date> date = Date::Parse(text, "stored date");
  return date.ok() ? std::optional<Date>(*date) : std::nullopt;
}

// Closures that end the duty to stay listed (SPEC §7): not a 终本 closure.
bool DeletesListings(pb::ClosureMode mode) {
  return mode == pb::CLOSURE_MODE_FULLY_PERFORMED || mode == pb::CLOSURE_MODE_TERMINATED ||
         mode == pb::CLOSURE_MODE_REFUSED || mode == pb::CLOSURE_MODE_WITHDRAWN ||
         mode == pb::CLOSURE_MODE_REJECTED;
}

}  // namespace

CaseStanding StandingOf(const pb::CaseRecord& record, const std::vector<pb::CaseRecord>& chain) {
  CaseStanding standing;
  // The chain member touched last carries the chain's current paid-off state.
  const pb::CaseRecord* latest = &record;
  for (const auto& member : chain) {
    if (member.last_seq() > latest->last_seq()) latest = &member;
  }
  standing.paid_off_on = OptionalDate(latest->has_paid_off_on(), latest->paid_off_on());
  standing.closed_on = OptionalDate(record.has_closed_on(), record.closed_on());
  if (record.has_mode()) standing.mode = record.mode();
  return standing;
}

DefaulterView EvaluateDefaulter(const pb::DefaulterRecord& record, Date on,
                                const Calendar& calendar,
                                const std::map<std::string, CaseStanding>& standing) {
  DefaulterView view;
  for (const auto& restriction : record.restrictions()) {
    if (!restriction.has_lifted_on()) view.restricted = true;
  }
  for (const auto& listing : record.listings()) {
    ListingView item;
    item.listing = listing;
    if (!listing.has_deleted_on()) view.listed = true;
    const Date listed_on = *OptionalDate(true, listing.listed_on());
    struct Cause {
      Date on;
      DeletionCause cause;
      std::optional<pb::ClosureMode> mode;
    };
    std::vector<Cause> causes;
    auto it = standing.find(listing.case_no());
    if (it != standing.end()) {
      if (it->second.paid_off_on) {
        causes.push_back({std::max(*it->second.paid_off_on, listed_on), DeletionCause::kPerformed,
                          std::nullopt});
      }
      const std::optional<pb::ClosureMode> mode = it->second.mode;
      if (it->second.closed_on && mode && DeletesListings(*mode)) {
        causes.push_back(
            {std::max(*it->second.closed_on, listed_on), DeletionCause::kClosed, mode});
      }
    }
    if (auto expires = OptionalDate(listing.has_expires_on(), listing.expires_on())) {
      causes.push_back({*expires, DeletionCause::kExpired, std::nullopt});
    }
    for (const Cause& cause : causes) {
      if (cause.on > on) continue;
      if (!item.cause_on || cause.on < *item.cause_on) {
        item.cause_on = cause.on;
        item.cause = cause.cause;
        item.mode = cause.mode;
      }
    }
    // RULES §5: deleted within three working days of the cause.
    if (item.cause_on) item.deletion_due_on = calendar.AddWorkingDays(*item.cause_on, 3);
    view.listings.push_back(item);
  }
  return view;
}

std::string CauseWire(const ListingView& view) {
  if (!view.cause) return "";
  std::string wire(WireName(*view.cause));
  if (view.mode) wire += ":" + std::string(WireName(*view.mode));
  return wire;
}

}  // namespace caseledger
