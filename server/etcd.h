// A small etcd v3 client for caseledgerd's replication: the key-value calls, leases, compaction,
// the members' state and watches, spoken as JSON over HTTP/1.1 to etcd's gRPC gateway (etcd
// 3.4's /v3/...) with cpp-httplib. Keys and values are bytes (base64 on the wire, any bytes).
//
// Failures and what a writer may conclude from them (the replication resolves the second kind by
// reading back):
//   NOT_COMMITTED  definitely not applied: no endpoint took the request (connection refused or
//                  not established in time on every endpoint), or etcd answered with an error it
//                  gives before proposing anything ("etcdserver: no leader", "request is too
//                  large", "database space exceeded", "lease not found", a bad argument...).
//   INVALID_STATE  not applied either: the revision asked for is compacted (Range at a revision,
//                  a Range op in a Txn, Watch from a revision); the message says up to where.
//   IO_ERROR       outcome unknown: the request went out, then the answer did not come in time,
//                  the connection dropped, the answer could not be read, or etcd answered one of
//                  its ambiguous errors (gRPC UNAVAILABLE other than "no leader",
//                  DEADLINE_EXCEEDED, CANCELED, UNKNOWN, INTERNAL: "request timed out", "leader
//                  changed", "raft proposal dropped"...). A write may or may not have been applied.
// OutcomeUnknown(status) says which. Reads (Range, MemberStatus, Alarms, and LeaseKeepAliveOnce,
// harmless twice) try every endpoint on any failure of the transport; writes move on to the next
// endpoint only while surely not applied (not sent, or "no leader").
#ifndef CASELEDGER_SERVER_ETCD_H_
#define CASELEDGER_SERVER_ETCD_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace httplib {
class Client;
}

namespace caseledger::etcd {

// True when a write's failure leaves its outcome unknown (IO_ERROR, above).
inline bool OutcomeUnknown(const Status& status) { return status.code() == Code::kIoError; }

struct ClientOptions {
  std::vector<std::string> endpoints;  // "127.0.0.1:2379"; tried in turn, from the last that
                                       // answered
  // Each connect, and each wait for the next bytes of an answer, waits at most this long (so a
  // request can take longer only while etcd keeps sending). Above etcd's own request timeout
  // (5 s + 2 election timeouts) a slow write ends in etcd's "request timed out" rather than
  // ours; both are IO_ERROR.
  int timeout_ms = 5000;
  // A watch with no answer for this long ends (IO_ERROR) and is to be made again: it finds a
  // member that froze. Watches ask for progress notifications, which etcd 3.4 sends every
  // --experimental-watch-progress-notify-interval (10 minutes by default): keep this above it.
  int watch_idle_timeout_ms = 11 * 60 * 1000;
  // HTTPS when tls_ca is set (PEM files: the CA that signed the members' certificates, and this
  // client's certificate and key); empty: plain HTTP. Untested so far: the tests run plain HTTP.
  // ({} lets designated initializers leave them out under -Wextra.)
  std::string tls_ca{};
  std::string tls_cert{};
  std::string tls_key{};
};

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;  // 1 on creation, +1 per put; a deleted key starts again at 1
  int64_t lease = 0;    // 0: none
};

// Keys come back in ascending key order: that is etcd's own order (its index is a B-tree and
// SortOrder NONE returns it as is), so the client asks for no sort.
struct RangeOptions {
  int64_t limit = 0;     // 0: no limit
  int64_t revision = 0;  // 0: the newest; older: as of then (INVALID_STATE once compacted)
  bool keys_only = false;
  bool count_only = false;
  bool serializable = false;  // the answering member's own state, without asking the leader
};

struct RangeResult {
  std::vector<KeyValue> kvs;
  bool more = false;  // more keys in the range than `limit`
  int64_t count = 0;  // keys in the range, whatever the limit
  int64_t header_revision = 0;
};

// The range_end that makes a range of every key beginning with `prefix`: the prefix with its last
// byte below 0xff raised by one (trailing 0xff bytes dropped); "\0" (every key) when there is
// none.
std::string PrefixEnd(std::string_view prefix);

enum class CompareTarget { kVersion, kCreate, kMod, kValue, kLease };
enum class CompareResult { kEqual, kGreater, kLess, kNotEqual };

// `target(key) result operand`: the number for VERSION, CREATE, MOD and LEASE, `value` for VALUE.
// A key that does not exist has version, create and mod revision 0.
struct Compare {
  std::string key{};
  CompareTarget target = CompareTarget::kMod;
  CompareResult result = CompareResult::kEqual;
  int64_t number = 0;
  std::string value{};
};

struct Op {
  enum class Kind { kPut, kDeleteRange, kRange };
  static Op Put(std::string key, std::string value, int64_t lease = 0);
  static Op DeleteRange(std::string key, std::string range_end = {});
  static Op Range(std::string key, std::string range_end = {}, RangeOptions options = {});

  Kind kind = Kind::kRange;
  std::string key;
  std::string range_end;  // kDeleteRange, kRange; empty: the key alone
  std::string value;      // kPut
  int64_t lease = 0;      // kPut
  bool prev_kv = false;   // kPut, kDeleteRange: answer the key-values it replaced or deleted
  RangeOptions range;     // kRange
};

struct OpResult {
  Op::Kind kind = Op::Kind::kRange;
  RangeResult range;               // kRange
  int64_t deleted = 0;             // kDeleteRange
  std::vector<KeyValue> prev_kvs;  // kPut (at most one), kDeleteRange, when prev_kv was asked
};

struct TxnResult {
  bool succeeded = false;  // every compare held: `success` ran, else `failure`
  int64_t header_revision = 0;
  std::vector<OpResult> responses;  // one per op of the branch that ran, in order
};

struct Lease {
  int64_t id = 0;
  int64_t ttl_s = 0;
};

// One member's own view (its /v3/maintenance/status).
struct StatusReport {
  uint64_t member_id = 0;
  uint64_t leader_id = 0;  // 0: it knows of no leader
  std::string version;
  int64_t db_size_bytes = 0;
  int64_t db_size_in_use_bytes = 0;
  uint64_t raft_index = 0;
  uint64_t raft_term = 0;
  std::vector<std::string> errors;
};

struct Alarm {
  uint64_t member_id = 0;
  std::string alarm;  // "NOSPACE", "CORRUPT"
};

struct Event {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  // kDelete: the key and the deletion's mod_revision only
};

// One answer of a watch. No events: a progress notification, every change up to
// header_revision has been delivered.
struct WatchBatch {
  int64_t header_revision = 0;
  std::vector<Event> events;
};

// Ends a Client::Watch from another thread: Stop() makes the watch return OK and waits until it
// has (from the watch's own callback, return false instead). A stopped WatchStop stays stopped:
// a watch started with it returns at once.
class WatchStop {
 public:
  void Stop();

 private:
  friend class Client;
  std::mutex mutex_;
  std::condition_variable done_;
  std::atomic<bool> stopped_ = false;
  httplib::Client* active_ = nullptr;  // the watch's connection, while it runs
};

// Thread-safe: each request opens its own connection (about 0.1 ms on loopback; a pool is for
// when the replication's rate needs it).
class Client {
 public:
  explicit Client(ClientOptions options);

  Result<RangeResult> Range(std::string_view key, std::string_view range_end = {},
                            const RangeOptions& options = {}) const;
  Result<TxnResult> Txn(const std::vector<Compare>& compares, const std::vector<Op>& success,
                        const std::vector<Op>& failure) const;
  // The revision of the put.
  Result<int64_t> Put(std::string_view key, std::string_view value, int64_t lease = 0) const;
  // The number of keys deleted.
  Result<int64_t> DeleteRange(std::string_view key, std::string_view range_end = {}) const;

  Result<Lease> LeaseGrant(int64_t ttl_s) const;
  // The lease's remaining TTL after renewal; 0 when it has expired or never was.
  Result<int64_t> LeaseKeepAliveOnce(int64_t id) const;
  // NOT_COMMITTED "etcdserver: requested lease not found" when it is already gone.
  Status LeaseRevoke(int64_t id) const;

  // Drops the history before `revision`; `physical`: answers once the space is reclaimed.
  Status Compact(int64_t revision, bool physical) const;
  // The state of the member that answers (the first endpoint that does).
  Result<StatusReport> MemberStatus() const;
  // The alarms raised in the cluster.
  Result<std::vector<Alarm>> Alarms() const;

  // Streams the changes of [key, range_end) from `start_revision` (0: from now) to `on_events`,
  // one batch per answer of etcd, on the calling thread, until the callback returns false or
  // `stop` is stopped (OK), or the watch breaks: the connection dropped or timed out, or the
  // member lost its leader (IO_ERROR: watch again from the last revision seen + 1), or
  // `start_revision` is compacted (INVALID_STATE). A streamed POST to /v3/watch.
  Status Watch(std::string_view key, std::string_view range_end, int64_t start_revision,
               const std::function<bool(const WatchBatch&)>& on_events,
               WatchStop* stop = nullptr) const;

 private:
  enum class Retry { kWhileUnsent, kAnyTransportFailure };
  // POSTs a JSON body to each endpoint in turn as `retry` allows; the answer's body.
  // `require_leader`: a member that knows of no leader refuses at once (see etcd.cc, kNoLeader);
  // off for what a member answers alone (its status, a serializable range).
  Result<std::string> Call(std::string_view path, const std::string& body, Retry retry,
                           bool require_leader = true) const;

  ClientOptions options_;
  mutable std::atomic<size_t> preferred_ = 0;  // the endpoint that answered last
};

}  // namespace caseledger::etcd

#endif  // CASELEDGER_SERVER_ETCD_H_
