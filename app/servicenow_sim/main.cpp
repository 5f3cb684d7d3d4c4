// 2501-servicenow-sim: a simulator of the ServiceNow Table API subset the runner and
// the engine simulator use. Prints "listening on HOST:PORT" once it serves.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/sim_common/sim_server.hpp"
#include "app/version.hpp"
#include "app/servicenow_sim/servicenow_sim.hpp"

int main(int argc, char** argv) {
  runner::sim::ServiceNowSimConfig cfg;
  std::string listen = "127.0.0.1:8090";
  CLI::App app{"2501-servicenow-sim: simulator of the ServiceNow Table API (incident, sys_journal_field, sys_user)", "2501-servicenow-sim"};
  app.set_version_flag("-V,--version", std::string("2501-servicenow-sim ") + runner::version() + " (commit " + runner::git_commit() + ")");
  app.add_option("--listen", listen, "HOST:PORT to serve on (port 0: any free port)");
  app.add_option("--username", cfg.username, "The integration user (sys_user), for basic auth")->required();
  std::string password_file;
  app.add_option("--password-file", password_file, "File holding the basic-auth password (or SERVICENOW_SIM_PASSWORD)");
  app.add_option("--fault-401", cfg.fault_401, "Rate of injected 401 answers")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-429", cfg.fault_429, "Rate of 429 answers with Retry-After")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-5xx", cfg.fault_5xx, "Rate of 503 answers")->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", cfg.seed, "Seed of the fault dice and sys_ids");
  app.add_option("--max-page", cfg.max_page, "The most records one list page holds, whatever sysparm_limit asks (default 10000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--force-display-value", cfg.forced_display_value,
                 "Answer every request with display values (true) or both forms (all), whatever it asks")
      ->check(CLI::IsMember({"true", "all"}));
  CLI11_PARSE(app, argc, argv);
  try {
    cfg.password = runner::sim::secret_setting(password_file, "SERVICENOW_SIM_PASSWORD");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  if (cfg.password.empty()) {
    std::fprintf(stderr, "error: the password is required: SERVICENOW_SIM_PASSWORD or --password-file\n");
    return 2;
  }
  auto at = runner::sim::parse_listen(listen);
  if (!at) {
    std::fprintf(stderr, "error: --listen: expected HOST:PORT, got '%s'\n", listen.c_str());
    return 2;
  }
  cfg.listen_host = at->host;
  cfg.listen_port = at->port;
  runner::sim::ServiceNowSim sim(cfg);
  runner::sim::stop_on_signals([&sim] { sim.stop(); });
  if (!sim.run([&](int port) { runner::sim::announce(cfg.listen_host, port); })) {
    std::fprintf(stderr, "error: --listen: cannot serve on %s\n", listen.c_str());
    return 1;
  }
  return 0;
}
