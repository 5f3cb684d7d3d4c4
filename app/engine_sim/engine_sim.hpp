#pragma once
// The engine simulator: the engine API of docs/engine-api.md over HTTP, with
// behaviours (oracle, noop, fail, hang), timing, fault injection and counters.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace runner::sim {

struct EngineSimConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;                // 0: any free port
  std::string api_key;
  std::string database_url;              // hosts and agents, as the platform reads them
  std::string scenarios_path;            // to find solution.yml / solution.json by key
  std::string behavior = "oracle";       // oracle | noop | fail | hang
  std::uint32_t pickup_delay_ms = 500;   // ticket -> job
  std::uint32_t job_duration_ms = 1'000; // minimum time a job takes
  double fault_5xx = 0, fault_429 = 0, fault_reset = 0, fault_slow = 0;
  std::uint32_t slow_ms = 20'000;        // how long a "slow" response is delayed
  std::uint64_t seed = 1;
  // An engine that breaks the contract, for the runner's fault tests: "" (none) |
  // endless-job (a job read streams a body that never ends) | bad-status (jobs report
  // status "exploded") | bad-tokens (usage counts -5 and "lots") | html (whoami
  // answers 200 with an HTML page).
  std::string misbehave;
  // POST /api/v1/admin/restart (the runner's `chaos`): the engine "restarts": it answers
  // 503 for restart_downtime_ms, and the work in flight is lost. requeue: each task in
  // progress ends failed and a new task redoes it (the job still completes, later);
  // none: the lost work is never picked up again (the job never ends).
  std::string restart_recovery = "requeue";
  std::uint32_t restart_downtime_ms = 1'000;
  std::string work_dir;                  // oracle logs and inventories
  int oracle_workers = 2;
  int http_threads = 32;
  // ServiceNow mode: incidents of this assignment group become jobs.
  std::string servicenow_url, servicenow_username, servicenow_password, servicenow_assignment_group;
  std::uint32_t servicenow_poll_ms = 200;
};

class EngineSim {
 public:
  explicit EngineSim(EngineSimConfig config);
  ~EngineSim();
  // Binds and serves until stop(); calls on_ready(port) once listening.
  bool run(const std::function<void(int)>& on_ready);
  void stop();
  // The engine restarts as POST /api/v1/admin/restart makes it (SIGHUP: a service
  // manager's restart, or `chaos --kill-command 'kill -HUP PID'` on the agent's host).
  void restart();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner::sim
