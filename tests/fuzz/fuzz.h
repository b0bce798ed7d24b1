// What the fuzz targets share: a broken invariant aborts, naming itself, so that libFuzzer keeps
// the input as a crash (a sanitizer report does the same on its own).
#ifndef CASELEDGER_TESTS_FUZZ_FUZZ_H_
#define CASELEDGER_TESTS_FUZZ_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace caseledger::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace caseledger::fuzz

// Not assert(): it must hold in every build the fuzzers are built in, NDEBUG or not.
#define FUZZ_REQUIRE(condition)                                                              \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

#endif  // CASELEDGER_TESTS_FUZZ_FUZZ_H_
