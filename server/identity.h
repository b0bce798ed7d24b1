// Who a client is: the operator its certificate names, and whether the certificate was revoked
// (SPEC §9). gRPC has checked the certificate against the client CA during the handshake; this
// reads the subject alternative name and the revocation lists with OpenSSL.
#ifndef CASELEDGER_SERVER_IDENTITY_H_
#define CASELEDGER_SERVER_IDENTITY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caseledger::server {

inline constexpr std::string_view kOperatorUriPrefix = "urn:caseledger:operator:";

// The operator of a PEM certificate whose subject alternative name holds exactly one name, the
// URI urn:caseledger:operator:<operator> with a valid operator id. Any other shape (no such
// extension, two names, a DNS name or e-mail beside it, another URI, a bad id) is NOT_PERMITTED
// saying what was found.
Result<std::string> OperatorOfCertificate(std::string_view pem);

// The certificate revocation lists of a directory (PEM files, each list signed by the client
// CA), read again whenever the directory or a file in it changes.
class Revocations {
 public:
  // An empty directory name: nothing is revoked. A list not signed by the CA is IO_ERROR.
  static Result<std::unique_ptr<Revocations>> Load(const std::string& directory,
                                                   const std::string& ca_pem);
  // NOT_PERMITTED when the certificate's serial is on a list of its issuer; a directory that
  // cannot be read again is IO_ERROR (refused: a revocation must not be missed).
  Status Check(std::string_view pem);

 private:
  Status Reload();
  std::string directory_;
  std::string ca_pem_;
  std::mutex mutex_;
  int64_t loaded_mtime_ns_ = -1;  // the newest change seen when last read
  // (issuer DER, serial as hex) of every revoked certificate.
  std::vector<std::pair<std::string, std::string>> revoked_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_IDENTITY_H_
