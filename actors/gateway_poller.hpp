#pragma once
// Spawning a gateway poller (interface in actors/interfaces.hpp).
#include <cstdint>
#include <string>

#include "actors/interfaces.hpp"
#include "core/run_settings.hpp"

namespace caf {
class actor_system;
}

namespace runner {

struct PollerSettings {
  std::string engine_url;
  std::string engine_api_key;
  std::uint32_t http_timeout_ms = 15'000;  // per exchange; a slower answer is retried
  // -g servicenow: the ticket is a ServiceNow incident; the job is found through the
  // engine by incident number.
  GatewayKind gateway = GatewayKind::runner;
  std::string servicenow_url, servicenow_username, servicenow_password;
  std::string assignment_group, caller_id;
  bool chaos = false;          // kill the engine in the job's first task, measure the rest
  std::string chaos_kill_url;  // "" = the engine's admin restart endpoint
  std::uint32_t heartbeat_ms = 30'000;  // not on a terminal: a progress line this often

  // Settings of a run's pollers: its gateway, engine and ServiceNow instance.
  static PollerSettings of_run(const RunSettings& run) {
    PollerSettings s = engine(run.engine_url, run.engine_api_key, run.http_timeout_ms);
    s.gateway = run.gateway;
    s.servicenow_url = run.servicenow_url;
    s.servicenow_username = run.servicenow_username;
    s.servicenow_password = run.servicenow_password;
    s.assignment_group = run.servicenow_assignment_group;
    s.caller_id = run.servicenow_caller_id;
    s.chaos = run.chaos;
    s.chaos_kill_url = run.chaos_kill_url;
    s.heartbeat_ms = run.heartbeat_ms;
    return s;
  }

  // Settings for the runner gateway.
  static PollerSettings engine(std::string url, std::string key, std::uint32_t http_timeout_ms = 15'000) {
    PollerSettings s;
    s.engine_url = std::move(url);
    s.engine_api_key = std::move(key);
    s.http_timeout_ms = http_timeout_ms;
    return s;
  }
};

// One poller per execute phase; it quits after replying. `ansible` (the scenario's
// worker) runs `chaos --kill-command`'s playbook; none is needed otherwise.
gateway_poller_actor spawn_gateway_poller(caf::actor_system& sys, http_client_actor http,
                                          const PollerSettings& settings, ansible_worker_actor ansible = {});

}  // namespace runner
