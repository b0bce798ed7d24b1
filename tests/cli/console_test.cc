// The web console (issue 20) over HTTPS, driven with cpp-httplib's client and each operator's
// certificate: no certificate, another CA's, a revoked one or one of the wrong shape is refused;
// an auditor writes nothing; a clerk opens no other role's inbox nor the audit page; bad input
// gets the same result as `apply` through the server and records nothing; ID numbers and accounts
// reach only the roles that need them, in the JSON itself.
#include <httplib.h>

#include "tests/cli/server_util.h"

namespace caseledger::cli_test {
namespace {

const std::string kCase = "(2024)甘0102执1号";
const std::string kAccount = "6228481863901061114";
const std::string kIdNumber = "62010219900101002X";

// The commands of the tests, without operators: the certificate's.
std::string Line(const std::string& request_id, const std::string& op) {
  return R"({"request_id":")" + request_id + R"(","on":"2024-03-06",)" + op + "}";
}

const std::string kRoles =
    R"("set_roles":{"assignments":[{"operator":"admin.a","roles":["administrator"]},)"
    R"({"operator":"admin.b","roles":["administrator"]},{"operator":"clerk.a","roles":["clerk"]},)"
    R"({"operator":"clerk.b","roles":["clerk"]},{"operator":"mgr.m","roles":["manager"]},)"
    R"({"operator":"head.h","roles":["bureau_head"]},{"operator":"fin.f","roles":["finance"]},)"
    R"({"operator":"audit.c","roles":["auditor"]}]})";

const std::string kOpenCase =
    R"("open_case":{"case_no":")" + kCase +
    R"(","claim":"100000","creditors":[{"party_id":"c1","name":"王某","kind":"person",)"
    R"("id_type":"resident_id","id_number":")" +
    kIdNumber + R"(","account":")" + kAccount +
    R"("}],"debtors":[{"party_id":"d1","name":"张某"}]})";

struct Reply {
  int status = 0;  // 0: no answer (the handshake failed)
  std::string body;
  json::Value json;
};

class ConsoleTest : public ServerFixture {
 protected:
  void SetUp() override {
    // httplib's client writes the request after a handshake the server then refuses (TLS 1.3
    // checks the client's certificate after the client's last flight): EPIPE, not a signal.
    signal(SIGPIPE, SIG_IGN);
    ServerFixture::SetUp();
    StartServer({"--console", "127.0.0.1:0"});
    const size_t newline = address_.find('\n');
    ASSERT_NE(newline, std::string::npos) << address_;
    console_port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
    address_ = address_.substr(0, newline);
  }

  // A request to the console as `name` (a certificate of tools/make_certs.sh; "" for none).
  Reply Call(const std::string& name, const std::string& method, const std::string& path,
             const std::string& body = "", const std::string& type = "application/json") {
    const fs::path certs = Certificates();
    std::unique_ptr<httplib::SSLClient> client =
        name.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", console_port_)
                     : std::make_unique<httplib::SSLClient>("127.0.0.1", console_port_,
                                                            (certs / (name + ".pem")).string(),
                                                            (certs / (name + ".key")).string());
    client->set_ca_cert_path((certs / "ca.pem").string().c_str());
    client->set_connection_timeout(10);
    client->set_read_timeout(20);
    client->enable_server_certificate_verification(true);
    httplib::Result result = method == "GET" ? client->Get(path.c_str())
                                             : client->Post(path.c_str(), body, type.c_str());
    Reply reply;
    if (!result) return reply;
    reply.status = result->status;
    reply.body = result->body;
    Result<json::Value> parsed = json::Parse(result->body);
    if (parsed.ok()) reply.json = std::move(*parsed);
    return reply;
  }

  Reply ApplyLines(const std::string& name, const std::vector<std::string>& lines) {
    json::Writer w;
    w.BeginObject().Key("lines").BeginArray();
    for (const std::string& line : lines) w.String(line);
    return Call(name, "POST", "/api/apply", w.EndArray().EndObject().str());
  }

  Reply RunLine(const std::string& name, const std::vector<std::string>& args) {
    json::Writer w;
    w.BeginObject().Key("args").BeginArray();
    for (const std::string& arg : args) w.String(arg);
    return Call(name, "POST", "/api/run", w.EndArray().EndObject().str());
  }

  // The roles set by admin.a and approved by admin.b, and the case opened by clerk.a.
  void RolesAndCase() {
    Reply set = ApplyLines("admin.a", {Line("roles-1", kRoles)});
    ASSERT_EQ(set.status, 200) << set.body;
    Reply approved =
        ApplyLines("admin.b", {Line("ok-roles-1", R"("approve":{"target_request_id":"roles-1"})")});
    ASSERT_EQ(approved.json.Find("exit_code")->text, "0") << approved.body;
    Reply opened = ApplyLines("clerk.a", {Line("open-1", kOpenCase)});
    ASSERT_EQ(opened.json.Find("exit_code")->text, "0") << opened.body;
  }

  // The head of the ledger as the auditor's digest says.
  std::string HeadSeq() {
    Reply digest = RunLine("audit.c", {"--json", "digest"});
    Result<json::Value> out = json::Parse(digest.json.Find("out")->text);
    return out.ok() ? out->Find("seq")->text : "?";
  }

  int console_port_ = 0;
};

TEST_F(ConsoleTest, ServesThePagesAndTheOperatorToItsCertificate) {
  RolesAndCase();
  const Reply page = Call("clerk.a", "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("执行款管理控制台"), std::string::npos);
  EXPECT_EQ(Call("clerk.a", "GET", "/app.js").status, 200);
  EXPECT_EQ(Call("clerk.a", "GET", "/nothing.html").status, 404);
  const Reply me = Call("mgr.m", "GET", "/api/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json.Find("operator")->text, "mgr.m");
  ASSERT_EQ(me.json.Find("roles")->items.size(), 1u);
  EXPECT_EQ(me.json.Find("roles")->items[0].text, "manager");
  EXPECT_EQ(me.json.Find("today")->text, "2024-03-31");
}

TEST_F(ConsoleTest, RefusesCertificatesAsTheGrpcTransportDoes) {
  EXPECT_EQ(Call("", "GET", "/api/me").status, 0);               // no certificate: no handshake
  EXPECT_EQ(Call("other/clerk.a", "GET", "/api/me").status, 0);  // another CA
  for (const char* name : {"gone", "two", "dns", "urn"}) {       // revoked, wrong shapes
    const Reply refused = Call(name, "GET", "/api/me");
    EXPECT_EQ(refused.status, 403) << name << refused.body;
    EXPECT_EQ(refused.json.Find("error")->Find("code")->text, "NOT_PERMITTED") << name;
    EXPECT_EQ(Call(name, "GET", "/").status, 403) << name;
    EXPECT_EQ(ApplyLines(name, {Line("x", kOpenCase)}).status, 403) << name;
  }
  EXPECT_EQ(Call("clerk.a", "GET", "/api/me").status, 200);
}

TEST_F(ConsoleTest, AnAuditorWritesNothingAndAClerkOpensNoOtherRolesInbox) {
  RolesAndCase();
  const std::string head = HeadSeq();
  const Reply write = ApplyLines(
      "audit.c", {Line("a1", R"("receipt":{"case_no":")" + kCase +
                                 R"(","amount":"1","bank_ref":"B9","source":"debtor_payment"})")});
  ASSERT_EQ(write.status, 200) << write.body;
  EXPECT_EQ(write.json.Find("exit_code")->text, "1");
  EXPECT_EQ(write.json.Find("results")->items[0].Find("error")->Find("code")->text,
            "NOT_PERMITTED");
  EXPECT_EQ(HeadSeq(), head);

  const Reply other = RunLine("clerk.a", {"--json", "approvals", "--role", "manager"});
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(other.json.Find("error")->Find("code")->text, "NOT_PERMITTED");
  EXPECT_EQ(RunLine("clerk.a", {"--json", "approvals"}).status, 403);  // every role's
  EXPECT_EQ(RunLine("mgr.m", {"--json", "approvals", "--role", "manager"}).status, 200);
  EXPECT_EQ(RunLine("clerk.a", {"--json", "approvals", "--case", kCase}).status, 200);
  for (const char* audit : {"digest", "export", "verify", "state"}) {
    EXPECT_EQ(RunLine("clerk.a", {"--json", audit}).status, 403) << audit;
  }
  EXPECT_EQ(RunLine("fin.f",
                    {"--json", "report", "refusals", "--from", "2024-03-01", "--to", "2024-03-31"})
                .status,
            403);
}

// The manager's inbox shows the payment waiting for a manager; after the manager's step it is
// the bureau head's; after the head's, finance's to confirm.
TEST_F(ConsoleTest, TheInboxFollowsTheApprovalChain) {
  RolesAndCase();
  ASSERT_EQ(ApplyLines("clerk.a", {Line("rc-1", R"("receipt":{"case_no":")" + kCase +
                                                    R"(","amount":"30000","bank_ref":"B1",)"
                                                    R"("source":"debtor_payment"})")})
                .json.Find("exit_code")
                ->text,
            "0");
  ASSERT_EQ(ApplyLines("clerk.b", {Line("dr-1", R"("request_disbursement":{"disbursement_id":"D1",)"
                                                R"("case_no":")" +
                                                    kCase + R"(","payee":"c1","amount":"10000"})")})
                .json.Find("exit_code")
                ->text,
            "0");
  auto waiting = [&](const std::string& name, const std::string& role) {
    const Reply reply = RunLine(name, {"--json", "approvals", "--role", role});
    Result<json::Value> out = json::Parse(reply.json.Find("out")->text);
    EXPECT_TRUE(out.ok()) << reply.body;
    return out.ok() ? out->Find("waiting")->items : std::vector<json::Value>{};
  };
  ASSERT_EQ(waiting("mgr.m", "manager").size(), 1u);
  EXPECT_EQ(waiting("mgr.m", "manager")[0].Find("id")->text, "D1");
  EXPECT_TRUE(waiting("head.h", "bureau_head").empty());
  const std::string step = R"("approve_disbursement":{"disbursement_id":"D1"})";
  ASSERT_EQ(ApplyLines("mgr.m", {Line("s1", step)}).json.Find("exit_code")->text, "0");
  EXPECT_TRUE(waiting("mgr.m", "manager").empty());
  ASSERT_EQ(waiting("head.h", "bureau_head").size(), 1u);
  ASSERT_EQ(ApplyLines("head.h", {Line("s2", step)}).json.Find("exit_code")->text, "0");
  const std::vector<json::Value> to_confirm = waiting("fin.f", "finance");
  ASSERT_EQ(to_confirm.size(), 1u);
  EXPECT_EQ(to_confirm[0].Find("stage")->text, "confirm");
}

// Each bad line gets exactly the result line `apply` gives through the server (the gRPC
// transport, caseledger --server), and nothing is recorded.
TEST_F(ConsoleTest, BadInputGetsApplysAnswerAndRecordsNothing) {
  RolesAndCase();
  const std::string head = HeadSeq();
  const std::vector<std::string> bad = {
      "{not json",
      Line("b1", R"("receipt":{"case_no":")" + kCase +
                     R"(","amount":"1e3","bank_ref":"B5","source":"debtor_payment"})"),
      Line("b2", R"("receipt":{"case_no":"(2024)甘0102执99号","amount":"10",)"
                 R"("bank_ref":"B6","source":"debtor_payment"})"),
      Line("b3", R"("receipt":{"case_no":")" + kCase +
                     R"(","amount":"-5","bank_ref":"B7","source":"debtor_payment"})"),
      Line("b4", R"("receipt":{"case_no":")" + kCase +
                     R"(","amount":"10","bank_ref":"B8","source":"debtor_payment","x":1})"),
  };
  for (const std::string& line : bad) {
    const Reply console = ApplyLines("clerk.a", {line});
    ASSERT_EQ(console.status, 200) << console.body;
    const CliRun grpc = ApplyAs("clerk.a", {line});
    ASSERT_EQ(Results(grpc).size(), 1u) << grpc.out << grpc.err;
    EXPECT_EQ(json::Canonical(console.json.Find("results")->items[0]),
              json::Canonical(Results(grpc)[0]))
        << line;
    EXPECT_EQ(console.json.Find("exit_code")->text, "1");
  }
  // Invalid UTF-8 cannot travel in a JSON body: the lines themselves, as apply reads a file.
  const std::string invalid = Line("b5", R"("receipt":{"case_no":"\xff\xfe","amount":"10",)"
                                         R"("bank_ref":"B9","source":"debtor_payment"})");
  const Reply raw = Call("clerk.a", "POST", "/api/apply", invalid + "\n", "application/x-ndjson");
  ASSERT_EQ(raw.status, 200) << raw.body;
  const CliRun grpc = ApplyAs("clerk.a", {invalid});
  ASSERT_EQ(Results(grpc).size(), 1u);
  EXPECT_EQ(json::Canonical(raw.json.Find("results")->items[0]), json::Canonical(Results(grpc)[0]));
  EXPECT_EQ(raw.json.Find("results")->items[0].Find("error")->Find("code")->text,
            "INVALID_ARGUMENT");
  // The body itself malformed, or of the wrong shape: refused before any line is read.
  for (const std::string& body :
       {std::string("{\"lines\": [1]}"), std::string("{\"lines\": \"x\"}"),
        std::string("{\"lines\": [], \"who\": \"mgr.m\"}"), std::string("not json"),
        std::string("{\"lines\": [], \"atomic\": \"yes\"}")}) {
    const Reply refused = Call("clerk.a", "POST", "/api/apply", body);
    EXPECT_EQ(refused.status, 400) << body;
    EXPECT_EQ(refused.json.Find("error")->Find("code")->text, "INVALID_ARGUMENT") << body;
  }
  EXPECT_EQ(RunLine("clerk.a", {"--json", "case", "nonsense"}).json.Find("exit_code")->text, "1");
  EXPECT_EQ(HeadSeq(), head);
}

// A body naming another operator is that operator's refusal, as through gRPC.
TEST_F(ConsoleTest, TheOperatorIsTheCertificates) {
  RolesAndCase();
  const Reply other = ApplyLines(
      "clerk.a",
      {R"({"request_id":"r9","operator":"fin.f","on":"2024-03-06","receipt":{"case_no":")" + kCase +
       R"(","amount":"10","bank_ref":"B10","source":"debtor_payment"}})"});
  EXPECT_EQ(other.json.Find("results")->items[0].Find("error")->Find("code")->text,
            "NOT_PERMITTED");
}

TEST_F(ConsoleTest, IdNumbersAndAccountsOnlyToTheRolesThatNeedThem) {
  RolesAndCase();
  auto case_json = [&](const std::string& name) {
    return RunLine(name, {"--json", "case", kCase}).body;
  };
  auto history_json = [&](const std::string& name) {
    return RunLine(name, {"--json", "history", kCase}).body;
  };
  for (const char* name : {"mgr.m", "head.h", "audit.c", "admin.a"}) {
    for (const std::string& body : {case_json(name), history_json(name)}) {
      EXPECT_EQ(body.find(kAccount), std::string::npos) << name << body;
      EXPECT_EQ(body.find(kIdNumber), std::string::npos) << name << body;
      EXPECT_NE(body.find("****1114"), std::string::npos) << name << body;
      EXPECT_NE(body.find("****002X"), std::string::npos) << name << body;
    }
  }
  // Finance pays the account: it sees it, and no ID number.
  EXPECT_NE(case_json("fin.f").find(kAccount), std::string::npos);
  EXPECT_EQ(case_json("fin.f").find(kIdNumber), std::string::npos);
  // The clerks register parties and enter accounts: both in full.
  EXPECT_NE(case_json("clerk.a").find(kAccount), std::string::npos);
  EXPECT_NE(case_json("clerk.a").find(kIdNumber), std::string::npos);
  // Text output (no --json) is masked too.
  const std::string text = RunLine("mgr.m", {"history", kCase}).body;
  EXPECT_EQ(text.find(kAccount), std::string::npos) << text;
}

// A statement sent with the request; its bank-only line recorded by `reconcile --record` as the
// certificate's operator: finance may, an auditor may not (and then nothing is recorded).
TEST_F(ConsoleTest, BankOnlyLinesAreRecordedAsTheCertificatesOperator) {
  RolesAndCase();
  const std::string case_json =
      RunLine("clerk.a", {"--json", "case", kCase}).json.Find("out")->text;
  const std::string account = json::Parse(case_json)->Find("account_no")->text;
  const std::string statement =
      "value_date,direction,amount,bank_ref,counterparty,counterparty_account,virtual_account,"
      "memo,balance,kind\n2024-03-08,in,500.00,B-2,张某,," +
      account + ",,500.00,\n";
  auto record = [&](const std::string& name) {
    json::Writer w;
    w.BeginObject().Key("args").BeginArray();
    for (const char* arg : {"--json", "reconcile", "s.csv", "--record"}) w.String(arg);
    w.EndArray().Key("input").String(statement).Key("input_arg").Int(2).EndObject();
    const Reply reply = Call(name, "POST", "/api/run", w.str());
    EXPECT_EQ(reply.status, 200) << reply.body;
    Result<json::Value> out = json::Parse(reply.json.Find("out")->text);
    return out.ok() ? *out : json::Value();
  };
  const std::string head = HeadSeq();
  const json::Value refused = record("audit.c");
  ASSERT_EQ(refused.Find("not_recorded")->items.size(), 1u) << json::Canonical(refused);
  EXPECT_NE(json::Canonical(refused).find("NOT_PERMITTED"), std::string::npos);
  EXPECT_EQ(HeadSeq(), head);
  const json::Value recorded = record("fin.f");
  ASSERT_EQ(recorded.Find("recorded")->items.size(), 1u) << json::Canonical(recorded);
  const std::string history = RunLine("fin.f", {"--json", "history", kCase}).body;
  EXPECT_NE(history.find(R"(\"operator\":\"fin.f\")"), std::string::npos) << history;
}

TEST_F(ConsoleTest, ShutsDownWithTheServer) {
  ASSERT_EQ(Call("clerk.a", "GET", "/api/me").status, 200);
  const int status = StopServer(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Call("clerk.a", "GET", "/api/me").status, 0);
}

}  // namespace
}  // namespace caseledger::cli_test
