#include "core/json.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <unordered_set>

namespace caseledger::json {
namespace {

// Objects with more members than this check for duplicate keys with a hash set; below it a
// linear scan is faster and allocates nothing (typical commands have a dozen keys).
constexpr size_t kLinearDuplicateScanMax = 16;
// Keys quoted in error messages are shortened to this many bytes: a message is not a dump.
constexpr size_t kMessageKeyBytesMax = 64;

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length (1 to 4) of the well-formed UTF-8 sequence at the start of `s` (RFC 3629 table:
// no overlong forms, no surrogates, nothing over U+10FFFF), or 0 when it is ill-formed; then
// `*subpart` is the length of its maximal ill-formed subpart (at least 1).
size_t Utf8SequenceLength(std::string_view s, size_t* subpart) {
  const auto lead = static_cast<unsigned char>(s[0]);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    low = 0xA0;  // below is overlong
  } else if (lead == 0xED) {
    length = 3;
    high = 0x9F;  // above are the surrogates U+D800..U+DFFF
  } else if (lead >= 0xE1 && lead <= 0xEF) {
    length = 3;
  } else if (lead == 0xF0) {
    length = 4;
    low = 0x90;  // below is overlong
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    high = 0x8F;  // above is over U+10FFFF
  } else {
    *subpart = 1;
    return 0;
  }
  for (size_t i = 1; i < length; ++i) {
    if (i >= s.size()) {
      *subpart = i;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(s[i]);
    const unsigned char min = i == 1 ? low : 0x80;
    const unsigned char max = i == 1 ? high : 0xBF;
    if (byte < min || byte > max) {
      *subpart = i;
      return 0;
    }
  }
  return length;
}

// The code point of a well-formed sequence of `length` bytes.
uint32_t DecodeUtf8(std::string_view s, size_t length) {
  const auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(s[i]));
  };
  if (length == 1) return byte(0);
  uint32_t code_point = byte(0) & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) code_point = (code_point << 6) | (byte(i) & 0x3F);
  return code_point;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// "U+001F", "U+1F600".
std::string CodePointName(uint32_t code_point) {
  std::string digits;
  for (; code_point != 0; code_point >>= 4) digits.push_back(kHexDigits[code_point & 0xF]);
  while (digits.size() < 4) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  return "U+" + digits;
}

void AppendQuoted(std::string_view s, std::string& out) {
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    size_t subpart = 0;
    const size_t length = c >= 0x80 ? Utf8SequenceLength(s.substr(i), &subpart) : 1;
    if (c >= 0x80 && length != 0) {
      i += length;  // well-formed: copied with the run
      continue;
    }
    out.append(s.substr(run, i - run));
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      i += 1;
    } else if (c < 0x20) {
      out.append("\\u00");
      out.push_back(kHexDigits[c >> 4]);
      out.push_back(kHexDigits[c & 0xF]);
      i += 1;
    } else {
      out.append(kReplacementCharacter);
      i += subpart;
    }
    run = i;
  }
  out.append(s.substr(run));
  out.push_back('"');
}

// A key as it may appear in a message: escaped, and shortened on a character boundary.
std::string KeyForMessage(std::string_view key) {
  if (key.size() <= kMessageKeyBytesMax) return Quote(key);
  size_t end = kMessageKeyBytesMax;
  while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) --end;
  std::string quoted = Quote(key.substr(0, end));
  quoted.insert(quoted.size() - 1, "...");
  return quoted;
}

// Where a value sits in the document, as a chain through the parser's stack frames.
struct PathNode {
  const PathNode* parent = nullptr;
  std::string_view key;  // for an object member
  size_t index = 0;      // for an array item
  bool is_index = false;
};

// "" for the top level, "receipt", "open_case.creditors[0]".
std::string PathText(const PathNode* node) {
  std::vector<const PathNode*> chain;
  for (; node != nullptr; node = node->parent) chain.push_back(node);
  std::string text;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->is_index) {
      text += "[" + std::to_string((*it)->index) + "]";
      continue;
    }
    if (!text.empty()) text.push_back('.');
    const std::string quoted = KeyForMessage((*it)->key);
    text.append(quoted, 1, quoted.size() - 2);
  }
  return text;
}

class Parser {
 public:
  Parser(std::string_view input, const ParseLimits& limits) : in_(input), limits_(limits) {}

  Status ParseDocument(Value& out) {
    if (in_.size() > limits_.max_bytes) {
      return Status::InvalidArgument("not JSON: input is " + std::to_string(in_.size()) +
                                     " bytes, over the limit of " +
                                     std::to_string(limits_.max_bytes));
    }
    SkipWhitespace();
    if (AtEnd()) return Status::InvalidArgument("not JSON: empty input");
    CASELEDGER_RETURN_IF_ERROR(ParseValue(out, nullptr, 0));
    SkipWhitespace();
    if (!AtEnd()) return Error("unexpected " + Describe(pos_) + " after the value");
    return Status::Ok();
  }

 private:
  bool AtEnd() const { return pos_ >= in_.size(); }
  char Peek() const { return in_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && IsWhitespace(Peek())) ++pos_;
  }

  Status ErrorAt(const std::string& what, size_t at) const {
    return Status::InvalidArgument("not JSON: " + what + " at byte " + std::to_string(at));
  }
  Status Error(const std::string& what) const { return ErrorAt(what, pos_); }
  Status Unexpected() const { return Error("unexpected " + Describe(pos_)); }
  Status Expected(std::string_view what) const {
    return Error("expected " + std::string(what) + ", found " + Describe(pos_));
  }

  // What sits at `at`, without echoing anything but a printable ASCII character.
  std::string Describe(size_t at) const {
    if (at >= in_.size()) return "end of input";
    const auto c = static_cast<unsigned char>(in_[at]);
    if (c == '\'') return "character \"'\"";
    if (c >= 0x20 && c < 0x7F) return std::string("character '") + static_cast<char>(c) + "'";
    if (c < 0x80) return "control character " + CodePointName(c);
    size_t subpart = 0;
    const size_t length = Utf8SequenceLength(in_.substr(at), &subpart);
    if (length == 0) return "invalid UTF-8";
    const uint32_t code_point = DecodeUtf8(in_.substr(at), length);
    if (code_point == 0xFEFF) return "byte order mark U+FEFF";
    return "character " + CodePointName(code_point);
  }

  Status ParseValue(Value& out, const PathNode* path, size_t depth) {
    switch (Peek()) {
      case '{':
        return ParseObject(out, path, depth + 1);
      case '[':
        return ParseArray(out, path, depth + 1);
      case '"':
        out.type = Value::Type::kString;
        return ParseString(out.text);
      case 't':
        return ParseLiteral("true", Value::Type::kBool, true, out);
      case 'f':
        return ParseLiteral("false", Value::Type::kBool, false, out);
      case 'n':
        return ParseLiteral("null", Value::Type::kNull, false, out);
      default:
        break;
    }
    if (Peek() == '-' || IsDigit(Peek())) {
      out.type = Value::Type::kNumber;
      return ParseNumber(out.text);
    }
    const std::string_view rest = in_.substr(pos_);
    if (rest.starts_with("NaN") || rest.starts_with("Infinity")) {
      return Error("NaN and Infinity are not JSON numbers");
    }
    return Unexpected();
  }

  Status ParseLiteral(std::string_view word, Value::Type type, bool boolean, Value& out) {
    if (in_.substr(pos_, word.size()) != word) return Error("invalid literal");
    pos_ += word.size();
    out.type = type;
    out.boolean = boolean;
    return Status::Ok();
  }

  // RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, kept as written.
  Status ParseNumber(std::string& text) {
    const size_t start = pos_;
    if (Peek() == '-') {
      ++pos_;
      if (in_.substr(pos_).starts_with("Infinity")) {
        return ErrorAt("NaN and Infinity are not JSON numbers", start);
      }
    }
    if (AtEnd() || !IsDigit(Peek())) return Expected("a digit");
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && IsDigit(Peek())) return Error("leading zero in number");
    } else {
      SkipDigits();
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return Expected("a digit after the decimal point");
      SkipDigits();
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return Expected("a digit in the exponent");
      SkipDigits();
    }
    text.assign(in_.substr(start, pos_ - start));
    return Status::Ok();
  }

  void SkipDigits() {
    while (!AtEnd() && IsDigit(Peek())) ++pos_;
  }

  // Leaves pos_ after the closing quote; `text` holds the decoded UTF-8.
  Status ParseString(std::string& text) {
    ++pos_;  // the opening quote
    size_t run = pos_;
    while (true) {
      if (AtEnd()) return Error("unexpected end of input in a string");
      const auto c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        text.append(in_.substr(run, pos_ - run));
        ++pos_;
        return Status::Ok();
      }
      if (c == '\\') {
        text.append(in_.substr(run, pos_ - run));
        CASELEDGER_RETURN_IF_ERROR(ParseEscape(text));
        run = pos_;
        continue;
      }
      if (c < 0x20)
        return Error("unescaped control character " + CodePointName(c) + " in a string");
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      size_t subpart = 0;
      const size_t length = Utf8SequenceLength(in_.substr(pos_), &subpart);
      if (length == 0) return Error("invalid UTF-8");
      pos_ += length;
    }
  }

  Status ParseEscape(std::string& text) {
    const size_t start = pos_;
    ++pos_;  // the backslash
    if (AtEnd()) return Error("unexpected end of input in a string");
    const char c = Peek();
    ++pos_;
    switch (c) {
      case '"':
        text.push_back('"');
        return Status::Ok();
      case '\\':
        text.push_back('\\');
        return Status::Ok();
      case '/':
        text.push_back('/');
        return Status::Ok();
      case 'b':
        text.push_back('\b');
        return Status::Ok();
      case 'f':
        text.push_back('\f');
        return Status::Ok();
      case 'n':
        text.push_back('\n');
        return Status::Ok();
      case 'r':
        text.push_back('\r');
        return Status::Ok();
      case 't':
        text.push_back('\t');
        return Status::Ok();
      case 'u':
        return ParseUnicodeEscape(start, text);
      default:
        return ErrorAt("invalid escape: backslash then " + Describe(pos_ - 1), start);
    }
  }

  // After "\u": four hex digits, and for a high surrogate a second "\uXXXX" with the low one.
  Status ParseUnicodeEscape(size_t start, std::string& text) {
    uint32_t code_point = 0;
    CASELEDGER_RETURN_IF_ERROR(ParseHex4(start, &code_point));
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      return ErrorAt("lone low surrogate " + CodePointName(code_point) + " in \\u escape", start);
    }
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      const size_t low_start = pos_;
      if (!in_.substr(pos_).starts_with("\\u")) {
        return ErrorAt("high surrogate " + CodePointName(code_point) +
                           " not followed by a low surrogate escape",
                       start);
      }
      pos_ += 2;
      uint32_t low = 0;
      CASELEDGER_RETURN_IF_ERROR(ParseHex4(low_start, &low));
      if (low < 0xDC00 || low > 0xDFFF) {
        return ErrorAt("high surrogate " + CodePointName(code_point) + " followed by " +
                           CodePointName(low) + " instead of a low surrogate",
                       start);
      }
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code_point, text);
    return Status::Ok();
  }

  Status ParseHex4(size_t start, uint32_t* value) {
    *value = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      if (AtEnd()) return Error("unexpected end of input in a string");
      const char c = Peek();
      uint32_t digit = 0;
      if (IsDigit(c)) {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return ErrorAt("invalid \\u escape: expected 4 hex digits, found " + Describe(pos_), start);
      }
      *value = (*value << 4) | digit;
    }
    return Status::Ok();
  }

  Status CheckDepth(size_t depth) const {
    if (depth <= limits_.max_depth) return Status::Ok();
    return Error("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
  }

  Status ParseArray(Value& out, const PathNode* path, size_t depth) {
    CASELEDGER_RETURN_IF_ERROR(CheckDepth(depth));
    out.type = Value::Type::kArray;
    ++pos_;  // '['
    SkipWhitespace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      if (AtEnd()) return Unexpected();
      if (Peek() == ']') return Error("trailing comma");
      const PathNode node{.parent = path, .key = {}, .index = out.items.size(), .is_index = true};
      CASELEDGER_RETURN_IF_ERROR(ParseValue(out.items.emplace_back(), &node, depth));
      SkipWhitespace();
      if (AtEnd()) return Unexpected();
      if (Peek() == ']') {
        ++pos_;
        return Status::Ok();
      }
      if (Peek() != ',') return Expected("',' or ']'");
      ++pos_;
      SkipWhitespace();
    }
  }

  Status ParseObject(Value& out, const PathNode* path, size_t depth) {
    CASELEDGER_RETURN_IF_ERROR(CheckDepth(depth));
    out.type = Value::Type::kObject;
    ++pos_;  // '{'
    SkipWhitespace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return Status::Ok();
    }
    std::unordered_set<std::string> keys;  // filled only for large objects
    while (true) {
      if (AtEnd()) return Unexpected();
      if (Peek() == '}') return Error("trailing comma");
      if (Peek() != '"') return Expected("a string key");
      std::string key;
      CASELEDGER_RETURN_IF_ERROR(ParseString(key));
      if (IsDuplicate(out.members, key, keys)) {
        return Status::InvalidArgument(
            "duplicate key " + KeyForMessage(key) +
            (path == nullptr ? " at the top level" : " in " + PathText(path)));
      }
      SkipWhitespace();
      if (AtEnd() || Peek() != ':') return Expected("':' after the key");
      ++pos_;
      SkipWhitespace();
      if (AtEnd()) return Unexpected();
      auto& member = out.members.emplace_back(std::move(key), Value{});
      const PathNode node{.parent = path, .key = member.first, .index = 0, .is_index = false};
      CASELEDGER_RETURN_IF_ERROR(ParseValue(member.second, &node, depth));
      SkipWhitespace();
      if (AtEnd()) return Unexpected();
      if (Peek() == '}') {
        ++pos_;
        return Status::Ok();
      }
      if (Peek() != ',') return Expected("',' or '}'");
      ++pos_;
      SkipWhitespace();
    }
  }

  // Whether `key` is among `members`; keeps `keys` in step once the object grows large.
  static bool IsDuplicate(const std::vector<std::pair<std::string, Value>>& members,
                          const std::string& key, std::unordered_set<std::string>& keys) {
    if (members.size() < kLinearDuplicateScanMax) {
      for (const auto& member : members) {
        if (member.first == key) return true;
      }
      return false;
    }
    if (keys.empty()) {
      for (const auto& member : members) keys.insert(member.first);
    }
    return !keys.insert(key).second;
  }

  std::string_view in_;
  ParseLimits limits_;
  size_t pos_ = 0;
};

void WriteSorted(const Value& value, Writer& writer) {
  if (value.type == Value::Type::kArray) {
    writer.BeginArray();
    for (const Value& item : value.items) WriteSorted(item, writer);
    writer.EndArray();
    return;
  }
  if (value.type != Value::Type::kObject) {
    writer.Write(value);
    return;
  }
  std::vector<const std::pair<std::string, Value>*> sorted;
  sorted.reserve(value.members.size());
  for (const auto& member : value.members) sorted.push_back(&member);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  writer.BeginObject();
  for (const auto* member : sorted) {
    writer.Key(member->first);
    WriteSorted(member->second, writer);
  }
  writer.EndObject();
}

}  // namespace

Value::~Value() = default;

const Value* Value::Find(std::string_view key) const {
  for (const auto& member : members) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

Result<Value> Parse(std::string_view input, const ParseLimits& limits) {
  Value value;
  Parser parser(input, limits);
  Status status = parser.ParseDocument(value);
  if (!status.ok()) return status;
  return value;
}

Writer::Writer() { out_.reserve(256); }

void Writer::BeforeValue() {
  assert(open_.empty() || open_.back() == '[' || after_key_);
  if (after_key_) {
    after_key_ = false;
  } else if (need_comma_) {
    out_.push_back(',');
  }
  need_comma_ = true;
}

void Writer::BeforeKey() {
  assert(!open_.empty() && open_.back() == '{' && !after_key_);
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
}

Writer& Writer::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  open_.push_back('{');
  need_comma_ = false;
  return *this;
}

Writer& Writer::EndObject() {
  assert(!open_.empty() && open_.back() == '{' && !after_key_);
  open_.pop_back();
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

Writer& Writer::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  open_.push_back('[');
  need_comma_ = false;
  return *this;
}

Writer& Writer::EndArray() {
  assert(!open_.empty() && open_.back() == '[');
  open_.pop_back();
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

Writer& Writer::Key(std::string_view key) {
  BeforeKey();
  AppendQuoted(key, out_);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

Writer& Writer::String(std::string_view s) {
  BeforeValue();
  AppendQuoted(s, out_);
  return *this;
}

Writer& Writer::Int(int64_t v) {
  BeforeValue();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  out_.append(buffer, result.ptr);
  return *this;
}

Writer& Writer::Bool(bool b) {
  BeforeValue();
  out_.append(b ? "true" : "false");
  return *this;
}

Writer& Writer::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

Writer& Writer::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

Writer& Writer::OptionalString(const std::optional<std::string>& s) {
  return s.has_value() ? String(*s) : Null();
}

Writer& Writer::Write(const Value& value) {
  switch (value.type) {
    case Value::Type::kNull:
      return Null();
    case Value::Type::kBool:
      return Bool(value.boolean);
    case Value::Type::kNumber:
      return Raw(value.text);
    case Value::Type::kString:
      return String(value.text);
    case Value::Type::kArray:
      BeginArray();
      for (const Value& item : value.items) Write(item);
      return EndArray();
    case Value::Type::kObject:
      BeginObject();
      for (const auto& [key, member] : value.members) Key(key).Write(member);
      return EndObject();
  }
  return *this;
}

std::string Quote(std::string_view s) {
  std::string out;
  AppendQuoted(s, out);
  return out;
}

std::string Canonical(const Value& value) {
  Writer writer;
  WriteSorted(value, writer);
  return writer.str();
}

}  // namespace caseledger::json
