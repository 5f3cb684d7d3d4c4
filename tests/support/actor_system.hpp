#pragma once
// A real CAF actor system with the runner's message types, for tests.
#include <caf/all.hpp>

#include "actors/system_config.hpp"

#include <memory>

#include "actors/system_config.hpp"
#include "messages/caf_types.hpp"

namespace test {

struct ActorSystem {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  ActorSystem() {
    runner::configure_runner_system(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  caf::actor_system& operator*() { return *sys; }
};

}  // namespace test
