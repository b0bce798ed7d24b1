// Checks for what users type (SPEC §1): identifiers, free text, case numbers (RULES §6), ID
// numbers (GB 11643, GB 32100) and virtual case account numbers (ISO 7064 MOD 97-10).
#ifndef CASELEDGER_CORE_IDENTIFIERS_H_
#define CASELEDGER_CORE_IDENTIFIERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace caseledger {

// Length limits in code points, with their reasons.
// SPEC §1: identifiers a user gives are 1-128 characters.
inline constexpr int kIdentifierLengthMax = 128;
// Identifiers the program makes join two user identifiers ("DISTRIBUTION_ID/PARTY_ID",
// "reconcile:BANK_REF"), so they may be up to two of them plus the joining character.
inline constexpr int kGeneratedIdentifierLengthMax = 2 * kIdentifierLengthMax + 1;
// Names, reasons, payers, memos: long enough for any real name or reason, short enough that one
// field cannot bloat an entry.
inline constexpr int kTextLengthMax = 1024;
// Error messages echo at most this many bytes of what the user typed.
inline constexpr int kMessageEchoBytesMax = 40;

// What an identifier may contain. Every kind: valid UTF-8, no whitespace, no control characters.
//   kPlain: request_id, party_id, hold_id, ... (SPEC §1): 1-128 code points, no '/' or ':'.
//   kBankRef: like kPlain, but '/' and ':' are allowed.
//   kGenerated: an identifier of a kind the program also makes ("DISTRIBUTION_ID/PARTY_ID",
//     "reconcile:BANK_REF"), e.g. a disbursement_id or request_id that refers to an existing
//     entry: '/' and ':' allowed, up to kGeneratedIdentifierLengthMax code points.
enum class IdKind { kPlain, kBankRef, kGenerated };

// OK, or InvalidArgument "<path>: ..." saying what is wrong.
Status CheckIdentifier(std::string_view text, std::string_view path, IdKind kind);

// Free text fields (names, reasons, payers, memos): valid UTF-8, 1-1024 code points, not only
// whitespace, no control characters at all (no tabs or line breaks either).
// Error: InvalidArgument "<path>: ...".
Status CheckText(std::string_view text, std::string_view path);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);
// The code points of strict UTF-8 text; nullopt if the text is not valid UTF-8.
std::optional<std::u32string> DecodeUtf8(std::string_view text);
// ASCII whitespace and the Unicode spaces (U+0085, U+00A0, U+1680, U+180E, U+2000-U+200B,
// U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF).
bool IsWhitespaceCodePoint(char32_t c);
// C0 controls, DEL and C1 controls.
bool IsControlCodePoint(char32_t c);
// What a message shows of user input: the text in quotation marks, at most kMessageEchoBytesMax
// bytes of it (cut at a character boundary and marked with "…"), with '"', '\' and control
// characters escaped; "invalid text (not UTF-8)" when it is not valid UTF-8.
std::string QuoteForMessage(std::string_view text);

struct CaseNumber {
  std::string text;       // normalised: full-width （） replaced by ASCII ()
  int year;               // 1949..9999
  std::string court;      // court code, e.g. "甘0102", "最高法", "京"
  std::string special;    // optional one-character special-court code, "" if none
  std::string type_code;  // "执", "执恢", "执保", "执异", "执复", "执监", "执协"
  int64_t serial;         // > 0, no leading zero in the text
};

// RULES §6 / SPEC §1: "(YYYY)" + court code (a province abbreviation, then 0, 2 or 4 ASCII
// digits; or "最高法") + optional one CJK character other than 执 (special court) + type code +
// serial (1-9 digits, no leading zero) + "号". Year 1949..9999. Full-width parentheses accepted.
// Error: InvalidArgument "<path>: \"...\" is not a case number like (2024)甘0102执1234号: <why>".
Result<CaseNumber> ParseCaseNumber(std::string_view text, std::string_view path);

// GB 11643 resident ID: 17 digits and a check character (0-9 or upper-case X) computed with
// weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 mod 11 -> "10X98765432"; the birth date
// (characters 7-14, YYYYMMDD) must be a valid date.
bool IsValidResidentId(std::string_view id);
// The birth date of a valid resident ID; nullopt if the ID is not valid.
std::optional<Date> ResidentIdBirthDate(std::string_view id);

// GB 32100 unified social credit code: 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY",
// weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28, check = (31 - sum % 31) % 31.
bool IsValidUscc(std::string_view code);

// Virtual case account numbers: 16 ASCII digits, the last two ISO 7064 MOD 97-10 check digits
// over the first 14 (the whole number mod 97 is 1).
inline constexpr int64_t kAccountSerialMax = 9999999999;
// "8801" + serial zero-padded to 10 digits + 2 check digits. serial must be in
// [1, kAccountSerialMax]; anything else is a programmer error and aborts.
std::string MakeAccountNumber(int64_t serial);
bool IsValidAccountNumber(std::string_view text);

}  // namespace caseledger

#endif  // CASELEDGER_CORE_IDENTIFIERS_H_
