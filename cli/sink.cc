#include "cli/sink.h"

#include <cstdio>
#include <iostream>
#include <streambuf>

namespace caseledger::cli {
namespace {

thread_local Sink* current = nullptr;

// A streambuf that hands every byte to WriteOut or WriteErr, in pieces of its buffer.
class SinkBuffer : public std::streambuf {
 public:
  explicit SinkBuffer(bool error) : error_(error) { setp(buffer_, buffer_ + sizeof buffer_); }
  ~SinkBuffer() override { sync(); }

 protected:
  int_type overflow(int_type c) override {
    Send();
    if (c != traits_type::eof()) {
      *pptr() = static_cast<char>(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    Send();
    return 0;
  }

 private:
  void Send() {
    const std::string_view bytes(pbase(), static_cast<size_t>(pptr() - pbase()));
    if (!bytes.empty()) error_ ? WriteErr(bytes) : WriteOut(bytes);
    setp(buffer_, buffer_ + sizeof buffer_);
  }
  bool error_;
  char buffer_[1 << 14];
};

}  // namespace

ScopedSink::ScopedSink(Sink* sink) : previous_(current) { current = sink; }
ScopedSink::~ScopedSink() {
  OutStream().flush();
  ErrStream().flush();
  current = previous_;
}

void WriteOut(std::string_view bytes) {
  if (current != nullptr) {
    current->Out(bytes);
  } else {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  }
}

void WriteErr(std::string_view bytes) {
  if (current != nullptr) {
    current->Err(bytes);
  } else {
    std::fwrite(bytes.data(), 1, bytes.size(), stderr);
  }
}

bool FlushOut() {
  OutStream().flush();
  if (current != nullptr) return current->Good();
  return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

bool OutIsStdout() { return current == nullptr; }

std::ostream& OutStream() {
  thread_local SinkBuffer buffer(/*error=*/false);
  thread_local std::ostream stream(&buffer);
  return stream;
}

std::ostream& ErrStream() {
  thread_local SinkBuffer buffer(/*error=*/true);
  thread_local std::ostream stream(&buffer);
  return stream;
}

}  // namespace caseledger::cli
