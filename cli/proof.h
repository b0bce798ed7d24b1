// check-proof's input (SPEC §5): a proof file as `prove` writes it, read for shape only; whether
// it proves anything is merkle::VerifyInclusion's and VerifyConsistency's to say.
#ifndef CASELEDGER_CLI_PROOF_H_
#define CASELEDGER_CLI_PROOF_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/ledger.h"

namespace caseledger::cli {

// The fields of a proof file, checked for shape.
struct ProofFile {
  std::string type;
  uint64_t seq = 0, tree_size = 0, old_size = 0, new_size = 0;
  Hash entry_hash{};
  std::vector<Hash> path;
  std::optional<StoredEntry> entry;
};

// INVALID_ARGUMENT unless `text` is JSON with a `type` of inclusion (seq, tree_size,
// entry_hash, an optional export line as `entry`) or consistency (old_size, new_size), and a
// `path` of 64-hex-digit hashes.
Result<ProofFile> ReadProof(const std::string& text);

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_PROOF_H_
