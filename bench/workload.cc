#include "bench/workload.h"

#include <fmt/core.h>

#include <array>
#include <optional>
#include <queue>
#include <vector>

#include "bench/caseload.h"
#include "bench/commands.h"
#include "bench/plans.h"
#include "bench/year.h"
#include "core/identifiers.h"

namespace caseledger {

Result<int64_t> ParseScale(std::string_view text, std::string_view path) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument(std::string(path) + ": " + QuoteForMessage(text) + " " + why);
  };
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view decimals =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (whole.empty() || whole.size() > 3) return bad("is not a scale like 0.01, 1 or 10");
  if (point != std::string_view::npos && (decimals.empty() || decimals.size() > 6)) {
    return bad("is not a scale: give one to six decimals after the point");
  }
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return bad("is not a scale like 0.01, 1 or 10");
    value = value * 10 + (c - '0');
  }
  int64_t fraction = 0, unit = kScaleOne;
  for (char c : decimals) {
    if (c < '0' || c > '9') return bad("is not a scale like 0.01, 1 or 10");
    unit /= 10;
    fraction += (c - '0') * unit;
  }
  const int64_t millionths = value * kScaleOne + fraction;
  if (millionths <= 0) return bad("must be more than zero");
  if (millionths > kScaleMax) return bad("must be at most 100");
  return millionths;
}

std::string FormatScale(int64_t scale_millionths) {
  std::string text =
      fmt::format("{}.{:06d}", scale_millionths / kScaleOne, scale_millionths % kScaleOne);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

using bench::CasePlan;
using bench::DateOf;
using bench::EventShape;
using bench::Kind;
using bench::kLastDay;
using bench::kValueLagMax;
using bench::Step;

namespace {

// An entry of the agenda: the next step of a case.
struct Pending {
  int day;
  int64_t index;
  int step;
  bool operator>(const Pending& o) const {
    if (day != o.day) return day > o.day;
    if (index != o.index) return index > o.index;
    return step > o.step;
  }
};

}  // namespace

class Workload::Impl {
 public:
  explicit Impl(const WorkloadOptions& options) : caseload_(options), commands_(caseload_) {}

  bool Next(std::string* line);
  void SetSink(std::function<void(const StatementRow&)> sink) {
    commands_.SetStatementSink(std::move(sink));
  }
  const bench::Caseload& caseload() const { return caseload_; }
  int64_t CountLines() const;
  const WorkloadTally& tally() const { return commands_.tally(); }

 private:
  enum class Phase { kStartOfDay, kSteps, kEndOfDay, kDone };

  bool Advance();
  void StartOfDay();
  void EndOfDay();
  const CasePlan& PlanOf(int64_t index);

  bench::Caseload caseload_;
  bench::CommandWriter commands_;
  Phase phase_ = Phase::kStartOfDay;
  int day_ = 0;
  int64_t next_case_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> agenda_;
  std::array<std::optional<CasePlan>, 1024> cache_;  // plans by index % 1024
};

const CasePlan& Workload::Impl::PlanOf(int64_t index) {
  std::optional<CasePlan>& slot = cache_[static_cast<size_t>(index) % cache_.size()];
  if (!slot || slot->index != index) slot = caseload_.Build(index);
  return *slot;
}

int64_t Workload::Impl::CountLines() const {
  int64_t lines = 1;  // set_rules
  std::array<bool, 12> fees_in_month{};
  for (int64_t index = 0; index < caseload_.cases(); ++index) {
    const CasePlan p = caseload_.Build(index);
    for (const Step& step : p.steps) {
      if (step.day > kLastDay) break;
      if (step.kind != Kind::kEventItem) ++lines;
      if (step.kind == Kind::kChargeFee) fees_in_month[DateOf(step.day).month() - 1] = true;
    }
  }
  for (const EventShape* event : {&caseload_.spring(), &caseload_.province()}) {
    lines += static_cast<int64_t>(caseload_.EventBatches(*event).size());
  }
  for (bool month : fees_in_month) lines += month ? 1 : 0;
  return lines;
}

// ---- Generating, day by day: the day's opening lines, then every case's steps of the day in
// case order, then the month's fee remittance on its last working day.

bool Workload::Impl::Next(std::string* line) {
  while (!commands_.TakeLine(line)) {
    if (!Advance()) return false;
  }
  return true;
}

bool Workload::Impl::Advance() {
  switch (phase_) {
    case Phase::kStartOfDay:
      if (day_ > kLastDay) {
        commands_.FlushRows(kLastDay);
        phase_ = Phase::kDone;
        return false;
      }
      StartOfDay();
      phase_ = Phase::kSteps;
      return true;
    case Phase::kSteps: {
      if (agenda_.empty() || agenda_.top().day != day_) {
        phase_ = Phase::kEndOfDay;
        return true;
      }
      const Pending next = agenda_.top();
      agenda_.pop();
      const CasePlan& p = PlanOf(next.index);
      commands_.Emit(p, p.steps[next.step]);
      const size_t following = static_cast<size_t>(next.step) + 1;
      if (following < p.steps.size() && p.steps[following].day <= kLastDay) {
        agenda_.push({p.steps[following].day, next.index, next.step + 1});
      }
      return true;
    }
    case Phase::kEndOfDay:
      EndOfDay();
      ++day_;
      phase_ = Phase::kStartOfDay;
      return true;
    case Phase::kDone:
      return false;
  }
  return false;
}

void Workload::Impl::StartOfDay() {
  commands_.FlushRows(day_ - kValueLagMax - 1);  // no row dated before this can still come
  if (day_ == caseload_.calendar().working_days().front()) commands_.EmitRules(day_);
  while (next_case_ < caseload_.cases() && caseload_.FiledDay(next_case_) == day_) {
    agenda_.push({day_, next_case_, 0});
    ++next_case_;
  }
  for (const EventShape* event : {&caseload_.spring(), &caseload_.province()}) {
    if (day_ == event->day) commands_.EmitEvent(*event);
  }
}

void Workload::Impl::EndOfDay() {
  // The month's fees go to the treasury on its last working day (收支两条线, RULES §1).
  if (caseload_.calendar().IsLastWorkingOfMonth(day_)) commands_.RemitFees(day_);
}

// ---- Workload.

Workload::Workload(const WorkloadOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Workload::~Workload() = default;
bool Workload::Next(std::string* line) { return impl_->Next(line); }
void Workload::SetStatementSink(std::function<void(const StatementRow&)> sink) {
  impl_->SetSink(std::move(sink));
}
int64_t Workload::cases() const { return impl_->caseload().cases(); }
int64_t Workload::small_cases() const { return impl_->caseload().small_cases(); }
int64_t Workload::CountLines() const { return impl_->CountLines(); }
std::string Workload::CaseNumberOf(int64_t index) const {
  return impl_->caseload().CaseNumberOf(index);
}
Date Workload::FiledOnOf(int64_t index) const { return DateOf(impl_->caseload().FiledDay(index)); }
Date Workload::FirstDay() { return DateOf(0); }
Date Workload::LastDay() { return DateOf(kLastDay); }
const WorkloadTally& Workload::tally() const { return impl_->tally(); }

}  // namespace caseledger
