// verify --fast: the checks that need no command decided again, reading each entry once in seq
// order (README "Two levels of verify"). One thread reads the log (the sequence, the head file)
// and hands chunks of entries to two others: the chain thread checks each entry's chain hash and
// postings and sums the postings per account; the tree thread recomputes the Merkle tree from
// the stored hashes and compares every node with the stored one. A fourth reads each case's
// newest record meanwhile. At the end the stored balances are compared with the sums.
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/snapshot.h>

#include <algorithm>
#include <atomic>
#include <bit>
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
constexpr size_t kStepsBeforeSeek = 64;

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
  std::vector<Hash> hashes;  // each entry's stored hash (the tree thread reads only these)
};

// Entries are read once and handed to both checking threads.
using SharedChunk = std::shared_ptr<const Chunk>;

// Chunks from the reading thread to a checking one, at most kVerifyChunksInFlight at once.
class ChunkQueue {
 public:
  void Push(SharedChunk chunk) {
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
  bool Pop(SharedChunk* chunk) {
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
  std::deque<SharedChunk> chunks_;
  bool closed_ = false;
};

// FORMAT.md "Entries": the accounts a posting may name, besides the cases'.
constexpr std::string_view kAccounts[] = {"bank", "charges",  "suspense",
                                          "fees", "lodgment", "interest"};
constexpr size_t kSpecialAccounts = std::size(kAccounts);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// The postings summed per account (debits positive). 128 bits: no sum of int64 amounts over
// fewer than 2^64 postings overflows. At scale 1 there are 156,468 case accounts, too many for
// the cache, and a lookup per posting: the accounts are kept in the order first posted to (a
// case is posted to mostly while it is young, so recent ones share cache lines and pages), each
// with its name inline, behind a small open-addressing index (4 bytes a slot, mostly in cache).
// Names too long for an account's line go to a map beside it.
class AccountSums {
 public:
  // `accounts`: how many to expect (the index grows past it).
  explicit AccountSums(size_t accounts) : index_(std::bit_ceil(2 * accounts + 64), kEmpty) {
    accounts_.reserve(accounts);
  }
  void Add(std::string_view account, int64_t amount_fen) {
    if (account.empty() || account.size() > kNameBytesMax) {
      long_names_[std::string(account)] += amount_fen;
      return;
    }
    uint32_t& slot = index_[SlotOf(account)];
    if (slot == kEmpty) {
      slot = static_cast<uint32_t>(accounts_.size());
      Account& added = accounts_.emplace_back();
      added.length = static_cast<uint8_t>(account.size());
      std::copy(account.begin(), account.end(), added.name);
      added.sum = amount_fen;
      if (accounts_.size() * 2 > index_.size()) Grow();
      return;
    }
    accounts_[slot].sum += amount_fen;
  }
  __int128 Sum(std::string_view account) const {
    if (account.empty() || account.size() > kNameBytesMax) {
      auto it = long_names_.find(account);
      return it == long_names_.end() ? 0 : it->second;
    }
    const uint32_t slot = index_[SlotOf(account)];
    return slot == kEmpty ? 0 : accounts_[slot].sum;
  }
  // visit(account, sum) for every account posted to.
  void ForEach(const std::function<void(std::string_view, __int128)>& visit) const {
    for (const Account& account : accounts_) visit(account.view(), account.sum);
    for (const auto& [account, sum] : long_names_) visit(account, sum);
  }

 private:
  static constexpr size_t kNameBytesMax = 47;
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct alignas(64) Account {
    __int128 sum = 0;
    uint8_t length = 0;
    char name[kNameBytesMax];
    std::string_view view() const { return {name, length}; }
  };
  // The index slot of `account`, or the empty one where it goes (linear probing; the index is
  // at most half full, so there is one).
  size_t SlotOf(std::string_view account) const {
    const size_t mask = index_.size() - 1;
    for (size_t i = StringHash{}(account)&mask;; i = (i + 1) & mask) {
      if (index_[i] == kEmpty || accounts_[index_[i]].view() == account) return i;
    }
  }
  void Grow() {
    index_.assign(index_.size() * 2, kEmpty);
    for (size_t i = 0; i < accounts_.size(); ++i) {
      index_[SlotOf(accounts_[i].view())] = static_cast<uint32_t>(i);
    }
  }

  std::vector<uint32_t> index_;
  std::vector<Account> accounts_;
  std::unordered_map<std::string, __int128, StringHash, std::equal_to<>> long_names_;
};

bool KnownAccount(std::string_view account) {
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
  for (const codec::PostingView& posting : *postings)
    sums->Add(posting.account, posting.amount_fen);
  return Status::Ok();
}

// Entry i of a chunk: its value.
std::string_view ValueAt(const Chunk& chunk, size_t i) {
  const size_t begin = i == 0 ? 0 : chunk.ends[i - 1];
  return std::string_view(chunk.values).substr(begin, chunk.ends[i] - begin);
}

// The chain thread: each entry's chain hash and postings, until the first problem (or one of
// another thread at an earlier entry).
void CheckChain(ChunkQueue* queue, FirstProblem* first, AccountSums* sums) {
  SharedChunk chunk;
  std::vector<codec::PostingView> postings;
  while (queue->Pop(&chunk)) {
    Hash prev = chunk->prev_hash;
    for (size_t i = 0; i < chunk->ends.size(); ++i) {
      const uint64_t seq = chunk->first_seq + i;
      if (seq > first->seq()) break;
      const std::string_view value = ValueAt(*chunk, i);
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

// What the reading thread found: the last entry read; and the tree thread: the tree over them.
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

// The tree thread: the tree nodes each entry completes, from its stored hash, against the
// stored ones, until the first problem (or one of another thread at an earlier entry).
// IO_ERROR in *io_error.
void CheckTree(ChunkQueue* queue, FirstProblem* first, TreeCheck* tree, merkle::Frontier* frontier,
               Status* io_error) {
  SharedChunk chunk;
  while (queue->Pop(&chunk)) {
    for (size_t i = 0; i < chunk->ends.size() && io_error->ok(); ++i) {
      const uint64_t seq = chunk->first_seq + i;
      if (seq >= first->seq()) break;  // this thread's problem there would rank after it
      Status nodes;
      frontier->Append(chunk->hashes[i],
                       [&](int level, uint64_t index, const merkle::Digest& node) {
                         if (nodes.ok()) nodes = tree->Check(level, index, node);
                       });
      if (nodes.code() == Code::kIoError) *io_error = nodes;
      if (!nodes.ok()) {
        first->Note(seq, /*rank=*/1, nodes.message());
        break;
      }
    }
  }
}

// The reading thread: every entry in seq order, into chunks for the chain and tree threads,
// until the first problem (its own, or one another thread found before). IO_ERROR is returned.
Status ScanLog(rocksdb::DB* db, rocksdb::ReadOptions options,
               const std::optional<files::HeadRecord>& acknowledged, ChunkQueue* chain,
               ChunkQueue* tree, FirstProblem* first, LogScan* scan,
               const std::function<void(uint64_t, uint64_t)>& progress, uint64_t total) {
  options.readahead_size = kLogReadaheadBytes;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::EntriesPrefix();
  auto chunk = std::make_shared<Chunk>();
  chunk->first_seq = 1;
  auto hand_over = [&] {
    chain->Push(chunk);
    tree->Push(chunk);
  };
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const uint64_t seq = scan->last_seq + 1;
    if (seq >= first->seq()) break;  // another thread found a problem before this entry
    Hash hash{};
    Status problem = DecodeEntry(*it, seq, &hash);
    if (problem.ok() && acknowledged && acknowledged->seq == seq && acknowledged->hash != hash) {
      problem = Status::Corruption("the head file holds another hash for this entry");
    }
    if (!problem.ok()) {
      first->Note(seq, /*rank=*/1, problem.message());
      break;
    }
    chunk->values.append(it->value().ToStringView());
    chunk->ends.push_back(chunk->values.size());
    chunk->hashes.push_back(hash);
    scan->last_seq = seq;
    scan->last_hash = hash;
    if (chunk->ends.size() == kVerifyChunkEntries) {
      hand_over();
      chunk = std::make_shared<Chunk>(Chunk{seq + 1, hash, {}, {}, {}});
      chunk->values.reserve(it->value().size() * kVerifyChunkEntries * 5 / 4);
      chunk->ends.reserve(kVerifyChunkEntries);
      chunk->hashes.reserve(kVerifyChunkEntries);
    }
    if (progress && seq % kProgressEvery == 0) progress(seq, total);
  }
  hand_over();
  // A block that fails its checksum is damage, reported at the first entry not yet checked.
  if (it->status().IsCorruption()) {
    first->Note(scan->last_seq + 1, /*rank=*/1, "the store is damaged: " + it->status().ToString());
  } else if (!it->status().ok()) {
    return Status::IoError("reading the log: " + it->status().ToString());
  }
  return Status::Ok();
}

// ---- The stored state against the postings.

Fen SumOf(const AccountSums& sums, std::string_view account) { return Fen(sums.Sum(account)); }

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

// How many cases the newest special account's record says were opened (0 when it cannot say):
// what the tables of sums and cases expect, not a check.
size_t CasesOpened(rocksdb::DB* db, const rocksdb::ReadOptions& options) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::VersionPrefix(Table::kGlobal, "");
  it->Seek(prefix);
  pb::GlobalRecord global;
  if (!it->Valid() || !it->key().starts_with(prefix) ||
      !codec::DecodeRecord(it->value().ToStringView(), &global).ok()) {
    return 0;
  }
  return std::min<uint64_t>(global.cases_opened(), kVerifyCasesExpectedMax);
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
  sums.ForEach([&](std::string_view account, __int128 sum) {
    if (CaseOfPostingAccount(account)) cases -= Fen(sum);
  });
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

// A case's newest record as stored: its balance by its figures (nullopt: it does not parse) and
// the entry that wrote it, by the case's posting account.
struct StoredCase {
  std::optional<Fen> balance;
  uint64_t seq = 0;
};
using StoredCases = std::unordered_map<std::string, StoredCase, StringHash, std::equal_to<>>;

// The cases thread: the newest version of every case (one seek each: the versions of a case
// sort together, newest first), meanwhile the log is read.
Status ReadCases(rocksdb::DB* db, rocksdb::ReadOptions options, StoredCases* cases) {
  options.readahead_size = kLogReadaheadBytes;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
  const std::string prefix = codec::TablePrefix(Table::kCase);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);) {
    std::string_view id, record;
    StoredCase stored;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionId(it->key().ToStringView(), &id));
    CASELEDGER_RETURN_IF_ERROR(
        codec::DecodeVersionKey(it->key().ToStringView(), &record, &stored.seq));
    Result<Fen> balance = CaseBalance(it->value().ToStringView());
    if (balance.ok()) stored.balance = *balance;
    const std::string next = codec::NextRecordKey(Table::kCase, id);
    cases->emplace(CaseAccount(id), stored);
    // The case's older versions: stepped over when few (a seek costs as much as dozens of
    // steps), sought past when many.
    size_t steps = 0;
    for (it->Next(); it->Valid() && it->key().compare(next) < 0; it->Next()) {
      if (++steps == kStepsBeforeSeek) {
        it->Seek(next);
        break;
      }
    }
  }
  return IteratorStatus(*it, "the case records");
}

// Each case's newest record: its balance by its figures is what the postings to its account sum
// to (credits − debits). *seq: the entry that wrote the earliest disagreeing version; none for
// postings to a case that has no record.
Status CheckCases(const StoredCases& cases, const AccountSums& sums, std::optional<uint64_t>* seq) {
  Status first;
  for (const auto& [account, stored] : cases) {
    const Fen summed = -SumOf(sums, account);
    if (stored.balance == summed || (*seq && **seq <= stored.seq)) continue;
    *seq = stored.seq;
    const std::string what =
        "case " + std::string(*CaseOfPostingAccount(account)) + "'s balance after entry ";
    first = stored.balance
                ? Disagrees(what + std::to_string(stored.seq), *stored.balance, summed)
                : Status::Corruption("case " + std::string(*CaseOfPostingAccount(account)) +
                                     "'s record does not parse");
  }
  if (!first.ok()) return first;
  bool recorded = true;
  sums.ForEach([&](std::string_view account, __int128) {
    if (CaseOfPostingAccount(account) && !cases.contains(account)) recorded = false;
  });
  if (!recorded) return Status::Corruption("postings name a case account whose case has no record");
  return Status::Ok();
}

// After a scan that found no problem: what only the whole log shows. *seq: the first bad entry.
Status CheckComplete(Ledger::Impl& impl, const rocksdb::ReadOptions& options, const LogScan& scan,
                     const AccountSums& sums, const StoredCases& cases, TreeCheck* tree,
                     std::optional<uint64_t>* seq) {
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
  Status by_case = CheckCases(cases, sums, seq);
  if (!global.ok() && (by_case.ok() || !*seq || global_seq <= **seq)) {
    *seq = global_seq;
    return global;
  }
  return by_case;
}

// The four threads: this one reads the log; the chain, tree and cases threads check.
// IO_ERROR is returned; damage is in `first`.
Status RunThreads(Ledger::Impl& impl, const rocksdb::ReadOptions& options, FirstProblem* first,
                  LogScan* scan, AccountSums* sums, StoredCases* cases, TreeCheck* tree,
                  const std::function<void(uint64_t, uint64_t)>& progress) {
  rocksdb::DB* db = impl.db.get();
  ChunkQueue chain_queue, tree_queue;
  Status tree_status, cases_status;
  std::thread chain_thread(CheckChain, &chain_queue, first, sums);
  std::thread tree_thread(CheckTree, &tree_queue, first, tree, &scan->frontier, &tree_status);
  std::thread cases_thread([&] { cases_status = ReadCases(db, options, cases); });
  const Status scanned = ScanLog(db, options, impl.acknowledged, &chain_queue, &tree_queue, first,
                                 scan, progress, impl.head_seq);
  chain_queue.Close();
  tree_queue.Close();
  chain_thread.join();
  tree_thread.join();
  cases_thread.join();
  CASELEDGER_RETURN_IF_ERROR(scanned);
  CASELEDGER_RETURN_IF_ERROR(tree_status);
  if (cases_status.code() == Code::kIoError) return cases_status;
  // A case key or record that does not decode: damage with no entry to name.
  if (!cases_status.ok()) first->Note(kNoProblem - 1, /*rank=*/1, cases_status.message());
  return Status::Ok();
}

}  // namespace

// The fast pass (README "Two levels of verify"). Every read is of one snapshot, so a writer
// appending meanwhile changes nothing this pass sees.
Result<VerifyReport> Ledger::VerifyFast(const std::function<void(uint64_t, uint64_t)>& progress) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  rocksdb::ManagedSnapshot snapshot(impl_->db.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  options.fill_cache = false;  // everything is read once: caching it would only evict
  FirstProblem first;
  LogScan scan;
  const size_t cases_opened = CasesOpened(impl_->db.get(), options);
  AccountSums sums(cases_opened + kSpecialAccounts);
  StoredCases cases;
  cases.reserve(cases_opened);
  TreeCheck tree(impl_->db.get(), options);
  CASELEDGER_RETURN_IF_ERROR(
      RunThreads(*impl_, options, &first, &scan, &sums, &cases, &tree, progress));
  std::optional<uint64_t> bad_seq;
  Status problem;
  if (first.seq() != kNoProblem) {
    if (first.seq() != kNoProblem - 1) bad_seq = first.seq();
    problem = Status::Corruption(first.problem());
  } else {
    problem = CheckComplete(*impl_, options, scan, sums, cases, &tree, &bad_seq);
    if (problem.code() == Code::kIoError) return problem;
  }
  VerifyReport report;
  report.entries = report.head_seq = scan.last_seq;
  report.head_hash = scan.last_hash;
  if (problem.ok()) return report;
  report.ok = false;
  report.first_bad_seq = bad_seq;
  report.problem = problem.message();
  CASELEDGER_RETURN_IF_ERROR(RewindToLastGood(this, bad_seq, &report));
  return report;
}

}  // namespace caseledger
