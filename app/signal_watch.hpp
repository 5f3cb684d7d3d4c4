#pragma once
// SIGINT/SIGTERM for a run, in three steps (README "Stopping a run"):
//   1st: `on_signal(1)`: no new iteration starts, jobs are cancelled, hosts restored;
//   2nd: children are killed and none starts (stop_children), then `on_signal(2)`:
//        the engine is not waited for; overrides are still restored, reports written;
//   3rd: the process exits at once with 130.
// The callback runs on the watcher thread. Signals are blocked in every other thread,
// so the actor system's threads never see them.
#include <functional>
#include <memory>

namespace runner {

class SignalWatch {
 public:
  // Blocks the signals in the calling thread (call before starting other threads).
  SignalWatch();
  ~SignalWatch();
  void start(std::function<void(int)> on_signal);
  bool signalled() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
