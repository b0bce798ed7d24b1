// caseledgerd's calls: Apply (commands in, results out, through the one writer) and Run (a
// reading command on a snapshot, through the same code as the command line).
#include <grpc/grpc_security_constants.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>

#include "cli/results.h"
#include "cli/run.h"
#include "cli/sink.h"
#include "core/identifiers.h"
#include "core/input_line.h"
#include "core/limits.h"
#include "core/names.h"
#include "server/identity.h"
#include "server/refusals.h"
#include "server/server.h"
#include "server/writer.h"
#include "service.grpc.pb.h"

namespace caseledger::server {
namespace {

constexpr size_t kReplyBytes = size_t{1} << 16;  // output sent in pieces of this size
constexpr int kMessageBytesMax = 256 << 20;      // a statement sent to `reconcile`

grpc::Status Refuse(const Status& status) {
  const grpc::StatusCode code = status.code() == Code::kNotPermitted
                                    ? grpc::StatusCode::PERMISSION_DENIED
                                    : grpc::StatusCode::INVALID_ARGUMENT;
  return grpc::Status(code, std::string(CodeName(status.code())) + ": " + status.message());
}

// The answers of one Apply stream, sent in the order of its lines whatever order they are
// decided in; at most `max` unanswered, so one client cannot fill the server's memory.
class Outbox {
 public:
  explicit Outbox(size_t max) : max_(max) {}
  // A place for the next line's answer; waits while `max` answers are outstanding.
  uint64_t Reserve() {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [this] { return next_slot_ - next_send_ < max_ || broken_; });
    return next_slot_++;
  }
  void Fill(uint64_t slot, std::string line) {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.emplace(slot, std::move(line));
    changed_.notify_all();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  // On its own thread: sends the answers ready in order until every reserved one is sent after
  // Close. A write that fails (the client left) ends the sending; answers are still awaited, so
  // that no callback outlives the stream.
  void SendLoop(grpc::ServerReaderWriter<rpc::ApplyReply, rpc::ApplyRequest>* stream) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] {
        return ready_.contains(next_send_) || (closed_ && next_send_ == next_slot_);
      });
      if (!ready_.contains(next_send_)) return;
      rpc::ApplyReply reply;
      size_t bytes = 0;
      while (ready_.contains(next_send_) && bytes < kReplyBytes) {
        auto node = ready_.extract(next_send_++);
        bytes += node.mapped().size();
        reply.add_results(std::move(node.mapped()));
      }
      space_.notify_all();
      lock.unlock();
      if (!broken_ && !stream->Write(reply)) broken_ = true;
      lock.lock();
    }
  }

 private:
  const size_t max_;
  std::mutex mutex_;
  std::condition_variable space_;
  std::condition_variable changed_;
  std::map<uint64_t, std::string> ready_;
  uint64_t next_slot_ = 0;
  uint64_t next_send_ = 0;
  bool closed_ = false;
  std::atomic<bool> broken_ = false;
};

// The operation a line asked for (its wire name), "-" for one that did not parse.
std::string OperationOfLine(const ParsedCommand& parsed) {
  if (!parsed.status.ok() || parsed.command.op_case() == pb::Command::OP_NOT_SET) return "-";
  return std::string(WireName(OperationOf(parsed.command)));
}

// A command line's result line, as `apply` prints it.
std::string ResultLine(const CommandResult& result) { return cli::ResultJson(result) + "\n"; }

// Output of a command run for a client: sent in pieces, the server's own file names replaced
// by the client's.
class ReplySink : public cli::Sink {
 public:
  ReplySink(grpc::ServerWriter<rpc::RunReply>* writer,
            std::vector<std::pair<std::string, std::string>> names)
      : writer_(writer), names_(std::move(names)) {}
  void Out(std::string_view bytes) override { Add(bytes, &out_); }
  void Err(std::string_view bytes) override { Add(bytes, &err_); }
  bool Good() const override { return good_; }
  void Flush() {
    if (out_.empty() && err_.empty()) return;
    rpc::RunReply reply;
    reply.set_out(std::move(out_));
    reply.set_err(std::move(err_));
    out_.clear();
    err_.clear();
    if (good_ && !writer_->Write(reply)) good_ = false;
  }

 private:
  void Add(std::string_view bytes, std::string* to) {
    std::string text(bytes);
    for (const auto& [server, client] : names_) {
      for (size_t at = text.find(server); at != std::string::npos;
           at = text.find(server, at + client.size())) {
        text.replace(at, server.size(), client);
      }
    }
    to->append(text);
    if (out_.size() + err_.size() >= kReplyBytes) Flush();
  }
  grpc::ServerWriter<rpc::RunReply>* writer_;
  std::vector<std::pair<std::string, std::string>> names_;
  std::string out_;
  std::string err_;
  bool good_ = true;
};

// The reading commands a client may run here. Not: apply (the Apply call), import (builds a new
// ledger on the server's disk), bench, calc and check-proof (no ledger: the client runs them).
const std::set<std::string, std::less<>>& Served() {
  static const std::set<std::string, std::less<>> served = {
      "balance",   "case",   "cases",  "defaulter", "defaulters", "digest",    "distribution",
      "event",     "events", "export", "feed",      "history",    "movements", "prove",
      "reconcile", "report", "rules",  "state",     "verify"};
  return served;
}

}  // namespace

class Service final : public rpc::CaseLedger::Service {
 public:
  Service(Ledger* ledger, Writer* writer, Revocations* revocations, Refusals* refusals,
          const ServerOptions& options, std::string scratch)
      : ledger_(ledger),
        writer_(writer),
        revocations_(revocations),
        refusals_(refusals),
        options_(options),
        scratch_(std::move(scratch)) {}

  grpc::Status Apply(grpc::ServerContext* context,
                     grpc::ServerReaderWriter<rpc::ApplyReply, rpc::ApplyRequest>* stream) override;
  grpc::Status Run(grpc::ServerContext* context, const rpc::RunRequest* request,
                   grpc::ServerWriter<rpc::RunReply>* writer) override;

 private:
  Result<std::string> Peer(grpc::ServerContext* context);
  void ApplyLines(const std::string& peer, const rpc::ApplyRequest& request, size_t* line_number,
                  Outbox* outbox);
  grpc::Status ApplyAtomic(const std::string& peer, rpc::ApplyRequest first,
                           grpc::ServerReaderWriter<rpc::ApplyReply, rpc::ApplyRequest>* stream);
  Result<std::vector<std::string>> ServedArgs(const rpc::RunRequest& request,
                                              const std::string& input, const std::string& output,
                                              std::string* output_given);
  std::string Scratch(const char* what);

  Ledger* ledger_;
  Writer* writer_;
  Revocations* revocations_;
  Refusals* refusals_;
  const ServerOptions& options_;
  const std::string scratch_;  // the server's own directory for files of Run calls
  std::atomic<uint64_t> scratch_files_ = 0;
};

Result<std::string> Service::Peer(grpc::ServerContext* context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context->auth_context();
  if (auth == nullptr) return Status(Code::kNotPermitted, "no client certificate");
  const std::vector<grpc::string_ref> pems =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return Status(Code::kNotPermitted, "no client certificate");
  const std::string pem(pems.front().data(), pems.front().size());
  CASELEDGER_RETURN_IF_ERROR(revocations_->Check(pem));
  return OperatorOfCertificate(pem);
}

void Service::ApplyLines(const std::string& peer, const rpc::ApplyRequest& request,
                         size_t* line_number, Outbox* outbox) {
  std::set<uint32_t> oversized(request.oversized().begin(), request.oversized().end());
  for (int i = 0; i < request.lines_size(); ++i) {
    ParsedCommand parsed;
    ++*line_number;
    if (!PrepareInputLine(request.lines(i), oversized.contains(static_cast<uint32_t>(i)),
                          *line_number, &parsed, peer)) {
      continue;  // a blank line has no answer
    }
    const uint64_t slot = outbox->Reserve();
    const std::optional<std::string> request_id = parsed.request_id;
    const std::string operation = OperationOfLine(parsed);
    Job job{std::move(parsed), [this, outbox, slot, peer, operation](const CommandResult& result) {
              if (!result.status.ok()) {
                refusals_->Note(peer, operation, std::string(CodeName(result.status.code())));
              }
              outbox->Fill(slot, ResultLine(result));
            }};
    if (!writer_->Submit(std::move(job))) {
      CommandResult busy;
      busy.request_id = request_id;
      busy.status = Status(Code::kResourceExhausted,
                           "the server has too many commands waiting: this one was not recorded; "
                           "send it again with the same request_id");
      refusals_->Note(peer, operation, std::string(CodeName(busy.status.code())));
      outbox->Fill(slot, ResultLine(busy));
    }
  }
}

grpc::Status Service::Apply(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<rpc::ApplyReply, rpc::ApplyRequest>* stream) {
  Result<std::string> peer = Peer(context);
  if (!peer.ok()) return Refuse(peer.status());
  rpc::ApplyRequest request;
  if (!stream->Read(&request)) return grpc::Status::OK;
  if (request.atomic()) return ApplyAtomic(*peer, std::move(request), stream);
  Outbox outbox(options_.stream_in_flight_max);
  std::thread sender([&] { outbox.SendLoop(stream); });
  size_t line_number = 0;
  do {
    ApplyLines(*peer, request, &line_number, &outbox);
  } while (stream->Read(&request));
  outbox.Close();
  sender.join();  // every answer given: the writer holds no callback into this stream
  return grpc::Status::OK;
}

grpc::Status Service::ApplyAtomic(
    const std::string& peer, rpc::ApplyRequest request,
    grpc::ServerReaderWriter<rpc::ApplyReply, rpc::ApplyRequest>* stream) {
  std::vector<ParsedCommand> commands;
  std::vector<std::optional<std::string>> refusals;  // an answer of its own, or nullopt
  size_t line_number = 0;
  do {
    std::set<uint32_t> oversized(request.oversized().begin(), request.oversized().end());
    for (int i = 0; i < request.lines_size(); ++i) {
      ParsedCommand parsed;
      if (!PrepareInputLine(request.lines(i), oversized.contains(static_cast<uint32_t>(i)),
                            ++line_number, &parsed, peer)) {
        continue;
      }
      commands.push_back(std::move(parsed));
      if (commands.size() > kAtomicCommandsMax) {
        rpc::ApplyReply reply;
        CommandResult result;
        result.status = Status::InvalidArgument(
            "line " + std::to_string(line_number) + ": more than " +
            std::to_string(kAtomicCommandsMax) +
            " commands in one --atomic unit; nothing was written: split the file");
        reply.add_results(ResultLine(result));
        reply.set_exit_code(1);
        stream->Write(reply);
        return grpc::Status::OK;
      }
    }
  } while (stream->Read(&request));
  std::promise<rpc::ApplyReply> answered;
  std::vector<std::string> operations;
  for (const ParsedCommand& parsed : commands) operations.push_back(OperationOfLine(parsed));
  AtomicJob job{std::move(commands), [&](std::vector<CommandResult> results, int code) {
                  rpc::ApplyReply reply;
                  for (size_t i = 0; i < results.size(); ++i) {
                    const Code refused = results[i].status.code();
                    if (refused != Code::kOk && refused != Code::kNotCommitted) {
                      refusals_->Note(peer, operations[i], std::string(CodeName(refused)));
                    }
                    reply.add_results(ResultLine(results[i]));
                  }
                  reply.set_exit_code(code);
                  answered.set_value(std::move(reply));
                }};
  if (!writer_->SubmitAtomic(std::move(job))) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "RESOURCE_EXHAUSTED: the server has too many commands waiting: nothing "
                        "was recorded; send the file again");
  }
  stream->Write(answered.get_future().get());
  return grpc::Status::OK;
}

std::string Service::Scratch(const char* what) {
  return scratch_ + "/" + std::to_string(++scratch_files_) + "-" + what;
}

// The client's arguments with the server's own files in place of the client's: the statement it
// sent, and a file of the server's for the one a command writes. Refuses what would choose
// another ledger or touch the server's disk.
Result<std::vector<std::string>> Service::ServedArgs(const rpc::RunRequest& request,
                                                     const std::string& input,
                                                     const std::string& output,
                                                     std::string* output_given) {
  std::vector<std::string> args(request.args().begin(), request.args().end());
  std::string command;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--lang") ++i;
    if (arg.starts_with("-")) continue;
    command = arg;
    break;
  }
  if (!Served().contains(command)) {
    return Status::InvalidArgument(
        command.empty() ? std::string("no command given")
                        : "caseledgerd does not run `" + command +
                              "`: apply goes through its own call; calc, check-proof, import and "
                              "bench run on the client's machine");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    for (const char* flag : {"--db", "--server", "--tls-", "--server-ca", "--file"}) {
      if (arg.starts_with(flag)) {
        return Status::InvalidArgument(arg +
                                       " is not taken by caseledgerd: it serves one ledger, "
                                       "and reads no file of its own disk for a client");
      }
    }
    if (arg == "-o" || arg == "--output" || arg == "--html") {
      if (i + 1 >= args.size()) break;  // the parser says what is missing
      *output_given = args[i + 1];
      args[++i] = output;
    } else if (arg.starts_with("--output=") || arg.starts_with("--html=")) {
      *output_given = arg.substr(arg.find('=') + 1);
      args[i] = arg.substr(0, arg.find('=') + 1) + output;
    } else if (arg.starts_with("-o")) {
      return Status::InvalidArgument("give the output file as -o FILE");
    }
  }
  if (request.input_arg() >= 0) {
    if (command != "reconcile" || static_cast<size_t>(request.input_arg()) >= args.size()) {
      return Status::InvalidArgument("only reconcile takes a file from the client");
    }
    args[static_cast<size_t>(request.input_arg())] = input;
  }
  return args;
}

grpc::Status Service::Run(grpc::ServerContext* context, const rpc::RunRequest* request,
                          grpc::ServerWriter<rpc::RunReply>* writer) {
  Result<std::string> peer = Peer(context);
  if (!peer.ok()) return Refuse(peer.status());
  const std::string input = Scratch("input");
  const std::string output = Scratch("output");
  std::string output_given;
  Result<std::vector<std::string>> args = ServedArgs(*request, input, output, &output_given);
  if (!args.ok()) return Refuse(args.status());
  cli::Globals globals;
  globals.db = options_.db;
  globals.open_snapshot = [this] { return ledger_->OpenSnapshot(); };
  std::vector<std::pair<std::string, std::string>> names = {{output, output_given}};
  if (request->input_arg() >= 0) {
    std::ofstream(input, std::ios::binary) << request->input();
    globals.served_input = input;
    names.emplace_back(input, request->args(request->input_arg()));
  }
  ReplySink sink(writer, std::move(names));
  int code = 0;
  {
    cli::ScopedSink scoped(&sink);
    code = cli::RunServed(*args, globals);
  }
  sink.Flush();
  std::ifstream written(output, std::ios::binary);
  for (std::string piece(kReplyBytes, '\0');
       written.read(piece.data(), kReplyBytes) || written.gcount() > 0;) {
    rpc::RunReply reply;
    reply.set_file(piece.data(), static_cast<size_t>(written.gcount()));
    if (!writer->Write(reply)) break;
  }
  std::error_code ignored;
  std::filesystem::remove(input, ignored);
  std::filesystem::remove(output, ignored);
  rpc::RunReply last;
  last.set_exit_code(code);
  writer->Write(last);
  return grpc::Status::OK;
}

// ---- The server.

class Server::Impl {
 public:
  ServerOptions options;
  std::string address;
  std::string scratch;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<Revocations> revocations;
  std::unique_ptr<Writer> writer;
  std::unique_ptr<Refusals> refusals;
  std::unique_ptr<Service> service;
  std::unique_ptr<grpc::Server> grpc;
  bool stopped = false;
};

namespace {

Result<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(std::string("cannot read the ") + what + " " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerOptions& options,
                                                             std::string* ca) {
  CASELEDGER_ASSIGN_OR_RETURN(std::string cert, ReadFile(options.tls_cert, "certificate"));
  CASELEDGER_ASSIGN_OR_RETURN(std::string key, ReadFile(options.tls_key, "private key"));
  CASELEDGER_ASSIGN_OR_RETURN(*ca, ReadFile(options.client_ca, "client CA"));
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = *ca;
  ssl.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::string ca;
  CASELEDGER_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                              Credentials(options, &ca));
  CASELEDGER_ASSIGN_OR_RETURN(impl->revocations, Revocations::Load(options.crl_dir, ca));
  std::string scratch = (std::filesystem::temp_directory_path() / "caseledgerd-XXXXXX").string();
  if (mkdtemp(scratch.data()) == nullptr) {
    return Status::IoError("cannot make a scratch directory in " +
                           std::filesystem::temp_directory_path().string());
  }
  impl->scratch = scratch;
  CASELEDGER_ASSIGN_OR_RETURN(impl->ledger, Ledger::OpenForWrite(options.db));
  impl->writer = std::make_unique<Writer>(impl->ledger.get(), options.queue_max);
  impl->refusals = std::make_unique<Refusals>(impl->writer.get(),
                                              std::chrono::seconds(options.refusal_window_s));
  impl->service =
      std::make_unique<Service>(impl->ledger.get(), impl->writer.get(), impl->revocations.get(),
                                impl->refusals.get(), impl->options, scratch);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(kMessageBytesMax);
  builder.RegisterService(impl->service.get());
  impl->grpc = builder.BuildAndStart();
  if (impl->grpc == nullptr || port == 0) {
    impl->refusals.reset();
    impl->writer->Stop();
    std::filesystem::remove_all(scratch);
    return Status::IoError("cannot listen on " + options.listen);
  }
  impl->address = options.listen.substr(0, options.listen.rfind(':') + 1) + std::to_string(port);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(0); }

const std::string& Server::address() const { return impl_->address; }

void Server::Shutdown(int grace_ms) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->grpc->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(grace_ms));
  impl_->grpc->Wait();
  impl_->refusals.reset();  // the open windows' refusals, recorded
  impl_->writer->Stop();    // lands and answers what was decided
  impl_->writer.reset();
  impl_->ledger.reset();  // flushed and closed
  std::error_code ignored;
  std::filesystem::remove_all(impl_->scratch, ignored);
}

}  // namespace caseledger::server
