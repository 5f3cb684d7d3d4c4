#pragma once
// The end of a text file (a run log) for a report: never more than asked, never
// starting inside a UTF-8 character.
#include <cstddef>
#include <optional>
#include <string>

namespace runner {

struct FileTail {
  std::string text;         // valid UTF-8, starting at a line when the file was cut
  std::size_t file_bytes = 0;
  bool cut = false;         // the file is longer than what `text` holds
};

// The last `max_bytes` of the file at `path`, cut forward to the start of a line
// (or, in a line longer than that, of a character); nullopt when it cannot be read or
// is not a regular file (a FIFO or a device is never opened for reading).
std::optional<FileTail> read_tail(const std::string& path, std::size_t max_bytes);

}  // namespace runner
