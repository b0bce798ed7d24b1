// verify --fast: the checks that need no command decided again, reading each entry once in seq
// order, on two threads (README "Auditing"). The reading thread checks the sequence, the head
// file and the Merkle tree (the stored nodes against those recomputed from the stored hashes);
// a second thread checks each chunk of entries' chain hashes and postings and sums the postings
// per account; at the end the stored state's balances are compared with those sums.
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/snapshot.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/engine.h"
#include "core/figures.h"
#include "core/limits.h"
#include "ledger/codec.h"
#include "ledger/impl.h"

namespace caseledger {
namespace {

constexpr uint64_t kNoProblem = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kProgressEvery = 10000;  // entries between progress calls, as verify's
constexpr size_t kLogReadaheadBytes = 8 << 20;
constexpr size_t kTreeReadaheadBytes = 1 << 20;

// The first problem found: the lowest seq wins, from whichever thread; for one entry, a problem
// of its own bytes (the checking thread's, rank 0) before one of what it completes (rank 1).
class FirstProblem {
 public:
  void Note(uint64_t seq, int rank, const std::string& problem) {
    std::lock_guard lock(mutex_);
    if (seq > seq_.load() || (seq == seq_.load() && rank >= rank_)) return;
    seq_ = seq;
    rank_ = rank;
    problem_ = problem;
  }
  // kNoProblem when there is none.
  uint64_t seq() const { return seq_.load(std::memory_order_relaxed); }
  std::string problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<uint64_t> seq_ = kNoProblem;
  int rank_ = 0;
  std::string problem_;
};

// Consecutive entries, their values ('e' values: hash ‖ stored bytes) packed in one buffer.
struct Chunk {
  uint64_t first_seq = 0;
  Hash prev_hash{};  // the stored hash of entry first_seq − 1 (zeros before entry 1)
  std::string values;
  std::vector<size_t> ends;  // where each value ends in `values`
};

// Chunks from the reading thread to the checking one, at most kVerifyChunksInFlight at once.
class ChunkQueue {
 public:
  void Push(Chunk chunk) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return chunks_.size() < kVerifyChunksInFlight; });
    chunks_.push_back(std::move(chunk));
    ready_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  // False once closed and empty.
  bool Pop(Chunk* chunk) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) return false;
    *chunk = std::move(chunks_.front());
    chunks_.pop_front();
    room_.notify_one();
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Chunk> chunks_;
  bool closed_ = false;
};

// The postings summed per account (debits positive). 128 bits: no sum of int64 amounts over
// fewer than 2^64 postings overflows.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
using AccountSums = std::unordered_map<std::string, __int128, StringHash, std::equal_to<>>;

// FORMAT.md "Entries": the accounts a posting may name.
bool KnownAccount(std::string_view account) {
  static constexpr std::string_view kAccounts[] = {"bank", "charges",  "suspense",
                                                   "fees", "lodgment", "interest"};
  return CaseOfPostingAccount(account) ||
         std::find(std::begin(kAccounts), std::end(kAccounts), account) != std::end(kAccounts);
}

// One entry's postings: they parse, name known accounts and balance; added to `sums`.
Status CheckPostingsOf(std::string_view bytes, std::vector<codec::PostingView>* postings,
                       AccountSums* sums) {
  CASELEDGER_RETURN_IF_ERROR(codec::EntryPostings(bytes, postings));
  int64_t sum = 0;
  for (const codec::PostingView& posting : *postings) {
    if (!KnownAccount(posting.account))
      return Status::Corruption("a posting to an unknown account");
    if (__builtin_add_overflow(sum, posting.amount_fen, &sum)) {
      return Status::Corruption("postings overflow");
    }
  }
  if (sum != 0) return Status::Corruption("postings do not balance (debits != credits)");
  for (const codec::PostingView& posting : *postings) {
    auto it = sums->find(posting.account);
    if (it == sums->end()) it = sums->emplace(std::string(posting.account), 0).first;
    it->second += posting.amount_fen;
  }
  return Status::Ok();
}

// The checking thread: each chunk's chain hashes and postings, until the first problem (or one
// the reading thread found before this chunk).
void CheckChunks(ChunkQueue* queue, FirstProblem* first, AccountSums* sums) {
  Chunk chunk;
  std::vector<codec::PostingView> postings;
  while (queue->Pop(&chunk)) {
    Hash prev = chunk.prev_hash;
    size_t begin = 0;
    for (size_t i = 0; i < chunk.ends.size(); ++i) {
      const uint64_t seq = chunk.first_seq + i;
      if (seq > first->seq()) break;
      const std::string_view value(chunk.values.data() + begin, chunk.ends[i] - begin);
      begin = chunk.ends[i];
      Hash hash{};
      std::string_view bytes;
      Status problem = codec::DecodeEntryValue(value, &hash, &bytes);
      if (problem.ok() && codec::ChainHash(prev, seq, bytes) != hash) {
        problem = Status::Corruption("hash chain broken: the entry's bytes or hash were changed");
      }
      if (problem.ok()) problem = CheckPostingsOf(bytes, &postings, sums);
      if (!problem.ok()) {
        first->Note(seq, /*rank=*/0, problem.message());
        break;
      }
      prev = hash;
    }
  }
}

// The stored tree nodes compared with those an append of each entry completes, as it completes
// them: one iterator per level, each reading its level's keys in index order (the order in which
// appends complete them), so that the whole tree is read once, sequentially.
class TreeCheck {
 public:
  TreeCheck(rocksdb::DB* db, const rocksdb::ReadOptions& options) : db_(db), options_(options) {
    options_.readahead_size = kTreeReadaheadBytes;
  }
  Status Check(int level, uint64_t index, const merkle::Digest& hash);
  // After the last entry: no level holds a node past those the appends completed.
  Status CheckNoMore(std::optional<uint64_t>* bad_seq);
  Status status() const;

 private:
  rocksdb::DB* db_;
  rocksdb::ReadOptions options_;
  std::vector<std::unique_ptr<rocksdb::Iterator>> levels_;
};

Status TreeCheck::Check(int level, uint64_t index, const merkle::Digest& hash) {
  if (levels_.size() <= static_cast<size_t>(level)) levels_.resize(level + 1);
  std::unique_ptr<rocksdb::Iterator>& it = levels_[level];
  const std::string key = codec::TreeKey(level, index);
  if (it == nullptr) {
    it.reset(db_->NewIterator(options_));
    it->Seek(key);
  }
  if (!it->Valid() || it->key().ToStringView() != key) {
    if (!it->status().ok()) return status();
    return Status::Corruption("a Merkle tree node is missing from the store");
  }
  Hash stored{};
  if (!codec::DecodeTreeValue(it->value().ToStringView(), &stored).ok() || stored != hash) {
    return Status::Corruption("a stored Merkle tree node differs");
  }
  it->Next();
  return Status::Ok();
}

Status TreeCheck::CheckNoMore(std::optional<uint64_t>* bad_seq) {
  const std::string tree_prefix(1, codec::kTreePrefix);
  for (size_t level = 0; level <= levels_.size() && level < codec::kTreeLevelsMax; ++level) {
    std::unique_ptr<rocksdb::Iterator> fresh;
    rocksdb::Iterator* it = level < levels_.size() ? levels_[level].get() : nullptr;
    if (it == nullptr) {  // a level no append reached: it must be empty
      fresh.reset(db_->NewIterator(options_));
      it = fresh.get();
      it->Seek(codec::TreeKey(static_cast<int>(level), 0));
    }
    const std::string_view key = it->Valid() ? it->key().ToStringView() : std::string_view();
    if (!it->status().ok()) return status();
    // Levels sort in order: past the highest level any tree key is a node too many; below it,
    // a key of the level itself.
    const std::string level_prefix = tree_prefix + static_cast<char>(level);
    if (key.starts_with(fresh != nullptr ? tree_prefix : level_prefix)) {
      uint64_t seq = 0;
      if (codec::TreeKeySeq(key, &seq).ok()) *bad_seq = seq;
      return Status::Corruption("a stored Merkle tree node the log does not complete");
    }
  }
  return Status::Ok();
}

Status TreeCheck::status() const {
  for (const auto& it : levels_) {
    if (it == nullptr || it->status().ok()) continue;
    if (it->status().IsCorruption()) {
      return Status::Corruption("the store is damaged: " + it->status().ToString());
    }
    return Status::IoError("reading the tree: " + it->status().ToString());
  }
  return Status::Ok();
}

// What the reading thread found: the last entry read, and the tree over the entries read.
struct LogScan {
  uint64_t last_seq = 0;
  Hash last_hash{};
  merkle::Frontier frontier;
};

// Entry `seq`'s key and value: the sequence, and a value that holds a hash.
Status DecodeEntry(const rocksdb::Iterator& it, uint64_t seq, Hash* hash) {
  uint64_t found = 0;
  // A key that does not decode is seq 0: a sequence gap.
  if (!codec::DecodeEntryKey(it.key().ToStringView(), &found).ok()) found = 0;
  if (found != seq) {
    return Status::Corruption("sequence gap: expected entry " + std::to_string(seq) + ", found " +
                              std::to_string(found));
  }
  std::string_view bytes;
  return codec::DecodeEntryValue(it.value().ToStringView(), hash, &bytes);
}

// What entry `seq` (of stored hash `hash`) completes: the head file's record, the tree nodes.
Status CheckCompleted(uint64_t seq, const Hash& hash,
                      const std::optional<files::HeadRecord>& acknowledged, TreeCheck* tree,
                      LogScan* scan) {
  if (acknowledged && acknowledged->seq == seq && acknowledged->hash != hash) {
    return Status::Corruption("the head file holds another hash for this entry");
  }
  Status nodes;
  scan->frontier.Append(hash, [&](int level, uint64_t index, const merkle::Digest& node) {
    if (nodes.ok()) nodes = tree->Check(level, index, node);
  });
  return nodes;
}

// The reading thread: every entry in seq order, into chunks for the checking thread, until the
// first problem (its own, or one the checking thread found before). IO_ERROR is returned.
Status ScanLog(rocksdb::DB* db, rocksdb::ReadOptions options,
               const std::optional<files::HeadRecord>& acknowledged, TreeCheck* tree,
               ChunkQueue* queue, FirstProblem* first, LogScan* scan,
               const std::function<void(uint64_t, uint64_t)>& progress, uint64_t total) {
  options.readahead_size = kLogReadaheadBytes;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::EntriesPrefix();
  Chunk chunk;
  chunk.first_seq = 1;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const uint64_t seq = scan->last_seq + 1;
    if (seq >= first->seq()) break;  // the checking thread found a problem before this entry
    Hash hash{};
    if (Status bad = DecodeEntry(*it, seq, &hash); !bad.ok()) {
      first->Note(seq, /*rank=*/1, bad.message());
      break;
    }
    // Into the chunk first: the checking thread checks the entry's own bytes even when what it
    // completes is damaged, and names that first.
    chunk.values.append(it->value().ToStringView());
    chunk.ends.push_back(chunk.values.size());
    Status problem = CheckCompleted(seq, hash, acknowledged, tree, scan);
    if (problem.code() == Code::kIoError) return problem;
    if (!problem.ok()) {
      first->Note(seq, /*rank=*/1, problem.message());
      break;
    }
    scan->last_seq = seq;
    scan->last_hash = hash;
    if (chunk.ends.size() == kVerifyChunkEntries) {
      queue->Push(std::move(chunk));
      chunk = Chunk{seq + 1, hash, {}, {}};
    }
    if (progress && seq % kProgressEvery == 0) progress(seq, total);
  }
  queue->Push(std::move(chunk));
  // A block that fails its checksum is damage, reported at the first entry not yet checked.
  if (it->status().IsCorruption()) {
    first->Note(scan->last_seq + 1, /*rank=*/1, "the store is damaged: " + it->status().ToString());
  } else if (!it->status().ok()) {
    return Status::IoError("reading the log: " + it->status().ToString());
  }
  return Status::Ok();
}

// ---- The stored state against the postings.

Fen SumOf(const AccountSums& sums, std::string_view account) {
  auto it = sums.find(account);
  return it == sums.end() ? Fen(0) : Fen(it->second);
}

// "<what> is A where the postings sum to B" (amounts in yuan).
Status Disagrees(const std::string& what, const Fen& stored, const Fen& summed) {
  return Status::Corruption(what + " is " + FormatAmount(stored) + " where the postings sum to " +
                            FormatAmount(summed));
}

// CORRUPTION or IO_ERROR of an iterator's status.
Status IteratorStatus(const rocksdb::Iterator& it, const std::string& what) {
  if (it.status().ok()) return Status::Ok();
  if (it.status().IsCorruption()) {
    return Status::Corruption("the store is damaged: " + it.status().ToString());
  }
  return Status::IoError("reading " + what + ": " + it.status().ToString());
}

// The newest version of the special account's record: the head's, its balances the sums of all
// postings (the bank and the charges debits − credits, the others credits − debits). *seq is
// the version's entry.
Status CheckGlobal(rocksdb::DB* db, const rocksdb::ReadOptions& options, const AccountSums& sums,
                   uint64_t head, uint64_t* seq) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::VersionPrefix(Table::kGlobal, "");
  it->Seek(prefix);
  const bool found = it->Valid() && it->key().starts_with(prefix);
  CASELEDGER_RETURN_IF_ERROR(IteratorStatus(*it, "the special account's record"));
  *seq = found ? 0 : head;
  if (!found) {
    if (head == 0) return Status::Ok();
    return Status::Corruption("the special account's record is missing");
  }
  std::string_view record;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionKey(it->key().ToStringView(), &record, seq));
  if (*seq != head) {
    *seq = std::min(*seq + 1, head);  // the first entry whose version is missing (or foreign)
    return Status::Corruption("the special account's newest record is not the head's");
  }
  pb::GlobalRecord global;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(it->value().ToStringView(), &global));
  Fen cases = 0;
  for (const auto& [account, sum] : sums) {
    if (CaseOfPostingAccount(account)) cases -= Fen(sum);
  }
  const std::pair<const char*, std::pair<Fen, Fen>> figures[] = {
      {"bank", {Fen(global.bank_fen()), SumOf(sums, "bank")}},
      {"cases", {Fen(global.cases_fen()), cases}},
      {"suspense", {Fen(global.suspense_fen()), -SumOf(sums, "suspense")}},
      {"fees", {Fen(global.fees_fen()), -SumOf(sums, "fees")}},
      {"lodgment", {Fen(global.lodgment_fen()), -SumOf(sums, "lodgment")}},
      {"interest", {Fen(global.interest_fen()), -SumOf(sums, "interest")}},
      {"charges", {Fen(global.charges_fen()), SumOf(sums, "charges")}}};
  for (const auto& [account, amounts] : figures) {
    if (amounts.first != amounts.second) {
      return Disagrees(std::string("the special account's ") + account + " balance after entry " +
                           std::to_string(head),
                       amounts.first, amounts.second);
    }
  }
  return Status::Ok();
}

// The fields of CaseRecord whose sum is the case's balance (core/figures.h BalanceByFigures).
constexpr int kCaseFigureFields[] = {
    pb::CaseRecord::kReceivedFenFieldNumber,     pb::CaseRecord::kRefundedFenFieldNumber,
    pb::CaseRecord::kPaidToOthersFenFieldNumber, pb::CaseRecord::kDisbursedFenFieldNumber,
    pb::CaseRecord::kFeesFenFieldNumber,         pb::CaseRecord::kCostsFenFieldNumber,
    pb::CaseRecord::kLodgedFenFieldNumber,       pb::CaseRecord::kRemittedFenFieldNumber,
    pb::CaseRecord::kTransferredFenFieldNumber};

// A case's balance by the figures of its stored record, read from the wire format.
Result<Fen> CaseBalance(std::string_view bytes) {
  int64_t values[std::size(kCaseFigureFields)];
  CASELEDGER_RETURN_IF_ERROR(codec::ReadSint64Fields(bytes, kCaseFigureFields, values));
  pb::CaseRecord figures;
  figures.set_received_fen(values[0]);
  figures.set_refunded_fen(values[1]);
  figures.set_paid_to_others_fen(values[2]);
  figures.set_disbursed_fen(values[3]);
  figures.set_fees_fen(values[4]);
  figures.set_costs_fen(values[5]);
  figures.set_lodged_fen(values[6]);
  figures.set_remitted_fen(values[7]);
  figures.set_transferred_fen(values[8]);
  return BalanceByFigures(figures);
}

// The newest version of every case: its balance by its figures is what the postings to its
// account sum to (credits − debits). *seq: the entry that wrote the earliest disagreeing
// version; none for postings to a case that has no record.
Status CheckCases(rocksdb::DB* db, const rocksdb::ReadOptions& options, const AccountSums& sums,
                  std::optional<uint64_t>* seq) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::TablePrefix(Table::kCase);
  Status first;
  size_t with_postings = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);) {
    std::string_view id_view, record;
    uint64_t version = 0;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionId(it->key().ToStringView(), &id_view));
    CASELEDGER_RETURN_IF_ERROR(
        codec::DecodeVersionKey(it->key().ToStringView(), &record, &version));
    const std::string id(id_view);
    const std::string account = CaseAccount(id);
    if (sums.contains(account)) ++with_postings;
    Result<Fen> balance = CaseBalance(it->value().ToStringView());
    const Fen summed = -SumOf(sums, account);
    if ((!balance.ok() || *balance != summed) && (!*seq || version < **seq)) {
      *seq = version;
      first = balance.ok()
                  ? Disagrees("case " + id + "'s balance after entry " + std::to_string(version),
                              *balance, summed)
                  : Status::Corruption("case " + id + "'s record does not parse");
    }
    it->Seek(codec::NextRecordKey(Table::kCase, id));  // the next case's newest version
  }
  CASELEDGER_RETURN_IF_ERROR(IteratorStatus(*it, "the case records"));
  if (!first.ok()) return first;
  size_t case_accounts = 0;
  for (const auto& [account, sum] : sums) case_accounts += CaseOfPostingAccount(account) ? 1 : 0;
  if (case_accounts != with_postings) {
    return Status::Corruption("postings name a case account whose case has no record");
  }
  return Status::Ok();
}

// After a scan that found no problem: what only the whole log shows. *seq: the first bad entry.
Status CheckComplete(Ledger::Impl& impl, const rocksdb::ReadOptions& options, const LogScan& scan,
                     const AccountSums& sums, TreeCheck* tree, std::optional<uint64_t>* seq) {
  const uint64_t acknowledged = impl.acknowledged ? impl.acknowledged->seq : 0;
  if (std::max(acknowledged, impl.head_seq) > scan.last_seq) {
    *seq = scan.last_seq + 1;
    return Status::Corruption("entries " + std::to_string(scan.last_seq + 1) + " to " +
                              std::to_string(std::max(acknowledged, impl.head_seq)) +
                              " were acknowledged but are missing");
  }
  CASELEDGER_RETURN_IF_ERROR(tree->CheckNoMore(seq));
  if (scan.last_seq > 0) {
    // What `digest` prints: the head folded from the stored nodes.
    CASELEDGER_ASSIGN_OR_RETURN(merkle::Digest head,
                                merkle::Root(scan.last_seq, impl.TreeReader()));
    if (head != scan.frontier.Root()) {
      *seq = scan.last_seq;
      return Status::Corruption("the stored tree's head differs from the recomputed one");
    }
  }
  uint64_t global_seq = 0;
  Status global = CheckGlobal(impl.db.get(), options, sums, scan.last_seq, &global_seq);
  if (global.code() == Code::kIoError) return global;
  Status cases = CheckCases(impl.db.get(), options, sums, seq);
  if (cases.code() == Code::kIoError) return cases;
  if (!global.ok() && (cases.ok() || !*seq || global_seq <= **seq)) {
    *seq = global_seq;
    return global;
  }
  return cases;
}

}  // namespace

// The fast pass (README "Auditing"): the reading thread and the checking thread, then what only
// the whole log shows. Every read is of one snapshot, so a writer appending meanwhile changes
// nothing this pass sees.
Result<VerifyReport> Ledger::VerifyFast(const std::function<void(uint64_t, uint64_t)>& progress) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  rocksdb::DB* db = impl_->db.get();
  rocksdb::ManagedSnapshot snapshot(db);
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  options.fill_cache = false;  // everything is read once: caching it would only evict
  FirstProblem first;
  ChunkQueue queue;
  AccountSums sums;
  LogScan scan;
  TreeCheck tree(db, options);
  std::thread checker(CheckChunks, &queue, &first, &sums);
  const Status scanned = ScanLog(db, options, impl_->acknowledged, &tree, &queue, &first, &scan,
                                 progress, impl_->head_seq);
  queue.Close();
  checker.join();
  CASELEDGER_RETURN_IF_ERROR(scanned);
  std::optional<uint64_t> bad_seq;
  Status problem;
  if (first.seq() != kNoProblem) {
    bad_seq = first.seq();
    problem = Status::Corruption(first.problem());
  } else {
    problem = CheckComplete(*impl_, options, scan, sums, &tree, &bad_seq);
    if (problem.code() == Code::kIoError) return problem;
  }
  VerifyReport report;
  report.entries = report.head_seq = scan.last_seq;
  report.head_hash = scan.last_hash;
  if (problem.ok()) return report;
  report.ok = false;
  report.first_bad_seq = bad_seq;
  report.problem = problem.message();
  if (bad_seq && *bad_seq <= report.head_seq) {
    // On damage the head is the last good entry (SPEC §8): the one before the first bad.
    report.head_seq = report.entries = *bad_seq - 1;
    report.head_hash.fill(0);
    if (report.head_seq > 0) {
      CASELEDGER_ASSIGN_OR_RETURN(StoredEntry last_good, GetEntry(report.head_seq));
      report.head_hash = last_good.hash;
    }
  }
  return report;
}

}  // namespace caseledger
