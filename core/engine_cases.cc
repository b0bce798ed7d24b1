// Opening and closing cases.
#include <openssl/sha.h>

#include <set>

#include "core/engine_internal.h"
#include "core/figures.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger::engine {
namespace {

// Fields common to creditors and debtors. ID numbers are personal data: an error names
// the field, never the number.
template <typename Party>
Status CheckParty(const Party& party, const std::string& path, Date on, pb::PartyRecord* record) {
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(party.party_id(), path + ".party_id", IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(CheckText(party.name(), path + ".name"));
  record->set_party_id(party.party_id());
  record->set_name(party.name());
  pb::PartyKind kind = pb::PARTY_KIND_PERSON;
  if (party.has_kind()) {
    CASELEDGER_ASSIGN_OR_RETURN(kind, ParseName<pb::PartyKind>(party.kind(), path + ".kind"));
  }
  record->set_kind(kind);
  pb::IdType type = pb::ID_TYPE_OTHER;
  if (party.has_id_type()) {
    CASELEDGER_ASSIGN_OR_RETURN(type, ParseName<pb::IdType>(party.id_type(), path + ".id_type"));
  }
  if (party.has_id_number()) {
    const std::string& number = party.id_number();
    CASELEDGER_RETURN_IF_ERROR(CheckIdNumber(type, number, path + ".id_number"));
    record->set_id_type(type);
    record->set_id_number(number);
  } else if (party.has_id_type()) {
    return Status::InvalidArgument(path + ".id_number: is required with id_type");
  }
  if (record->id_type() == pb::ID_TYPE_RESIDENT_ID) {
    // A resident ID's birth date makes a minor known without the flag.
    std::optional<Date> birth = ResidentIdBirthDate(record->id_number());
    if (birth && on < birth->AddYears(18)) record->set_minor(true);
  }
  return Status::Ok();
}

std::string IdNumberDigest(const std::string& number) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(number.data()), number.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

// SPEC §2: a party_id names one party across cases. The first entry that gives a party id an
// id_number registers it (type and digest); a party given with another type or number is
// INVALID_ARGUMENT naming the party id, never the numbers. A party given without a number is
// not checked and registers nothing: the case simply does not know the number.
Status CheckPartyIdentity(Op* op, const pb::PartyRecord& party, const std::string& path) {
  if (!party.has_id_number()) return Status::Ok();
  pb::PartyIdentityRecord identity;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kPartyIdentity, party.party_id(), &identity, &found));
  const std::string digest = IdNumberDigest(party.id_number());
  if (!found) {
    identity.set_id_type(party.id_type());
    identity.set_id_number_sha256(digest);
    identity.set_seq(op->seq());
    op->tx()->PutMessage(Table::kPartyIdentity, party.party_id(), identity);
    return Status::Ok();
  }
  if (identity.id_type() != party.id_type() || identity.id_number_sha256() != digest) {
    return Status::InvalidArgument(
        path + ".id_number: party " + party.party_id() + " was given another " +
        (identity.id_type() != party.id_type() ? "ID type" : "ID number") + " in entry " +
        std::to_string(identity.seq()) +
        "; a party_id names one party across cases (ID numbers are personal data and are not "
        "shown)");
  }
  return Status::Ok();
}

Status CheckParties(Op* op, const pb::OpenCase& open, Date on, pb::CaseRecord* record) {
  if (open.creditors().empty()) {
    return Status::InvalidArgument("open_case.creditors: at least one creditor is required");
  }
  if (open.debtors().empty()) {
    return Status::InvalidArgument("open_case.debtors: at least one debtor is required");
  }
  if (open.creditors_size() + open.debtors_size() > static_cast<int>(kPartiesPerCaseMax)) {
    return Status::InvalidArgument("open_case: more than " + std::to_string(kPartiesPerCaseMax) +
                                   " parties");
  }
  std::set<std::string> ids;
  for (int i = 0; i < open.creditors_size(); ++i) {
    const std::string path = "open_case.creditors[" + std::to_string(i) + "]";
    const pb::Creditor& creditor = open.creditors(i);
    pb::PartyRecord* party = record->add_creditors();
    CASELEDGER_RETURN_IF_ERROR(CheckParty(creditor, path, on, party));
    CASELEDGER_RETURN_IF_ERROR(CheckPartyIdentity(op, *party, path));
    if (creditor.has_account()) {
      CASELEDGER_RETURN_IF_ERROR(CheckBankAccount(creditor.account(), path + ".account"));
      party->set_account(creditor.account());
    }
    if (!ids.insert(creditor.party_id()).second) {
      return Status::InvalidArgument(path + ".party_id: used twice in the case");
    }
  }
  for (int i = 0; i < open.debtors_size(); ++i) {
    const std::string path = "open_case.debtors[" + std::to_string(i) + "]";
    const pb::Debtor& debtor = open.debtors(i);
    pb::PartyRecord* party = record->add_debtors();
    CASELEDGER_RETURN_IF_ERROR(CheckParty(debtor, path, on, party));
    CASELEDGER_RETURN_IF_ERROR(CheckPartyIdentity(op, *party, path));
    if (debtor.minor()) party->set_minor(true);
    if (!ids.insert(debtor.party_id()).second) {
      return Status::InvalidArgument(path + ".party_id: used twice in the case");
    }
  }
  return Status::Ok();
}

Status CheckCaseTerms(Op* op, const pb::OpenCase& open, pb::CaseRecord* record) {
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen claim, op->Amount(open.claim(), op->Path("claim"), AmountKind::kZeroAllowed));
  record->set_claim_fen(ToStored(claim));
  if (open.has_ordinary_interest()) {
    CASELEDGER_ASSIGN_OR_RETURN(Fen interest,
                                op->Amount(open.ordinary_interest(), op->Path("ordinary_interest"),
                                           AmountKind::kZeroAllowed));
    record->set_ordinary_interest_fen(ToStored(interest));
  }
  if (open.has_performance_due()) {
    CASELEDGER_ASSIGN_OR_RETURN(Date due,
                                op->DateField(open.performance_due(), op->Path("performance_due")));
    record->set_performance_due(due.ToString());
  }
  std::set<pb::CaseFlag> flags;
  for (const auto& text : open.flags()) {
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseFlag flag,
                                ParseName<pb::CaseFlag>(text, "open_case.flags"));
    if (flags.insert(flag).second) record->add_flags(flag);
  }
  if (open.has_judge()) {
    CASELEDGER_RETURN_IF_ERROR(CheckText(open.judge(), op->Path("judge")));
    record->set_judge(open.judge());
  }
  record->set_closure_months(op->context().rules.closure_months);
  if (open.has_closure_months()) {
    if (open.closure_months() < 1 || open.closure_months() > 120) {
      return Status::InvalidArgument("open_case.closure_months: must be 1 to 120");
    }
    record->set_closure_months(open.closure_months());
  }
  return Status::Ok();
}

void EndSuspension(pb::CaseRecord* record, Date on) {
  if (record->suspensions().empty()) return;
  pb::Suspension* last = record->mutable_suspensions(record->suspensions_size() - 1);
  if (!last->has_to()) last->set_to(on.ToString());
}

// ParseCaseNumber accepts only the type codes the table names.
Status SetTypeCode(const CaseNumber& number, pb::CaseRecord* record) {
  const std::optional<pb::CaseType> type = FromWireName<pb::CaseType>(number.type_code);
  if (!type) return Status::Corruption("a case number's type code has no name: " + number.text);
  record->set_type_code(*type);
  return Status::Ok();
}

// Fixed when the case is opened or restored (SPEC §2 set_rules).
void SetTermsFromRules(const Rules& rules, pb::CaseRecord* record) {
  record->set_fee_base(rules.fee_base);
  record->clear_allocation_order();
  for (pb::AllocationPart part : rules.allocation_order) record->add_allocation_order(part);
}

}  // namespace

Status OpenCase(Op* op) {
  const pb::OpenCase& open = op->command().open_case();
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number,
                              ParseCaseNumber(open.case_no(), op->Path("case_no")));
  pb::CaseRecord record;
  record.set_case_no(number.text);
  record.set_court(number.court);
  CASELEDGER_RETURN_IF_ERROR(SetTypeCode(number, &record));
  record.set_status(pb::CASE_STATUS_OPEN);
  record.set_filed_on(op->on().ToString());
  CASELEDGER_RETURN_IF_ERROR(CheckCaseTerms(op, open, &record));
  CASELEDGER_RETURN_IF_ERROR(CheckParties(op, open, op->on(), &record));
  pb::CaseRecord existing;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kCase, number.text, &existing, &found));
  if (found) {
    return {Code::kCaseExists, "case " + number.text + " is already in the ledger (opened " +
                                   existing.filed_on() + ")"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->AssignAccount(&record));
  record.set_next_lot_id(1);
  SetTermsFromRules(op->context().rules, &record);
  return op->SaveCase(&record);
}

Status CloseCaseOp(Op* op) {
  const pb::CloseCase& close = op->command().close_case();
  CASELEDGER_ASSIGN_OR_RETURN(pb::ClosureMode mode,
                              ParseName<pb::ClosureMode>(close.mode(), "close_case.mode"));
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(close.case_no(), op->Path("case_no"), &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  const LotTotals totals = SumLots(record);
  if (totals.balance_fen() > 0) {
    return Status::InvalidState("case " + record.case_no() + " still has " +
                                FormatAmount(totals.balance_fen()) + " in its account (pending " +
                                FormatAmount(totals.reserved_fen) +
                                "): pay, lodge or refund it before closing");
  }
  if (mode == pb::CLOSURE_MODE_TERMINATED_THIS_ROUND) {
    Result<Date> filed = Date::Parse(record.filed_on(), "filed_on");
    if (!filed.ok() || !(op->on() > filed->AddMonths(3))) {
      return Status::InvalidState(
          "a 终本 closure (terminated_this_round) needs more than 3 "
          "months since filing (" +
          record.filed_on() + ")");
    }
    CASELEDGER_RETURN_IF_ERROR(CheckDebtorsListedOrRestricted(op, record));
  }
  EndSuspension(&record, op->on());  // a suspended case may close; the suspension ends then
  record.set_status(pb::CASE_STATUS_CLOSED);
  record.set_mode(mode);
  record.set_closed_on(op->on().ToString());
  return op->SaveCase(&record);
}

// suspend_case / resume_case: these periods do not count toward the closure deadline.
Status SuspendOrResumeOp(Op* op) {
  const bool suspend = op->command().has_suspend_case();
  const pb::SuspendCase& change =
      suspend ? op->command().suspend_case() : op->command().resume_case();
  CASELEDGER_RETURN_IF_ERROR(CheckText(change.reason(), op->Path("reason")));
  pb::SuspensionKind kind = pb::SUSPENSION_KIND_SUSPENSION;
  if (change.has_kind()) {
    CASELEDGER_ASSIGN_OR_RETURN(kind,
                                ParseName<pb::SuspensionKind>(change.kind(), op->Path("kind")));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(change.case_no(), op->Path("case_no"), &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (suspend) {
    if (record.status() == pb::CASE_STATUS_SUSPENDED) {
      return Status::InvalidState("case " + record.case_no() + " is already suspended");
    }
    pb::Suspension* suspension = record.add_suspensions();
    suspension->set_kind(kind);
    suspension->set_from(op->on().ToString());
    record.set_status(pb::CASE_STATUS_SUSPENDED);
  } else {
    if (record.status() != pb::CASE_STATUS_SUSPENDED) {
      return Status::InvalidState("case " + record.case_no() + " is not suspended");
    }
    EndSuspension(&record, op->on());
    record.set_status(pb::CASE_STATUS_OPEN);
  }
  return op->SaveCase(&record);
}

Status ExtendDeadlineOp(Op* op) {
  const pb::ExtendDeadline& extend = op->command().extend_deadline();
  if (extend.months() < 1 || extend.months() > 12) {
    return Status::InvalidArgument("extend_deadline.months: must be 1 to 12");
  }
  if (extend.has_approved_by()) {  // present unless roles are set (engine.cc CheckApprovedBy)
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(extend.approved_by(), "extend_deadline.approved_by", IdKind::kOperator));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(extend.case_no(), "extend_deadline.case_no", &record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  if (SameOperator(extend.approved_by(), op->command().operator_())) {
    return {Code::kNotPermitted, "an extension is approved by someone other than its operator (" +
                                     std::string(kOperatorsCompared) + ")"};
  }
  // RULES §6: requested at least 5 days before the deadline.
  const Date deadline = ClosureDeadline(record, op->on());
  if (DaysBetween(op->on(), deadline) < 5) {
    return Status::InvalidState("the closure deadline of case " + record.case_no() + " is " +
                                deadline.ToString() +
                                ": an extension is requested at least 5 days before it");
  }
  pb::Extension* extension = record.add_extensions();
  extension->set_months(extend.months());
  extension->set_on(op->on().ToString());
  return op->SaveCase(&record);
}

// restore_case (恢复执行): a new 执恢 case linked both ways, sharing the chain's terms.
Status RestoreCaseOp(Op* op) {
  const pb::RestoreCase& restore = op->command().restore_case();
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number,
                              ParseCaseNumber(restore.new_case_no(), "restore_case.new_case_no"));
  if (FromWireName<pb::CaseType>(number.type_code) != pb::CASE_TYPE_RESTORED) {
    return Status::InvalidArgument(
        "restore_case.new_case_no: a restored case takes the type "
        "code 执恢");
  }
  pb::CaseRecord old_case;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(restore.case_no(), "restore_case.case_no", &old_case));
  // The parties come from the old case: registered already, unless that case was opened before
  // the ledger kept identities.
  for (int i = 0; i < old_case.creditors_size(); ++i) {
    CASELEDGER_RETURN_IF_ERROR(CheckPartyIdentity(
        op, old_case.creditors(i),
        "restore_case: case " + old_case.case_no() + " creditors[" + std::to_string(i) + "]"));
  }
  for (int i = 0; i < old_case.debtors_size(); ++i) {
    CASELEDGER_RETURN_IF_ERROR(CheckPartyIdentity(
        op, old_case.debtors(i),
        "restore_case: case " + old_case.case_no() + " debtors[" + std::to_string(i) + "]"));
  }
  pb::CaseRecord existing;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kCase, number.text, &existing, &found));
  if (found) return {Code::kCaseExists, "case " + number.text + " is already in the ledger"};
  if (old_case.status() != pb::CASE_STATUS_CLOSED) {
    return Status::InvalidState("case " + old_case.case_no() +
                                " is not closed: only a closed "
                                "case is restored");
  }
  if (old_case.has_restored_to()) {
    return Status::InvalidState("case " + old_case.case_no() + " was already restored as " +
                                old_case.restored_to());
  }
  pb::CaseRecord record;
  record.set_case_no(number.text);
  record.set_court(number.court);
  CASELEDGER_RETURN_IF_ERROR(SetTypeCode(number, &record));
  if (old_case.has_judge()) record.set_judge(old_case.judge());
  record.set_status(pb::CASE_STATUS_OPEN);
  record.set_filed_on(op->on().ToString());
  record.set_claim_fen(old_case.claim_fen());
  record.set_ordinary_interest_fen(old_case.ordinary_interest_fen());
  if (old_case.has_performance_due()) record.set_performance_due(old_case.performance_due());
  record.set_closure_months(op->context().rules.closure_months);
  *record.mutable_flags() = old_case.flags();
  *record.mutable_creditors() = old_case.creditors();
  *record.mutable_debtors() = old_case.debtors();
  record.set_restored_from(old_case.case_no());
  record.set_next_lot_id(1);
  SetTermsFromRules(op->context().rules, &record);
  CASELEDGER_RETURN_IF_ERROR(op->AssignAccount(&record));
  CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&record));  // first: the old case's chain reads it
  old_case.set_restored_to(number.text);
  return op->SaveCase(&old_case);
}

}  // namespace caseledger::engine
