#include "app/commands/run_command.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <variant>

#include "actors/http_client.hpp"
#include "actors/provisioner.hpp"
#include "actors/ram_broker.hpp"
#include "actors/reporter.hpp"
#include "adapters/env/env_number.hpp"
#include "actors/system_config.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/spool.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/platform_id.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/log/logging.hpp"
#include "adapters/scenarios/selection.hpp"
#include "adapters/db/run_history.hpp"
#include "adapters/env/state_dir.hpp"
#include "adapters/vm/vm_lifecycle.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/run_outputs.hpp"
#include "app/commands/run_preflight.hpp"
#include "app/commands/vm_support.hpp"
#include "app/preflight.hpp"
#include "app/scenario_source.hpp"
#include "app/signal_watch.hpp"
#include "app/durability.hpp"
#include "app/summary.hpp"
#include "app/version.hpp"
#include "core/run_name.hpp"
#include "adapters/ansible/playbook_runner.hpp"
#include "messages/exit_codes.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

// The run's options as recorded in the Benchmark row: never a secret.
std::string options_json(const RunOptions& o, const std::vector<std::string>& selected,
                         const std::optional<std::string>& baseline_id, std::optional<std::uint64_t> shuffle_seed) {
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return json_dump({{"scenarios", o.scenarios},
                    {"selected", selected},
                    {"source", o.common.source},
                    {"mode", to_string(o.mode)},
                    {"gateway", to_string(o.gateway)},
                    {"iterations", o.iterations},
                    {"main_engine", opt(o.main_engine)},
                    {"secondary_engine", opt(o.secondary_engine)},
                    {"specialty", opt(o.specialty)},
                    {"gateway_engine", opt(o.gateway_engine)},
                    {"gateway_multimodal_engine", opt(o.gateway_multimodal_engine)},
                    {"parallel", o.parallel},
                    {"parallel_ram_cap_gb", opt(o.parallel_ram_cap_gb)},
                    {"vm_templates_path", opt(o.vm_templates_path)},
                    {"fail_on_error", o.fail_on_error.on ? nlohmann::json(o.fail_on_error.text()) : nlohmann::json(false)},
                    {"max_failures", o.max_failures ? nlohmann::json(o.max_failures) : nlohmann::json(nullptr)},
                    {"retries", o.retries},
                    {"exclude", o.exclude},
                    {"limit", opt(o.limit)},
                    {"shuffle_seed", opt(shuffle_seed)},  // the order can be repeated with --shuffle --seed
                    {"chaos", o.chaos},
                    {"chaos_kill", !o.chaos              ? nlohmann::json(nullptr)
                                   : o.kill_command      ? nlohmann::json("command")
                                   : o.kill_url          ? nlohmann::json("url")
                                                         : nlohmann::json("admin restart")},
                    {"baseline", opt(o.baseline)},        // as typed
                    {"baseline_id", opt(baseline_id)},    // what it named then
                    {"max_regression", opt(o.max_regression)}});  // never the kill URL or command: they may carry a token
}

// Stops the long-lived actors when the command returns, whichever way it returns.
class StopOnExit {
 public:
  void add(caf::actor a) { actors_.push_back(std::move(a)); }
  ~StopOnExit() {
    for (const auto& a : actors_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }

 private:
  std::vector<caf::actor> actors_;
};

// What the run executes: the selection, and the memory budget it is admitted under.
struct RunPlan {
  Catalog catalog;      // owns the scenarios the selection points to
  Selection selection;
  std::uint64_t budget = 1;  // host mode: one scenario at a time
};

// Step 2: the selection resolves and (VM modes) fits the templates and the budget.
// An exit code when it does not.
std::variant<std::unique_ptr<RunPlan>, int> plan_run(const RunOptions& opts, const RunPreflight& pre) {
  auto owned = std::make_unique<RunPlan>();  // the selection points into its catalog: never moved
  RunPlan& plan = *owned;
  plan.catalog = load_catalog(pre.root.root);
  print_catalog_problems(plan.catalog);
  std::vector<std::string> items = split_selection(opts.scenarios);
  if (!items.empty() || !opts.check) {
    plan.selection = select_scenarios(plan.catalog, items, opts.exclude);
    for (const auto& e : plan.selection.errors) spdlog::error("{}", e);
    if (!plan.selection.errors.empty()) return exit_code::usage;
    if (auto why = narrow_selection(plan.selection, plan.catalog, opts.exclude, opts.limit); !why.empty()) {
      spdlog::error("{}", why);
      return exit_code::usage;
    }
    spdlog::info("selected {} scenario(s) x {} iteration(s)", plan.selection.scenarios.size(), opts.iterations);
  }
  if (!pre.provider) return owned;
  const auto& scenarios = plan.selection.scenarios;
  const auto& templates = *pre.vm->templates;
  auto errors = check_vm_scenarios(scenarios, templates);
  for (const auto& e : errors) spdlog::error("{}", e);
  if (!errors.empty()) return exit_code::usage;
  for (const auto* s : scenarios) plan.budget = std::max(plan.budget, scenario_memory_mib(*s, templates));
  if (!opts.parallel) return owned;  // sequential: one scenario's clones at a time
  std::string how;
  plan.budget = ram_budget_mib(opts.parallel_ram_cap_gb, how);
  spdlog::info("RAM budget {} MiB ({})", plan.budget, how);
  bool too_big = false;
  for (const auto* s : scenarios)
    if (const auto need = scenario_memory_mib(*s, templates); need > plan.budget) {
      spdlog::error("{}: needs {} MiB for its clones, more than the whole RAM budget of {} MiB ({})", s->key, need,
                    plan.budget, how);
      too_big = true;
    }
  if (too_big) return exit_code::preflight;
  return owned;
}

// Step 3: the settings every scenario-iteration of this run shares.
std::shared_ptr<RunSettings> run_settings(const RunOptions& opts, const Config& cfg, const RunPreflight& pre) {
  auto run = std::make_shared<RunSettings>();
  run->benchmark_id = new_benchmark_id();
  run->mode = opts.mode;
  run->gateway = opts.gateway;
  run->organization_id = canonical_platform_id(cfg.get("ORG_ID"));
  run->tenant_id = canonical_platform_id(cfg.get("TENANT_ID"));
  run->user_id = canonical_platform_id(cfg.get("USER_ID"));
  run->engine_url = engine_api::normalize_base_url(cfg.get("ENGINE_API_URL"));
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
  run->fail_if_host_busy = opts.fail_if_host_busy;
  run->max_failures = opts.max_failures;
  run->retries = opts.retries;
  run->chaos = opts.chaos;
  run->chaos_kill_url = opts.kill_url.value_or("");
  run->chaos_kill_command = opts.kill_command.value_or("");
  // Tuning knobs for tests and soak runs (documented in README).
  const auto week = static_cast<std::uint64_t>(max_timeout_seconds);
  run->poll_initial_ms = static_cast<std::uint32_t>(env_number("RUNNER_POLL_INITIAL_MS", 1'000, 1, 600'000));
  run->poll_max_ms = static_cast<std::uint32_t>(env_number("RUNNER_POLL_MAX_MS", 10'000, 1, 3'600'000));
  run->heartbeat_ms = static_cast<std::uint32_t>(env_number("RUNNER_HEARTBEAT_S", 30, 1, 86'400) * 1000);
  run->default_timeout_s = static_cast<std::uint32_t>(env_number("RUNNER_JOB_TIMEOUT_S", 600, 1, week));
  run->playbook_timeout_s = static_cast<std::uint32_t>(env_number("RUNNER_PLAYBOOK_TIMEOUT_S", 600, 1, week));
  if (const char* crash = std::getenv("RUNNER_TEST_CRASH_SCENARIO")) run->crash_scenario_key = crash;
  run->vm = pre.vm;
  return run;
}

// Iteration order: round by round (every selected scenario once, then again), so a
// long soak run samples all scenarios evenly even if it is stopped early.
std::vector<ScenarioJob> iterations(const RunOptions& opts, const std::vector<const Scenario*>& selected,
                                    const std::string& db_url) {
  std::vector<std::string> keys;
  for (const auto* s : selected) keys.push_back(s->key);
  // The broker's packing hint, and the ETA of the progress display on a terminal.
  std::map<std::string, std::uint64_t> expected;
  if (opts.parallel || stdout_is_tty()) try {
      expected = median_durations(db_url, keys);
    } catch (const std::exception& e) {
      spdlog::debug("no duration history: {}", e.what());
    }
  std::vector<std::shared_ptr<const Scenario>> shared;  // one copy per scenario, not per iteration
  for (const auto* s : selected) shared.push_back(std::make_shared<const Scenario>(*s));
  std::vector<ScenarioJob> plan;
  for (int i = 1; i <= opts.iterations; ++i)
    for (const auto& s : shared) plan.push_back({s, i, expected.count(s->key) ? expected[s->key] : 0});
  return plan;
}

// --shuffle: Fisher-Yates with its own draws from mt19937_64 (whose sequence the
// standard fixes), not std::shuffle (whose use of the generator each standard library
// chooses), so a recorded seed gives the same order on every build.
template <class T>
void shuffle_in_order(std::vector<T>& items, std::uint64_t seed) {
  std::mt19937_64 draw(seed);
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[draw() % i]);
}

// What the run step hands to finalize.
struct RunOutcome {
  BenchmarkRecord bench;
  std::vector<ScenarioReport> reports;
  bool interrupted = false;
  std::string capacity;
};

// Step 4: the actors, the Benchmark row, the supervisor over every iteration.
RunOutcome run_benchmark(caf::actor_system& sys, const RunOptions& opts, const RunPreflight& pre,
                         const RunPlan& plan, std::shared_ptr<RunSettings> run, RunActors& actors,
                         StopOnExit& stop, SignalWatch& signals, const std::optional<std::string>& baseline_id) {
  caf::scoped_actor self{sys};
  self->request(actors.provisioner, caf::infinite, repair_atom::value)
      .receive(
          [](uint64_t n) {
            if (n) spdlog::info("restored the settings of {} agent(s) left overridden by a run that died", n);
          },
          [](caf::error&) {});
  RunOutcome out;
  BenchmarkRecord& bench = out.bench;
  bench.id = run->benchmark_id;
  bench.name = opts.name.value_or(generated_run_name(bench.id));
  bench.organization_id = run->organization_id;
  bench.tenant_id = run->tenant_id;
  bench.user_id = run->user_id;
  bench.started_at = engine_api::iso8601(std::chrono::system_clock::now());
  std::vector<std::string> selected;
  for (const auto* s : plan.selection.scenarios) selected.push_back(s->key);
  // --shuffle: one seed for the run, printed and recorded so the order can be repeated.
  std::optional<std::uint64_t> shuffle_seed;
  if (opts.shuffle) {
    // A drawn seed stays below 2^53, so every JSON reader of the options keeps it exact.
    shuffle_seed = opts.seed ? *opts.seed
                             : ((std::uint64_t{std::random_device{}()} << 32 | std::random_device{}()) & ((1ULL << 53) - 1));
    spdlog::info("--shuffle: iterations in a random order, seed {} (--seed {} repeats it)", *shuffle_seed, *shuffle_seed);
  }
  bench.options_json = options_json(opts, selected, baseline_id, shuffle_seed);
  bench.runner_version = std::string(version()) + " (" + git_commit() + ")";
  bench.scenarios_commit = pre.root.commit;
  self->request(actors.reporter, caf::infinite, bench_start_atom::value, bench).receive([](bool) {}, [](caf::error&) {});
  spdlog::info("benchmark {} ({}) started: logs in {}/{}", bench.id, bench.name, run->runs_dir, bench.id);

  auto jobs = iterations(opts, plan.selection.scenarios, pre.db_url);
  if (shuffle_seed) shuffle_in_order(jobs, *shuffle_seed);
  const std::size_t planned = jobs.size();
  // Parallel: every iteration asks the broker at once (waiting actors are cheap; the
  // broker sees the whole queue and packs it). Otherwise one at a time.
  const std::size_t window = opts.parallel ? std::min<std::size_t>(jobs.size(), 4096) : 1;
  auto sup = spawn_supervisor(sys, std::move(jobs), run, actors, window);
  stop.add(caf::actor_cast<caf::actor>(sup));
  signals.on_signal([sup] { caf::anon_send(sup, interrupt_atom::value); });
  self->request(sup, caf::infinite, run_atom::value)
      .receive([&](std::vector<ScenarioReport>& r) { out.reports = std::move(r); },
               [&](caf::error& e) { spdlog::error("the run failed: {}", sys.render(e)); });
  set_status_line("");  // whatever ended the run, the progress block goes with it
  out.interrupted = signals.signalled();
  if (opts.max_failures && !out.interrupted && out.reports.size() < planned)
    spdlog::warn("stopped early by --max-failures {}: {} of {} scenario-iteration(s) not run", opts.max_failures,
                 planned - out.reports.size(), planned);
  if (pre.provider) {
    self->request(actors.broker, caf::infinite, stats_atom::value)
        .receive([&](std::string& s) { out.capacity = std::move(s); }, [](caf::error&) {});
    // Anything of this run still there (a crashed scenario actor's clone) goes now.
    try {
      if (auto n = reap_clones(*pre.provider, pre.db_url, {true, false, run->benchmark_id}); n)
        spdlog::warn("removed {} clone(s) left behind by failed scenario actors", n);
    } catch (const std::exception& e) {
      spdlog::warn("could not check for leftover clones: {} (sandbox purge-vms reaps them)", e.what());
    }
  }
  return out;
}

// Step 5: the Benchmark row finalized, the spool checked, the summary, the exit code.
int finalize(caf::actor_system& sys, const RunOptions& opts, const RunPreflight& pre, const RunActors& actors,
             const std::string& spool_dir, const RunOutcome& out, const std::optional<std::string>& baseline_id) {
  caf::scoped_actor self{sys};
  const std::string status = out.interrupted ? "interrupted" : "completed";
  const std::string finished_at = engine_api::iso8601(std::chrono::system_clock::now());
  self->request(actors.reporter, caf::infinite, bench_finish_atom::value, out.bench.id, status, finished_at, out.capacity)
      .receive([](bool) {}, [](caf::error&) {});
  // Where every report is, as the reporter knows it; a reporter that cannot answer
  // knows nothing, and nothing it was given is counted as kept.
  ReportLedger ledger;
  ledger.lost = out.reports.size();
  self->request(actors.reporter, caf::infinite, replay_atom::value)
      .receive([&](ReportLedger& l) { ledger = std::move(l); },
               [&](caf::error& e) { spdlog::error("the reporter did not answer: {}", sys.render(e)); });
  set_quiet(false);  // -q hides progress, never the result
  print_summary(out.reports, opts.iterations, opts.common.verbosity);
  spdlog::info("benchmark {} {} on {}", out.bench.id, status, describe_database(pre.db_url));
  for (const auto& [error, line] : durability_lines(ledger, spool_dir)) {
    if (error)
      spdlog::error("{}", line);
    else
      spdlog::info("{}", line);
  }
  // The reports as `report` would show them: the benchmark as finalized, by key then
  // iteration.
  BenchmarkResults results{out.bench, out.reports};
  results.bench.capacity_json = out.capacity;  // as `report` reads it back
  results.bench.status = status;
  results.bench.finished_at = finished_at;
  std::stable_sort(results.reports.begin(), results.reports.end(), [](const auto& a, const auto& b) {
    return std::tie(a.scenario_key, a.iteration) < std::tie(b.scenario_key, b.iteration);
  });
  const int outputs = write_run_outputs(opts, pre.db_url, results, out.interrupted ? std::nullopt : baseline_id);
  if (!all_kept(ledger)) return exit_code::infrastructure;
  const int code = run_exit_code(out.reports, out.interrupted, opts.fail_on_error);
  // 130 and 4 outrank what the outputs add; a regression (1) outranks a pass.
  if (code == exit_code::interrupted || code == exit_code::infrastructure) return code;
  return outputs == exit_code::success ? code : outputs;
}

}  // namespace

int run_run_command(const RunOptions& opts) {
  Config cfg = load_command_config(opts.common);
  SignalWatch signals;  // before any thread starts: they inherit the blocked signals
  signals.start();      // until the run's iterations start, a signal exits at once

  caf::actor_system_config sys_cfg;
  configure_runner_system(sys_cfg);
  caf::actor_system sys{sys_cfg};
  StopOnExit stop;  // declared after the system: the actors stop before it goes
  auto http = spawn_http_client(sys);
  stop.add(caf::actor_cast<caf::actor>(http));

  // 1. pre-flight
  auto pre = run_preflight(opts, cfg, sys, http);
  if (!pre) return exit_code::preflight;
  replay_spooled_reports(pre->db_url, opts.spool_dir);
  // 2. plan
  auto planned = plan_run(opts, *pre);
  if (auto* code = std::get_if<int>(&planned)) return *code;
  const RunPlan& plan = *std::get<std::unique_ptr<RunPlan>>(planned);
  for (const auto& [option, path] : {std::pair{"--junit", opts.junit_file}, std::pair{"--json", opts.json_file}})
    if (path)
      if (auto why = output_path_problem(option, *path); !why.empty()) {
        spdlog::error("{}", why);
        return exit_code::usage;
      }
  std::optional<std::string> baseline_id;
  if (opts.baseline) {
    auto found = resolve_baseline(pre->db_url, cfg.get("ORG_ID"), *opts.baseline);
    if (!found.id) return found.exit_code;
    baseline_id = found.id;
  }
  if (opts.check) {
    spdlog::info("pre-flight passed");
    return exit_code::success;
  }
  // 3. settings; VM modes: dead runs' clones go, missing templates are built
  auto run = run_settings(opts, cfg, *pre);
  if (!run->chaos_kill_command.empty()) try {
      run->chaos_kill_playbook = chaos_kill_playbook();
    } catch (const std::exception& e) {
      spdlog::error("chaos: cannot write the kill playbook: {}", e.what());
      return exit_code::infrastructure;
    }
  if (pre->provider) try {
      // Clones of runs that died (SIGKILL, power loss) go before this run adds its own.
      if (auto n = reap_clones(*pre->provider, pre->db_url, {}); n) spdlog::info("reaped {} clone(s) of runs that died", n);
      std::vector<std::string> names;
      for (const auto* s : plan.selection.scenarios)
        for (const auto& h : s->hosts) names.push_back(h.template_name);
      ensure_templates(*pre->provider, *pre->vm->templates, names, {pre->vm->key_path, pre->vm->public_key},
                       (fs::path(runner_state_dir()) / "templates").string());
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return exit_code::infrastructure;
    }
  // 4. run
  const std::string spool_dir = spool_dir_for(opts.spool_dir, pre->db_url);
  RunActors actors;
  actors.http = http;
  actors.broker = spawn_ram_broker(sys, plan.budget, opts.max_failures);
  actors.provisioner = spawn_provisioner(sys, pre->db_url, true, run->benchmark_id);
  actors.reporter = spawn_reporter(sys, {pre->db_url, spool_dir, std::chrono::seconds(5), true});
  for (const caf::actor& a : {caf::actor_cast<caf::actor>(actors.broker), caf::actor_cast<caf::actor>(actors.provisioner),
                              caf::actor_cast<caf::actor>(actors.reporter)})
    stop.add(a);
  const RunOutcome out = run_benchmark(sys, opts, *pre, plan, run, actors, stop, signals, baseline_id);
  // 5. finalize
  return finalize(sys, opts, *pre, actors, spool_dir, out, baseline_id);
}

}  // namespace runner
