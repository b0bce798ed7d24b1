#include "ledger/replay.h"

#include "core/engine.h"

namespace caseledger {

Status MemoryState::Read(Table table, std::string_view id, std::string* value, bool* found) {
  *found = false;
  if (codec::IsVersioned(table)) {
    const std::string prefix = codec::VersionPrefix(table, id);
    auto it = kv_.lower_bound(prefix);
    if (it != kv_.end() && it->first.starts_with(prefix)) {
      *found = true;
      *value = it->second;
    }
    if (*found && table == Table::kCase) {
      auto fixed = kv_.find(codec::StateKey(Table::kCaseFixed, id, 0));
      if (fixed == kv_.end()) return Status::Corruption("a case has no fixed part ('k')");
      *value = codec::JoinCaseRecord(fixed->second, *value);
    }
    return Status::Ok();
  }
  auto it = kv_.find(codec::StateKey(table, id, 0));
  if (it != kv_.end()) {
    *found = true;
    *value = it->second;
  }
  return Status::Ok();
}

Status MemoryState::ReadEntry(uint64_t seq, std::string* bytes, bool* found) {
  if (entries_source_ != nullptr) return entries_source_->ReadEntry(seq, bytes, found);
  auto it = entries_.find(seq);
  *found = it != entries_.end();
  if (*found) *bytes = it->second;
  return Status::Ok();
}

void MemoryState::Put(const std::string& key, const std::string& value) {
  std::string_view record;
  uint64_t seq = 0;
  // The keys come from codec::EncodeWrites: a versioned one always decodes.
  if (latest_only_ && codec::IsVersionKey(key) &&
      codec::DecodeVersionKey(key, &record, &seq).ok()) {
    // The version's seq dropped: one key per record, read back by its prefix.
    kv_[std::string(record)] = value;
    return;
  }
  kv_[key] = value;
}

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

Status ReplayEntry(const StoredEntry& stored, uint64_t seq, const Hash& prev, Transaction* tx) {
  if (stored.seq != seq) {
    return Status::Corruption("sequence gap: expected entry " + std::to_string(seq) + ", found " +
                              std::to_string(stored.seq));
  }
  if (stored.prev_hash != prev) {
    return Status::Corruption("prev_hash is not the previous entry's hash");
  }
  if (codec::ChainHash(prev, seq, stored.bytes) != stored.hash) {
    return Status::Corruption("hash chain broken: the entry's bytes or hash were changed");
  }
  pb::Entry entry;
  if (!codec::DecodeRecord(stored.bytes, &entry).ok()) {
    return Status::Corruption("the entry does not parse");
  }
  CASELEDGER_RETURN_IF_ERROR(CheckPostings(entry));
  // Decide the command again on the state so far: it must give the same bytes.
  ApplyContext context;
  context.seq = seq;
  context.recorded_at_us = entry.recorded_at_us();
  context.origin = OriginOf(entry);
  Result<Decision> decision = Decide(entry.command(), context, tx);
  if (!decision.ok()) {
    return Status::Corruption("replay rejects the entry: " + decision.status().ToString());
  }
  if (!decision->created) return Status::Corruption("replay sees a duplicate request_id");
  if (tx->entries().at(seq) != stored.bytes) {
    return Status::Corruption("replay produces a different entry (postings or outcome)");
  }
  return Status::Ok();
}

namespace {

// Where a replayed entry's writes go: the memory state, and each version to the check.
class CheckingSink : public codec::Sink {
 public:
  CheckingSink(MemoryState* state, const Replayer::VersionCheck& check)
      : state_(state), check_(check) {}
  void Put(const std::string& key, const std::string& value) override {
    if (check_ && status_.ok() && codec::IsVersionKey(key)) {
      status_ = check_(key, value);
    }
    state_->Put(key, value);
  }
  void Delete(const std::string& key) override { state_->Delete(key); }
  const Status& status() const { return status_; }

 private:
  MemoryState* state_;
  const Replayer::VersionCheck& check_;
  Status status_;
};

}  // namespace

Status Replayer::Add(const StoredEntry& stored) {
  const uint64_t seq = next_seq();
  Transaction tx(&state_);
  CASELEDGER_RETURN_IF_ERROR(ReplayEntry(stored, seq, head_hash_, &tx));
  // The tree first, on a copy: a failed check leaves the replayer where it was.
  merkle::Frontier grown = frontier_;
  Status tree;
  grown.Append(stored.hash, [&](int level, uint64_t index, const merkle::Digest& hash) {
    if (check_ && tree.ok()) {
      tree = check_(codec::TreeKey(level, index), codec::EncodeTreeValue(hash));
    }
  });
  CASELEDGER_RETURN_IF_ERROR(tree);
  CheckingSink sink(&state_, check_);
  CASELEDGER_RETURN_IF_ERROR(codec::EncodeWrites(tx.writes(), seq, &state_, &sink));
  CASELEDGER_RETURN_IF_ERROR(sink.status());
  state_.AddEntry(seq, stored.bytes);
  frontier_ = std::move(grown);
  head_hash_ = stored.hash;
  return Status::Ok();
}

}  // namespace caseledger
