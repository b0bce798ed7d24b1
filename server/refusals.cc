#include "server/refusals.h"

#include <fmt/core.h>

#include <cstdio>
#include <ctime>

namespace caseledger::server {
namespace {

// Now on the court's clock (UTC+8): YYYY-MM-DDTHH:MM:SS+08:00, the day being the ledger's today
// (core/date.h: $CASELEDGER_TODAY when set, as every command's date is checked against it).
std::string CourtTimeNow() {
  const std::time_t now = std::time(nullptr) + 8 * 3600;
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "T%H:%M:%S+08:00", &parts);
  const Result<Date> today = Today();
  return (today.ok() ? today->ToString() : std::string("1970-01-01")) + text;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Refusals::Refusals(Writer* writer, std::chrono::seconds window)
    : writer_(writer), window_(window), started_us_(NowMicros()), thread_([this] { Loop(); }) {}

Refusals::~Refusals() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  thread_.join();
  FlushAll();
}

void Refusals::Note(const std::string& op, const std::string& operation, const std::string& code) {
  // A replica that is not the leader refused nothing of the operator's: the client sends the
  // command to the leader (server/replica.h), and a follower records nothing anyway.
  if (code == CodeName(Code::kNotLeader)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  Window& window = open_[Key(op, operation, code)];
  const std::string now = CourtTimeNow();
  if (window.count++ == 0) {
    window.first_at = now;
    window.opened = std::chrono::steady_clock::now();
  }
  window.last_at = now;
}

void Refusals::FlushAll() { Flush(/*all=*/true); }

void Refusals::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    lock.unlock();
    Flush(/*all=*/false);
    lock.lock();
  }
}

void Refusals::Flush(bool all) {
  std::map<Key, Window> closed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = open_.begin(); it != open_.end();) {
      if (all || now - it->second.opened >= window_) {
        closed.insert(open_.extract(it++));
      } else {
        ++it;
      }
    }
  }
  for (const auto& [key, window] : closed) Record(key, window);
}

// Submitted as the server's own command (Origin kServer); its result is only logged: a refusal
// that cannot be recorded must not stop the server.
void Refusals::Record(const Key& key, const Window& window) {
  const auto& [op, operation, code] = key;
  ParsedCommand parsed;
  pb::Command& command = parsed.command;
  command.set_request_id(fmt::format("refusal-{}-{}", started_us_, ++recorded_));
  command.set_operator_("caseledgerd");
  command.set_on(window.last_at.substr(0, 10));
  pb::Refusal* refusal = command.mutable_refusal();
  refusal->set_operator_(op);
  refusal->set_op(operation);
  refusal->set_code(code);
  refusal->set_count(static_cast<int32_t>(window.count));
  refusal->set_first_at(window.first_at);
  refusal->set_last_at(window.last_at);
  parsed.request_id = command.request_id();
  Job job{std::move(parsed), [](const CommandResult& result) {
            if (!result.status.ok()) {
              std::fprintf(stderr, "caseledgerd: a refusal could not be recorded: %s\n",
                           result.status.ToString().c_str());
            }
          }};
  job.origin = Origin{Origin::Kind::kServer};
  if (!writer_->Submit(std::move(job))) {
    std::fprintf(stderr, "caseledgerd: a refusal could not be recorded: the writer has stopped\n");
  }
}

}  // namespace caseledger::server
