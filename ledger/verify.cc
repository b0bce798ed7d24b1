// verify: the hash chain, every entry's postings, and a replay from empty compared with the
// stored state, key by key (SPEC §5, §6).
#include <openssl/evp.h>
#include <rocksdb/iterator.h>

#include <cstdlib>
#include <functional>
#include <unordered_set>

#include "ledger/codec.h"
#include "ledger/impl.h"
#include "ledger/replay.h"

namespace caseledger {
namespace {

std::string Differs(std::string_view at) {
  if (codec::IsTreeKey(at)) return "a stored Merkle tree node differs";
  return std::string("stored state differs from the replay (record kind '") + at[0] + "')";
}

// The entry that wrote a version, or whose append completed a tree node; nullopt for another
// key, or one that does not decode.
std::optional<uint64_t> WrittenBy(std::string_view key) {
  uint64_t seq = 0;
  std::string_view record;
  if (codec::IsVersionKey(key) && codec::DecodeVersionKey(key, &record, &seq).ok()) return seq;
  if (codec::IsTreeKey(key) && codec::TreeKeySeq(key, &seq).ok()) return seq;
  return std::nullopt;
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
    const std::optional<uint64_t> seq = WrittenBy(at);
    if (seq && (!*bad_seq || *seq < **bad_seq)) *bad_seq = *seq;
    if (first.ok()) first = Status::Corruption(problem);
  };
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  auto mem = state.kv().begin();
  auto skip_history = [&] {
    while (mem != state.kv().end() && codec::IsHistoryKey(mem->first)) ++mem;
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
    const std::string_view stored_key = it->key().ToStringView();
    if (codec::IsEntryKey(stored_key) || codec::IsMetaKey(stored_key)) {
      it->Next();
      continue;
    }
    const std::string key(stored_key);
    if (codec::IsHistoryKey(key)) {
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
      if (mem->second != it->value().ToStringView()) note(key, Differs(key));
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

// An order-independent digest of a set of (key, value) pairs: the sum of their SHA-256s
// (first 128 bits) and their count. The replay adds what it writes in entry order, the store
// scan what is stored in key order; equal digests mean equal sets (short of a 2^-64 chance).
class SetDigest {
 public:
  void Add(std::string_view key, std::string_view value) {
    std::string framed = codec::EncodeSeq(key.size());
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

// What a pass keeps of the history the replay writes: its digest (the fast pass), or the hash of
// every key written, each checked against the store there and then (the locating pass).
struct HistorySeen {
  SetDigest replayed;
  std::unordered_set<size_t> keys;
};

// Reads one version or tree node back and compares it with what the replay wrote.
Status CompareWithStore(rocksdb::DB* db, const std::string& key, const std::string& value) {
  std::string stored;
  rocksdb::Status status = db->Get(rocksdb::ReadOptions(), key, &stored);
  if (status.IsNotFound()) {
    return Status::Corruption(codec::IsTreeKey(key) ? "a Merkle tree node is missing from the store"
                                                    : "a state record is missing from the store");
  }
  if (status.IsCorruption())
    return Status::Corruption("the store is damaged: " + status.ToString());
  if (!status.ok()) return Status::IoError("reading the state: " + status.ToString());
  if (stored != value) return Status::Corruption(Differs(key));
  return Status::Ok();
}

Replayer::VersionCheck CheckFor(bool locate, rocksdb::DB* db, HistorySeen* seen) {
  if (!locate) {
    return [seen](const std::string& key, const std::string& value) {
      seen->replayed.Add(key, value);
      return Status::Ok();
    };
  }
  return [seen, db](const std::string& key, const std::string& value) {
    seen->keys.insert(std::hash<std::string>{}(key));
    return CompareWithStore(db, key, value);
  };
}

void Fail(VerifyReport* report, std::optional<uint64_t> bad_seq, const std::string& problem) {
  report->ok = false;
  report->first_bad_seq = bad_seq;
  report->problem = problem;
}

// Replays every stored entry in key order into `replayer`. A damaged entry ends the report (not
// ok, the first bad seq the one due); IO_ERROR is returned.
Status ReplayLog(rocksdb::DB* db, uint64_t head_seq, Replayer* replayer, VerifyReport* report,
                 const std::function<void(uint64_t, uint64_t)>& progress) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = codec::EntriesPrefix();
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    StoredEntry stored;
    stored.prev_hash = replayer->head_hash();
    // A key that does not decode is seq 0: the replay reports the sequence gap.
    if (!codec::DecodeEntryKey(it->key().ToStringView(), &stored.seq).ok()) stored.seq = 0;
    std::string_view bytes;
    Status problem = codec::DecodeEntryValue(it->value().ToStringView(), &stored.hash, &bytes);
    if (problem.ok()) {
      stored.bytes = std::string(bytes);
      problem = replayer->Add(stored);
    }
    if (problem.code() == Code::kIoError) return problem;
    if (!problem.ok()) {
      Fail(report, replayer->next_seq(), problem.message());
      return Status::Ok();
    }
    report->entries = report->head_seq = stored.seq;
    report->head_hash = stored.hash;
    if (progress && stored.seq % 10000 == 0) progress(stored.seq, head_seq);
  }
  // A block that fails its checksum is damage, reported at the first entry not yet checked.
  if (it->status().IsCorruption()) {
    Fail(report, replayer->next_seq(), "the store is damaged: " + it->status().ToString());
    return Status::Ok();
  }
  if (!it->status().ok()) return Status::IoError("reading the log: " + it->status().ToString());
  return Status::Ok();
}

}  // namespace

// Two ways of checking the history (every version and tree node). The fast pass keeps a digest
// of what the replay writes and compares it with a digest of what is stored, in one scan: no
// random reads, no memory. Only when the digests differ does the locating pass read each
// version back as it is replayed, to name the first bad entry.
Status RewindToLastGood(Ledger* ledger, const std::optional<uint64_t>& bad_seq,
                        VerifyReport* report) {
  if (!bad_seq || *bad_seq > report->head_seq) return Status::Ok();
  // On damage the head is the last good entry (SPEC §8): the one before the first bad.
  report->head_seq = report->entries = *bad_seq - 1;
  report->head_hash.fill(0);
  if (report->head_seq > 0) {
    CASELEDGER_ASSIGN_OR_RETURN(StoredEntry last_good, ledger->GetEntry(report->head_seq));
    report->head_hash = last_good.hash;
  }
  return Status::Ok();
}

Result<VerifyReport> Ledger::Verify(const std::function<void(uint64_t, uint64_t)>& progress) {
  CASELEDGER_RETURN_IF_ERROR(impl_->CheckStateReadable());
  CASELEDGER_ASSIGN_OR_RETURN(VerifyReport report, VerifyPass(/*locate=*/false, progress));
  if (report.ok || report.first_bad_seq.has_value()) return report;
  return VerifyPass(/*locate=*/true, progress);
}

Result<VerifyReport> Ledger::VerifyPass(bool locate,
                                        const std::function<void(uint64_t, uint64_t)>& progress) {
  VerifyReport report;
  rocksdb::DB* db = impl_->db.get();
  HistorySeen seen;
  Replayer replayer(CheckFor(locate, db, &seen), impl_->reader.get());
  CASELEDGER_RETURN_IF_ERROR(ReplayLog(db, impl_->head_seq, &replayer, &report, progress));
  if (!report.ok) return report;
  SetDigest stored_history;
  auto history = [&](std::string_view key, std::string_view value) {
    if (!locate) {
      stored_history.Add(key, value);
      return true;
    }
    return seen.keys.contains(std::hash<std::string_view>{}(key));
  };
  std::optional<uint64_t> bad_seq;
  Status compared = CompareState(db, replayer.state(), history, &bad_seq);
  if (compared.code() == Code::kIoError) return compared;
  if (compared.ok() && !locate && !(seen.replayed == stored_history)) {
    compared = Status::Corruption("stored versions or tree nodes differ from the replay");
  }
  if (compared.ok()) return report;
  Fail(&report, bad_seq, compared.message());
  CASELEDGER_RETURN_IF_ERROR(RewindToLastGood(this, bad_seq, &report));
  return report;
}

}  // namespace caseledger
