// caseledgerd's one writer: the commands of every client's stream are decided into shared
// groups, each written and synced as `apply` writes its groups (Ledger::Seal / Land, one group
// in flight), and each command is answered only once its group is durable. The answers are
// given on a thread of their own (sending them is the transport's work), so that the writer
// goes on deciding.
#ifndef CASELEDGER_SERVER_WRITER_H_
#define CASELEDGER_SERVER_WRITER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ledger/ledger.h"

namespace caseledger::server {

// One command, its operator already the client's (server/service.cc), and who to tell.
struct Job {
  ParsedCommand parsed;
  // Called on the answering thread once the result is final: durable, or refused; the
  // commands of a group in their order.
  std::function<void(const CommandResult&)> done;
  // A client's command, or the server's own record (refusal entries).
  Origin origin{Origin::Kind::kAuthenticated};
};

// The commands of an --atomic stream: one group of their own, all or none.
struct AtomicJob {
  std::vector<ParsedCommand> commands;
  // The results in order, and the exit code `apply --atomic` gives.
  std::function<void(std::vector<CommandResult>, int exit_code)> done;
};

// A replicated ledger's side of writing (server/replica.h): whether this replica may take
// clients' commands, and the shared log each decided group must be in before it is written here.
class Replication {
 public:
  virtual ~Replication() = default;
  // Ok while this replica leads; else the status to answer clients' commands with (NOT_LEADER).
  virtual Status MayWrite() = 0;
  // With a decided group's entries before they are written locally (on the ledger's writing
  // thread, Ledger::BeforeWrite, while the writer decides the next group): ok only once they are
  // in the shared log; else nothing of the group is written or acknowledged.
  virtual Status Append(const std::vector<LogRecord>& group) = 0;
};

class Writer {
 public:
  // `queue_max`: commands waiting to be decided; beyond it Submit refuses.
  Writer(Ledger* ledger, size_t queue_max);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Set before the first command, for a replicated ledger; not owned.
  void SetReplication(Replication* replication);
  // Runs `task` on the writer's thread with the ledger to itself, after landing and answering
  // what was decided, and returns its status (a replica applying the shared log, reading its
  // head). IO_ERROR if the writer has stopped.
  Status RunExclusive(std::function<Status(Ledger*)> task);
  // Queues a command; false, nothing queued, when the queue is full or the writer has stopped.
  bool Submit(Job job);
  bool SubmitAtomic(AtomicJob job);
  // Decides and lands what is queued, answers it, and stops; later submissions are refused.
  void Stop();

 private:
  struct Item {
    std::vector<Job> jobs;  // one, or none for an atomic job
    std::unique_ptr<AtomicJob> atomic;
    std::function<void(Ledger*)> exclusive;  // RunExclusive's
  };
  void Loop();
  // Stages the job into the group being built.
  void StageJob(Job job);
  // Lands the group in flight and answers it; on failure the staged group goes with it.
  bool Land();
  // Hands a decided group to the answering thread (`failure`: it was not written).
  void Answer(std::vector<std::pair<Job, CommandResult>>* group, const Status& failure);
  void AnswerLoop();
  // Lands the group in flight, then seals the staged one.
  void Seal();
  void RunAtomic(AtomicJob* job);

  Ledger* ledger_;
  Replication* replication_ = nullptr;
  const size_t queue_max_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Item> queue_;
  size_t queued_commands_ = 0;
  bool stopping_ = false;
  bool landed_ = false;  // the group in flight's write has ended (Ledger::OnLanded)
  // The writer thread's own: the group being staged and the one in flight, with their jobs.
  std::vector<std::pair<Job, CommandResult>> staged_;
  std::vector<std::pair<Job, CommandResult>> sealed_;
  // Groups decided and final, waiting to be answered.
  std::mutex answer_mutex_;
  std::condition_variable answer_ready_;
  std::deque<std::vector<std::pair<Job, CommandResult>>> answers_;
  bool answers_end_ = false;
  std::thread answerer_;
  std::thread thread_;
};

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_WRITER_H_
