#include "app/commands/run_command.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <random>

#include "actors/gateway_poller.hpp"
#include "actors/http_client.hpp"
#include "actors/provisioner.hpp"
#include "actors/ram_broker.hpp"
#include "actors/reporter.hpp"
#include "actors/system_config.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/spool.hpp"
#include "adapters/db/database.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "adapters/servicenow/servicenow_api.hpp"
#include "adapters/db/run_history.hpp"
#include "adapters/env/state_dir.hpp"
#include "adapters/vm/vm_lifecycle.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/vm_support.hpp"
#include "app/preflight.hpp"
#include "app/scenario_source.hpp"
#include "app/signal_watch.hpp"
#include "app/summary.hpp"
#include "app/version.hpp"
#include "messages/exit_codes.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

std::string new_uuid() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

// The run's options as recorded in the Benchmark row: never a secret.
std::string options_json(const RunOptions& o, const std::vector<std::string>& selected) {
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return json_dump({{"scenarios", o.scenarios},
                    {"selected", selected},
                    {"source", o.common.source},
                    {"mode", o.mode},
                    {"gateway", o.gateway},
                    {"iterations", o.iterations},
                    {"main_engine", opt(o.main_engine)},
                    {"secondary_engine", opt(o.secondary_engine)},
                    {"specialty", opt(o.specialty)},
                    {"gateway_engine", opt(o.gateway_engine)},
                    {"gateway_multimodal_engine", opt(o.gateway_multimodal_engine)},
                    {"parallel", o.parallel},
                    {"parallel_ram_cap_gb", opt(o.parallel_ram_cap_gb)},
                    {"vm_templates_path", opt(o.vm_templates_path)},
                    {"fail_on_error", o.fail_on_error}});
}

std::uint32_t env_u32(const char* name, std::uint32_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? static_cast<std::uint32_t>(std::stoul(v)) : fallback;
}

// Probes the engine with the configured key through the HTTP client actor.
CheckResult check_engine(caf::actor_system& sys, const http_client_actor& http, const Config& cfg) {
  auto req = engine_api::whoami({cfg.get("ENGINE_API_URL"), cfg.get("ENGINE_API_KEY")});
  req.max_attempts = 2;
  req.timeout_ms = 5'000;
  HttpResponse resp;
  caf::scoped_actor self{sys};
  self->request(http, std::chrono::seconds(30), req)
      .receive([&](HttpResponse& r) { resp = std::move(r); }, [&](caf::error& e) { resp.error = sys.render(e); });
  if (resp.status == 200) return {true, cfg.get("ENGINE_API_URL") + " answers"};
  if (resp.status == 401 || resp.status == 403)
    return {false, "the engine rejected ENGINE_API_KEY (HTTP " + std::to_string(resp.status) + ")"};
  if (resp.status == 0) return {false, "cannot reach " + cfg.get("ENGINE_API_URL") + ": " + resp.error};
  return {false, cfg.get("ENGINE_API_URL") + " answered HTTP " + std::to_string(resp.status)};
}

// Probes the ServiceNow Table API with the configured credentials.
CheckResult check_servicenow(caf::actor_system& sys, const http_client_actor& http, const Config& cfg) {
  const std::string url = cfg.get("SERVICENOW_API_URL");
  auto req = servicenow::probe({url, cfg.get("SERVICENOW_USERNAME"), cfg.get("SERVICENOW_PASSWORD")});
  // Instances answer 429/503 in bursts; a credentials error (401/403) is never retried.
  req.max_attempts = 8;
  req.timeout_ms = 5'000;
  HttpResponse resp;
  caf::scoped_actor self{sys};
  self->request(http, std::chrono::seconds(60), req)
      .receive([&](HttpResponse& r) { resp = std::move(r); }, [&](caf::error& e) { resp.error = sys.render(e); });
  if (resp.status == 200) return {true, "ServiceNow " + url + " accepts the credentials"};
  if (resp.status == 401 || resp.status == 403)
    return {false, "ServiceNow rejected SERVICENOW_USERNAME/SERVICENOW_PASSWORD (HTTP " + std::to_string(resp.status) +
                       ", a credentials error)"};
  if (resp.status == 0) return {false, "cannot reach ServiceNow at " + url + ": " + resp.error};
  return {false, "ServiceNow " + url + " answered HTTP " + std::to_string(resp.status)};
}

}  // namespace

int run_run_command(const RunOptions& opts) {
  Config cfg = load_command_config(opts.common);
  SignalWatch signals;  // before any thread starts: they inherit the blocked signals

  caf::actor_system_config sys_cfg;
  configure_runner_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  auto http = spawn_http_client(sys);
  auto stop_http = [&] { caf::anon_send_exit(http, caf::exit_reason::user_shutdown); };

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
  pf.run("gateway " + opts.gateway, [&]() -> CheckResult {
    if (!config_ok) return {false, "skipped: configuration incomplete"};
    auto engine = check_engine(sys, http, cfg);
    if (!engine.ok || opts.gateway != "servicenow") return engine;
    auto snow = check_servicenow(sys, http, cfg);
    return {snow.ok, snow.detail + "; engine " + engine.detail};
  });
  auto vm = std::make_shared<VmSettings>();
  std::unique_ptr<VmProvider> provider;
  pf.run("mode " + opts.mode, [&]() -> CheckResult {
    if (opts.mode == "host") return {true, "hosts and agents from the database"};
    const std::string dir = opts.vm_templates_path.value_or(default_vm_templates_path());
    auto catalog = std::make_shared<TemplateCatalog>(load_vm_templates(dir));
    if (!catalog->errors.empty()) return {false, join(catalog->errors)};
    const RunnerKey key = ensure_runner_key();
    provider = make_vm_provider(opts.mode, key.private_path);
    if (auto why = provider->check(); !why.empty()) return {false, why};
    vm->mode = opts.mode;
    vm->templates = catalog;
    vm->key_path = key.private_path;
    vm->public_key = key.public_key;
    vm->ready_timeout = std::chrono::seconds(env_u32("RUNNER_VM_READY_TIMEOUT_S", 180));
    return {true, std::to_string(catalog->templates.size()) + " template(s) in " + dir + ", key " + key.private_path};
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
    stop_http();
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
    if (!sel.errors.empty()) {
      stop_http();
      return exit_code::usage;
    }
    spdlog::info("selected {} scenario(s) x {} iteration(s)", sel.scenarios.size(), opts.iterations);
  }
  // VM modes: the selection must fit the templates, and in parallel the budget.
  std::uint64_t budget = 1;  // host mode: one scenario at a time
  if (provider) {
    auto errors = check_vm_scenarios(sel.scenarios, *vm->templates);
    for (const auto& e : errors) spdlog::error("{}", e);
    if (!errors.empty()) {
      stop_http();
      return exit_code::usage;
    }
    std::uint64_t largest = 1;
    for (const auto* s : sel.scenarios) largest = std::max(largest, scenario_memory_mib(*s, *vm->templates));
    budget = largest;  // sequential: one scenario's clones at a time
    if (opts.parallel) {
      std::string how;
      budget = ram_budget_mib(opts.parallel_ram_cap_gb, how);
      spdlog::info("RAM budget {} MiB ({})", budget, how);
      bool too_big = false;
      for (const auto* s : sel.scenarios)
        if (const auto need = scenario_memory_mib(*s, *vm->templates); need > budget) {
          spdlog::error("{}: needs {} MiB for its clones, more than the whole RAM budget of {} MiB ({})", s->key, need,
                        budget, how);
          too_big = true;
        }
      if (too_big) {
        stop_http();
        return exit_code::preflight;
      }
    }
  }
  if (opts.check) {
    spdlog::info("pre-flight passed");
    stop_http();
    return exit_code::success;
  }

  // --- the run -----------------------------------------------------------------
  auto run = std::make_shared<RunSettings>();
  run->benchmark_id = new_uuid();
  run->mode = parse_run_mode(opts.mode).value();        // CLI11 allowed only these
  run->gateway = parse_gateway(opts.gateway).value();
  run->organization_id = cfg.get("ORG_ID");
  run->tenant_id = cfg.get("TENANT_ID");
  run->user_id = cfg.get("USER_ID");
  run->engine_url = cfg.get("ENGINE_API_URL");
  run->engine_api_key = cfg.get("ENGINE_API_KEY");
  run->servicenow_url = cfg.get("SERVICENOW_API_URL");
  run->servicenow_username = cfg.get("SERVICENOW_USERNAME");
  run->servicenow_password = cfg.get("SERVICENOW_PASSWORD");
  run->servicenow_assignment_group = cfg.get("SERVICENOW_ASSIGNMENT_GROUP_ID");
  run->servicenow_caller_id = cfg.get("SERVICENOW_CALLER_ID");
  run->main_engine = opts.main_engine.value_or("");
  run->secondary_engine = opts.secondary_engine.value_or("");
  run->specialty = opts.specialty.value_or("");
  run->gateway_engine = opts.gateway_engine.value_or("");
  run->gateway_multimodal_engine = opts.gateway_multimodal_engine.value_or("");
  run->runs_dir = (fs::path(runner_state_dir()) / "runs").string();
  // Tuning knobs for tests and soak runs (documented in README).
  run->poll_initial_ms = env_u32("RUNNER_POLL_INITIAL_MS", 1'000);
  run->poll_max_ms = env_u32("RUNNER_POLL_MAX_MS", 10'000);
  run->default_timeout_s = env_u32("RUNNER_JOB_TIMEOUT_S", 600);
  run->playbook_timeout_s = env_u32("RUNNER_PLAYBOOK_TIMEOUT_S", 600);
  if (const char* crash = std::getenv("RUNNER_TEST_CRASH_SCENARIO")) run->crash_scenario_key = crash;

  const std::string spool_dir = spool_dir_for(opts.spool_dir, db_url);
  if (provider) {
    run->vm = vm;
    // Clones of runs that died (SIGKILL, power loss) go before this run adds its own.
    try {
      if (auto n = reap_clones(*provider, db_url, {}); n) spdlog::info("reaped {} clone(s) of runs that died", n);
      std::vector<std::string> names;
      for (const auto* s : sel.scenarios)
        for (const auto& h : s->hosts) names.push_back(h.template_name);
      ensure_templates(*provider, *vm->templates, names, {vm->key_path, vm->public_key},
                       (fs::path(runner_state_dir()) / "templates").string());
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      stop_http();
      return exit_code::infrastructure;
    }
  }
  RunActors actors;
  actors.http = http;
  actors.broker = spawn_ram_broker(sys, budget);
  actors.provisioner = spawn_provisioner(sys, db_url, true, run->benchmark_id);
  actors.reporter = spawn_reporter(sys, {db_url, spool_dir, std::chrono::seconds(5), true});
  caf::scoped_actor self{sys};
  self->request(actors.provisioner, caf::infinite, repair_atom::value)
      .receive([](uint64_t n) {
        if (n) spdlog::info("restored the settings of {} agent(s) left overridden by a run that died", n);
      },
               [](caf::error&) {});

  BenchmarkRecord bench;
  bench.id = run->benchmark_id;
  bench.organization_id = run->organization_id;
  bench.tenant_id = run->tenant_id;
  bench.user_id = run->user_id;
  bench.started_at = engine_api::iso8601(std::chrono::system_clock::now());
  std::vector<std::string> selected;
  for (const auto* s : sel.scenarios) selected.push_back(s->key);
  bench.options_json = options_json(opts, selected);
  bench.runner_version = std::string(version()) + " (" + git_commit() + ")";
  bench.scenarios_commit = root.commit;
  self->request(actors.reporter, caf::infinite, bench_start_atom::value, bench).receive([](bool) {}, [](caf::error&) {});
  spdlog::info("benchmark {} started: logs in {}/{}", bench.id, run->runs_dir, bench.id);

  // Iteration order: round by round (every selected scenario once, then again), so a
  // long soak run samples all scenarios evenly even if it is stopped early.
  std::map<std::string, std::uint64_t> expected;  // the broker's packing hint
  if (opts.parallel) try {
      expected = median_durations(db_url, selected);
    } catch (const std::exception& e) {
      spdlog::debug("no duration history: {}", e.what());
    }
  std::vector<std::shared_ptr<const Scenario>> shared;  // one copy per scenario, not per iteration
  for (const auto* s : sel.scenarios) shared.push_back(std::make_shared<const Scenario>(*s));
  std::vector<ScenarioJob> plan;
  for (int i = 1; i <= opts.iterations; ++i)
    for (const auto& s : shared) plan.push_back({s, i, expected.count(s->key) ? expected[s->key] : 0});
  // Parallel: every iteration asks the broker at once (waiting actors are cheap; the
  // broker sees the whole queue and packs it). Otherwise one at a time.
  const std::size_t window = opts.parallel ? std::min<std::size_t>(plan.size(), 4096) : 1;
  auto sup = spawn_supervisor(sys, std::move(plan), run, actors, window);
  signals.start([sup] { caf::anon_send(sup, interrupt_atom::value); });

  std::vector<ScenarioReport> reports;
  self->request(sup, caf::infinite, run_atom::value)
      .receive([&](std::vector<ScenarioReport>& r) { reports = std::move(r); },
               [&](caf::error& e) { spdlog::error("the run failed: {}", sys.render(e)); });
  const bool interrupted = signals.signalled();
  const std::string status = interrupted ? "interrupted" : "completed";
  std::string capacity;
  if (provider) {
    self->request(actors.broker, caf::infinite, stats_atom::value).receive([&](std::string& s) { capacity = std::move(s); },
                                                                           [](caf::error&) {});
    // Anything of this run still there (a crashed scenario actor's clone) goes now.
    try {
      if (auto n = reap_clones(*provider, db_url, {true, false, run->benchmark_id}); n)
        spdlog::warn("removed {} clone(s) left behind by failed scenario actors", n);
    } catch (const std::exception& e) {
      spdlog::warn("could not check for leftover clones: {} (sandbox purge-vms reaps them)", e.what());
    }
  }
  self->request(actors.reporter, caf::infinite, bench_finish_atom::value, bench.id, status,
                engine_api::iso8601(std::chrono::system_clock::now()), capacity)
      .receive([](bool) {}, [](caf::error&) {});
  uint64_t spooled = 0;
  self->request(actors.reporter, caf::infinite, replay_atom::value).receive([&](uint64_t n) { spooled = n; },
                                                                            [](caf::error&) {});

  print_summary(reports, opts.iterations, opts.common.verbosity);
  spdlog::info("benchmark {} {}: reports in benchmarks/scenario_reports of {}", bench.id, status,
               describe_database(db_url));
  if (spooled)
    spdlog::warn("{} report write(s) remain spooled in {}; the next command that reaches the database replays them",
                 spooled, spool_dir);

  for (const caf::actor& a : {caf::actor_cast<caf::actor>(sup), caf::actor_cast<caf::actor>(actors.broker),
                              caf::actor_cast<caf::actor>(actors.provisioner), caf::actor_cast<caf::actor>(actors.reporter),
                              caf::actor_cast<caf::actor>(http)})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return run_exit_code(reports, interrupted, opts.fail_on_error);
}

}  // namespace runner
