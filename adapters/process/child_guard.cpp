#include "adapters/process/child_guard.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace runner {

ChildGuard::ChildGuard() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) == 0) {
    read_fd_ = fds[0];
    write_fd_ = fds[1];
  }
}

ChildGuard::~ChildGuard() { release(); }

void ChildGuard::in_child() const {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (read_fd_ < 0) return;
  ::close(write_fd_);  // only the runner may hold the pipe open
  if (::fork() == 0) {
    // The watcher keeps nothing but its end of the pipe: an inherited descriptor (the
    // exec-status pipe of the process library, the child's output) would keep its
    // other end waiting.
    if (read_fd_ > 0) ::close_range(0, static_cast<unsigned>(read_fd_) - 1, 0);
    ::close_range(static_cast<unsigned>(read_fd_) + 1, ~0U, 0);
    // One byte means "ended normally"; end of file means the runner died.
    char c;
    ssize_t n;
    while ((n = ::read(read_fd_, &c, 1)) < 0 && errno == EINTR) {
    }
    if (n == 0) ::kill(0, SIGKILL);  // the whole process group, this watcher included
    ::_exit(0);
  }
  ::close(read_fd_);
}

void ChildGuard::release() {
  if (write_fd_ >= 0) {
    const char done = 'x';
    (void)!::write(write_fd_, &done, 1);
    ::close(write_fd_);
    write_fd_ = -1;
  }
  if (read_fd_ >= 0) {
    ::close(read_fd_);
    read_fd_ = -1;
  }
}

}  // namespace runner
