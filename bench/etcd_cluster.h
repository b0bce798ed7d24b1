// A real etcd cluster (/usr/bin/etcd, 3.4) on loopback for the tests of server/etcd.h and
// `bench --replicated` (cli/bench_server.cc; so it uses no etcd client of server/): 1 or 3
// members on free ports, each with its own data directory under a temporary one. A member can be
// killed, restarted, paused and resumed. No member outlives the cluster: the destructor kills and
// reaps every one, and each is started with PR_SET_PDEATHSIG so that it dies with the thread that
// started it, should the test binary itself crash.
#ifndef CASELEDGER_BENCH_ETCD_CLUSTER_H_
#define CASELEDGER_BENCH_ETCD_CLUSTER_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace caseledger::etcd_test {

struct ClusterOptions {
  int members = 1;                  // 1 or 3
  int64_t max_request_bytes = 0;    // 0: etcd's default, 1.5 MiB
  int64_t quota_backend_bytes = 0;  // 0: etcd's default, 2 GiB
  // How long Start and Restart wait for the members to serve before failing.
  int healthy_timeout_ms = 20000;
};

class EtcdCluster {
 public:
  using Clock = std::chrono::steady_clock;

  explicit EtcdCluster(ClusterOptions options = {}) : options_(options) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "caseledger-etcd-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    const std::vector<int> ports = FreePorts(2 * options_.members);
    for (int i = 0; i < options_.members; ++i) {
      members_.push_back({"m" + std::to_string(i), ports[2 * i], ports[2 * i + 1], -1});
    }
  }
  ~EtcdCluster() {
    for (int i = 0; i < size(); ++i) Kill(i);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // Starts every member and waits until each says it is healthy (a leader is known).
  Status Start() {
    for (int i = 0; i < size(); ++i) CASELEDGER_RETURN_IF_ERROR(Spawn(i));
    const auto deadline = Clock::now() + std::chrono::milliseconds(options_.healthy_timeout_ms);
    for (int i = 0; i < size(); ++i) CASELEDGER_RETURN_IF_ERROR(WaitHealthy(i, deadline));
    return Status::Ok();
  }

  int size() const { return static_cast<int>(members_.size()); }
  std::string endpoint(int member) const {
    return "127.0.0.1:" + std::to_string(members_[member].client_port);
  }
  // Every member's, running or not, in member order.
  std::vector<std::string> endpoints() const {
    std::vector<std::string> out;
    for (int i = 0; i < size(); ++i) out.push_back(endpoint(i));
    return out;
  }

  // SIGKILL, then reaps it.
  void Kill(int member) {
    pid_t& pid = members_[member].pid;
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
  }
  // Starts a killed member again on its data directory and ports; waits until it is healthy.
  Status Restart(int member) {
    Kill(member);
    CASELEDGER_RETURN_IF_ERROR(Spawn(member));
    return WaitHealthy(member,
                       Clock::now() + std::chrono::milliseconds(options_.healthy_timeout_ms));
  }
  void Pause(int member) { ::kill(members_[member].pid, SIGSTOP); }
  void Resume(int member) { ::kill(members_[member].pid, SIGCONT); }
  bool running(int member) const { return members_[member].pid > 0; }

  // The member that the running members name as their leader, once one does and it runs.
  Result<int> Leader(int timeout_ms = 10000) const {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    do {
      std::vector<uint64_t> ids(members_.size(), 0);
      uint64_t leader = 0;
      for (int i = 0; i < size(); ++i) {
        if (!running(i)) continue;
        uint64_t member_id = 0, leader_id = 0;
        if (!MemberStatus(i, &member_id, &leader_id)) continue;
        ids[i] = member_id;
        if (leader_id != 0) leader = leader_id;
      }
      for (int i = 0; i < size(); ++i) {
        if (leader != 0 && ids[i] == leader) return i;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (Clock::now() < deadline);
    return Status::IoError("etcd test cluster: no leader among the running members");
  }

 private:
  // A member's id and its leader's, from its /v3/maintenance/status (ids as decimal strings).
  bool MemberStatus(int member, uint64_t* member_id, uint64_t* leader_id) const {
    httplib::Client client("http://" + endpoint(member));
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(1, 0);
    const httplib::Result answer = client.Post("/v3/maintenance/status", "{}", "application/json");
    if (!answer || answer->status != 200) return false;
    Result<json::Value> status = json::Parse(answer->body);
    if (!status.ok()) return false;
    const json::Value* header = status->Find("header");
    const json::Value* id = header == nullptr ? nullptr : header->Find("member_id");
    const json::Value* leader = status->Find("leader");
    if (id == nullptr || !id->is_string()) return false;
    *member_id = std::stoull(id->text);
    *leader_id = leader != nullptr && leader->is_string() ? std::stoull(leader->text) : 0;
    return true;
  }

  struct Member {
    std::string name;
    int client_port;
    int peer_port;
    pid_t pid;
  };

  // Ports the kernel picks, all held open together so that none is picked twice. Another
  // process may take one before etcd binds it: then Start fails saying so, rarely.
  static std::vector<int> FreePorts(int count) {
    std::vector<int> sockets, ports;
    for (int i = 0; i < count; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t length = sizeof(address);
      if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::abort();
      }
      sockets.push_back(fd);
      ports.push_back(ntohs(address.sin_port));
    }
    for (const int fd : sockets) ::close(fd);
    return ports;
  }

  std::vector<std::string> Arguments(int member) const {
    const Member& m = members_[member];
    const std::string peer = "http://127.0.0.1:" + std::to_string(m.peer_port);
    const std::string client = "http://" + endpoint(member);
    std::string cluster;
    for (const Member& other : members_) {
      if (!cluster.empty()) cluster += ",";
      cluster += other.name + "=http://127.0.0.1:" + std::to_string(other.peer_port);
    }
    // Heartbeat and election 2x and 5x faster than etcd's defaults (100 ms, 1 s): a test waits
    // less for a new leader, yet a busy 2-core machine does not lose heartbeats.
    std::vector<std::string> args = {"/usr/bin/etcd",
                                     "--name",
                                     m.name,
                                     "--data-dir",
                                     (dir_ / m.name).string(),
                                     "--listen-client-urls",
                                     client,
                                     "--advertise-client-urls",
                                     client,
                                     "--listen-peer-urls",
                                     peer,
                                     "--initial-advertise-peer-urls",
                                     peer,
                                     "--initial-cluster",
                                     cluster,
                                     "--initial-cluster-token",
                                     dir_.filename().string(),
                                     "--initial-cluster-state",
                                     "new",
                                     "--heartbeat-interval",
                                     "50",
                                     "--election-timeout",
                                     "500"};
    if (options_.max_request_bytes != 0) {
      args.insert(args.end(), {"--max-request-bytes", std::to_string(options_.max_request_bytes)});
    }
    if (options_.quota_backend_bytes != 0) {
      args.insert(args.end(),
                  {"--quota-backend-bytes", std::to_string(options_.quota_backend_bytes)});
    }
    return args;
  }

  Status Spawn(int member) {
    std::vector<std::string> args = Arguments(member);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = (dir_ / (members_[member].name + ".log")).string();
    const pid_t parent = ::getpid();
    // Between fork and exec only async-signal-safe calls: the test binary has threads.
    const pid_t pid = ::fork();
    if (pid < 0) return Status::IoError("etcd test cluster: fork failed");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    members_[member].pid = pid;
    return Status::Ok();
  }

  // The end of a member's log, for a failure's message.
  std::string LogTail(int member) const {
    std::ifstream in(dir_ / (members_[member].name + ".log"));
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
  }

  // Polls the member's /health (true once it knows a leader and no alarm is raised).
  Status WaitHealthy(int member, Clock::time_point deadline) {
    do {
      int status = 0;
      if (::waitpid(members_[member].pid, &status, WNOHANG) == members_[member].pid) {
        members_[member].pid = -1;
        return Status::IoError("etcd member " + members_[member].name + " exited at start:\n" +
                               LogTail(member));
      }
      if (Healthy(member)) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (Clock::now() < deadline);
    return Status::IoError("etcd member " + members_[member].name + " not healthy in " +
                           std::to_string(options_.healthy_timeout_ms) + " ms:\n" +
                           LogTail(member));
  }
  bool Healthy(int member) const {
    httplib::Client client("http://" + endpoint(member));
    client.set_connection_timeout(std::chrono::milliseconds(500));
    client.set_read_timeout(std::chrono::milliseconds(1000));
    const httplib::Result answer = client.Get("/health");
    return answer && answer->status == 200 &&
           answer->body.find("\"health\":\"true\"") != std::string::npos;
  }

  ClusterOptions options_;
  std::filesystem::path dir_;
  std::vector<Member> members_;
};

}  // namespace caseledger::etcd_test

#endif  // CASELEDGER_BENCH_ETCD_CLUSTER_H_
