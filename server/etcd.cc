#include "server/etcd.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <charconv>
#include <chrono>
#include <limits>
#include <memory>
#include <utility>

#include "core/json.h"

namespace caseledger::etcd {
namespace {

// An answer longer than this is refused rather than held (a failed read; for a write, an
// unknown outcome). A range that large is to be paged with `limit`; 64 MiB is 40 of etcd's
// largest requests (--max-request-bytes, 1.5 MiB by default).
constexpr size_t kAnswerBytesMax = 64 << 20;

// gRPC status codes (google.golang.org/grpc/codes) that etcd's errors carry.
constexpr int kGrpcCanceled = 1;
constexpr int kGrpcUnknown = 2;
constexpr int kGrpcDeadlineExceeded = 4;
constexpr int kGrpcOutOfRange = 11;
constexpr int kGrpcInternal = 13;
constexpr int kGrpcUnavailable = 14;

// The only UNAVAILABLE error etcd gives before proposing: its gRPC interceptor refuses a request
// carrying the metadata hasleader=true while the member knows of no leader (etcd 3.4
// etcdserver/api/v3rpc/interceptor.go), which this client always sends so that a member cut
// off from the others refuses at once and the next endpoint is tried.
constexpr std::string_view kNoLeader = "etcdserver: no leader";

std::string Base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  text.resize(static_cast<size_t>(n));
  return text;
}

// EVP_DecodeBlock answers whole groups of 3 bytes, the padding's zeros included: they are cut
// off by the count of '=' at the end.
std::optional<std::string> Unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string bytes(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) != bytes.size()) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  bytes.resize(bytes.size() - padding);
  return bytes;
}

// Reads the fields of a gateway answer, keeping the first error. proto3's JSON leaves out every
// field that is zero, false or empty, and writes 64-bit integers as strings.
class Reader {
 public:
  template <typename T>
  T Integer(const json::Value* object, std::string_view name) {
    const json::Value* v = Field(object, name);
    if (v == nullptr) return 0;
    if (!v->is_string() && !v->is_number()) return Fail<T>(name, "is not an integer");
    T n = 0;
    const char* end = v->text.data() + v->text.size();
    const auto [ptr, error] = std::from_chars(v->text.data(), end, n);
    if (error != std::errc() || ptr != end) return Fail<T>(name, "is not an integer");
    return n;
  }
  int64_t Int(const json::Value* object, std::string_view name) {
    return Integer<int64_t>(object, name);
  }
  bool Bool(const json::Value* object, std::string_view name) {
    const json::Value* v = Field(object, name);
    if (v == nullptr) return false;
    return v->is_bool() ? v->boolean : Fail<bool>(name, "is not a boolean");
  }
  std::string Text(const json::Value* object, std::string_view name) {
    const json::Value* v = Field(object, name);
    if (v == nullptr) return {};
    return v->is_string() ? v->text : Fail<std::string>(name, "is not a string");
  }
  std::string Bytes(const json::Value* object, std::string_view name) {
    std::optional<std::string> bytes = Unbase64(Text(object, name));
    return bytes ? *bytes : Fail<std::string>(name, "is not base64");
  }
  // nullptr when absent.
  const json::Value* Object(const json::Value* object, std::string_view name) {
    const json::Value* v = Field(object, name);
    if (v == nullptr || v->is_object()) return v;
    return Fail<const json::Value*>(name, "is not an object");
  }
  // Empty when absent.
  const std::vector<json::Value>& Array(const json::Value* object, std::string_view name) {
    static const std::vector<json::Value> kNone;
    const json::Value* v = Field(object, name);
    if (v == nullptr) return kNone;
    return v->is_array() ? v->items : Fail<const std::vector<json::Value>&>(name, "is not a list");
  }
  const Status& status() const { return status_; }

 private:
  static const json::Value* Field(const json::Value* object, std::string_view name) {
    return object == nullptr ? nullptr : object->Find(name);
  }
  template <typename T>
  T Fail(std::string_view name, std::string_view what) {
    if (status_.ok()) {
      status_ = Status::IoError("etcd answered unreadably: " + std::string(name) + " " +
                                std::string(what));
    }
    if constexpr (std::is_reference_v<T>) {
      static std::remove_cvref_t<T> empty;
      return empty;
    } else {
      return T{};
    }
  }
  Status status_;
};

KeyValue ReadKeyValue(Reader& r, const json::Value* kv) {
  KeyValue out;
  out.key = r.Bytes(kv, "key");
  out.value = r.Bytes(kv, "value");
  out.create_revision = r.Int(kv, "create_revision");
  out.mod_revision = r.Int(kv, "mod_revision");
  out.version = r.Int(kv, "version");
  out.lease = r.Int(kv, "lease");
  return out;
}

std::vector<KeyValue> ReadKeyValues(Reader& r, const json::Value* object, std::string_view name) {
  std::vector<KeyValue> kvs;
  for (const json::Value& kv : r.Array(object, name)) kvs.push_back(ReadKeyValue(r, &kv));
  return kvs;
}

int64_t HeaderRevision(Reader& r, const json::Value* answer) {
  return r.Int(r.Object(answer, "header"), "revision");
}

RangeResult ReadRange(Reader& r, const json::Value* answer) {
  RangeResult out;
  out.kvs = ReadKeyValues(r, answer, "kvs");
  out.more = r.Bool(answer, "more");
  out.count = r.Int(answer, "count");
  out.header_revision = HeaderRevision(r, answer);
  return out;
}

// The answer's JSON object, or IO_ERROR: it was sent and answered, so unreadable is unknown.
Result<json::Value> ParseAnswer(const std::string& body) {
  Result<json::Value> parsed = json::Parse(body);
  if (!parsed.ok())
    return Status::IoError("etcd answered unreadably: " + parsed.status().message());
  if (!parsed->is_object()) return Status::IoError("etcd answered unreadably: not an object");
  return parsed;
}

// Decodes an answer with `read`, failing with the reader's first error.
template <typename T, typename F>
Result<T> Decode(const Result<std::string>& body, F read) {
  if (!body.ok()) return body.status();
  CASELEDGER_ASSIGN_OR_RETURN(const json::Value answer, ParseAnswer(*body));
  Reader r;
  T out = read(r, &answer);
  if (!r.status().ok()) return r.status();
  return out;
}

void WriteRange(json::Writer& w, std::string_view key, std::string_view range_end,
                const RangeOptions& o) {
  w.BeginObject().Key("key").String(Base64(key));
  if (!range_end.empty()) w.Key("range_end").String(Base64(range_end));
  if (o.limit != 0) w.Key("limit").Int(o.limit);
  if (o.revision != 0) w.Key("revision").Int(o.revision);
  if (o.keys_only) w.Key("keys_only").Bool(true);
  if (o.count_only) w.Key("count_only").Bool(true);
  if (o.serializable) w.Key("serializable").Bool(true);
  w.EndObject();
}

void WriteOp(json::Writer& w, const Op& op) {
  w.BeginObject();
  switch (op.kind) {
    case Op::Kind::kPut:
      w.Key("request_put").BeginObject().Key("key").String(Base64(op.key));
      w.Key("value").String(Base64(op.value));
      if (op.lease != 0) w.Key("lease").Int(op.lease);
      if (op.prev_kv) w.Key("prev_kv").Bool(true);
      w.EndObject();
      break;
    case Op::Kind::kDeleteRange:
      w.Key("request_delete_range").BeginObject().Key("key").String(Base64(op.key));
      if (!op.range_end.empty()) w.Key("range_end").String(Base64(op.range_end));
      if (op.prev_kv) w.Key("prev_kv").Bool(true);
      w.EndObject();
      break;
    case Op::Kind::kRange:
      w.Key("request_range");
      WriteRange(w, op.key, op.range_end, op.range);
      break;
  }
  w.EndObject();
}

void WriteCompare(json::Writer& w, const Compare& c) {
  static constexpr const char* kResults[] = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
  static constexpr const char* kTargets[] = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"};
  static constexpr const char* kFields[] = {"version", "create_revision", "mod_revision", "value",
                                            "lease"};
  const auto target = static_cast<size_t>(c.target);
  w.BeginObject().Key("result").String(kResults[static_cast<size_t>(c.result)]);
  w.Key("target").String(kTargets[target]).Key("key").String(Base64(c.key));
  if (c.target == CompareTarget::kValue) {
    w.Key(kFields[target]).String(Base64(c.value));
  } else {
    w.Key(kFields[target]).Int(c.number);
  }
  w.EndObject();
}

OpResult ReadOpResult(Reader& r, const json::Value* response) {
  OpResult out;
  if (const json::Value* put = r.Object(response, "response_put")) {
    out.kind = Op::Kind::kPut;
    if (const json::Value* prev = r.Object(put, "prev_kv")) {
      out.prev_kvs.push_back(ReadKeyValue(r, prev));
    }
  } else if (const json::Value* del = r.Object(response, "response_delete_range")) {
    out.kind = Op::Kind::kDeleteRange;
    out.deleted = r.Int(del, "deleted");
    out.prev_kvs = ReadKeyValues(r, del, "prev_kvs");
  } else {
    out.kind = Op::Kind::kRange;
    out.range = ReadRange(r, r.Object(response, "response_range"));
  }
  return out;
}

// ---- The transport -----------------------------------------------------------------------------

struct Attempt {
  Status status;
  std::string body;
  bool try_next = false;  // surely not applied here, and maybe another endpoint can
};

std::unique_ptr<httplib::Client> Connect(const ClientOptions& o, const std::string& endpoint,
                                         int read_timeout_ms) {
  std::unique_ptr<httplib::Client> client;
  if (o.tls_ca.empty()) {
    client = std::make_unique<httplib::Client>("http://" + endpoint);
  } else {
    client = std::make_unique<httplib::Client>("https://" + endpoint, o.tls_cert, o.tls_key);
    client->set_ca_cert_path(o.tls_ca.c_str());
    client->enable_server_certificate_verification(true);
  }
  const auto timeout = std::chrono::milliseconds(o.timeout_ms);
  client->set_connection_timeout(timeout);
  client->set_write_timeout(timeout);
  client->set_read_timeout(std::chrono::milliseconds(read_timeout_ms));
  return client;
}

httplib::Request MakeRequest(std::string_view path, const std::string& body, bool require_leader) {
  httplib::Request request;
  request.method = "POST";
  request.path = std::string(path);
  request.body = body;
  request.set_header("Content-Type", "application/json");
  // Grpc-Metadata-* headers become gRPC metadata: see kNoLeader.
  if (require_leader) request.set_header("Grpc-Metadata-hasleader", "true");
  return request;
}

// The errors of a request that never reached etcd: connecting or the TLS handshake failed.
bool NothingSent(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return true;
    default:
      return false;
  }
}

// An error answer of the gateway, {"error": ..., "message": ..., "code": <gRPC code>}, as the
// header's conventions say. Nothing when the body is not one (not all of it came).
std::optional<Attempt> EtcdError(const std::string& body) {
  Result<json::Value> parsed = json::Parse(body);
  if (!parsed.ok() || !parsed->is_object()) return std::nullopt;
  Reader r;
  const int code = r.Integer<int>(&*parsed, "code");
  const std::string message = r.Text(&*parsed, "message");
  if (!r.status().ok() || code == 0) return std::nullopt;
  const std::string what = message + " (gRPC code " + std::to_string(code) + ")";
  if (code == kGrpcUnavailable && message == kNoLeader) {
    return Attempt{Status(Code::kNotCommitted, what), {}, true};
  }
  if (code == kGrpcOutOfRange && message.find("compacted") != std::string::npos) {
    return Attempt{Status::InvalidState(what), {}, false};
  }
  for (const int ambiguous :
       {kGrpcCanceled, kGrpcUnknown, kGrpcDeadlineExceeded, kGrpcInternal, kGrpcUnavailable}) {
    if (code == ambiguous) return Attempt{Status::IoError(what), {}, false};
  }
  return Attempt{Status(Code::kNotCommitted, what), {}, false};
}

// POSTs `body` to one endpoint. The answer is taken through a content receiver, not as
// httplib's Response body: the gateway ends its error answers with an HTTP trailer
// (Grpc-Trailer-Content-Type), which cpp-httplib 0.11 does not read, failing the request with
// Error::Read after the whole body has come.
Attempt Post(const ClientOptions& o, const std::string& endpoint, std::string_view path,
             const std::string& body, bool require_leader) {
  std::unique_ptr<httplib::Client> client = Connect(o, endpoint, o.timeout_ms);
  httplib::Request request = MakeRequest(path, body, require_leader);
  int http_status = 0;
  std::string answer;
  request.response_handler = [&](const httplib::Response& response) {
    http_status = response.status;
    return true;
  };
  request.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (answer.size() + n > kAnswerBytesMax) return false;
    answer.append(data, n);
    return true;
  };
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  const bool done = client->send(request, response, error);
  if (done && http_status == 200) return Attempt{Status::Ok(), std::move(answer), false};
  if (http_status != 0 && http_status != 200) {
    if (std::optional<Attempt> refused = EtcdError(answer)) return *refused;
  }
  const std::string what = "HTTP " + std::to_string(http_status) + ", " + httplib::to_string(error);
  if (http_status == 0 && NothingSent(error)) {
    return Attempt{Status(Code::kNotCommitted, "not sent: " + what), {}, true};
  }
  return Attempt{Status::IoError("outcome unknown: " + what), {}, false};
}

// One watch's answer: lines of JSON, each {"result": WatchResponse} or {"error": ...}, the first
// saying the watch was created.
class WatchStream {
 public:
  explicit WatchStream(const std::function<bool(const WatchBatch&)>& on_events)
      : on_events_(on_events) {}

  // Takes the next bytes of the answer; false ends the stream, ended() saying why.
  bool Take(const char* data, size_t n) {
    pending_.append(data, n);
    size_t start = 0;
    for (size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1) {
      if (end > start && !Line(std::string_view(pending_).substr(start, end - start))) return false;
    }
    pending_.erase(0, start);
    if (pending_.size() <= kAnswerBytesMax) return true;
    end_ = Status::IoError("watch answered over " + std::to_string(kAnswerBytesMax) + " bytes");
    return false;
  }
  // Set once the stream ended of itself: OK when the callback asked to stop.
  const std::optional<Status>& ended() const { return end_; }

 private:
  bool End(Status status) {
    end_ = std::move(status);
    return false;
  }
  bool Line(std::string_view line) {
    Result<json::Value> parsed = json::Parse(line);
    if (!parsed.ok()) return End(Status::IoError("watch answered unreadably"));
    Reader r;
    if (const json::Value* error = r.Object(&*parsed, "error")) {
      return End(Status::IoError("watch broke: " + r.Text(error, "message")));
    }
    const json::Value* result = r.Object(&*parsed, "result");
    if (result == nullptr) return End(Status::IoError("watch answered neither result nor error"));
    if (r.Bool(result, "canceled")) {
      const int64_t compacted = r.Int(result, "compact_revision");
      if (compacted != 0) {
        return End(
            Status::InvalidState("etcdserver: mvcc: required revision has been compacted"
                                 " (up to " +
                                 std::to_string(compacted) + ")"));
      }
      return End(Status::IoError("watch canceled: " + r.Text(result, "cancel_reason")));
    }
    if (r.Bool(result, "created")) return true;
    WatchBatch batch;
    batch.header_revision = HeaderRevision(r, result);
    for (const json::Value& event : r.Array(result, "events")) {
      batch.events.push_back(ReadEvent(r, &event));
    }
    if (!r.status().ok()) return End(r.status());
    return on_events_(batch) ? true : End(Status::Ok());
  }
  static Event ReadEvent(Reader& r, const json::Value* event) {
    Event out;
    const std::string type = r.Text(event, "type");
    // PUT is the enum's zero, left out.
    if (type == "DELETE") out.type = Event::Type::kDelete;
    if (type != "" && type != "PUT" && type != "DELETE") r.Int(event, "type");  // fails: unknown
    out.kv = ReadKeyValue(r, r.Object(event, "kv"));
    return out;
  }

  const std::function<bool(const WatchBatch&)>& on_events_;
  std::string pending_;
  std::optional<Status> end_;
};

// One watch on one endpoint. `attach` is told the connection before it is used (false: stopped
// already) and nullptr once it is done with.
Attempt WatchOn(const ClientOptions& o, const std::string& endpoint, const std::string& body,
                WatchStream& stream, const std::function<bool(httplib::Client*)>& attach) {
  std::unique_ptr<httplib::Client> client = Connect(o, endpoint, o.watch_idle_timeout_ms);
  // A member cut off from the leader ends its watches rather than go quiet.
  httplib::Request request = MakeRequest("/v3/watch", body, true);
  int http_status = 0;
  std::string refusal;
  request.response_handler = [&](const httplib::Response& response) {
    http_status = response.status;
    return true;
  };
  request.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (http_status == 200) return stream.Take(data, n);
    refusal.append(data, n);
    return refusal.size() <= kAnswerBytesMax;
  };
  if (!attach(client.get())) return Attempt{};
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  client->send(request, response, error);
  const bool stopped = !attach(nullptr);
  if (stopped) return Attempt{};
  if (stream.ended()) return Attempt{*stream.ended(), {}, false};
  if (http_status != 0 && http_status != 200) {
    if (std::optional<Attempt> refused = EtcdError(refusal)) return *refused;
  }
  const std::string what = "HTTP " + std::to_string(http_status) + ", " + httplib::to_string(error);
  if (http_status == 0 && NothingSent(error)) {
    return Attempt{Status(Code::kNotCommitted, "not sent: " + what), {}, true};
  }
  return Attempt{Status::IoError("watch ended: " + what), {}, false};
}

Status Named(const Status& status, const std::string& endpoint, std::string_view path) {
  return Status(status.code(), "etcd " + endpoint + std::string(path) + ": " + status.message());
}

}  // namespace

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (end.empty()) return std::string(1, '\0');
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

Op Op::Put(std::string key, std::string value, int64_t lease) {
  Op op;
  op.kind = Kind::kPut;
  op.key = std::move(key);
  op.value = std::move(value);
  op.lease = lease;
  return op;
}

Op Op::DeleteRange(std::string key, std::string range_end) {
  Op op;
  op.kind = Kind::kDeleteRange;
  op.key = std::move(key);
  op.range_end = std::move(range_end);
  return op;
}

Op Op::Range(std::string key, std::string range_end, RangeOptions options) {
  Op op;
  op.kind = Kind::kRange;
  op.key = std::move(key);
  op.range_end = std::move(range_end);
  op.range = options;
  return op;
}

Client::Client(ClientOptions options) : options_(std::move(options)) {}

Result<std::string> Client::Call(std::string_view path, const std::string& body, Retry retry,
                                 bool require_leader) const {
  const size_t n = options_.endpoints.size();
  if (n == 0) return Status(Code::kNotCommitted, "etcd: no endpoints");
  const size_t first = preferred_.load();
  Status last;
  for (size_t i = 0; i < n; ++i) {
    const size_t index = (first + i) % n;
    const std::string& endpoint = options_.endpoints[index];
    Attempt attempt = Post(options_, endpoint, path, body, require_leader);
    if (attempt.status.ok()) {
      preferred_.store(index);
      return std::move(attempt.body);
    }
    last = Named(attempt.status, endpoint, path);
    const bool again =
        attempt.try_next || (retry == Retry::kAnyTransportFailure && OutcomeUnknown(last));
    if (!again) return last;
  }
  // Every endpoint refused or was unreachable: for a write that is not applied, as each said.
  return last;
}

Result<RangeResult> Client::Range(std::string_view key, std::string_view range_end,
                                  const RangeOptions& options) const {
  json::Writer w;
  WriteRange(w, key, range_end, options);
  return Decode<RangeResult>(
      Call("/v3/kv/range", w.str(), Retry::kAnyTransportFailure, !options.serializable),
      [](Reader& r, const json::Value* a) { return ReadRange(r, a); });
}

Result<TxnResult> Client::Txn(const std::vector<Compare>& compares, const std::vector<Op>& success,
                              const std::vector<Op>& failure) const {
  json::Writer w;
  w.BeginObject().Key("compare").BeginArray();
  for (const Compare& c : compares) WriteCompare(w, c);
  w.EndArray().Key("success").BeginArray();
  for (const Op& op : success) WriteOp(w, op);
  w.EndArray().Key("failure").BeginArray();
  for (const Op& op : failure) WriteOp(w, op);
  w.EndArray().EndObject();
  return Decode<TxnResult>(Call("/v3/kv/txn", w.str(), Retry::kWhileUnsent),
                           [](Reader& r, const json::Value* a) {
                             TxnResult out;
                             out.succeeded = r.Bool(a, "succeeded");
                             out.header_revision = HeaderRevision(r, a);
                             for (const json::Value& response : r.Array(a, "responses")) {
                               out.responses.push_back(ReadOpResult(r, &response));
                             }
                             return out;
                           });
}

Result<int64_t> Client::Put(std::string_view key, std::string_view value, int64_t lease) const {
  json::Writer w;
  w.BeginObject().Key("key").String(Base64(key)).Key("value").String(Base64(value));
  if (lease != 0) w.Key("lease").Int(lease);
  w.EndObject();
  return Decode<int64_t>(Call("/v3/kv/put", w.str(), Retry::kWhileUnsent), HeaderRevision);
}

Result<int64_t> Client::DeleteRange(std::string_view key, std::string_view range_end) const {
  json::Writer w;
  w.BeginObject().Key("key").String(Base64(key));
  if (!range_end.empty()) w.Key("range_end").String(Base64(range_end));
  w.EndObject();
  return Decode<int64_t>(Call("/v3/kv/deleterange", w.str(), Retry::kWhileUnsent),
                         [](Reader& r, const json::Value* a) { return r.Int(a, "deleted"); });
}

Result<Lease> Client::LeaseGrant(int64_t ttl_s) const {
  json::Writer w;
  w.BeginObject().Key("TTL").Int(ttl_s).EndObject();
  return Decode<Lease>(Call("/v3/lease/grant", w.str(), Retry::kWhileUnsent),
                       [](Reader& r, const json::Value* a) {
                         return Lease{r.Int(a, "ID"), r.Int(a, "TTL")};
                       });
}

// The gateway maps the keep-alive stream to one POST: each JSON object of the body is a request,
// each line of the answer {"result": response}. An unknown or expired lease answers TTL 0.
Result<int64_t> Client::LeaseKeepAliveOnce(int64_t id) const {
  json::Writer w;
  w.BeginObject().Key("ID").Int(id).EndObject();
  return Decode<int64_t>(
      Call("/v3/lease/keepalive", w.str(), Retry::kAnyTransportFailure),
      [](Reader& r, const json::Value* a) { return r.Int(r.Object(a, "result"), "TTL"); });
}

Status Client::LeaseRevoke(int64_t id) const {
  json::Writer w;
  w.BeginObject().Key("ID").Int(id).EndObject();
  return Call("/v3/lease/revoke", w.str(), Retry::kWhileUnsent).status();
}

Status Client::Compact(int64_t revision, bool physical) const {
  json::Writer w;
  w.BeginObject().Key("revision").Int(revision);
  if (physical) w.Key("physical").Bool(true);
  w.EndObject();
  return Call("/v3/kv/compaction", w.str(), Retry::kWhileUnsent).status();
}

// The maintenance answers' own fields are named in camelCase (dbSize, raftIndex): so they are in
// rpc.proto, unlike the header's.
Result<StatusReport> Client::MemberStatus() const {
  return Decode<StatusReport>(
      Call("/v3/maintenance/status", "{}", Retry::kAnyTransportFailure, false),
      [](Reader& r, const json::Value* a) {
        StatusReport out;
        out.member_id = r.Integer<uint64_t>(r.Object(a, "header"), "member_id");
        out.leader_id = r.Integer<uint64_t>(a, "leader");
        out.version = r.Text(a, "version");
        out.db_size_bytes = r.Int(a, "dbSize");
        out.db_size_in_use_bytes = r.Int(a, "dbSizeInUse");
        out.raft_index = r.Integer<uint64_t>(a, "raftIndex");
        out.raft_term = r.Integer<uint64_t>(a, "raftTerm");
        for (const json::Value& e : r.Array(a, "errors")) {
          out.errors.push_back(e.is_string() ? e.text : "?");
        }
        return out;
      });
}

Result<std::vector<Alarm>> Client::Alarms() const {
  // action GET is proto3's zero: the empty request. Listing the alarms goes through raft in
  // etcd 3.4, so it needs a leader as writes do.
  return Decode<std::vector<Alarm>>(
      Call("/v3/maintenance/alarm", "{}", Retry::kAnyTransportFailure),
      [](Reader& r, const json::Value* a) {
        std::vector<Alarm> out;
        for (const json::Value& alarm : r.Array(a, "alarms")) {
          out.push_back({r.Integer<uint64_t>(&alarm, "memberID"), r.Text(&alarm, "alarm")});
        }
        return out;
      });
}

void WatchStop::Stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopped_ = true;
  // httplib's stop() only shuts a socket down while a request is under way on it: again until
  // the watch has let go of its connection, in case it was called just before.
  while (active_ != nullptr) {
    active_->stop();
    done_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

Status Client::Watch(std::string_view key, std::string_view range_end, int64_t start_revision,
                     const std::function<bool(const WatchBatch&)>& on_events,
                     WatchStop* stop) const {
  json::Writer w;
  w.BeginObject().Key("create_request").BeginObject().Key("key").String(Base64(key));
  if (!range_end.empty()) w.Key("range_end").String(Base64(range_end));
  if (start_revision != 0) w.Key("start_revision").Int(start_revision);
  w.Key("progress_notify").Bool(true).EndObject().EndObject();
  // False once `stop` is stopped: then the watch returns OK, whatever ended its connection.
  auto attach = [stop](httplib::Client* client) {
    if (stop == nullptr) return true;
    std::lock_guard<std::mutex> lock(stop->mutex_);
    if (client != nullptr && stop->stopped_) return false;
    stop->active_ = client;
    if (client == nullptr) stop->done_.notify_all();
    return !stop->stopped_;
  };
  const size_t n = options_.endpoints.size();
  if (n == 0) return Status(Code::kNotCommitted, "etcd: no endpoints");
  const size_t first = preferred_.load();
  Status last;
  for (size_t i = 0; i < n; ++i) {
    const std::string& endpoint = options_.endpoints[(first + i) % n];
    WatchStream stream(on_events);
    Attempt attempt = WatchOn(options_, endpoint, w.str(), stream, attach);
    if (attempt.status.ok()) return Status::Ok();
    last = Named(attempt.status, endpoint, "/v3/watch");
    if (!attempt.try_next) return last;
  }
  return last;
}

}  // namespace caseledger::etcd
