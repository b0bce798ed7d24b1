// The defaulter list and consumption restriction (法释〔2017〕7号; RULES §5).
#include <set>

#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

const pb::PartyRecord* FindDebtor(const pb::CaseRecord& record, const std::string& party_id) {
  for (const auto& debtor : record.debtors()) {
    if (debtor.party_id() == party_id) return &debtor;
  }
  return nullptr;
}

// The party, the case and the party's defaulter record, checked in SPEC §2's order.
struct Subject {
  pb::CaseRecord record;
  const pb::PartyRecord* debtor = nullptr;
  pb::DefaulterRecord defaulter;
};

Status LoadSubject(Op* op, const std::string& party_id, const std::string& case_no,
                   Subject* subject) {
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(party_id, op->Path("party_id"), IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, op->Path("case_no"), &subject->record));
  subject->debtor = FindDebtor(subject->record, party_id);
  if (subject->debtor == nullptr) {
    return {Code::kUnknownReference,
            "party " + party_id + " is not a debtor of case " + subject->record.case_no()};
  }
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kDefaulter, party_id, &subject->defaulter, &found));
  if (!found) {
    subject->defaulter.set_party_id(party_id);
    subject->defaulter.set_name(subject->debtor->name());
  }
  return Status::Ok();
}

pb::Listing* ActiveListing(pb::DefaulterRecord* defaulter, const std::string& case_no) {
  for (auto& listing : *defaulter->mutable_listings()) {
    if (listing.case_no() == case_no && !listing.has_deleted_on()) return &listing;
  }
  return nullptr;
}

pb::Restriction* ActiveRestriction(pb::DefaulterRecord* defaulter, const std::string& case_no) {
  for (auto& restriction : *defaulter->mutable_restrictions()) {
    if (restriction.case_no() == case_no && !restriction.has_lifted_on()) return &restriction;
  }
  return nullptr;
}

bool IsMinorOn(const pb::PartyRecord& party, Date on) {
  if (party.minor() && !party.has_id_number()) return true;
  if (party.id_type() == pb::ID_TYPE_RESIDENT_ID) {
    std::optional<Date> birth = ResidentIdBirthDate(party.id_number());
    if (birth) return on < birth->AddYears(18);
  }
  return party.minor();
}

Status Save(Op* op, Subject* subject) {
  subject->defaulter.set_last_on(op->on().ToString());
  op->tx()->PutMessage(Table::kDefaulter, subject->defaulter.party_id(), subject->defaulter);
  return op->SaveCase(&subject->record);  // the entry is part of the case's history
}

}  // namespace

Status ListDefaulterOp(Op* op) {
  const pb::ListDefaulter& list = op->command().list_defaulter();
  if (list.ground() < 1 || list.ground() > 6) {
    return Status::InvalidArgument("list_defaulter.ground: must be 1 to 6");
  }
  const int extra = list.has_extra_years() ? list.extra_years() : 0;
  if (extra < 0 || extra > 3) {
    return Status::InvalidArgument("list_defaulter.extra_years: must be 0 to 3");
  }
  if (extra > 0 && list.ground() == 1) {
    return Status::InvalidArgument("list_defaulter.extra_years: ground 1 has no fixed period");
  }
  Subject subject;
  CASELEDGER_RETURN_IF_ERROR(LoadSubject(op, list.party_id(), list.case_no(), &subject));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(subject.record));
  if (IsMinorOn(*subject.debtor, op->on())) {
    return Status::InvalidState("party " + list.party_id() +
                                " is a minor: minors are never listed");
  }
  if (ActiveListing(&subject.defaulter, subject.record.case_no()) != nullptr) {
    return Status::InvalidState("party " + list.party_id() + " is already listed for case " +
                                subject.record.case_no());
  }
  pb::Listing* listing = subject.defaulter.add_listings();
  listing->set_case_no(subject.record.case_no());
  listing->set_ground(list.ground());
  listing->set_extra_years(extra);
  listing->set_listed_on(op->on().ToString());
  // Grounds 2–6 list for 2 years plus 1–3 for serious cases; ground 1 has no fixed period.
  if (list.ground() != 1) listing->set_expires_on(op->on().AddYears(2 + extra).ToString());
  listing->set_seq(op->seq());
  // Everyone on the defaulter list is under consumption restriction.
  if (ActiveRestriction(&subject.defaulter, subject.record.case_no()) == nullptr) {
    pb::Restriction* restriction = subject.defaulter.add_restrictions();
    restriction->set_case_no(subject.record.case_no());
    restriction->set_since(op->on().ToString());
  }
  return Save(op, &subject);
}

Status DelistDefaulterOp(Op* op) {
  const pb::DelistDefaulter& delist = op->command().delist_defaulter();
  CASELEDGER_ASSIGN_OR_RETURN(
      pb::DeletionReason reason,
      ParseName<pb::DeletionReason>(delist.reason(), "delist_defaulter.reason"));
  Subject subject;
  CASELEDGER_RETURN_IF_ERROR(LoadSubject(op, delist.party_id(), delist.case_no(), &subject));
  pb::Listing* listing = ActiveListing(&subject.defaulter, subject.record.case_no());
  if (listing == nullptr) {
    return Status::InvalidState("party " + delist.party_id() + " is not listed for case " +
                                subject.record.case_no());
  }
  // The listing stays on record, no longer public; the restriction stays until lifted.
  listing->set_deleted_on(op->on().ToString());
  listing->set_reason(reason);
  return Save(op, &subject);
}

Status RestrictConsumptionOp(Op* op) {
  const pb::RestrictConsumption& restrict = op->command().restrict_consumption();
  Subject subject;
  CASELEDGER_RETURN_IF_ERROR(LoadSubject(op, restrict.party_id(), restrict.case_no(), &subject));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(subject.record));
  if (ActiveRestriction(&subject.defaulter, subject.record.case_no()) != nullptr) {
    return Status::InvalidState("party " + restrict.party_id() +
                                " is already under consumption restriction in case " +
                                subject.record.case_no());
  }
  pb::Restriction* restriction = subject.defaulter.add_restrictions();
  restriction->set_case_no(subject.record.case_no());
  restriction->set_since(op->on().ToString());
  return Save(op, &subject);
}

Status LiftRestrictionOp(Op* op) {
  const pb::DelistDefaulter& lift = op->command().lift_restriction();
  CASELEDGER_RETURN_IF_ERROR(CheckText(lift.reason(), "lift_restriction.reason"));
  Subject subject;
  CASELEDGER_RETURN_IF_ERROR(LoadSubject(op, lift.party_id(), lift.case_no(), &subject));
  if (ActiveListing(&subject.defaulter, subject.record.case_no()) != nullptr) {
    return Status::InvalidState("party " + lift.party_id() + " is listed for case " +
                                subject.record.case_no() +
                                ": delete the listing before lifting the restriction");
  }
  pb::Restriction* restriction = ActiveRestriction(&subject.defaulter, subject.record.case_no());
  if (restriction == nullptr) {
    return Status::InvalidState("party " + lift.party_id() +
                                " is not under consumption restriction in case " +
                                subject.record.case_no());
  }
  restriction->set_lifted_on(op->on().ToString());
  restriction->set_reason(lift.reason());
  return Save(op, &subject);
}

// A 终本 closure needs every debtor who is not a minor listed or restricted in the case.
Status CheckDebtorsListedOrRestricted(Op* op, const pb::CaseRecord& record) {
  for (const auto& debtor : record.debtors()) {
    if (IsMinorOn(debtor, op->on())) continue;
    pb::DefaulterRecord defaulter;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(
        op->tx()->Get(Table::kDefaulter, debtor.party_id(), &defaulter, &found));
    if (found && (ActiveListing(&defaulter, record.case_no()) != nullptr ||
                  ActiveRestriction(&defaulter, record.case_no()) != nullptr)) {
      continue;
    }
    return Status::InvalidState("debtor " + debtor.party_id() +
                                " is neither listed nor under consumption restriction in this "
                                "case: required for a 终本 closure");
  }
  return Status::Ok();
}

}  // namespace caseledger::engine
