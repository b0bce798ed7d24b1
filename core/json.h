// Strict RFC 8259 JSON: a parser to a small DOM and a compact writer. Numbers stay as the raw
// text written (money is never a binary floating-point number).
#ifndef CASELEDGER_CORE_JSON_H_
#define CASELEDGER_CORE_JSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace caseledger::json {

struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  // The destructor is defined in json.cc: clang with libstdc++ would otherwise instantiate
  // std::pair<std::string, Value> (members) while Value is still incomplete, and refuse it.
  Value() = default;
  Value(const Value&) = default;
  Value(Value&&) = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) = default;
  ~Value();

  Type type = Type::kNull;
  bool boolean = false;
  // kString: the decoded UTF-8; kNumber: the raw number text exactly as written ("5", "-1.5e3").
  std::string text;
  std::vector<Value> items;                            // kArray
  std::vector<std::pair<std::string, Value>> members;  // kObject, in input order (keys unique)

  // The member named `key`, or nullptr when absent or when this is not an object.
  const Value* Find(std::string_view key) const;

  bool is_null() const { return type == Type::kNull; }
  bool is_bool() const { return type == Type::kBool; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_string() const { return type == Type::kString; }
  bool is_array() const { return type == Type::kArray; }
  bool is_object() const { return type == Type::kObject; }
};

struct ParseLimits {
  size_t max_depth = 64;                // nested arrays and objects; the top-level one is 1
  size_t max_bytes = 16 * 1024 * 1024;  // the whole input, surrounding whitespace included
};

// Parses exactly one JSON value with optional surrounding whitespace (space, \t, \n, \r).
// Anything else is InvalidArgument with a message saying what and where, e.g.
// "not JSON: unexpected character 'x' at byte 17" (bytes counted from 0), or
// "duplicate key \"amount\" in open_case.creditors[0]" ("at the top level" for the outermost
// object). Rejected: invalid UTF-8 anywhere, duplicate keys, NaN/Infinity, leading zeros, "+1",
// ".5", "5.", trailing commas, comments, single quotes, unescaped control characters, invalid
// escapes, lone surrogates, nesting over max_depth, input over max_bytes, trailing garbage,
// empty input and a byte order mark (the caller strips it). Messages never echo input bytes
// other than single printable ASCII characters and object keys (escaped, shortened).
Result<Value> Parse(std::string_view input, const ParseLimits& limits = {});

// Appends compact JSON to a string, placing commas itself. Strings are escaped per RFC 8259:
// '"' and '\\' with a backslash, control characters as \u00XX, non-ASCII UTF-8 as is, invalid
// UTF-8 replaced by U+FFFD (one per maximal ill-formed subpart, as Unicode recommends).
// Misuse (a value where a key is due, unbalanced End*) is a programmer error and asserts.
class Writer {
 public:
  Writer();

  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  Writer& Key(std::string_view key);
  Writer& String(std::string_view s);
  Writer& Int(int64_t v);
  Writer& Bool(bool b);
  Writer& Null();
  // An already serialised JSON value, written as is.
  Writer& Raw(std::string_view json);
  // null when `s` is empty.
  Writer& OptionalString(const std::optional<std::string>& s);
  // A parsed value, members in their stored order.
  Writer& Write(const Value& value);

  const std::string& str() const { return out_; }

 private:
  // Writes the comma a new value or key needs and checks the writer is in a place for it.
  void BeforeValue();
  void BeforeKey();

  std::string out_;
  std::vector<char> open_;  // '{' or '[' for each container not yet ended
  bool need_comma_ = false;
  bool after_key_ = false;
};

// A JSON string literal for `s`, quotes included, escaped as Writer::String does.
std::string Quote(std::string_view s);

// Compact JSON with the members of every object sorted by key (bytewise), so that two values
// equal up to key order and spacing serialise alike (SPEC §2: idempotent replays).
std::string Canonical(const Value& value);

}  // namespace caseledger::json

#endif  // CASELEDGER_CORE_JSON_H_
