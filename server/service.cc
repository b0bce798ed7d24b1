// caseledgerd's calls: Apply (commands in, results out, through the one writer) and Run (a
// reading command on a snapshot, through the same code as the command line).
#include <absl/synchronization/mutex.h>
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

#include "server/calls.h"
#include "server/console.h"
#include "server/replica.h"
#include "server/server.h"
#include "service.grpc.pb.h"

namespace caseledger::server {
namespace {

constexpr int kMessageBytesMax = 256 << 20;  // a statement sent to `reconcile`

grpc::Status Refuse(const Status& status) {
  const grpc::StatusCode code = status.code() == Code::kNotPermitted
                                    ? grpc::StatusCode::PERMISSION_DENIED
                                    : grpc::StatusCode::INVALID_ARGUMENT;
  return grpc::Status(code, std::string(CodeName(status.code())) + ": " + status.message());
}

// One Apply stream on gRPC's callback API: no thread of its own. Its lines go to the writer as
// they are read; their answers are sent in the order of the lines whatever order they come in,
// one write at a time; with `max` unanswered it stops reading until answers go out, so that one
// client cannot fill the server's memory. It finishes once every line is answered (the client
// gone or not), so no answer outlives the stream.
class ApplyReactor final : public grpc::ServerBidiReactor<rpc::ApplyRequest, rpc::ApplyReply> {
 public:
  ApplyReactor(Calls* calls, grpc::CallbackServerContext* context, Result<std::string> peer,
               size_t max)
      : calls_(calls), context_(context), max_(max) {
    if (!peer.ok()) {
      Finish(Refuse(peer.status()));
      return;
    }
    peer_ = std::move(*peer);
    StartRead(&request_);
  }
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override {
    { std::lock_guard<std::mutex> lock(mutex_); }  // a writer's thread that finished has left
    delete this;
  }

 private:
  void TakeLines();
  void TakeAtomicLines();
  void SubmitAtomic();
  void Answered(uint64_t slot, std::string line);
  // With the lock held: starts the next write, reads on when there is room, finishes when done.
  void Advance();

  Calls* const calls_;
  grpc::CallbackServerContext* const context_;
  const size_t max_;
  std::string peer_;
  rpc::ApplyRequest request_;
  size_t line_number_ = 0;
  bool first_ = true;
  bool atomic_ = false;
  AtomicUnit unit_;

  std::mutex mutex_;
  std::map<uint64_t, std::string> ready_;
  uint64_t next_slot_ = 0;
  uint64_t next_send_ = 0;
  rpc::ApplyReply reply_;
  bool writing_ = false;
  bool reading_ = true;      // a read is started, or about to be
  bool reads_done_ = false;  // the client sent its last line (or left)
  bool broken_ = false;      // a write failed: the client is gone
  bool finished_ = false;
};

void ApplyReactor::OnReadDone(bool ok) {
  if (!ok) {
    std::lock_guard<std::mutex> lock(mutex_);
    reading_ = false;
    reads_done_ = true;
    if (atomic_ && !finished_ && context_->IsCancelled()) {
      // The client left before its last line: a cut unit is not the file it sent. Nothing.
      finished_ = true;
      Finish(grpc::Status::CANCELLED);
      return;
    }
    if (atomic_ && !finished_) {
      SubmitAtomic();
      return;
    }
    Advance();
    return;
  }
  if (first_) atomic_ = request_.atomic();  // the first message says what the stream is
  first_ = false;
  if (atomic_) {
    TakeAtomicLines();
    return;
  }
  TakeLines();
  std::lock_guard<std::mutex> lock(mutex_);
  reading_ = false;
  Advance();
}

void ApplyReactor::TakeLines() {
  std::set<uint32_t> oversized(request_.oversized().begin(), request_.oversized().end());
  for (int i = 0; i < request_.lines_size(); ++i) {
    std::optional<ParsedCommand> parsed = calls_->ReadLine(
        peer_, request_.lines(i), oversized.contains(static_cast<uint32_t>(i)), ++line_number_);
    if (!parsed) continue;  // a blank line has no answer
    uint64_t slot = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slot = next_slot_++;
    }
    calls_->Submit(peer_, std::move(*parsed),
                   [this, slot](std::string line) { Answered(slot, std::move(line)); });
  }
}

void ApplyReactor::TakeAtomicLines() {
  std::set<uint32_t> oversized(request_.oversized().begin(), request_.oversized().end());
  for (int i = 0; i < request_.lines_size(); ++i) {
    std::optional<std::string> refused = calls_->AddAtomicLine(
        peer_, request_.lines(i), oversized.contains(static_cast<uint32_t>(i)), &unit_);
    if (refused) {  // too long: answered at once, the rest of the stream unread
      std::lock_guard<std::mutex> lock(mutex_);
      reading_ = false;
      reads_done_ = true;
      reply_.add_results(std::move(*refused));
      reply_.set_exit_code(1);
      writing_ = true;
      StartWrite(&reply_);
      return;
    }
  }
  StartRead(&request_);
}

// With the lock held, after the last line of an --atomic unit.
void ApplyReactor::SubmitAtomic() {
  const bool queued = calls_->ApplyAtomic(peer_, std::move(unit_),
                                          [this](std::vector<std::string> lines, int code) {
                                            std::lock_guard<std::mutex> lock(mutex_);
                                            for (std::string& line : lines)
                                              reply_.add_results(std::move(line));
                                            reply_.set_exit_code(code);
                                            writing_ = true;
                                            StartWrite(&reply_);
                                          });
  if (!queued) {
    finished_ = true;
    Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "RESOURCE_EXHAUSTED: the server has too many commands waiting: nothing "
                        "was recorded; send the file again"));
    return;
  }
  writing_ = true;  // until the unit's answer is written
}

void ApplyReactor::Answered(uint64_t slot, std::string line) {
  std::lock_guard<std::mutex> lock(mutex_);
  ready_.emplace(slot, std::move(line));
  Advance();
}

void ApplyReactor::OnWriteDone(bool ok) {
  std::lock_guard<std::mutex> lock(mutex_);
  writing_ = false;
  if (!ok) broken_ = true;
  if (atomic_) {
    finished_ = true;
    Finish(grpc::Status::OK);
    return;
  }
  Advance();
}

void ApplyReactor::Advance() {
  if (finished_ || atomic_) return;
  if (broken_) {  // the client is gone: its answers are dropped as they come
    while (ready_.contains(next_send_)) ready_.erase(next_send_++);
  } else if (!writing_ && ready_.contains(next_send_)) {
    reply_.Clear();
    size_t bytes = 0;
    while (ready_.contains(next_send_) && bytes < kReplyBytes) {
      auto node = ready_.extract(next_send_++);
      bytes += node.mapped().size();
      reply_.add_results(std::move(node.mapped()));
    }
    writing_ = true;
    StartWrite(&reply_);
  }
  if (!reading_ && !reads_done_ && next_slot_ - next_send_ < max_) {
    reading_ = true;
    StartRead(&request_);
  }
  if (reads_done_ && !writing_ && next_send_ == next_slot_ && ready_.empty()) {
    finished_ = true;
    Finish(grpc::Status::OK);
  }
}

// A Run call's output, as the stream's replies.
class StreamReplies : public RunReplies {
 public:
  explicit StreamReplies(grpc::ServerWriter<rpc::RunReply>* writer) : writer_(writer) {}
  bool Send(std::string out, std::string err) override {
    rpc::RunReply reply;
    reply.set_out(std::move(out));
    reply.set_err(std::move(err));
    return writer_->Write(reply);
  }
  bool SendFile(std::string piece) override {
    rpc::RunReply reply;
    reply.set_file(std::move(piece));
    return writer_->Write(reply);
  }

 private:
  grpc::ServerWriter<rpc::RunReply>* writer_;
};

}  // namespace

// Apply on gRPC's callback API (server/service.cc's ApplyReactor); Run, which runs a command to
// its end, on a thread of the synchronous API.
class Service final : public rpc::CaseLedger::WithCallbackMethod_Apply<rpc::CaseLedger::Service> {
 public:
  Service(Calls* calls, const ServerOptions& options) : calls_(calls), options_(options) {}

  grpc::ServerBidiReactor<rpc::ApplyRequest, rpc::ApplyReply>* Apply(
      grpc::CallbackServerContext* context) override {
    return new ApplyReactor(calls_, context, Peer(context), options_.stream_in_flight_max);
  }
  grpc::Status Run(grpc::ServerContext* context, const rpc::RunRequest* request,
                   grpc::ServerWriter<rpc::RunReply>* writer) override;

 private:
  Result<std::string> Peer(grpc::ServerContextBase* context);

  Calls* calls_;
  const ServerOptions& options_;
};

Result<std::string> Service::Peer(grpc::ServerContextBase* context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context->auth_context();
  if (auth == nullptr) return Status(Code::kNotPermitted, "no client certificate");
  const std::vector<grpc::string_ref> pems =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return Status(Code::kNotPermitted, "no client certificate");
  return calls_->Operator(std::string(pems.front().data(), pems.front().size()));
}

grpc::Status Service::Run(grpc::ServerContext* context, const rpc::RunRequest* request,
                          grpc::ServerWriter<rpc::RunReply>* writer) {
  Result<std::string> peer = Peer(context);
  if (!peer.ok()) return Refuse(peer.status());
  RunCall call{*peer,
               {request->args().begin(), request->args().end()},
               request->input_arg(),
               request->input()};
  StreamReplies replies(writer);
  Result<int> code = calls_->Run(call, &replies);
  if (!code.ok()) return Refuse(code.status());
  rpc::RunReply last;
  last.set_exit_code(*code);
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
  std::unique_ptr<Calls> calls;
  std::unique_ptr<Service> service;
  std::unique_ptr<grpc::Server> grpc;
  std::unique_ptr<Console> console;  // ServerOptions::console's, beside the gRPC transport
  std::unique_ptr<Replica> replica;  // ServerOptions::etcd's
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
  // gRPC's mutexes check for deadlock cycles in Debian's build of Abseil: a tenth of the
  // server's CPU under load, and a check for gRPC's developers, not for a court.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
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
  impl->calls =
      std::make_unique<Calls>(impl->ledger.get(), impl->writer.get(), impl->revocations.get(),
                              impl->refusals.get(), impl->options, scratch);
  impl->service = std::make_unique<Service>(impl->calls.get(), impl->options);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(kMessageBytesMax);
  // No bandwidth-delay probes: a PING for each burst of data read, answered by the client, for
  // a window that one-command messages never fill; with them, a third more CPU per command.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.RegisterService(impl->service.get());
  impl->grpc = builder.BuildAndStart();
  if (impl->grpc == nullptr || port == 0) {
    impl->refusals.reset();
    impl->writer->Stop();
    std::filesystem::remove_all(scratch);
    return Status::IoError("cannot listen on " + options.listen);
  }
  impl->address = options.listen.substr(0, options.listen.rfind(':') + 1) + std::to_string(port);
  if (!options.etcd.empty()) {
    ReplicaOptions replica{.etcd = options.etcd,
                           .name = options.replica_name,
                           .ledger = options.ledger_name,
                           .advertise = impl->address,
                           .lease_ttl_s = options.lease_ttl_s,
                           .append_bytes = options.etcd_append_bytes};
    impl->replica = std::make_unique<Replica>(std::move(replica), impl->writer.get());
    impl->writer->SetReplication(impl->replica.get());
    impl->calls->SetReplicaReport([replica = impl->replica.get()] { return replica->Report(); });
    impl->replica->Start();
  }
  auto server = std::unique_ptr<Server>(new Server(std::move(impl)));
  if (!options.console.empty()) {
    Result<std::unique_ptr<Console>> console =
        Console::Start(server->impl_->calls.get(), server->impl_->options);
    if (!console.ok()) {
      server->Shutdown(0);
      return console.status();
    }
    server->impl_->console = std::move(*console);
  }
  return server;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(0); }

const std::string& Server::address() const { return impl_->address; }

std::string Server::console_address() const {
  return impl_->console ? impl_->console->address() : std::string();
}

void Server::Shutdown(int grace_ms) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->console) impl_->console->Stop();  // before the writer: its requests are answered
  impl_->grpc->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(grace_ms));
  impl_->grpc->Wait();
  impl_->refusals.reset();                     // the open windows' refusals, recorded
  impl_->writer->Stop();                       // lands and answers what was decided
  if (impl_->replica) impl_->replica->Stop();  // after the writer: its last groups appended
  impl_->replica.reset();
  impl_->writer.reset();
  impl_->ledger.reset();  // flushed and closed
  std::error_code ignored;
  std::filesystem::remove_all(impl_->scratch, ignored);
}

}  // namespace caseledger::server
