#include "app/signal_watch.hpp"

#include "adapters/log/logging.hpp"

#include "adapters/process/stop_children.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace runner {

struct SignalWatch::Impl {
  sigset_t set{};
  std::atomic<bool> stop{false};
  std::atomic<int> count{0};
  std::mutex mu;
  std::function<void()> handler;  // set once the run's iterations are about to start
  std::thread thread;
};

SignalWatch::SignalWatch() : impl_(std::make_unique<Impl>()) {
  sigemptyset(&impl_->set);
  sigaddset(&impl_->set, SIGINT);
  sigaddset(&impl_->set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &impl_->set, nullptr);
}

SignalWatch::~SignalWatch() {
  impl_->stop = true;
  if (impl_->thread.joinable()) impl_->thread.join();
}

void SignalWatch::start() {
  impl_->thread = std::thread([im = impl_.get()] {
    const timespec tick{0, 200'000'000};
    while (!im->stop) {
      if (sigtimedwait(&im->set, nullptr, &tick) < 0) continue;
      const int n = ++im->count;
      std::function<void()> handler;
      {
        std::lock_guard lock(im->mu);
        handler = im->handler;
      }
      if (!handler) {
        static const char msg[] = "\ninterrupted before the first iteration started: exiting\n";
        (void)!::write(2, msg, sizeof msg - 1);
        std::_Exit(130);
      }
      if (n >= 3) {
        set_status_line("");  // the block goes before the last words
        static const char msg[] =
            "\nthird interrupt: exiting now (the next run restores agent settings; hosts may need restore.yml)\n";
        (void)!::write(2, msg, sizeof msg - 1);
        std::_Exit(130);
      }
      if (n == 2) stop_children();  // before the actors hear of it: no playbook is waited for
      handler();
    }
  });
}

void SignalWatch::on_signal(std::function<void()> handler) {
  std::lock_guard lock(impl_->mu);
  impl_->handler = std::move(handler);
}

bool SignalWatch::signalled() const { return impl_->count > 0; }

}  // namespace runner
