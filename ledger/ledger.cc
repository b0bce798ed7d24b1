#include "ledger/ledger.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdlib>
#include <future>
#include <system_error>
#include <type_traits>

#include "core/engine.h"
#include "core/rules.h"
#include "ledger/codec.h"
#include "ledger/files.h"
#include "ledger/impl.h"
#include "ledger/replay.h"

namespace caseledger {

std::string HexOf(const Hash& hash) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t byte : hash) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xf]);
  }
  return out;
}

bool ParseHex(std::string_view text, Hash* hash) {
  if (text.size() != 2 * hash->size()) return false;
  for (size_t i = 0; i < hash->size(); ++i) {
    int value = 0;
    for (char c : text.substr(2 * i, 2)) {
      // Lowercase only: the export writes lowercase, so an uppercase digit is a changed byte.
      if (c >= '0' && c <= '9') {
        value = value * 16 + (c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value = value * 16 + (c - 'a' + 10);
      } else {
        return false;
      }
    }
    (*hash)[i] = static_cast<uint8_t>(value);
  }
  return true;
}

namespace {

Status FromRocks(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::Ok();
  if (status.IsCorruption()) return Status::Corruption(what + ": " + status.ToString());
  return Status::IoError(what + ": " + status.ToString());
}

int64_t NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// The clock of new entries: the given one; else CASELEDGER_RECORDED_AT_US (whole microseconds
// since the epoch, for runs that must write the same bytes twice: the crash harness); else the
// system clock. A malformed variable is an error rather than a silent real clock.
Result<std::function<int64_t()>> ChooseClock(const OpenOptions& open) {
  if (open.clock) return open.clock;
  const char* fixed = std::getenv("CASELEDGER_RECORDED_AT_US");
  if (fixed == nullptr) return std::function<int64_t()>(NowMicros);
  const std::string text(fixed);
  int64_t micros = 0;
  const bool digits =
      !text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) micros = std::stoll(text);
  if (!digits) {
    return Status::InvalidArgument(
        "CASELEDGER_RECORDED_AT_US must be whole microseconds since 1970 (up to 18 digits)");
  }
  return std::function<int64_t()>([micros] { return micros; });
}

// Writes to a RocksDB batch.
class BatchSink : public codec::Sink {
 public:
  explicit BatchSink(rocksdb::WriteBatch* batch) : batch_(batch) {}
  void Put(const std::string& key, const std::string& value) override {
    status_ = batch_->Put(key, value);
  }
  void Delete(const std::string& key) override { status_ = batch_->Delete(key); }
  const rocksdb::Status& status() const { return status_; }

 private:
  rocksdb::WriteBatch* batch_;
  rocksdb::Status status_;
};

}  // namespace

// ---- DbReader: current state straight from RocksDB.

Status DbReader::Read(Table table, std::string_view id, std::string* value, bool* found) {
  *found = false;
  if (codec::IsVersioned(table)) {
    std::string prefix = codec::VersionPrefix(table, id);
    if (const std::optional<std::string>* cached = versions_.Find(prefix)) {
      *found = cached->has_value();
      if (*found) *value = **cached;
      return Status::Ok();
    }
    if (!iterator_) iterator_.reset(db_->NewIterator(rocksdb::ReadOptions()));
    iterator_->Seek(prefix);
    if (iterator_->Valid() && iterator_->key().starts_with(prefix)) {
      *found = true;
      *value = iterator_->value().ToString();
    }
    Status status = FromRocks(iterator_->status(), "reading state");
    if (status.ok() && *found && table == Table::kCase) {
      std::string fixed;
      bool fixed_found = false;
      status = Read(Table::kCaseFixed, id, &fixed, &fixed_found);
      if (status.ok() && !fixed_found) {
        status = Status::Corruption("case " + std::string(id) + " has no fixed part ('k')");
      }
      if (status.ok()) *value = codec::JoinCaseRecord(fixed, *value);
    }
    if (!status.ok()) {
      Invalidate();
      return status;
    }
    versions_.Put(prefix, *found ? std::optional(*value) : std::nullopt);
    return Status::Ok();
  }
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), codec::StateKey(table, id, 0), value);
  if (status.IsNotFound()) return Status::Ok();
  *found = status.ok();
  return FromRocks(status, "reading state");
}

void DbReader::Remember(const Transaction::Writes& writes) {
  iterator_.reset();
  for (const auto& [key, value] : writes) {
    if (codec::IsVersioned(key.first)) {
      versions_.Put(codec::VersionPrefix(key.first, key.second), value);
    }
  }
}

// ---- VersionCache.

size_t VersionCache::CostOf(const Item& item) {
  constexpr size_t kOverhead = 96;  // list node, index slot, string headers
  return item.first.size() + (item.second ? item.second->size() : 0) + kOverhead;
}

const std::optional<std::string>* VersionCache::Find(const std::string& prefix) {
  auto it = index_.find(prefix);
  if (it == index_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second);
  return &it->second->second;
}

void VersionCache::Put(const std::string& prefix, std::optional<std::string> value) {
  if (auto it = index_.find(prefix); it != index_.end()) {
    bytes_ -= CostOf(*it->second);
    it->second->second = std::move(value);
    bytes_ += CostOf(*it->second);
    recency_.splice(recency_.begin(), recency_, it->second);
  } else {
    recency_.emplace_front(prefix, std::move(value));
    index_.emplace(recency_.front().first, recency_.begin());
    bytes_ += CostOf(recency_.front());
  }
  while (bytes_ > budget_bytes_ && recency_.size() > 1) {
    bytes_ -= CostOf(recency_.back());
    index_.erase(recency_.back().first);
    recency_.pop_back();
  }
}

void VersionCache::Clear() {
  index_.clear();
  recency_.clear();
  bytes_ = 0;
}

Status DbReader::ReadEntry(uint64_t seq, std::string* bytes, bool* found) {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), codec::EntryKey(seq), &value);
  *found = false;
  if (status.IsNotFound()) return Status::Ok();
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading entry"));
  Hash hash;
  std::string_view entry_bytes;
  if (!codec::DecodeEntryValue(value, &hash, &entry_bytes).ok()) {
    return Status::Corruption("entry " + std::to_string(seq) + " is short");
  }
  *found = true;
  *bytes = std::string(entry_bytes);
  return Status::Ok();
}

// ---- Opening.

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Ledger::~Ledger() {
  // A sealed group lands before the database closes; its result was never acknowledged unless
  // the owner landed it, so a failure here loses nothing acknowledged.
  if (impl_->sealed) (void)impl_->sealed->landing.get();
  if (impl_->reader) impl_->reader->Invalidate();  // no iterator may outlive the database
  if (!impl_->read_only) {
    // RocksDB does not flush at close when a WAL holds the data, so every later open (each
    // read command) would replay up to a write buffer of WAL: ten seconds after a big apply.
    // Best effort: the synced WAL already holds everything acknowledged.
    rocksdb::FlushOptions flush;
    flush.wait = true;
    (void)impl_->db->Flush(flush);
  }
  impl_->db.reset();  // DbCloser: closed, then deleted
}

Status Ledger::Impl::CheckStateReadable() const {
  if (format_version == codec::kFormatVersion) return Status::Ok();
  return Status(Code::kUnsupportedFormat, "the ledger in " + directory + " is of format " +
                                              std::to_string(format_version) +
                                              ", whose state records this program (format " +
                                              std::to_string(codec::kFormatVersion) +
                                              ") does not read: only its log can be exported");
}

Status Ledger::Impl::LoadHead() {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(codec::EntryKey(UINT64_MAX));
  head_seq = 0;
  head_hash.fill(0);
  if (it->Valid() && codec::IsEntryKey(it->key().ToStringView())) {
    std::string_view bytes;
    const bool decoded =
        codec::DecodeEntryKey(it->key().ToStringView(), &head_seq).ok() &&
        codec::DecodeEntryValue(it->value().ToStringView(), &head_hash, &bytes).ok();
    if (!decoded) return Status::Corruption("the last entry's key or value is malformed");
  }
  staged_seq = head_seq;
  staged_hash = head_hash;
  return FromRocks(it->status(), "reading the head of the log");
}

merkle::NodeReader Ledger::Impl::TreeReader() {
  return [this](int level, uint64_t index) -> Result<merkle::Digest> {
    std::string value;
    rocksdb::Status status = db->Get(rocksdb::ReadOptions(), codec::TreeKey(level, index), &value);
    if (status.IsNotFound()) {
      return Status::Corruption("Merkle tree node (" + std::to_string(level) + ", " +
                                std::to_string(index) + ") is missing");
    }
    CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading the Merkle tree"));
    merkle::Digest digest;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeTreeValue(value, &digest));
    return digest;
  };
}

Status Ledger::Impl::LoadTree() {
  // The tree's size is its number of leaves: the last level-0 key.
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(codec::TreeKey(0, UINT64_MAX));
  uint64_t size = 0;
  int level = 0;
  uint64_t index = 0;
  if (it->Valid() && codec::IsTreeKey(it->key().ToStringView())) {
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeTreeKey(it->key().ToStringView(), &level, &index));
    // The last key before level 1 is the last leaf: entry index + 1.
    if (level == 0) size = index + 1;
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading the Merkle tree"));
  // More leaves than entries means a damaged log (an entry deleted): opening still works, so
  // that verify can name the entry; the extra nodes differ from its replay.
  size = std::min(size, head_seq);
  CASELEDGER_ASSIGN_OR_RETURN(frontier, merkle::Frontier::Load(size, TreeReader()));
  if (size < head_seq && !read_only) {
    // Catch up in synced batches: the tree is a function of the log alone.
    rocksdb::WriteBatch tree_batch;
    for (uint64_t seq = size + 1; seq <= head_seq; ++seq) {
      std::string value;
      CASELEDGER_RETURN_IF_ERROR(
          FromRocks(db->Get(rocksdb::ReadOptions(), codec::EntryKey(seq), &value), "reading"));
      merkle::Digest hash;
      std::string_view bytes;
      if (!codec::DecodeEntryValue(value, &hash, &bytes).ok()) {
        return Status::Corruption("entry " + std::to_string(seq) + " is short");
      }
      frontier.Append(hash, [&](int node_level, uint64_t node_index, const merkle::Digest& node) {
        (void)tree_batch.Put(codec::TreeKey(node_level, node_index), codec::EncodeTreeValue(node));
      });
      if (tree_batch.Count() >= 4096 || seq == head_seq) {
        rocksdb::WriteOptions options;
        options.sync = true;
        CASELEDGER_RETURN_IF_ERROR(
            FromRocks(db->Write(options, &tree_batch), "writing the Merkle tree"));
        tree_batch.Clear();
      }
    }
  }
  staged_frontier = frontier;
  return Status::Ok();
}

Status Ledger::Impl::StageWrites(const Transaction& tx, uint64_t seq) {
  batch.SetSavePoint();
  BatchSink sink(&batch);
  Status encoded = codec::EncodeWrites(tx.writes(), seq, group.get(), &sink);
  if (encoded.ok() && !sink.status().ok()) {
    encoded = Status::IoError("staging the entry: " + sink.status().ToString());
  }
  if (!encoded.ok()) {
    (void)batch.RollbackToSavePoint();
    return encoded;
  }
  return FromRocks(batch.PopSavePoint(), "staging the entry");
}

Status Ledger::Impl::JoinFixed(const std::string& case_no, std::string* changing) {
  {
    std::lock_guard<std::mutex> lock(fixed_mutex);
    if (fixed_case_no == case_no && !case_no.empty()) {
      *changing = codec::JoinCaseRecord(fixed_bytes, *changing);
      return Status::Ok();
    }
  }
  std::string fixed;
  rocksdb::Status status =
      db->Get(rocksdb::ReadOptions(), codec::StateKey(Table::kCaseFixed, case_no, 0), &fixed);
  if (status.IsNotFound()) {
    return Status::Corruption("case " + case_no + " has versions but no fixed part ('k')");
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading a case"));
  *changing = codec::JoinCaseRecord(fixed, *changing);
  std::lock_guard<std::mutex> lock(fixed_mutex);
  fixed_case_no = case_no;
  fixed_bytes = std::move(fixed);
  return Status::Ok();
}

Status Ledger::Impl::StageEntry(uint64_t seq, const Hash& hash, const std::string& bytes) {
  std::string value = codec::EncodeEntryValue(hash, bytes);
  rocksdb::Status status = batch.Put(codec::EntryKey(seq), value);
  if (before_write) staged_log.push_back({seq, std::move(value)});
  staged_frontier.Append(hash, [&](int level, uint64_t index, const merkle::Digest& node) {
    if (status.ok()) status = batch.Put(codec::TreeKey(level, index), codec::EncodeTreeValue(node));
  });
  return FromRocks(status, "staging the entry");
}

// The RocksDB options of a ledger, each set for a reason (README "Performance").
rocksdb::Options LedgerOptions() {
  rocksdb::Options options;
  options.paranoid_checks = true;  // a damaged file is an error at once, never skipped
  // The MANIFEST records each closed write-ahead log with its synced size: one deleted or cut
  // short is CORRUPTION at open. RocksDB does not track the live (newest) log this way; the
  // head file (ledger/files.h) covers it.
  options.track_and_verify_wals_in_manifest = true;
  // Replaying the WAL at open: a record cut short at the end (a crash while writing a group
  // that was never acknowledged) is dropped, but a record whose checksum fails is CORRUPTION.
  // The default (point-in-time recovery) would stop there silently and drop every later,
  // acknowledged group: a shorter ledger that verifies (tests/ledger/fault_test.cc).
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // Entry and tree keys arrive in order, each kind under its own first byte: a per-prefix
  // insert hint makes their memtable inserts start where the last one ended.
  options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(1));
  rocksdb::BlockBasedTableOptions table;
  // Idempotency and bank-reference checks look up keys that are usually absent: a Bloom filter
  // answers most of them without reading a block.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(256 << 20);  // case records and recent entries
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // The same lookups, of keys still in the memtable: a Bloom filter over its whole keys
  // answers an absent request id or bank reference without walking the skip list.
  options.memtable_whole_key_filtering = true;
  options.memtable_prefix_bloom_size_ratio = 0.02;
  // 32 MiB: a skip list of that size is walked in a third of the time of a 128 MiB one (its
  // inserts were 30% of caseledgerd's CPU under 64 clients), and ingesting is no slower
  // (`bench --phases batch`: 8,499 ms against 8,584 ms at 128 MiB, with half the peak memory).
  options.write_buffer_size = 32 << 20;
  options.compression = rocksdb::kLZ4Compression;  // cheap on the CPU; entries compress ~2x
  return options;
}

Status Ledger::Impl::CheckAcknowledged() {
  std::string marker;
  rocksdb::Status status =
      db->Get(rocksdb::ReadOptions(), std::string(codec::kHeadFileKey), &marker);
  if (!status.ok() && !status.IsNotFound()) return FromRocks(status, "reading the ledger's marks");
  if (!acknowledged) {
    if (status.IsNotFound()) return Status::Ok();  // written before head files: nothing to check
    // The mark is written after the head file is: a reader that found no head file and now
    // finds the mark raced the writer that created both. Nothing to check against yet.
    if (read_only && files::HeadFileExists(env->GetFileSystem().get(), directory)) {
      return Status::Ok();
    }
    return Status::Corruption(std::string("the head file ") + files::kHeadFileName + " of " +
                              directory + " is missing: the ledger cannot show that no " +
                              "acknowledged entry is lost");
  }
  if (head_seq < acknowledged->seq) {
    return Status::Corruption(
        "entries " + std::to_string(head_seq + 1) + " to " + std::to_string(acknowledged->seq) +
        " were acknowledged but are missing (the log ends at entry " + std::to_string(head_seq) +
        "): a write-ahead log file (*.log) of " + directory + " was deleted or cut short");
  }
  if (acknowledged->seq == 0) return Status::Ok();
  std::string value;
  status = db->Get(rocksdb::ReadOptions(), codec::EntryKey(acknowledged->seq), &value);
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading the last acknowledged entry"));
  Hash hash;
  std::string_view bytes;
  if (!codec::DecodeEntryValue(value, &hash, &bytes).ok() || hash != acknowledged->hash) {
    return Status::Corruption("entry " + std::to_string(acknowledged->seq) +
                              " is not the entry that was acknowledged under that number");
  }
  return Status::Ok();
}

Status Ledger::Impl::OpenHeadFile() {
  const files::HeadRecord head{head_seq, head_hash};
  rocksdb::FileSystem* fs = env->GetFileSystem().get();
  Result<std::unique_ptr<files::HeadFile>> opened =
      acknowledged ? files::HeadFile::Open(fs, directory, *acknowledged)
                   : files::HeadFile::Create(fs, directory, head);
  CASELEDGER_RETURN_IF_ERROR(opened.status());
  head_file = std::move(opened).value();
  // A crash after a group was synced and before the head file was: bring it up to the log.
  if (head_file->seq() < head_seq) CASELEDGER_RETURN_IF_ERROR(head_file->Write(head));
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(
      db->Put(options, std::string(codec::kHeadFileKey), std::string(codec::kHeadFileValue)),
      "marking the ledger");
}

// The last step of opening: the head, the head file's witness, and the tree. On failure the
// database is closed here (a leaked instance would keep its threads and, for a writer, the LOCK
// file).
Result<std::unique_ptr<Ledger>> Ledger::Finish(std::unique_ptr<Impl> impl) {
  Status loaded = impl->LoadHead();
  if (loaded.ok()) loaded = impl->CheckAcknowledged();
  if (loaded.ok()) loaded = impl->LoadTree();
  if (loaded.ok() && !impl->read_only) loaded = impl->OpenHeadFile();
  if (!loaded.ok()) return loaded;  // the Impl goes, and with it the database (DbCloser)
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

namespace {

// Opens of a reader that meet a file just replaced by a writer's open (a MANIFEST).
constexpr int kOpenAttemptsMax = 3;

// RocksDB could not take its LOCK file because another process holds it ("While lock file:
// DIR/LOCK: Resource temporarily unavailable"; "lock hold by current process" within one
// process). Only that: the directory's own name may say "lock", and a read-only or missing
// directory is an IO_ERROR (tests/cli/hostile_cli_test.cc).
bool IsLockHeld(const rocksdb::Status& status) {
  const std::string text = status.ToString();
  return status.IsIOError() && ((text.find("While lock file: ") != std::string::npos &&
                                 text.ends_with("Resource temporarily unavailable")) ||
                                text.find("lock hold by current process") != std::string::npos);
}

// An open of a directory that holds ledger files failed: a missing or damaged file is damage
// (CORRUPTION, exit 3); a disk or permission failure is IO_ERROR.
Status OpenFailure(const rocksdb::Status& status, const std::string& directory) {
  if (IsLockHeld(status)) {
    return Status(Code::kLedgerLocked,
                  "another process has the ledger in " + directory + " open for writing");
  }
  if (status.IsCorruption() || status.IsNotFound() || status.IsPathNotFound()) {
    return Status::Corruption("the ledger in " + directory +
                              " is damaged: a file is missing or fails its checks (" +
                              status.ToString() + ")");
  }
  return FromRocks(status, "opening the ledger in " + directory);
}

// Whether another process holds the ledger's LOCK now: a writer at work, perhaps creating the
// ledger (RocksDB writes its MANIFEST before CURRENT). Asked only when CURRENT is missing.
bool WriterAtWork(rocksdb::Env* env, const std::string& directory) {
  const std::string path = directory + "/LOCK";
  if (env->FileExists(path).IsNotFound()) return false;  // every writer makes it first
  rocksdb::FileLock* lock = nullptr;
  rocksdb::Status status = env->LockFile(path, &lock);
  if (status.ok()) {
    (void)env->UnlockFile(lock);
    return false;
  }
  return IsLockHeld(status);
}

// Ledger files without CURRENT: a ledger being created by another writer, or damage.
Status WithoutCurrent(rocksdb::Env* env, const std::string& directory, bool reader) {
  if (WriterAtWork(env, directory)) {
    if (reader) return Status(Code::kNoLedger, "no ledger in " + directory + " yet: being created");
    return Status(Code::kLedgerLocked,
                  "another process has the ledger in " + directory + " open for writing");
  }
  return Status::Corruption("the ledger in " + directory +
                            " is damaged: its CURRENT file is missing");
}

// What a writer may do with a directory: open the ledger in it, or create one where there is
// nothing (never over a damaged ledger, whose files RocksDB would delete, nor among other files).
Result<bool> MayCreate(const files::DirectoryScan& scan, rocksdb::Env* env,
                       const std::string& directory) {
  switch (scan.state) {
    case files::DirectoryState::kMissing:
    case files::DirectoryState::kEmpty:
      return true;
    case files::DirectoryState::kForeign:
      return Status::InvalidArgument(
          directory + " holds other files (\"" + scan.first_foreign +
          "\") and no ledger: a ledger is created only in an empty or new directory");
    case files::DirectoryState::kLedger:
      break;
  }
  if (!scan.has_current) return WithoutCurrent(env, directory, /*reader=*/false);
  return false;
}

// A ledger of format `version` opened as this program's: fine when it is of this program's
// format, or of an older one whose log is the same when only the log is read (`export`: the way
// to migrate). UNSUPPORTED_FORMAT otherwise, naming both versions and what to do.
Status CheckFormat(int version, const std::string& directory, bool log_only) {
  if (version == codec::kFormatVersion) return Status::Ok();
  const std::string versions = "the ledger in " + directory + " is of format " +
                               std::to_string(version) + " (" + codec::EncodeFormatValue(version) +
                               "); this program reads and writes format " +
                               std::to_string(codec::kFormatVersion) + " (" +
                               codec::EncodeFormatValue(codec::kFormatVersion) + ")";
  if (version > codec::kFormatVersion) {
    return Status(Code::kUnsupportedFormat,
                  versions + ": use a caseledger that knows format " + std::to_string(version));
  }
  if (log_only && version >= codec::kSameLogSinceVersion) return Status::Ok();
  return Status(Code::kUnsupportedFormat,
                versions + ": export it with this program (caseledger --db " + directory +
                    " export --format jsonl -o FILE) and import the export into a new, empty "
                    "directory (caseledger --db NEW_DIRECTORY import FILE); the entries, their "
                    "hashes and the published tree heads stay the same");
}

// A writer's format: a new database gets this program's; an existing one must be of it.
Status MarkFormat(Ledger::Impl* impl) {
  std::string value;
  rocksdb::Status status =
      impl->db->Get(rocksdb::ReadOptions(), std::string(codec::kFormatKey), &value);
  if (status.IsNotFound()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    impl->format_version = codec::kFormatVersion;
    status = impl->db->Put(write_options, std::string(codec::kFormatKey),
                           codec::EncodeFormatValue(codec::kFormatVersion));
    return FromRocks(status, "opening the ledger");
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "opening the ledger"));
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeFormatValue(value, &impl->format_version));
  return CheckFormat(impl->format_version, impl->directory, /*log_only=*/false);
}

// A reader's format. None at all: a writer created the database and was stopped before its
// first write (nothing in it), unless the head file says entries were acknowledged, since the
// head file is made after the format key is synced: that key's log is gone.
Status ReadFormat(Ledger::Impl* impl, bool log_only) {
  std::string value;
  rocksdb::Status status =
      impl->db->Get(rocksdb::ReadOptions(), std::string(codec::kFormatKey), &value);
  if (status.IsNotFound() && !impl->acknowledged) {
    return Status(Code::kNoLedger, "no ledger in " + impl->directory);
  }
  if (status.IsNotFound()) {
    return Status::Corruption("entries 1 to " + std::to_string(impl->acknowledged->seq) +
                              " were acknowledged but are missing (the log is empty): "
                              "a write-ahead log file (*.log) of " +
                              impl->directory + " was deleted or cut short");
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "opening the ledger in " + impl->directory));
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeFormatValue(value, &impl->format_version));
  return CheckFormat(impl->format_version, impl->directory, log_only);
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::OpenForWrite(const std::string& directory,
                                                     const OpenOptions& open) {
  CASELEDGER_ASSIGN_OR_RETURN(std::function<int64_t()> clock, ChooseClock(open));
  auto impl = std::make_unique<Impl>();
  impl->clock = std::move(clock);
  impl->directory = directory;
  impl->env = open.env != nullptr ? open.env : rocksdb::Env::Default();
  CASELEDGER_ASSIGN_OR_RETURN(files::DirectoryScan scan,
                              files::ScanDirectory(impl->env, directory));
  CASELEDGER_ASSIGN_OR_RETURN(const bool create, MayCreate(scan, impl->env, directory));
  if (create) {
    rocksdb::Status made = impl->env->CreateDirIfMissing(directory);
    if (!made.ok()) return FromRocks(made, "creating the ledger directory " + directory);
  } else {
    // Every check of a reader first, without writing: RocksDB's recovery in a writer would
    // already rewrite its MANIFEST and could flush and delete the damaged log an auditor needs,
    // or change the files of a ledger of another format that is to be exported.
    {
      OpenOptions check = open;
      check.log_only = false;
      Result<std::unique_ptr<Ledger>> checked = OpenForRead(directory, check);
      const Code code = checked.status().code();
      if (code == Code::kCorruption || code == Code::kUnsupportedFormat) return checked.status();
    }
    CASELEDGER_ASSIGN_OR_RETURN(impl->acknowledged,
                                files::ReadHeadFile(impl->env->GetFileSystem().get(), directory));
  }
  rocksdb::Options options = LedgerOptions();
  options.create_if_missing = create;
  options.env = impl->env;
  options.info_log = files::NewWriterLog(directory);
  rocksdb::DB* opened = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, directory, &opened);
  impl->db.reset(opened);
  if (!status.ok()) {
    if (create && !IsLockHeld(status))
      return FromRocks(status, "creating the ledger in " + directory);
    return OpenFailure(status, directory);
  }
  CASELEDGER_RETURN_IF_ERROR(MarkFormat(impl.get()));
  impl->reader = std::make_unique<DbReader>(impl->db.get());
  impl->group = std::make_unique<Transaction>(impl->reader.get());
  return Finish(std::move(impl));
}

Result<std::unique_ptr<Ledger>> Ledger::OpenForRead(const std::string& directory,
                                                    const OpenOptions& open) {
  auto impl = std::make_unique<Impl>();
  impl->read_only = true;
  impl->directory = directory;
  impl->env = open.env != nullptr ? open.env : rocksdb::Env::Default();
  CASELEDGER_ASSIGN_OR_RETURN(files::DirectoryScan scan,
                              files::ScanDirectory(impl->env, directory));
  if (scan.state != files::DirectoryState::kLedger) {
    return Status(Code::kNoLedger,
                  "no ledger in " + directory + " (a writing command such as apply creates one)");
  }
  if (!scan.has_current) return WithoutCurrent(impl->env, directory, /*reader=*/true);
  // Before the database: the head file only grows after the log it witnesses, so what is read
  // now is at most what the open below finds, even while a writer commits.
  CASELEDGER_ASSIGN_OR_RETURN(impl->acknowledged,
                              files::ReadHeadFile(impl->env->GetFileSystem().get(), directory));
  rocksdb::Options options = LedgerOptions();
  options.env = impl->env;
  options.info_log = files::NewSilentLog();
  // A writer's open replaces the MANIFEST that CURRENT names: a file missing during the open
  // is damage only if it is still missing on the next tries.
  rocksdb::Status status;
  for (int attempt = 0; attempt < kOpenAttemptsMax; ++attempt) {
    rocksdb::DB* opened = nullptr;
    status = rocksdb::DB::OpenForReadOnly(options, directory, &opened);
    impl->db.reset(opened);
    if (status.ok() || !(status.IsNotFound() || status.IsPathNotFound())) break;
  }
  if (!status.ok()) return OpenFailure(status, directory);
  CASELEDGER_RETURN_IF_ERROR(ReadFormat(impl.get(), open.log_only));
  impl->reader = std::make_unique<DbReader>(impl->db.get());
  impl->group = std::make_unique<Transaction>(impl->reader.get());
  return Finish(std::move(impl));
}

// ---- Writing.

CommandResult Ledger::Stage(const ParsedCommand& parsed, const Origin& origin) {
  CommandResult result;
  result.request_id = parsed.request_id;
  if (!parsed.status.ok()) {
    result.status = parsed.status;
    return result;
  }
  result.request_id = parsed.command.request_id();
  Result<Date> today = Today();
  if (!today.ok()) {
    result.status = today.status();
    return result;
  }
  ApplyContext context;
  context.seq = impl_->staged_seq + 1;
  context.recorded_at_us = impl_->clock ? impl_->clock() : NowMicros();
  context.today = *today;
  context.origin = origin;
  Transaction tx(impl_->group.get());
  Result<Decision> decision = Decide(parsed.command, context, &tx);
  if (!decision.ok()) {
    result.status = decision.status();
    return result;
  }
  result.created = decision->created;
  result.seq = decision->seq;
  result.outcome = decision->outcome;
  if (!decision->created) return result;
  const std::string& bytes = tx.entries().at(context.seq);
  const Hash hash = codec::ChainHash(impl_->staged_hash, context.seq, bytes);
  // The state writes first: refused, they leave the group as it was and the command unstaged.
  if (Status encoded = impl_->StageWrites(tx, context.seq); !encoded.ok()) {
    result.status = encoded;
    return result;
  }
  // A failure to stage leaves the batch unusable: the whole group is abandoned.
  if (Status staged = impl_->StageEntry(context.seq, hash, bytes); !staged.ok()) {
    Abandon();
    result.status = staged;
    return result;
  }
  tx.MergeInto(impl_->group.get());
  impl_->staged_seq = context.seq;
  impl_->staged_hash = hash;
  return result;
}

Status Ledger::Commit() {
  CASELEDGER_RETURN_IF_ERROR(Seal());
  return Land();
}

Status Ledger::Seal() {
  CASELEDGER_RETURN_IF_ERROR(Land());
  if (impl_->staged_seq == impl_->head_seq) return Status::Ok();
  auto sealed = std::make_unique<Impl::Sealed>();
  sealed->group = std::move(impl_->group);
  sealed->batch = std::move(impl_->batch);
  impl_->batch.Clear();
  if (impl_->before_write && !impl_->staged_imported) sealed->log = std::move(impl_->staged_log);
  impl_->staged_log.clear();
  impl_->staged_imported = false;
  sealed->seq = impl_->staged_seq;
  sealed->hash = impl_->staged_hash;
  sealed->frontier = impl_->staged_frontier;
  // The next group reads the sealed one's writes first, until it lands.
  impl_->group = std::make_unique<Transaction>(sealed->group.get());
  Impl* impl = impl_.get();
  Impl::Sealed* in_flight = sealed.get();
  try {
    sealed->landing = std::async(std::launch::async, [impl, in_flight] {
      Impl::Landing landing = impl->Write(in_flight);
      if (impl->landed_hook) impl->landed_hook();
      return landing;
    });
  } catch (const std::system_error& error) {
    // No thread for the write (resources exhausted): write it here, synchronously.
    std::promise<Impl::Landing> now;
    now.set_value(impl->Write(in_flight));
    sealed->landing = now.get_future();
    if (impl->landed_hook) impl->landed_hook();
  }
  impl_->sealed = std::move(sealed);
  return Status::Ok();
}

Ledger::Impl::Landing Ledger::Impl::Write(Sealed* group) {
  rocksdb::WriteOptions options;
  options.sync = true;  // an acknowledged command is on disk: never turned off for the ledger
  Landing landing;
  if (!group->log.empty()) {
    landing.status = before_write(group->log);
    if (!landing.status.ok()) return landing;  // not written: nothing of it is acknowledged
  }
  landing.status = FromRocks(db->Write(options, &group->batch), "writing the group of entries");
  if (!landing.status.ok()) return landing;
  landing.written = true;
  // Witness the new head outside the log, so that a log deleted or cut later is seen at open.
  // The group is durable either way; a failure here is reported, never hidden.
  Status witnessed = head_file->Write({group->seq, group->hash});
  if (!witnessed.ok()) {
    landing.status = Status::IoError("the group is written (entries up to " +
                                     std::to_string(group->seq) + "), but " + witnessed.message());
  }
  return landing;
}

Status Ledger::Land() {
  if (!impl_->sealed) return Status::Ok();
  std::unique_ptr<Impl::Sealed> sealed = std::move(impl_->sealed);
  const Impl::Landing landing = sealed->landing.get();
  if (!landing.written) {
    // Nothing of it is on disk; what was staged since was decided on it: drop both.
    impl_->DropStaged();
    return landing.status;
  }
  impl_->head_seq = sealed->seq;
  impl_->head_hash = sealed->hash;
  impl_->frontier = sealed->frontier;
  impl_->reader->Remember(sealed->group->writes());  // the committed state changed
  impl_->group->set_parent(impl_->reader.get());
  return landing.status;
}

void Ledger::OnLanded(std::function<void()> hook) { impl_->landed_hook = std::move(hook); }

void Ledger::BeforeWrite(std::function<Status(const std::vector<LogRecord>&)> hook) {
  impl_->before_write = std::move(hook);
}

bool Ledger::Landed() const {
  return !impl_->sealed ||
         impl_->sealed->landing.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

void Ledger::Impl::DropStaged() {
  group = std::make_unique<Transaction>(reader.get());
  batch.Clear();
  staged_log.clear();
  staged_imported = false;
  staged_seq = head_seq;
  staged_hash = head_hash;
  staged_frontier = frontier;
  reader->Invalidate();  // after a failed write, read the store afresh
}

void Ledger::Abandon() {
  (void)Land();  // a failure drops what is staged anyway
  impl_->DropStaged();
}

Status Ledger::StageStored(const StoredEntry& stored) {
  const uint64_t seq = impl_->staged_seq + 1;
  Transaction tx(impl_->group.get());
  CASELEDGER_RETURN_IF_ERROR(ReplayEntry(stored, seq, impl_->staged_hash, &tx));
  CASELEDGER_RETURN_IF_ERROR(impl_->StageWrites(tx, seq));
  if (Status staged = impl_->StageEntry(seq, stored.hash, stored.bytes); !staged.ok()) {
    Abandon();
    return staged;
  }
  tx.MergeInto(impl_->group.get());
  impl_->staged_seq = seq;
  impl_->staged_hash = stored.hash;
  impl_->staged_imported = true;
  return Status::Ok();
}

size_t Ledger::staged_entries() const { return impl_->staged_seq - impl_->head_seq; }

Result<StoredEntry> Ledger::ParseLogRecord(const LogRecord& record) {
  StoredEntry stored;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeStoredEntry(record.seq, record.value, &stored));
  return stored;
}

// ---- Reading.

uint64_t Ledger::head_seq() const { return impl_->head_seq; }
Hash Ledger::head_hash() const { return impl_->head_hash; }

Result<StoredEntry> Ledger::GetEntry(uint64_t seq) {
  std::string value;
  rocksdb::Status status = impl_->db->Get(rocksdb::ReadOptions(), codec::EntryKey(seq), &value);
  if (status.IsNotFound()) {
    return Status(Code::kUnknownReference, "no entry " + std::to_string(seq));
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading entry"));
  StoredEntry stored;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeStoredEntry(seq, value, &stored));
  // The hash this entry chains from: the previous entry's (zero bytes before the first).
  if (seq > 1) {
    status = impl_->db->Get(rocksdb::ReadOptions(), codec::EntryKey(seq - 1), &value);
    if (status.IsNotFound()) {
      return Status::Corruption("entry " + std::to_string(seq - 1) + " is missing");
    }
    CASELEDGER_RETURN_IF_ERROR(FromRocks(status, "reading entry"));
    std::string_view bytes;
    if (!codec::DecodeEntryValue(value, &stored.prev_hash, &bytes).ok()) {
      return Status::Corruption("entry " + std::to_string(seq - 1) + " is short");
    }
  }
  return stored;
}

Status Ledger::ForEachEntry(uint64_t from, uint64_t to,
                            const std::function<Status(const StoredEntry&)>& visit) {
  if (from == 0) from = 1;
  Hash prev{};
  if (from > 1 && from <= to) {
    CASELEDGER_ASSIGN_OR_RETURN(StoredEntry before, GetEntry(from - 1));
    prev = before.hash;
  }
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  uint64_t expected = from;
  for (it->Seek(codec::EntryKey(from)); it->Valid() && expected <= to; it->Next(), ++expected) {
    uint64_t seq = 0;
    if (!codec::DecodeEntryKey(it->key().ToStringView(), &seq).ok() || seq != expected) {
      return Status::Corruption("entry " + std::to_string(expected) + " is missing");
    }
    StoredEntry stored;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeStoredEntry(seq, it->value().ToStringView(), &stored));
    stored.prev_hash = prev;
    CASELEDGER_RETURN_IF_ERROR(visit(stored));
    prev = stored.hash;
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  if (expected <= to)
    return Status::Corruption("entry " + std::to_string(expected) + " is missing");
  return Status::Ok();
}

Result<Hash> Ledger::TreeHead(uint64_t size) {
  if (size > impl_->head_seq) {
    return Status(Code::kUnknownReference, "the ledger has " + std::to_string(impl_->head_seq) +
                                               " entries, not " + std::to_string(size));
  }
  if (size == impl_->frontier.size()) return impl_->frontier.Root();
  return merkle::Root(size, impl_->TreeReader());
}

Result<std::vector<Hash>> Ledger::InclusionProof(uint64_t seq, uint64_t size) {
  if (seq == 0 || seq > size || size > impl_->head_seq) {
    return Status(Code::kUnknownReference,
                  "entry " + std::to_string(seq) + " is not in a tree of " + std::to_string(size) +
                      " entries (the ledger has " + std::to_string(impl_->head_seq) + ")");
  }
  return merkle::InclusionPath(seq - 1, size, impl_->TreeReader());
}

Result<std::vector<Hash>> Ledger::ConsistencyProof(uint64_t old_size, uint64_t new_size) {
  if (old_size == 0 || old_size > new_size || new_size > impl_->head_seq) {
    return Status(Code::kUnknownReference,
                  "no consistency proof from " + std::to_string(old_size) + " to " +
                      std::to_string(new_size) + " entries (the ledger has " +
                      std::to_string(impl_->head_seq) + "; 1 <= OLD <= NEW)");
  }
  return merkle::ConsistencyPath(old_size, new_size, impl_->TreeReader());
}

Result<Date> Ledger::EntryDate(uint64_t seq) {
  CASELEDGER_ASSIGN_OR_RETURN(StoredEntry stored, GetEntry(seq));
  return Date::Parse(stored.entry.command().on(), "entry date");
}

namespace {

// The latest `on` a version of a versioned record covers.
template <typename Record>
Status LastOn(std::string_view bytes, std::string* last_on) {
  Record record;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(bytes, &record));
  if constexpr (std::is_same_v<Record, pb::RulesRecord>) {
    *last_on = record.since();
  } else {
    *last_on = record.last_on();
  }
  return Status::Ok();
}

Status LastOnOf(Table table, std::string_view bytes, std::string* last_on) {
  switch (table) {
    case Table::kCase:
      return LastOn<pb::CaseRecord>(bytes, last_on);
    case Table::kGlobal:
      return LastOn<pb::GlobalRecord>(bytes, last_on);
    case Table::kDefaulter:
      return LastOn<pb::DefaulterRecord>(bytes, last_on);
    case Table::kRules:
      return LastOn<pb::RulesRecord>(bytes, last_on);
    default:
      break;
  }
  assert(false && "only versioned records have versions");
  return Status::Corruption("a record of kind '" + std::string(1, static_cast<char>(table)) +
                            "' has versions");
}

}  // namespace

// The global record has a version at every entry and its last_on is a running maximum, so
// "the newest version dated on or before D" is a binary search over seq: O(log n) seeks instead
// of walking back through a version per entry (a month's reconciliation read a million).
Status Ledger::Impl::FindGlobalAsOf(const PointInTime& point, std::string* value, bool* found) {
  *found = false;
  const std::string as_of = point.as_of->ToString();
  const std::string prefix = codec::VersionPrefix(Table::kGlobal, "");
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  // The version in force after entry `seq` (the newest at or before it), or none.
  auto version_at = [&](uint64_t seq, std::string* bytes, std::string* last_on) -> Status {
    it->Seek(codec::StateKey(Table::kGlobal, "", seq));
    if (!it->Valid() || !it->key().starts_with(prefix)) {
      last_on->clear();
      bytes->clear();
      return FromRocks(it->status(), "reading versions");
    }
    *bytes = it->value().ToString();
    return LastOnOf(Table::kGlobal, *bytes, last_on);
  };
  uint64_t low = 0, high = point.at_seq.value_or(head_seq);  // answer in [low, high]
  std::string bytes, last_on;
  while (low < high) {
    const uint64_t middle = low + (high - low + 1) / 2;
    CASELEDGER_RETURN_IF_ERROR(version_at(middle, &bytes, &last_on));
    if (!bytes.empty() && last_on <= as_of) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  if (low == 0) return Status::Ok();
  CASELEDGER_RETURN_IF_ERROR(version_at(low, &bytes, &last_on));
  if (bytes.empty() || last_on > as_of) return Status::Ok();
  *found = true;
  *value = std::move(bytes);
  return Status::Ok();
}

Status Ledger::Impl::FindVersion(Table table, const std::string& id, const PointInTime& point,
                                 std::string* value, bool* found) {
  CASELEDGER_RETURN_IF_ERROR(CheckStateReadable());
  if (table == Table::kGlobal && point.as_of) return FindGlobalAsOf(point, value, found);
  *found = false;
  const std::string prefix = codec::VersionPrefix(table, id);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  // Versions sort newest first: start at the newest one at or before at_seq.
  it->Seek(point.at_seq ? codec::StateKey(table, id, *point.at_seq) : prefix);
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!point.as_of) {
      *found = true;
      *value = it->value().ToString();
      break;
    }
    // The version's last_on: the latest `on` among the entries up to it.
    std::string last_on;
    CASELEDGER_RETURN_IF_ERROR(LastOnOf(table, it->value().ToString(), &last_on));
    if (last_on <= point.as_of->ToString()) {
      *found = true;
      *value = it->value().ToString();
      break;
    }
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading versions"));
  if (*found && table == Table::kCase) return JoinFixed(id, value);
  return Status::Ok();
}

Result<pb::CaseRecord> Ledger::GetCase(const std::string& case_no, const PointInTime& point) {
  std::string value;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(impl_->FindVersion(Table::kCase, case_no, point, &value, &found));
  if (!found) return Status(Code::kUnknownCase, "no case " + case_no + " in the ledger");
  pb::CaseRecord record;
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(value, &record));
  return record;
}

Result<std::vector<pb::CaseRecord>> Ledger::GetChain(const pb::CaseRecord& record,
                                                     const PointInTime& point) {
  std::vector<pb::CaseRecord> chain = {record};
  // Bounded: every case is restored at most once, so a chain is at most as long as the
  // ledger has cases; a cycle would be corruption.
  for (size_t guard = 0; chain.front().has_restored_from(); ++guard) {
    if (guard > 100000) return Status::Corruption("a restoration chain loops");
    CASELEDGER_ASSIGN_OR_RETURN(pb::CaseRecord previous,
                                GetCase(chain.front().restored_from(), point));
    chain.insert(chain.begin(), std::move(previous));
  }
  for (size_t guard = 0; chain.back().has_restored_to(); ++guard) {
    if (guard > 100000) return Status::Corruption("a restoration chain loops");
    Result<pb::CaseRecord> next = GetCase(chain.back().restored_to(), point);
    if (!next.ok()) break;  // restored after this point in time
    chain.push_back(std::move(next).value());
  }
  return chain;
}

Result<pb::RulesRecord> Ledger::GetRules(const PointInTime& point) {
  std::string value;
  bool found = false;
  pb::RulesRecord record;
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  if (point.as_of) {
    // Rules by the date they were set: the newest set_rules entry dated on or before it.
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
    const std::string prefix = codec::VersionPrefix(Table::kRules, "");
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(it->value().ToStringView(), &record));
      if (record.since() <= point.as_of->ToString()) return record;
    }
    CASELEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading rules"));
    return RecordFromRules(Rules());
  }
  CASELEDGER_RETURN_IF_ERROR(impl_->FindVersion(Table::kRules, "", point, &value, &found));
  if (!found) return RecordFromRules(Rules());
  CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(value, &record));
  return record;
}

Result<pb::GlobalRecord> Ledger::GetGlobal(const PointInTime& point) {
  std::string value;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(impl_->FindVersion(Table::kGlobal, "", point, &value, &found));
  pb::GlobalRecord record;
  if (found) CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(value, &record));
  return record;
}

Result<std::optional<std::string>> Ledger::GetRecord(Table table, const std::string& id,
                                                     const PointInTime& point) {
  std::string value;
  bool found = false;
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  if (codec::IsVersioned(table)) {
    CASELEDGER_RETURN_IF_ERROR(impl_->FindVersion(table, id, point, &value, &found));
  } else {
    CASELEDGER_RETURN_IF_ERROR(impl_->reader->Read(table, id, &value, &found));
  }
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

Status Ledger::ForEachRecord(Table table, const PointInTime& point,
                             const std::function<Status(const std::string& bytes)>& visit) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = codec::TablePrefix(table);
  it->Seek(prefix);
  while (it->Valid() && it->key().starts_with(prefix)) {
    if (!codec::IsVersioned(table)) {
      CASELEDGER_RETURN_IF_ERROR(visit(it->value().ToString()));
      it->Next();
      continue;
    }
    std::string_view stored_id;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionId(it->key().ToStringView(), &stored_id));
    const std::string id(stored_id);
    std::string value;
    bool found = false;
    CASELEDGER_RETURN_IF_ERROR(impl_->FindVersion(table, id, point, &value, &found));
    if (found) CASELEDGER_RETURN_IF_ERROR(visit(value));
    it->Seek(codec::NextRecordKey(table, id));
  }
  return FromRocks(it->status(), "listing records");
}

Status Ledger::ForEachCase(const std::function<void(const pb::CaseRecord&)>& visit) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = codec::TablePrefix(Table::kCase);
  it->Seek(prefix);
  while (it->Valid() && it->key().starts_with(prefix)) {
    std::string_view stored_id;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionId(it->key().ToStringView(), &stored_id));
    const std::string case_no(stored_id);
    std::string bytes = it->value().ToString();
    CASELEDGER_RETURN_IF_ERROR(impl_->JoinFixed(case_no, &bytes));
    pb::CaseRecord record;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeRecord(bytes, &record));
    visit(record);
    // The first key under a case is its newest version; skip the older ones.
    it->Seek(codec::NextRecordKey(Table::kCase, case_no));
  }
  return FromRocks(it->status(), "listing cases");
}

Result<std::vector<uint64_t>> Ledger::CaseHistory(const std::string& case_no) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  std::vector<uint64_t> seqs;
  const std::string prefix = codec::VersionPrefix(Table::kCase, case_no);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string_view record;
    uint64_t seq = 0;
    CASELEDGER_RETURN_IF_ERROR(codec::DecodeVersionKey(it->key().ToStringView(), &record, &seq));
    seqs.push_back(seq);
  }
  CASELEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading history"));
  if (seqs.empty()) return Status(Code::kUnknownCase, "no case " + case_no + " in the ledger");
  std::reverse(seqs.begin(), seqs.end());
  return seqs;
}

}  // namespace caseledger
