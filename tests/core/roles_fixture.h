// The fixture of the roles and approvals tests (SPEC §9): a court's staff with roles, commands
// through the server.
#ifndef CASELEDGER_TESTS_CORE_ROLES_FIXTURE_H_
#define CASELEDGER_TESTS_CORE_ROLES_FIXTURE_H_

#include <string>
#include <string_view>

#include "tests/core/engine_fixture.h"

namespace caseledger::engine_fixture {

inline constexpr std::string_view kAdminA = "admin.a";
inline constexpr std::string_view kAdminB = "admin.b";
inline constexpr std::string_view kFinance = "finance.zhao";
inline constexpr std::string_view kAuditor = "audit.qian";
inline constexpr std::string_view kManager = "manager.sun";
inline constexpr std::string_view kBureauHead = "head.zhou";
inline constexpr std::string_view kLeader = "leader.wu";

inline constexpr Origin kAuthenticated{Origin::Kind::kAuthenticated};
inline constexpr Origin kMaintenance{Origin::Kind::kMaintenance};

class RolesTest : public EngineTest {
 protected:
  static std::string Assign(std::string_view name, std::string_view roles) {
    return std::string(R"({"operator": ")") + std::string(name) + R"(", "roles": [)" +
           std::string(roles) + "]}";
  }
  // The court's staff: two administrators, a clerk, finance, an auditor and the approvers.
  static std::string Staff() {
    return R"({"assignments": [)" + Assign(kAdminA, R"("administrator")") + ", " +
           Assign(kAdminB, R"("administrator")") + ", " + Assign(kClerk, R"("clerk")") + ", " +
           Assign(kFinance, R"("finance")") + ", " + Assign(kAuditor, R"("auditor")") + ", " +
           Assign(kManager, R"("manager")") + ", " + Assign(kBureauHead, R"("bureau_head")") +
           ", " + Assign(kLeader, R"("court_leader")") + "]}";
  }
  std::string ApproveRequest(std::string_view on, std::string_view target,
                             std::string_view operator_name) {
    return Cmd(on, "approve",
               std::string(R"({"target_request_id": ")") + std::string(target) + R"("})",
               operator_name);
  }
  // set_roles by admin.a approved by admin.b, then every command comes through the server.
  void SetStaff(std::string_view on = "2024-03-01") {
    const Decision requested = Accept(CmdId("roles-1", on, "set_roles", Staff(), kAdminA));
    ASSERT_TRUE(requested.outcome.has_pending_approval());
    Accept(ApproveRequest(on, "roles-1", kAdminB));
    origin_ = kAuthenticated;
  }
  std::string RejectMessage(std::string_view line) {
    const std::string code = Reject(line);
    return code + ": " + last_error_.message();
  }
};

}  // namespace caseledger::engine_fixture

#endif  // CASELEDGER_TESTS_CORE_ROLES_FIXTURE_H_
