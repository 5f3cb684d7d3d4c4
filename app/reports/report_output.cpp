#include "app/reports/report_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace runner {
namespace {

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string write_report_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return "";
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp + ": " + std::strerror(errno);
  std::string why;
  if (!write_all(fd, text)) why = "cannot write " + tmp + ": " + std::strerror(errno);
  if (::close(fd) != 0 && why.empty()) why = "cannot write " + tmp + ": " + std::strerror(errno);
  if (why.empty() && ::rename(tmp.c_str(), path.c_str()) != 0)
    why = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
  if (!why.empty()) ::unlink(tmp.c_str());
  return why;
}

std::string append_report_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
  std::string why;
  if (!write_all(fd, text)) why = "cannot write " + path + ": " + std::strerror(errno);
  if (::close(fd) != 0 && why.empty()) why = "cannot write " + path + ": " + std::strerror(errno);
  return why;
}

}  // namespace runner
