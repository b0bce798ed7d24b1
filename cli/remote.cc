#include "cli/remote.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <thread>

#include "cli/line_reader.h"
#include "cli/results.h"
#include "core/command_json.h"
#include "core/input_line.h"
#include "core/json.h"
#include "core/limits.h"
#include "service.grpc.pb.h"

namespace caseledger::cli {
namespace {

constexpr int kMessageBytesMax = 256 << 20;
// The flags that choose where the command runs: never sent to the server.
constexpr const char* kLocalFlags[] = {"--db", "--server", "--tls-cert", "--tls-key",
                                       "--server-ca"};

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

Result<std::string> ReadFile(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(std::string(flag) + ": cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<std::shared_ptr<grpc::Channel>> Connect(const Globals& globals) {
  if (globals.tls_cert.empty() || globals.tls_key.empty() || globals.server_ca.empty()) {
    return Status::InvalidArgument(
        "--server needs --tls-cert, --tls-key and --server-ca (or CASELEDGER_TLS_CERT, "
        "CASELEDGER_TLS_KEY and CASELEDGER_TLS_SERVER_CA): the server knows an operator by "
        "their certificate");
  }
  grpc::SslCredentialsOptions ssl;
  CASELEDGER_ASSIGN_OR_RETURN(ssl.pem_cert_chain, ReadFile(globals.tls_cert, "--tls-cert"));
  CASELEDGER_ASSIGN_OR_RETURN(ssl.pem_private_key, ReadFile(globals.tls_key, "--tls-key"));
  CASELEDGER_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFile(globals.server_ca, "--server-ca"));
  grpc::ChannelArguments arguments;
  ClientChannelArguments(&arguments);
  arguments.SetMaxReceiveMessageSize(kMessageBytesMax);
  return grpc::CreateCustomChannel(globals.server, grpc::SslCredentials(ssl), arguments);
}

// A failed call: the server's refusal as its code says, anything else as the link's failure.
Status FromGrpc(const grpc::Status& status, const std::string& server) {
  const std::string& message = status.error_message();
  for (Code code : {Code::kNotPermitted, Code::kInvalidArgument, Code::kResourceExhausted}) {
    const std::string prefix = std::string(CodeName(code)) + ": ";
    if (message.starts_with(prefix)) return Status(code, message.substr(prefix.size()));
  }
  if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return Status(Code::kNotPermitted, message);
  }
  return Status::IoError("caseledgerd at " + server + ": " + message +
                         " (is it running, and are the certificates the bureau's?)");
}

// argv without the program's name and the flags that choose where the command runs.
std::vector<std::string> ServedArgs(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    bool local = false;
    for (const char* flag : kLocalFlags) {
      if (arg == flag) {
        ++i;  // and its value
        local = true;
      } else if (arg.starts_with(std::string(flag) + "=")) {
        local = true;
      }
    }
    if (!local) args.push_back(arg);
  }
  return args;
}

// The file a command writes (-o, --output, --html), as given; empty: none.
std::string OutputFile(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-o" || args[i] == "--output" || args[i] == "--html") && i + 1 < args.size()) {
      return args[i + 1];
    }
    if (args[i].starts_with("--output=") || args[i].starts_with("--html=")) {
      return args[i].substr(args[i].find('=') + 1);
    }
  }
  return {};
}

int RemoteRun(rpc::CaseLedger::Stub* stub, const Globals& globals, rpc::RunRequest request) {
  grpc::ClientContext context;
  const std::vector<std::string> args(request.args().begin(), request.args().end());
  const std::string output = OutputFile(args);
  std::unique_ptr<grpc::ClientReader<rpc::RunReply>> reader = stub->Run(&context, request);
  rpc::RunReply reply;
  std::optional<int> code;
  std::ofstream file;
  while (reader->Read(&reply)) {
    if (!reply.out().empty()) WriteOut(reply.out());
    if (!reply.err().empty()) WriteErr(reply.err());
    if (!reply.file().empty()) {
      if (!file.is_open()) file.open(output, std::ios::binary | std::ios::trunc);
      file.write(reply.file().data(), static_cast<std::streamsize>(reply.file().size()));
    }
    if (reply.has_exit_code()) code = reply.exit_code();
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok() || !code) {
    if (file.is_open()) std::filesystem::remove(output);
    return ReportError(FromGrpc(status, globals.server), globals.json);
  }
  if (*code == kExitOk && !output.empty() && output != "-" && !file.is_open()) {
    file.open(output, std::ios::binary | std::ios::trunc);  // the command wrote an empty file
  }
  if (file.is_open()) {
    file.close();
    if (file.fail()) return Usage("cannot write " + output);
  }
  FlushOut();
  return *code;
}

// A replica's own word on whether it leads: `status --json` run on it, waiting at most 3 s (a
// paused replica takes the connection and never answers). nullopt when it did not answer.
std::optional<bool> Leads(const Globals& globals, const std::string& address) {
  Globals one = globals;
  one.server = address;
  Result<std::shared_ptr<grpc::Channel>> channel = Connect(one);
  if (!channel.ok()) return std::nullopt;
  auto stub = rpc::CaseLedger::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  rpc::RunRequest request;
  request.add_args("status");
  request.add_args("--json");
  request.set_input_arg(-1);
  auto reader = stub->Run(&context, request);
  std::string out;
  for (rpc::RunReply reply; reader->Read(&reply);) out += reply.out();
  if (!reader->Finish().ok()) return std::nullopt;
  Result<json::Value> status = json::Parse(out);
  if (!status.ok()) return std::nullopt;
  const json::Value* replica = status->Find("replica");
  const json::Value* role = replica == nullptr ? nullptr : replica->Find("role");
  return replica == nullptr || (role != nullptr && role->text == "leader");
}

// --server A,B,C (the replicas of a replicated ledger, README "Replication"): the one that leads
// for apply, else the first that answers; a single address as given.
std::string ChooseServer(const Globals& globals, bool write) {
  if (globals.server.find(',') == std::string::npos) return globals.server;
  std::string first;
  for (size_t begin = 0; begin <= globals.server.size();) {
    size_t end = globals.server.find(',', begin);
    if (end == std::string::npos) end = globals.server.size();
    const std::string address = globals.server.substr(begin, end - begin);
    begin = end + 1;
    const std::optional<bool> leads = Leads(globals, address);
    if (!leads) continue;
    if (*leads || !write) return address;
    if (first.empty()) first = address;
  }
  return first.empty() ? globals.server.substr(0, globals.server.find(',')) : first;
}

// What a line unanswered by the server says: it may or may not have been recorded.
std::string Unanswered(const std::string& line, const Status& failure) {
  CommandResult result;
  result.request_id = ParseCommandLine(line).request_id;
  // A refusal of the caller (certificate, arguments) recorded nothing; a broken link may have.
  const bool refused =
      failure.code() == Code::kNotPermitted || failure.code() == Code::kInvalidArgument;
  result.status = refused ? failure
                          : Status(failure.code(), failure.message() +
                                                       "; this command may or may not be recorded: "
                                                       "send it again with the same request_id");
  return ResultJson(result) + "\n";
}

// Sends the input's lines as they come and prints the server's answers as they come, in order.
int RemoteApply(rpc::CaseLedger::Stub* stub, const Globals& globals, int fd, bool atomic) {
  grpc::ClientContext context;
  auto stream = stub->Apply(&context);
  std::mutex mutex;
  std::deque<std::string> unanswered;  // lines sent that will have an answer, in order
  bool rejected = false;
  std::optional<int> atomic_code;
  std::thread receiver([&] {
    rpc::ApplyReply reply;
    while (stream->Read(&reply)) {
      std::lock_guard<std::mutex> lock(mutex);
      for (const std::string& result : reply.results()) {
        rejected = rejected || result.starts_with("{\"ok\":false");
        WriteOut(result);
        if (!unanswered.empty()) unanswered.pop_front();
      }
      if (atomic) atomic_code = reply.exit_code();
      FlushOut();
    }
  });
  LineReader reader(fd);
  rpc::ApplyRequest request;
  request.set_atomic(atomic);
  std::string line;
  bool oversized = false;
  Status read_error;
  bool sending = true;
  while (sending && reader.Next(&line, &oversized, &read_error)) {
    ParsedCommand ignored;
    if (PrepareInputLine(line, oversized, reader.line_number(), &ignored)) {
      std::lock_guard<std::mutex> lock(mutex);
      unanswered.push_back(line);
    }
    if (oversized) request.add_oversized(static_cast<uint32_t>(request.lines_size()));
    request.add_lines(std::move(line));
    if (request.lines_size() >= static_cast<int>(kGroupCommandsMax) || !reader.MoreReady()) {
      sending = stream->Write(request);
      request.Clear();
    }
  }
  if (sending && request.lines_size() > 0) stream->Write(request);
  stream->WritesDone();
  receiver.join();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) {
    const Status failure = FromGrpc(status, globals.server);
    if (unanswered.empty()) return ReportError(failure, /*json=*/true);
    for (const std::string& pending : unanswered) WriteOut(Unanswered(pending, failure));
    FlushOut();
    return kExitRejected;
  }
  if (!unanswered.empty()) {  // the server ended the call without answering every line
    const Status failure = Status::IoError("caseledgerd at " + globals.server +
                                           " ended the call without answering this line");
    for (const std::string& pending : unanswered) WriteOut(Unanswered(pending, failure));
    FlushOut();
    return kExitRejected;
  }
  if (!read_error.ok()) return ReportError(read_error, /*json=*/true);
  if (atomic) return atomic_code.value_or(kExitRejected);
  return rejected ? kExitRejected : kExitOk;
}

int ApplyRemotely(rpc::CaseLedger::Stub* stub, const Globals& globals, CLI::App* apply) {
  const std::string file = apply->get_option("file")->as<std::string>();
  const bool atomic = apply->get_option("--atomic")->as<bool>();
  int fd = STDIN_FILENO;
  if (!file.empty() && file != "-") {
    fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Usage("cannot read " + file + ": " + std::strerror(errno));
  }
  const int code = RemoteApply(stub, globals, fd, atomic);
  if (fd != STDIN_FILENO) close(fd);
  return code;
}

}  // namespace

void AddServerFlags(CLI::App& app, Globals& globals) {
  app.add_option("--server", globals.server,
                 "run the command on caseledgerd at HOST:PORT (default $CASELEDGER_SERVER); the "
                 "replicas of a replicated ledger as HOST:PORT,HOST:PORT,...: apply goes to the "
                 "leader, a reading command to the first that answers");
  app.add_option("--tls-cert", globals.tls_cert,
                 "this operator's certificate, PEM (default $CASELEDGER_TLS_CERT)");
  app.add_option("--tls-key", globals.tls_key,
                 "its private key, PEM (default $CASELEDGER_TLS_KEY)");
  app.add_option("--server-ca", globals.server_ca,
                 "the CA of the server's certificate, PEM (default $CASELEDGER_TLS_SERVER_CA)");
}

void ServerFromEnvironment(Globals* globals) {
  if (globals->server.empty()) globals->server = Environment("CASELEDGER_SERVER");
  if (globals->tls_cert.empty()) globals->tls_cert = Environment("CASELEDGER_TLS_CERT");
  if (globals->tls_key.empty()) globals->tls_key = Environment("CASELEDGER_TLS_KEY");
  if (globals->server_ca.empty()) globals->server_ca = Environment("CASELEDGER_TLS_SERVER_CA");
}

void ClientChannelArguments(grpc::ChannelArguments* arguments) {
  arguments->SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  arguments->SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
}

std::optional<int> RunRemote(const Globals& globals, CLI::App& app, int argc, char** argv) {
  CLI::App* command = app.get_subcommands().front();
  const std::string name = command->get_name();
  if (name == "calc" || name == "check-proof" || name == "bench") return std::nullopt;
  if (name == "verify" && command->get_option("--file")->count() > 0) return std::nullopt;
  if (name == "import") {
    return Usage(
        "import builds a new ledger from an export on this machine: run it without "
        "--server, then start caseledgerd on the new directory");
  }
  if (name == "apply" && command->get_option("--maintenance")->as<bool>()) {
    return Usage("--maintenance is a local write on the server's own machine: without --server");
  }
  Globals chosen = globals;
  chosen.server = ChooseServer(globals, name == "apply");
  Result<std::shared_ptr<grpc::Channel>> channel = Connect(chosen);
  if (!channel.ok()) return Usage(channel.status().message());
  std::unique_ptr<rpc::CaseLedger::Stub> stub = rpc::CaseLedger::NewStub(*channel);
  if (name == "apply") return ApplyRemotely(stub.get(), chosen, command);
  rpc::RunRequest request;
  request.set_input_arg(-1);
  const std::vector<std::string> args = ServedArgs(argc, argv);
  for (const std::string& arg : args) request.add_args(arg);
  if (name == "reconcile") {
    const std::string statement = command->get_option("statement")->as<std::string>();
    for (size_t i = args.size(); i-- > 0;) {
      if (args[i] == statement) {
        request.set_input_arg(static_cast<int>(i));
        break;
      }
    }
    Result<std::string> bytes = ReadFile(statement, "reconcile");
    if (!bytes.ok()) return Usage(bytes.status().message());
    request.set_input(std::move(bytes).value());
  }
  return RemoteRun(stub.get(), chosen, std::move(request));
}

}  // namespace caseledger::cli
