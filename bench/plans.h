// Internal to bench/: what happens to one case over the year, as a plan of steps dated by day,
// drafted by the case's role (paid in full, 终本, withdrawn, paid at a collective day, ...) from
// its own random stream. The plan is all the workload keeps of a case: it is recomputed from
// (seed, case index) whenever it is needed (bench/caseload.h).
#ifndef CASELEDGER_BENCH_PLANS_H_
#define CASELEDGER_BENCH_PLANS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/random.h"
#include "core/money.h"

namespace caseledger::bench {

inline constexpr int64_t kSmallClaimFen = 10000000;  // 100,000.00: a small case (SPEC §7)

// The names SPEC §2 gives a receipt's source, a hold's ground, a closing's mode and a deletion's
// reason, indexed by the numbers a step carries.
inline constexpr std::array<const char*, 6> kSources = {
    "debtor_payment", "bank_deduction", "auction", "settlement", "third_party", "other"};
enum Source { kDebtorPayment, kBankDeduction, kAuction, kSettlement, kThirdParty, kOther };
inline constexpr std::array<const char*, 5> kHoldGrounds = {"distribution", "frozen",
                                                            "not_collected", "suspended", "other"};
inline constexpr int kHoldSuspended = 3;
inline constexpr std::array<const char*, 6> kModes = {
    "fully_performed", "terminated_this_round", "terminated", "withdrawn", "refused", "rejected"};
enum Mode {
  kFullyPerformed,
  kTerminatedThisRound,
  kTerminatedMode,
  kWithdrawnMode,
  kRefusedMode,
  kRejectedMode
};
inline constexpr std::array<const char*, 3> kDelistReasons = {"performed", "terminated",
                                                              "creditor_request"};

enum class Role : uint8_t {
  kFull,           // paid in full, disbursed, closed as fully_performed
  kThisRound,      // 终本: listed or restricted, maybe part paid, closed after 3 months
  kTerminated,     // maybe part paid, closed as terminated
  kWithdrawn,      // closed as withdrawn
  kRefused,        // closed as refused
  kRejected,       // closed as rejected
  kPreservation,   // 执保: no money, closed when preserved
  kProvinceEvent,  // paid at the province's collective disbursement day
  kSpringEvent,    // wages paid at the collective day before the Spring Festival
};

enum class Kind : uint8_t {
  kOpen,
  kReceipt,       // a: receipt number, b: source, c: value-date lag, d: flags
  kWrongReceipt,  // the same receipt booked with a wrong amount
  kReverseReceipt,
  kUnidentified,  // the receipt arrives naming no case
  kClaim,
  kList,      // a: debtor, b: ground, c: extra years
  kRestrict,  // a: debtor
  kDelist,    // a: debtor, b: reason
  kLift,      // a: debtor
  kChargeFee,
  kPayCosts,
  kRefund,
  kHold,  // a: cycle, b: ground
  kRelease,
  kSuspend,
  kResume,
  kRequest,  // a: cycle, b: creditor, c: attempt
  kApprove,
  kConfirm,
  kFail,
  kReturn,        // the bank returns a confirmed payment (reverse with the return's bank_ref)
  kEventItem,     // b: creditor; paid by the event's own line
  kClose,         // b: mode
  kStrayReceipt,  // an unidentified receipt that no case claims
  kStrayRefund,   // ... returned to its payer
};
inline constexpr uint8_t kByAccountNumber = 1;  // the receipt names the virtual account
inline constexpr uint8_t kBankRefDiffers = 2;   // the bank's statement shows another reference

struct Step {
  int day = 0;  // while drafting: days after filing; then the day of the year
  Kind kind = Kind::kOpen;
  uint8_t a = 0, b = 0, c = 0, d = 0;
  Fen amount = 0;
  int value_day = 0;  // money in: the bank's value date (a claim: its unidentified receipt's)
};

struct CasePlan {
  int64_t index = 0;
  int court = 0;
  int64_t serial = 0;
  Role role = Role::kFull;
  bool small = false;
  int filed = 0;
  Fen claim = 0;
  Fen fee = 0;
  int creditors = 1, debtors = 1;
  std::array<int, 3> creditor_kind{};  // 0 person, 1 enterprise, 2 financial institution
  std::array<int, 2> debtor_kind{};    // 0 person, 1 enterprise, 2 government
  bool livelihood = false, organized_crime = false;
  int judge = 0;
  int closure_months = 6;
  std::optional<int> performance_due;  // days after filing (negative: before)
  int min_close = 0;                   // 终本: the earliest closing, days after filing
  bool stays_open = false;             // not squeezed into the year: may be open at its end
  std::vector<Step> steps;
};

// The case number (案号), "(2021)甘0102执17号", and the prefix of the case's request ids.
std::string CaseNo(const CasePlan& p);
std::string CasePrefix(const CasePlan& p);

// Drafting a plan: steps at a cursor that only moves forward.
class Draft {
 public:
  Draft(CasePlan* plan, Rng* rng) : plan_(plan), rng_(rng) {}
  Step& At(Kind kind, uint8_t a = 0, uint8_t b = 0, uint8_t c = 0, const Fen& amount = 0) {
    plan_->steps.push_back(Step{t_, kind, a, b, c, 0, amount, 0});
    return plan_->steps.back();
  }
  void Wait(int lo, int hi) { t_ += rng_->Between(lo, hi); }
  int t() const { return t_; }
  Rng& rng() { return *rng_; }
  CasePlan& plan() { return *plan_; }

 private:
  CasePlan* plan_;
  Rng* rng_;
  int t_ = 0;
};

// Among the creditors: one takes all, two share 60/40, three 40/30/30.
std::vector<Fen> CreditorShares(const Fen& amount, int creditors);

// The steps of each role, from the plan's role, claim and parties. Each returns the day (after
// filing) the case's closing is anchored on when a late filing squeezes it into the year.
// 执行完毕: paid in instalments, each disbursed, the listing deleted, closed.
int DraftFull(Draft& d);
// 终本: the debtors listed or restricted, part of the money found or none, closed after three
// months.
int DraftThisRound(Draft& d);
// Maybe part paid, closed as terminated.
int DraftTerminated(Draft& d);
// Withdrawn, refused, rejected and preservation cases move no money.
int DraftQuiet(Draft& d, int mode, int lo, int hi);
// A case paid at the collective disbursement day `event_day`, its money arriving between the
// days `earliest` and `latest`.
void DraftEventCase(Draft& d, int event_day, int earliest, int latest);
// Unidentified receipts that no case claims, some returned to their payer: dated after filing,
// outside the cursor.
void Strays(Draft& d);

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_PLANS_H_
