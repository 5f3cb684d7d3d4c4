#include "adapters/files/read_tail.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/text/utf8.hpp"

namespace runner {

std::optional<FileTail> read_tail(const std::string& path, std::size_t max_bytes) {
  // Non-blocking: opening a FIFO would otherwise wait for a writer for ever. Only a
  // regular file is read; a device or FIFO is refused before any read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  FileTail out;
  out.file_bytes = static_cast<std::size_t>(st.st_size);
  const std::size_t want = std::min(out.file_bytes, max_bytes);
  out.cut = want < out.file_bytes;
  std::string buf(want, '\0');
  std::size_t got = 0;
  const off_t start = static_cast<off_t>(out.file_bytes - want);
  while (got < want) {
    const ssize_t n = ::pread(fd, buf.data() + got, want - got, start + static_cast<off_t>(got));
    if (n <= 0) break;  // the file shrank or failed: keep what was read
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  buf.resize(got);
  std::size_t from = 0;
  if (out.cut) {
    // Whole lines when there is a line break; else skip continuation bytes (10xxxxxx)
    // so the text starts at a character.
    if (auto nl = buf.find('\n'); nl != std::string::npos && nl + 1 < buf.size()) {
      from = nl + 1;
    } else {
      while (from < buf.size() && (static_cast<unsigned char>(buf[from]) & 0xC0) == 0x80) ++from;
    }
  }
  out.text = utf8_clean(std::string_view(buf).substr(from));
  return out;
}

}  // namespace runner
