#include "bench/plans.h"

#include <fmt/core.h>

#include <algorithm>

#include "bench/year.h"

namespace caseledger::bench {

std::string CaseNo(const CasePlan& p) {
  return fmt::format("({})甘{}{}{}号", kYear, kCourts[p.court].digits,
                     p.role == Role::kPreservation ? "执保" : "执", p.serial);
}

std::string CasePrefix(const CasePlan& p) {
  return fmt::format("{}-{}", kCourts[p.court].digits, p.serial);
}

// Among the creditors: one takes all, two share 60/40, three 40/30/30.
std::vector<Fen> CreditorShares(const Fen& amount, int creditors) {
  if (creditors == 1) return {amount};
  std::vector<Fen> shares;
  if (creditors == 2) {
    shares = {amount * 6 / 10};
  } else {
    shares = {amount * 4 / 10, amount * 3 / 10};
  }
  Fen given = 0;
  for (const Fen& s : shares) given += s;
  shares.push_back(amount - given);
  return shares;
}

namespace {

// `total` in `parts` positive shares by random weights; the last takes the remainder.
std::vector<Fen> SplitAmount(const Fen& total, int parts, Rng& rng) {
  std::vector<int> weights(parts);
  int sum = 0;
  for (int& w : weights) sum += (w = rng.Between(30, 100));
  std::vector<Fen> shares(parts);
  Fen given = 0;
  for (int i = 0; i + 1 < parts; ++i) given += (shares[i] = total * weights[i] / sum);
  shares[parts - 1] = total - given;
  return shares;
}

// What can go differently in the disbursement cycles of a case.
struct Twists {
  int hold_cycle = -1;
  int hold_ground = 0;
  int fail_cycle = -1;
  int return_cycle = -1;
  int unreachable_cycle = -1;  // the creditor cannot be reached for months
};

// Paying `amount` of cycle `j` out to the creditors: requested by the judge, approved by the
// bureau chief, confirmed by finance once the bank paid.
void PayOut(Draft& d, int j, const Fen& amount, const Twists& twists) {
  Rng& rng = d.rng();
  const int creditors = d.plan().creditors;
  const std::vector<Fen> shares = CreditorShares(amount, creditors);
  if (twists.hold_cycle == j) {
    d.Wait(1, 3);
    d.At(Kind::kHold, j, twists.hold_ground);
    if (twists.hold_ground == kHoldSuspended) d.At(Kind::kSuspend, j);
    d.Wait(5, 30);
    d.At(Kind::kRelease, j);
    if (twists.hold_ground == kHoldSuspended) d.At(Kind::kResume, j);
  }
  if (twists.unreachable_cycle == j) {
    d.Wait(100, 250);
  } else {
    rng.PerMille(50) ? d.Wait(31, 45) : d.Wait(1, 10);  // some money waits past its 30 days
  }
  for (int c = 0; c < creditors; ++c) d.At(Kind::kRequest, j, c, 0, shares[c]);
  d.Wait(0, 2);
  for (int c = 0; c < creditors; ++c) d.At(Kind::kApprove, j, c, 0, shares[c]);
  int attempt = 0;
  if (twists.fail_cycle == j) {  // the bank refuses the first creditor's account
    d.Wait(1, 2);
    d.At(Kind::kFail, j, 0, 0, shares[0]);
    d.Wait(2, 5);
    attempt = 1;
    d.At(Kind::kRequest, j, 0, attempt, shares[0]);
    d.At(Kind::kApprove, j, 0, attempt, shares[0]);
  }
  d.Wait(1, 3);
  for (int c = 0; c < creditors; ++c) d.At(Kind::kConfirm, j, c, c == 0 ? attempt : 0, shares[c]);
  if (twists.return_cycle == j) {  // paid, then returned by the payee's bank
    d.Wait(1, 3);
    d.At(Kind::kReturn, j, 0, attempt, shares[0]);
    d.Wait(2, 5);
    ++attempt;
    d.At(Kind::kRequest, j, 0, attempt, shares[0]);
    d.Wait(0, 1);
    d.At(Kind::kApprove, j, 0, attempt, shares[0]);
    d.Wait(1, 2);
    d.At(Kind::kConfirm, j, 0, attempt, shares[0]);
  }
}

// One receipt j of `amount`: by case number or virtual account, as an unidentified receipt then
// claimed, or booked wrong, reversed and booked again.
void Receive(Draft& d, int j, const Fen& amount, int source, bool unidentified, bool wrong) {
  Rng& rng = d.rng();
  const int lag_pick = rng.Between(0, 99);
  const int lag = lag_pick < 75 ? 0 : lag_pick < 90 ? 1 : rng.Between(2, kValueLagMax);
  if (unidentified) {
    d.At(Kind::kUnidentified, j, source, lag, amount);
    rng.PerMille(100) ? d.Wait(4, 8) : d.Wait(1, 2);  // a few claimed past the 3-day limit
    d.At(Kind::kClaim, j, source, 0, amount);
    return;
  }
  if (wrong) {
    d.At(Kind::kWrongReceipt, j, source, lag, amount * 10);  // a slipped digit
    d.At(Kind::kReverseReceipt, j, source, lag, amount * 10);
  }
  Step& step = d.At(Kind::kReceipt, j, source, lag, amount);
  if (source == kBankDeduction ? rng.PerMille(300) : rng.PerMille(100)) step.d |= kByAccountNumber;
  if (rng.PerMille(5)) step.d |= kBankRefDiffers;
}

int ReceiptCount(Rng& rng) {
  static constexpr std::array<int, 6> kWeights = {35, 30, 20, 8, 5, 2};  // 1..6 instalments
  return rng.Pick(kWeights) + 1;
}

int PickSource(Rng& rng, bool small) {
  static constexpr std::array<int, 6> kLarge = {40, 25, 0, 12, 10, 5};
  static constexpr std::array<int, 6> kSmall = {55, 25, 0, 10, 5, 5};
  return small ? rng.Pick(kSmall) : rng.Pick(kLarge);
}

// Listing or restricting the debtors (RULES §5).
void Enforce(Draft& d, bool list) {
  Rng& rng = d.rng();
  static constexpr std::array<int, 4> kGrounds = {60, 15, 15, 10};  // grounds 1, 3, 4, 6
  static constexpr std::array<int, 4> kGroundNumbers = {1, 3, 4, 6};
  const int ground = kGroundNumbers[rng.Pick(kGrounds)];
  const int extra = ground == 1 ? 0 : rng.Between(0, 1);
  if (list) {
    d.At(Kind::kList, 0, ground, extra);
  } else {
    d.At(Kind::kRestrict, 0);
  }
  if (d.plan().debtors > 1) d.At(Kind::kRestrict, 1);
}

// After full payment: the listing deleted and the restrictions lifted.
void Release(Draft& d, bool listed, bool restricted, int reason) {
  if (!listed && !restricted) return;
  d.Wait(1, 3);
  if (listed) d.At(Kind::kDelist, 0, reason);
  d.At(Kind::kLift, 0);
  if (d.plan().debtors > 1) d.At(Kind::kLift, 1);
}

}  // namespace

// Unidentified receipts that no case claims: some are returned to their payer.
void Strays(Draft& d) {
  Rng& rng = d.rng();
  if (!rng.PerMille(3)) return;
  const int when = rng.Between(5, 60);
  const Fen amount = Fen(rng.Between(200, 50000)) * 100;
  d.plan().steps.push_back(Step{when, Kind::kStrayReceipt, 0, 0, 0, 0, amount, 0});
  if (rng.PerMille(700)) {
    d.plan().steps.push_back(
        Step{when + rng.Between(5, 25), Kind::kStrayRefund, 0, 0, 0, 0, amount, 0});
  }
}

// 执行完毕: the debtor pays claim and fee (and the costs of a sale, and sometimes too much) in
// instalments; each is disbursed; then the listing is deleted and the case closed.
int DraftFull(Draft& d) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const int enforce = rng.Between(0, 999);
  const bool listed = enforce < 300, restricted = !listed && enforce < 450;
  if (listed || restricted) {
    d.Wait(10, 25);
    Enforce(d, listed);
  }
  const int k = ReceiptCount(rng);
  const int auction = !p.small && rng.PerMille(150) ? rng.Between(0, k - 1) : -1;
  const Fen costs = auction >= 0 ? Fen(p.claim) * rng.Between(10, 30) / 100000 * 100 : Fen(0);
  const Fen overpay = rng.PerMille(30) ? Fen(rng.Between(100, 3000)) * 100 : Fen(0);
  const bool wrong_first = rng.PerMille(10);
  Twists twists;
  if (rng.PerMille(80)) twists = {rng.Between(0, k - 1), rng.Between(0, 4), -1, -1};
  if (rng.PerMille(10)) twists.fail_cycle = rng.Between(0, k - 1);
  if (rng.PerMille(5)) twists.return_cycle = rng.Between(0, k - 1);
  if (rng.PerMille(15)) {  // money that may still be in the account, overdue, at the year's end
    twists.unreachable_cycle = k - 1;
    p.stays_open = true;
  }
  const std::vector<Fen> shares = SplitAmount(p.claim, k, rng);
  int anchor = 0;
  for (int j = 0; j < k; ++j) {
    j == 0 ? d.Wait(15, 60) : d.Wait(10, 35);
    Fen amount = shares[j] + (j == 0 ? p.fee : Fen(0)) + (j == auction ? costs : Fen(0));
    if (j == k - 1) amount += overpay;
    const int source = j == auction ? kAuction : PickSource(rng, p.small);
    const bool unidentified = !(wrong_first && j == 0) && rng.PerMille(50);
    Receive(d, j, amount, source, unidentified, wrong_first && j == 0);
    anchor = d.t();
    if (j == 0) d.At(Kind::kChargeFee, 0, 0, 0, p.fee);
    if (j == auction && costs > 0) d.At(Kind::kPayCosts, 0, 0, 0, costs);
    if (j == k - 1 && overpay > 0) d.At(Kind::kRefund, 0, 0, 0, overpay);
    PayOut(d, j, shares[j], twists);
  }
  Release(d, listed, restricted, 0);
  d.Wait(1, 7);
  d.At(Kind::kClose, 0, kFullyPerformed);
  return anchor;
}

namespace {

// Part of the claim recovered (pct percent), with its part of the fee: receipts, the fee, and
// each disbursed. Returns the day of the last receipt.
int PartPaid(Draft& d, int pct, int first_lo, int first_hi) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  const Fen recovered = p.claim * pct / 100;
  const Fen fee_part = p.fee * pct / 100;
  const int k = rng.Between(1, 2);
  const std::vector<Fen> shares = SplitAmount(recovered, k, rng);
  int last = d.t();
  for (int j = 0; j < k; ++j) {
    j == 0 ? d.Wait(first_lo, first_hi) : d.Wait(15, 40);
    const Fen amount = shares[j] + (j == 0 ? fee_part : Fen(0));
    Receive(d, j, amount, PickSource(d.rng(), p.small), rng.PerMille(30), false);
    last = d.t();
    if (j == 0 && fee_part > 0) d.At(Kind::kChargeFee, 0, 0, 0, fee_part);
    PayOut(d, j, shares[j], Twists{});
  }
  return last;
}

}  // namespace

// 终本: the debtors listed or restricted, part of the money found or none, closed once more than
// three months have passed since filing.
int DraftThisRound(Draft& d) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  d.Wait(15, 40);
  Enforce(d, rng.PerMille(850));
  if (rng.PerMille(500)) PartPaid(d, rng.Between(5, 40), 20, 50);
  const int anchor = d.t();
  d.plan().min_close = rng.Between(100, 150);  // mapped to working days it stays past 3 months
  d.Wait(1, 7);
  d.At(Kind::kClose, 0, kTerminatedThisRound);
  return anchor;
}

int DraftTerminated(Draft& d) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const bool listed = rng.PerMille(200);
  if (listed) {
    d.Wait(10, 30);
    Enforce(d, true);
  }
  if (rng.PerMille(350)) PartPaid(d, rng.Between(10, 60), 15, 45);
  if (listed) {
    d.Wait(1, 5);
    d.At(Kind::kDelist, 0, 1);
  }
  d.Wait(5, 40);
  d.At(Kind::kClose, 0, kTerminatedMode);
  return d.t();
}

// Withdrawn, refused, rejected and preservation cases move no money.
int DraftQuiet(Draft& d, int mode, int lo, int hi) {
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const bool restricted = mode == kWithdrawnMode && rng.PerMille(100);
  if (restricted) {
    d.Wait(5, 20);
    d.At(Kind::kRestrict, 0);
  }
  d.Wait(lo, hi);
  if (restricted) d.At(Kind::kLift, 0);
  d.At(Kind::kClose, 0, mode);
  return d.t();
}

// A case paid at a collective disbursement day `event_day`: its money arrives in the weeks
// before (some of it past its 30 days by then), the fee is charged, the event pays the
// creditors, and the case closes after.
void DraftEventCase(Draft& d, int event_day, int earliest, int latest) {
  CasePlan& p = d.plan();
  Rng& rng = d.rng();
  d.At(Kind::kOpen);
  const int until = event_day - p.filed;
  const int from = std::max(3, earliest - p.filed);
  const int last = latest - p.filed;
  const int k = last - from >= 10 && rng.PerMille(400) ? 2 : 1;
  const std::vector<Fen> shares = SplitAmount(p.claim, k, rng);
  for (int j = 0; j < k; ++j) {
    const int day =
        j == 0 ? rng.Between(from, k == 2 ? last - 8 : last) : rng.Between(d.t() + 3, last);
    d.Wait(day - d.t(), day - d.t());
    Receive(d, j, shares[j] + (j == 0 ? p.fee : Fen(0)), PickSource(rng, p.small), false, false);
    if (j == 0) d.At(Kind::kChargeFee, 0, 0, 0, p.fee);
  }
  d.Wait(until - d.t(), until - d.t());
  const std::vector<Fen> items = CreditorShares(p.claim, p.creditors);
  for (int c = 0; c < p.creditors; ++c) d.At(Kind::kEventItem, 0, c, 0, items[c]);
  d.Wait(1, 10);
  d.At(Kind::kClose, 0, kFullyPerformed);
}

}  // namespace caseledger::bench
