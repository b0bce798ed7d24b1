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

#include "server/calls.h"
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

class Service final : public rpc::CaseLedger::Service {
 public:
  Service(Calls* calls, const ServerOptions& options) : calls_(calls), options_(options) {}

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

  Calls* calls_;
  const ServerOptions& options_;
};

Result<std::string> Service::Peer(grpc::ServerContext* context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context->auth_context();
  if (auth == nullptr) return Status(Code::kNotPermitted, "no client certificate");
  const std::vector<grpc::string_ref> pems =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return Status(Code::kNotPermitted, "no client certificate");
  return calls_->Operator(std::string(pems.front().data(), pems.front().size()));
}

void Service::ApplyLines(const std::string& peer, const rpc::ApplyRequest& request,
                         size_t* line_number, Outbox* outbox) {
  std::set<uint32_t> oversized(request.oversized().begin(), request.oversized().end());
  for (int i = 0; i < request.lines_size(); ++i) {
    std::optional<ParsedCommand> parsed = calls_->ReadLine(
        peer, request.lines(i), oversized.contains(static_cast<uint32_t>(i)), ++*line_number);
    if (!parsed) continue;  // a blank line has no answer
    const uint64_t slot = outbox->Reserve();
    calls_->Submit(peer, std::move(*parsed),
                   [outbox, slot](std::string line) { outbox->Fill(slot, std::move(line)); });
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
  AtomicUnit unit;
  do {
    std::set<uint32_t> oversized(request.oversized().begin(), request.oversized().end());
    for (int i = 0; i < request.lines_size(); ++i) {
      std::optional<std::string> refused = calls_->AddAtomicLine(
          peer, request.lines(i), oversized.contains(static_cast<uint32_t>(i)), &unit);
      if (refused) {
        rpc::ApplyReply reply;
        reply.add_results(std::move(*refused));
        reply.set_exit_code(1);
        stream->Write(reply);
        return grpc::Status::OK;
      }
    }
  } while (stream->Read(&request));
  std::promise<rpc::ApplyReply> answered;
  const bool queued =
      calls_->ApplyAtomic(peer, std::move(unit), [&](std::vector<std::string> lines, int code) {
        rpc::ApplyReply reply;
        for (std::string& line : lines) reply.add_results(std::move(line));
        reply.set_exit_code(code);
        answered.set_value(std::move(reply));
      });
  if (!queued) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "RESOURCE_EXHAUSTED: the server has too many commands waiting: nothing "
                        "was recorded; send the file again");
  }
  stream->Write(answered.get_future().get());
  return grpc::Status::OK;
}

grpc::Status Service::Run(grpc::ServerContext* context, const rpc::RunRequest* request,
                          grpc::ServerWriter<rpc::RunReply>* writer) {
  Result<std::string> peer = Peer(context);
  if (!peer.ok()) return Refuse(peer.status());
  RunCall call{
      {request->args().begin(), request->args().end()}, request->input_arg(), request->input()};
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
  impl->calls =
      std::make_unique<Calls>(impl->ledger.get(), impl->writer.get(), impl->revocations.get(),
                              impl->refusals.get(), impl->options, scratch);
  impl->service = std::make_unique<Service>(impl->calls.get(), impl->options);
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
