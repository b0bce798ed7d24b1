// What a bank asks before a loan: is the party listed or restricted, why, since when, and
// when each listing's deletion is due (SPEC §7 Defaulter list, RULES §5).
#ifndef CASELEDGER_CORE_DEFAULTERS_H_
#define CASELEDGER_CORE_DEFAULTERS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "caseledger.pb.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/names.h"

namespace caseledger {

// What a listing's deletion causes need from its case on the evaluation date.
struct CaseStanding {
  std::optional<Date> paid_off_on;  // the chain's outstanding has been zero since
  std::optional<Date> closed_on;
  std::optional<pb::ClosureMode> mode;  // nullopt while open
};

// The standing of a case from its restoration chain (each member as of the same point).
CaseStanding StandingOf(const pb::CaseRecord& record, const std::vector<pb::CaseRecord>& chain);

struct ListingView {
  pb::Listing listing;
  std::optional<Date> cause_on;  // the earliest deletion cause on or before the evaluation date
  std::optional<DeletionCause> cause;   // with cause_on
  std::optional<pb::ClosureMode> mode;  // the closure's mode when the cause is kClosed
  std::optional<Date> deletion_due_on;  // the third working day after the cause
};

// A listing's deletion cause as JSON names it: "performed", "closed:MODE", "expired"; "" for none.
std::string CauseWire(const ListingView& view);

struct DefaulterView {
  bool listed = false;
  bool restricted = false;
  std::vector<ListingView> listings;
};

// `standing` maps each listing's case number to its standing on `on`.
DefaulterView EvaluateDefaulter(const pb::DefaulterRecord& record, Date on,
                                const Calendar& calendar,
                                const std::map<std::string, CaseStanding>& standing);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_DEFAULTERS_H_
