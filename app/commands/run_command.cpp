#include "app/commands/run_command.hpp"

#include <spdlog/spdlog.h>

#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/preflight.hpp"
#include "app/scenario_source.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

}  // namespace

int run_run_command(const RunOptions& opts) {
  Config cfg = load_command_config(opts.common);

  Preflight pf;
  pf.run("configuration", [&]() -> CheckResult {
    auto missing = missing_variables(cfg, opts.gateway, opts.common.source);
    if (!missing.empty()) return {false, "missing " + join(missing)};
    return {true, cfg.env_file.empty() ? "process environment" : "env file " + cfg.env_file};
  });
  const bool config_ok = pf.all_ok();
  const std::string db_url = cfg.get("DATABASE_URL");
  bool db_ok = false;
  pf.run("database", [&]() -> CheckResult {
    if (db_url.empty()) return {false, "skipped: DATABASE_URL missing"};
    auto r = check_database(db_url);
    db_ok = r.ok;
    return r;
  });
  pf.run("organization, tenant, user", [&]() -> CheckResult {
    if (!db_ok) return {false, "skipped: database unavailable"};
    return check_identity_ids(db_url, cfg.get("ORG_ID"), cfg.get("TENANT_ID"), cfg.get("USER_ID"));
  });
  pf.run("ansible", check_ansible);
  ScenarioRoot root;
  pf.run("scenarios source", [&]() -> CheckResult {
    if (!config_ok && opts.common.source == "git") return {false, "skipped: configuration incomplete"};
    root = resolve_scenario_root(opts.common.source, opts.common.scenarios_path, cfg);
    return {true, root.root + (root.commit.empty() ? "" : " at " + root.commit.substr(0, 12))};
  });
  if (!pf.all_ok()) {
    spdlog::error("pre-flight failed: {}", join(pf.failures()));
    return exit_code::preflight;
  }

  replay_spooled_reports(db_url, opts.spool_dir);

  Catalog catalog = load_catalog(root.root);
  print_catalog_problems(catalog);
  std::vector<std::string> items = split_selection(opts.scenarios);
  Selection sel;
  if (!items.empty() || !opts.check) {
    sel = select_scenarios(catalog, items);
    for (const auto& e : sel.errors) spdlog::error("{}", e);
    if (!sel.errors.empty()) return exit_code::usage;
    spdlog::info("selected {} scenario(s) x {} iteration(s)", sel.scenarios.size(), opts.iterations);
  }
  if (opts.check) {
    spdlog::info("pre-flight passed");
    return exit_code::success;
  }
  spdlog::error("scenario execution is not available in this build yet (use --check)");
  return exit_code::infrastructure;
}

}  // namespace runner
