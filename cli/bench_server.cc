// caseledger bench --server (issue 19): caseledgerd under load on loopback. Its own CA and
// operators (tools/make_certs.sh), a fresh ledger and server; 64 clients each sending one command
// at a time and waiting for its answer; then 8 clients streaming batches; then the same streamed
// commands through the local batch API, for the ratio. Timings are printed, never asserted.
#include <fmt/core.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "bench/etcd_cluster.h"
#include "bench/workload.h"
#include "cli/commands.h"
#include "cli/remote.h"
#include "core/json.h"
#include "core/limits.h"
#include "ledger/ledger.h"
#include "service.grpc.pb.h"

namespace caseledger::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kSingleClients = 64;
constexpr int kStreamClients = 8;
constexpr int kOperators = 8;               // certificates bench.0 .. bench.7, shared round robin
constexpr int64_t kSingleCommands = 400;    // per single client at scale 1
constexpr int64_t kStreamCommands = 20000;  // per streaming client at scale 1

int64_t Micros(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// CPU time (user and system, every thread) of process `pid` so far, from /proc; 0 if unreadable.
int64_t CpuMicros(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat(std::istreambuf_iterator<char>(in), {});
  const size_t end = stat.rfind(')');
  if (end == std::string::npos) return 0;
  std::istringstream fields(stat.substr(end + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15: utime, stime
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return (utime + stime) * 1000000 / sysconf(_SC_CLK_TCK);
}

// Client `c`'s command `j` of run `tag`: a case opened every 25 commands, receipts of 100.00 into
// it, and a payment request of 1.00 now and then: what a bureau's clerks send all day.
std::string Command(const std::string& tag, int c, int64_t j, const std::string& op) {
  const int64_t case_index =
      static_cast<int64_t>(c) * 100000 + (tag == "t" ? 50000 : 0) + j / 25 + 1;
  const std::string case_no = fmt::format("(2021)甘0102执{}号", case_index);
  const std::string head = fmt::format(R"({{"request_id":"{}-{}-{}","operator":"{}",)"
                                       R"("on":"2021-03-01",)",
                                       tag, c, j, op);
  if (j % 25 == 0) {
    return head + R"("open_case":{"case_no":")" + case_no +
           R"(","claim":"100000","creditors":[{"party_id":"c1","name":"某公司"}],)"
           R"("debtors":[{"party_id":"d1","name":"张某"}]}})";
  }
  if (j % 10 == 5) {
    return head + fmt::format(R"("request_disbursement":{{"disbursement_id":"D-{}-{}-{}",)"
                              R"("case_no":"{}","payee":"c1","amount":"1"}}}})",
                              tag, c, j, case_no);
  }
  return head + fmt::format(R"("receipt":{{"case_no":"{}","amount":"100","bank_ref":"B-{}-{}-{}",)"
                            R"("source":"debtor_payment"}}}})",
                            case_no, tag, c, j);
}

std::string Operator(int c) { return "bench." + std::to_string(c % kOperators); }

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A running caseledgerd of the bench's own.
struct Daemon {
  pid_t pid = 0;
  std::string address;
  ~Daemon() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
  }
};

Status MakeCertificates(const fs::path& certs) {
  const std::string script = std::string(CASELEDGER_SOURCE_DIR) + "/tools/make_certs.sh";
  std::string command = script + " init " + certs.string();
  for (int i = 0; i < kOperators; ++i) {
    command += " && " + script + " operator " + certs.string() + " " + Operator(i);
  }
  if (std::system(command.c_str()) != 0) {
    return Status::IoError("tools/make_certs.sh failed: is openssl installed?");
  }
  return Status::Ok();
}

// `extra`: more of caseledgerd's flags; `name`: the ledger and ready file's name in `dir`.
Status StartDaemon(const fs::path& dir, Daemon* daemon, const std::vector<std::string>& extra = {},
                   const std::string& name = "server") {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  const std::string binary = (self.parent_path() / "caseledgerd").string();
  const fs::path certs = dir / "certs", ready = dir / (name + "-ready");
  std::vector<std::string> args = {binary,
                                   "--db",
                                   (dir / (name + "-db")).string(),
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--tls-cert",
                                   (certs / "server.pem").string(),
                                   "--tls-key",
                                   (certs / "server.key").string(),
                                   "--client-ca",
                                   (certs / "ca.pem").string(),
                                   "--ready-file",
                                   ready.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  daemon->pid = fork();
  if (daemon->pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  for (int i = 0; i < 400 && !fs::exists(ready); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (!fs::exists(ready)) return Status::IoError("caseledgerd did not start: " + binary);
  daemon->address = Slurp(ready);
  daemon->address.pop_back();
  return Status::Ok();
}

std::unique_ptr<rpc::CaseLedger::Stub> Connect(const fs::path& certs, const std::string& address,
                                               int c) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(certs / "ca.pem");
  ssl.pem_cert_chain = Slurp(certs / (Operator(c) + ".pem"));
  ssl.pem_private_key = Slurp(certs / (Operator(c) + ".key"));
  grpc::ChannelArguments arguments;
  arguments.SetInt("caseledger.bench.client", c);  // a channel (a connection) per client
  ClientChannelArguments(&arguments);
  return rpc::CaseLedger::NewStub(
      grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), arguments));
}

struct LoadFigures {
  int64_t single_commands = 0, single_us = 0, single_rejected = 0;
  int64_t p50_us = 0, p99_us = 0;
  int64_t stream_commands = 0, stream_us = 0, stream_rejected = 0;
  int64_t single_server_cpu_us = 0, single_client_cpu_us = 0;  // CPU of the 64 clients' phase
  int64_t local_us = 0;
  std::string first_rejected;  // shown: a rejected command is a defect of the workload
};

std::mutex rejected_mutex;

// Counts a rejected result, keeping the first for the report.
bool Rejected(const std::string& result, LoadFigures* figures) {
  if (!result.starts_with("{\"ok\":false")) return false;
  std::lock_guard<std::mutex> lock(rejected_mutex);
  if (figures->first_rejected.empty()) figures->first_rejected = result;
  return true;
}

// One client sending one command, waiting for its answer, and sending the next, on gRPC's
// callback API: 64 of them need no thread of their own, so that the bench's own threads do not
// take the cores the server is measured on.
class SingleClient final : public grpc::ClientBidiReactor<rpc::ApplyRequest, rpc::ApplyReply> {
 public:
  SingleClient(const fs::path& certs, const std::string& address, int c, int64_t count,
               LoadFigures* figures, std::latch* done)
      : stub_(Connect(certs, address, c)), c_(c), count_(count), figures_(figures), done_(done) {
    latencies_.reserve(static_cast<size_t>(count));
  }
  void Start() {
    stub_->async()->Apply(&context_, this);
    Send();
    StartCall();
  }
  void OnWriteDone(bool ok) override { Step(ok); }
  void OnReadDone(bool ok) override {
    if (ok) {
      latencies_.push_back(Micros(Clock::now() - sent_));
      for (const auto& result : reply_.results()) rejected_ += Rejected(result, figures_) ? 1 : 0;
    }
    Step(ok);
  }
  void OnDone(const grpc::Status&) override { done_->count_down(); }
  const std::vector<int64_t>& latencies() const { return latencies_; }
  int64_t rejected() const { return rejected_; }

 private:
  void Send() {
    request_.Clear();
    request_.add_lines(Command("s", c_, sent_count_++, Operator(c_)));
    steps_ = 0;
    sent_ = Clock::now();
    StartRead(&reply_);
    StartWrite(&request_);
  }
  // A command is done when both its write and its answer are.
  void Step(bool ok) {
    if (!ok) failed_ = true;
    if (++steps_ < 2) return;
    if (!failed_ && sent_count_ < count_) {
      Send();
    } else {
      StartWritesDone();
    }
  }
  std::unique_ptr<rpc::CaseLedger::Stub> stub_;
  grpc::ClientContext context_;
  const int c_;
  const int64_t count_;
  LoadFigures* figures_;
  std::latch* done_;
  rpc::ApplyRequest request_;
  rpc::ApplyReply reply_;
  int64_t sent_count_ = 0;
  std::atomic<int> steps_ = 0;
  std::atomic<bool> failed_ = false;
  Clock::time_point sent_;
  std::vector<int64_t> latencies_;
  int64_t rejected_ = 0;
};

void SingleClients(const fs::path& certs, const std::string& address, int64_t per_client,
                   LoadFigures* figures) {
  std::latch done(kSingleClients);
  std::vector<std::unique_ptr<SingleClient>> clients;
  for (int c = 0; c < kSingleClients; ++c) {
    clients.push_back(
        std::make_unique<SingleClient>(certs, address, c, per_client, figures, &done));
  }
  const auto start = Clock::now();
  for (auto& client : clients) client->Start();
  done.wait();
  figures->single_us = Micros(Clock::now() - start);
  std::vector<int64_t> all;
  for (const auto& client : clients) {
    all.insert(all.end(), client->latencies().begin(), client->latencies().end());
    figures->single_rejected += client->rejected();
  }
  std::sort(all.begin(), all.end());
  figures->single_commands = static_cast<int64_t>(all.size());
  if (!all.empty()) {
    figures->p50_us = all[all.size() / 2];
    figures->p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
}

// Each client streams its commands in batches of up to a group while reading the answers.
void StreamClients(const fs::path& certs, const std::string& address, int64_t per_client,
                   LoadFigures* figures) {
  std::atomic<int64_t> answered = 0, rejected = 0;
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kStreamClients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = Connect(certs, address, c);
      grpc::ClientContext context;
      auto stream = stub->Apply(&context);
      std::thread reader([&] {
        rpc::ApplyReply reply;
        while (stream->Read(&reply)) {
          answered += reply.results_size();
          for (const auto& result : reply.results()) rejected += Rejected(result, figures) ? 1 : 0;
        }
      });
      rpc::ApplyRequest request;
      for (int64_t j = 0; j < per_client; ++j) {
        request.add_lines(Command("t", c, j, Operator(c)));
        if (request.lines_size() == static_cast<int>(kGroupCommandsMax) || j + 1 == per_client) {
          if (!stream->Write(request)) break;
          request.Clear();
        }
      }
      stream->WritesDone();
      reader.join();
      (void)stream->Finish();
    });
  }
  for (auto& client : clients) client.join();
  figures->stream_us = Micros(Clock::now() - start);
  figures->stream_commands = answered;
  figures->stream_rejected = rejected;
}

// The streamed commands again, through Ledger::Stage and Seal/Land in groups, into a new ledger.
Status LocalBatch(const fs::path& dir, int64_t per_client, LoadFigures* figures) {
  std::vector<ParsedCommand> commands;
  for (int c = 0; c < kStreamClients; ++c) {
    for (int64_t j = 0; j < per_client; ++j) {
      commands.push_back(ParseCommandLine(Command("t", c, j, Operator(c))));
    }
  }
  CASELEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger,
                              Ledger::OpenForWrite((dir / "local-db").string()));
  const auto start = Clock::now();
  for (size_t i = 0; i < commands.size(); ++i) {
    (void)ledger->Stage(commands[i]);
    if (ledger->staged_entries() >= kGroupCommandsMax || i + 1 == commands.size()) {
      CASELEDGER_RETURN_IF_ERROR(ledger->Seal());
    }
  }
  CASELEDGER_RETURN_IF_ERROR(ledger->Land());
  figures->local_us = Micros(Clock::now() - start);
  return Status::Ok();
}

int64_t PerSecond(int64_t count, int64_t us) { return us > 0 ? count * 1000000 / us : 0; }

void Print(const Globals& globals, const LoadFigures& f) {
  const int64_t single = PerSecond(f.single_commands, f.single_us);
  const int64_t streamed = PerSecond(f.stream_commands, f.stream_us);
  const int64_t local = PerSecond(f.stream_commands, f.local_us);
  const std::string ratio = local > 0 ? fmt::format("{}.{:02}", streamed * 100 / local / 100,
                                                    streamed * 100 / local % 100)
                                      : "-";
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("single_clients").Int(kSingleClients);
    w.Key("single_commands").Int(f.single_commands).Key("single_per_s").Int(single);
    w.Key("single_p50_us").Int(f.p50_us).Key("single_p99_us").Int(f.p99_us);
    w.Key("single_server_cpu_us").Int(f.single_server_cpu_us);
    w.Key("single_client_cpu_us").Int(f.single_client_cpu_us);
    w.Key("stream_clients").Int(kStreamClients).Key("stream_commands").Int(f.stream_commands);
    w.Key("stream_per_s").Int(streamed).Key("local_batch_per_s").Int(local);
    w.Key("rejected").Int(f.single_rejected + f.stream_rejected);
    Out(w.EndObject().str() + "\n");
    return;
  }
  const Lang lang = globals.language();
  TextTable table({L(lang, "项目", "figure"), L(lang, "数值", "value"), L(lang, "目标", "target")},
                  {false, true, false});
  table.AddRow({L(lang, "64 个客户端逐条提交（条/秒）", "64 clients, one command at a time (/s)"),
                Grouped(single), "≥ 10,000"});
  table.AddRow({L(lang, "逐条提交 p50 / p99（毫秒）", "one at a time p50 / p99 (ms)"),
                fmt::format("{:.1f} / {:.1f}", f.p50_us / 1000.0, f.p99_us / 1000.0), "p99 ≤ 20"});
  const int64_t n = std::max<int64_t>(1, f.single_commands);
  table.AddRow({L(lang, "逐条提交每条 CPU：服务端 / 客户端（微秒）",
                  "one at a time, CPU per command: server / clients (µs)"),
                fmt::format("{} / {}", f.single_server_cpu_us / n, f.single_client_cpu_us / n),
                ""});
  table.AddRow({L(lang, "8 个客户端批量流式提交（条/秒）", "8 clients streaming batches (/s)"),
                Grouped(streamed), ""});
  table.AddRow({L(lang, "同样命令本地批量接口（条/秒）", "the same, local batch API (/s)"),
                Grouped(local), ""});
  table.AddRow({L(lang, "流式 ÷ 本地批量", "streamed ÷ local batch"), ratio, "≥ 0.70"});
  table.AddRow({L(lang, "被拒命令", "rejected commands"),
                Grouped(f.single_rejected + f.stream_rejected), "0"});
  Out(table.Render());
}

}  // namespace

int RunBenchServer(const Globals& globals, const BenchOptions& options) {
  Result<int64_t> scale = ParseScale(options.scale, "--scale");
  if (!scale.ok()) return Usage(scale.status().message());
  std::string pattern = (fs::temp_directory_path() / "caseledger-bench-server-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Usage("cannot make a temporary directory");
  const fs::path dir = pattern;
  // ParseScale gives millionths.
  const int64_t single = std::max<int64_t>(1, kSingleCommands * *scale / 1000000);
  const int64_t streamed = std::max<int64_t>(1, kStreamCommands * *scale / 1000000);
  LoadFigures figures;
  Status status = MakeCertificates(dir / "certs");
  {
    Daemon daemon;
    if (status.ok()) status = StartDaemon(dir, &daemon);
    if (status.ok()) {
      WriteErr(fmt::format("bench: {} clients, {} commands each, one at a time\n", kSingleClients,
                           single));
      const int64_t server_cpu = CpuMicros(daemon.pid), client_cpu = CpuMicros(getpid());
      SingleClients(dir / "certs", daemon.address, single, &figures);
      figures.single_server_cpu_us = CpuMicros(daemon.pid) - server_cpu;
      figures.single_client_cpu_us = CpuMicros(getpid()) - client_cpu;
      WriteErr(
          fmt::format("bench: {} clients streaming {} commands each\n", kStreamClients, streamed));
      StreamClients(dir / "certs", daemon.address, streamed, &figures);
    }
  }
  if (status.ok()) {
    WriteErr("bench: the same streamed commands through the local batch API\n");
    status = LocalBatch(dir, streamed, &figures);
  }
  if (!options.keep) fs::remove_all(dir);
  if (!status.ok()) return ReportError(status, globals.json);
  if (!figures.first_rejected.empty()) WriteErr("bench: first rejected: " + figures.first_rejected);
  Print(globals, figures);
  return kExitOk;
}

// ---- bench --replicated (issue 21).

namespace {

// One line through `address` as bench.0: its result line, or "" when the call failed.
std::string ApplyLine(const fs::path& certs, const std::string& address, const std::string& line) {
  auto stub = Connect(certs, address, 0);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  auto stream = stub->Apply(&context);
  rpc::ApplyRequest request;
  request.add_lines(line);
  rpc::ApplyReply reply;
  std::string result;
  if (stream->Write(request) && stream->WritesDone() && stream->Read(&reply) &&
      reply.results_size() > 0) {
    result = reply.results(0);
  }
  (void)stream->Finish();
  return result;
}

// The replica that decides a command (the answer is not NOT_LEADER), waiting up to 15 s; -1 if
// none. The probe is a receipt into a case that does not exist: decided, refused, nothing written.
int FindLeader(const fs::path& certs, const std::vector<Daemon>& replicas) {
  const std::string probe = Command("probe", 0, 1, Operator(0));
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    for (size_t i = 0; i < replicas.size(); ++i) {
      if (replicas[i].pid <= 0) continue;
      const std::string result = ApplyLine(certs, replicas[i].address, probe);
      if (!result.empty() && result.find("NOT_LEADER") == std::string::npos)
        return static_cast<int>(i);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

// Kills the leader and sends one write to the others until one acknowledges it: the time.
int64_t FailoverMicros(const fs::path& certs, std::vector<Daemon>* replicas, int leader) {
  kill((*replicas)[leader].pid, SIGKILL);
  int status = 0;
  waitpid((*replicas)[leader].pid, &status, 0);
  (*replicas)[leader].pid = 0;
  const auto killed = Clock::now();
  // An open_case of a case no other client opened ("t" is the streaming clients' range).
  const std::string write = Command("t", 0, 0, Operator(0));
  while (Clock::now() - killed < std::chrono::seconds(30)) {
    for (const Daemon& replica : *replicas) {
      if (replica.pid <= 0) continue;
      if (ApplyLine(certs, replica.address, write).starts_with("{\"ok\":true")) {
        return Micros(Clock::now() - killed);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

void PrintReplicated(const Globals& globals, const LoadFigures& f, int64_t failover_us) {
  const int64_t single = PerSecond(f.single_commands, f.single_us);
  if (globals.json) {
    json::Writer w;
    w.BeginObject().Key("clients").Int(kSingleClients).Key("commands").Int(f.single_commands);
    w.Key("per_s").Int(single).Key("p50_us").Int(f.p50_us).Key("p99_us").Int(f.p99_us);
    w.Key("failover_us").Int(failover_us).Key("rejected").Int(f.single_rejected);
    Out(w.EndObject().str() + "\n");
    return;
  }
  const Lang lang = globals.language();
  TextTable table({L(lang, "项目", "figure"), L(lang, "数值", "value"), L(lang, "目标", "target")},
                  {false, true, false});
  table.AddRow({L(lang, "64 个客户端逐条提交主节点（条/秒）",
                  "64 clients on the leader, one at a time (/s)"),
                Grouped(single), "≥ 3,000"});
  table.AddRow({L(lang, "逐条提交 p50 / p99（毫秒）", "one at a time p50 / p99 (ms)"),
                fmt::format("{:.1f} / {:.1f}", f.p50_us / 1000.0, f.p99_us / 1000.0), "p99 ≤ 150"});
  table.AddRow({L(lang, "杀掉主节点到新主节点首次确认写入（毫秒）",
                  "leader killed to the first write acknowledged by the next (ms)"),
                failover_us < 0 ? "-" : fmt::format("{:.0f}", failover_us / 1000.0), "≤ 5,000"});
  table.AddRow({L(lang, "被拒命令", "rejected commands"), Grouped(f.single_rejected), "0"});
  Out(table.Render());
}

}  // namespace

int RunBenchReplicated(const Globals& globals, const BenchOptions& options) {
  Result<int64_t> scale = ParseScale(options.scale, "--scale");
  if (!scale.ok()) return Usage(scale.status().message());
  std::string pattern = (fs::temp_directory_path() / "caseledger-bench-replicated-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Usage("cannot make a temporary directory");
  const fs::path dir = pattern;
  const int64_t single = std::max<int64_t>(1, kSingleCommands * *scale / 1000000);
  LoadFigures figures;
  int64_t failover_us = -1;
  Status status = MakeCertificates(dir / "certs");
  {
    etcd_test::EtcdCluster etcd(etcd_test::ClusterOptions{.members = 3});
    if (status.ok()) status = etcd.Start();
    std::string endpoints;
    for (const std::string& e : etcd.endpoints()) endpoints += (endpoints.empty() ? "" : ",") + e;
    std::vector<Daemon> replicas(3);
    for (int i = 0; i < 3 && status.ok(); ++i) {
      const std::string name = "r" + std::to_string(i);
      status = StartDaemon(dir, &replicas[i], {"--etcd", endpoints, "--replica-name", name}, name);
    }
    const int leader = status.ok() ? FindLeader(dir / "certs", replicas) : -1;
    if (status.ok() && leader < 0) status = Status::IoError("no replica took the lead in 15 s");
    if (status.ok()) {
      WriteErr(
          fmt::format("bench: 3 etcd members, 3 replicas; {} clients on the leader r{}, {} "
                      "commands each, one at a time\n",
                      kSingleClients, leader, single));
      SingleClients(dir / "certs", replicas[leader].address, single, &figures);
      WriteErr("bench: the leader killed; one write until another replica acknowledges it\n");
      failover_us = FailoverMicros(dir / "certs", &replicas, leader);
    }
  }
  if (!options.keep) fs::remove_all(dir);
  if (!status.ok()) return ReportError(status, globals.json);
  if (!figures.first_rejected.empty()) WriteErr("bench: first rejected: " + figures.first_rejected);
  PrintReplicated(globals, figures, failover_us);
  return kExitOk;
}

}  // namespace caseledger::cli
