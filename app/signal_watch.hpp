#pragma once
// SIGINT/SIGTERM for a run, in three steps (README "Stopping a run"):
//   1st: the handler: no new iteration starts, jobs are cancelled, hosts restored;
//   2nd: children are killed and none starts (stop_children), then the handler again:
//        the engine is not waited for; overrides are still restored, reports written;
//   3rd: the process exits at once with 130.
// Before the run has a handler (pre-flight, reaping, template builds) the first signal
// exits at once: nothing needs undoing yet. The handler runs on the watcher thread.
// Signals are blocked in every other thread, so the actor system's threads never see
// them.
#include <functional>
#include <memory>

namespace runner {

class SignalWatch {
 public:
  // Blocks the signals in the calling thread (call before starting other threads).
  SignalWatch();
  ~SignalWatch();
  // Starts watching. Until on_signal() gives a handler (the run's first iteration is
  // about to start), the first signal exits the process at once with 130.
  void start();
  void on_signal(std::function<void()> handler);
  bool signalled() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
