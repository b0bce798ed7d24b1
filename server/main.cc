// caseledgerd --db DIR --listen HOST:PORT --tls-cert F --tls-key F --client-ca F [--crl-dir D]
// [--console HOST:PORT] (SPEC §9): serves one ledger until SIGTERM or SIGINT, then finishes the
// calls under way, lands and answers every command decided, and closes the ledger. With
// --console, the web console too (server/console.h), stopped first.
#include <google/protobuf/stubs/logging.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "server/server.h"

namespace {

constexpr int kGraceMs = 5000;  // calls still open this long after SIGTERM are cancelled

// Blocks the stop signals in every thread started after it, so that only sigwait takes them.
sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  google::protobuf::SetLogHandler(nullptr);
  CLI::App app{"caseledgerd: one caseledger ledger for a whole bureau, over gRPC with mutual TLS"};
  caseledger::server::ServerOptions options;
  std::string ready_file;
  app.add_option("--db", options.db, "the ledger directory (created if new)")->required();
  app.add_option("--listen", options.listen, "HOST:PORT to listen on (port 0: any free one)")
      ->required();
  app.add_option("--tls-cert", options.tls_cert, "the server's certificate (PEM)")->required();
  app.add_option("--tls-key", options.tls_key, "the server's private key (PEM)")->required();
  app.add_option("--client-ca", options.client_ca, "the CA of the operators' certificates (PEM)")
      ->required();
  app.add_option("--crl-dir", options.crl_dir, "revocation lists of that CA (PEM files)");
  app.add_option("--queue", options.queue_max, "commands waiting for the writer, at most");
  app.add_option("--refusal-window", options.refusal_window_s,
                 "seconds over which refusals are coalesced before they are recorded (60)")
      ->check(CLI::Range(1, 3600));
  app.add_option("--console", options.console,
                 "HOST:PORT of the web console over HTTPS, same certificates (port 0: any free "
                 "one)");
  app.add_option("--etcd", options.etcd,
                 "replicate the ledger through these etcd members (HOST:PORT of each client "
                 "endpoint, comma-separated); README \"Replication\"")
      ->delimiter(',');
  app.add_option("--replica-name", options.replica_name,
                 "this replica's name, unique among the ledger's replicas (with --etcd)");
  app.add_option("--ledger-name", options.ledger_name,
                 "the replicated ledger's name in etcd (default caseledger)");
  app.add_option("--lease-ttl", options.lease_ttl_s,
                 "seconds a silent leader keeps the lead (default 2)")
      ->check(CLI::Range(1, 60));
  app.add_option("--etcd-append-bytes", options.etcd_append_bytes,
                 "entries' bytes in one append to etcd (default 1 MiB; a larger entry alone): "
                 "keep 4/3 of it, and of the largest entry, below etcd's --max-request-bytes")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20));
  app.add_option("--ready-file", ready_file,
                 "write HOST:PORT to this file once listening (for scripts and tests); with "
                 "--console, the console's HOST:PORT on a second line");
  CLI11_PARSE(app, argc, argv);
  if (!options.etcd.empty() && options.replica_name.empty()) {
    std::fprintf(stderr, "caseledgerd: --etcd needs --replica-name, unique per replica\n");
    return 2;
  }
  // A browser that leaves mid-answer must not stop the server: the console writes through
  // OpenSSL's socket writes, which raise SIGPIPE (gRPC's own writes do not).
  signal(SIGPIPE, SIG_IGN);
  const sigset_t signals = StopSignals();
  auto server = caseledger::server::Server::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "caseledgerd: %s\n", server.status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "caseledgerd: serving %s on %s\n", options.db.c_str(),
               (*server)->address().c_str());
  const std::string console = (*server)->console_address();
  if (!console.empty())
    std::fprintf(stderr, "caseledgerd: console on https://%s/\n", console.c_str());
  if (!ready_file.empty()) {
    const std::string partial = ready_file + ".partial";
    std::ofstream(partial) << (*server)->address() << "\n"
                           << (console.empty() ? "" : console + "\n");
    std::rename(partial.c_str(), ready_file.c_str());
  }
  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "caseledgerd: stopping (signal %d): finishing the calls under way\n",
               signal);
  (*server)->Shutdown(kGraceMs);
  std::fprintf(stderr, "caseledgerd: stopped\n");
  return 0;
}
