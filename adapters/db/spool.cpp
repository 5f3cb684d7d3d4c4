#include "adapters/db/spool.hpp"

#include "adapters/files/write_all.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <spdlog/spdlog.h>

#include "adapters/env/state_dir.hpp"
#include "adapters/log/redactor.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

void fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::vector<fs::path> spool_files(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Opens `file` and holds an exclusive flock on the inode its path names (re-opening
// when another process renamed or removed the file between our open and our lock):
// two runners never replay, compact or append to the same file at once. -1 when the
// file is gone or cannot be opened.
int open_locked(const fs::path& file, int flags, mode_t mode = 0600) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(file.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    ::flock(fd, LOCK_EX);
    struct stat by_fd {}, by_path {};
    if (::fstat(fd, &by_fd) == 0 && ::stat(file.c_str(), &by_path) == 0 && by_fd.st_ino == by_path.st_ino &&
        by_fd.st_dev == by_path.st_dev)
      return fd;
    ::close(fd);
  }
  return -1;
}

struct FileLock {
  int fd;
  explicit FileLock(const fs::path& p) : fd(open_locked(p, O_RDWR)) {}
  ~FileLock() {
    if (fd >= 0) ::close(fd);
  }
};

// Replaces `file` with `lines` through a temporary file: written, fsync'd, renamed,
// the folder fsync'd. Any step failing removes the temporary and leaves `file`
// untouched. Returns "" or what failed.
std::string rewrite(const fs::path& file, const std::vector<std::string>& lines) {
  const fs::path tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create " + tmp.string() + ": " + std::strerror(errno);
  std::string data;
  for (const auto& l : lines) data += l + "\n";
  std::string why;
  if (!write_all(fd, data))
    why = "cannot write " + tmp.string() + ": " + std::strerror(errno);
  else if (::fsync(fd) != 0)
    why = "cannot sync " + tmp.string() + ": " + std::strerror(errno);
  ::close(fd);
  if (why.empty() && ::rename(tmp.c_str(), file.c_str()) != 0)
    why = "cannot rename " + tmp.string() + ": " + std::strerror(errno);
  if (!why.empty()) {
    ::unlink(tmp.c_str());
    return why;
  }
  fsync_dir(file.parent_path());
  return "";
}

}  // namespace

Spool::Spool(std::string dir) : dir_(std::move(dir)) {}

std::string Spool::default_dir() { return (fs::path(runner_state_dir()) / "spool").string(); }

void Spool::reject(const std::string& stream, const std::string& line) { write_line(stream + ".rejected", line); }

void Spool::append(const std::string& stream, const std::string& line) { write_line(stream + ".jsonl", line); }

void Spool::write_line(const std::string& name, const std::string& line) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("spool: cannot create the folder " + dir_ + ": " + ec.message());
  const fs::path file = fs::path(dir_) / name;
  const bool existed = fs::exists(file, ec);
  const int fd = open_locked(file, O_RDWR | O_CREAT | O_APPEND);
  if (fd < 0) throw std::runtime_error("spool: cannot open " + file.string() + ": " + std::strerror(errno));
  struct stat by_fd {};
  ::fstat(fd, &by_fd);
  // A line torn by a crash (no newline at the end) would swallow this one: close it
  // off first, so only the torn line is lost (and counted when replayed).
  char last = '\n';
  if (by_fd.st_size > 0 && ::pread(fd, &last, 1, by_fd.st_size - 1) == 1 && last != '\n') {
    if (!write_all(fd, "\n")) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error("spool: cannot write " + file.string() + ": " + std::strerror(err));
    }
    by_fd.st_size += 1;
  }
  const std::string data = global_redactor().redact(line) + "\n";  // secrets never reach the disk
  int err = 0;
  if (!write_all(fd, data) || ::fsync(fd) != 0) {
    err = errno;
    // A line cut short (ENOSPC half-way) would glue itself to the next append and
    // corrupt both: cut the file back to where it was (we hold the lock).
    if (::ftruncate(fd, by_fd.st_size) == 0) ::fsync(fd);
  }
  ::close(fd);
  if (err) throw std::runtime_error("spool: cannot write " + file.string() + ": " + std::strerror(err));
  if (!existed) fsync_dir(dir_);  // the new file's name must survive a crash too
}

std::size_t Spool::pending() const {
  std::size_t n = 0;
  for (const auto& f : spool_files(dir_)) n += read_lines(f).size();
  return n;
}

void Spool::for_each_pending(const std::function<void(const std::string&)>& f) const {
  for (const auto& file : spool_files(dir_))
    for (const auto& line : read_lines(file)) f(line);
}

Spool::ReplayResult Spool::replay(const std::function<bool(const std::string&)>& apply) {
  ReplayResult result;
  for (const auto& file : spool_files(dir_)) {
    FileLock lock(file);
    if (lock.fd < 0) continue;  // gone (another process replayed it) or unreadable: never read it unlocked
    const auto lines = read_lines(file);
    std::size_t i = 0;
    try {
      for (; i < lines.size(); ++i) {
        if (apply(lines[i]))
          ++result.applied;
        else
          ++result.skipped;
      }
    } catch (...) {
      // Keep what was not written, then stop: order must hold. The rewrite is
      // all-or-nothing: if it cannot be completed (a full disk), the old file stays
      // as it was and the lines already applied are applied again next time (every
      // write is an idempotent upsert).
      std::vector<std::string> rest(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.end());
      if (i == 0) {
        // nothing applied: the file is already what must stay
      } else if (auto why = rewrite(file, rest); !why.empty())
        spdlog::warn("spool: could not compact {} ({}); it is kept whole and replayed again later", file.string(), why);
      result.remaining = pending();
      return result;
    }
    std::error_code ec;
    fs::remove(file, ec);
  }
  fsync_dir(dir_);
  return result;
}

}  // namespace runner
