// The RFC 6962 Merkle tree over the entry hashes (SPEC §5): tree heads a court publishes,
// inclusion proofs (entry SEQ is in the tree of size N) and consistency proofs (the tree of
// size NEW extends the tree of size OLD).
//
//   leaf = SHA-256(0x00 ‖ entry hash)        node = SHA-256(0x01 ‖ left ‖ right)
//   MTH(D[0:n]) splits at k, the largest power of two below n (RFC 6962 §2.1).
//
// Storage is the caller's: the tree is kept as its *perfect* subtrees, node (level, index)
// being the root of leaves [index·2^level, (index+1)·2^level). Appending a leaf writes the leaf
// and every perfect subtree it completes (amortised two nodes, at most 1 + log2 n); every other
// subtree RFC 6962 needs is folded from O(log n) perfect ones.
#ifndef CASELEDGER_CORE_MERKLE_H_
#define CASELEDGER_CORE_MERKLE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"

namespace caseledger::merkle {

using Digest = std::array<uint8_t, 32>;

Digest LeafHash(const Digest& entry_hash);
Digest NodeHash(const Digest& left, const Digest& right);
// The root of the empty tree: SHA-256 of nothing (RFC 6962 §2.1).
Digest EmptyRoot();

// Reads the perfect subtree (level, index); an error if it is not stored.
using NodeReader = std::function<Result<Digest>(int level, uint64_t index)>;
// Receives each perfect subtree an append completes, the leaf (level 0) first.
using NodeWriter = std::function<void(int level, uint64_t index, const Digest& hash)>;

// The right edge of a tree: the root of one perfect subtree per set bit of its size. Enough to
// append and to compute the head without reading anything else.
class Frontier {
 public:
  Frontier() = default;
  // Loads the frontier of a stored tree of `size` leaves.
  static Result<Frontier> Load(uint64_t size, const NodeReader& read);

  uint64_t size() const { return size_; }
  // Appends the leaf of `entry_hash`, emitting the leaf and every subtree it completes.
  void Append(const Digest& entry_hash, const NodeWriter& write);
  // MTH of the whole tree.
  Digest Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Digest> levels_;  // levels_[l] is meaningful when bit l of size_ is set
};

// MTH(D[begin:end]) for a subtree RFC 6962's recursion visits (begin is a multiple of the
// largest power of two not above end − begin): reads O(log n) perfect subtrees.
Result<Digest> SubtreeRoot(uint64_t begin, uint64_t end, const NodeReader& read);
// The head of the tree of the first `size` leaves.
Result<Digest> Root(uint64_t size, const NodeReader& read);

// RFC 6962 §2.1.1 PATH(index, D[0:size]): the audit path of leaf `index` (0-based), leaf end
// first. INVALID_ARGUMENT unless index < size.
Result<std::vector<Digest>> InclusionPath(uint64_t index, uint64_t size, const NodeReader& read);
// RFC 6962 §2.1.2 PROOF(old_size, D[0:new_size]). INVALID_ARGUMENT unless
// 0 < old_size <= new_size.
Result<std::vector<Digest>> ConsistencyPath(uint64_t old_size, uint64_t new_size,
                                            const NodeReader& read);

// RFC 9162 §2.1.3.2: true when `path` proves that the leaf of `entry_hash` is leaf `index` of
// the tree of `size` leaves whose head is `root`.
bool VerifyInclusion(uint64_t index, uint64_t size, const Digest& entry_hash,
                     const std::vector<Digest>& path, const Digest& root);
// RFC 9162 §2.1.4.2: true when `path` proves that the tree (new_size, new_root) extends the
// tree (old_size, old_root). Equal sizes need an empty path and equal roots.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Digest& old_root,
                       const Digest& new_root, const std::vector<Digest>& path);

}  // namespace caseledger::merkle

#endif  // CASELEDGER_CORE_MERKLE_H_
