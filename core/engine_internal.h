// Internals of the engine shared by its source files: one Op per command being decided.
#ifndef CASELEDGER_CORE_ENGINE_INTERNAL_H_
#define CASELEDGER_CORE_ENGINE_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/engine.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/transaction.h"

namespace caseledger::engine {

// The command being decided, the state it reads, and the entry it builds.
class Op {
 public:
  Op(const pb::Command& command, const ApplyContext& context, Transaction* tx, Date on);

  // The command being decided: the Op's own, or the request its last approval step carries out.
  const pb::Command& command() const { return *acting_; }
  // Decides `request` (nullptr: the Op's own command again) into this Op's entry.
  void ActFor(const pb::Command* request) { acting_ = request != nullptr ? request : &command_; }
  // Records in the entry the request this Op's last approval step carries out.
  void NoteCarriedOut(const pb::Command& request) { *entry_.mutable_carried_out() = request; }
  const ApplyContext& context() const { return context_; }
  Transaction* tx() { return tx_; }
  Date on() const { return on_; }
  uint64_t seq() const { return context_.seq; }
  const pb::Entry& entry() const { return entry_; }
  pb::Outcome* outcome() { return entry_.mutable_outcome(); }

  // "receipt.amount" for field "amount" of the current operation.
  std::string Path(std::string_view field) const;
  Result<Fen> Amount(std::string_view text, const std::string& path, AmountKind kind);
  Result<Date> DateField(std::string_view text, const std::string& path);
  // A bank date: `on` when absent; INVALID_ARGUMENT when after `on`.
  Result<Date> ValueDate(bool present, std::string_view text, const std::string& path);

  // Parses the case number, reads the case (UNKNOWN_CASE), checks the date is not before it.
  Status LoadCase(std::string_view text, const std::string& path, pb::CaseRecord* record);
  Status LoadGlobal(pb::GlobalRecord* global);
  // INVALID_ARGUMENT when `on` is before last_on by more than the backdate allowance.
  Status CheckNotBefore(const std::string& last_on, const std::string& what);
  Status CheckNotBeforeLedger();
  Status CheckOpen(const pb::CaseRecord& record);  // CASE_CLOSED
  Status CheckBankRefFree(Table direction, const std::string& bank_ref);
  void TakeBankRef(Table direction, const std::string& bank_ref);
  Status FreeMoneyCovers(const pb::CaseRecord& record, const Fen& amount_fen);

  void Post(const std::string& account, const Fen& amount_fen);
  // A new lot of free money dated `date` (default `on`), due by the rules' payout deadline.
  void NewLot(pb::CaseRecord* record, const Fen& amount_fen,
              std::optional<Date> date = std::nullopt);
  // Allocation inputs of SPEC §7: money recovered (at its value date) or uncovered (at `on`).
  void AddRecovery(pb::CaseRecord* record, const Fen& amount_fen, Date value_date,
                   std::optional<Date> stop_date = std::nullopt);
  void AddUncover(pb::CaseRecord* record, const Fen& amount_fen);
  // The restoration chain of a case, first case first, as the transaction sees it now.
  Status LoadChain(const pb::CaseRecord& record, std::vector<pb::CaseRecord>* chain);
  // The next virtual account number (deterministic in the ledger's history).
  Status AssignAccount(pb::CaseRecord* record);
  // Prunes, checks the case's invariants and stages the new version of the case.
  Status SaveCase(pb::CaseRecord* record);
  Status NotePaidOff(pb::CaseRecord* record);

  // The request waits for approval steps (SPEC §9): recorded in its request record, and the
  // outcome says pending_approval with the next role.
  void RequestApproval(const pb::ApprovalRecord& approval);
  const std::optional<pb::ApprovalRecord>& approval() const { return approval_; }
  // Whether the ledger has roles (SPEC §9): disbursements then wait for approval steps.
  bool roles_set() const { return roles_set_; }
  void set_roles_set(bool roles_set) { roles_set_ = roles_set; }

 private:
  const pb::Command& command_;
  const ApplyContext& context_;
  Transaction* tx_;
  Date on_;
  pb::Entry entry_;
  const pb::Command* acting_ = &command_;
  std::optional<pb::ApprovalRecord> approval_;
  bool roles_set_ = false;
};

// The operation's handler, for the command op->command() names.
Status Dispatch(Op* op);

// A total as stored (int64 fen); throws std::overflow_error beyond, caught by Decide.
int64_t ToStored(const Fen& fen);
Status CheckCaseInvariants(const pb::CaseRecord& record);

// One function per operation (engine_cases.cc, engine_money.cc, engine_reverse.cc).
Status OpenCase(Op* op);
Status ReceiptOp(Op* op);
Status UnidentifiedReceiptOp(Op* op);
Status ClaimOp(Op* op);
Status RefundUnidentifiedOp(Op* op);
Status HoldOp(Op* op);
Status ReleaseHoldOp(Op* op);
Status RequestDisbursementOp(Op* op);
Status ApproveDisbursementOp(Op* op);
Status ConfirmDisbursementOp(Op* op);
Status FailDisbursementOp(Op* op);
Status ChargeFeeOp(Op* op);
Status CaseOutflowOp(Op* op);  // pay_costs, refund, remit_treasury
Status RemitFeesOp(Op* op);
Status LodgeOp(Op* op);
Status PayLodgmentOp(Op* op);
Status ReverseOp(Op* op);
Status CloseCaseOp(Op* op);
Status CollectiveDisbursementOp(Op* op);  // engine_events.cc
Status DistributeOp(Op* op);
Status ListDefaulterOp(Op* op);  // engine_defaulters.cc
Status DelistDefaulterOp(Op* op);
Status RestrictConsumptionOp(Op* op);
Status LiftRestrictionOp(Op* op);
Status CheckDebtorsListedOrRestricted(Op* op, const pb::CaseRecord& record);
// A distribution share to a party outside the case, confirmed (kPaid) or come back from the
// bank (kReturned): the paying case's recovered money and the claimant's case move together.
enum class ShareDirection { kPaid, kReturned };
Status CreditShareElsewhere(Op* op, const pb::DisbursementRecord& disbursement,
                            const Fen& amount_fen, ShareDirection direction,
                            pb::CaseRecord* record);
Status SetRulesOp(Op* op);  // engine_rules.cc
// Roles and approvals (engine_roles.cc, SPEC §9).
Status LoadRoles(Transaction* tx, pb::RolesRecord* record, bool* found);
// NOT_PERMITTED unless the ledger has no roles, or the write is not local and the operator holds
// a role the README's table allows the operation.
Status CheckPermitted(const pb::Command& command, const Origin& origin, Transaction* tx,
                      bool* roles_set);
void SetPendingOutcome(const pb::ApprovalRecord& approval, pb::Outcome* outcome);
// Whether the README's table lets `role` record `op` once roles are set.
bool RoleMayRecord(pb::Role role, pb::Operation op);
// hold, extend_deadline and collective_disbursement: once roles are set they take effect at the
// last approval step. DeferForApproval checks the request now and records it as waiting.
bool WaitsForApproval(const pb::Command& command);
Status DeferForApproval(Op* op);
// A disbursement requested once roles are set waits for the steps its amount needs.
// A payment to an account other than the payee's registered one also needs the court leader.
void AwaitApprovalSteps(Op* op, const pb::CaseRecord& record, pb::DisbursementRecord* disbursement);
Status ChangePayeeAccountOp(Op* op);
// refusal (core/engine_refusals.cc): caseledgerd's record of what it refused.
Status RefusalOp(Op* op);
// One approval step on a disbursement (approve_disbursement, or approve of its request), or its
// refusal (refuse of its request): the reservation released, the status refused.
enum class Step { kApprove, kRefuse };
Status DisbursementStep(Op* op, const std::string& disbursement_id, Step step = Step::kApprove);
// Frees what a disbursement reserved, the money keeping its deadlines (engine_disburse.cc).
Status ReleaseReservation(const pb::DisbursementRecord& disbursement, pb::CaseRecord* record);
Status SetRolesOp(Op* op);
Status ApproveOp(Op* op);
Status SuspendOrResumeOp(Op* op);  // engine_cases.cc
Status ExtendDeadlineOp(Op* op);
Status RestoreCaseOp(Op* op);
Status ReassignReceiptOp(Op* op);  // engine_outside.cc
Status DirectPerformanceOp(Op* op);
Status SettleInKindOp(Op* op);
Status ReliefPaymentOp(Op* op);
// Money of the special account itself (engine_bank.cc): preserved money moved to enforcement,
// bank interest and charges, their remittance and reimbursement.
Status TransferPreservedOp(Op* op);
Status BankInterestOp(Op* op);  // bank_interest, bank_charge
Status BankChargeOp(Op* op);
Status RemitInterestOp(Op* op);
Status ReimburseChargesOp(Op* op);
Status ReverseBankMoney(Op* op, const pb::Entry& target);  // bank_interest, bank_charge
Status ReverseTransfer(Op* op, uint64_t target_seq, const pb::Entry& target);
// The reversal of one of those four: `target` is the entry reversed, recorded as `target_seq`.
Status ReverseOutside(Op* op, uint64_t target_seq, const pb::Entry& target);

}  // namespace caseledger::engine

#endif  // CASELEDGER_CORE_ENGINE_INTERNAL_H_
