#pragma once
// The long-lived actors every scenario actor of a run talks to. Passed at spawn
// time (in-process), not as a message; the run's settings are core/run_settings.
#include <functional>

#include "actors/interfaces.hpp"
#include "core/run_settings.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// How a scenario actor gets the workers it owns for one iteration. Empty: the real
// ones (spawn_ansible_worker, spawn_vm_worker, spawn_gateway_poller); deterministic
// tests put stand-ins here.
struct ScenarioWorkers {
  std::function<ansible_worker_actor(caf::actor_system&)> ansible;
  std::function<vm_worker_actor(caf::actor_system&)> vm;
  std::function<gateway_poller_actor(caf::actor_system&)> poller;
};

struct RunActors {
  ram_broker_actor broker;
  provisioner_actor provisioner;
  http_client_actor http;
  reporter_actor reporter;
  ScenarioWorkers workers;
};

}  // namespace runner
