#include "core/identifiers.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace caseledger {
namespace {

// Decodes the code point starting at *pos and advances *pos past it; nullopt on invalid UTF-8
// (overlong forms, surrogates, values above U+10FFFF, truncated or stray continuation bytes).
std::optional<char32_t> DecodeNext(std::string_view text, size_t* pos) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  int length = 0;
  char32_t code_point = 0;
  if (lead < 0x80) {
    ++*pos;
    return lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (text.size() - *pos < static_cast<size_t>(length)) return std::nullopt;
  for (int i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[*pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (length == 3 && code_point < 0x800) return std::nullopt;
  if (length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) return std::nullopt;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return std::nullopt;
  *pos += length;
  return code_point;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) AppendUtf8(c, &out);
  return out;
}

std::string CodePointName(char32_t c) { return fmt::format("U+{:04X}", static_cast<uint32_t>(c)); }

// Free text: why its code points are unacceptable; "" when they are fine.
std::string ForbiddenInText(std::u32string_view code_points) {
  for (char32_t c : code_points) {
    if (IsControlCodePoint(c)) {
      return fmt::format("contains a control character ({})", CodePointName(c));
    }
  }
  return "";
}

// The Unicode general categories an identifier may not hold (SPEC §1), with what a message
// calls them; nullptr for the categories that are allowed.
const char* ForbiddenCategory(char32_t c) {
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONTROL_CHAR:
      return "a control character, Cc";
    case U_FORMAT_CHAR:
      return "an invisible format character, Cf";
    case U_PRIVATE_USE_CHAR:
      return "a private-use character, Co";
    case U_SURROGATE:
      return "a surrogate, Cs";
    case U_UNASSIGNED:
      return "an unassigned code point, Cn";
    case U_SPACE_SEPARATOR:
      return "a space, Zs";
    case U_LINE_SEPARATOR:
      return "a line separator, Zl";
    case U_PARAGRAPH_SEPARATOR:
      return "a paragraph separator, Zp";
    case U_NON_SPACING_MARK:
      return "a combining mark, Mn";
    case U_ENCLOSING_MARK:
      return "an enclosing mark, Me";
    default:
      return nullptr;
  }
}

// What is wrong with one code point of an identifier of `kind`; "" when it is fine. `kind` is
// one of the three character sets: kPlain, kOperator or kBankRef.
std::string ForbiddenInIdentifier(char32_t c, IdKind kind) {
  if (kind == IdKind::kPlain) {
    if (const char* category = ForbiddenCategory(c); category != nullptr) {
      return fmt::format("{} ({})", CodePointName(c), category);
    }
  } else if (c < 0x21 || c > 0x7E) {
    if (c == U' ') return "a space (U+0020)";
    if (IsControlCodePoint(c)) return fmt::format("{} (a control character)", CodePointName(c));
    return fmt::format("{}, which is not printable ASCII", CodePointName(c));
  }
  if ((c == U'/' || c == U':') && kind != IdKind::kBankRef) {
    return fmt::format("'{}'", static_cast<char>(c));
  }
  return "";
}

// The rule of each kind, as a message states it.
std::string_view KindNoun(IdKind kind) {
  switch (kind) {
    case IdKind::kOperator:
      return "operator";
    case IdKind::kBankRef:
      return "bank reference";
    case IdKind::kRequestId:
      return "request id";
    case IdKind::kDisbursementRef:
      return "disbursement id";
    case IdKind::kPlain:
      break;
  }
  return "identifier";
}

constexpr std::string_view kPlainRule =
    "1 to 128 letters, digits, punctuation marks or symbols (any script), without whitespace, "
    "'/', ':', control, invisible (format) or combining characters";

std::string KindRule(IdKind kind) {
  switch (kind) {
    case IdKind::kOperator:
      return "an operator is 1 to 128 printable ASCII characters without spaces, '/' or ':'";
    case IdKind::kBankRef:
      return "a bank reference is 1 to 128 printable ASCII characters without spaces; '/' and "
             "':' are allowed";
    case IdKind::kRequestId:
      return fmt::format("a request id is {}, or reconcile:BANK_REF", kPlainRule);
    case IdKind::kDisbursementRef:
      return fmt::format("a disbursement id is {}, or DISTRIBUTION_ID/PARTY_ID", kPlainRule);
    case IdKind::kPlain:
      break;
  }
  return fmt::format("an identifier is {}", kPlainRule);
}

// Why `code_points` are not an identifier of character set `set` (kPlain, kOperator, kBankRef);
// "" when they are one.
std::string WhyNotIdentifier(std::u32string_view code_points, IdKind set) {
  if (code_points.empty()) return "it is empty";
  if (code_points.size() > static_cast<size_t>(kIdentifierLengthMax)) {
    return fmt::format("it is too long: {} characters", code_points.size());
  }
  for (char32_t c : code_points) {
    const std::string why = ForbiddenInIdentifier(c, set);
    if (!why.empty()) return "it contains " + why;
  }
  return "";
}

// Why an identifier of `kind` is wrong; "" when it is fine.
std::string WhyNotOfKind(std::u32string_view code_points, IdKind kind) {
  if (kind == IdKind::kRequestId) {
    constexpr std::u32string_view kPrefix = U"reconcile:";
    if (code_points.starts_with(kPrefix)) {
      const std::string why =
          WhyNotIdentifier(code_points.substr(kPrefix.size()), IdKind::kBankRef);
      return why.empty() ? "" : "after reconcile: comes a bank reference, and " + why;
    }
    return WhyNotIdentifier(code_points, IdKind::kPlain);
  }
  if (kind == IdKind::kDisbursementRef) {
    const size_t slash = code_points.find(U'/');
    if (slash != std::u32string_view::npos &&
        code_points.find(U'/', slash + 1) == code_points.npos) {
      std::string why = WhyNotIdentifier(code_points.substr(0, slash), IdKind::kPlain);
      if (!why.empty()) return "its DISTRIBUTION_ID before '/' is not an identifier: " + why;
      why = WhyNotIdentifier(code_points.substr(slash + 1), IdKind::kPlain);
      if (!why.empty()) return "its PARTY_ID after '/' is not an identifier: " + why;
      return "";
    }
    return WhyNotIdentifier(code_points, IdKind::kPlain);
  }
  return WhyNotIdentifier(code_points, kind);
}

// Characters a message escapes because they show nothing or pass for another.
bool EscapedInMessage(char32_t c) {
  if (IsControlCodePoint(c)) return true;
  if (c < 0x80) return false;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
    case U_UNASSIGNED:
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return true;
    default:
      return false;
  }
}

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool IsCjkIdeograph(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

constexpr std::u32string_view kProvinces =
    U"京津冀晋内蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵";
constexpr std::u32string_view kSupremeCourt = U"最高法";
// The second character of the two-character type codes 执恢 执保 执异 执复 执监 执协.
constexpr std::u32string_view kTypeSuffixes = U"恢保异复监协";
constexpr int kSerialDigitsMax = 9;

// A case number being read code point by code point.
struct CaseNumberReader {
  std::u32string_view rest;

  bool Take(char32_t c) {
    if (rest.empty() || rest.front() != c) return false;
    rest.remove_prefix(1);
    return true;
  }
  std::u32string_view TakeDigits() {
    size_t n = 0;
    while (n < rest.size() && IsAsciiDigit(rest[n])) ++n;
    std::u32string_view digits = rest.substr(0, n);
    rest.remove_prefix(n);
    return digits;
  }
};

int64_t DigitsValue(std::u32string_view digits) {
  int64_t value = 0;
  for (char32_t c : digits) value = value * 10 + (c - U'0');
  return value;
}

// Fills *number from the normalised code points; returns why they are not a case number, or "".
std::string ReadCaseNumber(std::u32string_view code_points, CaseNumber* number) {
  CaseNumberReader reader{code_points};
  if (!reader.Take(U'(')) return "it must start with the year in parentheses, like (2024)";
  std::u32string_view year = reader.TakeDigits();
  if (year.size() != 4 || !reader.Take(U')')) {
    return "it must start with a four-digit year in parentheses, like (2024)";
  }
  number->year = static_cast<int>(DigitsValue(year));
  if (number->year < 1949) return "the year must be 1949 to 9999";
  if (reader.rest.starts_with(kSupremeCourt)) {
    number->court = EncodeUtf8(kSupremeCourt);
    reader.rest.remove_prefix(kSupremeCourt.size());
  } else if (!reader.rest.empty() && kProvinces.find(reader.rest.front()) != kProvinces.npos) {
    std::u32string court(1, reader.rest.front());
    reader.rest.remove_prefix(1);
    std::u32string_view digits = reader.TakeDigits();
    if (digits.size() != 0 && digits.size() != 2 && digits.size() != 4) {
      return "the court code takes 0, 2 or 4 digits after the province";
    }
    court += digits;
    number->court = EncodeUtf8(court);
  } else {
    return "the court code must start with a province abbreviation or 最高法";
  }
  if (!reader.rest.empty() && reader.rest.front() != U'执' && IsCjkIdeograph(reader.rest.front())) {
    number->special = EncodeUtf8(reader.rest.substr(0, 1));
    reader.rest.remove_prefix(1);
  }
  constexpr std::string_view kTypeCodes =
      "the type code must be 执, 执恢, 执保, 执异, 执复, 执监 or 执协";
  if (!reader.Take(U'执')) return std::string(kTypeCodes);
  std::u32string type_code = U"执";
  if (!reader.rest.empty() && kTypeSuffixes.find(reader.rest.front()) != kTypeSuffixes.npos) {
    type_code += reader.rest.front();
    reader.rest.remove_prefix(1);
  }
  number->type_code = EncodeUtf8(type_code);
  std::u32string_view serial = reader.TakeDigits();
  if (serial.empty()) {
    return reader.rest.empty() || reader.rest.front() == U'号' ? "the serial number is missing"
                                                               : std::string(kTypeCodes);
  }
  if (serial.front() == U'0') return "the serial number has a leading zero";
  if (serial.size() > kSerialDigitsMax) return "the serial number has more than 9 digits";
  number->serial = DigitsValue(serial);
  if (!reader.Take(U'号') || !reader.rest.empty()) return "it must end with 号 after the serial";
  return "";
}

// The ISO 7064 MOD 97-10 check digits of a number: 98 - (number * 100 mod 97).
int64_t Mod97CheckDigits(int64_t body) { return 98 - (body * 100) % 97; }

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (!DecodeNext(text, &pos).has_value()) return false;
  }
  return true;
}

std::optional<std::u32string> DecodeUtf8(std::string_view text) {
  std::u32string code_points;
  size_t pos = 0;
  while (pos < text.size()) {
    std::optional<char32_t> c = DecodeNext(text, &pos);
    if (!c.has_value()) return std::nullopt;
    code_points.push_back(*c);
  }
  return code_points;
}

bool IsWhitespaceCodePoint(char32_t c) {
  switch (c) {
    case U' ':
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x180E:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      // En quad to hair space, and the zero width space that looks like nothing at all.
      return c >= 0x2000 && c <= 0x200B;
  }
}

bool IsControlCodePoint(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

std::string QuoteForMessage(std::string_view text) {
  if (!IsValidUtf8(text)) return "invalid text (not UTF-8)";
  std::string quoted = "\"";
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = *DecodeNext(text, &pos);
    if (pos > static_cast<size_t>(kMessageEchoBytesMax)) {
      quoted += "…";
      break;
    }
    if (c == U'"' || c == U'\\') {
      quoted += '\\';
      quoted += static_cast<char>(c);
    } else if (c == U'\n') {
      quoted += "\\n";
    } else if (c == U'\t') {
      quoted += "\\t";
    } else if (c == U'\r') {
      quoted += "\\r";
    } else if (EscapedInMessage(c)) {
      quoted += c > 0xFFFF ? fmt::format("\\U{:08X}", static_cast<uint32_t>(c))
                           : fmt::format("\\u{:04X}", static_cast<uint32_t>(c));
    } else {
      quoted += text.substr(start, pos - start);
    }
  }
  quoted += '"';
  return quoted;
}

Status CheckIdentifier(std::string_view text, std::string_view path, IdKind kind) {
  std::optional<std::u32string> code_points = DecodeUtf8(text);
  if (!code_points.has_value()) {
    return Status::InvalidArgument(fmt::format("{}: invalid text (not UTF-8)", path));
  }
  const std::string why = WhyNotOfKind(*code_points, kind);
  if (why.empty()) return Status::Ok();
  if (text.empty())
    return Status::InvalidArgument(fmt::format("{}: is empty; {}", path, KindRule(kind)));
  return Status::InvalidArgument(fmt::format("{}: {} is not a valid {}: {}; {}", path,
                                             QuoteForMessage(text), KindNoun(kind), why,
                                             KindRule(kind)));
}

bool SameOperator(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Status CheckIdNumber(pb::IdType id_type, std::string_view number, std::string_view path) {
  // Says what is wrong in general terms; the number itself is never in the message.
  auto invalid = [&](std::string_view rule, std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "{}: {}: {} (an ID number is personal data and is not shown)", path, rule, why));
  };
  if (id_type == pb::ID_TYPE_RESIDENT_ID) {
    if (IsValidResidentId(number)) return Status::Ok();
    return invalid("not a valid resident ID number",
                   "GB 11643 takes 17 digits, a check character (0-9 or X) and a real birth date");
  }
  if (id_type == pb::ID_TYPE_USCC) {
    if (IsValidUscc(number)) return Status::Ok();
    return invalid("not a valid unified social credit code",
                   "GB 32100 takes 18 characters of 0-9 and A-Y without I, O, S, V and Z, the "
                   "last a check character");
  }
  constexpr std::string_view kOtherRule =
      "must be 1 to 64 characters, none a control, format (invisible) or whitespace character";
  std::optional<std::u32string> code_points = DecodeUtf8(number);
  if (!code_points.has_value()) return invalid(kOtherRule, "it is not valid UTF-8");
  if (code_points->empty()) return invalid(kOtherRule, "it is empty");
  if (code_points->size() > static_cast<size_t>(kOtherIdNumberLengthMax)) {
    return invalid(kOtherRule, "it is longer than 64 characters");
  }
  for (char32_t c : *code_points) {
    const int8_t category = u_charType(static_cast<UChar32>(c));
    if (category == U_CONTROL_CHAR) return invalid(kOtherRule, "it contains a control character");
    if (category == U_FORMAT_CHAR) return invalid(kOtherRule, "it contains a format character");
    if (IsWhitespaceCodePoint(c) || category == U_SPACE_SEPARATOR || category == U_LINE_SEPARATOR ||
        category == U_PARAGRAPH_SEPARATOR) {
      return invalid(kOtherRule, "it contains whitespace");
    }
  }
  return Status::Ok();
}

Status CheckBankAccount(std::string_view text, std::string_view path) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("{}: a bank account is 1 to {} ASCII digits: {} (an account is personal "
                    "data and is not shown)",
                    path, kBankAccountDigitsMax, why));
  };
  if (text.empty()) return invalid("it is empty");
  for (char c : text) {
    if (c < '0' || c > '9') return invalid("it holds something other than the digits 0-9");
  }
  if (text.size() > static_cast<size_t>(kBankAccountDigitsMax)) {
    return invalid("it has more than 34 digits");
  }
  return Status::Ok();
}

Status CheckText(std::string_view text, std::string_view path) {
  if (text.empty()) return Status::InvalidArgument(fmt::format("{}: is empty", path));
  std::optional<std::u32string> code_points = DecodeUtf8(text);
  if (!code_points.has_value()) {
    return Status::InvalidArgument(fmt::format("{}: invalid text (not UTF-8)", path));
  }
  if (code_points->size() > static_cast<size_t>(kTextLengthMax)) {
    return Status::InvalidArgument(fmt::format("{}: {} is too long: {} characters, at most {}",
                                               path, QuoteForMessage(text), code_points->size(),
                                               kTextLengthMax));
  }
  const std::string forbidden = ForbiddenInText(*code_points);
  if (!forbidden.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: {} {}", path, QuoteForMessage(text), forbidden));
  }
  bool blank = true;
  for (char32_t c : *code_points) blank = blank && IsWhitespaceCodePoint(c);
  if (blank) return Status::InvalidArgument(fmt::format("{}: is only whitespace", path));
  return Status::Ok();
}

Result<CaseNumber> ParseCaseNumber(std::string_view text, std::string_view path) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("{}: {} is not a case number like (2024)甘0102执1234号{}{}", path,
                    QuoteForMessage(text), why.empty() ? "" : ": ", why));
  };
  std::optional<std::u32string> code_points = DecodeUtf8(text);
  if (!code_points.has_value()) return invalid("");
  for (char32_t& c : *code_points) {
    if (c == U'（') c = U'(';
    if (c == U'）') c = U')';
  }
  CaseNumber number{};
  const std::string why = ReadCaseNumber(*code_points, &number);
  if (!why.empty()) return invalid(why);
  number.text = EncodeUtf8(*code_points);
  return number;
}

bool IsValidResidentId(std::string_view id) { return ResidentIdBirthDate(id).has_value(); }

std::optional<Date> ResidentIdBirthDate(std::string_view id) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheckCharacters = "10X98765432";
  if (id.size() != 18) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    if (!IsAsciiDigit(static_cast<unsigned char>(id[i]))) return std::nullopt;
    sum += (id[i] - '0') * kWeights[i];
  }
  if (id[17] != kCheckCharacters[sum % 11]) return std::nullopt;
  auto number = [&](size_t start, size_t count) {
    int value = 0;
    for (size_t i = start; i < start + count; ++i) value = value * 10 + (id[i] - '0');
    return value;
  };
  return Date::FromYmd(number(6, 4), number(10, 2), number(12, 2));
}

bool IsValidUscc(std::string_view code) {
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  static constexpr std::string_view kCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (code.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    const size_t value = kCharacters.find(code[i]);
    if (value == kCharacters.npos) return false;
    sum += static_cast<int>(value) * kWeights[i];
  }
  return code[17] == kCharacters[(31 - sum % 31) % 31];
}

std::string MakeAccountNumber(int64_t serial) {
  if (serial < 1 || serial > kAccountSerialMax) {
    // A programmer error: the ledger hands out serials, users never do.
    std::fprintf(stderr, "MakeAccountNumber: serial %lld out of range\n",
                 static_cast<long long>(serial));
    std::abort();
  }
  constexpr int64_t kPrefix = 8801;
  const int64_t body = kPrefix * (kAccountSerialMax + 1) + serial;
  return fmt::format("{:014d}{:02d}", body, Mod97CheckDigits(body));
}

bool IsValidAccountNumber(std::string_view text) {
  if (text.size() != 16) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value % 97 == 1;
}

}  // namespace caseledger
