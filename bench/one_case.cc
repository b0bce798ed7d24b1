#include "bench/one_case.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/json.h"

namespace caseledger {
namespace {

constexpr const char* kOn = "2021-01-04";

// Serials from 900001 up, so that they are read as this phase's at a glance.
std::string CaseNumber(int64_t index) { return fmt::format("(2021)甘0102执{}号", 900001 + index); }

}  // namespace

int64_t OneCaseReceiptsAt(int64_t scale_millionths) {
  if (scale_millionths >= kOneCaseFullFromScaleMillionths) return kOneCaseReceipts;
  return std::max(kOneCaseSpreadCases,
                  kOneCaseReceipts * scale_millionths / kOneCaseFullFromScaleMillionths);
}

std::string OneCaseOpenLine(int64_t index) {
  json::Writer w;
  w.BeginObject().Key("request_id").String(fmt::format("onecase-open-{}", index));
  w.Key("operator").String("filing.0102").Key("on").String(kOn).Key("open_case").BeginObject();
  w.Key("case_no").String(CaseNumber(index)).Key("claim").String("1000000.00");
  w.Key("creditors").BeginArray().BeginObject().Key("party_id").String("onecase-creditor");
  w.Key("name").String("张明").Key("account").String("6228480010000000001").EndObject();
  w.EndArray().Key("debtors").BeginArray().BeginObject().Key("party_id").String("onecase-debtor");
  w.Key("name").String("兰州某建设工程有限公司").Key("kind").String("enterprise").EndObject();
  w.EndArray().Key("judge").String("马建国");
  return w.EndObject().EndObject().str();
}

std::string OneCaseReceiptLine(int64_t receipt, int64_t case_index) {
  json::Writer w;
  w.BeginObject().Key("request_id").String(fmt::format("onecase-rcpt-{}", receipt));
  w.Key("operator").String("finance.0102").Key("on").String(kOn).Key("receipt").BeginObject();
  w.Key("case_no").String(CaseNumber(case_index)).Key("amount").String("10.00");
  w.Key("bank_ref").String(fmt::format("B210104-0102-OC{:06d}", receipt));
  w.Key("source").String("debtor_payment").Key("payer").String("兰州某建设工程有限公司");
  return w.EndObject().EndObject().str();
}

}  // namespace caseledger
