// Helpers of the caseledgerd tests: certificates made once per test binary by
// tools/make_certs.sh, and a fixture that starts the real caseledgerd (CASELEDGER_DAEMON) on a
// port of loopback that it picks itself, and runs the real caseledger against it as one operator
// or another.
#ifndef CASELEDGER_TESTS_CLI_SERVER_UTIL_H_
#define CASELEDGER_TESTS_CLI_SERVER_UTIL_H_

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "tests/cli/cli_util.h"

namespace caseledger::cli_test {

// The test certificates: a CA with the server's certificate and operators clerk.a, clerk.b,
// audit.c, admin.a, admin.b, mgr.m, head.h and fin.f; `gone` (revoked, crl/), `two` (two operator
// URIs), `dns` (a DNS name only) and `urn` (a URI of another form); and another CA (other/) with
// its own clerk.a.
inline const fs::path& Certificates() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "caseledger-certs-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    const std::string script = std::string(CASELEDGER_SOURCE_DIR) + "/tools/make_certs.sh";
    const std::string d = pattern, o = pattern + "/other";
    const std::string commands =
        script + " init " + d + " && " + script + " operator " + d + " clerk.a && " + script +
        " operator " + d + " clerk.b && " + script + " operator " + d + " audit.c && " + script +
        " operator " + d + " admin.a && " + script + " operator " + d + " admin.b && " + script +
        " operator " + d + " mgr.m && " + script + " operator " + d + " head.h && " + script +
        " operator " + d + " fin.f && " + script + " operator " + d + " gone && " + script +
        " revoke " + d + " gone && " + script + " custom " + d +
        " two URI:urn:caseledger:operator:clerk.a,URI:urn:caseledger:operator:clerk.b && " +
        script + " custom " + d + " dns DNS:clerk.a && " + script + " custom " + d +
        " urn URI:urn:example:clerk.a && " + script + " init " + o + " && " + script +
        " operator " + o + " clerk.a";
    if (std::system(commands.c_str()) != 0) std::abort();
    return fs::path(pattern);
  }();
  return dir;
}

class ServerFixture : public CliFixture {
 protected:
  void TearDown() override {
    StopServer(SIGTERM);
    CliFixture::TearDown();
  }

  // Starts caseledgerd on db_ (entries recorded at a fixed time, so that two ledgers of the same
  // commands are the same bytes) and waits until it listens.
  void StartServer(const std::vector<std::string>& extra = {}) {
    const fs::path ready = dir_ / "ready";
    fs::remove(ready);
    const fs::path certs = Certificates();
    std::vector<std::string> argv = {CASELEDGER_DAEMON,
                                     "--db",
                                     db_,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--tls-cert",
                                     (certs / "server.pem").string(),
                                     "--tls-key",
                                     (certs / "server.key").string(),
                                     "--client-ca",
                                     (certs / "ca.pem").string(),
                                     "--crl-dir",
                                     (certs / "crl").string(),
                                     "--ready-file",
                                     ready.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::vector<std::string> env = EnvFor({{"CASELEDGER_RECORDED_AT_US", "1711900000000000"}});
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string log = (dir_ / "server.log").string();
    server_ = fork();
    if (server_ == 0) {
      freopen(log.c_str(), "a", stderr);
      execve(args[0], args.data(), envp.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && !fs::exists(ready); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(ready)) << ReadFile(log);
    address_ = ReadFile(ready);
    address_.pop_back();  // '\n'
  }

  // Stops the server with `signal` and waits for it (at most 20 s, then SIGKILL); its status.
  int StopServer(int signal) {
    if (server_ <= 0) return 0;
    kill(server_, signal);
    int status = 0;
    for (int i = 0; i < 400; ++i) {
      if (waitpid(server_, &status, WNOHANG) == server_) {
        server_ = 0;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(server_, SIGKILL);
    waitpid(server_, &status, 0);
    server_ = 0;
    return status;
  }

  // The environment that makes caseledger a client of the server as operator `name` (a
  // certificate of tools/make_certs.sh: `other/clerk.a` is the other CA's).
  Env As(const std::string& name) const {
    const fs::path certs = Certificates();
    return {{"CASELEDGER_SERVER", address_},
            {"CASELEDGER_TLS_CERT", (certs / (name + ".pem")).string()},
            {"CASELEDGER_TLS_KEY", (certs / (name + ".key")).string()},
            {"CASELEDGER_TLS_SERVER_CA", (certs / "ca.pem").string()}};
  }

  // caseledger `args` through the server as `name`.
  CliRun RunAs(const std::string& name, const std::vector<std::string>& args,
               const std::string& input = "") {
    return Run(args, input, As(name));
  }

  // apply of `lines` through the server as `name`.
  CliRun ApplyAs(const std::string& name, const std::vector<std::string>& lines,
                 const std::vector<std::string>& flags = {}) {
    std::string input;
    for (const auto& line : lines) input += line + "\n";
    std::vector<std::string> args = {"apply"};
    args.insert(args.end(), flags.begin(), flags.end());
    return RunAs(name, args, input);
  }

  pid_t server_ = 0;
  std::string address_;
};

}  // namespace caseledger::cli_test

#endif  // CASELEDGER_TESTS_CLI_SERVER_UTIL_H_
