// Merkle proofs (SPEC §5): check-proof's reader takes any file without crashing, and a proof
// that verifies against a head fails against any other head (one changed bit), so the check
// cannot be satisfied by two different published trees.
#include <google/protobuf/stubs/logging.h>

#include <string>
#include <string_view>

#include "cli/proof.h"
#include "core/merkle.h"
#include "ledger/ledger.h"
#include "tests/fuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs each string field that is not UTF-8; a rejected input is not news.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

namespace caseledger {
namespace {

merkle::Digest Flipped(merkle::Digest digest) {
  digest[digest.size() - 1] ^= 1;
  return digest;
}

// The heads the proof file names itself ("root", "old_root", "new_root"), as a holder would
// publish them; zero when absent, which fails unless SHA-256 does.
Hash HeadNamed(const std::string& text, std::string_view key) {
  Hash head{};
  const std::string quoted_key = "\"" + std::string(key) + "\":\"";
  const size_t at = text.find(quoted_key);
  if (at != std::string::npos) {
    (void)ParseHex(std::string_view(text).substr(at + quoted_key.size(), 64), &head);
  }
  return head;
}

void CheckInclusion(const cli::ProofFile& proof, const Hash& root) {
  if (proof.seq == 0) return;  // check-proof refuses seq 0 before verifying
  const uint64_t index = proof.seq - 1;
  if (!merkle::VerifyInclusion(index, proof.tree_size, proof.entry_hash, proof.path, root)) {
    return;
  }
  FUZZ_REQUIRE(index < proof.tree_size);
  FUZZ_REQUIRE(!merkle::VerifyInclusion(index, proof.tree_size, proof.entry_hash, proof.path,
                                        Flipped(root)));
  FUZZ_REQUIRE(!merkle::VerifyInclusion(index, proof.tree_size, Flipped(proof.entry_hash),
                                        proof.path, root));
}

void CheckConsistency(const cli::ProofFile& proof, const Hash& old_root, const Hash& new_root) {
  if (!merkle::VerifyConsistency(proof.old_size, proof.new_size, old_root, new_root, proof.path)) {
    return;
  }
  FUZZ_REQUIRE(proof.old_size > 0 && proof.old_size <= proof.new_size);
  FUZZ_REQUIRE(!merkle::VerifyConsistency(proof.old_size, proof.new_size, Flipped(old_root),
                                          new_root, proof.path));
  FUZZ_REQUIRE(!merkle::VerifyConsistency(proof.old_size, proof.new_size, old_root,
                                          Flipped(new_root), proof.path));
}

}  // namespace
}  // namespace caseledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseledger;
  const std::string text(fuzz::AsText(data, size));
  const Result<cli::ProofFile> proof = cli::ReadProof(text);
  if (!proof.ok()) {
    FUZZ_REQUIRE(proof.status().code() == Code::kInvalidArgument);
    return 0;
  }
  if (proof->type == "inclusion") {
    CheckInclusion(*proof, HeadNamed(text, "root"));
  } else {
    FUZZ_REQUIRE(proof->type == "consistency");
    CheckConsistency(*proof, HeadNamed(text, "old_root"), HeadNamed(text, "new_root"));
  }
  return 0;
}
