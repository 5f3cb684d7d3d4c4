#include "app/commands/run_outputs.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "app/commands/compare_command.hpp"
#include "adapters/db/report_store.hpp"
#include "app/reports/report_output.hpp"
#include "messages/exit_codes.hpp"

namespace runner {

BaselineLookup resolve_baseline(const std::string& db_url, const std::string& organization_id, const std::string& spec) {
  BaselineLookup out;
  try {
    BenchmarkReader db(db_url, organization_id);
    const BenchmarkLookup found = db.find(spec);
    if (!found.benchmark) {
      spdlog::error("--baseline: {}", found.error);
      out.exit_code = exit_code::usage;
      return out;
    }
    const BenchmarkRecord& b = *found.benchmark;
    // A baseline that did not finish compares against part of a run.
    if (b.status != "completed")
      spdlog::warn("--baseline: benchmark {} ({}) is {}, not completed: its scenarios may be partly run", b.id,
                   b.name.empty() ? "no name" : b.name, b.status);
    out.id = b.id;
  } catch (const DbError& e) {
    spdlog::error("--baseline: {}", e.what());
    out.exit_code = exit_code::preflight;
  }
  return out;
}

std::string output_path_problem(const std::string& option, const std::string& path) {
  if (path == "-") return "";
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return option + ": folder " + dir + " of " + path + " does not exist";
  if (::access(dir.c_str(), W_OK) != 0) return option + ": folder " + dir + " of " + path + " is not writable";
  if (std::filesystem::is_directory(path, ec)) return option + ": " + path + " is a folder";
  return "";
}

int write_run_outputs(const RunOptions& opts, const std::string& db_url, const BenchmarkResults& in_memory,
                      const std::optional<std::string>& baseline_id) {
  int code = exit_code::success;
  // What the files hold is what the database holds: secrets masked, text cleaned.
  BenchmarkResults results = in_memory;
  for (auto& r : results.reports) r = stored_form(r);
  auto write = [&](const std::optional<std::string>& path, const char* what, std::string (*make)(const BenchmarkResults&)) {
    if (!path) return;
    if (auto why = write_report_file(*path, make(results)); !why.empty()) {
      spdlog::error("{}: {}", what, why);
      code = exit_code::infrastructure;
    } else if (*path != "-") {
      spdlog::info("{} report written to {}", what, *path);
    }
  };
  write(opts.junit_file, "--junit", report_junit);
  write(opts.json_file, "--json", report_json);
  // GitHub Actions renders this file on the run's page.
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary) {
    if (auto why = append_report_file(summary, report_markdown(results) + "\n"); !why.empty()) {
      spdlog::error("GITHUB_STEP_SUMMARY: {}", why);
      code = exit_code::infrastructure;
    }
  }
  if (!baseline_id) return code;
  try {
    BenchmarkReader db(db_url);
    const BenchmarkLookup base = db.find(*baseline_id);
    if (!base.benchmark) throw DbError(DbError::Kind::query, base.error);
    GateSettings gate;
    gate.max_regression = opts.max_regression;
    const auto rows = compare_results(db.reports(*baseline_id, {}, false), results.reports, gate);
    spdlog::info("");
    print_comparison(base.benchmark->name.empty() ? *baseline_id : base.benchmark->name, results.bench.id, rows);
    std::size_t compared = 0;
    for (const auto& c : rows) {
      compared += c.base && c.now;
      if (c.regressed && code == exit_code::success) code = exit_code::scenarios_failed;
    }
    // A gate that compared nothing must not pass as if it had looked.
    if (compared == 0) {
      spdlog::error("--baseline: no scenario of this run is in benchmark {}: the regression gate compared nothing",
                    *baseline_id);
      code = exit_code::infrastructure;
    }
  } catch (const DbError& e) {
    spdlog::error("--baseline: the baseline could not be read, so the regression gate was not evaluated: {}", e.what());
    code = exit_code::infrastructure;
  }
  return code;
}

}  // namespace runner
