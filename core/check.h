// Always-on checks of invariants of data read from disk (a stored record, a stored key): a
// failure is CORRUPTION returned to the caller, in every build. `assert` stays for programmer
// errors only (a broken precondition of our own code), which -DNDEBUG compiles out.
#ifndef CASELEDGER_CORE_CHECK_H_
#define CASELEDGER_CORE_CHECK_H_

#include "core/status.h"

// Returns Status::Corruption(message) from the enclosing function, which returns Status or
// Result<T>, unless `condition` holds. `message` (a std::string or anything convertible to one)
// is evaluated only when the check fails. One condition per check: split compound ones, so that
// the message says which part failed.
#define CASELEDGER_CHECK(condition, message)                         \
  do {                                                               \
    if (!(condition)) [[unlikely]] {                                 \
      return ::caseledger::Status::Corruption(std::string(message)); \
    }                                                                \
  } while (0)

#endif  // CASELEDGER_CORE_CHECK_H_
