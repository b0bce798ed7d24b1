// The web console (issue 20): caseledgerd's second transport beside gRPC, HTTPS with the same
// mutual TLS (cpp-httplib). It serves the pages of web/ (compiled in) and a small JSON API over
// server/calls.h, so that every click is a command or a reading command of an authenticated
// operator, decided by the same code as `apply` and the command line. What the console adds is
// its own: which reading commands a role may open (role gates) and which personal data a role
// sees in full (masking), both decided here on the server.
#ifndef CASELEDGER_SERVER_CONSOLE_H_
#define CASELEDGER_SERVER_CONSOLE_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "server/server.h"

namespace caseledger::server {

class Calls;

// A request's body: statements of a few months and a day's commands fit; beyond, 413.
inline constexpr size_t kConsoleBodyBytesMax = size_t{64} << 20;
// Lines of one non-atomic /api/apply request: the page waits for all their answers at once.
inline constexpr size_t kConsoleApplyLinesMax = 10000;

// Who may see what in full (README "The console"): ID numbers the clerks who register parties;
// bank accounts the clerks who enter them and finance who pays them. Everyone else sees the
// last four characters.
struct Masking {
  bool id_numbers = true;
  bool accounts = true;
};
Masking MaskingFor(const std::set<std::string>& roles);
// A command's output with what `masking` hides masked: JSON documents (one, or one a line) by
// their keys (id_number, account, *_account); any other text by its long runs of digits.
std::string MaskOutput(const std::string& output, const Masking& masking);

// Whether an operator holding `roles` may run the reading command `args` through the console:
// NOT_PERMITTED saying what it needs, else ok. `roles_set`: the ledger has roles (without them
// every command is open, as the ledger decides every write as before roles).
Status ConsoleGate(const std::vector<std::string>& args, const std::set<std::string>& roles,
                   bool roles_set);

class Console {
 public:
  // Listens on options.console with options' TLS files, answering through `calls`.
  static Result<std::unique_ptr<Console>> Start(Calls* calls, const ServerOptions& options);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;
  // HOST:PORT actually listened on.
  const std::string& address() const;
  // Stops taking requests and waits for those under way (before the server's writer stops).
  void Stop();

  class Impl;

 private:
  explicit Console(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_CONSOLE_H_
