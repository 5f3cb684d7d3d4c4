#pragma once
// SIGINT/SIGTERM for a run: the first signal calls `on_first` (from a watcher thread),
// a second one exits the process at once with 130. Signals are blocked in every other
// thread, so the actor system's threads never see them.
#include <functional>
#include <memory>

namespace runner {

class SignalWatch {
 public:
  // Blocks the signals in the calling thread (call before starting other threads).
  SignalWatch();
  ~SignalWatch();
  void start(std::function<void()> on_first);
  bool signalled() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
