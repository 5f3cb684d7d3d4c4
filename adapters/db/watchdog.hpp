#pragma once
// A client-side bound on every database round trip. Keepalives cannot see a server
// that is frozen (SIGSTOP, a hung VM): its kernel still answers TCP, and libpq
// would wait forever. While a Guard lives, the watchdog's thread shuts the socket
// down once the limit passes, so the call fails like a dropped connection and the
// caller's reconnect-and-retry path takes over.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace runner {

class Watchdog {
 public:
  explicit Watchdog(std::chrono::milliseconds limit);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  class Guard {
   public:
    explicit Guard(Watchdog& w) : w_(w) {}
    ~Guard() { w_.disarm(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    Watchdog& w_;
  };
  // Watches `fd` until the returned guard goes; a negative fd is not watched.
  [[nodiscard]] Guard watch(int fd);
  // True when the last watched call was cut off (then its error says so).
  bool fired() const;

 private:
  void disarm();
  void loop();
  const std::chrono::milliseconds limit_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  int fd_ = -1;
  std::chrono::steady_clock::time_point deadline_{};
  bool fired_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace runner
