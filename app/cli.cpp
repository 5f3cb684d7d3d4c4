#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <type_traits>
#include <utility>
#include <sstream>

#include "adapters/scenarios/selection.hpp"
#include "adapters/text/utf8.hpp"
#include "app/version.hpp"
#include "core/run_name.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

struct UsageError {
  std::string message;
};

void add_output_options(CLI::App* sub, CommonOptions& c) {
  sub->add_option("--env-file", c.env_file,
                  "Env file (default: /etc/2501/env.runner, then ./.env; the process environment wins)");
  sub->add_option("--log-file", c.log_file, "Mirror all output, ANSI codes stripped, to this file (appended)");
  sub->add_flag("-v,--verbose", c.verbosity, "-v: show failed checks; -vv: show every check and debug output");
  sub->add_option("--color", c.color, "Colour: auto (a terminal, NO_COLOR unset, TERM not dumb) | always | never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

constexpr const char* help_footer = R"(Examples:
  2501-runner run -s smoke --source fs -p examples/scenarios
  2501-runner run -s disk -i 5 --name nightly --junit results.xml --baseline nightly --max-regression 10%
  2501-runner run -s web -m incus --parallel --parallel-ram-cap 16
  2501-runner report latest -f markdown
  2501-runner compare nightly latest

Exit codes: 0 success; 1 --fail-on-error and something did not pass, or a --baseline
regression; 2 usage or scenario error; 3 pre-flight failed; 4 infrastructure error
(an iteration ended in error, a report was lost, a --junit/--json file could not be
written, or the --baseline gate could not be evaluated); 130 interrupted.

Environment (or an env file: --env-file, /etc/2501/env.runner, ./.env):
  DATABASE_URL, ORG_ID, TENANT_ID, USER_ID          the platform's database and identity
  ENGINE_API_URL, ENGINE_API_KEY                    the engine (runner gateway)
  SERVICENOW_API_URL, SERVICENOW_USERNAME, SERVICENOW_PASSWORD,
  SERVICENOW_ASSIGNMENT_GROUP_ID, SERVICENOW_CALLER_ID   the ServiceNow gateway
  GIT_RUNNER_REPOSITORY, GIT_RUNNER_PAT, GIT_RUNNER_USERNAME, GIT_REF
                                                    the git source of scenarios
  NO_COLOR, TERM=dumb                               no colour
  GITHUB_STEP_SUMMARY                               run appends its Markdown summary here
See README.md for every RUNNER_* tuning variable.)";

void add_common(CLI::App* sub, CommonOptions& c) {
  sub->add_option("--source", c.source, "Where scenarios come from: git | fs (default: git)")->type_name("{git,fs}");
  sub->add_option("-p,--scenarios-path", c.scenarios_path,
                  "Scenarios root (with --source git: relative to the repository root)");
  add_output_options(sub, c);
}

void expect_one_of(const std::string& option, const std::string& value, std::initializer_list<const char*> allowed) {
  std::string list;
  std::size_t i = 0;
  for (const char* a : allowed) {
    if (value == a) return;
    list += (i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", ")) + std::string(a);
    ++i;
  }
  throw UsageError{option + ": unknown value '" + value + "' (expected " + list + ")"};
}

// The number `raw` starts with and how many characters it took (0: none).
template <class T>
std::pair<T, std::size_t> leading_number(const std::string& raw) {
  std::size_t used = 0;
  T v{};
  try {
    if constexpr (std::is_integral_v<T>)
      v = std::stoll(raw, &used);
    else
      v = std::stod(raw, &used);
  } catch (...) {
    used = 0;
  }
  return {v, used};
}

// The whole of `raw` as an integer from lo to hi, or nullopt.
std::optional<long long> integer_in(const std::string& raw, long long lo, long long hi) {
  auto [v, used] = leading_number<long long>(raw);
  if (raw.empty() || used != raw.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

int parse_iterations(const std::string& raw) {
  if (auto v = integer_in(raw, 1, 1'000'000)) return static_cast<int>(*v);
  throw UsageError{"-i/--iter: '" + raw + "' is not an integer >= 1"};
}

double parse_gigabytes(const std::string& raw) {
  auto [v, used] = leading_number<double>(raw);
  if (used != raw.size() || raw.empty() || !std::isfinite(v) || v <= 0)
    throw UsageError{"--parallel-ram-cap: '" + raw + "' is not a positive number of GB"};
  return v;
}

// "30d", "12h", "90m", "2w": seconds.
long long parse_age(const std::string& raw) {
  auto [n, used] = leading_number<long long>(raw);
  const std::string unit = raw.substr(std::min(used, raw.size()));
  static const std::pair<const char*, long long> units[] = {{"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 604800}};
  for (const auto& [u, seconds] : units)
    if (used > 0 && n > 0 && unit == u && n <= 36500LL * 86400 / seconds) return n * seconds;
  throw UsageError{"--older-than: '" + raw + "' is not an age such as 30d, 12h, 90m or 2w"};
}

// "0.1" or "10%": a share of the pass rate, 0..1.
double parse_fraction(const std::string& option, const std::string& raw) {
  auto [v, used] = leading_number<double>(raw);
  const bool percent = used > 0 && used + 1 == raw.size() && raw.back() == '%';
  if (percent) v /= 100;
  if ((used != raw.size() && !percent) || raw.empty() || !std::isfinite(v) || v < 0 || v > 1)
    throw UsageError{option + ": '" + raw + "' is not a share of the pass rate such as 0.1 or 10%"};
  return v;
}

int parse_limit(const std::string& option, const std::string& raw) {
  if (auto v = integer_in(raw, 1, 100000)) return static_cast<int>(*v);
  throw UsageError{option + ": '" + raw + "' is not an integer from 1 to 100000"};
}

void check_run(RunOptions& r, const std::string& mode_raw, const std::string& gateway_raw, const std::string& iter_raw,
               const std::optional<std::string>& cap_raw, const std::optional<std::string>& regression_raw) {
  expect_one_of("--source", r.common.source, {"git", "fs"});
  expect_one_of("-m/--mode", mode_raw, {"host", "incus", "lima"});
  expect_one_of("-g/--gateway", gateway_raw, {"runner", "servicenow"});
  r.mode = *parse_run_mode(mode_raw);
  r.gateway = *parse_gateway(gateway_raw);
  r.iterations = parse_iterations(iter_raw);
  if (r.scenarios.empty() && !r.check)
    throw UsageError{"-s/--scenarios is required (scenario keys or tags, comma-separated)"};
  if (r.parallel && !is_vm_mode(r.mode)) throw UsageError{"--parallel requires -m incus or -m lima"};
  if (cap_raw) {
    if (!r.parallel) throw UsageError{"--parallel-ram-cap requires --parallel"};
    r.parallel_ram_cap_gb = parse_gigabytes(*cap_raw);
  }
  if (r.name)
    if (auto why = run_name_problem(*r.name)) throw UsageError{"--name: '" + printable(*r.name) + "' " + *why};
  if (regression_raw) {
    if (!r.baseline) throw UsageError{"--max-regression requires --baseline"};
    r.max_regression = parse_fraction("--max-regression", *regression_raw);
  }
}

}  // namespace

CliOutcome parse_command_line(int argc, const char* const* argv) {
  CliOutcome outcome;
  Command cmd;
  CLI::App app{"2501-runner: benchmark runner for autonomous IT-operations agents", "2501-runner"};
  app.set_version_flag("-V,--version", std::string("2501-runner ") + version() + " (commit " + git_commit() + ")");
  app.require_subcommand(1);
  app.footer(help_footer);

  RunOptions& r = cmd.run;
  std::string iter_raw = "1", mode_raw = "host", gateway_raw = "runner";
  std::optional<std::string> cap_raw, regression_raw;
  std::vector<std::string> fail_raw;
  std::optional<std::string> max_failures_raw, run_limit_raw, seed_raw, exclude_raw, retries_raw;
  bool stop_first = false;
  // `run` and `chaos` take the same options; chaos adds how the engine is killed.
  auto add_run_options = [&](CLI::App* sub) {
    sub->add_option("-s,--scenarios", r.scenarios, "Scenario keys, tags or key globs, comma-separated (required)");
    add_common(sub, r.common);
    sub->add_option("-m,--mode", mode_raw, "Execution mode: host | incus | lima (default: host)")->type_name("{host,incus,lima}");
    sub->add_option("-g,--gateway", gateway_raw, "Gateway for tickets: runner | servicenow (default: runner)")
        ->type_name("{runner,servicenow}");
    sub->add_option("-i,--iter", iter_raw, "Iterations per scenario (default: 1)")->type_name("INT");
    sub->add_option("--vm-templates-path", r.vm_templates_path, "VM templates folder (incus/lima modes)");
    sub->add_option("--main-engine", r.main_engine, "Override the main engine of every agent in this run");
    sub->add_option("--secondary-engine", r.secondary_engine, "Override the secondary engine of every agent");
    sub->add_option("--specialty", r.specialty, "Override the specialty of every agent in this run");
    sub->add_option("--gateway-engine", r.gateway_engine, "Override the tenant llm_model for runner-gateway tickets");
    sub->add_option("--gateway-multimodal-engine", r.gateway_multimodal_engine,
                    "Override the tenant multimodal_llm_model for runner-gateway tickets");
    sub->add_flag("--parallel", r.parallel, "Run scenarios concurrently within the RAM budget (incus/lima only)");
    sub->add_option("--parallel-ram-cap", cap_raw, "Cap of the parallel RAM budget in GB (requires --parallel)")
        ->type_name("GB");
    sub->add_option("--fail-on-error", fail_raw,
                    "Exit 1 when any scenario-iteration did not pass; with N, when more than N did; with P%, when "
                    "more than P percent did")
        ->expected(0, 1)
        ->allow_extra_args(false)
        ->type_name("[N|P%]");
    sub->add_option("--max-failures", max_failures_raw,
                    "Start no new iteration once N did not pass; the running ones finish and restore")
        ->type_name("INT");
    sub->add_flag("-x", stop_first, "Same as --max-failures 1");
    sub->add_option("--retries", retries_raw,
                    "Run an iteration that ended in an infrastructure error again, up to N times (never an agent's "
                    "failure; default 0)")
        ->type_name("INT");
    sub->add_option("--exclude", exclude_raw, "Leave out these keys, tags or key globs (same syntax as -s)");
    sub->add_option("--limit", run_limit_raw, "Run only the first N scenarios of the selection (by key)")->type_name("INT");
    sub->add_flag("--shuffle", r.shuffle, "Run the scenario-iterations in a random order (the seed is printed and recorded)");
    sub->add_option("--seed", seed_raw, "With --shuffle: the order's seed, to repeat an order")->type_name("INT");
    sub->add_flag("--fail-if-host-busy", r.fail_if_host_busy,
                  "Host mode: an iteration whose host another runner holds errors at once instead of waiting for it");
    sub->add_flag("--check", r.check, "Run the pre-flight checks only, then exit");
    sub->add_option("--spool-dir", r.spool_dir,
                    "Where reports wait while the database is unreachable (default: $XDG_STATE_HOME/2501-runner/spool)");
    sub->add_flag("-q,--quiet", r.common.quiet,
                  "No progress lines on the console: warnings, errors and the final summary only (--log-file gets all)");
    sub->add_option("--name", r.name, "Name of the benchmark, to find it again by (default: generated, e.g. brisk-otter-3f2a)");
    sub->add_option("--junit", r.junit_file, "Write the JUnit XML report to this file at the end");
    sub->add_option("--json", r.json_file, "Write the JSON report (docs/report-format.md) to this file at the end");
    sub->add_option("--baseline", r.baseline,
                    "Compare with this benchmark (ID, prefix, name or latest) at the end; exit 1 on a regression");
    sub->add_option("--max-regression", regression_raw,
                    "With --baseline: a pass-rate drop larger than this (0.1 or 10%) is a regression even when not significant")
        ->type_name("SHARE");
  };
  CLI::App* run = app.add_subcommand("run", "Run scenarios and report the benchmark (alias: start)");
  run->alias("start");
  add_run_options(run);
  CLI::App* chaos = app.add_subcommand(
      "chaos", "Run scenarios as `run` does, killing the engine in each job's first task; measure the recovery");
  add_run_options(chaos);
  auto* kill_url = chaos->add_option("--kill-url", r.kill_url,
                                     "POST here to kill the engine (default: ENGINE_API_URL/api/v1/admin/restart)");
  chaos->add_option("--kill-command", r.kill_command,
                    "Kill the engine with this shell command, run through Ansible on every host of the scenario "
                    "(e.g. 'systemctl restart 2501-agent')")
      ->excludes(kill_url);

  ListOptions& l = cmd.list;
  CLI::App* list = app.add_subcommand("list", "List the scenarios a selection resolves to");
  list->add_option("-s,--scenarios", l.scenarios, "Scenario keys, tags or key globs (default: all)");
  add_common(list, l.common);
  list->add_flag("--json", l.json, "Print one JSON array instead of a table");

  ValidateOptions& v = cmd.validate;
  CLI::App* validate = app.add_subcommand(
      "validate", "Lint scenarios (exit 2 on errors), or re-score a stored benchmark with --benchmark");
  validate->add_option("-s,--scenarios", v.scenarios, "Scenario keys, tags or key globs (default: all)");
  add_common(validate, v.common);
  validate->add_flag("--json", v.json, "Print one JSON document instead of lines");
  validate->add_flag("--strict", v.strict, "Warnings fail too (exit 2)");
  validate->add_option("--benchmark", v.benchmark,
                       "Re-score this benchmark (ID, unique ID prefix, name or latest) with the current rules");
  validate->add_flag("--write", v.write, "With --benchmark: store the new scores as a new benchmark linked to it");

  FlushOptions& f = cmd.flush;
  std::optional<std::string> older_raw;
  CLI::App* flush = app.add_subcommand("flush", "Delete benchmarks: their reports, run logs and spooled reports");
  flush->add_option("--benchmark", f.benchmarks, "Benchmark to delete (ID, unique ID prefix, name or latest); repeatable");
  flush->add_option("--name", f.names, "Delete every benchmark of this name (runs named with run --name); repeatable");
  flush->add_option("--older-than", older_raw, "Delete benchmarks started longer ago than this (30d, 12h, 90m, 2w)")
      ->type_name("AGE");
  flush->add_flag("-y,--yes", f.yes, "Delete without asking (needed when stdin is not a terminal)");
  flush->add_flag("--dry-run", f.dry_run, "Say what would be deleted, delete nothing");
  flush->add_option("--spool-dir", f.spool_dir, "Spool folder of this database (default: as for run)");
  add_output_options(flush, f.common);

  RunsOptions& rs = cmd.runs;
  std::string limit_raw = "20";
  CLI::App* runs = app.add_subcommand("runs", "List the recent benchmarks: name, start, status, mode, gateway, pass rate");
  runs->add_option("--limit", limit_raw, "How many (default: 20)")->type_name("INT");
  runs->add_flag("--json", rs.json, "Print one JSON array instead of a table");
  add_output_options(runs, rs.common);

  ReportOptions& rp = cmd.report;
  CLI::App* report = app.add_subcommand("report", "Show a stored benchmark: table, json, junit, markdown or html");
  report->add_option("benchmark", rp.benchmark, "Benchmark: ID, unique ID prefix, name or latest")->required();
  report->add_option("-f,--format", rp.format, "table | json | junit | markdown | html (default: table)")
      ->type_name("{table,json,junit,markdown,html}");
  report->add_option("-o,--output", rp.output, "Write to this file instead of stdout");
  add_output_options(report, rp.common);

  CompareOptions& cp = cmd.compare;
  std::optional<std::string> cmp_regression_raw;
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare two benchmarks per scenario: pass rates, 95% interval, Fisher's exact p-value; exit 1 on a regression");
  compare->add_option("base", cp.base, "The baseline benchmark: ID, unique ID prefix, name or latest")->required();
  compare->add_option("new", cp.now, "The benchmark compared with it")->required();
  compare->add_flag("--json", cp.json, "Print one JSON document instead of a table");
  compare->add_option("--max-regression", cmp_regression_raw,
                      "A pass-rate drop larger than this (0.1 or 10%) is a regression even when not significant")
      ->type_name("SHARE");
  add_output_options(compare, cp.common);

  HistoryOptions& hs = cmd.history;
  std::string last_raw = "20";
  CLI::App* history = app.add_subcommand(
      "history", "Scenarios across the stored runs: pass rate run by run, verdict flips (flakiness), last change");
  history->add_option("-s,--scenarios", hs.scenarios, "Scenario keys, tags or key globs (default: all)");
  history->add_option("--last", last_raw, "How many of the newest runs (default: 20)")->type_name("INT");
  history->add_flag("--json", hs.json, "Print one JSON array instead of a table");
  add_output_options(history, hs.common);

  DbOptions& d = cmd.db;
  CLI::App* db = app.add_subcommand("db", "Database maintenance");
  db->require_subcommand(1);
  CLI::App* migrate = db->add_subcommand("migrate", "Apply the schema migrations to DATABASE_URL (idempotent)");
  add_output_options(migrate, d.common);
  migrate->add_option("--spool-dir", d.spool_dir, "Spool to replay once the database answers");

  SandboxOptions& x = cmd.sandbox;
  std::string sb_mode_raw = "host";
  CLI::App* sandbox = app.add_subcommand("sandbox", "Environments to look at by hand, standalone VMs, clean-up");
  sandbox->require_subcommand(1);
  CLI::App* sb_prepare = sandbox->add_subcommand("prepare", "Build scenarios' environments and run prepare.yml; no ticket");
  CLI::App* sb_restore = sandbox->add_subcommand("restore", "Undo `sandbox prepare` for these scenarios");
  for (CLI::App* sub : {sb_prepare, sb_restore}) {
    sub->add_option("-s,--scenarios", x.scenarios, "Scenario keys or tags, comma-separated (required)")->required();
    sub->add_option("-m,--mode", sb_mode_raw, "host | incus | lima (default: host; restore must match prepare)")
        ->type_name("{host,incus,lima}");
    add_common(sub, x.common);
    sub->add_option("--vm-templates-path", x.vm_templates_path, "VM templates folder");
  }
  sb_prepare->add_option("--specialty", x.specialty, "Specialty of the agents created (VM modes)");
  CLI::App* sb_create = sandbox->add_subcommand("create", "Make one standalone VM, registered as a host and an agent");
  sb_create->add_option("--template", x.template_name, "Template to clone (required)")->required();
  sb_create->add_option("-m,--mode", sb_mode_raw, "incus | lima (required)")->required()->type_name("{incus,lima}");
  sb_create->add_option("-n,--name", x.name, "Name of the VM, the host and the agent (default: generated)");
  sb_create->add_option("--specialty", x.specialty, "Specialty of the agent (default: SERVICES_MANAGER)");
  sb_create->add_option("--vm-templates-path", x.vm_templates_path, "VM templates folder");
  add_output_options(sb_create, x.common);
  CLI::App* sb_delete = sandbox->add_subcommand("delete", "Destroy a VM made by `sandbox create` and its rows");
  sb_delete->add_option("-s,--name", x.scenarios, "Name of the VM (required)")->required();
  sb_delete->add_option("-m,--mode", sb_mode_raw, "incus | lima (required)")->required()->type_name("{incus,lima}");
  add_output_options(sb_delete, x.common);
  CLI::App* sb_purge = sandbox->add_subcommand("purge-vms", "Delete clones of dead runs and of sandbox prepare");
  sb_purge->add_option("-m,--mode", sb_mode_raw, "incus | lima (default: both)")->type_name("{incus,lima}");
  add_output_options(sb_purge, x.common);

  CLI::App* help = app.add_subcommand("help", "Show the help of the program or of a command");
  std::vector<std::string> help_topic;
  help->add_option("command", help_topic, "A command, e.g. run or sandbox prepare");

  std::ostringstream out, err;
  try {
    // A first word that names no command: say which one was probably meant.
    if (argc > 1 && argv[1][0] != '-') {
      const std::string word = argv[1];
      bool known = false;
      std::string best;
      std::size_t best_distance = 3;  // at most two edits away
      for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
        std::vector<std::string> names = {s->get_name()};
        for (const auto& a : s->get_aliases()) names.push_back(a);
        for (const auto& n : names) {
          if (n == word) known = true;
          if (const auto d = edit_distance(word, n); d < best_distance) best_distance = d, best = n;
        }
      }
      if (!known)
        throw UsageError{"unknown command '" + word + "'" + (best.empty() ? "" : " (did you mean '" + best + "'?)") +
                         "; 2501-runner --help lists the commands"};
    }
    app.parse(argc, argv);
    if (help->parsed()) {
      CLI::App* topic = &app;
      for (const auto& word : help_topic) {
        CLI::App* next = nullptr;
        try {
          next = topic->get_subcommand(word);
        } catch (const CLI::OptionNotFound&) {
        }
        if (!next) throw UsageError{"help: no command '" + word + "'"};
        topic = next;
      }
      outcome.out = topic->help();
      outcome.exit_code = exit_code::success;
      return outcome;
    }
    if (sandbox->parsed()) {
      cmd.kind = Command::Kind::sandbox;
      if (sb_prepare->parsed() || sb_restore->parsed()) {
        x.action = sb_prepare->parsed() ? SandboxOptions::Action::prepare : SandboxOptions::Action::restore;
        expect_one_of("--source", x.common.source, {"git", "fs"});
        expect_one_of("-m/--mode", sb_mode_raw, {"host", "incus", "lima"});
        x.mode = parse_run_mode(sb_mode_raw);
      } else if (sb_create->parsed() || sb_delete->parsed()) {
        x.action = sb_create->parsed() ? SandboxOptions::Action::create : SandboxOptions::Action::remove;
        expect_one_of("-m/--mode", sb_mode_raw, {"incus", "lima"});
        x.mode = parse_run_mode(sb_mode_raw);
      } else {
        x.action = SandboxOptions::Action::purge;
        if (!sb_purge->get_option("--mode")->count()) {
          x.mode = std::nullopt;
        } else {
          expect_one_of("-m/--mode", sb_mode_raw, {"incus", "lima"});
          x.mode = parse_run_mode(sb_mode_raw);
        }
      }
    } else if (run->parsed() || chaos->parsed()) {
      cmd.kind = Command::Kind::run;
      r.chaos = chaos->parsed();
      check_run(r, mode_raw, gateway_raw, iter_raw, cap_raw, regression_raw);
      CLI::App* sub = run->parsed() ? run : chaos;
      if (sub->get_option("--fail-on-error")->count()) {
        if (fail_raw.size() > 1) throw UsageError{"--fail-on-error: give it once, with at most one threshold"};
        const std::string raw = fail_raw.empty() ? "" : fail_raw.front();
        auto gate = parse_fail_gate(raw);
        if (!gate) throw UsageError{"--fail-on-error: '" + printable(raw) + "' is not a count such as 3 or a share such as 10%"};
        r.fail_on_error = *gate;
      }
      if (stop_first && max_failures_raw) throw UsageError{"-x is --max-failures 1: give one of them"};
      if (stop_first) r.max_failures = 1;
      if (max_failures_raw) r.max_failures = static_cast<std::uint32_t>(parse_limit("--max-failures", *max_failures_raw));
      if (exclude_raw) {
        r.exclude = split_selection(*exclude_raw);
        if (r.exclude.empty()) throw UsageError{"--exclude: no key, tag or glob given"};
      }
      if (run_limit_raw) r.limit = parse_limit("--limit", *run_limit_raw);
      if (retries_raw) {
        auto v = integer_in(*retries_raw, 0, 100);
        if (!v) throw UsageError{"--retries: '" + printable(*retries_raw) + "' is not an integer from 0 to 100"};
        r.retries = static_cast<int>(*v);
        // A retry would kill the engine again and drop what the first kill did.
        if (r.retries && chaos->parsed()) throw UsageError{"--retries: not with chaos (each attempt would be killed again)"};
      }
      if (seed_raw) {
        if (!r.shuffle) throw UsageError{"--seed requires --shuffle"};
        std::uint64_t v = 0;
        const char* end = seed_raw->data() + seed_raw->size();
        auto [stop, ec] = std::from_chars(seed_raw->data(), end, v);
        if (ec != std::errc() || stop != end || seed_raw->empty())
          throw UsageError{"--seed: '" + printable(*seed_raw) + "' is not an integer from 0 to 18446744073709551615"};
        r.seed = v;
      }
      if (r.kill_command && r.kill_command->find_first_not_of(" \t") == std::string::npos)
        throw UsageError{"--kill-command: the command is empty"};
    } else if (validate->parsed()) {
      cmd.kind = Command::Kind::validate;
      expect_one_of("--source", v.common.source, {"git", "fs"});
      if (v.write && !v.benchmark) throw UsageError{"--write requires --benchmark"};
    } else if (flush->parsed()) {
      cmd.kind = Command::Kind::flush;
      if ((!f.benchmarks.empty()) + (!f.names.empty()) + (older_raw ? 1 : 0) != 1)
        throw UsageError{"flush needs exactly one of --benchmark, --name or --older-than"};
      if (older_raw) f.older_than_s = parse_age(*older_raw);
    } else if (runs->parsed()) {
      cmd.kind = Command::Kind::runs;
      rs.limit = parse_limit("--limit", limit_raw);
    } else if (report->parsed()) {
      cmd.kind = Command::Kind::report;
      expect_one_of("-f/--format", rp.format, {"table", "json", "junit", "markdown", "html"});
      if (rp.output && rp.format == "table") throw UsageError{"-o/--output needs -f json, junit, markdown or html (the table is for the console)"};
    } else if (history->parsed()) {
      cmd.kind = Command::Kind::history;
      hs.last = parse_limit("--last", last_raw);
    } else if (compare->parsed()) {
      cmd.kind = Command::Kind::compare;
      if (cmp_regression_raw) cp.max_regression = parse_fraction("--max-regression", *cmp_regression_raw);
    } else if (migrate->parsed()) {
      cmd.kind = Command::Kind::db_migrate;
    } else {
      cmd.kind = Command::Kind::list;
      expect_one_of("--source", l.common.source, {"git", "fs"});
    }
  } catch (const CLI::CallForHelp& e) {
    app.exit(e, out, err);
    outcome.out = out.str();
    outcome.exit_code = exit_code::success;
    return outcome;
  } catch (const CLI::CallForVersion& e) {
    outcome.out = std::string(e.what()) + "\n";
    outcome.exit_code = exit_code::success;
    return outcome;
  } catch (const CLI::ParseError& e) {
    outcome.error = e.what();
    outcome.exit_code = exit_code::usage;
    return outcome;
  } catch (const UsageError& e) {
    outcome.error = e.message;
    outcome.exit_code = exit_code::usage;
    return outcome;
  }
  outcome.command = std::move(cmd);
  return outcome;
}

}  // namespace runner
