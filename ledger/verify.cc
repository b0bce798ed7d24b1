// verify: the hash chain, every entry's postings, and a replay from empty compared with the
// stored state, key by key (SPEC §5, §6).
#include <openssl/evp.h>
#include <rocksdb/iterator.h>

#include <cstdlib>
#include <functional>
#include <unordered_set>

#include "ledger/impl.h"
#include "ledger/keys.h"
#include "ledger/replay.h"

namespace caseledger {
namespace {

std::string Differs(const std::string& at) {
  if (at[0] == keys::kTreePrefix) return "a stored Merkle tree node differs";
  return std::string("stored state differs from the replay (record kind '") + at[0] + "')";
}

bool IsHistory(std::string_view key) {
  return key[0] == keys::kTreePrefix || keys::IsVersioned(static_cast<Table>(key[0]));
}

// Compares the stored state with the replayed one after the replay: every current-only record
// must equal the replay's, and each stored version or tree node goes to `history` (false: the
// replay did not write it). The problem
// names the first difference in key order; *bad_seq is the earliest entry whose version or
// tree node the replay does not have (every version after a deleted entry, say).
Status CompareState(
    rocksdb::DB* db, const MemoryState& state,
    const std::function<bool(std::string_view key, std::string_view value)>& history,
    std::optional<uint64_t>* bad_seq) {
  Status first;
  auto note = [&](const std::string& at, const std::string& problem) {
    std::optional<uint64_t> seq;
    if (at.size() > 8 && keys::IsVersioned(static_cast<Table>(at[0]))) seq = keys::VersionSeq(at);
    if (at.size() == 10 && at[0] == keys::kTreePrefix) seq = keys::TreeKeySeq(at);
    if (seq && (!*bad_seq || *seq < **bad_seq)) *bad_seq = *seq;
    if (first.ok()) first = Status::Corruption(problem);
  };
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  auto mem = state.kv().begin();
  auto skip_history = [&] {
    while (mem != state.kv().end() && IsHistory(mem->first)) ++mem;
  };
  it->SeekToFirst();
  skip_history();
  while (it->Valid() || mem != state.kv().end()) {
    if (!it->Valid()) {
      note(mem->first, "a state record is missing from the store");
      ++mem;
      skip_history();
      continue;
    }
    const char prefix = it->key()[0];
    if (prefix == keys::kEntryPrefix || prefix == keys::kMetaPrefix) {
      it->Next();
      continue;
    }
    const std::string key = it->key().ToString();
    if (IsHistory(key)) {
      if (!history(key, it->value().ToStringView())) note(key, Differs(key));
      it->Next();
    } else if (mem == state.kv().end() || key < mem->first) {
      note(key, Differs(key));  // a record the replay does not have
      it->Next();
    } else if (mem->first < key) {
      note(mem->first, Differs(mem->first));  // a record missing from the store
      ++mem;
      skip_history();
    } else {
      if (mem->second != it->value().ToString()) note(key, Differs(key));
      it->Next();
      ++mem;
      skip_history();
    }
  }
  if (it->status().IsCorruption()) {
    return Status::Corruption("the store is damaged: " + it->status().ToString());
  }
  if (!it->status().ok()) return Status::IoError("reading the state: " + it->status().ToString());
  return first;
}

}  // namespace

namespace {

// An order-independent digest of a set of (key, value) pairs: the sum of their SHA-256s
// (first 128 bits) and their count. The replay adds what it writes in entry order, the store
// scan what is stored in key order; equal digests mean equal sets (short of a 2^-64 chance).
class SetDigest {
 public:
  void Add(std::string_view key, std::string_view value) {
    std::string framed = keys::BigEndian64(key.size());
    framed.append(key).append(value);
    Hash hash{};
    // A failure here is a broken libcrypto, not bad data.
    if (EVP_Digest(framed.data(), framed.size(), hash.data(), nullptr, EVP_sha256(), nullptr) !=
        1) {
      std::abort();
    }
    unsigned __int128 part = 0;
    for (int i = 0; i < 16; ++i) part = (part << 8) | hash[i];
    sum_ += part;
    ++count_;
  }
  bool operator==(const SetDigest& other) const {
    return sum_ == other.sum_ && count_ == other.count_;
  }

 private:
  unsigned __int128 sum_ = 0;
  uint64_t count_ = 0;
};

}  // namespace

// Two ways of checking the history (every version and tree node). The fast pass keeps a digest
// of what the replay writes and compares it with a digest of what is stored, in one scan: no
// random reads, no memory. Only when the digests differ does the locating pass read each
// version back as it is replayed, to name the first bad entry.
Result<VerifyReport> Ledger::Verify(const std::function<void(uint64_t, uint64_t)>& progress) {
  CASELEDGER_ASSIGN_OR_RETURN(VerifyReport report, VerifyPass(/*locate=*/false, progress));
  if (report.ok || report.first_bad_seq.has_value()) return report;
  return VerifyPass(/*locate=*/true, progress);
}

Result<VerifyReport> Ledger::VerifyPass(bool locate,
                                        const std::function<void(uint64_t, uint64_t)>& progress) {
  VerifyReport report;
  rocksdb::DB* db = impl_->db;
  SetDigest replayed, stored_history;
  std::unordered_set<size_t> seen;  // locating: the keys of every version replayed
  Replayer::VersionCheck check;
  if (!locate) {
    check = [&replayed](const std::string& key, const std::string& value) {
      replayed.Add(key, value);
      return Status::Ok();
    };
  } else {
    check = [&seen, db](const std::string& key, const std::string& value) -> Status {
      seen.insert(std::hash<std::string>{}(key));
      std::string stored;
      rocksdb::Status status = db->Get(rocksdb::ReadOptions(), key, &stored);
      if (status.IsNotFound()) {
        return Status::Corruption(key[0] == keys::kTreePrefix
                                      ? "a Merkle tree node is missing from the store"
                                      : "a state record is missing from the store");
      }
      if (status.IsCorruption())
        return Status::Corruption("the store is damaged: " + status.ToString());
      if (!status.ok()) return Status::IoError("reading the state: " + status.ToString());
      if (stored != value) return Status::Corruption(Differs(key));
      return Status::Ok();
    };
  }
  Replayer replayer(check, impl_->reader.get());
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix(1, keys::kEntryPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string_view key = it->key().ToStringView();
    const std::string_view value = it->value().ToStringView();
    StoredEntry stored;
    stored.seq = key.size() == 9 ? keys::ReadBigEndian64(key.substr(1)) : 0;
    stored.prev_hash = replayer.head_hash();
    Status problem;
    if (value.size() < 32) {
      problem = Status::Corruption("the stored value is too short");
    } else {
      std::copy_n(reinterpret_cast<const uint8_t*>(value.data()), 32, stored.hash.begin());
      stored.bytes = value.substr(32);
      problem = replayer.Add(stored);
    }
    if (problem.code() == Code::kIoError) return problem;
    if (!problem.ok()) {
      report.ok = false;
      report.first_bad_seq = replayer.next_seq();
      report.problem = problem.message();
      return report;
    }
    report.entries = report.head_seq = stored.seq;
    report.head_hash = stored.hash;
    if (progress && stored.seq % 10000 == 0) progress(stored.seq, impl_->head_seq);
  }
  // A block that fails its checksum is damage, reported at the first entry not yet checked.
  if (it->status().IsCorruption()) {
    report.ok = false;
    report.first_bad_seq = replayer.next_seq();
    report.problem = "the store is damaged: " + it->status().ToString();
    return report;
  }
  if (!it->status().ok()) return Status::IoError("reading the log: " + it->status().ToString());
  std::optional<uint64_t> bad_seq;
  auto history = [&](std::string_view key, std::string_view value) {
    if (!locate) {
      stored_history.Add(key, value);
      return true;
    }
    return seen.contains(std::hash<std::string_view>{}(key));
  };
  Status compared = CompareState(impl_->db, replayer.state(), history, &bad_seq);
  if (compared.code() == Code::kIoError) return compared;
  if (compared.ok() && !locate && !(replayed == stored_history)) {
    compared = Status::Corruption("stored versions or tree nodes differ from the replay");
  }
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
