// verify: the hash chain, every entry's postings, and a replay from empty compared with the
// stored state, key by key (SPEC §5, §6).
#include <rocksdb/iterator.h>

#include <map>

#include "core/engine.h"
#include "ledger/impl.h"
#include "ledger/keys.h"

namespace caseledger {
namespace {

// State rebuilt in memory by replay, in the same keys as RocksDB.
class MemoryState : public StateReader, public keys::Sink {
 public:
  Status Read(Table table, std::string_view id, std::string* value, bool* found) override {
    *found = false;
    if (keys::IsVersioned(table)) {
      const std::string prefix = keys::VersionPrefix(table, id);
      auto it = kv_.lower_bound(prefix);
      if (it != kv_.end() && it->first.starts_with(prefix)) {
        *found = true;
        *value = it->second;
      }
      return Status::Ok();
    }
    auto it = kv_.find(keys::StateKey(table, id, 0));
    if (it != kv_.end()) {
      *found = true;
      *value = it->second;
    }
    return Status::Ok();
  }
  Status ReadEntry(uint64_t seq, std::string* bytes, bool* found) override {
    auto it = entries_.find(seq);
    *found = it != entries_.end();
    if (*found) *bytes = it->second;
    return Status::Ok();
  }
  void Put(const std::string& key, const std::string& value) override { kv_[key] = value; }
  void Delete(const std::string& key) override { kv_.erase(key); }
  void AddEntry(uint64_t seq, const std::string& bytes) { entries_[seq] = bytes; }
  const std::map<std::string, std::string>& kv() const { return kv_; }

 private:
  std::map<std::string, std::string> kv_;
  std::map<uint64_t, std::string> entries_;
};

Status CheckPostings(const pb::Entry& entry) {
  int64_t sum = 0;
  for (const auto& posting : entry.postings()) {
    if (__builtin_add_overflow(sum, posting.amount_fen(), &sum)) {
      return Status::Corruption("postings overflow");
    }
  }
  if (sum != 0) return Status::Corruption("postings do not balance (debits != credits)");
  return Status::Ok();
}

// Re-decides one stored entry against the replayed state; the result must be the same bytes.
Status Replay(const pb::Entry& entry, uint64_t seq, const std::string& bytes, MemoryState* state) {
  ApplyContext context;
  context.seq = seq;
  context.recorded_at_us = entry.recorded_at_us();
  Transaction tx(state);
  Result<Decision> decision = Decide(entry.command(), context, &tx);
  if (!decision.ok()) {
    return Status::Corruption("replay rejects the entry: " + decision.status().ToString());
  }
  if (!decision->created) return Status::Corruption("replay sees a duplicate request_id");
  if (tx.entries().at(seq) != bytes) {
    return Status::Corruption("replay produces a different entry (postings or outcome)");
  }
  state->AddEntry(seq, bytes);
  keys::EncodeWrites(tx.writes(), seq, state);
  return Status::Ok();
}

// Compares the stored state with the replayed one. The problem names the first difference in
// key order; *bad_seq is the earliest entry whose version of a case or the global record
// differs (a damaged version, or every version after a rewritten entry), so that the report
// points at the first bad entry rather than at the newest version of the first record.
Status CompareState(rocksdb::DB* db, const MemoryState& state, std::optional<uint64_t>* bad_seq) {
  Status first;
  auto note = [&](const std::string& at, const std::string& problem) {
    if (at.size() > 8 && keys::IsVersioned(static_cast<Table>(at[0]))) {
      const uint64_t seq = keys::VersionSeq(at);
      if (!*bad_seq || seq < **bad_seq) *bad_seq = seq;
    }
    if (first.ok()) first = Status::Corruption(problem);
  };
  auto differs = [](const std::string& at) {
    return std::string("stored state differs from the replay (record kind '") + at[0] + "')";
  };
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  auto mem = state.kv().begin();
  it->SeekToFirst();
  while (it->Valid() || mem != state.kv().end()) {
    if (!it->Valid()) {
      note(mem->first, "a state record is missing from the store");
      ++mem;
      continue;
    }
    const char prefix = it->key()[0];
    if (prefix == keys::kEntryPrefix || prefix == keys::kMetaPrefix) {
      it->Next();
      continue;
    }
    const std::string key = it->key().ToString();
    if (mem == state.kv().end() || key < mem->first) {
      note(key, differs(key));  // a record the replay does not have
      it->Next();
    } else if (mem->first < key) {
      note(mem->first, differs(mem->first));  // a record missing from the store
      ++mem;
    } else {
      if (mem->second != it->value().ToString()) note(key, differs(key));
      it->Next();
      ++mem;
    }
  }
  if (!it->status().ok()) return Status::IoError("reading the state: " + it->status().ToString());
  return first;
}

}  // namespace

Result<VerifyReport> Ledger::Verify(const std::function<void(uint64_t, uint64_t)>& progress) {
  VerifyReport report;
  MemoryState state;
  Hash prev{};
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix(1, keys::kEntryPrefix);
  uint64_t expected = 1;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next(), ++expected) {
    Status problem;
    const std::string_view key = it->key().ToStringView();
    const std::string value = it->value().ToString();
    const uint64_t seq = key.size() == 9 ? keys::ReadBigEndian64(key.substr(1)) : 0;
    pb::Entry entry;
    if (seq != expected) {
      problem = Status::Corruption("sequence gap: expected entry " + std::to_string(expected));
    } else if (value.size() < 32) {
      problem = Status::Corruption("the stored value is too short");
    } else if (keys::ChainHash(prev, seq, std::string_view(value).substr(32)) !=
               *reinterpret_cast<const Hash*>(value.data())) {
      problem = Status::Corruption("hash chain broken: the entry's bytes or hash were changed");
    } else if (!entry.ParseFromString(value.substr(32))) {
      problem = Status::Corruption("the entry does not parse");
    } else if (Status s = CheckPostings(entry); !s.ok()) {
      problem = s;
    } else {
      problem = Replay(entry, seq, value.substr(32), &state);
    }
    if (!problem.ok()) {
      report.ok = false;
      report.first_bad_seq = expected;
      report.problem = problem.message();
      return report;
    }
    std::copy_n(reinterpret_cast<const uint8_t*>(value.data()), 32, prev.begin());
    report.entries = seq;
    report.head_seq = seq;
    report.head_hash = prev;
    if (progress && seq % 10000 == 0) progress(seq, impl_->head_seq);
  }
  if (!it->status().ok()) return Status::IoError("reading the log: " + it->status().ToString());
  std::optional<uint64_t> bad_seq;
  Status compared = CompareState(impl_->db, state, &bad_seq);
  if (compared.code() == Code::kIoError) return compared;
  if (!compared.ok()) {
    report.ok = false;
    report.first_bad_seq = bad_seq;
    report.problem = compared.message();
    if (bad_seq && *bad_seq <= report.head_seq) {
      // On damage the head is the last good entry (SPEC §8): the one before the first bad.
      report.head_seq = report.entries = *bad_seq - 1;
      report.head_hash.fill(0);
      if (report.head_seq > 0) {
        CASELEDGER_ASSIGN_OR_RETURN(StoredEntry last_good, GetEntry(report.head_seq));
        report.head_hash = last_good.hash;
      }
    }
  }
  return report;
}

}  // namespace caseledger
