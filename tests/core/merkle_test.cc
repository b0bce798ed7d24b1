// Proves that the Merkle tree of core/merkle.h is RFC 6962's: heads, inclusion and consistency
// proofs equal a naive recursive reference, verify, and reject any altered node, root, index or
// size, while the tree is read only through O(log n) stored perfect subtrees.
#include "core/merkle.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <bit>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace caseledger {
namespace {

using merkle::Digest;
using merkle::Frontier;

// SHA-256 straight from libcrypto, so that the reference below shares no code with merkle.cc.
Digest Sha256(const std::string& bytes) {
  Digest out{};
  EXPECT_EQ(EVP_Digest(bytes.data(), bytes.size(), out.data(), nullptr, EVP_sha256(), nullptr), 1);
  return out;
}

std::string Bytes(const Digest& digest) { return std::string(digest.begin(), digest.end()); }

std::string Hex(const Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

Digest FlipBit(Digest digest, int bit) {
  digest[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return digest;
}

Digest EntryHash(uint64_t i) { return Sha256("entry " + std::to_string(i)); }

// The reference: RFC 6962 §2.1, §2.1.1 and §2.1.2 transcribed recursively, over D[begin:end].
Digest NaiveLeaf(const Digest& entry) { return Sha256(std::string(1, '\x00') + Bytes(entry)); }
Digest NaiveNode(const Digest& left, const Digest& right) {
  return Sha256(std::string(1, '\x01') + Bytes(left) + Bytes(right));
}
uint64_t NaiveSplit(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Digest NaiveMth(const std::vector<Digest>& d, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 0) return Sha256("");
  if (n == 1) return NaiveLeaf(d[begin]);
  const uint64_t k = NaiveSplit(n);
  return NaiveNode(NaiveMth(d, begin, begin + k), NaiveMth(d, begin + k, end));
}

// PATH(m, D[begin:end]), m relative to begin.
std::vector<Digest> NaivePath(uint64_t m, const std::vector<Digest>& d, uint64_t begin,
                              uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 1) return {};
  const uint64_t k = NaiveSplit(n);
  std::vector<Digest> path;
  if (m < k) {
    path = NaivePath(m, d, begin, begin + k);
    path.push_back(NaiveMth(d, begin + k, end));
  } else {
    path = NaivePath(m - k, d, begin + k, end);
    path.push_back(NaiveMth(d, begin, begin + k));
  }
  return path;
}

// SUBPROOF(m, D[begin:end], b), m relative to begin.
std::vector<Digest> NaiveSubproof(uint64_t m, const std::vector<Digest>& d, uint64_t begin,
                                  uint64_t end, bool b) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {NaiveMth(d, begin, end)};
  }
  const uint64_t k = NaiveSplit(n);
  std::vector<Digest> proof;
  if (m <= k) {
    proof = NaiveSubproof(m, d, begin, begin + k, b);
    proof.push_back(NaiveMth(d, begin + k, end));
  } else {
    proof = NaiveSubproof(m - k, d, begin + k, end, false);
    proof.push_back(NaiveMth(d, begin, begin + k));
  }
  return proof;
}

// The choices PATH makes from the root down ("L": into the left subtree). A proof carries
// hashes, not sizes: a wrong size verifies exactly when it makes the same choices.
std::string PathShape(uint64_t m, uint64_t n) {
  if (n == 1) return "";
  const uint64_t k = NaiveSplit(n);
  return m < k ? "L" + PathShape(m, k) : "R" + PathShape(m - k, n - k);
}

// The same for SUBPROOF, ending in whether it emits the old subtree ("T") or not ("E").
std::string ProofShape(uint64_t m, uint64_t n, bool b) {
  if (m == n) return b ? "E" : "T";
  const uint64_t k = NaiveSplit(n);
  return m <= k ? "L" + ProofShape(m, k, b) : "R" + ProofShape(m - k, n - k, false);
}

// A node store as the ledger keeps one: every node Frontier::Append emits.
class MemoryStore {
 public:
  merkle::NodeWriter Writer() {
    return [this](int level, uint64_t index, const Digest& hash) {
      EXPECT_TRUE(nodes_.emplace(std::make_pair(level, index), hash).second)
          << "node (" << level << ", " << index << ") written twice";
      written_.emplace_back(level, index);
    };
  }
  // Reads only subtrees inside the first `size` leaves, as a tree of that size may, and counts.
  merkle::NodeReader Reader(uint64_t size) {
    return [this, size](int level, uint64_t index) -> Result<Digest> {
      ++reads_;
      if (((index + 1) << level) > size) {
        return Status::Corruption("node beyond the tree of " + std::to_string(size));
      }
      auto it = nodes_.find({level, index});
      if (it == nodes_.end()) return Status::Corruption("node not stored");
      return it->second;
    };
  }
  const std::map<std::pair<int, uint64_t>, Digest>& nodes() const { return nodes_; }
  std::vector<std::pair<int, uint64_t>>& written() { return written_; }
  int reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  std::map<std::pair<int, uint64_t>, Digest> nodes_;
  std::vector<std::pair<int, uint64_t>> written_;
  int reads_ = 0;
};

// A tree of `size` leaves, with the frontier's head after every append (heads[n] for size n).
struct Tree {
  explicit Tree(uint64_t size) {
    heads.push_back(frontier.Root());
    for (uint64_t i = 0; i < size; ++i) {
      entries.push_back(EntryHash(i));
      frontier.Append(entries.back(), store.Writer());
      heads.push_back(frontier.Root());
    }
  }
  std::vector<Digest> entries;
  MemoryStore store;
  Frontier frontier;
  std::vector<Digest> heads;
};

// An inclusion proof from the store verifies (and equals PATH when `compare_naive`), and fails
// once anything it binds is changed.
void CheckInclusion(Tree& tree, uint64_t index, uint64_t size, bool compare_naive,
                    std::mt19937_64& rng) {
  SCOPED_TRACE("leaf " + std::to_string(index) + " of " + std::to_string(size));
  tree.store.ResetReads();
  Result<std::vector<Digest>> path = merkle::InclusionPath(index, size, tree.store.Reader(size));
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_LE(tree.store.reads(), 2 * static_cast<int>(std::bit_width(size)));
  if (compare_naive) {
    EXPECT_EQ(*path, NaivePath(index, tree.entries, 0, size));
  }
  const Digest& entry = tree.entries[index];
  const Digest& root = tree.heads[size];
  EXPECT_TRUE(merkle::VerifyInclusion(index, size, entry, *path, root));

  std::uniform_int_distribution<int> bit(0, 255);
  for (size_t i = 0; i < path->size(); ++i) {
    std::vector<Digest> altered = *path;
    altered[i] = FlipBit(altered[i], bit(rng));
    EXPECT_FALSE(merkle::VerifyInclusion(index, size, entry, altered, root)) << "node " << i;
  }
  EXPECT_FALSE(merkle::VerifyInclusion(index, size, FlipBit(entry, bit(rng)), *path, root));
  EXPECT_FALSE(merkle::VerifyInclusion(index, size, entry, *path, FlipBit(root, bit(rng))));
  std::vector<Digest> longer = *path;
  longer.push_back(entry);
  EXPECT_FALSE(merkle::VerifyInclusion(index, size, entry, longer, root));
  if (!path->empty()) {
    const std::vector<Digest> shorter(path->begin(), path->end() - 1);
    EXPECT_FALSE(merkle::VerifyInclusion(index, size, entry, shorter, root));
  }
  // Another leaf of the same tree takes other turns, so it never verifies.
  if (index + 1 < size) {
    EXPECT_FALSE(merkle::VerifyInclusion(index + 1, size, entry, *path, root));
  }
  if (index > 0) {
    EXPECT_FALSE(merkle::VerifyInclusion(index - 1, size, entry, *path, root));
  }
  EXPECT_FALSE(merkle::VerifyInclusion(size, size, entry, *path, root));
  EXPECT_FALSE(merkle::VerifyInclusion(index, index, entry, *path, root));
  for (uint64_t wrong : {size - 1, size + 1, 2 * size, size + 7}) {
    if (wrong <= index || wrong == size) continue;
    EXPECT_EQ(merkle::VerifyInclusion(index, wrong, entry, *path, root),
              PathShape(index, wrong) == PathShape(index, size))
        << "claimed size " << wrong;
  }
}

// A consistency proof from the store verifies (and equals PROOF when `compare_naive`), and
// fails once anything it binds is changed.
void CheckConsistency(Tree& tree, uint64_t old_size, uint64_t new_size, bool compare_naive,
                      std::mt19937_64& rng) {
  SCOPED_TRACE("from " + std::to_string(old_size) + " to " + std::to_string(new_size));
  tree.store.ResetReads();
  Result<std::vector<Digest>> path =
      merkle::ConsistencyPath(old_size, new_size, tree.store.Reader(new_size));
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_LE(tree.store.reads(), 2 * static_cast<int>(std::bit_width(new_size)) + 1);
  if (compare_naive) {
    EXPECT_EQ(*path, NaiveSubproof(old_size, tree.entries, 0, new_size, true));
  }
  const Digest& old_root = tree.heads[old_size];
  const Digest& new_root = tree.heads[new_size];
  EXPECT_TRUE(merkle::VerifyConsistency(old_size, new_size, old_root, new_root, *path));

  std::uniform_int_distribution<int> bit(0, 255);
  for (size_t i = 0; i < path->size(); ++i) {
    std::vector<Digest> altered = *path;
    altered[i] = FlipBit(altered[i], bit(rng));
    EXPECT_FALSE(merkle::VerifyConsistency(old_size, new_size, old_root, new_root, altered))
        << "node " << i;
  }
  EXPECT_FALSE(
      merkle::VerifyConsistency(old_size, new_size, FlipBit(old_root, bit(rng)), new_root, *path));
  EXPECT_FALSE(
      merkle::VerifyConsistency(old_size, new_size, old_root, FlipBit(new_root, bit(rng)), *path));
  std::vector<Digest> longer = *path;
  longer.push_back(old_root);
  EXPECT_FALSE(merkle::VerifyConsistency(old_size, new_size, old_root, new_root, longer));
  if (!path->empty()) {
    const std::vector<Digest> shorter(path->begin(), path->end() - 1);
    EXPECT_FALSE(merkle::VerifyConsistency(old_size, new_size, old_root, new_root, shorter));
  }
  if (old_size != new_size) {
    EXPECT_FALSE(merkle::VerifyConsistency(new_size, old_size, new_root, old_root, *path));
  }
  EXPECT_FALSE(merkle::VerifyConsistency(0, new_size, old_root, new_root, *path));
  const std::string shape = ProofShape(old_size, new_size, true);
  const std::pair<uint64_t, uint64_t> wrong_sizes[] = {{old_size - 1, new_size},
                                                       {old_size + 1, new_size},
                                                       {old_size, new_size - 1},
                                                       {old_size, new_size + 1}};
  for (const auto& [old_wrong, new_wrong] : wrong_sizes) {
    if (old_wrong == 0 || old_wrong > new_wrong) continue;
    EXPECT_EQ(merkle::VerifyConsistency(old_wrong, new_wrong, old_root, new_root, *path),
              ProofShape(old_wrong, new_wrong, true) == shape)
        << "claimed " << old_wrong << " to " << new_wrong;
  }
}

TEST(MerkleHashTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(Hex(merkle::EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Frontier().Root(), merkle::EmptyRoot());
  MemoryStore store;
  Result<Digest> root = merkle::Root(0, store.Reader(0));
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, merkle::EmptyRoot());
}

TEST(MerkleHashTest, LeafAndNodeHashesArePrefixedSha256) {
  const Digest zero{};
  // sha256(00 ‖ 32×00) and sha256(01 ‖ 64×00), from Python's hashlib.
  EXPECT_EQ(Hex(merkle::LeafHash(zero)),
            "7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9");
  EXPECT_EQ(Hex(merkle::NodeHash(zero, zero)),
            "ae0798d0ecaed2b778eddebf18f071a561c53658c05e76cedecc27cafbdbc577");
  const Digest a = EntryHash(1), b = EntryHash(2);
  EXPECT_EQ(merkle::LeafHash(a), NaiveLeaf(a));
  EXPECT_EQ(merkle::NodeHash(a, b), NaiveNode(a, b));
  // The prefixes keep a leaf from passing for a node, and order matters.
  EXPECT_NE(merkle::LeafHash(a), Sha256(Bytes(a)));
  EXPECT_NE(merkle::NodeHash(a, b), merkle::NodeHash(b, a));
}

// Three leaves, worked by hand. With Li = SHA-256(00 ‖ entry i) and H(x, y) = SHA-256(01 ‖ x ‖ y):
// k = 2 (the largest power of two below 3), so MTH = H(MTH(D[0:2]), MTH(D[2:3])) = H(H(L0, L1),
// L2). PATH(2, D[3]) = PATH(0, D[2:3]) : MTH(D[0:2]) = [H(L0, L1)]; PATH(0, D[3]) = [L1, L2].
// PROOF(2, D[3]) = SUBPROOF(2, D[0:2], true) : L2 = [L2]; the verifier holds H(L0, L1) itself.
// PROOF(1, D[3]) = [L1, L2]. Appending writes (0,0)=L0; (0,1)=L1, (1,0)=H(L0, L1); (0,2)=L2.
TEST(MerkleWorkedTest, ThreeLeaves) {
  Tree tree(3);
  const std::string e0 = Bytes(tree.entries[0]), e1 = Bytes(tree.entries[1]),
                    e2 = Bytes(tree.entries[2]);
  const Digest l0 = Sha256(std::string(1, '\x00') + e0);
  const Digest l1 = Sha256(std::string(1, '\x00') + e1);
  const Digest l2 = Sha256(std::string(1, '\x00') + e2);
  const Digest l01 = Sha256(std::string(1, '\x01') + Bytes(l0) + Bytes(l1));
  const Digest root = Sha256(std::string(1, '\x01') + Bytes(l01) + Bytes(l2));

  EXPECT_EQ(tree.frontier.Root(), root);
  const std::vector<std::pair<int, uint64_t>> order = {{0, 0}, {0, 1}, {1, 0}, {0, 2}};
  EXPECT_EQ(tree.store.written(), order);
  const std::map<std::pair<int, uint64_t>, Digest> nodes = {
      {{0, 0}, l0}, {{0, 1}, l1}, {{1, 0}, l01}, {{0, 2}, l2}};
  EXPECT_EQ(tree.store.nodes(), nodes);

  const merkle::NodeReader read = tree.store.Reader(3);
  Result<std::vector<Digest>> path2 = merkle::InclusionPath(2, 3, read);
  ASSERT_TRUE(path2.ok());
  EXPECT_EQ(*path2, std::vector<Digest>{l01});
  EXPECT_TRUE(merkle::VerifyInclusion(2, 3, tree.entries[2], {l01}, root));
  Result<std::vector<Digest>> path0 = merkle::InclusionPath(0, 3, read);
  ASSERT_TRUE(path0.ok());
  EXPECT_EQ(*path0, (std::vector<Digest>{l1, l2}));

  Result<std::vector<Digest>> proof2 = merkle::ConsistencyPath(2, 3, read);
  ASSERT_TRUE(proof2.ok());
  EXPECT_EQ(*proof2, std::vector<Digest>{l2});
  EXPECT_TRUE(merkle::VerifyConsistency(2, 3, l01, root, {l2}));
  Result<std::vector<Digest>> proof1 = merkle::ConsistencyPath(1, 3, read);
  ASSERT_TRUE(proof1.ok());
  EXPECT_EQ(*proof1, (std::vector<Digest>{l1, l2}));
  EXPECT_TRUE(merkle::VerifyConsistency(1, 3, l0, root, {l1, l2}));
}

TEST(MerkleFrontierTest, AppendEmitsTheLeafThenEachCompletedSubtree) {
  constexpr uint64_t kSize = 300;
  Tree tree(kSize);
  // Each append writes (0, old size) and then, one level up each time, the subtrees it closes.
  size_t next = 0;
  for (uint64_t old_size = 0; old_size < kSize; ++old_size) {
    const int completed = std::countr_one(old_size);
    for (int level = 0; level <= completed; ++level) {
      ASSERT_LT(next, tree.store.written().size());
      EXPECT_EQ(tree.store.written()[next], std::make_pair(level, old_size >> level))
          << "append " << old_size;
      ++next;
    }
  }
  EXPECT_EQ(next, tree.store.written().size());
  EXPECT_EQ(tree.store.written().size(), 2 * kSize - std::popcount(kSize));
  // And each node is the root of the leaves it names.
  for (const auto& [key, hash] : tree.store.nodes()) {
    const auto& [level, index] = key;
    EXPECT_EQ(hash, NaiveMth(tree.entries, index << level, (index + 1) << level))
        << "node (" << level << ", " << index << ")";
  }
}

TEST(MerkleFrontierTest, LoadEqualsTheFrontierThatBuiltTheTree) {
  constexpr uint64_t kSize = 200;
  Tree tree(kSize);
  Frontier building;
  MemoryStore scratch;
  for (uint64_t size = 0; size <= kSize; ++size) {
    SCOPED_TRACE("size " + std::to_string(size));
    tree.store.ResetReads();
    Result<Frontier> loaded = Frontier::Load(size, tree.store.Reader(size));
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(tree.store.reads(), std::popcount(size));
    EXPECT_EQ(loaded->size(), size);
    EXPECT_EQ(loaded->Root(), building.Root());
    // Both go on identically: the next append emits the same nodes and the same head.
    if (size == kSize) break;
    std::vector<std::pair<std::pair<int, uint64_t>, Digest>> from_loaded, from_building;
    loaded->Append(tree.entries[size], [&](int level, uint64_t index, const Digest& hash) {
      from_loaded.push_back({{level, index}, hash});
    });
    building.Append(tree.entries[size], [&](int level, uint64_t index, const Digest& hash) {
      from_building.push_back({{level, index}, hash});
    });
    EXPECT_EQ(from_loaded, from_building);
    EXPECT_EQ(loaded->Root(), building.Root());
    EXPECT_EQ(loaded->Root(), tree.heads[size + 1]);
  }
}

TEST(MerkleFrontierTest, LoadPassesOnAMissingNode) {
  MemoryStore empty;
  Result<Frontier> loaded = Frontier::Load(5, empty.Reader(5));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kCorruption);
  Result<Digest> root = merkle::Root(5, empty.Reader(5));
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().code(), Code::kCorruption);
}

TEST(MerkleTreeTest, EverySmallTreeMatchesTheReference) {
  constexpr uint64_t kSizeMax = 70;
  Tree tree(kSizeMax);
  std::mt19937_64 rng(6962);
  for (uint64_t size = 1; size <= kSizeMax; ++size) {
    SCOPED_TRACE("size " + std::to_string(size));
    const Digest naive = NaiveMth(tree.entries, 0, size);
    EXPECT_EQ(tree.heads[size], naive);
    tree.store.ResetReads();
    Result<Digest> root = merkle::Root(size, tree.store.Reader(size));
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(*root, naive);
    EXPECT_EQ(tree.store.reads(), std::popcount(size));
    for (uint64_t index = 0; index < size; ++index) CheckInclusion(tree, index, size, true, rng);
  }
}

TEST(MerkleTreeTest, RandomLargeTreesMatchTheReference) {
  constexpr uint64_t kSizeMax = 5000;
  Tree tree(kSizeMax);
  for (uint64_t size = 1; size <= kSizeMax; ++size) {
    Result<Digest> root = merkle::Root(size, tree.store.Reader(size));
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    ASSERT_EQ(*root, tree.heads[size]) << "size " << size;
  }
  std::mt19937_64 rng(20240331);
  std::uniform_int_distribution<uint64_t> sizes(71, kSizeMax);
  for (int round = 0; round < 40; ++round) {
    const uint64_t size = round == 0 ? kSizeMax : sizes(rng);
    EXPECT_EQ(tree.heads[size], NaiveMth(tree.entries, 0, size)) << "size " << size;
  }
  for (int round = 0; round < 300; ++round) {
    const uint64_t size = sizes(rng);
    const uint64_t index = std::uniform_int_distribution<uint64_t>(0, size - 1)(rng);
    CheckInclusion(tree, index, size, round < 20, rng);
  }
  CheckInclusion(tree, 0, kSizeMax, false, rng);
  CheckInclusion(tree, kSizeMax - 1, kSizeMax, false, rng);
}

TEST(MerkleConsistencyTest, EverySmallPairMatchesTheReference) {
  constexpr uint64_t kSizeMax = 40;
  Tree tree(kSizeMax);
  std::mt19937_64 rng(9162);
  for (uint64_t new_size = 1; new_size <= kSizeMax; ++new_size) {
    for (uint64_t old_size = 1; old_size <= new_size; ++old_size) {
      CheckConsistency(tree, old_size, new_size, true, rng);
    }
  }
  // Equal trees need no proof; a tree of 40 does not follow from the tree of 1 without one.
  EXPECT_TRUE(merkle::VerifyConsistency(kSizeMax, kSizeMax, tree.heads[kSizeMax],
                                        tree.heads[kSizeMax], {}));
  EXPECT_FALSE(merkle::VerifyConsistency(1, kSizeMax, tree.heads[1], tree.heads[kSizeMax], {}));
}

TEST(MerkleConsistencyTest, RandomLargePairsVerify) {
  constexpr uint64_t kSizeMax = 5000;
  Tree tree(kSizeMax);
  std::mt19937_64 rng(20240305);
  std::uniform_int_distribution<uint64_t> sizes(1, kSizeMax);
  for (int round = 0; round < 300; ++round) {
    uint64_t old_size = sizes(rng), new_size = sizes(rng);
    if (old_size > new_size) std::swap(old_size, new_size);
    CheckConsistency(tree, old_size, new_size, round < 20, rng);
  }
  CheckConsistency(tree, 1, kSizeMax, false, rng);
  CheckConsistency(tree, 4096, kSizeMax, false, rng);
  CheckConsistency(tree, kSizeMax - 1, kSizeMax, false, rng);
  // The proof from 4096 does not prove the step from 4095.
  Result<std::vector<Digest>> from_4096 =
      merkle::ConsistencyPath(4096, kSizeMax, tree.store.Reader(kSizeMax));
  ASSERT_TRUE(from_4096.ok());
  EXPECT_FALSE(merkle::VerifyConsistency(4095, kSizeMax, tree.heads[4095], tree.heads[kSizeMax],
                                         *from_4096));
}

TEST(MerkleArgumentsTest, OutOfRangeRequestsAreInvalidArguments) {
  Tree tree(10);
  const merkle::NodeReader read = tree.store.Reader(10);
  EXPECT_EQ(merkle::InclusionPath(10, 10, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::InclusionPath(11, 10, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::InclusionPath(0, 0, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::ConsistencyPath(0, 10, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::ConsistencyPath(0, 0, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::ConsistencyPath(11, 10, read).status().code(), Code::kInvalidArgument);
  // Subtrees RFC 6962 never visits: empty, or not aligned to their largest power of two.
  EXPECT_EQ(merkle::SubtreeRoot(3, 3, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::SubtreeRoot(1, 3, read).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(merkle::SubtreeRoot(2, 6, read).status().code(), Code::kInvalidArgument);
  Result<Digest> aligned = merkle::SubtreeRoot(8, 10, read);
  ASSERT_TRUE(aligned.ok()) << aligned.status().ToString();
  EXPECT_EQ(*aligned, NaiveMth(tree.entries, 8, 10));
  // A proof asked of a tree larger than what is stored reports the store's error.
  EXPECT_EQ(merkle::InclusionPath(0, 11, read).status().code(), Code::kCorruption);

  const Digest root = tree.heads[10];
  EXPECT_FALSE(merkle::VerifyInclusion(0, 0, tree.entries[0], {}, root));
  EXPECT_FALSE(merkle::VerifyConsistency(0, 0, root, root, {}));
  EXPECT_TRUE(merkle::VerifyConsistency(10, 10, root, root, {}));
  EXPECT_FALSE(merkle::VerifyConsistency(10, 10, root, root, {root}));
  EXPECT_FALSE(merkle::VerifyConsistency(10, 10, root, tree.heads[9], {}));
}

}  // namespace
}  // namespace caseledger
