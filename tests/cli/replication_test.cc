// Replication through etcd (issue 21): three etcd members and three caseledgerd replicas on
// loopback, started and stopped by the test. Under a steady load of clients that retry with the
// same request ids on another replica: a follower killed, the etcd leader killed, the caseledgerd
// leader killed mid-load, the leader paused past its lease and resumed (its next write refused).
// After each: every acknowledged request present exactly once, the same head on every replica,
// verify passing everywhere.
#include <fmt/core.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bench/etcd_cluster.h"
#include "ledger/ledger.h"
#include "server/etcd.h"
#include "server/replica.h"
#include "tests/cli/server_util.h"

namespace caseledger::cli_test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kReplicas = 3;
constexpr const char* kCaseNo = "(2024)京0101执1号";

class ReplicationTest : public CliFixture {
 protected:
  struct Replica {
    pid_t pid = 0;
    std::string db, address, ready, log;
  };

  void SetUp() override {
    CliFixture::SetUp();
    etcd_ = std::make_unique<etcd_test::EtcdCluster>(etcd_options_);
    ASSERT_TRUE(etcd_->Start().ok());
    client_ = std::make_unique<etcd::Client>(
        etcd::ClientOptions{.endpoints = etcd_->endpoints(), .timeout_ms = 2000});
    replicas_.resize(kReplicas);
    for (int i = 0; i < kReplicas; ++i) {
      const fs::path home = dir_ / ("r" + std::to_string(i));
      fs::create_directories(home);
      replicas_[i].db = (home / "db").string();
      replicas_[i].ready = (home / "ready").string();
      replicas_[i].log = (home / "server.log").string();
      StartReplica(i);
    }
  }

  void TearDown() override {
    for (int i = 0; i < kReplicas; ++i) StopReplica(i, SIGKILL);
    if (HasFailure()) {
      for (const Replica& r : replicas_)
        std::fprintf(stderr, "%s:\n%s", r.log.c_str(), ReadFile(r.log).c_str());
    }
    etcd_.reset();
    CliFixture::TearDown();
  }

  void StartReplica(int i) {
    Replica& r = replicas_[i];
    fs::remove(r.ready);
    const fs::path certs = Certificates();
    std::string endpoints;
    for (const std::string& e : etcd_->endpoints()) endpoints += (endpoints.empty() ? "" : ",") + e;
    // The same port again on a restart: clients keep their list of replicas.
    const std::string listen = r.address.empty() ? "127.0.0.1:0" : r.address;
    std::vector<std::string> argv = {CASELEDGER_DAEMON,
                                     "--db",
                                     r.db,
                                     "--listen",
                                     listen,
                                     "--tls-cert",
                                     (certs / "server.pem").string(),
                                     "--tls-key",
                                     (certs / "server.key").string(),
                                     "--client-ca",
                                     (certs / "ca.pem").string(),
                                     "--etcd",
                                     endpoints,
                                     "--replica-name",
                                     "r" + std::to_string(i),
                                     "--lease-ttl",
                                     "2",
                                     "--ready-file",
                                     r.ready};
    argv.insert(argv.end(), extra_.begin(), extra_.end());
    std::vector<std::string> env = EnvFor({});
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    r.pid = fork();
    if (r.pid == 0) {
      freopen(r.log.c_str(), "a", stderr);
      execve(args[0], args.data(), envp.data());
      _exit(127);
    }
    for (int k = 0; k < 200 && !fs::exists(r.ready); ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(r.ready)) << ReadFile(r.log);
    r.address = ReadFile(r.ready);
    r.address.pop_back();
  }

  void StopReplica(int i, int signal) {
    Replica& r = replicas_[i];
    if (r.pid <= 0) return;
    kill(r.pid, SIGCONT);
    kill(r.pid, signal);
    int status = 0;
    for (int k = 0; k < 400 && waitpid(r.pid, &status, WNOHANG) != r.pid; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (k == 399) {
        kill(r.pid, SIGKILL);
        waitpid(r.pid, &status, 0);
      }
    }
    r.pid = 0;
  }

  // The replica that holds the leader key, waiting up to `ms` for one; -1 if none.
  int Leader(int ms = 10000) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < deadline) {
      Result<etcd::RangeResult> leader = client_->Range("/caseledger/caseledger/leader");
      if (leader.ok() && !leader->kvs.empty()) {
        const std::string name = leader->kvs[0].value.substr(0, leader->kvs[0].value.find('\n'));
        return std::stoi(name.substr(1));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  // The environment of caseledger as clerk.a, a client of replica `i`, or of them all (-1:
  // CASELEDGER_SERVER=A,B,C, apply going to the leader).
  std::vector<std::string> ClientEnv(int i) {
    const fs::path certs = Certificates();
    // The leader last, so that apply must look for it.
    std::string servers;
    const int leader = i < 0 ? Leader() : -1;
    for (int k = 1; k <= kReplicas; ++k) {
      servers += (servers.empty() ? "" : ",") + replicas_[(leader + k) % kReplicas].address;
    }
    return EnvFor({{"CASELEDGER_SERVER", i < 0 ? servers : replicas_[i].address},
                   {"CASELEDGER_TLS_CERT", (certs / "clerk.a.pem").string()},
                   {"CASELEDGER_TLS_KEY", (certs / "clerk.a.key").string()},
                   {"CASELEDGER_TLS_SERVER_CA", (certs / "ca.pem").string()}});
  }

  // Waits for a leader, then opens the case every test's receipts go to.
  void OpenTheCase() {
    ASSERT_GE(Leader(), 0) << "no replica took the lead";
    ASSERT_TRUE(Acknowledged(
        Cmd("open-1", "2024-03-01",
            R"("open_case":{"case_no":")" + std::string(kCaseNo) +
                R"(","claim":"100000","creditors":[{"party_id":"c1","name":"某公司"}],)"
                R"("debtors":[{"party_id":"d1","name":"张某"}]})",
            "clerk.a"),
        dir_));
    std::lock_guard<std::mutex> lock(acked_mutex_);
    acked_.insert("open-1");
  }

  // One line through replica `i` as clerk.a, in its own directory (threads run side by side).
  json::Value ApplyOne(int i, const std::string& line, const fs::path& home) {
    const std::vector<std::string> env = ClientEnv(i);
    // A client that gives up after 3 s (a paused replica accepts the connection and never
    // answers) and sends the same line elsewhere.
    const CliRun run =
        RunProgram({"/usr/bin/timeout", "3", CASELEDGER_BINARY, "apply"}, env, home, line + "\n");
    Result<json::Value> result = json::Parse(run.out.substr(0, run.out.find('\n')));
    return result.ok() ? *result : json::Value{};
  }

  // `lines` in one apply through replica `i` (-1: all of them) as clerk.a: its result lines.
  std::vector<json::Value> ApplyMany(int i, const std::string& lines) {
    const std::vector<std::string> env = ClientEnv(i);
    return Results(RunProgram({CASELEDGER_BINARY, "apply"}, env, dir_, lines));
  }

  // `caseledger status --json` through replica `i` as clerk.a.
  json::Value Status(int i) {
    const std::vector<std::string> env = ClientEnv(i);
    const CliRun run = RunProgram({CASELEDGER_BINARY, "status", "--json"}, env, dir_);
    Result<json::Value> status = json::Parse(run.out);
    EXPECT_TRUE(status.ok()) << run.out << run.err;
    return status.ok() ? *status : json::Value{};
  }

  static std::string Receipt(const std::string& id) {
    return Cmd(id, "2024-03-02",
               R"("receipt":{"case_no":")" + std::string(kCaseNo) +
                   R"(","amount":"1.00","source":"debtor_payment","bank_ref":"B-)" + id + R"("})",
               "clerk.a");
  }

  // Sends `line` until some replica acknowledges it (a client retrying with the same request
  // id); false after `ms`.
  bool Acknowledged(const std::string& line, const fs::path& home, int ms = 20000) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    for (int i = preferred_.load(); Clock::now() < deadline; i = (i + 1) % kReplicas) {
      if (replicas_[i].pid > 0) {
        const json::Value result = ApplyOne(i, line, home);
        if (IsOk(result)) {
          preferred_ = i;
          return true;
        }
        const std::string code = ErrorCode(result);
        EXPECT_TRUE(code == "NOT_LEADER" || code == "<none>" || code == "IO_ERROR")
            << code << ": " << ErrorMessage(result);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Clients sending receipts one after another until stopped; the acknowledged request ids.
  void StartLoad(int clients) {
    for (int c = 0; c < clients; ++c) {
      load_.emplace_back([this, c] {
        const fs::path home = dir_ / ("client" + std::to_string(c));
        fs::create_directories(home);
        for (int n = 0; !stop_load_.load(); ++n) {
          const std::string id = "c" + std::to_string(c) + "-" + std::to_string(n);
          const std::string line = Cmd(
              id, "2024-03-02",
              R"("receipt":{"case_no":")" + std::string(kCaseNo) +
                  R"(","amount":"1.00","source":"debtor_payment","bank_ref":"B-)" + id + R"("})",
              "clerk.a");
          if (!Acknowledged(line, home)) continue;
          std::lock_guard<std::mutex> lock(acked_mutex_);
          acked_.insert(id);
          last_ack_ = Clock::now();
        }
      });
    }
  }

  void StopLoad() {
    stop_load_ = true;
    for (auto& thread : load_) thread.join();
    load_.clear();
  }

  size_t AckedCount() {
    std::lock_guard<std::mutex> lock(acked_mutex_);
    return acked_.size();
  }

  // Waits until `more` further commands are acknowledged; the time it took.
  std::chrono::milliseconds WaitForAcks(size_t more, int ms = 20000) {
    const size_t target = AckedCount() + more;
    const auto start = Clock::now();
    while (AckedCount() < target && Clock::now() - start < std::chrono::milliseconds(ms)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(AckedCount(), target) << "no progress for " << ms << " ms";
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }

  // Every replica stopped, then each ledger read: the same head, verify passing, every
  // acknowledged request exactly once.
  void CheckReplicasAgree() {
    // The leader first (it records its last refusals as it stops), then the followers once they
    // have applied the log to its head.
    const int leader = Leader();
    ASSERT_GE(leader, 0);
    StopReplica(leader, SIGTERM);
    Result<etcd::RangeResult> shared = client_->Range("/caseledger/caseledger/head");
    ASSERT_TRUE(shared.ok() && !shared->kvs.empty());
    const std::string head_seq = shared->kvs[0].value.substr(0, shared->kvs[0].value.find(' '));
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    for (int i = 0; i < kReplicas; ++i) {
      const std::string key = "/caseledger/caseledger/applied/r" + std::to_string(i);
      while (i != leader && Clock::now() < deadline) {
        Result<etcd::RangeResult> applied = client_->Range(key);
        if (applied.ok() && !applied->kvs.empty() && applied->kvs[0].value == head_seq) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      StopReplica(i, SIGTERM);
    }
    std::optional<Hash> head_hash;
    for (int i = 0; i < kReplicas; ++i) {
      SCOPED_TRACE("replica r" + std::to_string(i));
      Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRead(replicas_[i].db);
      ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
      EXPECT_EQ(std::to_string((*ledger)->head_seq()), head_seq);
      if (head_hash) {
        EXPECT_EQ(HexOf((*ledger)->head_hash()), HexOf(*head_hash));
      }
      head_hash = (*ledger)->head_hash();
      Result<VerifyReport> report = (*ledger)->Verify([](uint64_t, uint64_t) {});
      ASSERT_TRUE(report.ok());
      EXPECT_TRUE(report->ok) << report->problem;
      std::map<std::string, int> seen;
      ASSERT_TRUE((*ledger)
                      ->ForEachEntry(1, (*ledger)->head_seq(),
                                     [&](const StoredEntry& e) {
                                       ++seen[e.entry.command().request_id()];
                                       return Status::Ok();
                                     })
                      .ok());
      std::lock_guard<std::mutex> lock(acked_mutex_);
      for (const std::string& id : acked_) EXPECT_EQ(seen[id], 1) << id;
      for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
    }
  }

  std::vector<std::string> extra_;  // more of caseledgerd's flags
  etcd_test::ClusterOptions etcd_options_{.members = 3};
  std::unique_ptr<etcd_test::EtcdCluster> etcd_;
  std::unique_ptr<etcd::Client> client_;
  std::vector<Replica> replicas_;
  std::vector<std::thread> load_;
  std::atomic<bool> stop_load_{false};
  std::atomic<int> preferred_{0};
  std::mutex acked_mutex_;
  std::set<std::string> acked_;
  Clock::time_point last_ack_;
};

TEST_F(ReplicationTest, TheLedgerSurvivesTheLossOfAnyOneMachine) {
  const int first = Leader();
  ASSERT_GE(first, 0) << "no replica took the lead";
  // status through each replica: one leader, the others following it.
  for (int i = 0; i < kReplicas; ++i) {
    const json::Value status = Status(i);
    const json::Value* replica = status.Find("replica");
    ASSERT_NE(replica, nullptr);
    EXPECT_EQ(Str(*replica, "role"), i == first ? "leader" : "follower") << i;
    EXPECT_TRUE(Str(*replica, "leader").starts_with("r" + std::to_string(first) + " (127.0.0.1:"))
        << Str(*replica, "leader");
    EXPECT_EQ(replica->Find("alarms")->items.size(), 0u);
  }
  OpenTheCase();
  StartLoad(2);
  WaitForAcks(10);

  // A follower killed, then started again: it catches up from the log.
  const int follower = (Leader() + 1) % kReplicas;
  StopReplica(follower, SIGKILL);
  WaitForAcks(10);
  StartReplica(follower);

  // The etcd leader killed: etcd elects another, writes go on.
  Result<int> etcd_leader = etcd_->Leader();
  ASSERT_TRUE(etcd_leader.ok());
  etcd_->Kill(*etcd_leader);
  WaitForAcks(10);
  ASSERT_TRUE(etcd_->Restart(*etcd_leader).ok());

  // The caseledgerd leader killed under load: another leads within the lease and catch-up.
  const int killed = Leader();
  StopReplica(killed, SIGKILL);
  const auto failover = WaitForAcks(1);
  std::fprintf(stderr,
               "replication: first write acknowledged %lld ms after the leader was killed\n",
               static_cast<long long>(failover.count()));
  StartReplica(killed);
  WaitForAcks(10);

  // The leader paused past its lease: another leads; resumed, its next write is refused.
  const int paused = Leader();
  kill(replicas_[paused].pid, SIGSTOP);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  WaitForAcks(5);
  EXPECT_NE(Leader(), paused);
  kill(replicas_[paused].pid, SIGCONT);
  const json::Value refused =
      ApplyOne(paused,
               Cmd("after-pause", "2024-03-02",
                   R"("receipt":{"case_no":")" + std::string(kCaseNo) +
                       R"(","amount":"1.00","source":"debtor_payment","bank_ref":"B-after-pause"})",
                   "clerk.a"),
               dir_);
  EXPECT_EQ(ErrorCode(refused), "NOT_LEADER");
  WaitForAcks(5);
  StopLoad();
  CheckReplicasAgree();
}

// A group larger than one append (--etcd-append-bytes 1024 here, 1 MiB by default) goes into etcd
// as pieces of whole entries, in order; every replica has them all.
class ReplicationPiecesTest : public ReplicationTest {
 protected:
  void SetUp() override {
    extra_ = {"--etcd-append-bytes", "1024"};
    ReplicationTest::SetUp();
  }
};

TEST_F(ReplicationPiecesTest, AGroupLargerThanOneAppendGoesInInPieces) {
  OpenTheCase();
  std::string lines;
  for (int n = 0; n < 200; ++n) lines += Receipt("p-" + std::to_string(n)) + "\n";
  // Sent to all three replicas' addresses: apply finds the leader itself.
  const std::vector<json::Value> results = ApplyMany(-1, lines);
  ASSERT_EQ(results.size(), 200u);
  for (size_t n = 0; n < results.size(); ++n) {
    ASSERT_TRUE(IsOk(results[n])) << n << ": " << ErrorCode(results[n]) << " "
                                  << ErrorMessage(results[n]);
    acked_.insert("p-" + std::to_string(n));
  }
  // Every piece holds at most 1 KiB of entries, or one entry; together they are the log.
  Result<etcd::RangeResult> pieces =
      client_->Range("/caseledger/caseledger/log/", etcd::PrefixEnd("/caseledger/caseledger/log/"));
  ASSERT_TRUE(pieces.ok());
  uint64_t next = 1;
  for (const etcd::KeyValue& kv : pieces->kvs) {
    Result<std::vector<LogRecord>> piece = server::DecodeGroup(kv.value);
    ASSERT_TRUE(piece.ok());
    EXPECT_EQ(piece->front().seq, next);
    size_t bytes = 0;
    for (const LogRecord& record : *piece) bytes += record.value.size();
    EXPECT_TRUE(piece->size() == 1 || bytes <= 1024) << piece->size() << " entries, " << bytes;
    next = piece->back().seq + 1;
  }
  EXPECT_EQ(next, 202u);  // open_case and 200 receipts
  EXPECT_GE(pieces->kvs.size(), 30u) << "201 entries of some 190 bytes, 1 KiB a piece";
  CheckReplicasAgree();
}

// etcd out of space (a quota of 256 KiB here): NOSPACE, no write taken and none acknowledged;
// status says so.
class ReplicationNoSpaceTest : public ReplicationTest {
 protected:
  void SetUp() override {
    etcd_options_.quota_backend_bytes = 256 * 1024;
    ReplicationTest::SetUp();
  }
};

TEST_F(ReplicationNoSpaceTest, AFullEtcdStopsWritesAndStatusSaysWhy) {
  OpenTheCase();
  // Receipts in batches until etcd refuses one: each refused line is NOT_LEADER naming etcd.
  std::string refusal;
  for (int batch = 0; batch < 40 && refusal.empty(); ++batch) {
    std::string lines;
    for (int n = 0; n < 100; ++n) lines += Receipt(fmt::format("q-{}-{}", batch, n)) + "\n";
    for (const json::Value& result : ApplyMany(Leader(), lines)) {
      if (IsOk(result)) continue;
      EXPECT_EQ(ErrorCode(result), "NOT_LEADER");
      refusal = ErrorMessage(result);
    }
  }
  EXPECT_NE(refusal.find("space"), std::string::npos) << refusal;
  const json::Value status = Status(Leader());
  const json::Value* replica = status.Find("replica");
  ASSERT_NE(replica, nullptr);
  ASSERT_GE(replica->Find("alarms")->items.size(), 1u);
  EXPECT_EQ(replica->Find("alarms")->items[0].text, "NOSPACE");
}

}  // namespace
}  // namespace caseledger::cli_test
