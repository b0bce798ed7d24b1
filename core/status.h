// Expected failures as values: the error codes of SPEC §2, and a value-or-status type.
#ifndef CASELEDGER_CORE_STATUS_H_
#define CASELEDGER_CORE_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace caseledger {

// The error codes users see (SPEC §2). On disk nowhere; in output by name.
enum class Code {
  kOk,
  kInvalidArgument,
  kIdempotencyConflict,
  kUnknownCase,
  kUnknownReference,
  kCaseExists,
  kDuplicateId,
  kCaseClosed,
  kNotPermitted,
  kInvalidState,
  kDuplicateBankRef,
  kInsufficientFunds,
  kLedgerLocked,
  kIoError,
  kCorruption,
  kNoLedger,
  kNotCommitted,
  // The ledger is of another format version than this program's (proto/FORMAT.md "Format
  // version"): exit 2, like NO_LEDGER; the user migrates it (README "Decisions").
  kUnsupportedFormat,
  // caseledgerd's queue of commands is full: nothing was recorded; send again later with the same
  // request id (SPEC §9).
  kResourceExhausted,
  // A replica of a replicated ledger that is not the leader (server/replica.h): nothing was
  // recorded; send the command to the leader with the same request id.
  kNotLeader,
};

// "INVALID_ARGUMENT", ...; "OK" for kOk.
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status UnknownCase(std::string m) { return {Code::kUnknownCase, std::move(m)}; }
  static Status UnknownReference(std::string m) { return {Code::kUnknownReference, std::move(m)}; }
  static Status InvalidState(std::string m) { return {Code::kInvalidState, std::move(m)}; }
  static Status InsufficientFunds(std::string m) {
    return {Code::kInsufficientFunds, std::move(m)};
  }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "CODE: message", for logs and tests.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace caseledger

// Returns the status of an expression that yields a Status, when it is not OK.
#define CASELEDGER_RETURN_IF_ERROR(expr)           \
  do {                                             \
    ::caseledger::Status status_macro_ = (expr);   \
    if (!status_macro_.ok()) return status_macro_; \
  } while (0)

#define CASELEDGER_CONCAT_INNER_(a, b) a##b
#define CASELEDGER_CONCAT_(a, b) CASELEDGER_CONCAT_INNER_(a, b)
// `lhs = value of expr`, or returns its status. lhs may declare: ASSIGN_OR_RETURN(Fen x, ...).
#define CASELEDGER_ASSIGN_OR_RETURN(lhs, expr)                   \
  auto CASELEDGER_CONCAT_(result_macro_, __LINE__) = (expr);     \
  if (!CASELEDGER_CONCAT_(result_macro_, __LINE__).ok())         \
    return CASELEDGER_CONCAT_(result_macro_, __LINE__).status(); \
  lhs = std::move(CASELEDGER_CONCAT_(result_macro_, __LINE__)).value()

#endif  // CASELEDGER_CORE_STATUS_H_
