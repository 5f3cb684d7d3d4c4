#pragma once
// The command line (CLI11): subcommands, options, and the usage rules that make a
// command line an error (exit 2, one line naming the option).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/fail_gate.hpp"

#include "core/run_mode.hpp"

namespace runner {

// Options shared by every subcommand that reads scenarios and configuration.
struct CommonOptions {
  std::string source = "git";        // git | fs
  std::optional<std::string> scenarios_path;
  std::optional<std::string> env_file;
  std::optional<std::string> log_file;
  int verbosity = 0;                 // -v = 1, -vv = 2
  std::string color = "auto";        // --color auto|always|never
  bool quiet = false;                // run -q: no progress lines (warnings, errors, the summary only)
};

struct RunOptions {
  CommonOptions common;
  std::string scenarios;             // -s, raw comma-separated list
  RunMode mode = RunMode::host;      // parsed once here; printed by to_string
  GatewayKind gateway = GatewayKind::runner;
  int iterations = 1;
  std::optional<std::string> vm_templates_path;
  std::optional<std::string> main_engine, secondary_engine, specialty;
  std::optional<std::string> gateway_engine, gateway_multimodal_engine;
  bool parallel = false;
  std::optional<double> parallel_ram_cap_gb;
  FailGate fail_on_error;            // --fail-on-error [N|P%]
  int retries = 0;                   // --retries N: infrastructure errors run again (core/retries.hpp)
  std::uint32_t max_failures = 0;    // --max-failures N / -x: no new iterations after N not passed (0: none)
  std::vector<std::string> exclude;  // --exclude SEL (same syntax as -s), items
  std::optional<int> limit;          // --limit N: the first N scenarios of the selection
  bool shuffle = false;              // --shuffle: the iterations in a random order ...
  std::optional<std::uint64_t> seed; // ... from this seed (default: a random one, recorded)
  bool fail_if_host_busy = false;    // host mode: another runner's iteration holds a host
  bool check = false;                // pre-flight only
  std::optional<std::string> spool_dir;  // where reports wait while the database is away
  bool chaos = false;                // `chaos`: kill the engine in each job's first task
  std::optional<std::string> kill_url;  // chaos: POST here ("" = the engine's admin restart)
  std::optional<std::string> kill_command;  // chaos: run this on the scenario's hosts through Ansible
  std::optional<std::string> name;      // the benchmark's name (default: generated)
  std::optional<std::string> junit_file, json_file;  // reports written at the end
  std::optional<std::string> baseline;  // compare with this benchmark at the end; a regression exits 1
  std::optional<double> max_regression;  // with baseline: a drop larger than this fails too (0..1)
};

// `runs`: the recent benchmarks.
struct RunsOptions {
  CommonOptions common;
  int limit = 20;
  bool json = false;
};

// `report BENCH`: one stored benchmark in a format people or CI read.
struct ReportOptions {
  CommonOptions common;
  std::string benchmark;               // ID, unique ID prefix, name or latest
  std::string format = "table";        // table | json | junit | markdown
  std::optional<std::string> output;   // -o FILE ("-" or absent: stdout)
};

// `history`: scenarios across the stored runs.
struct HistoryOptions {
  CommonOptions common;
  std::string scenarios;  // optional selection (keys, tags, globs)
  int last = 20;
  bool json = false;
};

// `compare BASE NEW`: two benchmarks scenario by scenario.
struct CompareOptions {
  CommonOptions common;
  std::string base, now;
  bool json = false;
  std::optional<double> max_regression;  // a drop larger than this counts as a regression too
};

struct ListOptions {
  CommonOptions common;
  std::string scenarios;             // optional selection
  bool json = false;
};

// `validate`: lint scenarios, or re-score a stored benchmark (runner-reference.md 3.7).
struct ValidateOptions {
  CommonOptions common;
  std::string scenarios;                 // optional selection (default: all)
  bool json = false;
  bool strict = false;                   // warnings fail too
  std::optional<std::string> benchmark;  // re-score this benchmark instead of linting
  bool write = false;                    // store the re-score as a new benchmark
};

// `flush`: delete what runs produced (runner-reference.md 3.7).
struct FlushOptions {
  CommonOptions common;
  std::vector<std::string> benchmarks;   // --benchmark (ID, prefix, name or latest), repeatable
  std::vector<std::string> names;        // --name: every benchmark of that name, repeatable
  std::optional<long long> older_than_s; // --older-than 30d|12h|90m|2w
  bool yes = false;                      // no question, for scripts
  bool dry_run = false;                  // say what would go, delete nothing
  std::optional<std::string> spool_dir;
};

struct DbOptions {
  CommonOptions common;
  std::optional<std::string> spool_dir;
};

// `sandbox prepare|restore|create|delete|purge-vms` (runner-reference.md 3.6).
struct SandboxOptions {
  enum class Action { prepare, restore, create, remove, purge } action = Action::prepare;
  CommonOptions common;
  std::string scenarios;             // prepare/restore: selection; delete: the VM name
  std::optional<RunMode> mode = RunMode::host;  // purge-vms: nullopt = both providers
  std::optional<std::string> vm_templates_path;
  std::optional<std::string> specialty;
  std::string template_name;         // create
  std::optional<std::string> name;   // create: -n
};

struct Command {
  enum class Kind { run, list, db_migrate, sandbox, validate, flush, runs, report, compare, history } kind = Kind::run;
  RunOptions run;
  ListOptions list;
  DbOptions db;
  SandboxOptions sandbox;
  ValidateOptions validate;
  FlushOptions flush;
  RunsOptions runs;
  ReportOptions report;
  CompareOptions compare;
  HistoryOptions history;

  const CommonOptions& common() const {
    switch (kind) {
      case Kind::run: return run.common;
      case Kind::list: return list.common;
      case Kind::sandbox: return sandbox.common;
      case Kind::validate: return validate.common;
      case Kind::flush: return flush.common;
      case Kind::runs: return runs.common;
      case Kind::report: return report.common;
      case Kind::compare: return compare.common;
      case Kind::history: return history.common;
      case Kind::db_migrate: break;
    }
    return db.common;
  }
};

struct CliOutcome {
  std::optional<Command> command;  // set when the program should go on
  int exit_code = 0;               // otherwise: exit with this
  std::string out;                 // text for stdout (help, version)
  std::string error;               // one line for stderr, without "error: "
};

CliOutcome parse_command_line(int argc, const char* const* argv);

}  // namespace runner
