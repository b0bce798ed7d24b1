// Collective disbursement events (集中发放) and distribution among creditors (参与分配).
#include <map>
#include <set>

#include "core/check.h"
#include "core/engine_internal.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"
#include "core/split.h"

namespace caseledger::engine {
namespace {

// Error codes ranked by SPEC §2's table: an event reports its first failing code in that order.
int Rank(Code code) { return static_cast<int>(code); }

// Collects the failing items of an event: all items or none, the failures named.
class ItemErrors {
 public:
  void Add(size_t index, const Status& status) {
    if (!status.ok()) failures_.push_back({index, status});
  }
  bool empty() const { return failures_.empty(); }
  // `event_rule` is the event's own failing rule, if any: it is reported instead when it
  // comes first in the table.
  Status ToStatus(const Status& event_rule) const {
    Code code = failures_.front().second.code();
    for (const auto& [index, status] : failures_) {
      if (Rank(status.code()) < Rank(code)) code = status.code();
    }
    if (!event_rule.ok() && Rank(event_rule.code()) < Rank(code)) return event_rule;
    std::string message = std::to_string(failures_.size()) +
                          " of the event's items fail, so "
                          "none is recorded:";
    constexpr size_t kNamedMax = 20;  // enough to act on; the count says the rest
    for (size_t i = 0; i < failures_.size() && i < kNamedMax; ++i) {
      message += " items[" + std::to_string(failures_[i].first) + "] " +
                 std::string(CodeName(failures_[i].second.code())) + ": " +
                 failures_[i].second.message() + ";";
    }
    if (failures_.size() > kNamedMax) message += " ...";
    return {code, message};
  }

 private:
  std::vector<std::pair<size_t, Status>> failures_;
};

struct ParsedItem {
  Fen amount_fen = 0;
  std::string case_no;
};

Status CheckItemShape(const pb::CollectiveItem& item, const std::string& path, ParsedItem* out) {
  CASELEDGER_ASSIGN_OR_RETURN(CaseNumber number,
                              ParseCaseNumber(item.case_no(), path + ".case_no"));
  out->case_no = number.text;
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(item.payee(), path + ".payee", IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(out->amount_fen,
                              ParseAmount(item.amount(), path + ".amount", AmountKind::kPositive));
  if (item.has_account()) {
    CASELEDGER_RETURN_IF_ERROR(CheckBankAccount(item.account(), path + ".account"));
  }
  return CheckIdentifier(item.bank_ref(), path + ".bank_ref", IdKind::kBankRef);
}

bool IsCreditor(const pb::CaseRecord& record, const std::string& party_id) {
  for (const auto& creditor : record.creditors()) {
    if (creditor.party_id() == party_id) return true;
  }
  return false;
}

// Pays one item from its case's oldest free money, noting what came from overdue lots.
Status PayItem(Op* op, const ParsedItem& parsed, pb::CaseRecord* record, pb::EventItem* item) {
  const std::string today = op->on().ToString();
  std::map<uint64_t, std::string> deadlines;
  for (const auto& lot : record->lots()) deadlines[lot.lot_id()] = lot.deadline();
  Fen overdue = 0;
  std::string oldest;
  CASELEDGER_ASSIGN_OR_RETURN(const std::vector<pb::LotPart> parts,
                              TakeOldestFree(record, parsed.amount_fen, TakeAs::kConsumed));
  for (const auto& part : parts) {
    const std::string& deadline = deadlines[part.lot_id()];
    if (deadline >= today) continue;
    overdue += Fen(part.amount_fen());
    if (oldest.empty() || deadline < oldest) oldest = deadline;
  }
  item->set_amount_fen(ToStored(parsed.amount_fen));
  item->set_overdue_fen(ToStored(overdue));
  if (!oldest.empty()) {
    Result<Date> deadline = Date::Parse(oldest, "deadline");
    CASELEDGER_CHECK(deadline.ok(),
                     "case " + record->case_no() + ": a stored lot's deadline is not a date");
    item->set_overdue_since(deadline->AddDays(1).ToString());
  }
  record->set_disbursed_fen(ToStored(Fen(record->disbursed_fen()) + parsed.amount_fen));
  return Status::Ok();
}

Status CheckEventHeader(const pb::CollectiveDisbursement& event) {
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(event.event_id(), "collective_disbursement.event_id", IdKind::kPlain));
  CASELEDGER_RETURN_IF_ERROR(CheckText(event.title(), "collective_disbursement.title"));
  if (event.has_approved_by()) {  // present unless roles are set (engine.cc CheckApprovedBy)
    CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(
        event.approved_by(), "collective_disbursement.approved_by", IdKind::kOperator));
  }
  if (event.has_batch_ref()) {
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(event.batch_ref(), "collective_disbursement.batch_ref", IdKind::kBankRef));
  }
  if (event.items().empty() || event.items_size() > static_cast<int>(kRepeatedItemsMax)) {
    return Status::InvalidArgument("collective_disbursement.items: 1 to " +
                                   std::to_string(kRepeatedItemsMax) + " items");
  }
  return Status::Ok();
}

// The event's own rules, into *rule: an item's error may come before them in SPEC §2's table
// (INVALID_ARGUMENT to CASE_CLOSED), so the items are checked before they are reported.
Status CheckEventRules(Op* op, const pb::CollectiveDisbursement& event, Status* rule) {
  pb::EventRecord existing;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(op->tx()->Get(Table::kEvent, event.event_id(), &existing, &found));
  if (found) {
    *rule = {Code::kDuplicateId, "event_id " + event.event_id() + " is taken"};
  } else if (SameOperator(event.approved_by(), op->command().operator_())) {
    *rule = {Code::kNotPermitted, "an event is approved by someone other than its operator (" +
                                      std::string(kOperatorsCompared) + ")"};
  }
  return Status::Ok();
}

// One item's checks in SPEC §2's order. Its case is loaded once into *cases, and the item's
// money reserved there, so that a later item of the case sees what is left.
Status CheckItem(Op* op, const pb::CollectiveItem& item, const std::string& path, bool repeated_ref,
                 ParsedItem* parsed, std::map<std::string, pb::CaseRecord>* cases) {
  CASELEDGER_RETURN_IF_ERROR(CheckItemShape(item, path, parsed));
  if (!cases->contains(parsed->case_no)) {
    pb::CaseRecord record;
    CASELEDGER_RETURN_IF_ERROR(op->LoadCase(parsed->case_no, path + ".case_no", &record));
    (*cases)[parsed->case_no] = record;
  }
  pb::CaseRecord& record = (*cases)[parsed->case_no];
  if (!IsCreditor(record, item.payee())) {
    return {Code::kUnknownReference,
            "party " + item.payee() + " is not a creditor of case " + parsed->case_no};
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->CheckBankRefFree(Table::kBankRefOut, item.bank_ref()));
  if (repeated_ref) {
    return {Code::kDuplicateBankRef,
            "bank reference " + item.bank_ref() + " is used twice in the event"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, parsed->amount_fen));
  return TakeOldestFree(&record, parsed->amount_fen, TakeAs::kReserved).status();
}

// Pays every item from its case, oldest money first, item by item, posting once per case and
// once for the bank; the event as stored.
Result<pb::EventRecord> PayItems(Op* op, const pb::CollectiveDisbursement& event,
                                 const std::vector<ParsedItem>& parsed,
                                 std::map<std::string, pb::CaseRecord>* cases) {
  pb::EventRecord stored;
  stored.set_event_id(event.event_id());
  stored.set_title(event.title());
  stored.set_on(op->on().ToString());
  stored.set_approved_by(event.approved_by());
  stored.set_seq(op->seq());
  stored.set_request_id(op->command().request_id());
  if (event.has_batch_ref()) stored.set_batch_ref(event.batch_ref());
  std::map<std::string, Fen> paid_by_case;
  Fen total = 0;
  for (int i = 0; i < event.items_size(); ++i) {
    const pb::CollectiveItem& item = event.items(i);
    pb::EventItem* out = stored.add_items();
    out->set_case_no(parsed[i].case_no);
    out->set_payee(item.payee());
    if (item.has_account()) out->set_account(item.account());
    out->set_bank_ref(item.bank_ref());
    CASELEDGER_RETURN_IF_ERROR(PayItem(op, parsed[i], &(*cases)[parsed[i].case_no], out));
    op->TakeBankRef(Table::kBankRefOut, item.bank_ref());
    paid_by_case[parsed[i].case_no] += parsed[i].amount_fen;
    total += parsed[i].amount_fen;
  }
  for (const auto& [case_no, amount] : paid_by_case) op->Post(CaseAccount(case_no), amount);
  op->Post("bank", -total);
  return stored;
}

}  // namespace

Status CollectiveDisbursementOp(Op* op) {
  const pb::CollectiveDisbursement& event = op->command().collective_disbursement();
  CASELEDGER_RETURN_IF_ERROR(CheckEventHeader(event));
  Status event_rule;
  CASELEDGER_RETURN_IF_ERROR(CheckEventRules(op, event, &event_rule));
  std::vector<ParsedItem> parsed(event.items_size());
  std::map<std::string, pb::CaseRecord> cases;  // each case loaded once, items in input order
  std::set<std::string> refs;
  ItemErrors errors;
  for (int i = 0; i < event.items_size(); ++i) {
    const std::string path = "collective_disbursement.items[" + std::to_string(i) + "]";
    // Seen whatever else is wrong with the item, so that a later repeat is named too.
    const bool repeated_ref = !refs.insert(event.items(i).bank_ref()).second;
    const Status status = CheckItem(op, event.items(i), path, repeated_ref, &parsed[i], &cases);
    // A failing store is not an item's fault: it stops the command.
    if (status.code() == Code::kIoError || status.code() == Code::kCorruption) return status;
    errors.Add(i, status);
  }
  if (!errors.empty()) return errors.ToStatus(event_rule);
  CASELEDGER_RETURN_IF_ERROR(event_rule);
  // Every item holds: pay them from the cases as loaded (the reservations above were only
  // the check).
  for (auto& [case_no, record] : cases) {
    CASELEDGER_RETURN_IF_ERROR(op->LoadCase(case_no, "collective_disbursement", &record));
  }
  CASELEDGER_ASSIGN_OR_RETURN(const pb::EventRecord stored, PayItems(op, event, parsed, &cases));
  for (auto& [case_no, record] : cases) CASELEDGER_RETURN_IF_ERROR(op->SaveCase(&record));
  op->tx()->PutMessage(Table::kEvent, event.event_id(), stored);
  return Status::Ok();
}

namespace {

struct ParsedClaim {
  SplitClaim split;
  std::optional<std::string> case_no;
  bool creditor = false;
};

Status CheckDistributionClaims(Op* op, const pb::Distribute& distribute,
                               const pb::CaseRecord& record, std::vector<ParsedClaim>* claims) {
  if (distribute.claims().empty() ||
      distribute.claims_size() > static_cast<int>(kRepeatedItemsMax)) {
    return Status::InvalidArgument("distribute.claims: 1 to " + std::to_string(kRepeatedItemsMax) +
                                   " claims");
  }
  std::set<std::string> seen;
  for (int i = 0; i < distribute.claims_size(); ++i) {
    const std::string path = "distribute.claims[" + std::to_string(i) + "]";
    const pb::DistributionClaim& claim = distribute.claims(i);
    ParsedClaim parsed;
    CASELEDGER_RETURN_IF_ERROR(
        CheckIdentifier(claim.party_id(), path + ".party_id", IdKind::kPlain));
    if (!seen.insert(claim.party_id()).second) {
      return Status::InvalidArgument(path + ".party_id: appears twice in the distribution");
    }
    parsed.split.party_id = claim.party_id();
    CASELEDGER_ASSIGN_OR_RETURN(
        parsed.split.claim_fen,
        ParseAmount(claim.amount(), path + ".amount", AmountKind::kZeroAllowed));
    parsed.split.rank = claim.has_rank() ? claim.rank() : 1;
    if (parsed.split.rank < 0 || parsed.split.rank > kSplitRankMax) {
      return Status::InvalidArgument(path + ".rank: must be 0 to 1000");
    }
    if (claim.has_name()) CASELEDGER_RETURN_IF_ERROR(CheckText(claim.name(), path + ".name"));
    if (claim.has_account())
      CASELEDGER_RETURN_IF_ERROR(CheckBankAccount(claim.account(), path + ".account"));
    parsed.creditor = IsCreditor(record, claim.party_id());
    if (!parsed.creditor && (!claim.has_name() || !claim.has_account())) {
      return Status::InvalidArgument(path + ": a party who is not a creditor of case " +
                                     record.case_no() + " needs name and account");
    }
    if (claim.has_case_no()) {
      pb::CaseRecord other;
      CASELEDGER_RETURN_IF_ERROR(op->LoadCase(claim.case_no(), path + ".case_no", &other));
      parsed.case_no = other.case_no();
    }
    claims->push_back(parsed);
  }
  return Status::Ok();
}

Status AddShareDisbursement(Op* op, const pb::Distribute& distribute, const ParsedClaim& claim,
                            const pb::DistributionClaim& given, const Fen& share,
                            pb::CaseRecord* record) {
  pb::DisbursementRecord disbursement;
  disbursement.set_disbursement_id(distribute.distribution_id() + "/" + claim.split.party_id);
  disbursement.set_case_no(record->case_no());
  disbursement.set_payee(claim.split.party_id);
  disbursement.set_amount_fen(ToStored(share));
  if (given.has_account()) {
    disbursement.set_account(given.account());
  } else {
    for (const auto& creditor : record->creditors()) {
      if (creditor.party_id() == claim.split.party_id && creditor.has_account()) {
        disbursement.set_account(creditor.account());
      }
    }
  }
  disbursement.set_requested_by(op->command().operator_());
  disbursement.set_status(pb::DISBURSEMENT_STATUS_REQUESTED);
  CASELEDGER_ASSIGN_OR_RETURN(const std::vector<pb::LotPart> parts,
                              TakeOldestFree(record, share, TakeAs::kReserved));
  for (const auto& part : parts) *disbursement.add_parts() = part;
  disbursement.set_request_seq(op->seq());
  disbursement.set_on(op->on().ToString());
  if (op->roles_set()) AwaitApprovalSteps(op, *record, &disbursement);
  disbursement.set_to_non_creditor(!claim.creditor);
  if (claim.case_no) disbursement.set_claim_case_no(*claim.case_no);
  disbursement.set_distribution_id(distribute.distribution_id());
  op->tx()->PutMessage(Table::kDisbursement, disbursement.disbursement_id(), disbursement);
  op->outcome()->add_disbursement_ids(disbursement.disbursement_id());
  return Status::Ok();
}

}  // namespace

Status DistributeOp(Op* op) {
  const pb::Distribute& distribute = op->command().distribute();
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(distribute.distribution_id(), "distribute.distribution_id", IdKind::kPlain));
  CASELEDGER_ASSIGN_OR_RETURN(
      Fen amount, ParseAmount(distribute.amount(), "distribute.amount", AmountKind::kPositive));
  Fen costs = 0;
  if (distribute.has_costs()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        costs, ParseAmount(distribute.costs(), "distribute.costs", AmountKind::kZeroAllowed));
  }
  if (costs > amount) {
    return Status::InvalidArgument("distribute.costs: " + FormatAmount(costs) +
                                   " is more than the amount " + FormatAmount(amount));
  }
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(op->LoadCase(distribute.case_no(), "distribute.case_no", &record));
  std::vector<ParsedClaim> claims;
  CASELEDGER_RETURN_IF_ERROR(CheckDistributionClaims(op, distribute, record, &claims));
  pb::DistributionRecord existing;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(
      op->tx()->Get(Table::kDistribution, distribute.distribution_id(), &existing, &found));
  if (found) {
    return {Code::kDuplicateId, "distribution_id " + distribute.distribution_id() + " is taken"};
  }
  CASELEDGER_RETURN_IF_ERROR(op->CheckOpen(record));
  CASELEDGER_RETURN_IF_ERROR(op->FreeMoneyCovers(record, amount));
  std::vector<SplitClaim> split_claims;
  for (const auto& claim : claims) split_claims.push_back(claim.split);
  CASELEDGER_ASSIGN_OR_RETURN(SplitResult split, Split(amount, costs, split_claims));
  pb::DistributionRecord stored;
  stored.set_distribution_id(distribute.distribution_id());
  stored.set_case_no(record.case_no());
  stored.set_amount_fen(ToStored(amount));
  stored.set_costs_fen(ToStored(costs));
  stored.set_surplus_fen(ToStored(split.surplus_fen));
  stored.set_on(op->on().ToString());
  stored.set_seq(op->seq());
  for (size_t i = 0; i < claims.size(); ++i) {
    const SplitShare& share = split.shares[i];
    const pb::DistributionClaim& given = distribute.claims(static_cast<int>(i));
    pb::DistributionShare* out = stored.add_shares();
    out->set_party_id(share.party_id);
    out->set_rank(share.rank);
    out->set_claim_fen(ToStored(share.claim_fen));
    out->set_share_fen(ToStored(share.share_fen));
    if (claims[i].case_no) out->set_case_no(*claims[i].case_no);
    if (given.has_name()) out->set_name(given.name());
    if (given.has_account()) out->set_account(given.account());
    out->set_creditor(claims[i].creditor);
    pb::ShareOutcome* outcome = op->outcome()->add_shares();
    outcome->set_party_id(share.party_id);
    outcome->set_share_fen(ToStored(share.share_fen));
    if (share.share_fen > 0) {
      CASELEDGER_RETURN_IF_ERROR(
          AddShareDisbursement(op, distribute, claims[i], given, share.share_fen, &record));
    }
  }
  op->outcome()->set_surplus_fen(ToStored(split.surplus_fen));
  op->tx()->PutMessage(Table::kDistribution, distribute.distribution_id(), stored);
  return op->SaveCase(&record);
}

}  // namespace caseledger::engine
