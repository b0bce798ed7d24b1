// caseledgerd: one ledger served to a whole bureau over gRPC with mutual TLS (SPEC §9). The
// front door of server/: started by server/main.cc and by the tests.
#ifndef CASELEDGER_SERVER_SERVER_H_
#define CASELEDGER_SERVER_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace caseledger::server {

class Calls;  // server/calls.h

struct ServerOptions {
  std::string db;            // the ledger directory, opened for writing
  std::string listen;        // HOST:PORT; port 0 picks a free one (Server::address says which)
  std::string tls_cert;      // the server's certificate (PEM file)
  std::string tls_key;       // its private key
  std::string client_ca;     // the CA whose operator certificates are accepted
  std::string crl_dir;       // revocation lists of that CA; empty: none
  size_t queue_max = 65536;  // commands waiting for the writer, all clients
  size_t stream_in_flight_max = 8192;  // commands of one stream not yet answered
  int refusal_window_s = 60;           // refusals coalesced per operator, operation and code
  // HOST:PORT of the web console (server/console.h), HTTPS with the same certificates; port 0
  // picks a free one (Server::console_address says which); empty: no console.
  std::string console;
  // Replication through etcd (server/replica.h): the members' client endpoints; empty: this
  // server alone writes its ledger. With them, this replica's unique name and the ledger's.
  std::vector<std::string> etcd;
  std::string replica_name;
  std::string ledger_name = "caseledger";
  int lease_ttl_s = 2;
  size_t etcd_append_bytes = 1024 * 1024;  // ReplicaOptions::append_bytes
};

class Server {
 public:
  // Opens the ledger, starts the writer and listens. Fails (nothing left running) on a ledger
  // that cannot be opened, unreadable TLS files or an address that cannot be bound.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();
  // HOST:PORT actually listened on.
  const std::string& address() const;
  // The console's, or "" without one.
  std::string console_address() const;
  // Stops taking calls, lets the calls under way finish (those still open after `grace_ms`
  // are cancelled), lands and answers every command decided, and closes the ledger.
  void Shutdown(int grace_ms);

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_SERVER_H_
