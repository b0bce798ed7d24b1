#include "core/merkle.h"

// SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, whose per-call fetch and
// context cost several times a 64-byte node's hashing (verify --fast hashes three nodes an entry).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdlib>
#include <limits>
#include <string>

namespace caseledger::merkle {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

Digest Sha256(const uint8_t* data, size_t size) {
  Digest out{};
  SHA256_CTX context;
  // A failure here is a broken libcrypto, not bad input: crash rather than publish garbage.
  if (SHA256_Init(&context) != 1 || SHA256_Update(&context, data, size) != 1 ||
      SHA256_Final(out.data(), &context) != 1) {
    std::abort();
  }
  return out;
}

// k of RFC 6962 §2.1: the largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  assert(n >= 2);
  return std::bit_floor(n - 1);
}

// Folds perfect subtrees, given left to right, into the root of the range they cover: the
// right-most (smallest) one is the innermost right child of RFC 6962's recursion.
Digest FoldFromRight(const std::vector<Digest>& perfect) {
  assert(!perfect.empty());
  Digest root = perfect.back();
  for (auto it = perfect.rbegin() + 1; it != perfect.rend(); ++it) root = NodeHash(*it, root);
  return root;
}

// RFC 9162 §2.1.3.2 step 4.b.iii (and §2.1.4.2 6.b.iii): where fn is a left child on the right
// edge, the tree has no right sibling for it there and promotes it unchanged, so no path node
// belongs to those levels.
void SkipPromotedLevels(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Digest LeafHash(const Digest& entry_hash) {
  std::array<uint8_t, 1 + 32> input;
  input[0] = kLeafPrefix;
  std::copy(entry_hash.begin(), entry_hash.end(), input.begin() + 1);
  return Sha256(input.data(), input.size());
}

Digest NodeHash(const Digest& left, const Digest& right) {
  std::array<uint8_t, 1 + 32 + 32> input;
  input[0] = kNodePrefix;
  std::copy(left.begin(), left.end(), input.begin() + 1);
  std::copy(right.begin(), right.end(), input.begin() + 1 + 32);
  return Sha256(input.data(), input.size());
}

Digest EmptyRoot() { return Sha256(nullptr, 0); }

Result<Frontier> Frontier::Load(uint64_t size, const NodeReader& read) {
  Frontier frontier;
  frontier.size_ = size;
  frontier.levels_.resize(std::bit_width(size));
  for (int level = 0; level < static_cast<int>(frontier.levels_.size()); ++level) {
    if (((size >> level) & 1) == 0) continue;
    // Bit `level` set: the last 2^level leaves form the perfect subtree ending at `size`.
    CASELEDGER_ASSIGN_OR_RETURN(frontier.levels_[level], read(level, (size >> level) - 1));
  }
  return frontier;
}

void Frontier::Append(const Digest& entry_hash, const NodeWriter& write) {
  assert(size_ < std::numeric_limits<uint64_t>::max());
  Digest node = LeafHash(entry_hash);
  int level = 0;
  write(level, size_, node);
  // Each set low bit of the old size is a perfect subtree the new one now pairs with (a carry).
  while (((size_ >> level) & 1) != 0) {
    node = NodeHash(levels_[level], node);
    ++level;
    write(level, size_ >> level, node);
  }
  if (levels_.size() <= static_cast<size_t>(level)) levels_.resize(level + 1);
  levels_[level] = node;
  ++size_;
}

Digest Frontier::Root() const {
  if (size_ == 0) return EmptyRoot();
  std::vector<Digest> perfect;
  for (int level = static_cast<int>(levels_.size()) - 1; level >= 0; --level) {
    if (((size_ >> level) & 1) != 0) perfect.push_back(levels_[level]);
  }
  return FoldFromRight(perfect);
}

Result<Digest> SubtreeRoot(uint64_t begin, uint64_t end, const NodeReader& read) {
  if (end <= begin) return Status::InvalidArgument("merkle: empty subtree");
  const uint64_t size = end - begin;
  // Aligned so that the range is one perfect subtree per set bit of its size, largest first.
  if (begin % std::bit_floor(size) != 0) {
    return Status::InvalidArgument("merkle: subtree [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + ") is not one RFC 6962 visits");
  }
  std::vector<Digest> perfect;
  uint64_t position = begin;
  for (int level = std::bit_width(size) - 1; level >= 0; --level) {
    if (((size >> level) & 1) == 0) continue;
    CASELEDGER_ASSIGN_OR_RETURN(Digest node, read(level, position >> level));
    perfect.push_back(node);
    position += uint64_t{1} << level;
  }
  return FoldFromRight(perfect);
}

Result<Digest> Root(uint64_t size, const NodeReader& read) {
  if (size == 0) return EmptyRoot();
  return SubtreeRoot(0, size, read);
}

Result<std::vector<Digest>> InclusionPath(uint64_t index, uint64_t size, const NodeReader& read) {
  if (index >= size) {
    return Status::InvalidArgument("merkle: leaf " + std::to_string(index) +
                                   " is not in a tree of " + std::to_string(size));
  }
  // PATH(m, D[begin:end]) descends towards the leaf; each level adds the sibling subtree, and
  // the path lists them from the leaf up, so collect top-down and reverse.
  std::vector<Digest> path;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t middle = begin + SplitPoint(end - begin);
    if (index < middle) {
      CASELEDGER_ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(middle, end, read));
      path.push_back(sibling);
      end = middle;
    } else {
      CASELEDGER_ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(begin, middle, read));
      path.push_back(sibling);
      begin = middle;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Digest>> ConsistencyPath(uint64_t old_size, uint64_t new_size,
                                            const NodeReader& read) {
  if (old_size == 0 || old_size > new_size) {
    return Status::InvalidArgument("merkle: no consistency proof from " + std::to_string(old_size) +
                                   " to " + std::to_string(new_size));
  }
  // SUBPROOF(m, D[begin:end], b) iteratively: `whole_old_tree` is b, true while the subtree
  // still starts at leaf 0 (its root is then the old head the verifier already holds).
  std::vector<Digest> siblings;
  uint64_t begin = 0, end = new_size;
  bool whole_old_tree = true;
  while (old_size != end) {
    const uint64_t middle = begin + SplitPoint(end - begin);
    if (old_size <= middle) {
      CASELEDGER_ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(middle, end, read));
      siblings.push_back(sibling);
      end = middle;
    } else {
      CASELEDGER_ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(begin, middle, read));
      siblings.push_back(sibling);
      begin = middle;
      whole_old_tree = false;
    }
  }
  std::vector<Digest> path;
  if (!whole_old_tree) {
    CASELEDGER_ASSIGN_OR_RETURN(Digest old_subtree, SubtreeRoot(begin, end, read));
    path.push_back(old_subtree);
  }
  path.insert(path.end(), siblings.rbegin(), siblings.rend());
  return path;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Digest& entry_hash,
                     const std::vector<Digest>& path, const Digest& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Digest r = LeafHash(entry_hash);
  for (const Digest& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      SkipPromotedLevels(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Digest& old_root,
                       const Digest& new_root, const std::vector<Digest>& path) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return path.empty() && old_root == new_root;
  if (path.empty()) return false;
  // A power-of-two old tree is itself a node of the new one; PROOF leaves it out as known.
  std::vector<Digest> nodes;
  if (std::has_single_bit(old_size)) nodes.push_back(old_root);
  nodes.insert(nodes.end(), path.begin(), path.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = nodes.front(), sr = nodes.front();
  for (auto it = nodes.begin() + 1; it != nodes.end(); ++it) {
    const Digest& c = *it;
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      SkipPromotedLevels(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace caseledger::merkle
