// Replaying entries from empty, in memory: what `verify` compares with the store and what
// `verify --file` checks an export with. Not a public header.
#ifndef CASELEDGER_LEDGER_REPLAY_H_
#define CASELEDGER_LEDGER_REPLAY_H_

#include <functional>
#include <map>
#include <string>

#include "core/merkle.h"
#include "core/transaction.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"

namespace caseledger {

// State rebuilt in memory, in the same keys as RocksDB.
class MemoryState : public StateReader, public codec::Sink {
 public:
  // `latest_only` keeps just the newest version of a versioned record: enough to decide the
  // next command. `entries` reads earlier entries back (reversals look them up); without it
  // they are kept in memory.
  explicit MemoryState(bool latest_only, StateReader* entries = nullptr)
      : latest_only_(latest_only), entries_source_(entries) {}
  Status Read(Table table, std::string_view id, std::string* value, bool* found) override;
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override;
  void Put(const std::string& key, const std::string& value) override;
  void Delete(const std::string& key) override { kv_.erase(key); }
  void AddEntry(uint64_t seq, const std::string& bytes) {
    if (entries_source_ == nullptr) entries_[seq] = bytes;
  }
  const std::map<std::string, std::string>& kv() const { return kv_; }

 private:
  bool latest_only_;
  StateReader* entries_source_;
  std::map<std::string, std::string> kv_;
  std::map<uint64_t, std::string> entries_;
};

// Checks entries one after another from seq 1: the sequence, the chain (prev_hash and hash),
// that the bytes parse, that the postings balance, that deciding the entry's command again on
// the replayed state gives the same bytes, and grows the Merkle tree. The first problem is a
// Corruption; the entry at fault is next_seq(). Only the latest version of each record is
// kept: every version and tree node an entry writes goes to `check` (verify compares it with
// the store there and then), so memory holds the current state, not the history.
class Replayer {
 public:
  using VersionCheck = std::function<Status(const std::string& key, const std::string& value)>;
  explicit Replayer(VersionCheck check = nullptr, StateReader* entries = nullptr)
      : state_(/*latest_only=*/true, entries), check_(std::move(check)) {}
  Status Add(const StoredEntry& stored);

  uint64_t next_seq() const { return frontier_.size() + 1; }
  const Hash& head_hash() const { return head_hash_; }
  const merkle::Frontier& frontier() const { return frontier_; }
  const MemoryState& state() const { return state_; }

 private:
  MemoryState state_;
  VersionCheck check_;
  Hash head_hash_{};
  merkle::Frontier frontier_;
};

// The sum of an entry's postings is zero (debits = credits).
Status CheckPostings(const pb::Entry& entry);
// Checks that `stored` is entry `seq` chained from `prev`, that its bytes parse and balance, and
// decides its command again through `tx` (which then holds its writes): the bytes must be the
// same. CORRUPTION naming the first difference.
Status ReplayEntry(const StoredEntry& stored, uint64_t seq, const Hash& prev, Transaction* tx);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_REPLAY_H_
