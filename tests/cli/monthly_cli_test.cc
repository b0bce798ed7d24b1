// Proves, through the real caseledger binary, `report monthly`: one self-contained HTML page with
// the hand-computed figures of a small month, integer bar lengths, the lights of the overdue
// list, HTML escaping of names, usage errors, and (when Chromium is installed) that the page
// renders headless to a PNG without console errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/cli_util.h"

namespace caseledger {
namespace {

using cli_test::CliFixture;
using cli_test::CliRun;
using cli_test::Cmd;
using cli_test::ErrorMessage;
using cli_test::IsOk;
using cli_test::ReadFile;
using cli_test::Str;
namespace fs = std::filesystem;

constexpr const char* kCaseA = "(2024)甘0102执11号";
constexpr const char* kCaseB = "(2024)甘0102执12号";
constexpr const char* kCaseC = "(2024)甘0102执13号";
constexpr const char* kCaseD = "(2024)甘0102执14号";

std::string OpenCase(const std::string& request_id, const std::string& on,
                     const std::string& case_no, const std::string& creditor) {
  return Cmd(request_id, on,
             R"("open_case":{"case_no":")" + case_no +
                 R"(","claim":"50000","judge":"王法官","creditors":[{"party_id":"c-)" + request_id +
                 R"(","name":")" + creditor + R"(","kind":"person"}],"debtors":[{"party_id":"d-)" +
                 request_id + R"(","name":"李强"}]})");
}

std::string Receipt(const std::string& request_id, const std::string& on,
                    const std::string& case_no, const std::string& amount) {
  return Cmd(request_id, on,
             R"("receipt":{"case_no":")" + case_no + R"(","amount":")" + amount +
                 R"(","bank_ref":")" + request_id + R"(","source":"debtor_payment"})");
}

// March 2024, evaluated on its last day 2024-03-31:
// A (creditor "张<&>明") received 1,000.00 on 01-10: deadline 02-09, 51 days past -> red, in
//   the 31-90 day bar.
// B received 2,000.50 on 02-25: deadline 03-26, 5 days past -> yellow, in the 1-30 day bar.
// C, filed 03-01, received 3,000.00 on 03-05 (week 03-01..07) and 1,500.25 on 03-20 (week
//   03-15..21): nothing overdue -> green; the month's recovered money is 4,500.25.
// D, filed 03-02, closed withdrawn 03-15.
// Indicators: filed C, D = 2; carried over A, B = 2; closed D = 1; closure rate 1/4 = 25.00%.
// Week bars: the longest (3,000.00) is 400 units; 1,500.25 is 150025 × 400 ÷ 300000 = 200.
class MonthlyCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    today_ = "2024-04-15";
    const CliRun run = Apply(
        {OpenCase("open-a", "2024-01-02", kCaseA, "张<&>明"),
         Receipt("receipt-a", "2024-01-10", kCaseA, "1000"),
         OpenCase("open-b", "2024-02-20", kCaseB, "赵敏"),
         Receipt("receipt-b", "2024-02-25", kCaseB, "2000.50"),
         OpenCase("open-c", "2024-03-01", kCaseC, "孙丽"),
         Receipt("receipt-c1", "2024-03-05", kCaseC, "3000"),
         Receipt("receipt-c2", "2024-03-20", kCaseC, "1500.25"),
         OpenCase("open-d", "2024-03-02", kCaseD, "周杰"),
         Cmd("close-d", "2024-03-15",
             R"("close_case":{"case_no":")" + std::string(kCaseD) + R"(","mode":"withdrawn"})")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    for (const auto& result : Results(run)) {
      EXPECT_TRUE(IsOk(result)) << Str(result, "request_id") << ": " << ErrorMessage(result);
    }
    html_ = (dir_ / "monthly.html").string();
  }

  CliRun Monthly(const std::string& month, const std::string& html) {
    return Run({"--db", db_, "report", "monthly", "--month", month, "--html", html});
  }

  // The page for March 2024, written through the binary.
  std::string March() {
    const CliRun run = Monthly("2024-03", html_);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return ReadFile(html_);
  }

  std::string html_;
};

bool Has(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

TEST_F(MonthlyCliTest, SelfContainedPage) {
  const std::string page = March();
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>")) << page.substr(0, 100);
  EXPECT_TRUE(Has(page, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(Has(page, "<svg"));
  EXPECT_TRUE(Has(page, "</html>"));
  EXPECT_FALSE(Has(page, "<script"));
  EXPECT_FALSE(Has(page, "https://"));
  // The one http:// allowed is the SVG namespace name, which is never fetched.
  std::string without_namespace = page;
  for (size_t at; (at = without_namespace.find("xmlns=\"http://www.w3.org/2000/svg\"")) !=
                  std::string::npos;) {
    without_namespace.erase(at, 34);
  }
  EXPECT_FALSE(Has(without_namespace, "http://"));
  EXPECT_FALSE(Has(page, "<link"));
  EXPECT_FALSE(Has(page, "<img"));
  EXPECT_FALSE(Has(page, "url("));
}

// A refund of 4,000.00 from C on 03-25 (week 03-22..28, which received nothing): the month's
// recovered money is 4,500.25 − 4,000.00 = 500.25; that week's 执行到位金额 before refunds is
// 0.00 (no negative bar), and the refunds chart shows the 4,000.00 apart.
TEST_F(MonthlyCliTest, RefundsApartFromReceiptsInTheWeeklyBars) {
  const CliRun run = Apply({Cmd("refund-c", "2024-03-25",
                                R"("refund":{"case_no":")" + std::string(kCaseC) +
                                    R"(","payee":"李强","amount":"4000","bank_ref":"RF1",)"
                                    R"("reason":"多付"})")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<td>执行到位金额（元）</td><td class=\"num\">500.25</td>")) << page;
  EXPECT_TRUE(Has(page, "本月各周执行到位金额（退款前，元）")) << page;
  EXPECT_TRUE(Has(page, "本月各周退款（元）")) << page;
  EXPECT_TRUE(Has(page, ">4,000.00</text>")) << page;
  EXPECT_FALSE(Has(page, ">-4,000.00</text>")) << page;
}

TEST_F(MonthlyCliTest, HandComputedIndicatorsAndCharts) {
  const std::string page = March();
  // 收支月报 of the month: each kind of account and the bank (report cashbook's rows).
  EXPECT_TRUE(Has(page, "<h2>七、收支月报（按记账日期）</h2>")) << page;
  EXPECT_TRUE(Has(page, "<td>案款</td>")) << page;
  EXPECT_TRUE(Has(page, "<td>合计（专户银行余额）</td>")) << page;
  EXPECT_TRUE(Has(page, "<td>执行到位金额（元）</td><td class=\"num\">4,500.25</td>"));
  EXPECT_TRUE(Has(page, "<td>新收</td><td class=\"num\">2</td>"));
  EXPECT_TRUE(Has(page, "<td>旧存</td><td class=\"num\">2</td>"));
  EXPECT_TRUE(Has(page, "<td>已结</td><td class=\"num\">1</td>"));
  EXPECT_TRUE(Has(page, "25.00%（1/4）"));
  // Weeks: 3,000.00 in the first, 1,500.25 in the third, bars 400 and 200 units long.
  EXPECT_TRUE(Has(page, "03-01 至 03-07"));
  EXPECT_TRUE(Has(page, "03-29 至 03-31"));
  EXPECT_TRUE(Has(page, "width=\"400\" height=\"22\" fill=\"#2b6cb0\"/><text x=\"596\""));
  EXPECT_TRUE(Has(page,
                  "width=\"200\" height=\"22\" fill=\"#2b6cb0\"/><text x=\"396\" y=\"83\">"
                  "1,500.25</text>"));
  // Overdue money by age: A's 1,000.00 is 31-90 days past (red), B's 2,000.50 1-30 (yellow):
  // the bars name the bands and lights of the legend.
  EXPECT_TRUE(Has(page, ">超期 1–30 天（黄灯）</text>"));
  EXPECT_TRUE(Has(page, ">超期 31–90 天（红灯）</text>"));
  EXPECT_TRUE(Has(page, ">超期 91–365 天（红灯）</text>"));
  EXPECT_TRUE(Has(page, ">超期 366 天以上（红灯）</text>"));
  EXPECT_TRUE(Has(page, ">2,000.50</text>"));
  EXPECT_TRUE(Has(page, ">1,000.00</text>"));
  // Closures by mode: D withdrawn.
  EXPECT_TRUE(Has(page, ">销案</text>"));
  EXPECT_TRUE(Has(page, ">1 件</text>"));
}

// Late payments of March: 400.00 paid from A on 03-10 takes money from its lot due 02-09 (late
// since 02-10); 1,000.00 paid from C on 03-25 from its lots due 04-04 and 04-19 (in time).
// Payments 2, late 1 of 400.00, 1/2 = 50.00%, for court 甘0102 and judge 王法官 alike.
TEST_F(MonthlyCliTest, LatePaymentsByCourtAndJudge) {
  auto pay = [](const std::string& id, const std::string& on, const char* case_no,
                const std::string& payee, const std::string& amount) {
    return std::vector<std::string>{
        Cmd("req-" + id, on,
            R"("request_disbursement":{"disbursement_id":")" + id + R"(","case_no":")" + case_no +
                R"(","payee":")" + payee + R"(","amount":")" + amount + R"("})"),
        Cmd("appr-" + id, on, R"("approve_disbursement":{"disbursement_id":")" + id + R"("})",
            "director.li"),
        Cmd("conf-" + id, on,
            R"("confirm_disbursement":{"disbursement_id":")" + id + R"(","bank_ref":"P-)" + id +
                R"("})")};
  };
  std::vector<std::string> lines = pay("pa", "2024-03-10", kCaseA, "c-open-a", "400");
  for (auto& line : pay("pc", "2024-03-25", kCaseC, "c-open-c", "1000")) lines.push_back(line);
  const CliRun run = Apply(lines);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const auto& result : Results(run)) EXPECT_TRUE(IsOk(result)) << ErrorMessage(result);
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<h2>五、本月超期发放</h2>")) << page;
  EXPECT_TRUE(Has(page, "发放 2 笔，其中超期发放 1 笔 400.00 元，超期发放率 50.00%")) << page;
  const std::string row =
      "<td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">400.00</td>"
      "<td class=\"num\">50.00%</td></tr>";
  EXPECT_TRUE(Has(page, "<tr><td>甘0102</td>" + row)) << page;
  EXPECT_TRUE(Has(page, "<tr><td>王法官</td>" + row)) << page;
  EXPECT_TRUE(Has(page, "<td>超期发放率</td><td class=\"num\">50.00%（1/2）</td>")) << page;
}

// SPEC §9: a payment to an account other than the payee's registered one is listed. C's
// creditor registered no account: 1,000.00 paid on 03-25 to 6222020200112233445 is listed,
// masked to its last four digits; A's 400.00 without an account is not.
TEST_F(MonthlyCliTest, PaymentsToUnregisteredAccounts) {
  auto pay = [](const std::string& id, const char* case_no, const std::string& payee,
                const std::string& amount, const std::string& account) {
    return std::vector<std::string>{
        Cmd("req-" + id, "2024-03-25",
            R"("request_disbursement":{"disbursement_id":")" + id + R"(","case_no":")" + case_no +
                R"(","payee":")" + payee + R"(","amount":")" + amount + "\"" + account + "}"),
        Cmd("appr-" + id, "2024-03-25",
            R"("approve_disbursement":{"disbursement_id":")" + id + R"("})", "director.li"),
        Cmd("conf-" + id, "2024-03-25",
            R"("confirm_disbursement":{"disbursement_id":")" + id + R"(","bank_ref":"P-)" + id +
                R"("})")};
  };
  std::vector<std::string> lines = pay("pa", kCaseA, "c-open-a", "400", "");
  for (auto& line : pay("pc", kCaseC, "c-open-c", "1000", R"(,"account":"6222020200112233445")")) {
    lines.push_back(line);
  }
  const CliRun run = Apply(lines);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<h2>六、付至非登记账户的款项</h2>")) << page;
  EXPECT_TRUE(Has(page, "本月 1 笔款项付至收款人登记账户以外的账户")) << page;
  EXPECT_TRUE(Has(page, "<tr><td>2024-03-25</td><td>" + std::string(kCaseC) +
                            "</td><td>c-open-c</td><td>****3445</td><td class=\"num\">1,000.00"
                            "</td><td>P-pc</td></tr>"))
      << page;
  EXPECT_FALSE(Has(page, "P-pa</td></tr>")) << page;
  EXPECT_FALSE(Has(page, "6222020200112233445")) << page;  // personal data, never whole
}

// Categories: D (claim 50,000.00 < 100,000.00, persons only, no flags) is the one closed case,
// so small_value is 1 closed with 0.00 recovered and every other category 0. Relief: 800.00
// paid in March to C's creditor from the state fund: 1 recipient, 800.00, and C's figures
// (4,500.25 recovered this month) are unchanged.
TEST_F(MonthlyCliTest, CategoriesAndRelief) {
  const CliRun run = Apply({Cmd("relief-c", "2024-03-28",
                                R"("relief_payment":{"case_no":")" + std::string(kCaseC) +
                                    R"(","payee":"c-open-c","amount":"800","bank_ref":"JZ-1",)"
                                    R"("reason":"生活困难"})")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<td>司法救助</td><td class=\"num\">1 人，800.00 元</td>")) << page;
  EXPECT_TRUE(Has(page,
                  "<td>小标的（10万元以下）</td><td class=\"num\">1</td><td "
                  "class=\"num\">0.00</td>"));
  EXPECT_TRUE(Has(page, "<td>企业申请执行</td><td class=\"num\">0</td>"));
  EXPECT_TRUE(Has(page, "<td>执行到位金额（元）</td><td class=\"num\">4,500.25</td>"));
}

TEST_F(MonthlyCliTest, OverdueListWithLights) {
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<span class=\"light red\">红</span></td><td>" + std::string(kCaseA)));
  EXPECT_TRUE(Has(page, "<span class=\"light yellow\">黄</span></td><td>" + std::string(kCaseB)));
  EXPECT_TRUE(Has(page, "<span class=\"light green\">绿</span></td><td>" + std::string(kCaseC)));
  // D holds no money and has nothing overdue: not in the list.
  EXPECT_FALSE(Has(page, std::string("<td>") + kCaseD));
  // Red first (51 days past), then yellow (5 days), then green.
  EXPECT_LT(page.find(kCaseA), page.find(kCaseB));
  EXPECT_LT(page.find(kCaseB), page.find(kCaseC));
  EXPECT_TRUE(Has(page, "<td>2024-02-10</td><td class=\"num\">51</td>"));
  EXPECT_TRUE(Has(page, "<td>2024-03-27</td><td class=\"num\">5</td>"));
  // The page says what each colour means.
  EXPECT_TRUE(Has(page, "<span class=\"light yellow\">黄</span> 超过发放期限 1–30 天"));
  EXPECT_TRUE(Has(page, "<span class=\"light red\">红</span> 超过发放期限 31 天及以上"));
}

TEST_F(MonthlyCliTest, NamesAreEscaped) {
  const std::string page = March();
  EXPECT_TRUE(Has(page, "<td>张&lt;&amp;&gt;明</td>"));
  EXPECT_FALSE(Has(page, "张<&>明"));
}

TEST_F(MonthlyCliTest, UsageErrors) {
  for (const std::string month : {"2024-13", "2024-1", "2024-00", "24-03", "2024/03", ""}) {
    const CliRun run = Monthly(month, html_);
    EXPECT_EQ(run.exit_code, 2) << month << ": " << run.err;
    EXPECT_FALSE(fs::exists(html_)) << month;
  }
  const CliRun unwritable = Monthly("2024-03", (dir_ / "no-such-dir" / "m.html").string());
  EXPECT_EQ(unwritable.exit_code, 2) << unwritable.err;
  EXPECT_TRUE(Has(unwritable.err, "cannot write")) << unwritable.err;
  const CliRun no_html = Run({"--db", db_, "report", "monthly", "--month", "2024-03"});
  EXPECT_EQ(no_html.exit_code, 2) << no_html.err;
}

// Renders the page in headless Chromium: it must load from file:// alone, print no console
// message, and give a PNG of some substance.
TEST_F(MonthlyCliTest, RendersInHeadlessChromium) {
  const fs::path chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) GTEST_SKIP() << "chromium is not installed";
  const std::string page = March();
  ASSERT_TRUE(page.starts_with("<!DOCTYPE html>"));
  const fs::path png = dir_ / "monthly.png";
  const fs::path profile = dir_ / "chromium-profile";
  const fs::path log = dir_ / "chromium.log";
  const std::string command =
      "timeout 120 " + chromium.string() +
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --disable-sync --no-first-run --enable-logging=stderr --v=0"
      " --user-data-dir=" +
      profile.string() + " --screenshot=" + png.string() + " --window-size=1200,2000 file://" +
      html_ + " >" + log.string() + " 2>&1";
  const int status = std::system(command.c_str());
  const std::string output = ReadFile(log);
  ASSERT_EQ(status, 0) << output;
  ASSERT_TRUE(fs::exists(png)) << output;
  EXPECT_GT(fs::file_size(png), 10000u) << output;
  EXPECT_TRUE(ReadFile(png).starts_with("\x89PNG\r\n\x1a\n"));
  EXPECT_FALSE(Has(output, "Uncaught")) << output;
  // Chromium logs every console message as "INFO:CONSOLE:LINE] "message", source: URL".
  EXPECT_FALSE(Has(output, ":CONSOLE")) << output;
  EXPECT_TRUE(Has(output, "bytes written to file")) << output;
}

}  // namespace
}  // namespace caseledger
