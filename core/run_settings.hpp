#pragma once
// What every scenario-iteration of a run shares (the run's settings) and what each
// one is (a ScenarioJob). Plain values, fixed before the first actor starts.
#include <cstdint>
#include <memory>
#include <string>

#include "core/run_mode.hpp"
#include "core/vm_settings.hpp"
#include "messages/scenario.hpp"

namespace runner {

struct RunSettings {
  std::string benchmark_id;
  RunMode mode = RunMode::host;
  GatewayKind gateway = GatewayKind::runner;
  std::string organization_id, tenant_id, user_id;
  std::string engine_url, engine_api_key;
  std::string servicenow_url, servicenow_username, servicenow_password;  // -g servicenow
  std::string servicenow_assignment_group, servicenow_caller_id;
  std::string main_engine, secondary_engine, specialty;           // agent overrides
  std::string gateway_engine, gateway_multimodal_engine;          // ticket LLM overrides
  std::string runs_dir;              // per-iteration logs: <runs_dir>/<benchmark>/<key>-<i>.log
  std::uint32_t default_timeout_s = 600;   // job timeout when the scenario sets none
  std::uint32_t playbook_timeout_s = 600;  // per ansible-playbook run
  std::uint32_t poll_initial_ms = 1'000;
  std::uint32_t poll_max_ms = 10'000;
  std::uint32_t http_timeout_ms = 15'000;
  std::uint32_t heartbeat_ms = 30'000;  // RUNNER_HEARTBEAT_S: a CI progress line per running job
  // `chaos`: kill the engine in each job's first task (core/chaos.hpp) through this
  // URL ("" = the engine's /api/v1/admin/restart), or with this command run on the
  // scenario's hosts through Ansible (the kill playbook, written once per run).
  bool chaos = false;
  std::string chaos_kill_url;
  std::string chaos_kill_command;
  std::string chaos_kill_playbook;  // set with chaos_kill_command
  bool fail_if_host_busy = false;    // host mode: error instead of waiting for a host another runner holds
  int retries = 0;                   // --retries: infrastructure errors run again up to this many times
  std::uint32_t max_failures = 0;    // --max-failures / -x: no new iteration after this many not passed (0: none)
  bool detach_workers = true;        // false in deterministic actor tests
  std::string crash_scenario_key;    // test hook (RUNNER_TEST_CRASH_SCENARIO): throw in that scenario
  std::shared_ptr<const VmSettings> vm;  // VM modes only (mode incus | lima)

  bool overrides_agents() const { return !main_engine.empty() || !secondary_engine.empty() || !specialty.empty(); }
};

struct ScenarioJob {
  std::shared_ptr<const Scenario> scenario;
  int iteration = 1;
  std::uint64_t expected_ms = 0;  // duration hint for the broker (median of earlier runs; 0 = unknown)
  int attempt = 1;                // --retries: which attempt this is
  std::string prior_attempts;     // --retries: the earlier attempts (core/retries.hpp), "" on the first
};

}  // namespace runner
