// server/etcd.h against real etcd members on loopback: what it writes reads back byte for byte,
// transactions, leases, watches and compaction behave as etcd's, and a failure says whether a
// write was surely not applied or its outcome is unknown.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bench/etcd_cluster.h"
#include "server/etcd.h"

namespace caseledger::etcd_test {
namespace {

using Clock = std::chrono::steady_clock;

etcd::Client ClientOf(std::vector<std::string> endpoints, int timeout_ms = 2000) {
  return etcd::Client(
      etcd::ClientOptions{.endpoints = std::move(endpoints), .timeout_ms = timeout_ms});
}

class EtcdClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Status started = cluster_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  etcd::Client client() { return ClientOf(cluster_.endpoints()); }

  EtcdCluster cluster_;
};

// The events a watch delivers on its own thread, waited for from the test's.
class Events {
 public:
  bool Add(const etcd::WatchBatch& batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.insert(events_.end(), batch.events.begin(), batch.events.end());
    changed_.notify_all();
    return events_.size() < stop_after_;
  }
  // The events once there are `n`, or those there are after 10 s.
  std::vector<etcd::Event> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return events_.size() >= n; });
    return events_;
  }
  size_t stop_after_ = SIZE_MAX;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<etcd::Event> events_;
};

TEST_F(EtcdClientTest, PutRangeAndPrefix) {
  etcd::Client etcd = client();
  Result<int64_t> first = etcd.Put("case/2", "two");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(etcd.Put("case/1", "one").ok());
  ASSERT_TRUE(etcd.Put("cases", "not under case/").ok());
  Result<int64_t> last = etcd.Put("case/3", "three");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, *first + 3);

  Result<etcd::RangeResult> all = etcd.Range("case/", etcd::PrefixEnd("case/"));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->kvs.size(), 3u);
  EXPECT_EQ(all->kvs[0].key, "case/1");
  EXPECT_EQ(all->kvs[1].value, "two");
  EXPECT_EQ(all->kvs[1].mod_revision, *first);
  EXPECT_EQ(all->kvs[2].version, 1);
  EXPECT_EQ(all->header_revision, *last);
  EXPECT_FALSE(all->more);

  Result<etcd::RangeResult> page =
      etcd.Range("case/", etcd::PrefixEnd("case/"), {.limit = 2, .keys_only = true});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->kvs.size(), 2u);
  EXPECT_TRUE(page->more);
  EXPECT_EQ(page->count, 3);
  EXPECT_EQ(page->kvs[0].value, "");

  Result<etcd::RangeResult> missing = etcd.Range("case/9");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->kvs.empty());
  EXPECT_EQ(etcd::PrefixEnd("a\xff\xff"), "b");
  EXPECT_EQ(etcd::PrefixEnd("\xff"), std::string(1, '\0'));

  Result<int64_t> deleted = etcd.DeleteRange("case/", etcd::PrefixEnd("case/"));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 3);
}

TEST_F(EtcdClientTest, BinaryKeysAndValuesRoundTrip) {
  etcd::Client etcd = client();
  std::string every_byte;
  for (int b = 255; b >= 0; --b) every_byte += static_cast<char>(b);
  // Lengths 0 to 3 cover each padding of base64.
  const std::vector<std::string> values = {"", "\xff", std::string("\0\xfe", 2), "\xc3\x28\xa0",
                                           every_byte};
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string key = std::string("bin\0\xff", 5) + std::to_string(i);
    ASSERT_TRUE(etcd.Put(key, values[i]).ok()) << i;
    Result<etcd::RangeResult> read = etcd.Range(key);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    ASSERT_EQ(read->kvs.size(), 1u) << i;
    EXPECT_EQ(read->kvs[0].key, key);
    EXPECT_EQ(read->kvs[0].value, values[i]) << i;
  }
}

TEST_F(EtcdClientTest, TxnOnModRevision) {
  etcd::Client etcd = client();
  Result<int64_t> put = etcd.Put("head", "entry 1");
  ASSERT_TRUE(put.ok());
  const etcd::Compare unchanged{.key = "head",
                                .target = etcd::CompareTarget::kMod,
                                .result = etcd::CompareResult::kEqual,
                                .number = *put};
  etcd::Op next = etcd::Op::Put("head", "entry 2");
  next.prev_kv = true;
  Result<etcd::TxnResult> won =
      etcd.Txn({unchanged}, {next, etcd::Op::Range("head")}, {etcd::Op::Range("head")});
  ASSERT_TRUE(won.ok()) << won.status().ToString();
  EXPECT_TRUE(won->succeeded);
  EXPECT_EQ(won->header_revision, *put + 1);
  ASSERT_EQ(won->responses.size(), 2u);
  EXPECT_EQ(won->responses[0].kind, etcd::Op::Kind::kPut);
  ASSERT_EQ(won->responses[0].prev_kvs.size(), 1u);
  EXPECT_EQ(won->responses[0].prev_kvs[0].value, "entry 1");
  ASSERT_EQ(won->responses[1].range.kvs.size(), 1u);
  EXPECT_EQ(won->responses[1].range.kvs[0].value, "entry 2");

  // The same compare again: head has moved on, so the failure branch runs and nothing is put.
  Result<etcd::TxnResult> lost =
      etcd.Txn({unchanged}, {etcd::Op::Put("head", "entry 2 again")}, {etcd::Op::Range("head")});
  ASSERT_TRUE(lost.ok());
  EXPECT_FALSE(lost->succeeded);
  ASSERT_EQ(lost->responses.size(), 1u);
  ASSERT_EQ(lost->responses[0].range.kvs.size(), 1u);
  EXPECT_EQ(lost->responses[0].range.kvs[0].value, "entry 2");
  EXPECT_EQ(lost->responses[0].range.kvs[0].mod_revision, *put + 1);

  // Create-if-absent (version 0) and a compare on the value.
  const etcd::Compare absent{.key = "tail",
                             .target = etcd::CompareTarget::kVersion,
                             .result = etcd::CompareResult::kEqual,
                             .number = 0};
  const etcd::Compare is_entry_2{.key = "head",
                                 .target = etcd::CompareTarget::kValue,
                                 .result = etcd::CompareResult::kEqual,
                                 .value = "entry 2"};
  Result<etcd::TxnResult> created =
      etcd.Txn({absent, is_entry_2}, {etcd::Op::Put("tail", "t")}, {});
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->succeeded);
  Result<etcd::TxnResult> again = etcd.Txn({absent}, {etcd::Op::Put("tail", "u")}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->succeeded);
}

TEST_F(EtcdClientTest, LeaseKeepAliveAndExpiry) {
  etcd::Client etcd = client();
  Result<etcd::Lease> lease = etcd.LeaseGrant(1);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_NE(lease->id, 0);
  EXPECT_GE(lease->ttl_s, 1);
  ASSERT_TRUE(etcd.Put("writer", "me", lease->id).ok());
  Result<etcd::RangeResult> held = etcd.Range("writer");
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->kvs.size(), 1u);
  EXPECT_EQ(held->kvs[0].lease, lease->id);
  Result<int64_t> renewed = etcd.LeaseKeepAliveOnce(lease->id);
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_GE(*renewed, 1);

  // No more keep-alives: the key goes with the lease (etcd checks expiry every 500 ms).
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  bool gone = false;
  while (!gone && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Result<etcd::RangeResult> read = etcd.Range("writer");
    ASSERT_TRUE(read.ok());
    gone = read->kvs.empty();
  }
  EXPECT_TRUE(gone);
  Result<int64_t> expired = etcd.LeaseKeepAliveOnce(lease->id);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 0);

  // Revoking deletes at once; a second revoke is refused, surely not applied.
  Result<etcd::Lease> other = etcd.LeaseGrant(60);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(etcd.Put("other", "x", other->id).ok());
  ASSERT_TRUE(etcd.LeaseRevoke(other->id).ok());
  Result<etcd::RangeResult> after = etcd.Range("other");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->kvs.empty());
  const Status twice = etcd.LeaseRevoke(other->id);
  EXPECT_EQ(twice.code(), Code::kNotCommitted) << twice.ToString();
  EXPECT_NE(twice.message().find("lease not found"), std::string::npos);
}

TEST_F(EtcdClientTest, WatchFromThePastAndLive) {
  etcd::Client etcd = client();
  Result<int64_t> before = etcd.Put("w/a", "1");
  ASSERT_TRUE(before.ok());
  Events events;
  events.stop_after_ = 3;
  Status ended = Status::IoError("not ended");
  std::thread watcher([&] {
    ended = etcd.Watch("w/", etcd::PrefixEnd("w/"), *before,
                       [&](const etcd::WatchBatch& b) { return events.Add(b); });
  });
  // The watch from `before` sees w/a's put although it came first; then the later ones.
  ASSERT_EQ(events.WaitFor(1).size(), 1u);
  ASSERT_TRUE(etcd.Put("w/b", std::string("\0\xff", 2)).ok());
  ASSERT_TRUE(etcd.DeleteRange("w/a").ok());
  const std::vector<etcd::Event> seen = events.WaitFor(3);
  watcher.join();
  EXPECT_TRUE(ended.ok()) << ended.ToString();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].type, etcd::Event::Type::kPut);
  EXPECT_EQ(seen[0].kv.mod_revision, *before);
  EXPECT_EQ(seen[1].kv.key, "w/b");
  EXPECT_EQ(seen[1].kv.value, std::string("\0\xff", 2));
  EXPECT_EQ(seen[2].type, etcd::Event::Type::kDelete);
  EXPECT_EQ(seen[2].kv.key, "w/a");
  EXPECT_EQ(seen[2].kv.mod_revision, *before + 2);
}

TEST_F(EtcdClientTest, WatchStopsFromAnotherThread) {
  etcd::Client etcd = client();
  etcd::WatchStop stop;
  Events events;
  Result<int64_t> put = etcd.Put("quiet", "once");
  ASSERT_TRUE(put.ok());
  Status ended = Status::IoError("not ended");
  std::thread watcher([&] {
    ended = etcd.Watch(
        "quiet", "", *put, [&](const etcd::WatchBatch& b) { return events.Add(b); }, &stop);
  });
  ASSERT_EQ(events.WaitFor(1).size(), 1u);
  const auto start = Clock::now();
  stop.Stop();
  watcher.join();
  EXPECT_TRUE(ended.ok()) << ended.ToString();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  // A stopped WatchStop ends the next watch before it starts.
  EXPECT_TRUE(etcd.Watch(
                      "quiet", "", 0, [](const etcd::WatchBatch&) { return true; }, &stop)
                  .ok());
}

TEST_F(EtcdClientTest, CompactionForgetsHistory) {
  etcd::Client etcd = client();
  Result<int64_t> old = etcd.Put("k", "v1");
  ASSERT_TRUE(old.ok());
  Result<int64_t> now = etcd.Put("k", "v2");
  ASSERT_TRUE(now.ok());
  Result<etcd::RangeResult> then = etcd.Range("k", "", {.revision = *old});
  ASSERT_TRUE(then.ok());
  ASSERT_EQ(then->kvs.size(), 1u);
  EXPECT_EQ(then->kvs[0].value, "v1");

  ASSERT_TRUE(etcd.Compact(*now, true).ok());
  Result<etcd::RangeResult> forgotten = etcd.Range("k", "", {.revision = *old});
  EXPECT_EQ(forgotten.status().code(), Code::kInvalidState) << forgotten.status().ToString();
  Result<etcd::RangeResult> kept = etcd.Range("k", "", {.revision = *now});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->kvs[0].value, "v2");
  const Status watch = etcd.Watch("k", "", *old, [](const etcd::WatchBatch&) { return false; });
  EXPECT_EQ(watch.code(), Code::kInvalidState) << watch.ToString();
  EXPECT_NE(watch.message().find("up to " + std::to_string(*now)), std::string::npos);
  const Status again = etcd.Compact(*old, false);
  EXPECT_EQ(again.code(), Code::kInvalidState) << again.ToString();
}

TEST_F(EtcdClientTest, PausedMemberLeavesTheOutcomeUnknown) {
  etcd::Client etcd = ClientOf(cluster_.endpoints(), 300);
  cluster_.Pause(0);
  // The kernel still accepts the connection: the request goes out and no answer comes.
  Result<int64_t> put = etcd.Put("maybe", "x");
  cluster_.Resume(0);
  ASSERT_FALSE(put.ok());
  EXPECT_TRUE(etcd::OutcomeUnknown(put.status())) << put.status().ToString();
  // Reading back is how the caller resolves it: the request waited in the socket and etcd may
  // still have applied it once resumed. Either way the member answers again.
  Result<etcd::RangeResult> read = client().Range("maybe");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_LE(read->kvs.size(), 1u);
}

TEST_F(EtcdClientTest, StatusAndAlarms) {
  etcd::Client etcd = client();
  Result<etcd::StatusReport> status = etcd.MemberStatus();
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_NE(status->member_id, 0u);
  EXPECT_EQ(status->leader_id, status->member_id);  // one member leads itself
  EXPECT_EQ(status->version, "3.4.23");
  EXPECT_GT(status->db_size_bytes, 0);
  EXPECT_GT(status->raft_index, 0u);
  EXPECT_TRUE(status->errors.empty());
  Result<std::vector<etcd::Alarm>> alarms = etcd.Alarms();
  ASSERT_TRUE(alarms.ok()) << alarms.status().ToString();
  EXPECT_TRUE(alarms->empty());
  Result<int> leader = cluster_.Leader();
  ASSERT_TRUE(leader.ok()) << leader.status().ToString();
  EXPECT_EQ(*leader, 0);
}

TEST(EtcdClientLimitsTest, RequestTooLargeAndNoSpaceAreNotApplied) {
  EtcdCluster cluster({.max_request_bytes = 64 * 1024, .quota_backend_bytes = 256 * 1024});
  const Status started = cluster.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  etcd::Client etcd = ClientOf(cluster.endpoints());
  Result<int64_t> large = etcd.Put("large", std::string(100 * 1024, 'x'));
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.status().code(), Code::kNotCommitted) << large.status().ToString();

  // Fill the 256 KiB quota: NOSPACE is raised, and writes are refused, surely not applied.
  Status refused;
  for (int i = 0; i < 64 && refused.ok(); ++i) {
    refused = etcd.Put("fill/" + std::to_string(i), std::string(30 * 1024, 'f')).status();
  }
  EXPECT_EQ(refused.code(), Code::kNotCommitted) << refused.ToString();
  EXPECT_NE(refused.message().find("database space exceeded"), std::string::npos);
  Result<std::vector<etcd::Alarm>> alarms = etcd.Alarms();
  ASSERT_TRUE(alarms.ok()) << alarms.status().ToString();
  ASSERT_EQ(alarms->size(), 1u);
  EXPECT_EQ((*alarms)[0].alarm, "NOSPACE");
  EXPECT_EQ((*alarms)[0].member_id, etcd.MemberStatus().value().member_id);
}

TEST(EtcdClientDeadTest, NoEndpointAnswersNotApplied) {
  // Three ports nothing listens on: refused at once, before a byte of the request is sent.
  EtcdCluster never_started({.members = 3});
  etcd::Client etcd = ClientOf(never_started.endpoints());
  const auto start = Clock::now();
  Result<int64_t> put = etcd.Put("k", "v");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), Code::kNotCommitted) << put.status().ToString();
  EXPECT_FALSE(etcd::OutcomeUnknown(put.status()));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
  EXPECT_FALSE(etcd.Range("k").ok());
  EXPECT_EQ(etcd::Client(etcd::ClientOptions{}).Put("k", "v").status().code(), Code::kNotCommitted);
}

TEST(EtcdClusterTest, WritesGoOnWhenTheLeaderIsKilled) {
  EtcdCluster cluster({.members = 3});
  const Status started = cluster.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  Result<int> leader = cluster.Leader();
  ASSERT_TRUE(leader.ok()) << leader.status().ToString();
  // The leader first, so that the client must fail over.
  std::vector<std::string> endpoints = {cluster.endpoint(*leader)};
  for (int i = 0; i < cluster.size(); ++i) {
    if (i != *leader) endpoints.push_back(cluster.endpoint(i));
  }
  etcd::Client etcd = ClientOf(endpoints);
  ASSERT_TRUE(etcd.Put("k", "before").ok());

  cluster.Kill(*leader);
  const auto start = Clock::now();
  Result<int64_t> put = Status::IoError("not tried");
  while (!put.ok() && Clock::now() - start < std::chrono::seconds(10)) {
    // An unknown outcome is resolved by putting the same value again: idempotent here.
    put = etcd.Put("k", "after");
    if (!put.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  Result<int> next = cluster.Leader();
  ASSERT_TRUE(next.ok());
  EXPECT_NE(*next, *leader);
  Result<etcd::RangeResult> read = etcd.Range("k");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->kvs[0].value, "after");

  // The killed member comes back on its data and catches up.
  const Status restarted = cluster.Restart(*leader);
  ASSERT_TRUE(restarted.ok()) << restarted.ToString();
  etcd::Client back = ClientOf({cluster.endpoint(*leader)});
  std::string value;
  for (const auto until = Clock::now() + std::chrono::seconds(5);
       value != "after" && Clock::now() < until;) {
    Result<etcd::RangeResult> own = back.Range("k", "", {.serializable = true});
    ASSERT_TRUE(own.ok()) << own.status().ToString();
    value = own->kvs.empty() ? "" : own->kvs[0].value;
    if (value != "after") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(value, "after");
}

TEST(EtcdClusterTest, MemberWithoutLeaderRefusesAtOnce) {
  EtcdCluster cluster({.members = 3});
  const Status started = cluster.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  // Member 0 alone: once it knows of no leader (a leader steps down too, by etcd's quorum
  // check), the hasleader metadata the client sends makes it refuse before proposing.
  cluster.Pause(1);
  cluster.Pause(2);
  etcd::Client alone = ClientOf({cluster.endpoint(0)});
  uint64_t leader = 1;
  for (const auto until = Clock::now() + std::chrono::seconds(10);
       leader != 0 && Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Result<etcd::StatusReport> status = alone.MemberStatus();
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    leader = status->leader_id;
  }
  ASSERT_EQ(leader, 0u);
  const auto start = Clock::now();
  Result<int64_t> put = alone.Put("k", "v");
  const auto took = Clock::now() - start;
  cluster.Resume(1);
  cluster.Resume(2);
  EXPECT_EQ(put.status().code(), Code::kNotCommitted) << put.status().ToString();
  EXPECT_NE(put.status().message().find("etcdserver: no leader"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(1));
}

}  // namespace
}  // namespace caseledger::etcd_test
