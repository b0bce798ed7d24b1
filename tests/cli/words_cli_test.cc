// Proves that no --lang zh table of the demo month shows an English code word (issue 17): every
// table command's output, with what the user gave stripped, has none of the name table's wire
// names and English labels (core/names.h) and no snake_case word.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>

#include "core/names.h"
#include "tests/cli/cli_util.h"

namespace caseledger::cli_test {
namespace {

// The keys whose values the user gives as they are: identifiers and free text (SPEC §1).
const std::set<std::string> kGivenKeys = {"request_id",
                                          "operator",
                                          "party_id",
                                          "payee",
                                          "bank_ref",
                                          "approved_by",
                                          "hold_id",
                                          "event_id",
                                          "account",
                                          "account_no",
                                          "distribution_id",
                                          "disbursement_id",
                                          "lodgment_id",
                                          "batch_ref",
                                          "name",
                                          "payer",
                                          "memo",
                                          "note",
                                          "title",
                                          "reason",
                                          "new_case_no",
                                          "case_no",
                                          "judge"};

// Adds every wire name and English label of E's table that is written in ASCII letters.
template <typename E>
void AddCodes(std::set<std::string>* codes) {
  for (const Name<E>& name : NameTable<E>::kNames) {
    for (std::string_view word : {name.wire, EnglishLabel(name.value)}) {
      const bool letters = std::any_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      });
      if (letters) codes->insert(std::string(word));
    }
  }
}

std::set<std::string> EnglishCodes() {
  std::set<std::string> codes;
  AddCodes<pb::CaseStatus>(&codes);
  AddCodes<pb::ClosureMode>(&codes);
  AddCodes<pb::CaseType>(&codes);
  AddCodes<pb::CaseFlag>(&codes);
  AddCodes<pb::PartyKind>(&codes);
  AddCodes<pb::IdType>(&codes);
  AddCodes<pb::SuspensionKind>(&codes);
  AddCodes<pb::FeeBase>(&codes);
  AddCodes<pb::ClockStart>(&codes);
  AddCodes<pb::AllocationPart>(&codes);
  AddCodes<pb::HoldGround>(&codes);
  AddCodes<pb::DisbursementStatus>(&codes);
  AddCodes<pb::ReceiptSource>(&codes);
  AddCodes<pb::LodgmentGround>(&codes);
  AddCodes<pb::LodgmentPayout>(&codes);
  AddCodes<pb::DeletionReason>(&codes);
  AddCodes<pb::Operation>(&codes);
  AddCodes<DefaulterGround>(&codes);
  AddCodes<DeletionCause>(&codes);
  AddCodes<ReportCategory>(&codes);
  return codes;
}

// The string values of `value` at the keys the user gives, collected into *given, and every
// case number, party id, event id and distribution id into the lists the commands take.
struct DemoInput {
  std::set<std::string> given;
  std::set<std::string> cases, parties, events, distributions;
};

void Collect(const json::Value& value, const std::string& key, DemoInput* input) {
  if (value.is_string()) {
    if (kGivenKeys.count(key) > 0) input->given.insert(value.text);
    if (key == "case_no" || key == "new_case_no") input->cases.insert(value.text);
    if (key == "party_id") input->parties.insert(value.text);
    if (key == "event_id") input->events.insert(value.text);
    if (key == "distribution_id") input->distributions.insert(value.text);
  }
  for (const auto& item : value.items) Collect(item, key, input);
  for (const auto& [member, child] : value.members) Collect(child, member, input);
}

// The English code words left in `text` once what the user gave is taken out.
std::vector<std::string> CodeWords(std::string text, const std::set<std::string>& given,
                                   const std::set<std::string>& codes) {
  std::vector<std::string> by_length(given.begin(), given.end());
  std::sort(by_length.begin(), by_length.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& g : by_length) {
    if (g.empty() || codes.count(g) > 0) continue;  // a code sent as a value is no identifier
    for (size_t at = text.find(g); at != std::string::npos; at = text.find(g, at)) {
      text.replace(at, g.size(), " ");
    }
  }
  static const std::regex kWord("[A-Za-z0-9_]+");
  static const std::regex kSnakeCase("[a-z]+_[a-z_]+");
  std::vector<std::string> found;
  for (std::sregex_iterator it(text.begin(), text.end(), kWord), end; it != end; ++it) {
    const std::string word = it->str();
    if (codes.count(word) > 0 || std::regex_match(word, kSnakeCase)) found.push_back(word);
  }
  return found;
}

class WordsCli : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const fs::path demo = fs::path(CASELEDGER_SOURCE_DIR) / "demo" / "month.jsonl";
    std::ifstream in(demo);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) Collect(ParseJson(line), "", &input_);
    }
    const CliRun applied = Run({"--db", db_, "apply", demo.string()});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    // A statement of two lines: one the ledger has (matched), one it has not (bank only); every
    // other movement of March is ledger-only and listed with its operation.
    WriteFile(dir_ / "statement.csv",
              "value_date,direction,amount,bank_ref,counterparty,counterparty_account,"
              "virtual_account,memo,balance\n"
              "2024-03-04,in,39079.00,B240304-0001,李强,,,,\n"
              "2024-03-29,in,100.00,B240329-0009,王某,,,,\n");
    input_.given.insert({"B240329-0009", "王某", "statement.csv"});
  }

  static std::string DemoStatement() {
    return (fs::path(CASELEDGER_SOURCE_DIR) / "demo" / "statement-2024-03.csv").string();
  }

  // Every table command of the demo, as argument lists after --db.
  std::vector<std::vector<std::string>> TableCommands() const {
    std::vector<std::vector<std::string>> commands = {
        {"cases"},
        {"rules"},
        {"defaulters"},
        {"events"},
        {"state"},
        {"balance"},
        {"balance", "--statement", "statement.csv"},
        {"movements", "--from", "2024-03-01", "--to", "2024-03-31"},
        {"report", "cashbook", "--month", "2024-03"},
        {"feed", "defaulters", "--after-seq", "0"},
        {"report", "indicators", "--from", "2024-03-01", "--to", "2024-03-31"},
        {"report", "indicators", "--from", "2024-03-01", "--to", "2024-03-31", "--by", "judge"},
        {"report", "overdue"},
        {"report", "backlog", "--from", "2024-01-01"},
        {"report", "deadlines", "--within", "60"},
        {"reconcile", "statement.csv", "--period", "2024-03-01:2024-03-31"},
        // The demo's own March statement (README): every line matched but the bank's interest
        // and charge.
        {"balance", "--statement", DemoStatement()},
        {"reconcile", DemoStatement(), "--period", "2024-03-01:2024-03-31"},
        {"calc", "fee", "10000000.01"},
        {"calc", "interest", "--claim", "100000", "--due", "2024-01-01", "--on", "2024-03-31"},
        {"calc", "split", "--amount", "1000", "--claim", "P0101:800", "--claim", "P0201:600"}};
    for (const auto& c : input_.cases) {
      commands.push_back({"case", c});
      commands.push_back({"history", c});
    }
    for (const auto& p : input_.parties) commands.push_back({"defaulter", p});
    for (const auto& e : input_.events) commands.push_back({"event", e});
    for (const auto& d : input_.distributions) commands.push_back({"distribution", d});
    return commands;
  }

  DemoInput input_;
};

TEST_F(WordsCli, NoChineseTableOfTheDemoShowsAnEnglishCode) {
  const std::set<std::string> codes = EnglishCodes();
  ASSERT_GT(codes.count("open_case"), 0u);
  ASSERT_GT(codes.count("fully_performed"), 0u);
  ASSERT_GT(codes.count("expired"), 0u);
  size_t commands = 0;
  for (const auto& args : TableCommands()) {
    std::vector<std::string> argv = {"--db", db_};
    argv.insert(argv.end(), args.begin(), args.end());
    const CliRun run = Run(argv);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    // reconcile exits 1 when the balances do not agree: its table is printed all the same.
    EXPECT_TRUE(run.exit_code == 0 || args[0] == "reconcile") << joined << run.err;
    EXPECT_FALSE(run.out.empty()) << joined;
    const std::vector<std::string> found = CodeWords(run.out, input_.given, codes);
    std::string words;
    for (const auto& w : found) words += w + " ";
    EXPECT_TRUE(found.empty()) << joined << "shows " << words << "\n" << run.out;
    ++commands;
  }
  EXPECT_GE(commands, 60u);
}

// The monthly page's visible text (its style sheet and tags taken out) holds no English code
// either: every figure and label a bureau head reads there is in Chinese.
TEST_F(WordsCli, TheMonthlyPageShowsNoEnglishCode) {
  const std::string page = (dir_ / "monthly.html").string();
  const CliRun run = Run({"--db", db_, "report", "monthly", "--month", "2024-03", "--html", page});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(page);
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(html.find("</html>"), std::string::npos);
  static const std::regex kStyle(R"(<style[\s\S]*?</style>)");
  static const std::regex kTag("<[^>]*>");
  const std::string text = std::regex_replace(std::regex_replace(html, kStyle, " "), kTag, " ");
  ASSERT_NE(text.find("执行到位"), std::string::npos) << text.substr(0, 400);
  const std::vector<std::string> found = CodeWords(text, input_.given, EnglishCodes());
  std::string words;
  for (const auto& w : found) words += w + " ";
  EXPECT_TRUE(found.empty()) << "the monthly page shows " << words;
}

// The words shown instead are the name table's: an operation, a closure mode and the deadline's
// basis, a defaulter ground's wording and a deletion cause. On the demo, (2024)甘0102执1203号
// closed as fully performed on 03-08; P3802 was listed on ground 1 and paid everything on 02-08.
TEST_F(WordsCli, ChineseTablesShowTheGlossarysWords) {
  const CliRun history = Run({"--db", db_, "history", "(2024)甘0102执1203号"});
  for (const char* word : {"立案", "到账", "收取执行费", "发放申请", "发放审批", "结案"}) {
    EXPECT_NE(history.out.find(word), std::string::npos) << word << "\n" << history.out;
  }
  const CliRun closed = Run({"--db", db_, "case", "(2024)甘0102执1203号"});
  EXPECT_NE(closed.out.find("已结（执行完毕）"), std::string::npos) << closed.out;
  EXPECT_NE(closed.out.find("（立案日期 2024-03-04 + 6个月结案期限）"), std::string::npos)
      << closed.out;
  const CliRun defaulter = Run({"--db", db_, "defaulter", "P3802", "--on", "2024-02-10"});
  EXPECT_NE(defaulter.out.find("有履行能力而拒不履行"), std::string::npos) << defaulter.out;
  EXPECT_NE(defaulter.out.find("（已履行完毕）"), std::string::npos) << defaulter.out;
  // A list in a Chinese sentence takes 、 (顿号), never an ASCII comma.
  const CliRun rules = Run({"--db", db_, "rules"});
  EXPECT_NE(rules.out.find("申请执行费、一般债务利息、申请执行标的、迟延履行利息"),
            std::string::npos)
      << rules.out;
  // (An amount's thousands separators are commas between digits: taken out first.)
  std::string without_amounts = rules.out;
  for (size_t at = 1; at + 1 < without_amounts.size(); ++at) {
    if (without_amounts[at] == ',' &&
        std::isdigit(static_cast<unsigned char>(without_amounts[at - 1])) &&
        std::isdigit(static_cast<unsigned char>(without_amounts[at + 1]))) {
      without_amounts[at] = ' ';
    }
  }
  EXPECT_EQ(without_amounts.find(','), std::string::npos) << rules.out;
  EXPECT_NE(rules.out.find("1,000,000.00 以上：案款管理人 → 执行局长 → 分管院领导"),
            std::string::npos)
      << rules.out;
  // English keeps the wire names, as JSON.
  const CliRun en = Run({"--db", db_, "--lang", "en", "case", "(2024)甘0102执1203号"});
  EXPECT_NE(en.out.find("closed (fully_performed)"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("(filed_on 2024-03-04 + 6 months (closure_months))"), std::string::npos)
      << en.out;
}

// The scan finds what it looks for: the English tables are full of the codes.
TEST_F(WordsCli, TheScanFindsTheCodesOfEnglishTables) {
  const std::set<std::string> codes = EnglishCodes();
  for (const char* case_no : {"(2024)甘0102执96号", "(2024)甘0102执1203号"}) {
    const CliRun history = Run({"--db", db_, "--lang", "en", "history", case_no});
    EXPECT_FALSE(CodeWords(history.out, input_.given, codes).empty()) << history.out;
  }
  const CliRun rules = Run({"--db", db_, "--lang", "en", "rules"});
  EXPECT_FALSE(CodeWords(rules.out, input_.given, codes).empty()) << rules.out;
}

}  // namespace
}  // namespace caseledger::cli_test
