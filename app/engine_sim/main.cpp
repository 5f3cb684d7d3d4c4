// 2501-engine-sim: a simulator of the 2501 engine API (docs/engine-api.md) for tests,
// the demo and benchmarks. Prints "listening on HOST:PORT" once it serves.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "app/sim_common/sim_server.hpp"
#include "app/version.hpp"
#include "app/engine_sim/engine_sim.hpp"

int main(int argc, char** argv) {
  runner::sim::EngineSimConfig cfg;
  std::string listen = "127.0.0.1:8080";
  CLI::App app{"2501-engine-sim: simulator of the 2501 engine API", "2501-engine-sim"};
  app.set_version_flag("-V,--version", std::string("2501-engine-sim ") + runner::version() + " (commit " + runner::git_commit() + ")");
  app.add_option("--listen", listen, "HOST:PORT to serve on (port 0: any free port)");
  // Secrets come from the environment or a file, never argv (where `ps` shows them).
  std::string api_key_file, database_url_file, servicenow_password_file;
  app.add_option("--api-key-file", api_key_file, "File holding the API key clients must present (or ENGINE_SIM_API_KEY)");
  app.add_option("--database-url-file", database_url_file,
                 "File holding the PostgreSQL URL with the hosts and agents tables (or ENGINE_SIM_DATABASE_URL)");
  app.add_option("--scenarios-path", cfg.scenarios_path, "Scenarios root, to find solution.yml/solution.json by key");
  app.add_option("--behavior", cfg.behavior, "oracle | noop | fail | hang")
      ->check(CLI::IsMember({"oracle", "noop", "fail", "hang"}));
  app.add_option("--pickup-delay-ms", cfg.pickup_delay_ms, "Delay from ticket to job");
  app.add_option("--job-duration-ms", cfg.job_duration_ms, "Minimum duration of a job");
  app.add_option("--fault-5xx", cfg.fault_5xx, "Rate of 500/503 answers")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-429", cfg.fault_429, "Rate of 429 answers with Retry-After")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-reset", cfg.fault_reset, "Rate of dropped connections")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-slow", cfg.fault_slow, "Rate of responses delayed by --slow-ms")->check(CLI::Range(0.0, 1.0));
  app.add_option("--slow-ms", cfg.slow_ms, "Delay of a slow response");
  app.add_option("--seed", cfg.seed, "Seed of the fault dice");
  app.add_option("--misbehave", cfg.misbehave, "Break the contract: endless-job | bad-status | bad-tokens | html | deaf-cancel | echo-auth")
      ->check(CLI::IsMember({"endless-job", "bad-status", "bad-tokens", "html", "deaf-cancel", "echo-auth"}));
  app.add_option("--restart-recovery", cfg.restart_recovery,
                 "After POST /api/v1/admin/restart: requeue (lost tasks are redone) | none (lost for good)")
      ->check(CLI::IsMember({"requeue", "none"}));
  app.add_option("--restart-downtime-ms", cfg.restart_downtime_ms, "How long a restart answers 503");
  app.add_option("--work-dir", cfg.work_dir, "Where oracle logs and inventories go");
  app.add_option("--http-threads", cfg.http_threads, "HTTP worker threads");
  app.add_option("--servicenow-url", cfg.servicenow_url, "ServiceNow mode: the instance to poll for incidents");
  app.add_option("--servicenow-username", cfg.servicenow_username, "ServiceNow user");
  app.add_option("--servicenow-password-file", servicenow_password_file,
                 "File holding the ServiceNow password (or ENGINE_SIM_SERVICENOW_PASSWORD)");
  app.add_option("--servicenow-assignment-group", cfg.servicenow_assignment_group,
                 "Incidents of this assignment group become jobs");
  CLI11_PARSE(app, argc, argv);
  try {
    cfg.api_key = runner::sim::secret_setting(api_key_file, "ENGINE_SIM_API_KEY");
    cfg.database_url = runner::sim::secret_setting(database_url_file, "ENGINE_SIM_DATABASE_URL");
    cfg.servicenow_password = runner::sim::secret_setting(servicenow_password_file, "ENGINE_SIM_SERVICENOW_PASSWORD");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  if (cfg.api_key.empty()) {
    std::fprintf(stderr, "error: the API key is required: ENGINE_SIM_API_KEY or --api-key-file\n");
    return 2;
  }

  auto at = runner::sim::parse_listen(listen);
  if (!at) {
    std::fprintf(stderr, "error: --listen: expected HOST:PORT, got '%s'\n", listen.c_str());
    return 2;
  }
  cfg.listen_host = at->host;
  cfg.listen_port = at->port;
  if (cfg.work_dir.empty())
    cfg.work_dir = (std::filesystem::temp_directory_path() / ("2501-engine-sim-" + std::to_string(::getpid()))).string();
  runner::sim::EngineSim sim(cfg);
  runner::sim::stop_on_signals([&sim] { sim.stop(); }, [&sim] { sim.restart(); });
  if (!sim.run([&](int port) { runner::sim::announce(cfg.listen_host, port); })) {
    std::fprintf(stderr, "error: --listen: cannot serve on %s\n", listen.c_str());
    return 1;
  }
  return 0;
}
