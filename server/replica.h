// One replica of a ledger replicated through etcd (issue 21; README "Replication"). Every
// replica holds the whole ledger in its own RocksDB; etcd holds a sliding window of the log:
//
//   /caseledger/<ledger>/leader        this replica's name and address, under its lease
//   /caseledger/<ledger>/head          "<seq> <hash hex> <replica>": the log's last entry
//   /caseledger/<ledger>/log/<seq>     one group of entries from <seq> on (20 digits), each as
//                                      the ledger stores it (LogRecord; EncodeGroup below)
//   /caseledger/<ledger>/applied/<r>   the last entry replica <r> has written
//
// The leader is chosen by an etcd lease (liveness only). Safety rests on compare-and-swap: a
// group goes into etcd in one transaction that compares the leader key's create revision (ours)
// and the head key's mod revision (the last we wrote), so a deposed or paused leader's append
// fails and it steps down. A group is written locally, and acknowledged, only after its append
// succeeded; an append whose outcome is unknown is resolved by reading the head back and
// recognising the group by its last entry's hash. Followers apply the log as `import` does
// (decided again, bytes compared, chain extended), entries keeping their own recorded_at.
#ifndef CASELEDGER_SERVER_REPLICA_H_
#define CASELEDGER_SERVER_REPLICA_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/run.h"
#include "ledger/ledger.h"
#include "server/etcd.h"
#include "server/writer.h"

namespace caseledger::server {

struct ReplicaOptions {
  std::vector<std::string> etcd;      // the etcd members' client endpoints, HOST:PORT
  std::string name;                   // this replica's, unique among the ledger's replicas
  std::string ledger = "caseledger";  // the ledger's name: its keys' prefix
  std::string advertise;              // HOST:PORT clients reach this replica at
  int lease_ttl_s = 2;                // a silent leader is replaced after this
  int etcd_timeout_ms = 2000;         // one etcd request
  // The entries' bytes in one append transaction (a larger entry goes alone): below etcd's
  // --max-request-bytes with base64's third more (README "Replication").
  size_t append_bytes = 1024 * 1024;
};

// A group of log records as one etcd value: per record its seq (8 bytes, big-endian), the
// length of its stored value (4 bytes, big-endian) and the value.
std::string EncodeGroup(const std::vector<LogRecord>& group);
// CORRUPTION when the bytes are not such a group.
Result<std::vector<LogRecord>> DecodeGroup(std::string_view bytes);

class Replica : public Replication {
 public:
  Replica(ReplicaOptions options, Writer* writer);
  ~Replica() override;
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // Starts following (and campaigning) on a thread of its own.
  void Start();
  // Steps down (the lease revoked, so that another replica leads at once) and stops.
  void Stop();

  Status MayWrite() override;
  Status Append(const std::vector<LogRecord>& group) override;

  // What `status` shows of this replica, the shared log and etcd (read now).
  cli::ReplicaReport Report();

 private:
  void Loop();
  // Applies every group of the log after the local head, through the writer; `linearizable`:
  // up to the log's head now (a new leader's), else as far as the nearest member has it.
  Status CatchUp(bool linearizable);
  // Takes the leader key if nobody holds it; `won` says whether we did.
  Status Campaign(bool* won);
  // As the new leader, once caught up: claims the head (a paused old leader's append then fails).
  Status Fence();
  // Keeps the lease alive while leading; steps down when it lapses.
  void KeepLeading();
  void StepDown(const std::string& why);
  // Publishes what this replica applied; the leader deletes the log below every replica's. Never
  // waits for the writer: the lease is kept alive on the same thread.
  void PublishAndTrim(bool trim);
  Status NotLeader(const std::string& why) const;
  // One transaction of Append's, with mutex_ held.
  Status AppendPiece(const std::vector<LogRecord>& group);
  // The local head, read on the writer's thread.
  Status ReadLocalHead(uint64_t* seq, Hash* hash);
  // Waits up to `ms` or until Stop.
  bool Sleep(int ms);

  std::string Key(const std::string& tail) const { return prefix_ + tail; }
  std::string LogKey(uint64_t seq) const;

  const ReplicaOptions options_;
  const std::string prefix_;
  Writer* writer_;
  etcd::Client client_;
  std::atomic<bool> leading_{false};
  std::atomic<bool> stop_{false};
  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;
  // Append's (the writer's thread) and the loop's: the revisions that fence our appends.
  std::mutex mutex_;
  int64_t lease_id_ = 0;
  int64_t leader_revision_ = 0;                // the create revision of our leader key
  int64_t head_revision_ = 0;                  // the head key's mod revision as we last wrote it
  std::atomic<int64_t> lease_deadline_us_{0};  // steady clock: our lease surely lives until then
  std::atomic<uint64_t> applied_seq_{0};       // the last entry in the local ledger, or appended
  std::string why_not_leading_;                // why we are not leading, for NOT_LEADER's message
  std::thread thread_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_REPLICA_H_
