// Where a command's output goes: the process's stdout and stderr, or, for a reading command that
// caseledgerd runs for a client, that client's stream. The choice is per thread, so that the
// server runs many commands at once; every byte a command prints goes through here.
#ifndef CASELEDGER_CLI_SINK_H_
#define CASELEDGER_CLI_SINK_H_

#include <ostream>
#include <string_view>

namespace caseledger::cli {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Out(std::string_view bytes) = 0;
  virtual void Err(std::string_view bytes) = 0;
  // False once the reader is gone (a client that hung up): long output may stop early.
  virtual bool Good() const { return true; }
};

// Sets the calling thread's sink for its lifetime (nullptr: stdout and stderr), and restores
// the one before.
class ScopedSink {
 public:
  explicit ScopedSink(Sink* sink);
  ~ScopedSink();
  ScopedSink(const ScopedSink&) = delete;
  ScopedSink& operator=(const ScopedSink&) = delete;

 private:
  Sink* previous_;
};

// The calling thread's standard output and error.
void WriteOut(std::string_view bytes);
void WriteErr(std::string_view bytes);
// Flushes stdout when no sink is set (a sink sends as it goes); false if stdout failed.
bool FlushOut();
// True when output goes to the process's stdout (not a client's stream).
bool OutIsStdout();
// A std::ostream over WriteOut / WriteErr, for code that streams.
std::ostream& OutStream();
std::ostream& ErrStream();

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_SINK_H_
