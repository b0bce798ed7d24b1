// Internals of Ledger shared by ledger/*.cc. Not a public header.
#ifndef CASELEDGER_LEDGER_IMPL_H_
#define CASELEDGER_LEDGER_IMPL_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/merkle.h"
#include "core/transaction.h"
#include "ledger/files.h"
#include "ledger/ledger.h"

namespace caseledger {

// Current state straight from RocksDB. Between commits the committed state does not change,
// so one iterator serves every versioned read; the latest version of each versioned record
// read or written is kept (the rules and the global record are read by every command, a
// busy case by many), up to a bound. This process is the only writer (the LOCK file), so
// after a commit the group's own writes are the latest versions: Remember() them.
// The latest version of versioned records (cases, the global record, rules, defaulters) the
// writer read or wrote, by version prefix; nullopt remembers a record that does not exist. Bounded
// by the bytes of keys and values: past kBudgetBytes the least recently used go first, so a
// province whose cases outgrow the budget loses only its coldest cases (a bound by count that
// forgot everything at once made every case of a large ledger a RocksDB seek again).
class VersionCache {
 public:
  static constexpr size_t kBudgetBytes = size_t{256} << 20;
  explicit VersionCache(size_t budget_bytes = kBudgetBytes) : budget_bytes_(budget_bytes) {}

  // nullptr when not cached; else the cached value (nullopt: known absent). Marks it recent.
  const std::optional<std::string>* Find(const std::string& prefix);
  void Put(const std::string& prefix, std::optional<std::string> value);
  void Clear();
  size_t bytes() const { return bytes_; }

 private:
  using Item = std::pair<std::string, std::optional<std::string>>;
  static size_t CostOf(const Item& item);
  size_t budget_bytes_;
  std::list<Item> recency_;  // most recent first
  std::unordered_map<std::string_view, std::list<Item>::iterator> index_;
  size_t bytes_ = 0;
};

class DbReader : public StateReader {
 public:
  explicit DbReader(rocksdb::DB* db) : db_(db) {}
  Status Read(Table table, std::string_view id, std::string* value, bool* found) override;
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override;
  // After a commit: the iterator's snapshot is stale; the written versions are the latest.
  void Remember(const Transaction::Writes& writes);
  // After a failed write, or before closing: forget everything.
  void Invalidate() {
    iterator_.reset();
    versions_.Clear();
  }

 private:
  rocksdb::DB* db_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
  VersionCache versions_;
};

// The owner of a RocksDB handle, for every open path: closes the database and deletes it. Close's
// status is dropped here: every acknowledged batch was synced, so a failed close loses nothing
// that was acknowledged, and nothing staged survives a close without Commit() by design.
struct DbCloser {
  void operator()(rocksdb::DB* db) const {
    (void)db->Close();
    delete db;
  }
};
using DbHandle = std::unique_ptr<rocksdb::DB, DbCloser>;

class Ledger::Impl {
 public:
  // Declared first, so destroyed last: after the reader's iterator and the staged group that read
  // through it (an iterator must not outlive its database).
  DbHandle db;
  bool read_only = false;
  // The format version stored in the ledger (codec::kFormatVersion, or an older one opened with
  // OpenOptions::log_only).
  int format_version = 0;
  std::string directory;
  rocksdb::Env* env = nullptr;  // the default environment or OpenOptions.env; not owned
  // The head file's record as read before the database was opened (nullopt: no head file), and
  // the writer's handle on it, written after every commit.
  std::optional<files::HeadRecord> acknowledged;
  std::unique_ptr<files::HeadFile> head_file;
  std::function<void()> landed_hook;  // Ledger::OnLanded
  std::function<int64_t()> clock;     // recorded_at of new entries, microseconds
  std::unique_ptr<DbReader> reader;
  // The committed head of the log.
  uint64_t head_seq = 0;
  Hash head_hash{};
  // The staged group: its writes (read by later commands of the group) and its batch.
  std::unique_ptr<Transaction> group;
  rocksdb::WriteBatch batch;
  uint64_t staged_seq = 0;
  Hash staged_hash{};
  std::vector<LogRecord> staged_log;  // the staged group's entries as stored, for before_write
  bool staged_imported = false;       // staged by StageStored: BeforeWrite's hook is not called
  std::function<Status(const std::vector<LogRecord>&)> before_write;  // Ledger::BeforeWrite
  // The Merkle tree's right edge, committed and staged (its size is the head / staged seq).
  merkle::Frontier frontier;
  merkle::Frontier staged_frontier;

  // A sealed group (Ledger::Seal): written and synced by a background task while the next group
  // is staged on top of it. Its writes stay readable as the staged group's parent until it lands.
  struct Landing {
    bool written = false;  // the batch is synced (the head file may still have failed)
    Status status;
  };
  struct Sealed {
    std::unique_ptr<Transaction> group;
    rocksdb::WriteBatch batch;
    uint64_t seq = 0;
    Hash hash{};
    merkle::Frontier frontier;
    std::vector<LogRecord> log;  // for before_write; empty when it is not called
    std::future<Landing> landing;
  };
  std::unique_ptr<Sealed> sealed;  // nullptr: none in flight

  // State is read only in a ledger of this program's format: UNSUPPORTED_FORMAT otherwise (one
  // of an older format opened for its log alone).
  Status CheckStateReadable() const;
  Status LoadHead();
  // Every entry the head file says was acknowledged is in the log, the last one unchanged;
  // CORRUPTION naming the missing entries otherwise (a deleted or cut write-ahead log).
  Status CheckAcknowledged();
  // The writer's head file: opened, or created with the current head for a ledger that has
  // none yet (new, or written before head files existed), then marked in the database.
  Status OpenHeadFile();
  // Loads the tree's frontier; a ledger opened for writing whose tree is behind its log (one
  // written before the tree existed) has the missing leaves appended first.
  Status LoadTree();
  // Writes a sealed group's batch with sync = true, then witnesses its head in the head file.
  // Runs on the background task; touches nothing the staging thread uses.
  Landing Write(Sealed* sealed);
  // Drops the staged group and everything staged since the head.
  void DropStaged();
  // Stages an entry's state writes into the batch (codec::EncodeWrites over the staged group);
  // refused, the batch is as it was.
  Status StageWrites(const Transaction& tx, uint64_t seq);
  // A case version's changing part joined with the case's fixed part ('k').
  Status JoinFixed(const std::string& case_no, std::string* changing);
  // The last fixed part read: a report reads each case at several dates in a row, and a fixed
  // part never changes once written, so it is never stale.
  std::mutex fixed_mutex;
  std::string fixed_case_no;
  std::string fixed_bytes;
  // Stages an entry's key and its tree nodes into the batch.
  Status StageEntry(uint64_t seq, const Hash& hash, const std::string& bytes);
  merkle::NodeReader TreeReader();
  Status FindVersion(Table table, const std::string& id, const PointInTime& point,
                     std::string* value, bool* found);
  Status FindGlobalAsOf(const PointInTime& point, std::string* value, bool* found);
};

// A damaged ledger's report names the last good entry as its head (SPEC §8): the one before
// `bad_seq`, with its hash; unchanged when there is no bad entry within the head. Shared by
// verify and verify --fast (ledger/verify.cc).
Status RewindToLastGood(Ledger* ledger, const std::optional<uint64_t>& bad_seq,
                        VerifyReport* report);

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_IMPL_H_
