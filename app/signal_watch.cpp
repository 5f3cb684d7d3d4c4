#include "app/signal_watch.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace runner {

struct SignalWatch::Impl {
  sigset_t set{};
  std::atomic<bool> stop{false};
  std::atomic<bool> fired{false};
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

void SignalWatch::start(std::function<void()> on_first) {
  impl_->thread = std::thread([im = impl_.get(), on_first = std::move(on_first)] {
    const timespec tick{0, 200'000'000};
    while (!im->stop) {
      if (sigtimedwait(&im->set, nullptr, &tick) < 0) continue;
      if (im->fired.exchange(true)) {
        static const char msg[] = "\nsecond signal: exiting now (hosts may need restore.yml)\n";
        (void)!::write(2, msg, sizeof msg - 1);
        std::_Exit(130);
      }
      on_first();
    }
  });
}

bool SignalWatch::signalled() const { return impl_->fired; }

}  // namespace runner
