#include "adapters/db/watchdog.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace runner {

Watchdog::Watchdog(std::chrono::milliseconds limit) : limit_(limit), thread_([this] { loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  cv_.notify_all();
  thread_.join();
}

Watchdog::Guard Watchdog::watch(int fd) {
  // Our own descriptor of the socket: libpq may close its fd meanwhile, and the
  // number be reused by another connection that must not be shut down. Shutting
  // down the duplicate acts on this socket only.
  const int mine = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
  {
    std::lock_guard<std::mutex> lock(m_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = mine;
    fired_ = false;
    deadline_ = std::chrono::steady_clock::now() + limit_;
  }
  cv_.notify_all();
  return Guard(*this);
}

bool Watchdog::fired() const {
  std::lock_guard<std::mutex> lock(m_);
  return fired_;
}

void Watchdog::disarm() {
  std::lock_guard<std::mutex> lock(m_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Watchdog::loop() {
  std::unique_lock<std::mutex> lock(m_);
  while (!stop_) {
    if (fd_ < 0) {
      cv_.wait(lock);
      continue;
    }
    const auto deadline = deadline_;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && fd_ >= 0 && deadline_ == deadline) {
      ::shutdown(fd_, SHUT_RDWR);  // the blocked libpq call returns with an error
      ::close(fd_);
      fired_ = true;
      fd_ = -1;
    }
  }
}

}  // namespace runner
