#include "app/reports/report_output.hpp"

#include "adapters/files/write_all.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace runner {
namespace {

// The process's umask, read without changing it (umask(2) would, for a moment, for
// every thread).
mode_t current_umask() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  unsigned mask = 022;
  if (f) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
    std::fclose(f);
  }
  return static_cast<mode_t>(mask);
}

}  // namespace

std::string write_report_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return "";
  }
  // A target that is not a regular file (/dev/stdout, a FIFO) cannot be replaced by a
  // rename: it is written as it is.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return append_report_file(path, text);
  const std::filesystem::path target(path);
  const std::string dir = target.parent_path().empty() ? "." : target.parent_path().string();
  // A temporary of our own (mkstemp: a unique name, created exclusively, no symlink
  // followed), synced, then renamed over the target, then the folder synced: the file
  // is the old one or the whole new one, even across a crash.
  std::string tmp = (std::filesystem::path(dir) / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return "cannot create a temporary file in " + dir + " for " + path + ": " + std::strerror(errno);
  // mkstemp makes it 0600; the file gets the mode a plain create would (the runner's
  // umask), or keeps the mode of the file it replaces.
  ::fchmod(fd, ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask()));
  std::string why;
  if (!write_all(fd, text)) why = "cannot write " + tmp + ": " + std::strerror(errno);
  if (why.empty() && ::fsync(fd) != 0) why = "cannot sync " + tmp + ": " + std::strerror(errno);
  if (::close(fd) != 0 && why.empty()) why = "cannot write " + tmp + ": " + std::strerror(errno);
  if (why.empty() && ::rename(tmp.c_str(), path.c_str()) != 0)
    why = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
  if (!why.empty()) {
    ::unlink(tmp.c_str());
    return why;
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return "";
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
