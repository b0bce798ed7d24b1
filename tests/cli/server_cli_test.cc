// caseledgerd (SPEC §9), driven from outside: the real server on loopback and the real client.
// The same commands give the same output and exit codes through the server as locally (the
// entries differing only in the origin they record);
// the operator is the certificate's, whatever the body says; certificates of the wrong shape, of
// another CA or revoked are refused and write nothing; a server killed under load loses nothing
// it acknowledged and applies no retried request twice.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "service.grpc.pb.h"
#include "tests/cli/server_util.h"

namespace caseledger::cli_test {
namespace {

const std::string kCase = "(2024)甘0102执1号";

// open_case of `case_no` on 2024-03-01 by `op`: one enterprise creditor c1, one debtor d1.
std::string OpenCase(const std::string& request_id, const std::string& case_no,
                     const std::string& op) {
  return Cmd(request_id, "2024-03-01",
             R"("open_case":{"case_no":")" + case_no +
                 R"(","claim":"100000","creditors":[{"party_id":"c1","name":"某公司"}],)"
                 R"("debtors":[{"party_id":"d1","name":"张某"}]})",
             op);
}

// Four commands of one operator: a case, a receipt, a request and its approval by another.
std::vector<std::string> Commands(const std::string& maker, const std::string& checker) {
  return {OpenCase("open-1", kCase, maker),
          Cmd("rc-1", "2024-03-04",
              R"("receipt":{"case_no":")" + kCase +
                  R"(","amount":"30000","bank_ref":"B1","source":"debtor_payment"})",
              maker),
          Cmd("dr-1", "2024-03-05",
              R"("request_disbursement":{"disbursement_id":"D1","case_no":")" + kCase +
                  R"(","payee":"c1","amount":"10000"})",
              maker),
          Cmd("ap-1", "2024-03-06", R"("approve_disbursement":{"disbursement_id":"D1"})", checker)};
}

// The same commands with the operator left out: the server takes it from the certificate.
std::string WithoutOperator(std::string line) {
  const size_t at = line.find(R"("operator":")");
  const size_t end = line.find('"', at + 12);
  return line.erase(at, end + 2 - at);
}

class ServerCliTest : public ServerFixture {};

TEST_F(ServerCliTest, SameOutputAndExitCodesAsLocally) {
  // Locally, into local/, as clerk.a with clerk.b approving; through the server, the same lines
  // without operators, sent by clerk.a and clerk.b themselves.
  const std::string local = (dir_ / "local").string();
  const std::vector<std::string> commands = Commands("clerk.a", "clerk.b");
  std::string input;
  for (size_t i = 0; i < 3; ++i) input += commands[i] + "\n";
  CliRun applied =
      Run({"--db", local, "apply"}, input, {{"CASELEDGER_RECORDED_AT_US", "1711900000000000"}});
  ASSERT_EQ(applied.exit_code, 0) << applied.out;
  applied = Run({"--db", local, "apply"}, commands[3] + "\n",
                {{"CASELEDGER_RECORDED_AT_US", "1711900000000000"}});
  ASSERT_EQ(applied.exit_code, 0) << applied.out;

  StartServer();
  CliRun remote = ApplyAs("clerk.a", {WithoutOperator(commands[0]), WithoutOperator(commands[1]),
                                      WithoutOperator(commands[2])});
  ASSERT_EQ(remote.exit_code, 0) << remote.out << remote.err;
  EXPECT_EQ(Results(remote).size(), 3u);
  remote = ApplyAs("clerk.b", {WithoutOperator(commands[3])});
  ASSERT_EQ(remote.exit_code, 0) << remote.out << remote.err;

  // Every reading command: the same bytes and exit code. The entries differ in one field only,
  // their origin (recorded: through the server, an authenticated operator's), so the hashes do.
  const std::vector<std::vector<std::string>> reads = {
      {"case", kCase},
      {"--json", "case", kCase},
      {"--lang", "en", "cases"},
      {"history", kCase},
      {"--json", "balance"},
      {"movements", "--from", "2024-03-01", "--to", "2024-03-31"},
      {"report", "indicators", "--from", "2024-01-01", "--to", "2024-03-31"},
      {"case", "(2024)甘0102执999号"},
      {"--json", "case", "(2024)甘0102执999号"},
      {"case", "nope"},
      {"state", "--at-seq", "9"}};
  for (const auto& args : reads) {
    std::vector<std::string> local_args = {"--db", local};
    local_args.insert(local_args.end(), args.begin(), args.end());
    const CliRun here = Run(local_args);
    const CliRun there = RunAs("audit.c", args);
    const std::string what = args.back();
    EXPECT_EQ(there.exit_code, here.exit_code) << what << "\n" << there.err;
    EXPECT_EQ(there.out, here.out) << what;
    EXPECT_EQ(there.err, here.err) << what;
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"verify"}, {"digest"}, {"--json", "state"}}) {
    std::vector<std::string> local_args = {"--db", local};
    local_args.insert(local_args.end(), args.begin(), args.end());
    const CliRun here = Run(local_args), there = RunAs("audit.c", args);
    EXPECT_EQ(there.exit_code, 0) << there.err;
    EXPECT_EQ(there.exit_code, here.exit_code);
    EXPECT_EQ(there.Lines().size(), here.Lines().size()) << args.back();
  }
  const CliRun exported = RunAs("audit.c", {"export", "--format", "jsonl"});
  const std::string local_export = Run({"--db", local, "export", "--format", "jsonl"}).out;
  EXPECT_EQ(exported.Lines().size(), 4u);
  for (const std::string& line : exported.Lines()) {
    EXPECT_NE(line.find(R"("origin":"authenticated")"), std::string::npos) << line;
  }
  EXPECT_EQ(local_export.find(R"("origin":)"), std::string::npos);

  // A file the command writes is written on the client's side, at the path given.
  const fs::path exported_file = dir_ / "export.jsonl";
  const CliRun to_file = RunAs("audit.c", {"export", "-o", exported_file.string()});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(ReadFile(exported_file), exported.out);
  const fs::path page = dir_ / "month.html";
  const CliRun monthly =
      RunAs("audit.c", {"report", "monthly", "--month", "2024-03", "--html", page.string()});
  ASSERT_EQ(monthly.exit_code, 0) << monthly.err;
  EXPECT_EQ(monthly.out, "已写入 " + page.string() + "\n");
  EXPECT_NE(ReadFile(page).find("<html"), std::string::npos);
}

TEST_F(ServerCliTest, BadLinesGetTheAnswersApplyGives) {
  // Malformed JSON, a bad amount, an unknown case, invalid UTF-8, an invisible character, an
  // over-long line, a blank line, a duplicate reference: answered line for line, byte for byte,
  // as locally, and the good lines recorded alike.
  const std::string op = "clerk.a";
  const std::vector<std::string> lines = {
      R"({"request_id":"r1","on":"2024-03-01",)",
      OpenCase("open-1", kCase, op),
      Cmd("r2", "2024-03-02",
          R"("receipt":{"case_no":")" + kCase +
              R"(","amount":"12.345","bank_ref":"B1","source":"debtor_payment"})",
          op),
      Cmd("r3", "2024-03-02",
          R"("receipt":{"case_no":"(2024)甘0102执2号","amount":"1","bank_ref":"B2","source":"debtor_payment"})",
          op),
      Cmd("r4", "2024-03-02", "\"receipt\":{\"case_no\":\"\xff\",\"amount\":\"1\"}", op),
      Cmd("r5", "2024-03-02",
          "\"receipt\":{\"case_no\":\"" + kCase +
              "\",\"amount\":\"1\",\"bank_ref\":\"B\xe2\x80\x8b"
              "1\"}",
          op),
      std::string(2 * 1024 * 1024, 'x'),
      "",
      Cmd("r6", "2024-03-02",
          R"("receipt":{"case_no":")" + kCase +
              R"(","amount":"1","bank_ref":"B7","source":"debtor_payment"})",
          op),
      Cmd("r7", "2024-03-02",
          R"("receipt":{"case_no":")" + kCase +
              R"(","amount":"1","bank_ref":"B7","source":"debtor_payment"})",
          op)};
  const CliRun here = Apply(lines);
  const std::string local = db_;
  db_ = (dir_ / "served").string();
  StartServer();
  const CliRun there = ApplyAs(op, lines);
  EXPECT_EQ(there.out, here.out);
  EXPECT_EQ(there.exit_code, here.exit_code);
  EXPECT_EQ(Results(there).size(), 9u);  // no answer for the blank line
  EXPECT_EQ(Run({"--db", local, "--json", "balance"}).out, RunAs(op, {"--json", "balance"}).out);
}

TEST_F(ServerCliTest, TheOperatorIsTheCertificatesWhateverTheBodySays) {
  StartServer();
  const std::vector<std::string> commands = Commands("clerk.a", "clerk.b");
  ASSERT_EQ(ApplyAs("clerk.a", {commands[0], commands[1], commands[2]}).exit_code, 0);
  const std::string head = RunAs("audit.c", {"digest"}).out;

  // clerk.a's certificate with a body naming clerk.b: refused, nothing written. Approving one's
  // own request by naming somebody else is the spoof this stops.
  const CliRun spoofed = ApplyAs(
      "clerk.a",
      {Cmd("ap-1", "2024-03-06", R"("approve_disbursement":{"disbursement_id":"D1"})", "clerk.b")});
  ASSERT_EQ(Results(spoofed).size(), 1u);
  EXPECT_EQ(ErrorCode(Results(spoofed)[0]), "NOT_PERMITTED");
  EXPECT_NE(ErrorMessage(Results(spoofed)[0]).find("clerk.b"), std::string::npos);
  // No operator in the body: clerk.a's, and clerk.a may not approve clerk.a's request.
  const CliRun own = ApplyAs("clerk.a", {WithoutOperator(commands[3])});
  EXPECT_EQ(ErrorCode(Results(own)[0]), "NOT_PERMITTED");
  EXPECT_EQ(RunAs("audit.c", {"digest"}).out, head);
  // The same person spelt in another case is the same person: recorded as the certificate says.
  const CliRun approved = ApplyAs(
      "clerk.b",
      {Cmd("ap-1", "2024-03-06", R"("approve_disbursement":{"disbursement_id":"D1"})", "Clerk.B")});
  ASSERT_EQ(approved.exit_code, 0) << approved.out;
  const CliRun entry = RunAs("audit.c", {"export", "--format", "jsonl"});
  EXPECT_NE(entry.out.find(R"("operator":"clerk.b")"), std::string::npos);
  EXPECT_EQ(entry.out.find("Clerk.B"), std::string::npos);
}

TEST_F(ServerCliTest, ARequestIdBelongsToItsOperator) {
  StartServer();
  const std::string receipt = WithoutOperator(Commands("x", "y")[1]);
  ASSERT_EQ(ApplyAs("clerk.a", {WithoutOperator(Commands("x", "y")[0]), receipt}).exit_code, 0);
  // clerk.a again: the same request, answered again, not recorded twice.
  const CliRun again = ApplyAs("clerk.a", {receipt});
  ASSERT_EQ(Results(again).size(), 1u);
  EXPECT_TRUE(IsOk(Results(again)[0]));
  EXPECT_FALSE(Results(again)[0].Find("created")->boolean) << again.out;
  // clerk.b with the same id and the same body: somebody else's request id.
  const CliRun other = ApplyAs("clerk.b", {receipt});
  EXPECT_EQ(ErrorCode(Results(other)[0]), "IDEMPOTENCY_CONFLICT") << other.out;
  EXPECT_EQ(RunAs("audit.c", {"--json", "balance"}).out.find("\"30000.00\"") != std::string::npos,
            true);
}

TEST_F(ServerCliTest, CertificatesOfTheWrongShapeAnotherCaOrRevokedAreRefused) {
  StartServer();
  const std::string line = WithoutOperator(Commands("x", "y")[0]);
  for (const std::string name : {"two", "dns", "urn", "gone"}) {
    const CliRun refused = ApplyAs(name, {line});
    EXPECT_EQ(refused.exit_code, 1) << name;
    ASSERT_EQ(Results(refused).size(), 1u) << name << refused.out << refused.err;
    EXPECT_EQ(ErrorCode(Results(refused)[0]), "NOT_PERMITTED") << name << refused.out;
    const CliRun read = RunAs(name, {"--json", "cases"});
    EXPECT_EQ(read.exit_code, 1) << name;
    EXPECT_EQ(ErrorCode(ParseJson(read.out)), "NOT_PERMITTED") << name << read.out;
  }
  // Another CA's certificate, even one naming clerk.a, fails the handshake.
  const CliRun stranger = ApplyAs("other/clerk.a", {line});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_EQ(ErrorCode(Results(stranger)[0]), "IO_ERROR") << stranger.out;
  // Without a certificate the client does not even try.
  const CliRun bare = Run({"--server", address_, "cases"});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_NE(bare.err.find("--tls-cert"), std::string::npos);
  // Nothing was written by any of them.
  EXPECT_EQ(RunAs("audit.c", {"--json", "digest"}).out.find("\"seq\":0") != std::string::npos, true)
      << RunAs("audit.c", {"--json", "digest"}).out;
}

TEST_F(ServerCliTest, TheServerReadsNoFileOfItsOwnForAClient) {
  StartServer();
  const CliRun other_db = RunAs("audit.c", {"--db", "/etc", "cases"});
  EXPECT_EQ(other_db.exit_code, 0) << other_db.err;  // --db is the client's, not sent
  const CliRun import = RunAs("clerk.a", {"import", "/etc/passwd"});
  EXPECT_EQ(import.exit_code, 2);
  EXPECT_NE(import.err.find("without --server"), std::string::npos);
  const CliRun verify = RunAs("audit.c", {"verify", "--file", (dir_ / "none").string()});
  EXPECT_NE(verify.exit_code, 0);  // run here, on the client's missing file
}

TEST_F(ServerCliTest, AtomicThroughTheServerIsAllOrNothing) {
  StartServer();
  std::vector<std::string> lines;
  for (const std::string& line : Commands("x", "y")) lines.push_back(WithoutOperator(line));
  lines.pop_back();
  lines.push_back(WithoutOperator(Cmd("bad", "2024-03-07",
                                      R"("receipt":{"case_no":"(2024)甘0102执9号","amount":"1",)"
                                      R"("bank_ref":"B9","source":"debtor_payment"})")));
  const CliRun failed = ApplyAs("clerk.a", lines, {"--atomic"});
  EXPECT_EQ(failed.exit_code, 1);
  ASSERT_EQ(Results(failed).size(), 4u);
  EXPECT_EQ(ErrorCode(Results(failed)[0]), "NOT_COMMITTED");
  EXPECT_EQ(ErrorCode(Results(failed)[3]), "UNKNOWN_CASE");
  lines.pop_back();
  const CliRun done = ApplyAs("clerk.a", lines, {"--atomic"});
  EXPECT_EQ(done.exit_code, 0) << done.out;
  EXPECT_EQ(Results(done).size(), 3u);
}

// Several clients stream receipts; the server is killed with SIGKILL mid-way and started again;
// each client sends everything again with the same request ids. Every result acknowledged before
// the kill is there with its seq, no request is recorded twice, and verify passes.
TEST_F(ServerCliTest, KilledUnderLoadLosesNothingAcknowledged) {
  StartServer();
  const int kClients = 4, kReceipts = 1000;
  std::vector<std::string> inputs(kClients);
  for (int c = 0; c < kClients; ++c) {
    // A case per client: a case's record grows with its receipts (README "Performance").
    const std::string case_no = "(2024)甘0102执" + std::to_string(c + 1) + "号";
    ASSERT_EQ(
        ApplyAs("clerk.a", {OpenCase("open-" + std::to_string(c), case_no, "clerk.a")}).exit_code,
        0);
    for (int i = 0; i < kReceipts; ++i) {
      const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
      inputs[c] += R"({"request_id":")" + id + R"(","on":"2024-03-04","receipt":{"case_no":")" +
                   case_no + R"(","amount":"1","source":"debtor_payment","bank_ref":"B)" + id +
                   "\"}}\n";
    }
  }
  std::vector<CliRun> first(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const fs::path own = dir_ / ("client" + std::to_string(c));
      fs::create_directories(own);
      std::vector<std::string> argv = {CASELEDGER_BINARY, "apply"};
      first[c] = RunProgram(argv, EnvFor(As(c % 2 == 0 ? "clerk.a" : "clerk.b")), own, inputs[c]);
    });
  }
  // Killed once the first answers are out (or after 5 s), so that some commands are
  // acknowledged, some decided but unanswered, some not yet sent.
  for (int i = 0; i < 500 && ReadFile(dir_ / "client0" / "stdout").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  StopServer(SIGKILL);
  for (auto& client : clients) client.join();
  std::map<std::string, std::string> acknowledged;  // request id -> seq
  for (const CliRun& run : first) {
    for (const json::Value& result : Results(run)) {
      if (IsOk(result)) acknowledged[Str(result, "request_id")] = Str(result, "seq");
    }
  }
  RecordProperty("acknowledged_before_the_kill", static_cast<int>(acknowledged.size()));
  StartServer();
  std::set<std::string> seqs;
  for (int c = 0; c < kClients; ++c) {
    const CliRun again = ApplyAs(c % 2 == 0 ? "clerk.a" : "clerk.b", {inputs[c]});
    ASSERT_EQ(again.exit_code, 0) << again.out.substr(0, 2000);
    for (const json::Value& result : Results(again)) {
      const std::string id = Str(result, "request_id");
      if (acknowledged.contains(id)) {
        EXPECT_EQ(Str(result, "seq"), acknowledged[id]) << id;
      }
      EXPECT_TRUE(seqs.insert(Str(result, "seq")).second) << "recorded twice: " << id;
    }
  }
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kClients * kReceipts));  // and the openings: 1 to 4
  const CliRun verified = RunAs("audit.c", {"--json", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_EQ(ParseJson(verified.out).Find("ok")->boolean, true);
}

TEST_F(ServerCliTest, SigtermFinishesWhatItDecidedAndStops) {
  StartServer();
  ASSERT_EQ(ApplyAs("clerk.a", {WithoutOperator(Commands("x", "y")[0])}).exit_code, 0);
  const int status = StopServer(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_NE(ReadFile(dir_ / "server.log").find("caseledgerd: stopped"), std::string::npos);
  const CliRun local = Run({"--db", db_, "--json", "case", kCase});
  EXPECT_EQ(local.exit_code, 0) << local.out;
}

// Roles through the server (SPEC §9): set by one administrator, in force at a second's
// approval; then each operator records what their roles allow, a payment waits for its steps by
// different people (none of them the requester), finance confirms, an auditor writes nothing,
// and the local command line writes only with --maintenance.
TEST_F(ServerCliTest, RolesAndApprovalStepsByTheCertificatesPeople) {
  StartServer();
  const std::string roles =
      R"("set_roles":{"assignments":[{"operator":"admin.a","roles":["administrator"]},)"
      R"({"operator":"admin.b","roles":["administrator"]},{"operator":"clerk.a","roles":["clerk"]},)"
      R"({"operator":"mgr.m","roles":["manager"]},{"operator":"head.h","roles":["bureau_head"]},)"
      R"({"operator":"fin.f","roles":["finance"]},{"operator":"audit.c","roles":["auditor"]}]})";
  auto one = [&](const std::string& who, const std::string& id, const std::string& op) {
    const CliRun run = ApplyAs(who, {WithoutOperator(Cmd(id, "2024-03-06", op))});
    EXPECT_EQ(Results(run).size(), 1u) << run.out << run.err;
    return Results(run).empty() ? json::Value() : Results(run)[0];
  };
  const json::Value pending = one("admin.a", "roles-1", roles);
  ASSERT_TRUE(IsOk(pending)) << ErrorMessage(pending);
  EXPECT_NE(pending.Find("pending_approval"), nullptr);
  EXPECT_EQ(ErrorCode(one("admin.a", "ok-roles-1", R"("approve":{"target_request_id":"roles-1"})")),
            "NOT_PERMITTED");  // not by its maker
  ASSERT_TRUE(IsOk(one("admin.b", "ok-roles-1", R"("approve":{"target_request_id":"roles-1"})")));

  const std::vector<std::string> commands = Commands("x", "y");
  for (size_t i = 0; i < 3; ++i) {
    const CliRun run = ApplyAs("clerk.a", {WithoutOperator(commands[i])});
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }
  // 10,000.00: manager, then bureau head (approval_tiers' default), each a different person.
  const std::string step = R"("approve_disbursement":{"disbursement_id":"D1"})";
  EXPECT_EQ(ErrorCode(one("clerk.a", "s0", step)), "NOT_PERMITTED");  // the requester
  EXPECT_EQ(ErrorCode(one("head.h", "s1", step)), "NOT_PERMITTED");   // not the bureau head's turn
  const json::Value first = one("mgr.m", "s2", step);
  ASSERT_TRUE(IsOk(first)) << ErrorMessage(first);
  EXPECT_EQ(ErrorCode(one("mgr.m", "s3", step)), "NOT_PERMITTED");  // one person, two steps
  const json::Value second = one("head.h", "s4", step);
  ASSERT_TRUE(IsOk(second)) << ErrorMessage(second);
  const std::string confirm = R"("confirm_disbursement":{"disbursement_id":"D1","bank_ref":"P1"})";
  EXPECT_EQ(ErrorCode(one("clerk.a", "c0", confirm)), "NOT_PERMITTED");
  EXPECT_TRUE(IsOk(one("fin.f", "c1", confirm)));
  // An auditor reads and never writes.
  EXPECT_EQ(ErrorCode(one("audit.c", "a1",
                          R"("receipt":{"case_no":")" + kCase +
                              R"(","amount":"1","bank_ref":"B2",)"
                              R"("source":"debtor_payment"})")),
            "NOT_PERMITTED");
  EXPECT_EQ(RunAs("audit.c", {"--json", "case", kCase}).exit_code, 0);
  // The local command line, on the server's own machine: only with --maintenance.
  StopServer(SIGTERM);
  const std::string receipt =
      Cmd("m1", "2024-03-07",
          R"("receipt":{"case_no":")" + kCase +
              R"(","amount":"1","bank_ref":"B3","source":"debtor_payment"})",
          "clerk.a");
  const CliRun local = Apply({receipt});
  EXPECT_EQ(ErrorCode(Results(local)[0]), "NOT_PERMITTED");
  EXPECT_NE(ErrorMessage(Results(local)[0]).find("caseledgerd"), std::string::npos);
  const CliRun maintenance = Apply({receipt}, {"--maintenance"});
  EXPECT_EQ(maintenance.exit_code, 0) << maintenance.out;
}

// Refused commands are recorded (SPEC §9): coalesced per operator, operation and code over the
// window (1 s here), written when it closes or when the server stops, read by report refusals;
// nobody but the server records one.
TEST_F(ServerCliTest, RefusalsAreRecordedCoalescedAndReported) {
  StartServer({"--refusal-window", "1"});
  const std::string unknown = WithoutOperator(
      Cmd("u", "2024-03-06",
          R"("receipt":{"case_no":"(2024)甘0102执99号","amount":"1","bank_ref":"B",)"
          R"("source":"debtor_payment"})"));
  std::vector<std::string> lines;
  for (int i = 0; i < 3; ++i) {
    std::string line = unknown;
    lines.push_back(line.replace(line.find(R"("u")"), 3, R"("u)" + std::to_string(i) + R"(")"));
  }
  lines.push_back("{not json");
  ASSERT_EQ(ApplyAs("clerk.a", lines).exit_code, 1);
  // A client cannot write a refusal entry.
  const CliRun forged =
      ApplyAs("clerk.b", {WithoutOperator(Cmd("f", "2024-03-06",
                                              R"("refusal":{"operator":"clerk.a","op":"receipt",)"
                                              R"("code":"NOT_PERMITTED","count":1,)"
                                              R"("first_at":"2024-03-06T09:00:00+08:00",)"
                                              R"("last_at":"2024-03-06T09:00:00+08:00"})"))});
  EXPECT_EQ(ErrorCode(Results(forged)[0]), "NOT_PERMITTED") << forged.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the window closes
  const CliRun report = RunAs(
      "audit.c", {"--json", "report", "refusals", "--from", "2000-01-01", "--to", "2199-12-31"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json::Value refusals = ParseJson(report.out);
  std::map<std::string, std::string> counts;  // operator op code -> count
  for (const json::Value& row : refusals.Find("refusals")->items) {
    counts[Str(row, "operator") + " " + Str(row, "op") + " " + Str(row, "code")] =
        row.Find("count")->text;
  }
  EXPECT_EQ(counts["clerk.a receipt UNKNOWN_CASE"], "3") << report.out;
  EXPECT_EQ(counts["clerk.a - INVALID_ARGUMENT"], "1") << report.out;
  EXPECT_EQ(counts["clerk.b refusal NOT_PERMITTED"], "1") << report.out;
  EXPECT_EQ(counts.size(), 3u) << report.out;
  // One refused after that, and the server stopped at once: recorded as it stops.
  ApplyAs("clerk.b", {unknown});
  StopServer(SIGTERM);
  const CliRun table =
      Run({"--db", db_, "report", "refusals", "--from", "2000-01-01", "--to", "2199-12-31"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("clerk.b"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("案件不存在"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("无权操作"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("共 6 次拒绝"), std::string::npos) << table.out;
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 0);  // replayed, origin and all
  // Locally, too, nobody writes one.
  const CliRun local = Apply({Cmd("f2", "2024-03-06",
                                  R"("refusal":{"operator":"clerk.a","op":"receipt",)"
                                  R"("code":"NOT_PERMITTED","count":1,)"
                                  R"("first_at":"2024-03-06T09:00:00+08:00",)"
                                  R"("last_at":"2024-03-06T09:00:00+08:00"})")});
  EXPECT_EQ(ErrorCode(Results(local)[0]), "NOT_PERMITTED") << local.out;
}

// bench --server at a small scale: its own CA, server and clients; every command answered and
// none rejected (the timings are printed, never asserted).
TEST_F(ServerCliTest, BenchServerRunsEndToEndWithNothingRejected) {
  const CliRun bench = Run({"--json", "bench", "--server", "--scale", "0.01"});
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  const json::Value figures = ParseJson(bench.out);
  EXPECT_EQ(figures.Find("single_commands")->text, "256");   // 64 clients x 4
  EXPECT_EQ(figures.Find("stream_commands")->text, "1600");  // 8 clients x 200
  EXPECT_EQ(figures.Find("rejected")->text, "0") << bench.err;
  EXPECT_NE(figures.Find("single_p99_us"), nullptr);
}

// reconcile --record through the server (SPEC §4, §9): the bank-only lines are recorded through
// the server's writer as the certificate's operator; --operator naming another is refused with
// nothing recorded; a second run records nothing new.
TEST_F(ServerCliTest, ReconcileRecordThroughTheServerIsTheCertificatesOperators) {
  StartServer();
  const std::vector<std::string> commands = Commands("clerk.a", "clerk.b");
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(ApplyAs("clerk.a", {WithoutOperator(commands[i])}).exit_code, 0);
  }
  // B1 (30,000.00) is the ledger's receipt; NEW-1 names no case's account: unidentified money.
  const fs::path statement = dir_ / "statement.csv";
  WriteFile(statement, cli_test::StatementHeader() +
                           "2024-03-04,in,30000.00,B1,某公司,,,,\n"
                           "2024-03-08,in,12.34,NEW-1,李某,,,,\n");
  const CliRun spoofed = RunAs(
      "fin.f", {"--json", "reconcile", statement.string(), "--record", "--operator", "clerk.b"});
  EXPECT_EQ(spoofed.exit_code, 1) << spoofed.out << spoofed.err;
  EXPECT_NE((spoofed.out + spoofed.err).find("NOT_PERMITTED"), std::string::npos) << spoofed.out;

  const CliRun first = RunAs("fin.f", {"--json", "reconcile", statement.string(), "--record"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;  // NEW-1, bank-only, explained
  Result<json::Value> r = json::Parse(first.out);
  ASSERT_TRUE(r.ok() && r->Find("recorded") != nullptr) << first.out;
  const std::vector<json::Value>& recorded = r->Find("recorded")->items;
  ASSERT_EQ(recorded.size(), 1u) << first.out;
  EXPECT_EQ(Str(recorded[0], "request_id"), "reconcile:NEW-1");
  EXPECT_EQ(Str(recorded[0], "op"), "unidentified_receipt");
  const CliRun exported = RunAs("audit.c", {"export"});
  EXPECT_NE(exported.out.find(R"("request_id":"reconcile:NEW-1","operator":"fin.f")"),
            std::string::npos)
      << exported.out;

  const CliRun second = RunAs("fin.f", {"--json", "reconcile", statement.string(), "--record"});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;  // everything matched now
  Result<json::Value> again = json::Parse(second.out);
  ASSERT_TRUE(again.ok() && again->Find("recorded") != nullptr) << second.out;
  EXPECT_TRUE(again->Find("recorded")->items.empty()) << second.out;
  EXPECT_EQ(RunAs("audit.c", {"verify"}).exit_code, 0);
}

// A client that sends a thousand lines and leaves without reading an answer (and one that
// leaves in the middle of an --atomic unit): the server answers into the void, records nothing
// of the cut unit, and still stops at SIGTERM, nothing left waiting.
TEST_F(ServerCliTest, AClientThatLeavesMidStreamLeavesNothingWaiting) {
  StartServer();
  ASSERT_EQ(ApplyAs("clerk.a", {WithoutOperator(Commands("clerk.a", "clerk.b")[0])}).exit_code, 0);
  const fs::path certs = Certificates();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(certs / "ca.pem");
  ssl.pem_cert_chain = ReadFile(certs / "clerk.a.pem");
  ssl.pem_private_key = ReadFile(certs / "clerk.a.key");
  auto stub = rpc::CaseLedger::NewStub(grpc::CreateChannel(address_, grpc::SslCredentials(ssl)));
  for (const bool atomic : {false, true}) {
    grpc::ClientContext context;
    auto stream = stub->Apply(&context);
    rpc::ApplyRequest request;
    request.set_atomic(atomic);
    for (int i = 0; i < 1000; ++i) {
      request.add_lines(WithoutOperator(
          Cmd((atomic ? "cut-" : "gone-") + std::to_string(i), "2024-03-04",
              R"("receipt":{"case_no":")" + kCase + R"(","amount":"1","bank_ref":")" +
                  (atomic ? "C" : "G") + std::to_string(i) + R"(","source":"debtor_payment"})",
              "clerk.a")));
    }
    ASSERT_TRUE(stream->Write(request));
    rpc::ApplyReply first;
    if (!atomic) {
      ASSERT_TRUE(stream->Read(&first));  // the server has the lines
    }
    context.TryCancel();  // gone: no WritesDone, no more reads
  }
  stub.reset();  // the client's process is gone too
  const int status = StopServer(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const CliRun exported = Run({"--db", db_, "export"});
  EXPECT_EQ(exported.out.find("cut-"), std::string::npos);  // the cut unit: nothing of it
  size_t answered_into_the_void = 0;
  for (size_t at = exported.out.find("\"gone-"); at != std::string::npos;
       at = exported.out.find("\"gone-", at + 1)) {
    ++answered_into_the_void;
  }
  EXPECT_EQ(answered_into_the_void, 1000u);  // every line read was decided and written
  EXPECT_EQ(Run({"--db", db_, "verify"}).exit_code, 0);
}

}  // namespace
}  // namespace caseledger::cli_test
