#include "core/status.h"

namespace caseledger {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kIdempotencyConflict:
      return "IDEMPOTENCY_CONFLICT";
    case Code::kUnknownCase:
      return "UNKNOWN_CASE";
    case Code::kUnknownReference:
      return "UNKNOWN_REFERENCE";
    case Code::kCaseExists:
      return "CASE_EXISTS";
    case Code::kDuplicateId:
      return "DUPLICATE_ID";
    case Code::kCaseClosed:
      return "CASE_CLOSED";
    case Code::kNotPermitted:
      return "NOT_PERMITTED";
    case Code::kInvalidState:
      return "INVALID_STATE";
    case Code::kDuplicateBankRef:
      return "DUPLICATE_BANK_REF";
    case Code::kInsufficientFunds:
      return "INSUFFICIENT_FUNDS";
    case Code::kLedgerLocked:
      return "LEDGER_LOCKED";
    case Code::kIoError:
      return "IO_ERROR";
    case Code::kCorruption:
      return "CORRUPTION";
    case Code::kNoLedger:
      return "NO_LEDGER";
    case Code::kNotCommitted:
      return "NOT_COMMITTED";
    case Code::kUnsupportedFormat:
      return "UNSUPPORTED_FORMAT";
    case Code::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case Code::kNotLeader:
      return "NOT_LEADER";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace caseledger
