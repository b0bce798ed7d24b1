#include "server/writer.h"

#include <future>

#include "core/limits.h"

namespace caseledger::server {
namespace {

// The exit codes of `apply` (SPEC §1), as cli/output.h has them.
constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;

// Every command through the server is an authenticated client's (its operator the certificate's).
const Origin kFromClient{Origin::Kind::kAuthenticated};

}  // namespace

Writer::Writer(Ledger* ledger, size_t queue_max)
    : ledger_(ledger), queue_max_(queue_max), answerer_([this] { AnswerLoop(); }) {
  ledger_->OnLanded([this] {
    std::lock_guard<std::mutex> lock(mutex_);
    landed_ = true;
    ready_.notify_one();
  });
  thread_ = std::thread([this] { Loop(); });
}

void Writer::Answer(std::vector<std::pair<Job, CommandResult>>* group, const Status& failure) {
  if (group->empty()) return;
  if (!failure.ok()) {
    for (auto& [job, result] : *group) result.status = failure;  // decided, but not written
  }
  std::lock_guard<std::mutex> lock(answer_mutex_);
  answers_.push_back(std::move(*group));
  group->clear();
  answer_ready_.notify_one();
}

void Writer::AnswerLoop() {
  std::unique_lock<std::mutex> lock(answer_mutex_);
  while (true) {
    answer_ready_.wait(lock, [this] { return answers_end_ || !answers_.empty(); });
    if (answers_.empty()) return;
    std::deque<std::vector<std::pair<Job, CommandResult>>> groups;
    groups.swap(answers_);
    lock.unlock();
    for (auto& group : groups) {
      for (auto& [job, result] : group) job.done(result);
    }
    lock.lock();
  }
}

Writer::~Writer() { Stop(); }

bool Writer::Submit(Job job) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_ || queued_commands_ >= queue_max_) return false;
  Item item;
  item.jobs.push_back(std::move(job));
  queue_.push_back(std::move(item));
  ++queued_commands_;
  ready_.notify_one();
  return true;
}

Status Writer::RunExclusive(std::function<Status(Ledger*)> task) {
  std::promise<Status> done;
  std::future<Status> status = done.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return Status::IoError("the writer has stopped");
    Item item;
    item.exclusive = [&task, &done](Ledger* ledger) { done.set_value(task(ledger)); };
    queue_.push_back(std::move(item));
    ++queued_commands_;  // the loop counts it as one
    ready_.notify_one();
  }
  return status.get();
}

bool Writer::SubmitAtomic(AtomicJob job) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_ || queued_commands_ + job.commands.size() > queue_max_) return false;
  Item item;
  queued_commands_ += job.commands.size();
  item.atomic = std::make_unique<AtomicJob>(std::move(job));
  queue_.push_back(std::move(item));
  ready_.notify_one();
  return true;
}

void Writer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    ready_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(answer_mutex_);
    answers_end_ = true;
    answer_ready_.notify_one();
  }
  if (answerer_.joinable()) answerer_.join();  // every answer given
}

void Writer::StageJob(Job job) {
  if (replication_ != nullptr) {
    if (Status status = replication_->MayWrite(); !status.ok()) {
      CommandResult refused;
      refused.request_id = job.parsed.request_id;
      refused.status = std::move(status);
      staged_.emplace_back(std::move(job), std::move(refused));
      return;
    }
  }
  CommandResult result = ledger_->Stage(job.parsed, job.origin);
  staged_.emplace_back(std::move(job), std::move(result));
}

bool Writer::Land() {
  const Status status = ledger_->Land();
  Answer(&sealed_, status);
  if (!status.ok()) Answer(&staged_, status);
  return status.ok();
}

void Writer::SetReplication(Replication* replication) {
  replication_ = replication;
  ledger_->BeforeWrite(
      [replication](const std::vector<LogRecord>& group) { return replication->Append(group); });
}

void Writer::Seal() {
  if (!Land()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    landed_ = false;  // the group sealed now is in flight
  }
  const Status status = ledger_->Seal();
  if (!status.ok()) {
    Answer(&staged_, status);
    return;
  }
  if (ledger_->Landed()) {  // nothing was sealed (every command refused), or written already
    std::lock_guard<std::mutex> lock(mutex_);
    landed_ = true;
  }
  sealed_.swap(staged_);
}

void Writer::RunAtomic(AtomicJob* job) {
  Seal();
  Land();  // the atomic group is a group of its own
  std::vector<CommandResult> results;
  bool rejected = false;
  for (const ParsedCommand& parsed : job->commands) {
    results.push_back(ledger_->Stage(parsed, kFromClient));
    rejected = rejected || !results.back().status.ok();
  }
  Status status;
  if (!rejected && replication_ != nullptr) status = replication_->MayWrite();
  if (rejected) {
    ledger_->Abandon();
    status = Status(Code::kNotCommitted, "another line of this --atomic unit was rejected");
  } else if (!status.ok()) {
    ledger_->Abandon();
  } else {
    status = ledger_->Commit();  // appended to the shared log first (Ledger::BeforeWrite)
  }
  for (auto& result : results) {
    if (result.status.ok() && !status.ok()) result.status = status;
  }
  job->done(std::move(results), rejected || !status.ok() ? kExitRejected : kExitOk);
}

// Takes what is queued, up to a group, decides it on top of the group in flight and seals it
// (which lands and answers the one before). With nothing queued, a group in flight is answered
// as soon as its write ends (Ledger::OnLanded wakes the writer); commands arriving meanwhile are
// decided on top of it, so that the sync of one group overlaps the deciding of the next.
void Writer::Loop() {
  while (true) {
    std::vector<Item> items;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (queue_.empty() && !sealed_.empty()) {
        ready_.wait(lock, [this] { return stopping_ || landed_ || !queue_.empty(); });
        if (queue_.empty()) {
          lock.unlock();
          Land();
          continue;
        }
      }
      if (queue_.empty()) ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) break;
      size_t commands = 0;
      while (!queue_.empty() && commands < kGroupCommandsMax) {
        commands += queue_.front().atomic ? queue_.front().atomic->commands.size() : 1;
        items.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (items.back().atomic || items.back().exclusive) break;
      }
      queued_commands_ -= commands;
    }
    for (Item& item : items) {
      if (item.exclusive) {
        Seal();
        Land();
        item.exclusive(ledger_);
      } else if (item.atomic) {
        RunAtomic(item.atomic.get());
      } else {
        for (Job& job : item.jobs) StageJob(std::move(job));
      }
    }
    if (!staged_.empty()) Seal();
  }
  Land();
}

}  // namespace caseledger::server
