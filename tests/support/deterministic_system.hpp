#pragma once
// An actor system under CAF's deterministic test coordinator: nothing runs until
// the test says so, and time only moves when the test advances it.
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <chrono>
#include <memory>

#include "actors/system_config.hpp"
#include "messages/caf_types.hpp"

namespace test {

struct DeterministicSystem {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  DeterministicSystem() {
    runner::configure_runner_system(cfg);
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
  }
  void run() { sched->run(); }
  void advance(std::chrono::milliseconds d) {
    sched->advance_time(d);
    sched->run();
  }
};

}  // namespace test
