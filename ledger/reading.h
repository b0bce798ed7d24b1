// The typed reads of ledger/ (a front door beside ledger.h): what the reading commands show,
// gathered from the stored state and evaluated by core/, one function per command: case, cases,
// history, balance, state, event(s), distribution, defaulter(s). The CLI parses flags, calls
// one of these, prints the result. Reports are in ledger/reports.h, reconciliation in
// ledger/reconciling.h.
#ifndef CASELEDGER_LEDGER_READING_H_
#define CASELEDGER_LEDGER_READING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/defaulters.h"
#include "core/feed.h"
#include "core/figures.h"
#include "core/money.h"
#include "core/movements.h"
#include "core/statement.h"
#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger {

// ---- case CASE_NO [--at-seq N | --as-of D].

struct CaseReading {
  pb::CaseRecord record;
  Date on;  // the evaluation date: entry N's `on`, D, or today
  CaseFigures figures;
  DeadlineBasis deadline_basis;  // how the closure deadline was reached (ClosureDeadlineBasis)
  Fen relief_paid_fen = 0;       // judicial relief, not case money (ReliefPaidOf)
};
// The case at that point with its figures on the point's date (today for the latest state).
// The caller checks that an --at-seq is an entry of the ledger.
Result<CaseReading> ReadCase(Ledger* ledger, const std::string& case_no, const PointInTime& point);

// ---- cases [--status S] [--court C] [--on D].

struct CasesQuery {
  std::optional<pb::CaseStatus> status;  // nullopt: any
  std::string court;                     // a prefix of the court code; "": any
  std::optional<Date> on;                // each case as it stood then; nullopt: the latest
  std::string party;       // a creditor's or debtor's name containing this text; "": any
  std::string account_no;  // the case of this virtual account number; "": any
};
struct CaseRow {
  pb::CaseRecord record;
  CaseFigures figures;  // on `on`, else today
};
// The selected cases in the order a register lists them: year, court, type code, then serial
// as a number. `today` evaluates the latest state.
Result<std::vector<CaseRow>> ListCases(Ledger* ledger, const CasesQuery& options, Date today);

// ---- history CASE_NO.

struct HistoryRow {
  StoredEntry stored;
  Fen case_amount_fen = 0;  // what the entry moved into (+) or out of (−) the case's account
};
// Each entry that touched the case, in order, as it is read (so that a long history streams);
// stops at visit's first failure.
Status ForEachHistoryRow(Ledger* ledger, const std::string& case_no,
                         const std::function<Status(const HistoryRow&)>& visit);

// ---- balance [--as-of D] and state [--at-seq N].

// The accounts the court holds for others, and whether the bank covers them exactly.
struct Balances {
  Fen bank_fen = 0;
  Fen cases_fen = 0;
  Fen suspense_fen = 0;
  Fen fees_fen = 0;
  Fen lodged_fen = 0;
  Fen interest_fen = 0;  // bank interest not yet remitted
  Fen charges_fen = 0;   // bank charges not yet reimbursed
  // 账账相符: bank = cases + suspense + fees + lodged + interest − charges (SPEC §6).
  bool agree() const;
};
struct BalanceReading {
  Balances balances;
  Fen relief_paid_fen = 0;  // the state fund's money, not in the bank
  // With a bank statement: its closing balance (SPEC §4) on the as-of date, else on its last
  // value date; absent without one, and then nothing claims 账实相符.
  std::optional<Fen> statement_balance_fen;
  Fen difference_fen() const;  // bank − statement_balance
  bool bank_agree() const;     // 账实相符: the difference is zero
};
// The stored global record as of D (the latest without one), and the statement's closing
// balance when `statement` is given (SPEC §3 balance --statement).
Result<BalanceReading> ReadBalance(Ledger* ledger, const std::optional<Date>& as_of,
                                   const std::vector<StatementLine>* statement = nullptr);

struct StateReading {
  uint64_t seq = 0;
  Hash hash{};     // of entry `seq` (zeros for the empty ledger)
  std::string on;  // entry `seq`'s date, "" for the empty ledger
  Balances balances;
  std::vector<std::pair<std::string, Fen>> case_balances;  // by case number
};
// Every account's balance after entry `at_seq` (the head without it), summed from the postings
// alone, independent of the stored state. UNKNOWN_REFERENCE past the head. `progress` is
// called with each entry's seq.
Result<StateReading> ReadState(Ledger* ledger, std::optional<uint64_t> at_seq,
                               const std::function<void(uint64_t)>& progress);

// ---- movements --from D --to D [filters] (收支明细, SPEC §3).

struct MovementQuery {
  Date from;
  Date to;
  MovementFilter filter;
  std::optional<std::string> judge;  // the judge of the movement's case
};
struct MovementReading {
  std::vector<MoneyMovement> movements;  // by seq, items of one entry in input order
  MovementTotals totals;
};
// Every movement through the special account whose `on` is in [from, to] and that the query
// selects, a reversed entry and its reversal both shown; a payee given as a creditor's party id
// is shown by the creditor's name. One scan of the log from the period's first entry to the head
// (ledger/movements.cc).
Result<MovementReading> ReadMovements(Ledger* ledger, const MovementQuery& query);

// ---- feed defaulters --after-seq N (SPEC §3).

struct DefaulterFeed {
  std::vector<FeedEvent> events;  // by seq
  uint64_t cursor = 0;            // the last entry read: the head
};
// Each listing, deletion, consumption restriction and lifting recorded after entry
// `after_seq`, its party named by its case as of the entry (ledger/feed.cc). UNKNOWN_REFERENCE
// past the head.
Result<DefaulterFeed> ReadDefaulterFeed(Ledger* ledger, uint64_t after_seq);

// ---- event EVENT_ID, events.

// An event's figures, reversed items left out (SPEC §3 event).
struct EventSummary {
  size_t cases = 0, payees = 0;  // distinct cases paid, distinct payees (case and payee)
  Fen total_fen = 0;
  size_t overdue_items = 0;  // items that paid money past its deadline
};
// Who an item of an event paid: the creditor's name in the case and the account paid (the
// item's, else the one confirmed at filing); empty when unknown.
struct EventPayee {
  std::string name;
  std::string account;
};
struct EventReading {
  pb::EventRecord record;
  EventSummary summary;
  std::vector<EventPayee> payees;  // ReadEvent: one per item, in order; ListEvents: none
};
// UNKNOWN_REFERENCE "no event ID" when there is none.
Result<EventReading> ReadEvent(Ledger* ledger, const std::string& event_id);
// Every event, in id order.
Result<std::vector<EventReading>> ListEvents(Ledger* ledger);

// ---- distribution DISTRIBUTION_ID.

struct DistributionReading {
  pb::DistributionRecord record;
  Fen left_for_claims_fen = 0;  // amount − costs
  // Per share, in its order: the share of the claim paid in ten-thousandths, rounded half up;
  // nullopt for a claim of zero.
  std::vector<std::optional<int64_t>> paid_ten_thousandths;
};
// UNKNOWN_REFERENCE "no distribution ID" when there is none.
Result<DistributionReading> ReadDistribution(Ledger* ledger, const std::string& distribution_id);

// ---- defaulter PARTY_ID [--on D], defaulters [--on D].

struct DefaulterReading {
  Date on;
  pb::DefaulterRecord record;  // as it stood on `on`; party_id set even for a party never listed
  DefaulterView view;
};
Result<DefaulterReading> ReadDefaulter(Ledger* ledger, const std::string& party_id, Date on);

// A listing standing public on `on` (not deleted by then), with its party.
struct PublicListing {
  std::string party_id;
  std::string name;
  ListingView listing;
};
// Every public listing on `on`, by party id, each party's in its record's order.
Result<std::vector<PublicListing>> ListDefaulters(Ledger* ledger, Date on);

// `report refusals --from D --to D` (SPEC §9): caseledgerd's refusal entries whose last refusal
// fell on a day of [from, to] (the court's time), in log order. One scan of the log.
struct RefusalRow {
  uint64_t seq = 0;
  pb::Refusal refusal;
};
Result<std::vector<RefusalRow>> ReadRefusals(Ledger* ledger, Date from, Date to);

// ---- approvals [--role R] [--case C] (SPEC §9): the roles in force and what waits.
// One request or payment waiting for its approval steps.
struct WaitingApproval {
  bool disbursement = false;  // a payment (disbursement_id) rather than a request (request_id)
  bool to_confirm = false;    // a payment approved, waiting for finance to confirm it paid
  std::string id;             // the disbursement id, else the request id
  pb::Operation operation = pb::OPERATION_UNSPECIFIED;  // what was requested
  std::string case_no;                                  // "" when it names no one case
  std::optional<Fen> amount_fen;                        // the money it moves, when it says
  std::string requested_by;
  std::string on;  // the request's date
  uint64_t request_seq = 0;
  pb::ApprovalRecord approval;  // the chain of roles and who took the steps so far
};
struct ApprovalsReading {
  pb::RolesRecord roles;                 // empty for a ledger without roles
  std::vector<WaitingApproval> waiting;  // payments by id, then requests by id
};
// The roles, and unless `roles_only` every payment and request whose approval steps are not
// all taken, and every payment approved and not yet confirmed (ledger/approvals.cc): one scan of
// the payments and of the requests.
Result<ApprovalsReading> ReadApprovals(Ledger* ledger, bool roles_only = false);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_READING_H_
