// Refused commands, coalesced per operator, operation and error code over a window (60 s), then
// recorded as refusal entries through the writer (SPEC §9): who was refused what, why, how often,
// first and last, without letting anyone flood the log. A crash may lose the open windows'
// refusals, never an accepted command.
#ifndef CASELEDGER_SERVER_REFUSALS_H_
#define CASELEDGER_SERVER_REFUSALS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include "server/writer.h"

namespace caseledger::server {

class Refusals {
 public:
  Refusals(Writer* writer, std::chrono::seconds window);
  ~Refusals();  // records every open window
  Refusals(const Refusals&) = delete;
  Refusals& operator=(const Refusals&) = delete;

  // One refused command of `op` (its wire name, "-" when the line did not parse) with `code`.
  void Note(const std::string& op, const std::string& operation, const std::string& code);
  // Records every open window now (the server stops); later notes open new ones.
  void FlushAll();

 private:
  struct Window {
    uint64_t count = 0;
    std::string first_at;
    std::string last_at;
    std::chrono::steady_clock::time_point opened;
  };
  using Key = std::tuple<std::string, std::string, std::string>;  // operator, op, code
  void Loop();
  // Records the windows opened at least `window_` ago (all of them when `all`).
  void Flush(bool all);
  void Record(const Key& key, const Window& window);

  Writer* writer_;
  const std::chrono::seconds window_;
  const int64_t started_us_;  // with the counter, makes every refusal's request id unique
  uint64_t recorded_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<Key, Window> open_;
  std::thread thread_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_REFUSALS_H_
