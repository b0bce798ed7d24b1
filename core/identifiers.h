// Checks for what users type (SPEC §1): identifiers, free text, case numbers (RULES §6), ID
// numbers (GB 11643, GB 32100) and virtual case account numbers (ISO 7064 MOD 97-10).
#ifndef CASELEDGER_CORE_IDENTIFIERS_H_
#define CASELEDGER_CORE_IDENTIFIERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "caseledger.pb.h"
#include "core/date.h"
#include "core/status.h"

namespace caseledger {

// Length limits in code points, with their reasons.
// SPEC §1: identifiers a user gives, operators and bank references are 1-128 characters.
inline constexpr int kIdentifierLengthMax = 128;
// SPEC §2 PARTY: an id_number of type "other" is 1-64 characters.
inline constexpr int kOtherIdNumberLengthMax = 64;
// SPEC §2: a bank account is 1-34 ASCII digits (34: the longest IBAN).
inline constexpr int kBankAccountDigitsMax = 34;
// Names, reasons, payers, memos: long enough for any real name or reason, short enough that one
// field cannot bloat an entry.
inline constexpr int kTextLengthMax = 1024;
// Error messages echo at most this many bytes of what the user typed.
inline constexpr int kMessageEchoBytesMax = 40;
// The prefix of the request ids that `reconcile --record` makes: "reconcile:BANK_REF".
inline constexpr std::string_view kReconcileRequestPrefix = "reconcile:";

// What an identifier may contain (SPEC §1). Every kind is valid UTF-8 of 1-128 characters.
//   kPlain: what a user names things with (request_id, party_id, hold_id, disbursement_id,
//     event_id, distribution_id, lodgment_id, payee ids): letters, digits, punctuation and
//     symbols of any script; no '/' or ':', and no character of the Unicode general categories
//     Cc, Cf, Co, Cs, Cn, Zs, Zl, Zp, Mn or Me (ICU's u_charType): no control, invisible
//     (format), private-use, unassigned, space, separator or combining character, which would
//     let two identifiers look the same. Spacing marks (Mc, as in Devanagari) are letters'
//     parts and allowed.
//   kOperator: operator and approved_by: printable ASCII (0x21-0x7E) without '/' or ':'.
//   kBankRef: bank_ref and batch_ref (the bank's reference of a statement line): printable
//     ASCII (0x21-0x7E); '/' and ':' allowed.
//   kRequestId: request_id and target_request_id: a kPlain identifier, or the shape
//     `reconcile --record` makes, "reconcile:" + a kBankRef (up to 138 characters in all).
//   kDisbursementRef: a disbursement_id naming an existing disbursement (approve, confirm,
//     fail): a kPlain identifier, or the shape `distribute` makes, DISTRIBUTION_ID "/" PARTY_ID,
//     both kPlain (up to 257 characters in all).
enum class IdKind { kPlain, kOperator, kBankRef, kRequestId, kDisbursementRef };

// OK, or InvalidArgument "<path>: ..." saying what is wrong and the rule of its kind, e.g.
// `operator: "clerk.a\u200D" is not a valid operator: it contains U+200D, which is not
// printable ASCII; an operator is 1 to 128 printable ASCII characters without spaces, '/' or
// ':'`.
Status CheckIdentifier(std::string_view text, std::string_view path, IdKind kind);

// Maker and checker (SPEC §2): the same operator when equal ignoring ASCII case, so that
// "Clerk.A" cannot approve what "clerk.a" asked for. Operators are ASCII (kOperator).
bool SameOperator(std::string_view a, std::string_view b);
// What a NOT_PERMITTED message says of the comparison.
inline constexpr std::string_view kOperatorsCompared = "operators are compared ignoring case";

// Personal data (SPEC §2): ID numbers and bank accounts are never in an error message, whole or
// in part. The messages of these checks name the field and the rule, never the value.
// A PARTY's id_number checked against its id_type: resident_id (GB 11643), uscc (GB 32100)
// or other (1-64 characters, none a control, format or whitespace character).
Status CheckIdNumber(pb::IdType id_type, std::string_view number, std::string_view path);
// A bank account: 1-34 ASCII digits.
Status CheckBankAccount(std::string_view text, std::string_view path);

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
// bytes of it (cut at a character boundary and marked with "…"), with '"', '\' and every
// character that shows nothing or could pass for another escaped as \uXXXX (controls, format
// characters, separators, spaces other than U+0020, private-use and unassigned code points);
// "invalid text (not UTF-8)" when it is not valid UTF-8. Never for personal data.
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
