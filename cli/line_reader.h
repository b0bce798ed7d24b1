// Reading JSON Lines for `apply`, locally or towards caseledgerd: a line at a time, never more
// than one line (up to the limit) plus a chunk in memory.
#ifndef CASELEDGER_CLI_LINE_READER_H_
#define CASELEDGER_CLI_LINE_READER_H_

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/limits.h"
#include "core/status.h"

namespace caseledger::cli {

// Reads lines without ever holding more than one line (up to the limit) plus a chunk.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // The next line without its '\n'; false at the end. An over-long line comes back empty
  // with *oversized set, its bytes dropped as they are read.
  bool Next(std::string* line, bool* oversized, Status* error) {
    *oversized = false;
    ++line_number_;
    size_t scanned = pos_;
    while (true) {
      const size_t newline = buffer_.find('\n', scanned);
      if (newline != std::string::npos) {
        if (!*oversized) line->assign(buffer_, pos_, newline - pos_);
        if (newline - pos_ > kLineBytesMax + 1) *oversized = true;
        pos_ = newline + 1;
        if (*oversized) line->clear();
        Compact();
        return true;
      }
      if (buffer_.size() - pos_ > kLineBytesMax + 1) {  // +1: a trailing '\r' is allowed
        *oversized = true;
        buffer_.clear();
        pos_ = 0;
      }
      scanned = buffer_.size();
      if (eof_) {
        if (pos_ >= buffer_.size() && !*oversized) return false;
        line->assign(buffer_, pos_, std::string::npos);
        if (*oversized) line->clear();
        buffer_.clear();
        pos_ = 0;
        return true;
      }
      if (!Fill(error)) return false;
    }
  }

  // The number of the line Next returned last, counting from 1 (blank lines included): results
  // skip blank lines, so a message must say which line of the input it is about.
  size_t line_number() const { return line_number_; }

  // A complete line is buffered, or input can be read without waiting.
  bool MoreReady() {
    if (buffer_.find('\n', pos_) != std::string::npos) return true;
    if (eof_) return pos_ < buffer_.size();
    pollfd poll_fd{fd_, POLLIN, 0};
    return poll(&poll_fd, 1, 0) > 0;
  }

 private:
  bool Fill(Status* error) {
    char chunk[1 << 16];
    while (true) {
      const ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) {
        eof_ = true;
        return true;
      }
      if (errno == EINTR) continue;
      *error = Status::IoError(std::string("reading input: ") + std::strerror(errno));
      return false;
    }
  }
  void Compact() {
    if (pos_ > (1 << 20)) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
  }

  int fd_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t line_number_ = 0;
  bool eof_ = false;
};

}  // namespace caseledger::cli

#endif  // CASELEDGER_CLI_LINE_READER_H_
