// Proves that no control is dodged by a look-alike (issue 15): invisible, combining and
// full-width characters are refused in identifiers, operators differ ignoring case wherever maker
// and checker must differ, ID numbers and bank accounts never appear in an error message, input
// dates lie in 1949-10-01..2199-12-31, and a party id keeps one identity across cases.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/identifiers.h"
#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {
namespace {

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// GB 11643: 17 digits and the check character (computed here independently of core/).
std::string ResidentId(std::string_view first17) {
  constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return std::string(first17) + "10X98765432"[sum % 11];
}

// Characters that look like nothing, or like the character beside them: each one appended to an
// identifier must not make a new one. As JSON escapes, so that a control character can stand in
// a JSON string.
const std::vector<std::string> kInvisible = {
    "\\u00ad",             // soft hyphen (Cf)
    "\\u200d",             // zero width joiner (Cf)
    "\\u200c",             // zero width non-joiner (Cf)
    "\\u2060",             // word joiner (Cf)
    "\\u200e", "\\u200f",  // left-to-right and right-to-left marks (Cf)
    "\\u202a", "\\u202b", "\\u202c", "\\u202d", "\\u202e",  // embeddings and overrides (Cf)
    "\\u2066", "\\u2067", "\\u2068", "\\u2069",             // isolates (Cf)
    "\\u200b",                                              // zero width space (Cf)
    "\\ufeff",                                              // byte order mark (Cf)
    "\\u034f",                                              // combining grapheme joiner (Mn)
    "\\u0301",                                              // combining acute accent (Mn)
    "\\u20dd",                                              // combining enclosing circle (Me)
    "\\ufe0f",                                              // variation selector-16 (Mn)
    "\\ue000",                                              // private use (Co)
    "\\u0378",                                              // unassigned (Cn)
    "\\u2028",                                              // line separator (Zl)
    "\\u00a0",                                              // no-break space (Zs)
    "\\u0085",                                              // next line (Cc)
};

// The input, as code points, has no run of 4 or more consecutive characters in `message`.
::testing::AssertionResult EchoesNoRunOf4(const std::string& input, const std::string& message) {
  std::optional<std::u32string> code_points = DecodeUtf8(input);
  if (!code_points) return ::testing::AssertionFailure() << "test input is not UTF-8";
  for (size_t start = 0; start + 4 <= code_points->size(); ++start) {
    std::string window;
    for (size_t i = start; i < start + 4; ++i) {
      const char32_t c = (*code_points)[i];
      // UTF-8 of one code point (the test's own encoder, independent of core/).
      if (c < 0x80) {
        window += static_cast<char>(c);
      } else if (c < 0x800) {
        window += static_cast<char>(0xC0 | (c >> 6));
        window += static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        window += static_cast<char>(0xE0 | (c >> 12));
        window += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        window += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        window += static_cast<char>(0xF0 | (c >> 18));
        window += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        window += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        window += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    if (message.find(window) != std::string::npos) {
      return ::testing::AssertionFailure()
             << "the message echoes \"" << window << "\": " << message;
    }
  }
  return ::testing::AssertionSuccess();
}

// JSON string content to the text it stands for (\uXXXX escapes of the BMP only).
std::string Unescape(std::string_view json_text) {
  std::string out;
  for (size_t i = 0; i < json_text.size(); ++i) {
    if (json_text[i] == '\\' && i + 5 < json_text.size() && json_text[i + 1] == 'u') {
      const char32_t c =
          static_cast<char32_t>(std::stoul(std::string(json_text.substr(i + 2, 4)), nullptr, 16));
      std::string encoded;
      if (c < 0x80) {
        encoded += static_cast<char>(c);
      } else if (c < 0x800) {
        encoded += static_cast<char>(0xC0 | (c >> 6));
        encoded += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        encoded += static_cast<char>(0xE0 | (c >> 12));
        encoded += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        encoded += static_cast<char>(0x80 | (c & 0x3F));
      }
      out += encoded;
      i += 5;
    } else {
      out += json_text[i];
    }
  }
  return out;
}

class IdentityTest : public EngineTest {
 protected:
  std::string Message() const { return last_error_.message(); }

  // kCase with 1,000.00 and a disbursement D1 of 100.00 requested by clerk.wang.
  void RequestedByClerkWang() {
    Accept(OpenCase("2024-03-01"));
    Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
    Accept(Request("2024-03-02", "D1", "100.00"));
  }
  std::string OpenWithParties(std::string_view on, std::string_view case_no,
                              std::string_view creditors, std::string_view debtors,
                              std::string_view request_id = "") {
    const std::string body = R"({"case_no": )" + Quoted(case_no) +
                             R"(, "claim": "1000.00", "creditors": )" + std::string(creditors) +
                             R"(, "debtors": )" + std::string(debtors) + "}";
    if (request_id.empty()) return Cmd(on, "open_case", body);
    return CmdId(request_id, on, "open_case", body);
  }
  // A party object; id_type and id_number left out when empty.
  static std::string Party(std::string_view party_id, std::string_view id_type = "",
                           std::string_view id_number = "", std::string_view extra = "") {
    std::string party = R"({"party_id": )" + Quoted(party_id) + R"(, "name": "某某")";
    if (!id_type.empty()) party += R"(, "id_type": )" + Quoted(id_type);
    if (!id_number.empty()) party += R"(, "id_number": )" + Quoted(id_number);
    if (!extra.empty()) party += ", " + std::string(extra);
    return party + "}";
  }
  std::string Item(std::string_view payee, std::string_view bank_ref, std::string_view extra = "") {
    std::string item = R"({"case_no": )" + Quoted(kCase) + R"(, "payee": )" + Quoted(payee) +
                       R"(, "amount": "10.00", "bank_ref": )" + Quoted(bank_ref);
    if (!extra.empty()) item += ", " + std::string(extra);
    return item + "}";
  }
  std::string Event(std::string_view on, std::string_view event_id, std::string_view approved_by,
                    std::string_view item) {
    return Cmd(on, "collective_disbursement",
               R"({"event_id": )" + Quoted(event_id) +
                   R"(, "title": "集中发放日", "approved_by": )" + Quoted(approved_by) +
                   R"(, "items": [)" + std::string(item) + "]}");
  }
};

// ---------------------------------------------------------------------------------------
// 1. operator and bank_ref: printable ASCII

TEST_F(IdentityTest, AnInvisibleCharacterDoesNotMakeTheRequesterSomeoneElse) {
  RequestedByClerkWang();
  for (const std::string& invisible : kInvisible) {
    for (const std::string& look_alike :
         {std::string(kClerk) + invisible, invisible + std::string(kClerk),
          "clerk" + invisible + ".wang"}) {
      EXPECT_EQ(Reject(Approve("2024-03-03", "D1", look_alike)), "INVALID_ARGUMENT") << look_alike;
      EXPECT_TRUE(Message().starts_with("operator: ")) << Message();
      EXPECT_NE(Message().find("printable ASCII"), std::string::npos) << Message();
    }
  }
  // The message names the character it refuses.
  Reject(Approve("2024-03-03", "D1", std::string(kClerk) + "\\u200d"));
  EXPECT_NE(Message().find("U+200D"), std::string::npos) << Message();
  // Full-width letters look like ASCII and are not.
  EXPECT_EQ(Reject(Approve("2024-03-03", "D1", "ｃlerk.wang")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("U+FF43"), std::string::npos) << Message();
  // Only a bank reference may contain '/' or ':'.
  EXPECT_EQ(Reject(Approve("2024-03-03", "D1", "clerk/li")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Approve("2024-03-03", "D1", "clerk:li")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Approve("2024-03-03", "D1", "张三")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Approve("2024-03-03", "D1", std::string(129, 'a'))), "INVALID_ARGUMENT");
  Accept(Approve("2024-03-03", "D1", std::string(128, 'a')));
}

TEST_F(IdentityTest, ApprovedByIsAnOperatorToo) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  for (const std::string& invisible : kInvisible) {
    EXPECT_EQ(
        Reject(Hold("2024-03-02", "H1", std::string("1.00"), std::string(kChecker) + invisible)),
        "INVALID_ARGUMENT")
        << invisible;
    EXPECT_TRUE(Message().starts_with("hold.approved_by: ")) << Message();
  }
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", std::string("1.00"), "clerk/li")), "INVALID_ARGUMENT");
}

TEST_F(IdentityTest, AnInvisibleCharacterDoesNotMakeANewBankReference) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "B1"));
  for (const std::string& invisible : kInvisible) {
    EXPECT_EQ(Reject(Receipt("2024-03-01", "1000.00", "B1" + invisible)), "INVALID_ARGUMENT")
        << invisible;
    EXPECT_TRUE(Message().starts_with("receipt.bank_ref: ")) << Message();
    EXPECT_EQ(Reject(Receipt("2024-03-01", "1000.00", invisible + "B1")), "INVALID_ARGUMENT");
  }
  EXPECT_EQ(Reject(Receipt("2024-03-01", "1000.00", "Ｂ1")), "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("printable ASCII"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Receipt("2024-03-01", "1000.00", "B1")), "DUPLICATE_BANK_REF");
  // A bank reference may contain '/' and ':'.
  Accept(Receipt("2024-03-01", "1.00", "B240305/0001:7"));
  EXPECT_EQ(Reject(Receipt("2024-03-01", "1.00", "B2 3")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Unidentified("2024-03-01", "1.00", "B1\\u2060")), "INVALID_ARGUMENT");
}

// ---------------------------------------------------------------------------------------
// 2. Other identifiers: any script, no invisible or combining character

TEST_F(IdentityTest, UserIdentifiersRefuseInvisibleAndCombiningCharacters) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  Accept(Hold("2024-03-02", "H1", std::string("1.00")));
  for (const std::string& invisible : kInvisible) {
    EXPECT_EQ(Reject(Hold("2024-03-02", "H1" + invisible, std::string("1.00"))), "INVALID_ARGUMENT")
        << invisible;
    EXPECT_TRUE(Message().starts_with("hold.hold_id: ")) << Message();
    EXPECT_EQ(Reject(Request("2024-03-02", "D1" + invisible, "1.00")), "INVALID_ARGUMENT");
    EXPECT_EQ(Reject(Request("2024-03-02", "D1", "1.00", "c1" + invisible)), "INVALID_ARGUMENT");
    EXPECT_EQ(
        Reject(CmdId("req" + invisible, "2024-03-02", "release_hold", R"({"hold_id": "H1"})")),
        "INVALID_ARGUMENT");
    EXPECT_TRUE(Message().starts_with("request_id: ")) << Message();
    EXPECT_EQ(Reject(OpenWithParties("2024-03-02", kCase2, "[" + Party("c1" + invisible) + "]",
                                     "[" + Party("d1") + "]")),
              "INVALID_ARGUMENT");
  }
  Reject(Hold("2024-03-02", "H\\u0301", std::string("1.00")));
  EXPECT_NE(Message().find("U+0301"), std::string::npos) << Message();
  // Letters, digits, punctuation and symbols of any script, and spacing marks (Mc), are fine.
  for (const std::string id : {"保全-1", "Ω.7", "कि१", "ＨＯＬＤ", "€#1", "😀"}) {
    Accept(Hold("2024-03-02", id, std::string("1.00")));
  }
}

TEST_F(IdentityTest, RequestIdsAreUserIdentifiersOrTheReconcileShape) {
  Accept(OpenCase("2024-03-01"));
  // A user's request_id: at most 128 characters, no '/' or ':'.
  EXPECT_EQ(Reject(CmdId(std::string(129, 'r'), "2024-03-01", "receipt",
                         R"({"case_no": ")" + std::string(kCase) +
                             R"(", "amount": "1.00", "bank_ref": "X1", "source": "other"})")),
            "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("request_id: ")) << Message();
  for (const std::string id : {"a/b", "a:b", "reconcile:", "reconcile:B 1", "reconcile:Ｂ1",
                               "reconcile:B1\\u200d", "x:reconcile:B1"}) {
    EXPECT_EQ(Reject(CmdId(id, "2024-03-01", "unidentified_receipt",
                           R"({"amount": "1.00", "bank_ref": "X1"})")),
              "INVALID_ARGUMENT")
        << id;
  }
  // What reconcile --record makes is taken, as a request_id and as a target.
  const std::string ref = "B240305/0001:" + std::string(115, '9');  // 128 characters
  Accept(CmdId("reconcile:" + ref, "2024-03-01", "unidentified_receipt",
               R"({"amount": "1.00", "bank_ref": ")" + ref + R"("})"));
  Accept(CmdId(std::string(128, 'r'), "2024-03-01", "unidentified_receipt",
               R"({"amount": "1.00", "bank_ref": "X2"})"));
  Accept(Reverse("2024-03-01", "reconcile:" + ref));
  EXPECT_EQ(Reject(Reverse("2024-03-01", "x/y")), "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("reverse.target_request_id: ")) << Message();
  EXPECT_EQ(Reject(Reverse("2024-03-01", std::string(129, 'r'))), "INVALID_ARGUMENT");
}

TEST_F(IdentityTest, DisbursementIdsAreUserIdentifiersOrTheDistributionShape) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  // distribute makes DISTRIBUTION_ID/PARTY_ID; those are taken where a disbursement is named.
  Accept(Cmd("2024-03-02", "distribute",
             R"({"distribution_id": "FP-1", "case_no": ")" + std::string(kCase) +
                 R"(", "amount": "100.00", "claims": [{"party_id": "c1", "amount": "100.00"}]})"));
  Accept(Approve("2024-03-02", "FP-1/c1"));
  // A user cannot make one of that shape, and no other shape is a disbursement id.
  EXPECT_EQ(Reject(Request("2024-03-02", "FP-2/c1", "1.00")), "INVALID_ARGUMENT");
  for (const std::string id : {"a/b/c", "a:b", "/c1", "FP-1/", "FP-1/c1\\u200d", "a/b:c"}) {
    EXPECT_EQ(Reject(Approve("2024-03-02", id)), "INVALID_ARGUMENT") << id;
    EXPECT_TRUE(Message().starts_with("approve_disbursement.disbursement_id: ")) << Message();
  }
}

// ---------------------------------------------------------------------------------------
// 3. Maker and checker differ ignoring case

TEST_F(IdentityTest, TheApproverOfADisbursementDiffersIgnoringCase) {
  RequestedByClerkWang();
  for (const std::string same : {"Clerk.Wang", "CLERK.WANG", "clerk.wanG"}) {
    EXPECT_EQ(Reject(Approve("2024-03-03", "D1", same)), "NOT_PERMITTED") << same;
    EXPECT_NE(Message().find("ignoring case"), std::string::npos) << Message();
  }
  Accept(Approve("2024-03-03", "D1", "Clerk.Li"));
}

TEST_F(IdentityTest, TheApproverOfADistributionShareDiffersIgnoringCase) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  Accept(Cmd("2024-03-02", "distribute",
             R"({"distribution_id": "FP-1", "case_no": ")" + std::string(kCase) +
                 R"(", "amount": "100.00", "claims": [{"party_id": "c1", "amount": "100.00"}]})"));
  EXPECT_EQ(Reject(Approve("2024-03-02", "FP-1/c1", "CLERK.wang")), "NOT_PERMITTED");
}

TEST_F(IdentityTest, HoldExtensionAndEventApproversDifferIgnoringCase) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  EXPECT_EQ(Reject(Hold("2024-03-02", "H1", std::string("1.00"), "Clerk.Wang")), "NOT_PERMITTED");
  EXPECT_NE(Message().find("ignoring case"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Cmd("2024-03-02", "extend_deadline",
                       R"({"case_no": ")" + std::string(kCase) +
                           R"(", "months": 3, "approved_by": "CLERK.WANG"})")),
            "NOT_PERMITTED");
  EXPECT_NE(Message().find("ignoring case"), std::string::npos) << Message();
  EXPECT_EQ(Reject(Event("2024-03-02", "EV-1", "clerk.WANG", Item("c1", "OUT-1"))),
            "NOT_PERMITTED");
  EXPECT_NE(Message().find("ignoring case"), std::string::npos) << Message();
  Accept(Hold("2024-03-02", "H1", std::string("1.00"), "Clerk.Li"));
  Accept(Event("2024-03-02", "EV-1", "Clerk.Li", Item("c1", "OUT-1")));
}

// ---------------------------------------------------------------------------------------
// 4. ID numbers and accounts are never echoed

// Bad ID numbers of type other and bad accounts: every one refused without a run of 4 of its
// characters in the message, wherever it is given.
std::vector<std::string> BadOtherIdNumbers() {
  std::vector<std::string> bad = {
      "QZ57KW89\\u0001",    "QZ57\\u0009KW89", "QZ57 KW89",
      "QZ57\\u00a0KW89",    "QZ57\\u200dKW89", "护照E5798QZ\\u007f",
      std::string(65, 'Q'), "QZ57KW89\\u2028", "\\u0085QZ57KW89",
  };
  std::mt19937 random(15);  // fixed seed: the same inputs every run
  const std::string alphabet = "5789QZKWEHJ";
  const std::vector<std::string> bad_characters = {"\\u0001", "\\u001f", " ",      "\\u200b",
                                                   "\\u3000", "\\u202e", "\\u0009"};
  for (int i = 0; i < 40; ++i) {
    std::string text;
    const int length = 6 + static_cast<int>(random() % 20);
    for (int j = 0; j < length; ++j)
      text += alphabet[random() % alphabet.size()];  // ASCII part only
    text.insert(random() % text.size(), bad_characters[random() % bad_characters.size()]);
    bad.push_back(text);
  }
  for (int length : {65, 80, 200}) {
    std::string text;
    for (int j = 0; j < length; ++j) text += alphabet[random() % alphabet.size()];
    bad.push_back(text);
  }
  return bad;
}

std::vector<std::string> BadAccounts() {
  std::vector<std::string> bad = {
      "5789 5789 9875 7598",     "57895789\\u00019875",     "5789578998757598\\u0000",
      "５７８９５７８９",        "5789-5789-9875",          "IBAN57895789987575",
      "账户57895789987575",      "57895789\\u200d98757598", std::string(35, '5'),
      std::string(60, '7'),      "5789578998757598\\u007f", "\\u202e57895789",
      "5789578998757598\\u2028", "+5789578998757598",       "57895789.98757598",
  };
  std::mt19937 random(16);
  const std::string digits = "5789";
  const std::vector<std::string> bad_characters = {"\\u0001", "\\u001b", " ",       "\\u200b", "x",
                                                   "\\u3000", "\\u202e", "\\u0009", "-",       "Z"};
  for (int i = 0; i < 40; ++i) {
    std::string text;
    const int length = 8 + static_cast<int>(random() % 20);
    for (int j = 0; j < length; ++j) text += digits[random() % digits.size()];
    text.insert(random() % text.size(), bad_characters[random() % bad_characters.size()]);
    bad.push_back(text);
  }
  return bad;
}

TEST_F(IdentityTest, ABadIdNumberIsNeverInTheMessage) {
  auto refused_without_echo = [&](const std::string& party, const std::string& id_number) {
    for (bool creditor : {true, false}) {
      const std::string creditors = creditor ? "[" + party + "]" : "[" + Party("c9") + "]";
      const std::string debtors = creditor ? "[" + Party("d9") + "]" : "[" + party + "]";
      EXPECT_EQ(Reject(OpenWithParties("2024-03-01", kCase, creditors, debtors)),
                "INVALID_ARGUMENT")
          << id_number;
      EXPECT_NE(Message().find(".id_number: "), std::string::npos) << Message();
      EXPECT_TRUE(EchoesNoRunOf4(Unescape(id_number), Message()));
    }
  };
  for (const std::string& bad : BadOtherIdNumbers()) {
    refused_without_echo(Party("p1", "other", bad), bad);
    refused_without_echo(Party("p1", "", bad), bad);  // no id_type: checked as other
  }
  // Resident IDs and credit codes that fail their checks, or hold what no ID holds.
  const std::string valid_resident = ResidentId("62010219800101575");
  for (const std::string& bad : std::vector<std::string>{
           valid_resident.substr(0, 17) + (valid_resident[17] == '9' ? "8" : "9"),
           valid_resident + "5", "62010219800101\\u0001575", "６２０１０２１９８００１０１５７５Ｘ",
           "620102198013015757", valid_resident.substr(0, 16) + "\\u200d5"}) {
    refused_without_echo(Party("p1", "resident_id", bad), bad);
  }
  for (const std::string& bad :
       {std::string("91620102MA7Q5W8Z9Q"), std::string("91620102MA7Q5W8Z\\u00019"),
        std::string("91620102ma7q5w8z9q5")}) {
    refused_without_echo(Party("p1", "uscc", bad), bad);
  }
}

TEST_F(IdentityTest, ABadAccountIsNeverInTheMessage) {
  Accept(OpenCase("2024-03-01"));
  Accept(Receipt("2024-03-01", "1000.00", "IN-1"));
  for (const std::string& bad : BadAccounts()) {
    const std::string text = Unescape(bad);
    // open_case.creditors[].account
    EXPECT_EQ(
        Reject(OpenWithParties("2024-03-01", kCase2,
                               "[" + Party("c1", "", "", R"("account": )" + Quoted(bad)) + "]",
                               "[" + Party("d1") + "]")),
        "INVALID_ARGUMENT")
        << bad;
    EXPECT_NE(Message().find("open_case.creditors[0].account: "), std::string::npos) << Message();
    EXPECT_TRUE(EchoesNoRunOf4(text, Message()));
    // request_disbursement.account
    EXPECT_EQ(
        Reject(Cmd("2024-03-02", "request_disbursement",
                   R"({"disbursement_id": "D1", "case_no": ")" + std::string(kCase) +
                       R"(", "payee": "c1", "amount": "1.00", "account": )" + Quoted(bad) + "}")),
        "INVALID_ARGUMENT")
        << bad;
    EXPECT_TRUE(EchoesNoRunOf4(text, Message()));
    // collective_disbursement.items[].account
    EXPECT_EQ(Reject(Event("2024-03-02", "EV-1", kChecker,
                           Item("c1", "OUT-1", R"("account": )" + Quoted(bad)))),
              "INVALID_ARGUMENT")
        << bad;
    EXPECT_TRUE(EchoesNoRunOf4(text, Message()));
    // distribute.claims[].account
    EXPECT_EQ(Reject(Cmd("2024-03-02", "distribute",
                         R"({"distribution_id": "FP-1", "case_no": ")" + std::string(kCase) +
                             R"(", "amount": "100.00", "claims": [{"party_id": "x1", "amount": )"
                             R"("100.00", "name": "某某", "account": )" +
                             Quoted(bad) + "}]}")),
              "INVALID_ARGUMENT")
        << bad;
    EXPECT_TRUE(EchoesNoRunOf4(text, Message()));
  }
  // SPEC §2: a bank account is 1-34 ASCII digits.
  Accept(Request("2024-03-02", "D1", "1.00"));
  Accept(Cmd("2024-03-02", "request_disbursement",
             R"({"disbursement_id": "D2", "case_no": ")" + std::string(kCase) +
                 R"(", "payee": "c1", "amount": "1.00", "account": ")" + std::string(34, '5') +
                 R"("})"));
  EXPECT_EQ(Reject(Cmd("2024-03-02", "request_disbursement",
                       R"({"disbursement_id": "D3", "case_no": ")" + std::string(kCase) +
                           R"(", "payee": "c1", "amount": "1.00", "account": ""})")),
            "INVALID_ARGUMENT");
}

// ---------------------------------------------------------------------------------------
// 5. Input dates lie in 1949-10-01..2199-12-31

TEST_F(IdentityTest, InputDatesLieBetween1949And2199) {
  today_ = Day("2199-12-31");
  EXPECT_EQ(Reject(OpenCase("1949-09-30")), "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("on: ")) << Message();
  EXPECT_NE(Message().find("1949-10-01"), std::string::npos) << Message();
  EXPECT_NE(Message().find("2199-12-31"), std::string::npos) << Message();
  EXPECT_EQ(Reject(OpenCase("1900-01-01")), "INVALID_ARGUMENT");
  Accept(OpenCase("1949-10-01"));
  auto open_due = [&](std::string_view due) {
    std::string body = OpenCaseBody(kCase2);
    body.pop_back();
    return Cmd("2024-03-01", "open_case", body + R"(, "performance_due": )" + Quoted(due) + "}");
  };
  EXPECT_EQ(Reject(open_due("2200-01-01")), "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("open_case.performance_due: ")) << Message();
  EXPECT_EQ(Reject(open_due("9999-12-31")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(open_due("1949-09-30")), "INVALID_ARGUMENT");
  Accept(open_due("2199-12-31"));
  auto receipt_valued = [&](std::string_view value_date, std::string_view stop = "") {
    std::string body = R"({"case_no": ")" + std::string(kCase) +
                       R"(", "amount": "1.00", "bank_ref": "V)" + std::string(value_date) +
                       std::string(stop) + R"(", "source": "other", "value_date": )" +
                       Quoted(value_date);
    if (!stop.empty()) body += R"(, "interest_stop_date": )" + Quoted(stop);
    return Cmd("2024-03-01", "receipt", body + "}");
  };
  EXPECT_EQ(Reject(receipt_valued("1949-09-30")), "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("receipt.value_date: ")) << Message();
  EXPECT_EQ(Reject(receipt_valued("2024-03-01", "1900-01-01")), "INVALID_ARGUMENT");
  EXPECT_TRUE(Message().starts_with("receipt.interest_stop_date: ")) << Message();
  Accept(receipt_valued("1949-10-01"));
  EXPECT_EQ(
      Reject(Cmd("2024-03-01", "settle_in_kind",
                 R"({"case_no": ")" + std::string(kCase) +
                     R"(", "amount": "1.00", "property": "车辆", "ruling_on": "1949-09-30"})")),
      "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-01", "set_rules", R"({"holidays": ["2200-01-01"]})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Cmd("2024-03-01", "set_rules", R"({"workdays": ["1949-09-25"]})")),
            "INVALID_ARGUMENT");
  // The last day accepted, and a deadline past it: no wrap to 1970.
  EXPECT_EQ(Reject(Receipt("2200-01-01", "1.00", "LATE-0")), "INVALID_ARGUMENT");
  EXPECT_EQ(Reject(Receipt("9999-12-31", "1.00", "LATE-0")), "INVALID_ARGUMENT");
  Accept(Receipt("2199-12-31", "1.00", "LATE-1"));
  EXPECT_EQ(CaseOf().lots(CaseOf().lots_size() - 1).deadline(), "2200-01-30");
}

TEST_F(IdentityTest, DeadlinesPastTheLastInputDateNeitherWrapNorFail) {
  today_ = Day("2199-12-31");
  rules_.after_hold_days = 365;
  std::string body = OpenCaseBody(kCase);
  body.pop_back();
  Accept(Cmd("2199-12-31", "open_case",
             body + R"(, "performance_due": "2199-12-31", "closure_months": 120})"));
  Accept(Receipt("2199-12-31", "100.00", "IN-1"));
  Accept(Hold("2199-12-31", "H1", std::string("10.00")));
  Accept(Cmd("2199-12-31", "release_hold", R"({"hold_id": "H1"})"));
  for (int i = 0; i < 20; ++i) {
    Accept(Cmd("2199-12-31", "extend_deadline",
               R"({"case_no": ")" + std::string(kCase) +
                   R"(", "months": 12, "approved_by": "clerk.li"})"));
  }
  Accept(Cmd("2199-12-31", "list_defaulter",
             R"({"party_id": "d1", "case_no": ")" + std::string(kCase) +
                 R"(", "ground": 2, "extra_years": 3})"));
  const pb::CaseRecord record = CaseOf();
  for (const auto& lot : record.lots()) {
    EXPECT_GE(lot.deadline(), "2200-01-30") << lot.ShortDebugString();
    EXPECT_EQ(lot.deadline().size(), 10u);
  }
  EXPECT_EQ(ClosureDeadline(record, Day("2199-12-31")).ToString(), "2229-12-31");
  EXPECT_EQ(FiguresOn("2199-12-31").overdue_fen, 0);
  EXPECT_EQ(Record<pb::DefaulterRecord>(Table::kDefaulter, "d1").listings(0).expires_on(),
            "2204-12-31");
}

// ---------------------------------------------------------------------------------------
// 6. One party, one identity

TEST_F(IdentityTest, APartyIdKeepsItsIdNumberAcrossCases) {
  const std::string first = ResidentId("62010219800101575");
  const std::string other = ResidentId("62010219800101591");
  Accept(OpenWithParties("2024-03-01", kCase, "[" + Party("c1") + "]",
                         "[" + Party("d1", "resident_id", first) + "]"));
  // The same number again: the same person.
  Accept(OpenWithParties("2024-03-01", kCase2, "[" + Party("c1") + "]",
                         "[" + Party("d1", "resident_id", first) + "]"));
  // Another number, as debtor or as creditor: refused, naming the party and not the numbers.
  for (const auto& [creditors, debtors] : std::vector<std::pair<std::string, std::string>>{
           {"[" + Party("c1") + "]", "[" + Party("d1", "resident_id", other) + "]"},
           {"[" + Party("d1", "resident_id", other) + "]", "[" + Party("d2") + "]"},
           {"[" + Party("c1") + "]", "[" + Party("d1", "other", first) + "]"},
           {"[" + Party("c1") + "]", "[" + Party("d1", "", first) + "]"}}) {
    EXPECT_EQ(Reject(OpenWithParties("2024-03-02", "(2024)甘0102执3号", creditors, debtors)),
              "INVALID_ARGUMENT")
        << creditors << debtors;
    EXPECT_NE(Message().find("d1"), std::string::npos) << Message();
    EXPECT_NE(Message().find(".id_number: "), std::string::npos) << Message();
    EXPECT_TRUE(EchoesNoRunOf4(first, Message()));
    EXPECT_TRUE(EchoesNoRunOf4(other, Message()));
  }
  // Without a number: allowed, and the case does not learn one.
  Accept(OpenWithParties("2024-03-02", "(2024)甘0102执3号", "[" + Party("c1") + "]",
                         "[" + Party("d1") + "]"));
  EXPECT_FALSE(CaseOf("(2024)甘0102执3号").debtors(0).has_id_number());
}

TEST_F(IdentityTest, APartyFirstGivenWithoutANumberIsFixedByTheFirstNumberGiven) {
  // c1 appears without a number, then with a credit code, then with another: refused.
  Accept(OpenWithParties("2024-03-01", kCase, "[" + Party("c1") + "]", "[" + Party("d1") + "]"));
  Accept(OpenWithParties("2024-03-01", kCase2, "[" + Party("c1", "other", "QZ-5789") + "]",
                         "[" + Party("d1") + "]"));
  EXPECT_EQ(
      Reject(OpenWithParties("2024-03-02", "(2024)甘0102执3号",
                             "[" + Party("c1", "other", "QZ-5790") + "]", "[" + Party("d1") + "]")),
      "INVALID_ARGUMENT");
  EXPECT_NE(Message().find("c1"), std::string::npos) << Message();
  EXPECT_TRUE(EchoesNoRunOf4("QZ-5790", Message()));
  EXPECT_TRUE(EchoesNoRunOf4("QZ-5789", Message()));
  // The identity check comes before CASE_EXISTS (SPEC §2: INVALID_ARGUMENT first).
  EXPECT_EQ(Reject(OpenWithParties("2024-03-02", kCase, "[" + Party("c1", "other", "QZ-5790") + "]",
                                   "[" + Party("d1") + "]")),
            "INVALID_ARGUMENT");
  // A refused command registers nothing: d1 may still take a number.
  Accept(OpenWithParties("2024-03-02", "(2024)甘0102执3号", "[" + Party("c1") + "]",
                         "[" + Party("d1", "other", "ID-57") + "]"));
  EXPECT_EQ(Reject(OpenWithParties("2024-03-02", "(2024)甘0102执4号", "[" + Party("c1") + "]",
                                   "[" + Party("d1", "other", "ID-58") + "]")),
            "INVALID_ARGUMENT");
}

TEST_F(IdentityTest, ARestoredCaseKeepsItsPartiesIdentities) {
  const std::string number = ResidentId("62010219800101575");
  Accept(OpenWithParties("2024-03-01", kCase, "[" + Party("c1") + "]",
                         "[" + Party("d1", "resident_id", number) + "]"));
  Accept(Close("2024-03-02", "terminated"));
  Accept(
      Cmd("2024-03-03", "restore_case",
          R"({"case_no": ")" + std::string(kCase) + R"(", "new_case_no": "(2024)甘0102执恢1号"})"));
  EXPECT_EQ(Reject(OpenWithParties(
                "2024-03-04", kCase2, "[" + Party("c1") + "]",
                "[" + Party("d1", "resident_id", ResidentId("62010219800101591")) + "]")),
            "INVALID_ARGUMENT");
  Accept(OpenWithParties("2024-03-04", kCase2, "[" + Party("c1") + "]",
                         "[" + Party("d1", "resident_id", number) + "]"));
}

}  // namespace
}  // namespace caseledger::engine_fixture
