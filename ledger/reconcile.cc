// The ledger's side of a bank reconciliation (SPEC §4): the ledger as it stands, every movement
// through the bank taken by its bank date (money in by value date, money out by `on`), whenever
// it was booked. One scan of the log from where the period's entries start (found by binary
// search on the global record's versions) to the head.
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>

#include "core/engine.h"
#include "core/identifiers.h"
#include "core/limits.h"
#include "core/names.h"
#include "ledger/codec.h"
#include "ledger/impl.h"
#include "ledger/ledger.h"

namespace caseledger {
namespace {

// A reversal that moved money through the bank: resolved against its target after the scan,
// since the target's kind is known only from its request record.
struct BankReversal {
  uint64_t seq = 0;
  std::string request_id;
  std::string target_request_id;
  std::optional<std::string> bank_ref;
  std::string on;
  Fen bank_fen = 0;     // signed: > 0 when money came back into the bank
  std::string case_no;  // the case the money came back to ("" for suspense)
};

// Outflows whose reversal with a bank_ref is a bank return: the money left the bank and came
// back under the return's own reference, so both stay on the ledger's side.
bool IsReturnableOutflow(pb::Operation op) {
  return op == pb::OPERATION_CONFIRM_DISBURSEMENT || op == pb::OPERATION_PAY_COSTS ||
         op == pb::OPERATION_REFUND || op == pb::OPERATION_REMIT_TREASURY;
}

// The operations that move money through the bank (Visit's cases): their entries are parsed
// whole even without a bank posting, so that such an entry is reported, not skipped. The scan
// parses only the entries that name one of them or post to the bank (codec::EntryMentions): most
// entries move no money through the bank.
Result<bool> MustParse(std::string_view bytes) {
  using C = pb::Command;
  return codec::EntryMentions(
      bytes,
      {C::kReceiptFieldNumber, C::kUnidentifiedReceiptFieldNumber,
       C::kConfirmDisbursementFieldNumber, C::kRefundUnidentifiedFieldNumber,
       C::kPayCostsFieldNumber, C::kRefundFieldNumber, C::kRemitTreasuryFieldNumber,
       C::kRemitFeesFieldNumber, C::kPayLodgmentFieldNumber, C::kCollectiveDisbursementFieldNumber,
       C::kReverseFieldNumber, C::kBankInterestFieldNumber, C::kBankChargeFieldNumber,
       C::kRemitInterestFieldNumber, C::kReimburseChargesFieldNumber},
      "bank");
}

uint64_t SeqOf(const BankMovement& movement) { return movement.seq; }
uint64_t SeqOf(uint64_t seq) { return seq; }

// The scan visits entries first..last. Those up to `booked_by` (the last entry of the ledger
// as of `to`, whose bank balance the caller has) are all dated on or before `to`; those after
// it ("late" entries, mostly booked after the period) add to that balance what they moved
// with a bank date on or before `to`.
class BankScan {
 public:
  BankScan(Date from, Date to, uint64_t first, uint64_t booked_by, uint64_t last)
      : from_(from.ToString()),
        to_(to.ToString()),
        first_(first),
        booked_by_(booked_by),
        by_to_(last + 1 - first, false) {
    // The period's entries (those booked by `to`) are most of its movements, and a period's
    // movements are of the order of its statement's lines: at most that many.
    const uint64_t booked = booked_by >= first ? booked_by + 1 - first : 0;
    movements_.reserve(std::min<uint64_t>(booked, kStatementLinesMax));
  }

  Status Visit(uint64_t seq, const pb::Entry& entry);
  // A bank return: the money came back under the reversal's own reference, dated by it.
  Status AddReturn(const BankReversal& reversal, std::vector<BankMovement>* returns);
  // A reversal that corrects a booking voids its target: a late one takes back what the
  // target added to the balance, if the target's bank date is on or before `to`.
  void AddCorrection(const BankReversal& reversal, uint64_t target_seq);
  std::vector<BankMovement>& movements() { return movements_; }
  const std::vector<BankReversal>& reversals() const { return reversals_; }
  // What late entries moved through the bank with a bank date on or before `to`, signed.
  const Fen& late_fen() const { return late_fen_; }

 private:
  bool InPeriod(const std::string& date) const { return date >= from_ && date <= to_; }
  bool Late(uint64_t seq) const { return seq > booked_by_; }
  Status Add(uint64_t seq, const pb::Command& command, const std::string& bank_ref,
             const Fen& bank_fen, const std::string& date, std::string case_no = "");
  Status AddItems(uint64_t seq, const pb::Command& command, const Fen& bank_fen);

  std::string from_, to_;
  uint64_t first_, booked_by_;
  std::vector<bool> by_to_;  // per entry visited: it moved money with a bank date <= `to`
  Fen late_fen_ = 0;
  std::vector<BankMovement> movements_;
  std::vector<BankReversal> reversals_;
};

Status BankScan::Add(uint64_t seq, const pb::Command& command, const std::string& bank_ref,
                     const Fen& bank_fen, const std::string& date, std::string case_no) {
  if (bank_fen == 0) {
    return Status::Corruption("entry " + std::to_string(seq) + " moves no money through the bank");
  }
  if (date <= to_) {
    by_to_[seq - first_] = true;
    if (Late(seq)) late_fen_ += bank_fen;
  }
  if (!InPeriod(date)) return Status::Ok();
  BankMovement movement;
  movement.seq = seq;
  movement.request_id = command.request_id();
  movement.op = OperationOf(command);
  movement.bank_ref = bank_ref;
  movement.direction = bank_fen > 0 ? Direction::kIn : Direction::kOut;
  movement.amount_fen = bank_fen > 0 ? bank_fen : -bank_fen;
  Result<Date> parsed = Date::Parse(date, "stored date");
  if (!parsed.ok()) return Status::Corruption("entry " + std::to_string(seq) + ": a bad date");
  movement.date = *parsed;
  Result<Date> on = Date::Parse(command.on(), "stored date");
  if (!on.ok()) return Status::Corruption("entry " + std::to_string(seq) + ": a bad date");
  movement.on = *on;
  movement.case_no = std::move(case_no);
  movements_.push_back(std::move(movement));
  return Status::Ok();
}

Status BankScan::AddReturn(const BankReversal& reversal, std::vector<BankMovement>* returns) {
  if (Late(reversal.seq) && reversal.on <= to_) late_fen_ += reversal.bank_fen;
  if (!InPeriod(reversal.on)) return Status::Ok();
  BankMovement movement;
  movement.seq = reversal.seq;
  movement.request_id = reversal.request_id;
  movement.op = pb::OPERATION_REVERSE;
  movement.bank_ref = *reversal.bank_ref;
  movement.direction = Direction::kIn;
  movement.amount_fen = reversal.bank_fen;
  movement.case_no = reversal.case_no;
  Result<Date> date = Date::Parse(reversal.on, "stored date");
  if (!date.ok())
    return Status::Corruption("entry " + std::to_string(reversal.seq) + ": a bad date");
  movement.date = *date;
  movement.on = *date;
  returns->push_back(std::move(movement));
  return Status::Ok();
}

void BankScan::AddCorrection(const BankReversal& reversal, uint64_t target_seq) {
  if (!Late(reversal.seq)) return;  // the target and the correction are both in the balance
  // A target before the scan was dated before `from`, so its bank date is before `to` too.
  const bool by_to = target_seq < first_ || by_to_[target_seq - first_];
  if (by_to) late_fen_ += reversal.bank_fen;
}

// Each item of a collective disbursement is its own payment, with its own bank_ref.
Status BankScan::AddItems(uint64_t seq, const pb::Command& command, const Fen& bank_fen) {
  const auto& items = command.collective_disbursement().items();
  Fen total = 0;
  for (const auto& item : items) {
    Result<Fen> amount = ParseAmount(item.amount(), "stored amount", AmountKind::kPositive);
    Result<CaseNumber> number = ParseCaseNumber(item.case_no(), "stored case_no");
    if (!amount.ok() || !number.ok()) {
      return Status::Corruption("entry " + std::to_string(seq) + ": an item does not parse");
    }
    total += *amount;
    const size_t before = movements_.size();
    CASELEDGER_RETURN_IF_ERROR(
        Add(seq, command, item.bank_ref(), -*amount, BankDateOf(command), number->text));
    // One bank line may pay the whole event (SPEC §4 batch lines).
    const auto& event = command.collective_disbursement();
    if (movements_.size() > before && event.has_batch_ref()) {
      movements_.back().batch_ref = event.batch_ref();
    }
  }
  // Paired check: the items are what left the bank.
  if (total != -bank_fen) {
    return Status::Corruption("entry " + std::to_string(seq) +
                              ": the items of a collective disbursement do not sum to its payment");
  }
  return Status::Ok();
}

Status BankScan::Visit(uint64_t seq, const pb::Entry& entry) {
  const pb::Command& c = EffectiveCommand(entry);
  Fen bank = 0;
  std::string case_no;
  for (const auto& posting : entry.postings()) {
    if (posting.account() == "bank") bank += posting.amount_fen();
    if (auto of = CaseOfPostingAccount(posting.account())) case_no = *of;
  }
  // A request that waits for approval (SPEC §9) moves nothing: its last step does.
  if (entry.outcome().has_pending_approval()) return Status::Ok();
  using C = pb::Command;
  switch (c.op_case()) {
    case C::kReceipt:
      return Add(seq, c, c.receipt().bank_ref(), bank, BankDateOf(c), case_no);
    case C::kUnidentifiedReceipt:
      return Add(seq, c, c.unidentified_receipt().bank_ref(), bank, BankDateOf(c));
    case C::kConfirmDisbursement:
      return Add(seq, c, c.confirm_disbursement().bank_ref(), bank, BankDateOf(c), case_no);
    case C::kRefundUnidentified:
      return Add(seq, c, c.refund_unidentified().refund_bank_ref(), bank, BankDateOf(c));
    case C::kPayCosts:
      return Add(seq, c, c.pay_costs().bank_ref(), bank, BankDateOf(c), case_no);
    case C::kRefund:
      return Add(seq, c, c.refund().bank_ref(), bank, BankDateOf(c), case_no);
    case C::kRemitTreasury:
      return Add(seq, c, c.remit_treasury().bank_ref(), bank, BankDateOf(c), case_no);
    case C::kRemitFees:
      return Add(seq, c, c.remit_fees().bank_ref(), bank, BankDateOf(c));
    case C::kPayLodgment:
      return Add(seq, c, c.pay_lodgment().bank_ref(), bank, BankDateOf(c));
    case C::kBankInterest:
      return Add(seq, c, c.bank_interest().bank_ref(), bank, BankDateOf(c));
    case C::kBankCharge:
      return Add(seq, c, c.bank_charge().bank_ref(), bank, BankDateOf(c));
    case C::kRemitInterest:
      return Add(seq, c, c.remit_interest().bank_ref(), bank, BankDateOf(c));
    case C::kReimburseCharges:
      return Add(seq, c, c.reimburse_charges().bank_ref(), bank, BankDateOf(c));
    case C::kCollectiveDisbursement:
      return AddItems(seq, c, bank);
    case C::kReverse:
      if (bank != 0) {
        const pb::Reverse& r = c.reverse();
        reversals_.push_back({seq, c.request_id(), r.target_request_id(),
                              r.has_bank_ref() ? std::optional(r.bank_ref()) : std::nullopt,
                              BankDateOf(c), bank, case_no});
      }
      return Status::Ok();
    default:
      break;
  }
  if (bank != 0) {
    // A new kind of entry that moves money must be taught to reconciliation, not skipped.
    return Status::Corruption(
        "entry " + std::to_string(seq) + " (" + OperationName(c) +
        ") moves money through the bank in a way reconciliation does not know");
  }
  return Status::Ok();
}

// Applies the reversals found by the scan, in order: a bank return of an outflow adds its own
// inbound movement and keeps the outflow; any other reversal corrects a booking: it takes its
// target out (one item of a collective disbursement when it names the item's bank_ref) and
// stays out itself, whenever it was booked.
Status ResolveReversals(Ledger* ledger, BankScan* scan, std::vector<BankMovement>* out) {
  std::vector<BankMovement>& movements = scan->movements();
  std::vector<bool> removed(movements.size(), false);
  std::vector<BankMovement> returns;
  for (const BankReversal& reversal : scan->reversals()) {
    CASELEDGER_ASSIGN_OR_RETURN(
        std::optional<std::string> bytes,
        ledger->GetRecord(Table::kRequest, reversal.target_request_id, PointInTime{}));
    pb::RequestRecord target;
    if (!bytes || !codec::DecodeRecord(*bytes, &target).ok()) {
      return Status::Corruption("entry " + std::to_string(reversal.seq) +
                                " reverses a request the ledger does not hold");
    }
    if (IsReturnableOutflow(target.op()) && reversal.bank_ref && reversal.bank_fen > 0) {
      CASELEDGER_RETURN_IF_ERROR(scan->AddReturn(reversal, &returns));
      continue;
    }
    scan->AddCorrection(reversal, target.seq());
    const auto [first, last] =
        std::equal_range(movements.begin(), movements.end(), target.seq(),
                         [](const auto& a, const auto& b) { return SeqOf(a) < SeqOf(b); });
    for (auto m = first; m != last; ++m) {
      const bool item = target.op() == pb::OPERATION_COLLECTIVE_DISBURSEMENT && reversal.bank_ref;
      if (!item || m->bank_ref == *reversal.bank_ref) removed[m - movements.begin()] = true;
    }
  }
  // Compacted in place and merged with the returns: no copy of the whole list.
  size_t kept = 0;
  for (size_t i = 0; i < movements.size(); ++i) {
    if (removed[i]) continue;
    if (kept != i) movements[kept] = std::move(movements[i]);
    ++kept;
  }
  movements.resize(kept);
  const auto middle = static_cast<std::ptrdiff_t>(movements.size());
  std::move(returns.begin(), returns.end(), std::back_inserter(movements));
  std::inplace_merge(movements.begin(), movements.begin() + middle, movements.end(),
                     [](const BankMovement& a, const BankMovement& b) { return a.seq < b.seq; });
  *out = std::move(movements);
  return Status::Ok();
}

// Every virtual account and its case, from the account table. Accounts of cases opened after
// the period come along; harmless, as matching by account pairs a line only with a receipt of
// that case dated in the period.
Status ReadAccounts(rocksdb::DB* db, CaseOfAccount* cases) {
  const std::string prefix = codec::TablePrefix(Table::kAccount);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string_view account;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeCurrentKey(it->key().ToStringView(), &account));
    (*cases)[std::string(account)] = it->value().ToString();
  }
  if (it->status().IsCorruption()) return Status::Corruption(it->status().ToString());
  if (!it->status().ok()) return Status::IoError("reading accounts: " + it->status().ToString());
  return Status::Ok();
}

}  // namespace

Result<BankActivity> Ledger::GetBankActivity(Date from, Date to) {
  BankActivity activity;
  activity.as_of_seq = impl_->head_seq;
  if (activity.as_of_seq == 0) return activity;
  // The ledger as of `to`: every entry up to it is dated on or before `to`, and so is each of
  // its bank dates (a value date is never after `on`). The entries after it are read too: a
  // receipt booked in April with the bank's value date in March is March's.
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord booked, GetGlobal(PointInTime{std::nullopt, to}));
  // Where the period's entries start: every entry up to the last one while the ledger's latest
  // date was still before `from` is dated before it, and so are its bank dates.
  CASELEDGER_ASSIGN_OR_RETURN(pb::GlobalRecord before,
                              GetGlobal(PointInTime{std::nullopt, from.AddDays(-1)}));
  const uint64_t first = before.last_seq() + 1;
  if (first > activity.as_of_seq) {
    activity.balance_fen = booked.bank_fen();
    CASELEDGER_RETURN_IF_ERROR(ReadAccounts(impl_->db.get(), &activity.case_of_account));
    return activity;
  }
  BankScan scan(from, to, first, booked.last_seq(), activity.as_of_seq);
  CASELEDGER_RETURN_IF_ERROR(ReadAccounts(impl_->db.get(), &activity.case_of_account));
  const std::string upper = codec::EntryKey(activity.as_of_seq + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  options.fill_cache = false;  // one pass over the log: keep the cache for the point reads
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(options));
  uint64_t expected = first;
  pb::Entry entry;
  for (it->Seek(codec::EntryKey(first)); it->Valid(); it->Next(), ++expected) {
    uint64_t seq = 0;
    Hash hash;
    std::string_view bytes;
    const bool decoded = codec::DecodeEntryKey(it->key().ToStringView(), &seq).ok() &&
                         codec::DecodeEntryValue(it->value().ToStringView(), &hash, &bytes).ok();
    if (!decoded || seq != expected) {
      return Status::Corruption("entry " + std::to_string(expected) + " is missing or malformed");
    }
    Result<bool> parse = MustParse(bytes);
    if (!parse.ok() || (*parse && !codec::DecodeRecord(bytes, &entry).ok())) {
      return Status::Corruption("entry " + std::to_string(expected) + " does not parse");
    }
    if (*parse) CASELEDGER_RETURN_IF_ERROR(scan.Visit(expected, entry));
  }
  if (it->status().IsCorruption()) return Status::Corruption(it->status().ToString());
  if (!it->status().ok()) return Status::IoError("scanning the log: " + it->status().ToString());
  if (expected != activity.as_of_seq + 1) {
    return Status::Corruption("the log ends before entry " + std::to_string(activity.as_of_seq));
  }
  CASELEDGER_RETURN_IF_ERROR(ResolveReversals(this, &scan, &activity.movements));
  activity.balance_fen = Fen(booked.bank_fen()) + scan.late_fen();
  return activity;
}

}  // namespace caseledger
