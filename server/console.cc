// The console's transport: cpp-httplib's HTTPS server with the client CA, each request's operator
// read from its peer certificate, the API's JSON in and out, the pages served from memory.
#include "server/console.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <future>
#include <thread>

#include "core/date.h"
#include "core/identifiers.h"
#include "core/json.h"
#include "core/limits.h"
#include "server/calls.h"
#include "server/web_assets.h"

namespace caseledger::server {
namespace {

// No page loads anything but the console's own files (the issue: nothing from the network).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

std::string PeerPem(const SSL* ssl) {
  if (ssl == nullptr) return "";
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  BIO* bio = BIO_new(BIO_s_mem());
  std::string pem;
  if (bio != nullptr && PEM_write_bio_X509(bio, cert) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size > 0) pem.assign(data, static_cast<size_t>(size));
  }
  BIO_free(bio);
  X509_free(cert);
  return pem;
}

// {"ok": false, "error": {code, message}}: what a reading command prints with --json.
std::string ErrorJson(const Status& status) {
  json::Writer w;
  w.BeginObject().Key("ok").Bool(false).Key("error").BeginObject();
  w.Key("code").String(CodeName(status.code())).Key("message").String(status.message());
  return w.EndObject().EndObject().str();
}

void Refuse(httplib::Response& response, int http_status, const Status& status) {
  response.status = http_status;
  response.set_content(ErrorJson(status), "application/json; charset=utf-8");
}

// A reading command's output, gathered whole: the console answers once.
class Gathered : public RunReplies {
 public:
  bool Send(std::string out, std::string err) override {
    out_ += out;
    err_ += err;
    return true;
  }
  bool SendFile(std::string piece) override {
    file_ += piece;
    has_file_ = true;
    return true;
  }
  std::string out_, err_, file_;
  bool has_file_ = false;
};

// The arguments of a JSON array of strings; INVALID_ARGUMENT naming `path` otherwise.
Result<std::vector<std::string>> Strings(const json::Value* value, const char* path) {
  if (value == nullptr || !value->is_array()) {
    return Status::InvalidArgument(std::string(path) + ": an array of strings is required");
  }
  std::vector<std::string> strings;
  for (const json::Value& item : value->items) {
    if (!item.is_string()) {
      return Status::InvalidArgument(std::string(path) + ": every item must be a string");
    }
    strings.push_back(item.text);
  }
  return strings;
}

Status OnlyKeys(const json::Value& body, std::initializer_list<std::string_view> keys) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : body.members) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return Status::InvalidArgument("unknown key " + key);
    }
  }
  return Status::Ok();
}

}  // namespace

class Console::Impl {
 public:
  Impl(Calls* calls, const ServerOptions& options)
      : calls_(calls),
        server_(options.tls_cert.c_str(), options.tls_key.c_str(), options.client_ca.c_str()) {}

  Status Listen(const std::string& listen);
  void Routes();
  void Stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

  std::string address_;

 private:
  struct Who {
    std::string name;
    std::set<std::string> roles;
    bool roles_set = false;
  };
  Result<Who> Operator(const httplib::Request& request);
  Result<Who> WithRoles(std::string name);
  void Me(const httplib::Request& request, httplib::Response& response);
  void Run(const httplib::Request& request, httplib::Response& response);
  void Apply(const httplib::Request& request, httplib::Response& response);
  std::vector<std::string> ApplyLines(const std::string& peer,
                                      const std::vector<std::string>& lines);
  Result<std::vector<std::string>> ApplyAtomic(const std::string& peer,
                                               const std::vector<std::string>& lines,
                                               int* exit_code);

  Calls* calls_;
  httplib::SSLServer server_;
  std::thread thread_;
};

Status Console::Impl::Listen(const std::string& listen) {
  if (!server_.is_valid()) {
    return Status::IoError(
        "the console cannot use the TLS files (--tls-cert, --tls-key, "
        "--client-ca)");
  }
  // A certificate of the client CA is required in the handshake, as gRPC requires it.
  SSL_CTX_set_verify(server_.ssl_context(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     nullptr);
  SSL_CTX_set_min_proto_version(server_.ssl_context(), TLS1_2_VERSION);
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--console needs HOST:PORT");
  const std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    return Status::InvalidArgument("--console needs HOST:PORT");
  }
  if (port == 0) {
    port = server_.bind_to_any_port(host);
  } else if (!server_.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) return Status::IoError("the console cannot listen on " + listen);
  address_ = host + ":" + std::to_string(port);
  server_.set_payload_max_length(kConsoleBodyBytesMax);
  server_.set_keep_alive_timeout(2);  // SIGTERM waits for idle connections this long at most
  Routes();
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return Status::Ok();
}

void Console::Impl::Routes() {
  server_.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                               {"X-Content-Type-Options", "nosniff"},
                               {"Cache-Control", "no-store"}});
  server_.Get("/api/me", [this](const auto& q, auto& r) { Me(q, r); });
  server_.Post("/api/run", [this](const auto& q, auto& r) { Run(q, r); });
  server_.Post("/api/apply", [this](const auto& q, auto& r) { Apply(q, r); });
  server_.Get(
      R"(/[a-z0-9_.\-]*)", [this](const httplib::Request& request, httplib::Response& response) {
        // Even the pages need an operator of the CA not revoked: they name the operator.
        Result<Who> who = Operator(request);
        if (!who.ok()) return Refuse(response, 403, who.status());
        const std::string path = request.path == "/" ? "/index.html" : request.path;
        for (const WebAsset& asset : WebAssets()) {
          if (path == asset.path) {
            return response.set_content(asset.bytes.data(), asset.bytes.size(), asset.content_type);
          }
        }
        Refuse(response, 404, Status::UnknownReference("no page " + request.path));
      });
}

// The operator of the request's certificate, with the roles the ledger gives it.
Result<Console::Impl::Who> Console::Impl::Operator(const httplib::Request& request) {
  const std::string pem = PeerPem(request.ssl);
  if (pem.empty()) return Status(Code::kNotPermitted, "no client certificate");
  CASELEDGER_ASSIGN_OR_RETURN(std::string name, calls_->Operator(pem));
  return WithRoles(std::move(name));
}

Result<Console::Impl::Who> Console::Impl::WithRoles(std::string name) {
  Who who{std::move(name), {}, false};
  Gathered gathered;
  RunCall roles_call;
  roles_call.peer = who.name;
  roles_call.args = {"--json", "approvals", "--roles"};
  CASELEDGER_ASSIGN_OR_RETURN(int code, calls_->Run(roles_call, &gathered));
  if (code != 0) return Status::IoError("the roles cannot be read: " + gathered.out_);
  CASELEDGER_ASSIGN_OR_RETURN(json::Value roles, json::Parse(gathered.out_));
  const json::Value* operators = roles.Find("roles");
  if (operators == nullptr || !operators->is_array()) return Status::IoError("no roles read");
  who.roles_set = !operators->items.empty();
  for (const json::Value& entry : operators->items) {
    const json::Value* op = entry.Find("operator");
    if (op == nullptr || !SameOperator(op->text, who.name)) continue;
    CASELEDGER_ASSIGN_OR_RETURN(std::vector<std::string> held,
                                Strings(entry.Find("roles"), "roles"));
    who.roles.insert(held.begin(), held.end());
  }
  return who;
}

void Console::Impl::Me(const httplib::Request& request, httplib::Response& response) {
  Result<Who> who = Operator(request);
  if (!who.ok()) return Refuse(response, 403, who.status());
  const Masking masking = MaskingFor(who->roles);
  json::Writer w;
  w.BeginObject().Key("operator").String(who->name).Key("roles").BeginArray();
  for (const std::string& role : who->roles) w.String(role);
  w.EndArray().Key("roles_set").Bool(who->roles_set);
  w.Key("sees_id_numbers").Bool(!masking.id_numbers).Key("sees_accounts").Bool(!masking.accounts);
  // The ledger's today (China Standard Time, or $CASELEDGER_TODAY): the pages' default `on`.
  Result<Date> today = Today();
  w.Key("today").OptionalString(today.ok() ? std::optional(today->ToString()) : std::nullopt);
  response.set_content(w.EndObject().str(), "application/json; charset=utf-8");
}

// POST /api/run {args, input?, input_arg?}: a reading command, gated and masked by role.
void Console::Impl::Run(const httplib::Request& request, httplib::Response& response) {
  Result<Who> who = Operator(request);
  if (!who.ok()) return Refuse(response, 403, who.status());
  Result<json::Value> body = json::Parse(request.body);
  Status shape = body.ok() ? OnlyKeys(*body, {"args", "input", "input_arg"}) : body.status();
  RunCall call;
  call.peer = who->name;  // `reconcile --record` records as the certificate's operator
  if (shape.ok()) {
    Result<std::vector<std::string>> args = Strings(body->Find("args"), "args");
    shape = args.status();
    if (args.ok()) call.args = std::move(*args);
  }
  if (shape.ok() && body->Find("input") != nullptr) {
    const json::Value* input = body->Find("input");
    const json::Value* input_arg = body->Find("input_arg");
    if (!input->is_string() || input_arg == nullptr || !input_arg->is_number()) {
      shape = Status::InvalidArgument("input needs a string and input_arg its argument's index");
    } else {
      call.input = input->text;
      call.input_arg = std::atoi(input_arg->text.c_str());
    }
  }
  if (!shape.ok()) return Refuse(response, 400, shape);
  if (Status gate = ConsoleGate(call.args, who->roles, who->roles_set); !gate.ok()) {
    return Refuse(response, 403, gate);
  }
  Gathered gathered;
  Result<int> code = calls_->Run(call, &gathered);
  if (!code.ok()) return Refuse(response, 400, code.status());
  const Masking masking = MaskingFor(who->roles);
  // The auditors' files (an export, a proof) are the record itself, checked byte for byte.
  const bool auditor_file = who->roles.contains("auditor") || !who->roles_set;
  json::Writer w;
  w.BeginObject().Key("exit_code").Int(*code);
  w.Key("out").String(MaskOutput(gathered.out_, masking));
  w.Key("err").String(MaskOutput(gathered.err_, masking)).Key("file");
  if (gathered.has_file_) {
    w.String(auditor_file ? gathered.file_ : MaskOutput(gathered.file_, masking));
  } else {
    w.Null();
  }
  response.set_content(w.EndObject().str(), "application/json; charset=utf-8");
}

std::vector<std::string> Console::Impl::ApplyLines(const std::string& peer,
                                                   const std::vector<std::string>& lines) {
  std::vector<std::future<std::string>> answers;
  size_t line_number = 0;
  for (const std::string& line : lines) {
    std::optional<ParsedCommand> parsed =
        calls_->ReadLine(peer, line, line.size() > kLineBytesMax, ++line_number);
    if (!parsed) continue;  // a blank line has no answer
    auto promise = std::make_shared<std::promise<std::string>>();
    answers.push_back(promise->get_future());
    calls_->Submit(peer, std::move(*parsed),
                   [promise](std::string result) { promise->set_value(std::move(result)); });
  }
  std::vector<std::string> results;
  for (auto& answer : answers) results.push_back(answer.get());
  return results;
}

Result<std::vector<std::string>> Console::Impl::ApplyAtomic(const std::string& peer,
                                                            const std::vector<std::string>& lines,
                                                            int* exit_code) {
  AtomicUnit unit;
  for (const std::string& line : lines) {
    if (std::optional<std::string> refused =
            calls_->AddAtomicLine(peer, line, line.size() > kLineBytesMax, &unit)) {
      *exit_code = 1;
      return std::vector<std::string>{*refused};
    }
  }
  std::promise<std::pair<std::vector<std::string>, int>> answered;
  if (!calls_->ApplyAtomic(peer, std::move(unit), [&](std::vector<std::string> results, int code) {
        answered.set_value({std::move(results), code});
      })) {
    return Status(Code::kResourceExhausted,
                  "the server has too many commands waiting: nothing was recorded; send them "
                  "again");
  }
  auto [results, code] = answered.get_future().get();
  *exit_code = code;
  return results;
}

// POST /api/apply: {lines: [...], atomic?: bool}, or the lines themselves as
// application/x-ndjson (?atomic=1), answered with apply's result lines and exit code.
void Console::Impl::Apply(const httplib::Request& request, httplib::Response& response) {
  Result<Who> who = Operator(request);
  if (!who.ok()) return Refuse(response, 403, who.status());
  std::vector<std::string> lines;
  bool atomic = request.get_param_value("atomic") == "1";
  if (request.get_header_value("Content-Type").starts_with("application/x-ndjson")) {
    for (size_t at = 0; at < request.body.size();) {
      const size_t end = std::min(request.body.find('\n', at), request.body.size());
      lines.push_back(request.body.substr(at, end - at));
      at = end + 1;
    }
  } else {
    Result<json::Value> body = json::Parse(request.body);
    Status shape = body.ok() ? OnlyKeys(*body, {"lines", "atomic"}) : body.status();
    Result<std::vector<std::string>> given = shape.ok() ? Strings(body->Find("lines"), "lines")
                                                        : Result<std::vector<std::string>>(shape);
    if (!given.ok()) return Refuse(response, 400, given.status());
    lines = std::move(*given);
    const json::Value* flag = body->Find("atomic");
    if (flag != nullptr && !flag->is_bool()) {
      return Refuse(response, 400, Status::InvalidArgument("atomic: true or false"));
    }
    atomic = flag != nullptr && flag->boolean;
  }
  if (!atomic && lines.size() > kConsoleApplyLinesMax) {
    return Refuse(response, 400,
                  Status::InvalidArgument("more than " + std::to_string(kConsoleApplyLinesMax) +
                                          " lines in one request: nothing was recorded; split "
                                          "them"));
  }
  int exit_code = 0;
  Result<std::vector<std::string>> results =
      atomic ? ApplyAtomic(who->name, lines, &exit_code)
             : Result<std::vector<std::string>>(ApplyLines(who->name, lines));
  if (!results.ok()) return Refuse(response, 503, results.status());
  json::Writer w;
  w.BeginObject().Key("results").BeginArray();
  for (const std::string& line : *results) {
    Result<json::Value> result = json::Parse(line);
    if (!result.ok()) return Refuse(response, 500, result.status());
    if (const json::Value* ok = result->Find("ok"); ok != nullptr && !ok->boolean) exit_code = 1;
    w.Write(*result);
  }
  w.EndArray().Key("exit_code").Int(exit_code);
  response.set_content(w.EndObject().str(), "application/json; charset=utf-8");
}

// ---- The console.

Result<std::unique_ptr<Console>> Console::Start(Calls* calls, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(calls, options);
  CASELEDGER_RETURN_IF_ERROR(impl->Listen(options.console));
  return std::unique_ptr<Console>(new Console(std::move(impl)));
}

Console::Console(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Console::~Console() { Stop(); }

const std::string& Console::address() const { return impl_->address_; }

void Console::Stop() { impl_->Stop(); }

}  // namespace caseledger::server
