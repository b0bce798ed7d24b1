// Internal to bench/: the workload's randomness, SplitMix64 in integers only, so that a seed
// gives the same year on every machine.
#ifndef CASELEDGER_BENCH_RANDOM_H_
#define CASELEDGER_BENCH_RANDOM_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>

namespace caseledger::bench {

inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // lo..hi inclusive (a slight modulo bias does not matter to a workload).
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool PerMille(int p) { return static_cast<int>(Next() % 1000) < p; }
  // An index drawn by integer weights.
  template <size_t N>
  int Pick(const std::array<int, N>& weights) {
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    int x = Between(0, total - 1);
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(N) - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace caseledger::bench

#endif  // CASELEDGER_BENCH_RANDOM_H_
