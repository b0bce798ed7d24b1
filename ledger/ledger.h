// The front door of ledger/: the RocksDB store of entries and state, the append path,
// reads at a point in time, and verification. The other front doors (CMakeLists.txt
// LEDGER_FRONT_DOOR) are the read layer (reading.h, reports.h, reconciling.h) and the export
// format (export.h); the rest of ledger/ is internal.
#ifndef CASELEDGER_LEDGER_LEDGER_H_
#define CASELEDGER_LEDGER_LEDGER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caseledger.pb.h"
#include "core/command_json.h"
#include "core/date.h"
#include "core/engine.h"
#include "core/reconcile.h"
#include "core/status.h"
#include "core/transaction.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace caseledger {

using Hash = std::array<uint8_t, 32>;
// Lowercase hex of a hash, and back: exactly 64 lowercase hex digits, else false.
std::string HexOf(const Hash& hash);
bool ParseHex(std::string_view text, Hash* hash);

// One entry as the log stores it (proto/FORMAT.md "Entries": the value of its `e` key, its hash
// and its bytes), with its sequence number: what replication carries (server/replica.h).
struct LogRecord {
  uint64_t seq = 0;
  std::string value;
};

// What `apply` prints for one command.
struct CommandResult {
  Status status;
  std::optional<std::string> request_id;
  bool created = false;
  uint64_t seq = 0;
  pb::Outcome outcome;
};

// One entry as stored: its sequence number, hash and bytes, parsed.
struct StoredEntry {
  uint64_t seq = 0;
  Hash prev_hash{};
  Hash hash{};
  std::string bytes;
  pb::Entry entry;
};

struct VerifyReport {
  bool ok = true;
  uint64_t entries = 0;
  uint64_t head_seq = 0;  // the last good entry on damage
  Hash head_hash{};
  std::optional<uint64_t> first_bad_seq;
  std::string problem;
};

// The ledger's side of a bank reconciliation (SPEC §4), by bank dates.
struct BankActivity {
  Fen balance_fen = 0;                  // the bank balance at the period's end, by bank dates
  uint64_t as_of_seq = 0;               // the last entry read: the ledger's head
  std::vector<BankMovement> movements;  // with a bank date in the period, by seq
  CaseOfAccount case_of_account;        // every case opened
};

// Where a read looks: the latest state, the state after entry N, or the entries dated on
// or before D.
struct PointInTime {
  std::optional<uint64_t> at_seq;
  std::optional<Date> as_of;
};

// How a ledger is opened. The defaults are what users get; tests put a fault-injecting file
// system below RocksDB (tests/ledger/fault_test.cc) or fix the clock.
struct OpenOptions {
  rocksdb::Env* env = nullptr;  // null: the default environment. Not owned; outlives the ledger.
  // recorded_at of new entries in microseconds since the epoch; empty: the system clock, or
  // the CASELEDGER_RECORDED_AT_US environment variable when it is set (README "Reliability").
  std::function<int64_t()> clock;
  // OpenForRead only: the log alone will be read (entries, the Merkle tree, the head), which
  // every format since codec::kSameLogSinceVersion stores byte for byte alike, so a ledger of
  // such an older format opens too (`export`, the way to migrate it); reading its state is then
  // UNSUPPORTED_FORMAT. Without it, a ledger of another format is UNSUPPORTED_FORMAT at open.
  bool log_only = false;
};

class Ledger {
 public:
  // Opens (creating it if needed) for writing. LEDGER_LOCKED if another process writes it.
  static Result<std::unique_ptr<Ledger>> OpenForWrite(const std::string& directory,
                                                      const OpenOptions& open = {});
  // Both refuse a ledger of another format version (proto/FORMAT.md "Format version") with
  // UNSUPPORTED_FORMAT, naming both versions and how to migrate, and change nothing in it.
  // Opens a committed prefix without the write lock. NO_LEDGER if there is none.
  static Result<std::unique_ptr<Ledger>> OpenForRead(const std::string& directory,
                                                     const OpenOptions& open = {});
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // ---- Writing. Commands are staged into a group, then committed in one synced batch.
  // Decides one command against the committed state plus the staged group. A rejected
  // command stages nothing. The result is not durable until Commit() succeeds.
  // `origin` says where the command comes from (core/engine.h): caseledgerd passes
  // kAuthenticated, `apply --maintenance` kMaintenance; it is recorded in the entry.
  CommandResult Stage(const ParsedCommand& parsed, const Origin& origin = {});
  // Writes the staged group in one WriteBatch with sync = true: Seal() then Land().
  [[nodiscard]] Status Commit();
  // Hands the staged group to a background task that writes it in one WriteBatch with
  // sync = true, and returns at once, so that the next group is staged (decided on top of the
  // sealed one) while the disk syncs. At most one group is in flight: Seal lands the one before
  // first. Nothing of a sealed group is durable, nor may be acknowledged, before Land() is ok.
  [[nodiscard]] Status Seal();
  // Waits for the sealed group to be written and synced (ok at once when none is in flight).
  // On failure the group staged since is dropped as well: it was decided on the failed one.
  [[nodiscard]] Status Land();
  // True when no group is in flight or the one in flight is written: Land() will not wait.
  bool Landed() const;
  // Called on the writing thread as each sealed group's write ends (written or failed), so that
  // a caller waiting for other work too need not poll Landed(); Land() then waits only for the
  // hand-over. Set before the first Seal.
  void OnLanded(std::function<void()> hook);
  // Called on the writing thread with each sealed group's entries before they are written, but
  // not for groups staged by StageStored: a replicated leader appends them to the shared log
  // there (server/replica.h), so that the next group is decided meanwhile. A failure fails the
  // group as a failed write does: nothing of it written, the group staged since dropped. Set
  // before the first Seal.
  void BeforeWrite(std::function<Status(const std::vector<LogRecord>&)> hook);
  // Drops the staged group (an --atomic file with a rejected line), after landing a sealed one.
  void Abandon();
  size_t staged_entries() const;
  // An entry as stored, parsed: CORRUPTION if it is short or does not parse (its hash and chain
  // are checked when StageStored stages it).
  static Result<StoredEntry> ParseLogRecord(const LogRecord& record);
  // `import`: stages an entry as exported (its bytes, hash and recorded_at kept), after checking
  // that it is the next sequence number, chains from the staged head, and that deciding its
  // command again on the state gives exactly its bytes. CORRUPTION on any difference.
  [[nodiscard]] Status StageStored(const StoredEntry& stored);

  // ---- Reading.
  // A consistent read-only view of this ledger, open for writing, as of the groups landed when
  // it is taken (RocksDB's snapshot; ledger/snapshot.cc): caseledgerd's readers, on their own
  // threads while the writer stages and lands. The writer must outlive it.
  Result<std::unique_ptr<Ledger>> OpenSnapshot();
  uint64_t head_seq() const;
  Hash head_hash() const;
  // UNKNOWN_CASE if the case does not exist at that point.
  Result<pb::CaseRecord> GetCase(const std::string& case_no, const PointInTime& point);
  // The case's restoration chain at that point, first case first (the case itself included).
  Result<std::vector<pb::CaseRecord>> GetChain(const pb::CaseRecord& record,
                                               const PointInTime& point);
  // The rules in force at that point: the latest set_rules entry, else the defaults.
  Result<pb::RulesRecord> GetRules(const PointInTime& point);
  // A state record of another kind (events, distributions, defaulters, ...) at that point
  // (versioned kinds honour it; the others are current). nullopt when there is none.
  Result<std::optional<std::string>> GetRecord(Table table, const std::string& id,
                                               const PointInTime& point);
  // Every record of a kind at that point, in id order.
  Status ForEachRecord(Table table, const PointInTime& point,
                       const std::function<Status(const std::string& bytes)>& visit);
  // The latest version of every case, in case number order.
  Status ForEachCase(const std::function<void(const pb::CaseRecord&)>& visit);
  Result<pb::GlobalRecord> GetGlobal(const PointInTime& point);
  // The sequence numbers of the entries that touched a case, in order.
  Result<std::vector<uint64_t>> CaseHistory(const std::string& case_no);
  Result<StoredEntry> GetEntry(uint64_t seq);
  // Every committed entry in [from, to], in order, prev_hash filled; stops at visit's error.
  Status ForEachEntry(uint64_t from, uint64_t to,
                      const std::function<Status(const StoredEntry&)>& visit);
  // The `on` date of entry `seq`.
  Result<Date> EntryDate(uint64_t seq);
  // The ledger as it stands, by bank dates (money in by value date, money out by `on`): every
  // movement through the bank with a bank date in [from, to], whenever it was booked, reversed
  // entries and their reversals left out (a bank return of an outflow stays, with the outflow),
  // and the bank balance of every movement with a bank date on or before `to`. One scan of the
  // log from the period's first entry to the head (ledger/reconcile.cc).
  Result<BankActivity> GetBankActivity(Date from, Date to);

  // ---- The Merkle tree over the entry hashes (SPEC §5, core/merkle.h), kept incrementally.
  // The head of the tree of the first `size` entries (size <= head_seq; 0: the empty tree).
  Result<Hash> TreeHead(uint64_t size);
  // The audit path of entry `seq` in the tree of `size` entries (1 <= seq <= size <= head).
  Result<std::vector<Hash>> InclusionProof(uint64_t seq, uint64_t size);
  // The proof that the tree of new_size entries extends that of old_size (1 <= old <= new).
  Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size);

  // ---- Checking (SPEC §5, §6): the chain, the postings, and a full replay from empty.
  // `progress` is called now and then with (entries done, entries in all).
  Result<VerifyReport> Verify(const std::function<void(uint64_t, uint64_t)>& progress);
  // The fast pass (`verify --fast`, ledger/verify_fast.cc, README "Two levels of verify"): reads
  // each entry once and decides no command again. The chain, each entry's postings (they parse
  // and balance), every stored Merkle tree node and the tree head, and the stored balances (the
  // special account's record at the head, each case's newest record) against the sums of all
  // postings. Four threads; the same report as Verify.
  Result<VerifyReport> VerifyFast(const std::function<void(uint64_t, uint64_t)>& progress);

  class Impl;

 private:
  // One verification pass (ledger/verify.cc); `locate` reads each version back as it goes.
  Result<VerifyReport> VerifyPass(bool locate,
                                  const std::function<void(uint64_t, uint64_t)>& progress);
  explicit Ledger(std::unique_ptr<Impl> impl);
  // Loads the head and the tree of a just-opened database; closes it on failure.
  static Result<std::unique_ptr<Ledger>> Finish(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger

#endif  // CASELEDGER_LEDGER_LEDGER_H_
