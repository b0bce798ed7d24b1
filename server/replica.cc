#include "server/replica.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace caseledger::server {
namespace {

using Steady = std::chrono::steady_clock;

constexpr int kFollowPeriodMs = 50;         // a follower reads the log this often
constexpr int64_t kTrimPeriodUs = 5000000;  // the leader deletes applied log keys this often

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Steady::now().time_since_epoch())
      .count();
}

void PutBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(value >> (8 * i)));
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

// "<seq> <hash hex> <replica>": what the head key holds.
std::string HeadValue(uint64_t seq, const Hash& hash, const std::string& replica) {
  return std::to_string(seq) + " " + HexOf(hash) + " " + replica;
}

Status ParseHead(const std::string& value, uint64_t* seq, Hash* hash) {
  const size_t space = value.find(' ');
  if (space == std::string::npos || value.size() < space + 65 ||
      !ParseHex(std::string_view(value).substr(space + 1, 64), hash)) {
    return Status::Corruption("the shared log's head key is not \"<seq> <hash> <replica>\"");
  }
  *seq = std::stoull(value.substr(0, space));
  return Status::Ok();
}

void Log(const std::string& line) { std::fprintf(stderr, "caseledgerd: %s\n", line.c_str()); }

// The compare of a transaction: `target` of `key` equals `number` (0: the key is absent, for
// kVersion).
etcd::Compare Equal(std::string key, etcd::CompareTarget target, int64_t number) {
  return {.key = std::move(key),
          .target = target,
          .result = etcd::CompareResult::kEqual,
          .number = number};
}

}  // namespace

std::string EncodeGroup(const std::vector<LogRecord>& group) {
  std::string out;
  for (const LogRecord& record : group) {
    PutBigEndian(record.seq, 8, &out);
    PutBigEndian(record.value.size(), 4, &out);
    out += record.value;
  }
  return out;
}

Result<std::vector<LogRecord>> DecodeGroup(std::string_view bytes) {
  std::vector<LogRecord> group;
  while (!bytes.empty()) {
    if (bytes.size() < 12) return Status::Corruption("a group of the shared log is cut short");
    LogRecord record;
    record.seq = GetBigEndian(bytes.substr(0, 8));
    const uint64_t size = GetBigEndian(bytes.substr(8, 4));
    if (bytes.size() - 12 < size)
      return Status::Corruption("a group of the shared log is cut short");
    record.value = std::string(bytes.substr(12, size));
    bytes.remove_prefix(12 + size);
    if (!group.empty() && record.seq != group.back().seq + 1) {
      return Status::Corruption("a group of the shared log skips from entry " +
                                std::to_string(group.back().seq) + " to " +
                                std::to_string(record.seq));
    }
    group.push_back(std::move(record));
  }
  if (group.empty()) return Status::Corruption("a group of the shared log is empty");
  return group;
}

Replica::Replica(ReplicaOptions options, Writer* writer)
    : options_(std::move(options)),
      prefix_("/caseledger/" + options_.ledger + "/"),
      writer_(writer),
      client_(
          etcd::ClientOptions{.endpoints = options_.etcd, .timeout_ms = options_.etcd_timeout_ms}),
      why_not_leading_("it has not yet joined the shared log") {}

Replica::~Replica() { Stop(); }

std::string Replica::LogKey(uint64_t seq) const { return Key(fmt::format("log/{:020}", seq)); }

void Replica::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Replica::Stop() {
  if (stop_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    sleep_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  StepDown("it stopped");
}

bool Replica::Sleep(int ms) {
  std::unique_lock<std::mutex> lock(sleep_mutex_);
  return !sleep_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
}

Status Replica::NotLeader(const std::string& why) const {
  return Status(Code::kNotLeader, "replica " + options_.name + " does not take commands now (" +
                                      why +
                                      "): nothing was recorded; send it to the leader with "
                                      "the same request_id");
}

Status Replica::MayWrite() {
  if (leading_.load() && NowUs() < lease_deadline_us_.load()) return Status::Ok();
  std::lock_guard<std::mutex> lock(mutex_);
  return NotLeader(leading_.load() ? "its lease may have lapsed" : why_not_leading_);
}

void Replica::StepDown(const std::string& why) {
  const bool was = leading_.exchange(false);
  int64_t lease = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    why_not_leading_ = why;
    lease = lease_id_;
    lease_id_ = 0;
  }
  if (lease != 0) (void)client_.LeaseRevoke(lease);  // another replica may lead at once
  if (was) Log("replica " + options_.name + " steps down: " + why);
}

Status Replica::ReadLocalHead(uint64_t* seq, Hash* hash) {
  return writer_->RunExclusive([&](Ledger* ledger) {
    *seq = ledger->head_seq();
    *hash = ledger->head_hash();
    return Status::Ok();
  });
}

Status Replica::CatchUp(bool linearizable) {
  while (!stop_.load()) {
    uint64_t seq = 0;
    Hash hash{};
    CASELEDGER_RETURN_IF_ERROR(ReadLocalHead(&seq, &hash));
    applied_seq_ = seq;
    etcd::RangeOptions range;
    range.limit = 16;
    range.serializable = !linearizable;
    CASELEDGER_ASSIGN_OR_RETURN(
        etcd::RangeResult groups,
        client_.Range(LogKey(seq + 1), etcd::PrefixEnd(Key("log/")), range));
    if (groups.kvs.empty()) return Status::Ok();
    std::vector<LogRecord> records;
    for (const etcd::KeyValue& kv : groups.kvs) {
      CASELEDGER_ASSIGN_OR_RETURN(std::vector<LogRecord> group, DecodeGroup(kv.value));
      for (LogRecord& record : group) records.push_back(std::move(record));
    }
    if (records.front().seq != seq + 1) {
      return Status::Corruption(fmt::format(
          "this replica's ledger ends at entry {} but the shared log goes on from entry {}: it "
          "fell behind the log's window; start it again from another replica's export",
          seq, records.front().seq));
    }
    CASELEDGER_RETURN_IF_ERROR(writer_->RunExclusive([&](Ledger* ledger) {
      // Each entry's hash must chain from the one before (StageStored checks it).
      Hash prev = ledger->head_hash();
      for (const LogRecord& record : records) {
        CASELEDGER_ASSIGN_OR_RETURN(StoredEntry stored, Ledger::ParseLogRecord(record));
        stored.prev_hash = prev;
        CASELEDGER_RETURN_IF_ERROR(ledger->StageStored(stored));
        prev = stored.hash;
      }
      return ledger->Commit();
    }));
    applied_seq_ = records.back().seq;
    if (!groups.more) return Status::Ok();
  }
  return Status::Ok();
}

Status Replica::Campaign(bool* won) {
  *won = false;
  CASELEDGER_ASSIGN_OR_RETURN(etcd::Lease lease, client_.LeaseGrant(options_.lease_ttl_s));
  const int64_t granted_us = NowUs();
  const std::string me = options_.name + "\n" + options_.advertise;
  const etcd::Compare vacant = Equal(Key("leader"), etcd::CompareTarget::kVersion, 0);
  Result<etcd::TxnResult> txn =
      client_.Txn({vacant}, {etcd::Op::Put(Key("leader"), me, lease.id)}, {});
  if (!txn.ok() || !txn->succeeded) {
    (void)client_.LeaseRevoke(lease.id);
    return txn.ok() ? Status::Ok() : txn.status();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  lease_id_ = lease.id;
  leader_revision_ = txn->header_revision;
  lease_deadline_us_ = granted_us + (lease.ttl_s * 1000000) * 2 / 3;
  *won = true;
  return Status::Ok();
}

Status Replica::Fence() {
  CASELEDGER_RETURN_IF_ERROR(CatchUp(true));
  CASELEDGER_ASSIGN_OR_RETURN(etcd::RangeResult head, client_.Range(Key("head")));
  uint64_t seq = 0;
  Hash hash{};
  CASELEDGER_RETURN_IF_ERROR(ReadLocalHead(&seq, &hash));
  etcd::Compare same_head = Equal(Key("head"), etcd::CompareTarget::kVersion, 0);  // absent
  if (!head.kvs.empty()) {
    uint64_t shared_seq = 0;
    Hash shared_hash{};
    CASELEDGER_RETURN_IF_ERROR(ParseHead(head.kvs[0].value, &shared_seq, &shared_hash));
    if (shared_seq != seq || shared_hash != hash) {
      return Status::Corruption(fmt::format(
          "after catching up this replica's head is entry {} but the shared log's is entry {}{}",
          seq, shared_seq, shared_seq == seq ? " with another hash" : ""));
    }
    same_head = Equal(Key("head"), etcd::CompareTarget::kMod, head.kvs[0].mod_revision);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const etcd::Compare ours = Equal(Key("leader"), etcd::CompareTarget::kCreate, leader_revision_);
  CASELEDGER_ASSIGN_OR_RETURN(
      etcd::TxnResult txn,
      client_.Txn({ours, same_head},
                  {etcd::Op::Put(Key("head"), HeadValue(seq, hash, options_.name))}, {}));
  if (!txn.succeeded) return NotLeader("another replica took the lead first");
  head_revision_ = txn.header_revision;
  leading_ = true;
  Log(fmt::format("replica {} leads from entry {}", options_.name, seq));
  return Status::Ok();
}

// A group goes in as pieces of whole entries of at most append_bytes each (a larger entry alone),
// each its own fenced transaction, in order. If a later piece fails after an earlier one went in,
// this replica's ledger would be behind the log: it steps down, and applies the log as a follower.
Status Replica::Append(const std::vector<LogRecord>& group) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!leading_.load()) return NotLeader(why_not_leading_);
  if (NowUs() >= lease_deadline_us_.load()) return NotLeader("its lease may have lapsed");
  size_t begin = 0;
  while (begin < group.size()) {
    size_t end = begin + 1, bytes = group[begin].value.size();
    while (end < group.size() && bytes + group[end].value.size() <= options_.append_bytes) {
      bytes += group[end++].value.size();
    }
    const std::vector<LogRecord> piece(group.begin() + begin, group.begin() + end);
    Status status = AppendPiece(piece);
    if (!status.ok()) {
      if (begin > 0 && leading_.exchange(false)) {
        why_not_leading_ = "a group went into the shared log in part";
        Log("replica " + options_.name + " steps down: " + why_not_leading_);
      }
      return status;
    }
    begin = end;
  }
  return Status::Ok();
}

Status Replica::AppendPiece(const std::vector<LogRecord>& group) {
  CASELEDGER_ASSIGN_OR_RETURN(StoredEntry last, Ledger::ParseLogRecord(group.back()));
  const std::string head = HeadValue(last.seq, last.hash, options_.name);
  const etcd::Compare ours = Equal(Key("leader"), etcd::CompareTarget::kCreate, leader_revision_);
  const etcd::Compare unchanged = Equal(Key("head"), etcd::CompareTarget::kMod, head_revision_);
  Result<etcd::TxnResult> txn =
      client_.Txn({ours, unchanged},
                  {etcd::Op::Put(LogKey(group.front().seq), EncodeGroup(group)),
                   etcd::Op::Put(Key("head"), head)},
                  {});
  if (txn.ok() && txn->succeeded) {
    head_revision_ = txn->header_revision;
    applied_seq_ = last.seq;
    return Status::Ok();
  }
  if (txn.ok() || etcd::OutcomeUnknown(txn.status())) {
    // Refused (deposed), or unknown: the head says whether the group is in. If it is not, it may
    // still land later (a proposal in flight); we step down either way, and then apply the log as
    // a follower, so a group that did land is written here from the log.
    Result<etcd::RangeResult> now = client_.Range(Key("head"));
    if (!txn.ok() && now.ok() && !now->kvs.empty() && now->kvs[0].value == head) {
      // Ours: it went in.
      head_revision_ = now->kvs[0].mod_revision;
      applied_seq_ = last.seq;
      return Status::Ok();
    }
    why_not_leading_ = txn.ok() ? "another replica leads" : "an append's outcome was unknown";
    leading_ = false;
    Log("replica " + options_.name + " steps down: " + why_not_leading_);
    return NotLeader(why_not_leading_);
  }
  return NotLeader("the shared log refused: " + txn.status().message());
}

void Replica::KeepLeading() {
  const int period_ms = std::max(100, options_.lease_ttl_s * 1000 / 4);
  int64_t next_publish_us = 0;
  while (leading_.load() && Sleep(period_ms)) {
    int64_t lease = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      lease = lease_id_;
    }
    const int64_t sent_us = NowUs();
    Result<int64_t> ttl = client_.LeaseKeepAliveOnce(lease);
    if (ttl.ok() && *ttl > 0) {
      lease_deadline_us_ = sent_us + *ttl * 1000000 * 2 / 3;
    } else if (ttl.ok() || NowUs() >= lease_deadline_us_.load()) {
      StepDown("its lease lapsed");
      return;
    }
    if (NowUs() >= next_publish_us) {
      PublishAndTrim(true);
      next_publish_us = NowUs() + kTrimPeriodUs;
    }
  }
}

void Replica::PublishAndTrim(bool trim) {
  const uint64_t seq = applied_seq_.load();
  (void)client_.Put(Key("applied/" + options_.name), std::to_string(seq));
  if (!trim || !leading_.load()) return;
  // etcd's alarms, watched by the leader: NOSPACE stops every write (status shows it too).
  Result<std::vector<etcd::Alarm>> alarms = client_.Alarms();
  if (alarms.ok() && !alarms->empty()) {
    Log("etcd raises " + alarms->front().alarm +
        (alarms->front().alarm == "NOSPACE"
             ? ": its database is over its quota and no write is taken; compact and defragment "
               "it, or raise --quota-backend-bytes, then disarm the alarm (README \"Replication\")"
             : ""));
  }
  Result<etcd::RangeResult> applied =
      client_.Range(Key("applied/"), etcd::PrefixEnd(Key("applied/")));
  if (!applied.ok() || applied->kvs.empty()) return;
  uint64_t lowest = seq;
  for (const etcd::KeyValue& kv : applied->kvs)
    lowest = std::min<uint64_t>(lowest, std::stoull(kv.value));
  // Groups starting at or below `lowest` end there at the latest (replicas apply whole groups).
  Result<int64_t> deleted = client_.DeleteRange(Key("log/"), LogKey(lowest + 1));
  if (deleted.ok() && *deleted > 0) {
    Result<etcd::RangeResult> now = client_.Range(Key("head"));
    if (now.ok()) (void)client_.Compact(now->header_revision, false);
  }
}

// Following: the log read every kFollowPeriodMs from the nearest member (a serializable read: a
// member behind is caught up with later), a campaign only once the leader key is gone (the
// campaign's own compare makes it safe), what was applied published every second.
cli::ReplicaReport Replica::Report() {
  cli::ReplicaReport report;
  report.name = options_.name;
  report.leading = leading_.load();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!report.leading) report.why = why_not_leading_;
  }
  report.applied_seq = applied_seq_.load();
  Status status = Status::Ok();
  auto read = [&](const std::string& key, std::string_view end, etcd::RangeOptions options) {
    Result<etcd::RangeResult> range = client_.Range(key, end, options);
    if (!range.ok() && status.ok()) status = range.status();
    return range.ok() ? *range : etcd::RangeResult{};
  };
  const etcd::RangeResult leader = read(Key("leader"), {}, {});
  if (!leader.kvs.empty()) {
    const std::string& value = leader.kvs[0].value;
    const size_t newline = value.find('\n');
    report.leader = value.substr(0, newline) + " (" + value.substr(newline + 1) + ")";
  }
  const etcd::RangeResult head = read(Key("head"), {}, {});
  if (!head.kvs.empty()) report.log_head_seq = std::stoull(head.kvs[0].value);
  etcd::RangeOptions first;
  first.limit = 1;
  first.keys_only = true;
  const etcd::RangeResult window = read(Key("log/"), etcd::PrefixEnd(Key("log/")), first);
  if (!window.kvs.empty())
    report.log_first_seq = std::stoull(window.kvs[0].key.substr(Key("log/").size()));
  Result<etcd::StatusReport> member = client_.MemberStatus();
  if (member.ok()) report.etcd_db_bytes = member->db_size_bytes;
  Result<std::vector<etcd::Alarm>> alarms = client_.Alarms();
  if (alarms.ok()) {
    for (const etcd::Alarm& alarm : *alarms) report.alarms.push_back(alarm.alarm);
  }
  if (!status.ok()) report.etcd_error = status.ToString();
  return report;
}

void Replica::Loop() {
  int64_t next_publish_us = 0;
  while (!stop_.load()) {
    Status status = CatchUp(false);
    bool won = false;
    if (status.ok()) {
      Result<etcd::RangeResult> leader = client_.Range(Key("leader"));
      if (!leader.ok()) status = leader.status();
      if (status.ok() && leader->kvs.empty()) status = Campaign(&won);
    }
    if (status.ok() && won) status = Fence();
    if (status.ok() && leading_.load()) {
      KeepLeading();
      continue;
    }
    if (won) StepDown(status.ok() ? "another replica took the lead first" : status.ToString());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      why_not_leading_ =
          status.ok() ? "another replica leads" : "the shared log: " + status.ToString();
    }
    if (status.code() == Code::kCorruption) {
      Log("replica " + options_.name + " stops following: " + status.ToString());
      return;
    }
    if (NowUs() >= next_publish_us) {
      PublishAndTrim(false);
      next_publish_us = NowUs() + 1000000;
    }
    Sleep(kFollowPeriodMs);
  }
}

}  // namespace caseledger::server
