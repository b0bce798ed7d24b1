// Proves that identifiers, free text, case numbers, ID numbers and virtual account numbers are
// accepted exactly when SPEC §1 and RULES §6 allow them, with messages that name the field.
#include "core/identifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace caseledger {
namespace {

// Rejected as INVALID_ARGUMENT with a message naming the path and containing `fragment`.
::testing::AssertionResult IdRejected(std::string_view text, IdKind kind,
                                      std::string_view fragment) {
  Status status = CheckIdentifier(text, "hold.hold_id", kind);
  if (status.ok()) return ::testing::AssertionFailure() << "accepted: " << text;
  if (status.code() != Code::kInvalidArgument || !status.message().starts_with("hold.hold_id: ") ||
      status.message().find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << status.ToString();
  }
  return ::testing::AssertionSuccess();
}

TEST(CheckIdentifierTest, AcceptsLettersDigitsPunctuationAnyScript) {
  for (const char* id :
       {"rcpt-2024-000123", "a", "张三", "hold#1", "请求_7.b", "x@y", "€5", "ID（甲）", "😀"}) {
    EXPECT_TRUE(CheckIdentifier(id, "request_id", IdKind::kPlain).ok()) << id;
  }
  EXPECT_TRUE(CheckIdentifier(std::string(128, 'a'), "request_id", IdKind::kPlain).ok());
  // 128 code points of three bytes each: the limit counts characters, not bytes.
  std::string chinese;
  for (int i = 0; i < 128; ++i) chinese += "款";
  EXPECT_TRUE(CheckIdentifier(chinese, "request_id", IdKind::kPlain).ok());
}

TEST(CheckIdentifierTest, RejectsEmptyAndTooLong) {
  for (IdKind kind : {IdKind::kPlain, IdKind::kOperator, IdKind::kBankRef, IdKind::kRequestId,
                      IdKind::kDisbursementRef}) {
    EXPECT_TRUE(IdRejected("", kind, "is empty"));
    EXPECT_TRUE(IdRejected(std::string(129, 'a'), kind, "is too long: 129 characters"));
    EXPECT_TRUE(CheckIdentifier(std::string(128, 'a'), "x", kind).ok());
  }
}

TEST(CheckIdentifierTest, RejectsWhitespace) {
  EXPECT_TRUE(IdRejected("a b", IdKind::kPlain, "U+0020 (a space, Zs)"));
  EXPECT_TRUE(IdRejected("a\u3000b", IdKind::kPlain, "U+3000 (a space, Zs)"));
  EXPECT_TRUE(IdRejected("a\u00a0b", IdKind::kPlain, "U+00A0 (a space, Zs)"));
  EXPECT_TRUE(IdRejected("a\u2003b", IdKind::kPlain, "U+2003 (a space, Zs)"));
  EXPECT_TRUE(IdRejected("a\u2028b", IdKind::kPlain, "U+2028 (a line separator, Zl)"));
  EXPECT_TRUE(IdRejected("a\u2029b", IdKind::kPlain, "U+2029 (a paragraph separator, Zp)"));
  EXPECT_TRUE(IdRejected("a\u202fb", IdKind::kPlain, "U+202F (a space, Zs)"));
  EXPECT_TRUE(IdRejected("a\u205fb", IdKind::kPlain, "U+205F (a space, Zs)"));
  EXPECT_TRUE(IdRejected("\ufeffab", IdKind::kPlain, "U+FEFF (an invisible format character, Cf)"));
  EXPECT_TRUE(IdRejected("a\u200bb", IdKind::kPlain, "U+200B (an invisible format character"));
  EXPECT_TRUE(IdRejected("ab ", IdKind::kBankRef, "a space (U+0020)"));
  EXPECT_TRUE(IdRejected("a b", IdKind::kOperator, "a space (U+0020)"));
}

TEST(CheckIdentifierTest, RejectsControlCharacters) {
  EXPECT_TRUE(IdRejected("a\tb", IdKind::kPlain, "U+0009 (a control character, Cc)"));
  EXPECT_TRUE(IdRejected(std::string("a\0b", 3), IdKind::kPlain, "U+0000 (a control character"));
  EXPECT_TRUE(IdRejected("a\x7f", IdKind::kPlain, "U+007F (a control character"));
  EXPECT_TRUE(IdRejected("a\u0085", IdKind::kPlain, "U+0085 (a control character"));
  EXPECT_TRUE(IdRejected("a\u009f", IdKind::kBankRef, "U+009F (a control character)"));
  EXPECT_TRUE(IdRejected("a\x01", IdKind::kOperator, "U+0001 (a control character)"));
  // Escaped in the message, never echoed raw.
  Status status = CheckIdentifier("a\nb", "request_id", IdKind::kPlain);
  EXPECT_NE(status.message().find("\"a\\nb\""), std::string::npos) << status.message();
}

// SPEC §1: no character of the categories Cc, Cf, Co, Cs, Cn, Zs, Zl, Zp, Mn or Me, by ICU's
// tables; everything else (letters, digits, punctuation, symbols, spacing marks) of any script.
TEST(CheckIdentifierTest, RefusesInvisibleCombiningPrivateAndUnassignedCharacters) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"a\u00adb", "U+00AD (an invisible format character, Cf)"},       // soft hyphen
      {"a\u200db", "U+200D (an invisible format character, Cf)"},       // zero width joiner
      {"a\u2060b", "U+2060 (an invisible format character, Cf)"},       // word joiner
      {"a\u200eb", "U+200E"},                                           // left-to-right mark
      {"a\u202eb", "U+202E"},                                           // right-to-left override
      {"a\u2066b", "U+2066"},                                           // left-to-right isolate
      {"a\U000E0041b", "U+E0041 (an invisible format character, Cf)"},  // tag latin A
      {"e\u0301", "U+0301 (a combining mark, Mn)"},
      {"a\ufe0f", "U+FE0F (a combining mark, Mn)"},  // variation selector
      {"a\u20dd", "U+20DD (an enclosing mark, Me)"},
      {"a\ue000", "U+E000 (a private-use character, Co)"},
      {"a\U000F0000", "U+F0000 (a private-use character, Co)"},
      {"a\u0378", "U+0378 (an unassigned code point, Cn)"},
      {"a\U000EFFFF", "U+EFFFF (an unassigned code point, Cn)"},
      {"a\ufdd0", "U+FDD0 (an unassigned code point, Cn)"},  // a noncharacter
  };
  for (const auto& [text, fragment] : refused) {
    EXPECT_TRUE(IdRejected(text, IdKind::kPlain, fragment));
    EXPECT_TRUE(IdRejected(text, IdKind::kRequestId, fragment));
    EXPECT_TRUE(IdRejected(text, IdKind::kDisbursementRef, fragment));
  }
  // The message says the rule.
  Status status = CheckIdentifier("a\u200db", "party_id", IdKind::kPlain);
  EXPECT_NE(status.message().find("without whitespace, '/', ':', control, invisible (format) or "
                                  "combining characters"),
            std::string::npos)
      << status.message();
  // The invisible character is escaped where the message quotes the identifier.
  EXPECT_NE(status.message().find("\"a\\u200Db\""), std::string::npos) << status.message();
  // Spacing marks (Mc), modifier letters, other scripts' digits and symbols are allowed; a
  // virama (Mn, as in Bengali ক্ষ) is not: SPEC refuses every non-spacing mark.
  EXPECT_TRUE(IdRejected("ক্ষ", IdKind::kPlain, "U+09CD (a combining mark, Mn)"));
  for (const char* id : {"कि", "ʰa", "١٢٣", "Ⅻ", "①", "ｈｏｌｄ", "Ω≈", "½"}) {
    EXPECT_TRUE(CheckIdentifier(id, "hold_id", IdKind::kPlain).ok()) << id;
  }
}

TEST(CheckIdentifierTest, OperatorsAndBankReferencesArePrintableAscii) {
  for (char c = 0x21; c <= 0x7E; ++c) {
    const std::string text = std::string("x") + c;
    EXPECT_TRUE(CheckIdentifier(text, "receipt.bank_ref", IdKind::kBankRef).ok()) << text;
    EXPECT_EQ(CheckIdentifier(text, "operator", IdKind::kOperator).ok(), c != '/' && c != ':')
        << text;
  }
  for (const char* look_alike :
       {"clerk.a\u00ad", "clerk.a\u200d", "clerk.a\u2060", "clerk.a\u200e", "clerk.a\u200f",
        "clerk.a\u202a", "clerk.a\u202b", "clerk.a\u202c", "clerk.a\u202d", "clerk.a\u202e",
        "clerk.a\u2066", "clerk.a\u2067", "clerk.a\u2068", "clerk.a\u2069", "ｃlerk.a",
        "clerk.а" /* Cyrillic a */, "clerk.a\u0301", "clerk.a\u00a0"}) {
    EXPECT_TRUE(IdRejected(look_alike, IdKind::kOperator, "printable ASCII")) << look_alike;
    EXPECT_TRUE(IdRejected(look_alike, IdKind::kBankRef, "printable ASCII")) << look_alike;
  }
  EXPECT_EQ(CheckIdentifier("clerk.a\u200d", "operator", IdKind::kOperator).message(),
            "operator: \"clerk.a\\u200D\" is not a valid operator: it contains U+200D, which is "
            "not printable ASCII; an operator is 1 to 128 printable ASCII characters without "
            "spaces, '/' or ':'");
  EXPECT_EQ(CheckIdentifier("Ｂ1", "receipt.bank_ref", IdKind::kBankRef).message(),
            "receipt.bank_ref: \"Ｂ1\" is not a valid bank reference: it contains U+FF22, which "
            "is not printable ASCII; a bank reference is 1 to 128 printable ASCII characters "
            "without spaces; '/' and ':' are allowed");
  EXPECT_TRUE(IdRejected("clerk/a", IdKind::kOperator, "'/'"));
  EXPECT_TRUE(IdRejected("clerk:a", IdKind::kOperator, "':'"));
  EXPECT_TRUE(IdRejected("张三", IdKind::kOperator, "U+5F20, which is not printable ASCII"));
}

TEST(CheckIdentifierTest, SlashAndColonOnlyInBankRefsAndTheProgramsShapes) {
  EXPECT_TRUE(IdRejected("a/b", IdKind::kPlain, "contains '/'"));
  EXPECT_TRUE(IdRejected("a:b", IdKind::kPlain, "contains ':'"));
  EXPECT_TRUE(CheckIdentifier("B2403/05:0001", "receipt.bank_ref", IdKind::kBankRef).ok());
  // request_id: a user's identifier, or reconcile:BANK_REF (what reconcile --record makes).
  EXPECT_TRUE(CheckIdentifier("reconcile:B1", "request_id", IdKind::kRequestId).ok());
  EXPECT_TRUE(CheckIdentifier("reconcile:B/1:2", "request_id", IdKind::kRequestId).ok());
  const std::string long_reconcile = "reconcile:" + std::string(128, 'b');
  EXPECT_TRUE(CheckIdentifier(long_reconcile, "request_id", IdKind::kRequestId).ok());
  EXPECT_TRUE(IdRejected(long_reconcile + "b", IdKind::kRequestId, "is too long: 129"));
  EXPECT_TRUE(IdRejected("reconcile:", IdKind::kRequestId, "after reconcile: comes a bank"));
  EXPECT_TRUE(IdRejected("reconcile:张", IdKind::kRequestId, "not printable ASCII"));
  EXPECT_TRUE(IdRejected("a/b", IdKind::kRequestId, "contains '/'"));
  EXPECT_TRUE(IdRejected("Reconcile:B1", IdKind::kRequestId, "contains ':'"));
  EXPECT_TRUE(IdRejected(std::string(129, 'r'), IdKind::kRequestId, "is too long"));
  EXPECT_TRUE(IdRejected("a b", IdKind::kRequestId, "or reconcile:BANK_REF"));
  // disbursement_id named again: a user's identifier, or DISTRIBUTION_ID/PARTY_ID.
  EXPECT_TRUE(CheckIdentifier("dist-1/p-7", "disbursement_id", IdKind::kDisbursementRef).ok());
  EXPECT_TRUE(CheckIdentifier("分配/张三", "disbursement_id", IdKind::kDisbursementRef).ok());
  const std::string joined = std::string(128, 'd') + "/" + std::string(128, 'p');
  EXPECT_TRUE(CheckIdentifier(joined, "disbursement_id", IdKind::kDisbursementRef).ok());
  EXPECT_TRUE(IdRejected(joined + "x", IdKind::kDisbursementRef, "PARTY_ID after '/'"));
  EXPECT_TRUE(IdRejected("d" + joined, IdKind::kDisbursementRef, "DISTRIBUTION_ID before '/'"));
  EXPECT_TRUE(IdRejected("a/b/c", IdKind::kDisbursementRef, "contains '/'"));
  EXPECT_TRUE(IdRejected("/c", IdKind::kDisbursementRef, "is empty"));
  EXPECT_TRUE(IdRejected("a:b", IdKind::kDisbursementRef, "contains ':'"));
  EXPECT_TRUE(IdRejected("a b/c", IdKind::kDisbursementRef, "a space"));
  EXPECT_TRUE(IdRejected("a/c\u200d", IdKind::kDisbursementRef, "U+200D"));
}

TEST(SameOperatorTest, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(SameOperator("clerk.a", "clerk.a"));
  EXPECT_TRUE(SameOperator("Clerk.A", "clerk.a"));
  EXPECT_TRUE(SameOperator("CLERK.A", "clerk.a"));
  EXPECT_FALSE(SameOperator("clerk.a", "clerk.b"));
  EXPECT_FALSE(SameOperator("clerk.a", "clerk.a "));
  EXPECT_FALSE(SameOperator("clerk.a", "clerk.aa"));
  EXPECT_FALSE(SameOperator("[", "{"));  // 0x5B and 0x7B differ by 0x20 but are not letters
  EXPECT_FALSE(SameOperator("@", "`"));
}

// SPEC §2: ID numbers and accounts never appear in a message, whole or in part.
TEST(PersonalDataTest, IdNumbersAreCheckedWithoutEcho) {
  EXPECT_TRUE(CheckIdNumber(pb::ID_TYPE_RESIDENT_ID, "11010519491231002X", "p").ok());
  EXPECT_TRUE(CheckIdNumber(pb::ID_TYPE_USCC, "91350100M000100Y43", "p").ok());
  EXPECT_TRUE(CheckIdNumber(pb::ID_TYPE_OTHER, "E12345678", "p").ok());
  EXPECT_TRUE(CheckIdNumber(pb::ID_TYPE_OTHER, "护照-E123", "p").ok());
  EXPECT_TRUE(CheckIdNumber(pb::ID_TYPE_OTHER, std::string(64, '7'), "p").ok());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "it is empty"},
      {std::string(65, '7'), "longer than 64 characters"},
      {"E1234\x01", "a control character"},
      {"E1234\u0085", "a control character"},
      {"E12 345", "whitespace"},
      {"E12\u3000345", "whitespace"},
      {"E12\u2028345", "whitespace"},
      {"E12\u200d345", "a format character"},
      {"E12\xff", "not valid UTF-8"},
  };
  for (const auto& [number, fragment] : bad) {
    Status status = CheckIdNumber(pb::ID_TYPE_OTHER, number, "open_case.debtors[0].id_number");
    ASSERT_FALSE(status.ok()) << number;
    EXPECT_EQ(status.code(), Code::kInvalidArgument);
    EXPECT_TRUE(
        status.message().starts_with("open_case.debtors[0].id_number: must be 1 to 64 "
                                     "characters, none a control, format (invisible) or "
                                     "whitespace character: "))
        << status.message();
    EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("personal data and is not shown"), std::string::npos);
    if (number.size() >= 4) {
      EXPECT_EQ(status.message().find(number.substr(0, 4)), std::string::npos) << status.message();
    }
  }
  for (const char* number : {"11010519491231002Y", "1101051949123100", "E1234"}) {
    Status status = CheckIdNumber(pb::ID_TYPE_RESIDENT_ID, number, "p");
    EXPECT_EQ(status.message(),
              "p: not a valid resident ID number: GB 11643 takes 17 digits, a check character (0-9 "
              "or X) and a real birth date (an ID number is personal data and is not shown)");
  }
  EXPECT_FALSE(CheckIdNumber(pb::ID_TYPE_USCC, "91350100M000100Y44", "p").ok());
  EXPECT_EQ(CheckIdNumber(pb::ID_TYPE_USCC, "91350100M000100Y44", "p").message().find("9135"),
            std::string::npos);
}

TEST(PersonalDataTest, BankAccountsAreDigitsCheckedWithoutEcho) {
  EXPECT_TRUE(CheckBankAccount("6222000011112222", "p").ok());
  EXPECT_TRUE(CheckBankAccount("0", "p").ok());
  EXPECT_TRUE(CheckBankAccount(std::string(34, '9'), "p").ok());
  for (const std::string& bad :
       {std::string(""), std::string(35, '9'), std::string("6222 0000"), std::string("6222-0000"),
        std::string("６２２２"), std::string("6222\x01"), std::string("GB82WEST1234"),
        std::string("6222\xff")}) {
    Status status = CheckBankAccount(bad, "open_case.creditors[0].account");
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_TRUE(status.message().starts_with(
        "open_case.creditors[0].account: a bank account is 1 to 34 ASCII digits: "))
        << status.message();
    if (bad.size() >= 4) {
      EXPECT_EQ(status.message().find(bad.substr(0, 4)), std::string::npos) << status.message();
    }
  }
}

TEST(CheckIdentifierTest, RejectsInvalidUtf8WithoutEchoingIt) {
  for (const char* bad : {"\xff", "a\xc0\xafz", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe6\xac"}) {
    Status status = CheckIdentifier(bad, "request_id", IdKind::kPlain);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.message(), "request_id: invalid text (not UTF-8)");
  }
}

TEST(CheckTextTest, AcceptsNamesAndReasons) {
  EXPECT_TRUE(CheckText("张某某", "receipt.payer").ok());
  EXPECT_TRUE(CheckText("Zhang San, Ltd.", "receipt.payer").ok());
  EXPECT_TRUE(CheckText("退还多缴款 / refund: overpaid", "refund.reason").ok());
  EXPECT_TRUE(CheckText(std::string(1024, 'x'), "refund.reason").ok());
}

TEST(CheckTextTest, RejectsBadText) {
  auto message = [](std::string_view text) {
    Status status = CheckText(text, "open_case.creditors[0].name");
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_EQ(status.code(), Code::kInvalidArgument);
    EXPECT_EQ(status.message().rfind("open_case.creditors[0].name: ", 0), 0u) << status.message();
    return status.message();
  };
  EXPECT_NE(message("").find("is empty"), std::string::npos);
  EXPECT_NE(message("   ").find("only whitespace"), std::string::npos);
  EXPECT_NE(message(std::string(1025, 'x')).find("too long"), std::string::npos);
  EXPECT_NE(message("a\nb").find("control character (U+000A)"), std::string::npos);
  EXPECT_NE(message("a\tb").find("control character (U+0009)"), std::string::npos);
  EXPECT_NE(message("\x80").find("invalid text"), std::string::npos);
}

TEST(QuoteForMessageTest, TruncatesAndEscapes) {
  EXPECT_EQ(QuoteForMessage("abc"), "\"abc\"");
  EXPECT_EQ(QuoteForMessage("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(QuoteForMessage(std::string(40, 'x')), "\"" + std::string(40, 'x') + "\"");
  EXPECT_EQ(QuoteForMessage(std::string(41, 'x')), "\"" + std::string(40, 'x') + "…\"");
  EXPECT_EQ(QuoteForMessage("a\x01"), "\"a\\u0001\"");
  // Characters that show nothing or pass for another are escaped too.
  EXPECT_EQ(QuoteForMessage("a\u200d\u00ad\u202e"), "\"a\\u200D\\u00AD\\u202E\"");
  EXPECT_EQ(QuoteForMessage("a\u3000b\ue000"), "\"a\\u3000b\\uE000\"");
  EXPECT_EQ(QuoteForMessage("a\U000E0041"), "\"a\\U000E0041\"");
  EXPECT_EQ(QuoteForMessage("张 三é"), "\"张 三é\"");
  EXPECT_EQ(QuoteForMessage("a\xff"), "invalid text (not UTF-8)");
}

TEST(Utf8Test, DecodesStrictly) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("甘0102执"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation byte
  EXPECT_FALSE(IsValidUtf8("\xe7\x94"));          // truncated
  std::optional<std::u32string> decoded = DecodeUtf8("a执");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, U"a执");
}

CaseNumber ParseOk(std::string_view text) {
  Result<CaseNumber> number = ParseCaseNumber(text, "receipt.case_no");
  EXPECT_TRUE(number.ok()) << text << ": " << number.status().ToString();
  return number.ok() ? *number : CaseNumber{};
}

void ExpectCaseNumberRejected(std::string_view text, std::string_view why) {
  Result<CaseNumber> number = ParseCaseNumber(text, "receipt.case_no");
  ASSERT_FALSE(number.ok()) << "accepted: " << text;
  EXPECT_EQ(number.status().code(), Code::kInvalidArgument);
  const std::string& message = number.status().message();
  EXPECT_NE(message.find("receipt.case_no: "), std::string::npos) << message;
  EXPECT_NE(message.find("is not a case number like (2024)甘0102执1234号"), std::string::npos)
      << message;
  EXPECT_NE(message.find(why), std::string::npos) << message;
}

TEST(ParseCaseNumberTest, BasicCourt) {
  const CaseNumber number = ParseOk("(2024)甘0102执1234号");
  EXPECT_EQ(number.text, "(2024)甘0102执1234号");
  EXPECT_EQ(number.year, 2024);
  EXPECT_EQ(number.court, "甘0102");
  EXPECT_EQ(number.special, "");
  EXPECT_EQ(number.type_code, "执");
  EXPECT_EQ(number.serial, 1234);
}

TEST(ParseCaseNumberTest, FullWidthParenthesesAreNormalised) {
  const CaseNumber number = ParseOk("（2024）甘0102执恢12号");
  EXPECT_EQ(number.text, "(2024)甘0102执恢12号");
  EXPECT_EQ(number.type_code, "执恢");
  EXPECT_EQ(number.serial, 12);
}

TEST(ParseCaseNumberTest, SupremeHighIntermediateAndSpecialCourts) {
  const CaseNumber supreme = ParseOk("(2024)最高法执1号");
  EXPECT_EQ(supreme.court, "最高法");
  EXPECT_EQ(supreme.serial, 1);
  const CaseNumber high = ParseOk("(2024)京执5号");
  EXPECT_EQ(high.court, "京");
  EXPECT_EQ(high.type_code, "执");
  EXPECT_EQ(ParseOk("(2023)粤03执保77号").court, "粤03");
  const CaseNumber special = ParseOk("(2022)沪72执异3号");
  EXPECT_EQ(special.court, "沪72");
  EXPECT_EQ(special.type_code, "执异");
  const CaseNumber with_special = ParseOk("(2021)兵0101林执复999999999号");
  EXPECT_EQ(with_special.court, "兵0101");
  EXPECT_EQ(with_special.special, "林");
  EXPECT_EQ(with_special.type_code, "执复");
  EXPECT_EQ(with_special.serial, 999999999);
  for (const char* type : {"执", "执恢", "执保", "执异", "执复", "执监", "执协"}) {
    EXPECT_EQ(ParseOk(std::string("(1949)甘01") + type + "8号").type_code, type);
  }
}

TEST(ParseCaseNumberTest, RejectsMalformed) {
  ExpectCaseNumberRejected("(2024)甘0102执0123号", "leading zero");
  ExpectCaseNumberRejected("(2024)甘0102执1234", "must end with 号");
  ExpectCaseNumberRejected("(2024)甘0102执1234号 ", "must end with 号");
  ExpectCaseNumberRejected("(2024)甘0102执X1号", "type code");
  ExpectCaseNumberRejected("(2024)甘0102执行1号", "type code");
  ExpectCaseNumberRejected("(2024)甘0102民1号", "type code");
  ExpectCaseNumberRejected("(24)甘0102执1号", "four-digit year");
  ExpectCaseNumberRejected("(1948)甘0102执1号", "1949 to 9999");
  ExpectCaseNumberRejected("2024甘0102执1号", "year in parentheses");
  ExpectCaseNumberRejected("(2024)甘012执1号", "0, 2 or 4 digits");
  ExpectCaseNumberRejected("(2024)甘010203执1号", "0, 2 or 4 digits");
  ExpectCaseNumberRejected("(2024)港执1号", "province abbreviation or 最高法");
  ExpectCaseNumberRejected("(2024)甘0102执号", "serial number is missing");
  ExpectCaseNumberRejected("(2024)甘0102执1234567890号", "more than 9 digits");
  ExpectCaseNumberRejected("", "year in parentheses");
  Result<CaseNumber> invalid = ParseCaseNumber("(2024)\xff", "case_no");
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("invalid text"), std::string::npos);
}

TEST(ResidentIdTest, CheckCharacter) {
  // 11010519491231002X: weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 over 11010519491231002
  // give 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "10X98765432"[2] = 'X'.
  EXPECT_TRUE(IsValidResidentId("11010519491231002X"));
  // 44030420100101001: 28+36+0+15+0+16+4+0+6+0+0+9+0+5+0+0+2 = 121; 121 mod 11 = 0 -> '1'.
  EXPECT_TRUE(IsValidResidentId("440304201001010011"));
  EXPECT_TRUE(IsValidResidentId("620102200802291234"));   // born on a leap day
  EXPECT_FALSE(IsValidResidentId("110105194912310021"));  // wrong check character
  EXPECT_FALSE(IsValidResidentId("11010519491231002x"));  // check character must be upper case
  EXPECT_FALSE(IsValidResidentId("11010519491231003X"));  // one digit changed
  EXPECT_FALSE(IsValidResidentId("11010519491231002"));   // 17 characters
  EXPECT_FALSE(IsValidResidentId("11010519491231002X0"));
  EXPECT_FALSE(IsValidResidentId("1101051949123100AX"));
  EXPECT_FALSE(IsValidResidentId(""));
}

TEST(ResidentIdTest, BirthDate) {
  std::optional<Date> birth = ResidentIdBirthDate("11010519491231002X");
  ASSERT_TRUE(birth.has_value());
  EXPECT_EQ(birth->ToString(), "1949-12-31");
  EXPECT_EQ(ResidentIdBirthDate("620102200802291234")->ToString(), "2008-02-29");
  EXPECT_FALSE(ResidentIdBirthDate("110105194912310021").has_value());
}

TEST(ResidentIdTest, ImpossibleBirthDateIsInvalid) {
  // 11010519490230001 has a valid check character (computed like the others) but 1949-02-30
  // does not exist.
  const std::string body = "11010519490230001";
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < body.size(); ++i) sum += (body[i] - '0') * kWeights[i];
  const std::string id = body + std::string(1, std::string_view("10X98765432")[sum % 11]);
  EXPECT_FALSE(IsValidResidentId(id));
  EXPECT_FALSE(ResidentIdBirthDate(id).has_value());
}

TEST(UsccTest, CheckCharacter) {
  EXPECT_TRUE(IsValidUscc("91350100M000100Y43"));
  EXPECT_FALSE(IsValidUscc("91350100M000100Y44"));  // check character changed
  EXPECT_FALSE(IsValidUscc("91350100M000101Y43"));  // a body character changed
  EXPECT_FALSE(IsValidUscc("91350100M000100Y4"));   // 17 characters
  EXPECT_FALSE(IsValidUscc("91350100I000100Y43"));  // I is not in the alphabet
  EXPECT_FALSE(IsValidUscc("91350100m000100Y43"));  // lower case
}

TEST(AccountNumberTest, MakeAndCheck) {
  // Body 88010000000017: 8801000000001700 mod 97 = 12, so the check digits are 98 - 12 = 86.
  EXPECT_EQ(MakeAccountNumber(17), "8801000000001786");
  EXPECT_TRUE(IsValidAccountNumber("8801000000001786"));
  for (int64_t serial :
       {int64_t{1}, int64_t{2}, int64_t{99}, int64_t{123456789}, kAccountSerialMax}) {
    const std::string number = MakeAccountNumber(serial);
    EXPECT_EQ(number.size(), 16u);
    EXPECT_EQ(number.substr(0, 4), "8801");
    EXPECT_TRUE(IsValidAccountNumber(number)) << number;
  }
}

TEST(AccountNumberTest, EverySingleDigitChangeFails) {
  const std::string number = MakeAccountNumber(4242);
  for (size_t i = 0; i < number.size(); ++i) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == number[i]) continue;
      std::string changed = number;
      changed[i] = digit;
      EXPECT_FALSE(IsValidAccountNumber(changed)) << changed;
    }
  }
}

TEST(AccountNumberTest, RejectsWrongShape) {
  EXPECT_FALSE(IsValidAccountNumber(""));
  EXPECT_FALSE(IsValidAccountNumber("880100000000178"));
  EXPECT_FALSE(IsValidAccountNumber("88010000000017860"));
  EXPECT_FALSE(IsValidAccountNumber("880100000000178X"));
  EXPECT_FALSE(IsValidAccountNumber("８801000000001786"));
}

TEST(AccountNumberDeathTest, SerialOutOfRangeAborts) {
  EXPECT_DEATH((void)MakeAccountNumber(0), "out of range");
  EXPECT_DEATH((void)MakeAccountNumber(kAccountSerialMax + 1), "out of range");
}

}  // namespace
}  // namespace caseledger
