#include "core/engine.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>

#include "core/command_json.h"
#include "core/engine_internal.h"
#include "core/figures.h"
#include "core/identifiers.h"
#include "core/lots.h"
#include "core/names.h"

namespace caseledger {

std::string SerializeDeterministic(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

std::array<uint8_t, 32> CommandDigest(const pb::Command& command) {
  const std::string bytes = SerializeDeterministic(command);
  std::array<uint8_t, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return digest;
}

Origin OriginOf(const pb::Entry& entry) {
  switch (entry.origin()) {
    case pb::ENTRY_ORIGIN_MAINTENANCE:
      return Origin{Origin::Kind::kMaintenance};
    case pb::ENTRY_ORIGIN_AUTHENTICATED:
      return Origin{Origin::Kind::kAuthenticated};
    case pb::ENTRY_ORIGIN_SERVER:
      return Origin{Origin::Kind::kServer};
    default:
      return Origin{};
  }
}

const pb::Command& EffectiveCommand(const pb::Entry& entry) {
  return entry.has_carried_out() ? entry.carried_out() : entry.command();
}

pb::EntryOrigin EntryOriginOf(const Origin& origin) {
  switch (origin.kind) {
    case Origin::Kind::kMaintenance:
      return pb::ENTRY_ORIGIN_MAINTENANCE;
    case Origin::Kind::kAuthenticated:
      return pb::ENTRY_ORIGIN_AUTHENTICATED;
    case Origin::Kind::kServer:
      return pb::ENTRY_ORIGIN_SERVER;
    case Origin::Kind::kLocal:
      break;
  }
  return pb::ENTRY_ORIGIN_UNSPECIFIED;
}

namespace engine {

Op::Op(const pb::Command& command, const ApplyContext& context, Transaction* tx, Date on)
    : command_(command), context_(context), tx_(tx), on_(on) {
  *entry_.mutable_command() = command;
  entry_.set_recorded_at_us(context.recorded_at_us);
  entry_.set_origin(EntryOriginOf(context.origin));
}

Result<Fen> Op::Amount(std::string_view text, const std::string& path, AmountKind kind) {
  return ParseAmount(text, path, kind);
}

Result<Date> Op::DateField(std::string_view text, const std::string& path) {
  return Date::ParseInput(text, path);
}

Result<Date> Op::ValueDate(bool present, std::string_view text, const std::string& path) {
  if (!present) return on_;
  CASELEDGER_ASSIGN_OR_RETURN(Date value_date, DateField(text, path));
  if (value_date > on_) {
    return Status::InvalidArgument(path + ": is after on (" + on_.ToString() + ")");
  }
  return value_date;
}

Status Op::LoadCase(std::string_view text, const std::string& path, pb::CaseRecord* record) {
  Result<CaseNumber> number = ParseCaseNumber(text, path);
  if (!number.ok()) return number.status();
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(tx_->Get(Table::kCase, number->text, record, &found));
  if (!found) return {Code::kUnknownCase, "no case " + number->text + " in the ledger"};
  return CheckNotBefore(record->last_on(), "case " + record->case_no());
}

Status Op::CheckNotBefore(const std::string& last_on, const std::string& what) {
  if (last_on.empty()) return Status::Ok();
  Result<Date> last = Date::Parse(last_on, "stored date");
  if (!last.ok()) return Status::Corruption("stored date does not parse");
  if (on_ < last->AddDays(-context_.rules.backdate_allowance_days)) {
    return Status::InvalidArgument("on: " + on_.ToString() + " is before the latest entry of " +
                                   what + " (" + last_on + "); corrections are new entries");
  }
  return Status::Ok();
}

Status Op::CheckNotBeforeLedger() {
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(LoadGlobal(&global));
  return CheckNotBefore(global.last_on(), "the ledger");
}

Status Op::CheckOpen(const pb::CaseRecord& record) {
  if (record.status() == pb::CASE_STATUS_CLOSED) {
    return {Code::kCaseClosed, "case " + record.case_no() + " is closed (" +
                                   std::string(WireName(record.mode())) + ", " +
                                   record.closed_on() + ")"};
  }
  return Status::Ok();
}

Status Op::CheckBankRefFree(Table direction, const std::string& bank_ref) {
  std::string value;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(tx_->Read(direction, bank_ref, &value, &found));
  if (found) {
    const char* way = direction == Table::kBankRefIn ? "inbound" : "outbound";
    return {Code::kDuplicateBankRef, "bank reference " + bank_ref + " is already recorded " + way};
  }
  return Status::Ok();
}

void Op::TakeBankRef(Table direction, const std::string& bank_ref) {
  tx_->Put(direction, bank_ref, BigEndian64(context_.seq));
}

void Op::Post(const std::string& account, const Fen& amount_fen) {
  pb::Posting* posting = entry_.add_postings();
  posting->set_account(account);
  posting->set_amount_fen(ToStored(amount_fen));
}

Status Op::FreeMoneyCovers(const pb::CaseRecord& record, const Fen& amount_fen) {
  const Fen available = SumLots(record).free_fen;
  if (available < amount_fen) {
    return {Code::kInsufficientFunds, "case " + record.case_no() + " has " +
                                          FormatAmount(available) + " available; " +
                                          FormatAmount(amount_fen) + " requested"};
  }
  return Status::Ok();
}

void Op::NewLot(pb::CaseRecord* record, const Fen& amount_fen, std::optional<Date> date) {
  // The deadline is fixed when the lot is made, by the rules then in force.
  const Date lot_date = date.value_or(on_);
  AddLot(record, lot_date, lot_date.AddDays(context_.rules.disburse_within_days), amount_fen,
         context_.seq);
}

void Op::AddRecovery(pb::CaseRecord* record, const Fen& amount_fen, Date value_date,
                     std::optional<Date> stop_date) {
  pb::Recovery* recovery = record->add_recoveries();
  recovery->set_seq(context_.seq);
  recovery->set_value_date(value_date.ToString());
  if (stop_date) recovery->set_stop_date(stop_date->ToString());
  recovery->set_amount_fen(ToStored(amount_fen));
}

void Op::AddUncover(pb::CaseRecord* record, const Fen& amount_fen) {
  pb::Uncover* uncover = record->add_uncovers();
  uncover->set_seq(context_.seq);
  uncover->set_on(on_.ToString());
  uncover->set_amount_fen(ToStored(amount_fen));
}

Status Op::LoadChain(const pb::CaseRecord& record, std::vector<pb::CaseRecord>* chain) {
  chain->clear();
  pb::CaseRecord current = record;
  while (current.has_restored_from()) {
    pb::CaseRecord previous;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(tx_->Get(Table::kCase, current.restored_from(), &previous, &found));
    if (!found) return Status::Corruption("the case a restored case restores is missing");
    chain->insert(chain->begin(), previous);
    current = previous;
  }
  chain->push_back(record);
  current = record;
  while (current.has_restored_to()) {
    pb::CaseRecord next;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(tx_->Get(Table::kCase, current.restored_to(), &next, &found));
    if (!found) return Status::Corruption("the restored case of a case is missing");
    chain->push_back(next);
    current = next;
  }
  return Status::Ok();
}

Status Op::AssignAccount(pb::CaseRecord* record) {
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(LoadGlobal(&global));
  // Deterministic in the ledger's history: the n-th case opened gets serial n.
  const std::string account_no = MakeAccountNumber(static_cast<int64_t>(global.cases_opened()) + 1);
  global.set_cases_opened(global.cases_opened() + 1);
  tx_->PutMessage(Table::kGlobal, "", global);
  tx_->Put(Table::kAccount, account_no, record->case_no());
  record->set_account_no(account_no);
  entry_.mutable_outcome()->set_account_no(account_no);
  return Status::Ok();
}

Status Op::SaveCase(pb::CaseRecord* record) {
  PruneEmptyLots(record);
  if (record->lots_size() > static_cast<int>(kLotsPerCaseMax)) {
    return Status::InvalidArgument("case " + record->case_no() + " would hold more than " +
                                   std::to_string(kLotsPerCaseMax) + " lots of money");
  }
  CASELEDGER_RETURN_IF_ERROR(CheckCaseInvariants(*record));
  if (on_.ToString() > record->last_on()) record->set_last_on(on_.ToString());
  record->set_last_seq(context_.seq);
  CASELEDGER_RETURN_IF_ERROR(NotePaidOff(record));
  tx_->PutMessage(Table::kCase, record->case_no(), *record);
  return Status::Ok();
}

// The defaulter list's deletion cause "the chain's outstanding is zero" (SPEC §7): noted on
// the case an entry touches, as of the entry's date; cleared if the outstanding is positive
// again. A case with nothing owed (claim and ordinary interest of 0) never notes it.
Status Op::NotePaidOff(pb::CaseRecord* record) {
  if (!record->has_restored_from() && !record->has_restored_to()) {
    // A case alone: when its recovered money is below claim + ordinary interest it still owes
    // (the fee and delay interest only add), and most entries leave it so: no evaluation.
    if (record->claim_fen() == 0 && record->ordinary_interest_fen() == 0) return Status::Ok();
    if (RecoveredOf(*record) < Fen(record->claim_fen()) + Fen(record->ordinary_interest_fen())) {
      record->clear_paid_off_on();
      return Status::Ok();
    }
  }
  std::vector<pb::CaseRecord> chain;
  CASELEDGER_RETURN_IF_ERROR(LoadChain(*record, &chain));
  const pb::CaseRecord& first = chain.front();
  if (first.claim_fen() == 0 && first.ordinary_interest_fen() == 0) return Status::Ok();
  const CaseFigures figures = EvaluateCase(*record, chain, on_);
  if (figures.outstanding_fen > 0) {
    record->clear_paid_off_on();
  } else if (!record->has_paid_off_on()) {
    record->set_paid_off_on(on_.ToString());
  }
  return Status::Ok();
}

void Op::RequestApproval(const pb::ApprovalRecord& approval) {
  approval_ = approval;
  SetPendingOutcome(approval, outcome());
}

Status Op::LoadGlobal(pb::GlobalRecord* global) {
  bool found = false;
  return tx_->Get(Table::kGlobal, "", global, &found);
}

std::string Op::Path(std::string_view field) const {
  return OperationName(command()) + "." + std::string(field);
}

int64_t ToStored(const Fen& fen) {
  if (fen > Fen(INT64_MAX) || fen < Fen(INT64_MIN)) {
    throw std::overflow_error("a total is too large to store");
  }
  return fen.convert_to<int64_t>();
}

// Invariant 3 and the two ways of counting a case's balance agree.
Status CheckCaseInvariants(const pb::CaseRecord& record) {
  const LotTotals totals = SumLots(record);
  for (const auto& lot : record.lots()) {
    if (lot.free_fen() < 0 || lot.reserved_fen() < 0 || lot.held_fen() < 0) {
      return Status::Corruption("case " + record.case_no() + ": a lot went negative");
    }
  }
  if (totals.balance_fen() != BalanceByFigures(record)) {
    return Status::Corruption("case " + record.case_no() +
                              ": lots and figures disagree on the balance");
  }
  return Status::Ok();
}

}  // namespace engine

namespace {

using engine::Op;

Status CheckEnvelope(const pb::Command& command, Date* on) {
  CASELEDGER_RETURN_IF_ERROR(
      CheckIdentifier(command.request_id(), "request_id", IdKind::kRequestId));
  CASELEDGER_RETURN_IF_ERROR(CheckIdentifier(command.operator_(), "operator", IdKind::kOperator));
  Result<Date> parsed = Date::ParseInput(command.on(), "on");
  if (!parsed.ok()) return parsed.status();
  *on = *parsed;
  return Status::Ok();
}

// approved_by of hold, extend_deadline and collective_disbursement (SPEC §9): required while
// the ledger has no roles (checked with the line's shape, as when it was a required field
// before issue 19), refused once it has them (checked after idempotency: a request recorded
// before the roles were set, retried after, returns its stored result).
enum class ApprovedByCheck { kRequired, kRefused };
Status CheckApprovedBy(const pb::Command& command, Transaction* tx, ApprovedByCheck check) {
  std::optional<bool> present;
  if (command.has_hold()) present = command.hold().has_approved_by();
  if (command.has_extend_deadline()) present = command.extend_deadline().has_approved_by();
  if (command.has_collective_disbursement()) {
    present = command.collective_disbursement().has_approved_by();
  }
  if (!present || *present != (check == ApprovedByCheck::kRefused)) return Status::Ok();
  pb::RolesRecord roles;
  bool roles_set = false;
  CASELEDGER_RETURN_IF_ERROR(engine::LoadRoles(tx, &roles, &roles_set));
  const std::string path = OperationName(command) + ".approved_by";
  if (check == ApprovedByCheck::kRequired && !roles_set) {
    return Status::InvalidArgument(path + ": is required");
  }
  if (check == ApprovedByCheck::kRefused && roles_set) {
    return Status::InvalidArgument(path +
                                   ": this ledger has roles, so approvals are approve "
                                   "steps by the approvers; leave approved_by out");
  }
  return Status::Ok();
}

// Replays of a known request_id: the stored result, or a conflict.
Status CheckIdempotency(const pb::Command& command, Transaction* tx, bool* replay,
                        Decision* decision) {
  pb::RequestRecord request;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(tx->Get(Table::kRequest, command.request_id(), &request, &found));
  *replay = found;
  if (!found) return Status::Ok();
  const auto digest = CommandDigest(command);
  if (request.body_sha256() != std::string(digest.begin(), digest.end())) {
    return {Code::kIdempotencyConflict, "request_id " + command.request_id() +
                                            " was used for a different command (entry " +
                                            std::to_string(request.seq()) + ")"};
  }
  *decision = Decision{false, request.seq(), request.outcome(), {}};
  return Status::Ok();
}

// The accounts of the special account, as the global record keeps them: the bank (an asset,
// debits positive), the charges the budget owes back (an asset), and what the court holds for
// others (liabilities, credits positive).
struct Accounts {
  Fen bank, cases, suspense, fees, lodgment, interest, charges;
  explicit Accounts(const pb::GlobalRecord& g)
      : bank(g.bank_fen()),
        cases(g.cases_fen()),
        suspense(g.suspense_fen()),
        fees(g.fees_fen()),
        lodgment(g.lodgment_fen()),
        interest(g.interest_fen()),
        charges(g.charges_fen()) {}

  Status Post(const std::string& account, const Fen& amount) {
    if (account == "bank") {
      bank += amount;
    } else if (CaseOfPostingAccount(account)) {
      cases -= amount;
    } else if (account == "suspense") {
      suspense -= amount;
    } else if (account == "fees") {
      fees -= amount;
    } else if (account == "lodgment") {
      lodgment -= amount;
    } else if (account == "interest") {
      interest -= amount;
    } else if (account == "charges") {
      charges += amount;
    } else {
      return Status::Corruption("posting to an unknown account " + account);
    }
    return Status::Ok();
  }
  bool AnyNegative() const {
    return bank < 0 || cases < 0 || suspense < 0 || fees < 0 || lodgment < 0 || interest < 0 ||
           charges < 0;
  }
  // SPEC §6 invariant 4.
  bool Agree() const { return bank == cases + suspense + fees + lodgment + interest - charges; }
};

// Global totals follow the postings; invariant 4 is checked on every entry.
Status ApplyPostings(const pb::Entry& entry, const ApplyContext& context, Date on,
                     Transaction* tx) {
  pb::GlobalRecord global;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(tx->Get(Table::kGlobal, "", &global, &found));
  Accounts accounts(global);
  Fen sum = 0;
  for (const auto& posting : entry.postings()) {
    sum += posting.amount_fen();
    CASELEDGER_RETURN_IF_ERROR(accounts.Post(posting.account(), posting.amount_fen()));
  }
  if (sum != 0) return Status::Corruption("the postings of an entry do not balance");
  if (accounts.AnyNegative()) {
    return Status::Corruption("an account of the special account would go negative");
  }
  if (!accounts.Agree()) {
    return Status::Corruption("bank balance no longer equals the accounts it holds");
  }
  global.set_bank_fen(engine::ToStored(accounts.bank));
  global.set_cases_fen(engine::ToStored(accounts.cases));
  global.set_suspense_fen(engine::ToStored(accounts.suspense));
  global.set_fees_fen(engine::ToStored(accounts.fees));
  global.set_lodgment_fen(engine::ToStored(accounts.lodgment));
  global.set_interest_fen(engine::ToStored(accounts.interest));
  global.set_charges_fen(engine::ToStored(accounts.charges));
  if (on.ToString() > global.last_on()) global.set_last_on(on.ToString());
  global.set_last_seq(context.seq);
  tx->PutMessage(Table::kGlobal, "", global);
  return Status::Ok();
}

// Each operation's decision, in the order of Command.op's field numbers (checked below against
// the Operation table, which names every member). pay_costs, refund and remit_treasury share
// CaseOutflowOp; suspend and resume share one.
struct Handler {
  pb::Command::OpCase op;
  Status (*decide)(Op* op);
};
using C = pb::Command;
constexpr std::array<Handler, 45> kHandlers = {{
    {C::kOpenCase, engine::OpenCase},
    {C::kReceipt, engine::ReceiptOp},
    {C::kUnidentifiedReceipt, engine::UnidentifiedReceiptOp},
    {C::kClaim, engine::ClaimOp},
    {C::kRefundUnidentified, engine::RefundUnidentifiedOp},
    {C::kHold, engine::HoldOp},
    {C::kReleaseHold, engine::ReleaseHoldOp},
    {C::kRequestDisbursement, engine::RequestDisbursementOp},
    {C::kApproveDisbursement, engine::ApproveDisbursementOp},
    {C::kConfirmDisbursement, engine::ConfirmDisbursementOp},
    {C::kFailDisbursement, engine::FailDisbursementOp},
    {C::kChargeFee, engine::ChargeFeeOp},
    {C::kPayCosts, engine::CaseOutflowOp},
    {C::kRemitFees, engine::RemitFeesOp},
    {C::kRefund, engine::CaseOutflowOp},
    {C::kLodge, engine::LodgeOp},
    {C::kPayLodgment, engine::PayLodgmentOp},
    {C::kRemitTreasury, engine::CaseOutflowOp},
    {C::kReverse, engine::ReverseOp},
    {C::kCloseCase, engine::CloseCaseOp},
    {C::kSetRules, engine::SetRulesOp},
    {C::kSuspendCase, engine::SuspendOrResumeOp},
    {C::kResumeCase, engine::SuspendOrResumeOp},
    {C::kExtendDeadline, engine::ExtendDeadlineOp},
    {C::kRestoreCase, engine::RestoreCaseOp},
    {C::kCollectiveDisbursement, engine::CollectiveDisbursementOp},
    {C::kDistribute, engine::DistributeOp},
    {C::kListDefaulter, engine::ListDefaulterOp},
    {C::kDelistDefaulter, engine::DelistDefaulterOp},
    {C::kRestrictConsumption, engine::RestrictConsumptionOp},
    {C::kLiftRestriction, engine::LiftRestrictionOp},
    {C::kReassignReceipt, engine::ReassignReceiptOp},
    {C::kDirectPerformance, engine::DirectPerformanceOp},
    {C::kSettleInKind, engine::SettleInKindOp},
    {C::kReliefPayment, engine::ReliefPaymentOp},
    {C::kTransferPreserved, engine::TransferPreservedOp},
    {C::kBankInterest, engine::BankInterestOp},
    {C::kBankCharge, engine::BankChargeOp},
    {C::kRemitInterest, engine::RemitInterestOp},
    {C::kReimburseCharges, engine::ReimburseChargesOp},
    {C::kSetRoles, engine::SetRolesOp},
    {C::kApprove, engine::ApproveOp},
    {C::kChangePayeeAccount, engine::ChangePayeeAccountOp},
    {C::kRefusal, engine::RefusalOp},
    {C::kRefuse, engine::ApproveOp},
}};

// Complete and in order: the handler of field number n is kHandlers[n - 10], like Operation.
constexpr bool HandlersInOrder() {
  if (kHandlers.size() != NameTable<pb::Operation>::kNames.size()) return false;
  for (size_t i = 0; i < kHandlers.size(); ++i) {
    if (static_cast<int>(kHandlers[i].op) != NameTable<pb::Operation>::kNames[i].value) {
      return false;
    }
  }
  return true;
}
static_assert(HandlersInOrder());

}  // namespace

Status engine::Dispatch(Op* op) {
  const C::OpCase op_case = op->command().op_case();
  if (op_case == C::OP_NOT_SET) {
    return Status::InvalidArgument("line: no operation key in the command");
  }
  return kHandlers[static_cast<size_t>(op_case - C::kOpenCase)].decide(op);
}

namespace {

Result<Decision> DecideUnchecked(const pb::Command& command, const ApplyContext& context,
                                 Transaction* tx) {
  Date on;
  CASELEDGER_RETURN_IF_ERROR(CheckEnvelope(command, &on));
  CASELEDGER_RETURN_IF_ERROR(CheckApprovedBy(command, tx, ApprovedByCheck::kRequired));
  Decision decision;
  bool replay = false;
  CASELEDGER_RETURN_IF_ERROR(CheckIdempotency(command, tx, &replay, &decision));
  if (replay) return decision;
  CASELEDGER_RETURN_IF_ERROR(CheckApprovedBy(command, tx, ApprovedByCheck::kRefused));
  // The rules in force: the latest set_rules entry, else the defaults.
  ApplyContext effective = context;
  pb::RulesRecord stored_rules;
  bool found_rules = false;
  CASELEDGER_RETURN_IF_ERROR(tx->Get(Table::kRules, "", &stored_rules, &found_rules));
  if (found_rules) effective.rules = RulesFromRecord(stored_rules);
  if (context.today && on > context.today->AddDays(effective.rules.future_allowance_days)) {
    return Status::InvalidArgument("on: " + on.ToString() + " is after today (" +
                                   context.today->ToString() + ")");
  }
  bool roles_set = false;
  CASELEDGER_RETURN_IF_ERROR(engine::CheckPermitted(command, context.origin, tx, &roles_set));
  Op op(command, effective, tx, on);
  op.set_roles_set(roles_set);
  // Once roles are set, a hold, extension or collective event waits for its approval steps.
  CASELEDGER_RETURN_IF_ERROR(roles_set && engine::WaitsForApproval(command)
                                 ? engine::DeferForApproval(&op)
                                 : engine::Dispatch(&op));
  CASELEDGER_RETURN_IF_ERROR(ApplyPostings(op.entry(), context, on, tx));
  pb::RequestRecord request;
  request.set_seq(context.seq);
  const auto digest = CommandDigest(command);
  request.set_body_sha256(std::string(digest.begin(), digest.end()));
  request.set_op(OperationOf(command));
  *request.mutable_outcome() = op.entry().outcome();
  if (op.approval()) *request.mutable_approval() = *op.approval();
  tx->PutMessage(Table::kRequest, command.request_id(), request);
  tx->PutEntry(context.seq, SerializeDeterministic(op.entry()));
  decision.created = true;
  decision.seq = context.seq;
  decision.outcome = op.entry().outcome();
  decision.entry = op.entry();
  return decision;
}

}  // namespace

Result<Decision> Decide(const pb::Command& command, const ApplyContext& context, Transaction* tx) {
  try {
    return DecideUnchecked(command, context, tx);
  } catch (const std::overflow_error&) {
    // Checked arithmetic: a total beyond what can be stored is refused, never wrapped.
    return Status::InvalidArgument("an amount or total is too large for the ledger");
  } catch (const std::range_error&) {
    return Status::InvalidArgument("an amount or total is too large for the ledger");
  }
}

}  // namespace caseledger
