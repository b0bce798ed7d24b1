// Proves core/json parses exactly RFC 8259 (rejecting every malformed input of SPEC §2 with a
// located message) and that the writer's output, escapes included, parses back to its input.
#include "core/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseledger::json {
namespace {

using namespace std::string_literals;

Value ParseOk(std::string_view input) {
  Result<Value> result = Parse(input);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : Value{};
}

// The message of a rejection, or "" (failing the test) when the input was accepted.
std::string ParseError(std::string_view input, const ParseLimits& limits = {}) {
  Result<Value> result = Parse(input, limits);
  EXPECT_FALSE(result.ok()) << "accepted: " << input.substr(0, 80);
  if (result.ok()) return "";
  EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
  return result.status().message();
}

std::string Nested(size_t depth, std::string_view open, std::string_view inner,
                   std::string_view close) {
  std::string text;
  for (size_t i = 0; i < depth; ++i) text += open;
  text += inner;
  for (size_t i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(JsonParseTest, Scalars) {
  EXPECT_TRUE(ParseOk("null").is_null());
  Value t = ParseOk("true");
  ASSERT_TRUE(t.is_bool());
  EXPECT_TRUE(t.boolean);
  Value f = ParseOk("false");
  ASSERT_TRUE(f.is_bool());
  EXPECT_FALSE(f.boolean);
  Value s = ParseOk(R"("abc")");
  ASSERT_TRUE(s.is_string());
  EXPECT_EQ(s.text, "abc");
  EXPECT_EQ(ParseOk(R"("")").text, "");
}

TEST(JsonParseTest, NumbersKeepTheirRawText) {
  for (const char* number :
       {"0", "-0", "5", "-1.5e3", "1E+2", "1e-2", "0.05", "10.00", "2E0", "-0.0e-0",
        "123456789012345678901234567890.123456789", "9223372036854775808"}) {
    Value value = ParseOk(number);
    ASSERT_TRUE(value.is_number()) << number;
    EXPECT_EQ(value.text, number);
  }
  Value array = ParseOk("[1,-2.50, 3e7 ]");
  ASSERT_EQ(array.items.size(), 3u);
  EXPECT_EQ(array.items[1].text, "-2.50");
  EXPECT_EQ(array.items[2].text, "3e7");
}

TEST(JsonParseTest, SurroundingWhitespaceOfAllFourKinds) {
  Value value = ParseOk(" \t\r\n{ \"a\" :\t[ 1 ,\r\n2 ] }\n\r\t ");
  ASSERT_TRUE(value.is_object());
  const Value* a = value.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->is_array());
  EXPECT_EQ(a->items.size(), 2u);
}

TEST(JsonParseTest, ObjectsKeepInputOrderAndFindMembers) {
  Value value = ParseOk(R"({"z":1,"a":"x","m":{"inner":null},"e":[],"o":{}})");
  ASSERT_TRUE(value.is_object());
  ASSERT_EQ(value.members.size(), 5u);
  EXPECT_EQ(value.members[0].first, "z");
  EXPECT_EQ(value.members[1].first, "a");
  EXPECT_EQ(value.members[4].first, "o");
  ASSERT_NE(value.Find("m"), nullptr);
  ASSERT_NE(value.Find("m")->Find("inner"), nullptr);
  EXPECT_TRUE(value.Find("m")->Find("inner")->is_null());
  EXPECT_TRUE(value.Find("e")->is_array());
  EXPECT_TRUE(value.Find("e")->items.empty());
  EXPECT_TRUE(value.Find("o")->is_object());
  EXPECT_EQ(value.Find("absent"), nullptr);
  EXPECT_EQ(value.Find("Z"), nullptr);
  EXPECT_EQ(ParseOk("[1]").Find("0"), nullptr);
}

TEST(JsonParseTest, SameKeyInDifferentObjectsIsFine) {
  Value value = ParseOk(R"({"a":{"a":1},"b":[{"a":1},{"a":2}]})");
  EXPECT_EQ(value.Find("b")->items[1].Find("a")->text, "2");
}

TEST(JsonParseTest, EscapesDecode) {
  Value value = ParseOk(R"("q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u4E2D \u0000!")");
  ASSERT_TRUE(value.is_string());
  EXPECT_EQ(value.text, "q\" b\\ s/ \b\f\n\r\t A\xC3\xA9\xE4\xB8\xAD \0!"s);
}

TEST(JsonParseTest, SurrogatePairsDecode) {
  EXPECT_EQ(ParseOk(R"("\uD83D\uDE00")").text, "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(ParseOk(R"("\ud800\udc00")").text, "\xF0\x90\x80\x80");  // U+10000
  EXPECT_EQ(ParseOk(R"("\uDBFF\uDFFF")").text, "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST(JsonParseTest, WellFormedUtf8IsAcceptedAtEveryBoundary) {
  for (const char* text :
       {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xE5\xBC\xA0\xE6\x9F\x90\xE6\x9F\x90", "\x7F"}) {
    Value value = ParseOk("\""s + text + "\"");
    EXPECT_EQ(value.text, text);
  }
  EXPECT_EQ(ParseOk("{\"\xE9\x87\x91\xE9\xA2\x9D\":\"1\"}").members[0].first,
            "\xE9\x87\x91\xE9\xA2\x9D");
}

struct BadInput {
  std::string input;
  std::string message_part;  // a substring the message must contain
};

// Every input is rejected with a message containing its expected part.
::testing::AssertionResult AllRejected(const std::vector<BadInput>& cases) {
  for (const BadInput& bad : cases) {
    const std::string message = ParseError(bad.input);
    if (message.find(bad.message_part) == std::string::npos) {
      return ::testing::AssertionFailure() << "input: " << bad.input << "\nmessage: " << message;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(JsonParseTest, RejectsEmptyInput) {
  EXPECT_TRUE(AllRejected({{"", "not JSON: empty input"}, {" \t\r\n", "not JSON: empty input"}}));
}

TEST(JsonParseTest, RejectsTrailingGarbage) {
  EXPECT_TRUE(AllRejected({{"1 2", "unexpected character '2' after the value at byte 2"},
                           {"{} x", "unexpected character 'x' after the value at byte 3"},
                           {"nullx", "character 'x' after the value at byte 4"},
                           {"[1]]", "character ']' after the value at byte 3"},
                           {"\"a\"\"b\"", "character '\"' after the value at byte 3"},
                           {"1\0"s, "control character U+0000 after the value at byte 1"},
                           {"0x10", "character 'x' after the value at byte 1"},
                           {"1.5.2", "character '.' after the value at byte 3"}}));
}

TEST(JsonParseTest, RejectsNanAndInfinity) {
  EXPECT_TRUE(
      AllRejected({{"NaN", "NaN and Infinity are not JSON numbers at byte 0"},
                   {"Infinity", "NaN and Infinity are not JSON numbers at byte 0"},
                   {"-Infinity", "NaN and Infinity are not JSON numbers at byte 0"},
                   {"[1, NaN]", "NaN and Infinity are not JSON numbers at byte 4"},
                   {"{\"amount\": -Infinity}", "NaN and Infinity are not JSON numbers at byte 11"},
                   {"nan", "invalid literal at byte 0"},
                   {"inf", "unexpected character 'i' at byte 0"}}));
}

TEST(JsonParseTest, RejectsMalformedNumbers) {
  EXPECT_TRUE(
      AllRejected({{"01", "leading zero in number at byte 1"},
                   {"-01", "leading zero in number at byte 2"},
                   {"00", "leading zero in number at byte 1"},
                   {"[1, 007]", "leading zero in number at byte 5"},
                   {"+1", "unexpected character '+' at byte 0"},
                   {".5", "unexpected character '.' at byte 0"},
                   {"5.", "expected a digit after the decimal point, found end of input at byte 2"},
                   {"5.e3", "expected a digit after the decimal point, found character 'e'"},
                   {"[5.]", "expected a digit after the decimal point, found character ']'"},
                   {"1e", "expected a digit in the exponent, found end of input at byte 2"},
                   {"1e+", "expected a digit in the exponent"},
                   {"1E-x", "expected a digit in the exponent, found character 'x' at byte 3"},
                   {"-", "expected a digit, found end of input at byte 1"},
                   {"--1", "expected a digit, found character '-' at byte 1"},
                   {"- 1", "expected a digit, found character ' ' at byte 1"}}));
}

TEST(JsonParseTest, RejectsTrailingCommas) {
  EXPECT_TRUE(AllRejected({{"[1,]", "trailing comma at byte 3"},
                           {"[1, ]", "trailing comma at byte 4"},
                           {R"({"a":1,})", "trailing comma at byte 7"},
                           {R"({"a":1 , })", "trailing comma at byte 9"},
                           {"[,]", "unexpected character ',' at byte 1"},
                           {"[1,,2]", "unexpected character ',' at byte 3"},
                           {"{,}", "expected a string key, found character ',' at byte 1"}}));
}

TEST(JsonParseTest, RejectsComments) {
  EXPECT_TRUE(AllRejected({{"// note\n1", "unexpected character '/' at byte 0"},
                           {"/* note */ 1", "unexpected character '/' at byte 0"},
                           {"[1 /* two */]", "expected ',' or ']', found character '/' at byte 3"},
                           {"1 # note", "character '#' after the value"},
                           {"{\"a\":1 // note\n}", "expected ',' or '}', found character '/'"}}));
}

TEST(JsonParseTest, RejectsSingleQuotes) {
  EXPECT_TRUE(AllRejected({{"'a'", "unexpected character \"'\" at byte 0"},
                           {"{'a':1}", "expected a string key, found character \"'\" at byte 1"},
                           {"[\"a\", 'b']", "unexpected character \"'\" at byte 6"}}));
}

TEST(JsonParseTest, RejectsBareWordsAndBadLiterals) {
  EXPECT_TRUE(AllRejected({{"tru", "invalid literal at byte 0"},
                           {"True", "unexpected character 'T' at byte 0"},
                           {"nul", "invalid literal at byte 0"},
                           {"[fals]", "invalid literal at byte 1"},
                           {"undefined", "unexpected character 'u' at byte 0"},
                           {"{a:1}", "expected a string key, found character 'a' at byte 1"}}));
}

TEST(JsonParseTest, RejectsTruncatedAndUnbalancedInput) {
  EXPECT_TRUE(
      AllRejected({{"[", "unexpected end of input at byte 1"},
                   {"{", "unexpected end of input at byte 1"},
                   {"[1", "unexpected end of input at byte 2"},
                   {"[1,", "unexpected end of input at byte 3"},
                   {R"({"a")", "expected ':' after the key, found end of input at byte 4"},
                   {R"({"a":)", "unexpected end of input at byte 5"},
                   {R"({"a":1)", "unexpected end of input at byte 6"},
                   {R"({"a" 1})", "expected ':' after the key, found character '1' at byte 5"},
                   {"{1:2}", "expected a string key, found character '1' at byte 1"},
                   {"[1 2]", "expected ',' or ']', found character '2' at byte 3"},
                   {R"({"a":1 "b":2})", "expected ',' or '}', found character '\"' at byte 7"},
                   {"[}", "unexpected character '}' at byte 1"},
                   {"]", "unexpected character ']' at byte 0"},
                   {"\"abc", "unexpected end of input in a string at byte 4"},
                   {"\"abc\\", "unexpected end of input in a string at byte 5"}}));
}

TEST(JsonParseTest, RejectsUnescapedControlCharactersInStrings) {
  EXPECT_TRUE(AllRejected(
      {{"\"a\nb\"", "unescaped control character U+000A in a string at byte 2"},
       {"\"\t\"", "unescaped control character U+0009 in a string at byte 1"},
       {"\"\x01\"", "unescaped control character U+0001"},
       {"\"\x1F\"", "unescaped control character U+001F"},
       {"\"\0\""s, "unescaped control character U+0000 in a string at byte 1"},
       {"{\"k\x1By\":1}", "unescaped control character U+001B in a string at byte 3"}}));
}

TEST(JsonParseTest, RejectsInvalidEscapes) {
  EXPECT_TRUE(AllRejected(
      {{R"("\x41")", "invalid escape: backslash then character 'x' at byte 1"},
       {R"("\U0041")", "invalid escape: backslash then character 'U' at byte 1"},
       {R"("\a")", "invalid escape: backslash then character 'a'"},
       {R"("\0")", "invalid escape: backslash then character '0'"},
       {R"("\'")", "invalid escape: backslash then character \"'\""},
       {"\"\\\n\"", "invalid escape: backslash then control character U+000A"},
       {R"("\u12")", "invalid \\u escape: expected 4 hex digits, found character '\"' at byte 1"},
       {R"("\u12G4")", "invalid \\u escape: expected 4 hex digits, found character 'G' at byte 1"},
       {R"("\u")", "invalid \\u escape: expected 4 hex digits"},
       {R"("\u 123")", "invalid \\u escape: expected 4 hex digits, found character ' '"},
       {R"("\u-123")", "invalid \\u escape"},
       {R"("\u00)", "unexpected end of input in a string at byte 5"}}));
}

TEST(JsonParseTest, RejectsLoneAndMismatchedSurrogates) {
  EXPECT_TRUE(AllRejected(
      {{R"("\uD83D")", "high surrogate U+D83D not followed by a low surrogate escape at byte 1"},
       {R"("\uD83Dx")", "high surrogate U+D83D not followed by a low surrogate escape"},
       {R"("\uD83D\n")", "high surrogate U+D83D not followed by a low surrogate escape"},
       {R"("\uDE00")", "lone low surrogate U+DE00 in \\u escape at byte 1"},
       {R"("a\uDFFF\uD800")", "lone low surrogate U+DFFF in \\u escape at byte 2"},
       {R"("\uD83D\u0041")", "high surrogate U+D83D followed by U+0041 instead of a low surrogate"},
       {R"("\uD83D\uD83D")", "high surrogate U+D83D followed by U+D83D instead"},
       {R"("\uD83D\uDE")",
        "invalid \\u escape: expected 4 hex digits, found character '\"' at byte 7"},
       {"\"\\uD83D\xED\xB8\x80\"", "not followed by a low surrogate escape"}}));
}

TEST(JsonParseTest, RejectsInvalidUtf8InStrings) {
  EXPECT_TRUE(AllRejected({
      {"\"\xC0\x80\"", "invalid UTF-8 at byte 1"},                  // overlong NUL
      {"\"\xC1\xBF\"", "invalid UTF-8 at byte 1"},                  // overlong U+007F
      {"\"\xE0\x80\x80\"", "invalid UTF-8 at byte 1"},              // overlong, 3 bytes
      {"\"\xE0\x9F\xBF\"", "invalid UTF-8 at byte 1"},              // overlong U+07FF
      {"\"\xF0\x80\x80\x80\"", "invalid UTF-8 at byte 1"},          // overlong, 4 bytes
      {"\"\xF0\x8F\xBF\xBF\"", "invalid UTF-8 at byte 1"},          // overlong U+FFFF
      {"\"\xED\xA0\x80\"", "invalid UTF-8 at byte 1"},              // U+D800 encoded
      {"\"a\xED\xBF\xBF\"", "invalid UTF-8 at byte 2"},             // U+DFFF encoded
      {"\"\xED\xA0\xBD\xED\xB8\x80\"", "invalid UTF-8 at byte 1"},  // CESU-8 pair
      {"\"\xF4\x90\x80\x80\"", "invalid UTF-8 at byte 1"},          // U+110000
      {"\"\xF5\x80\x80\x80\"", "invalid UTF-8 at byte 1"},          // lead over U+10FFFF
      {"\"\xFF\"", "invalid UTF-8 at byte 1"},
      {"\"\xFE\"", "invalid UTF-8 at byte 1"},
      {"\"\x80\"", "invalid UTF-8 at byte 1"},  // lone continuation
      {"\"\xC3\"", "invalid UTF-8 at byte 1"},  // truncated before the quote
      {"\"\xE4\xB8\"", "invalid UTF-8 at byte 1"},
      {"\"\xF0\x9F\x98\"", "invalid UTF-8 at byte 1"},
      {"\"\xF0\x9F\x98", "invalid UTF-8 at byte 1"},  // truncated at the end
      {"\"ok\xC3\x28\"", "invalid UTF-8 at byte 3"},
      {"{\"k\xE9y\":1}", "invalid UTF-8 at byte 3"},  // Latin-1 in a key
  }));
}

TEST(JsonParseTest, RejectsInvalidUtf8AndNonAsciiOutsideStrings) {
  EXPECT_TRUE(
      AllRejected({{"\xFF", "unexpected invalid UTF-8 at byte 0"},
                   {"[1,\xC0\x80]", "unexpected invalid UTF-8 at byte 3"},
                   {"1 \xE4\xB8", "unexpected invalid UTF-8 after the value at byte 2"},
                   {"\xE4\xB8\xAD", "unexpected character U+4E2D at byte 0"},
                   {"[\xEF\xBC\x91]", "unexpected character U+FF11 at byte 1"}}));  // full-width 1
}

TEST(JsonParseTest, RejectsByteOrderMark) {
  EXPECT_TRUE(
      AllRejected({{"\xEF\xBB\xBF{}", "unexpected byte order mark U+FEFF at byte 0"},
                   {"{}\xEF\xBB\xBF", "byte order mark U+FEFF after the value at byte 2"}}));
  // Inside a string U+FEFF is an ordinary character.
  EXPECT_EQ(ParseOk("\"\xEF\xBB\xBF\"").text, "\xEF\xBB\xBF");
}

TEST(JsonParseTest, MessagesNeverEchoInputBytes) {
  const std::string secret = "110101199003077777";
  for (const std::string& input :
       {"\"" + secret + "\x01\"", "{\"id\":\"" + secret + "\"} " + secret, "\"" + secret + "\xFF\"",
        "[\"" + secret + "\\q\"]", "\xE5\xBC\xA0" + secret}) {
    const std::string message = ParseError(input);
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    for (char c : message) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "non-printable byte in: " << message;
    }
  }
}

TEST(JsonParseTest, NestingUpToTheLimitIsAccepted) {
  Value arrays = ParseOk(Nested(64, "[", "1", "]"));
  const Value* inner = &arrays;
  for (int i = 0; i < 63; ++i) inner = &inner->items.at(0);
  ASSERT_TRUE(inner->is_array());
  EXPECT_EQ(inner->items.at(0).text, "1");
  EXPECT_TRUE(ParseOk(Nested(64, "{\"a\":", "null", "}")).is_object());
  EXPECT_TRUE(ParseOk(Nested(32, "[{\"a\":", "1", "}]")).is_array());  // 64 levels, mixed
}

TEST(JsonParseTest, RejectsNestingOverTheLimit) {
  EXPECT_EQ(ParseError(Nested(65, "[", "", "]")),
            "not JSON: nesting deeper than 64 levels at byte 64");
  EXPECT_EQ(ParseError(Nested(65, "{\"a\":", "1", "}")),
            "not JSON: nesting deeper than 64 levels at byte 320");
  EXPECT_EQ(ParseError(Nested(32, "[{\"a\":", "[]", "}]")),
            "not JSON: nesting deeper than 64 levels at byte 192");
  // Far deeper input fails the same way, without exhausting the stack.
  EXPECT_NE(ParseError(Nested(1000000, "[", "", "]")).find("nesting deeper than 64"),
            std::string::npos);
  ParseLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(Parse("[[1]]", limits).ok());
  EXPECT_EQ(ParseError("[[[1]]]", limits), "not JSON: nesting deeper than 2 levels at byte 2");
  EXPECT_TRUE(Parse("\"no containers\"", ParseLimits{.max_depth = 0}).ok());
}

TEST(JsonParseTest, InputUpToTheByteLimitIsAccepted) {
  const size_t limit = 16 * 1024 * 1024;
  std::string input = "\"" + std::string(limit - 2, 'a') + "\"";
  ASSERT_EQ(input.size(), limit);
  Value value = ParseOk(input);
  EXPECT_EQ(value.text.size(), limit - 2);
}

TEST(JsonParseTest, RejectsInputOverTheByteLimit) {
  const size_t limit = 16 * 1024 * 1024;
  std::string input = "\"" + std::string(limit - 1, 'a') + "\"";
  ASSERT_EQ(input.size(), limit + 1);
  EXPECT_EQ(ParseError(input), "not JSON: input is 16777217 bytes, over the limit of 16777216");
  // Whitespace counts: the limit is on the line, not on the value.
  EXPECT_EQ(ParseError("1   ", ParseLimits{.max_bytes = 3}),
            "not JSON: input is 4 bytes, over the limit of 3");
  EXPECT_TRUE(Parse("1  ", ParseLimits{.max_bytes = 3}).ok());
}

TEST(JsonParseTest, RejectsDuplicateKeysNamingTheObjectPath) {
  EXPECT_EQ(ParseError(R"({"amount":"1","amount":"2"})"),
            "duplicate key \"amount\" at the top level");
  EXPECT_EQ(
      ParseError(R"({"request_id":"r","receipt":{"amount":"1","bank_ref":"b","amount":"1"}})"),
      "duplicate key \"amount\" in receipt");
  EXPECT_EQ(ParseError(R"({"open_case":{"creditors":[{"name":"a","name":"b"}]}})"),
            "duplicate key \"name\" in open_case.creditors[0]");
  EXPECT_EQ(ParseError(R"({"open_case":{"creditors":[{"name":"a"},{"x":1,"name":"b","x":2}]}})"),
            "duplicate key \"x\" in open_case.creditors[1]");
  EXPECT_EQ(ParseError(R"([[1],[{"a":[{"k":1,"k":1}]}]])"), "duplicate key \"k\" in [1][0].a[0]");
  // Keys are compared after decoding escapes.
  EXPECT_EQ(ParseError(R"({"a":1,"\u0061":2})"), "duplicate key \"a\" at the top level");
  // The empty key is a key like any other.
  EXPECT_EQ(ParseError(R"({"":1,"":2})"), "duplicate key \"\" at the top level");
}

TEST(JsonParseTest, DuplicateKeyMessagesEscapeAndShortenKeys) {
  EXPECT_EQ(ParseError(R"({"a\nb":1,"a\nb":2})"), "duplicate key \"a\\u000Ab\" at the top level");
  const std::string long_key(100, 'k');
  const std::string message =
      ParseError("{\"" + long_key + "\":{\"x\":1,\"x\":1},\"" + long_key + "\":1}");
  EXPECT_EQ(message, "duplicate key \"x\" in " + std::string(64, 'k') + "...");
}

TEST(JsonParseTest, DuplicateKeysInLargeObjects) {
  std::string distinct = "{";
  for (int i = 0; i < 1000; ++i) distinct += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  Value value = ParseOk(distinct + "}");
  EXPECT_EQ(value.members.size(), 1000u);
  EXPECT_EQ(value.members[999].first, "k999");
  EXPECT_EQ(value.Find("k500")->text, "1");
  EXPECT_EQ(ParseError(distinct + ",\"k3\":2}"), "duplicate key \"k3\" at the top level");
  EXPECT_EQ(ParseError(distinct + ",\"k999\":2}"), "duplicate key \"k999\" at the top level");
  std::string sixteen = "{";
  for (int i = 0; i < 16; ++i) sixteen += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  EXPECT_EQ(ParseError(sixteen + ",\"k15\":2}"), "duplicate key \"k15\" at the top level");
  EXPECT_EQ(ParseError(sixteen + ",\"k16\":2,\"k0\":3}"), "duplicate key \"k0\" at the top level");
}

TEST(JsonWriterTest, UsageExample) {
  Writer w;
  w.BeginObject().Key("ok").Bool(true).Key("seq").Int(42).EndObject();
  EXPECT_EQ(w.str(), R"({"ok":true,"seq":42})");
}

TEST(JsonWriterTest, CommasInNestedContainers) {
  Writer w;
  w.BeginObject()
      .Key("a")
      .BeginArray()
      .Int(1)
      .BeginObject()
      .EndObject()
      .BeginArray()
      .EndArray()
      .Null()
      .EndArray()
      .Key("b")
      .BeginObject()
      .Key("c")
      .Bool(false)
      .Key("d")
      .String("x")
      .EndObject()
      .Key("e")
      .Raw(R"({"raw":[1,2]})")
      .EndObject();
  EXPECT_EQ(w.str(), R"({"a":[1,{},[],null],"b":{"c":false,"d":"x"},"e":{"raw":[1,2]}})");
  EXPECT_TRUE(Parse(w.str()).ok());
}

TEST(JsonWriterTest, TopLevelScalarsAndEmptyContainers) {
  EXPECT_EQ(Writer().Int(-7).str(), "-7");
  EXPECT_EQ(Writer().String("a").str(), R"("a")");
  EXPECT_EQ(Writer().BeginArray().EndArray().str(), "[]");
  EXPECT_EQ(Writer().BeginObject().EndObject().str(), "{}");
}

TEST(JsonWriterTest, IntExtremes) {
  Writer w;
  w.BeginArray()
      .Int(0)
      .Int(std::numeric_limits<int64_t>::max())
      .Int(std::numeric_limits<int64_t>::min())
      .EndArray();
  EXPECT_EQ(w.str(), "[0,9223372036854775807,-9223372036854775808]");
}

TEST(JsonWriterTest, OptionalStringWritesNullWhenEmpty) {
  Writer w;
  w.BeginObject()
      .Key("request_id")
      .OptionalString(std::nullopt)
      .Key("payer")
      .OptionalString(std::string("张某某"))
      .Key("memo")
      .OptionalString(std::string())
      .EndObject();
  EXPECT_EQ(w.str(), R"({"request_id":null,"payer":"张某某","memo":""})");
}

TEST(JsonQuoteTest, EscapesQuoteBackslashAndControlCharacters) {
  EXPECT_EQ(Quote(""), R"("")");
  EXPECT_EQ(Quote(R"(a"b\c/d)"), R"("a\"b\\c/d")");
  EXPECT_EQ(Quote("\n\t\r\b\f"), R"("\u000A\u0009\u000D\u0008\u000C")");
  EXPECT_EQ(Quote("\x01\x1F\x7F"), "\"\\u0001\\u001F\x7F\"");
  EXPECT_EQ(Quote("a\0b"s), R"("a\u0000b")");
}

TEST(JsonQuoteTest, NonAsciiIsWrittenAsIs) {
  EXPECT_EQ(Quote("(2024)甘0102执1234号"), "\"(2024)甘0102执1234号\"");
  EXPECT_EQ(Quote("\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"), "\"\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"");
}

TEST(JsonQuoteTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(Quote("a\xFF"
                  "b"),
            "\"a" + r + "b\"");
  EXPECT_EQ(Quote("\x80\x80"), "\"" + r + r + "\"");          // two lone continuations
  EXPECT_EQ(Quote("\xC0\x80"), "\"" + r + r + "\"");          // overlong: two subparts
  EXPECT_EQ(Quote("\xED\xA0\x80"), "\"" + r + r + r + "\"");  // encoded surrogate
  EXPECT_EQ(Quote("\xE4\xB8"), "\"" + r + "\"");              // truncated at the end
  EXPECT_EQ(Quote("\xE4\xB8"
                  "a"),
            "\"" + r + "a\"");                                        // truncated before ASCII
  EXPECT_EQ(Quote("\xF0\x9F\x98\""), "\"" + r + "\\\"\"");            // truncated before a quote
  EXPECT_EQ(Quote("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // over U+10FFFF
  Result<Value> parsed = Parse(Quote("\xC3\x28\xA0\xA1"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->text, r + "(" + r + r);
}

TEST(JsonRoundTripTest, EveryEscapeSurvivesWriterThenParse) {
  std::string original;
  for (int c = 0; c < 0x80; ++c) original.push_back(static_cast<char>(c));
  original += "张某某 \xF0\x9F\x98\x80 \xEF\xBB\xBF \xF4\x8F\xBF\xBF \\u0041 \"quoted\"";
  Writer w;
  w.BeginObject().Key(original).String(original).EndObject();
  Result<Value> parsed = Parse(w.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->members.size(), 1u);
  EXPECT_EQ(parsed->members[0].first, original);
  EXPECT_EQ(parsed->members[0].second.text, original);
}

TEST(JsonRoundTripTest, ParsedValuesWriteBackCompactly) {
  const std::string input =
      " { \"b\" : [ 1 , -2.50e+3 , true , false , null , \"\\u00e9\\n\" ] , \"a\" : { } } ";
  Result<Value> parsed = Parse(input);
  ASSERT_TRUE(parsed.ok());
  Writer w;
  w.Write(*parsed);
  EXPECT_EQ(w.str(), "{\"b\":[1,-2.50e+3,true,false,null,\"\xC3\xA9\\u000A\"],\"a\":{}}");
  Result<Value> again = Parse(w.str());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Canonical(*again), Canonical(*parsed));
}

TEST(JsonCanonicalTest, SortsKeysAtEveryLevelAndKeepsNumbersRaw) {
  Result<Value> a = Parse(R"({"z":{"y":1,"x":[{"b":2,"a":1}]},"a":"7"})");
  Result<Value> b = Parse(R"({ "a" : "7" , "z" : { "x" : [ { "a" : 1 , "b" : 2 } ] , "y" : 1 } })");
  Result<Value> c = Parse(R"({"a":"7.00","z":{"x":[{"a":1,"b":2}],"y":1}})");
  Result<Value> d = Parse(R"({"a":"7","z":{"x":[{"a":1,"b":2}],"y":1.0}})");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(Canonical(*a), R"({"a":"7","z":{"x":[{"a":1,"b":2}],"y":1}})");
  EXPECT_EQ(Canonical(*a), Canonical(*b));
  EXPECT_NE(Canonical(*a), Canonical(*c));
  EXPECT_NE(Canonical(*a), Canonical(*d));
}

}  // namespace
}  // namespace caseledger::json
