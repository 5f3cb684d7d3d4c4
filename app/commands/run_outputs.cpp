#include "app/commands/run_outputs.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "app/commands/compare_command.hpp"
#include "app/reports/report_output.hpp"
#include "messages/exit_codes.hpp"

namespace runner {

std::optional<std::string> resolve_baseline(const std::string& db_url, const std::string& spec) {
  try {
    BenchmarkReader db(db_url);
    const BenchmarkLookup found = db.find(spec);
    if (!found.benchmark) {
      spdlog::error("--baseline: {}", found.error);
      return std::nullopt;
    }
    return found.benchmark->id;
  } catch (const DbError& e) {
    spdlog::error("--baseline: {}", e.what());
    return std::nullopt;
  }
}

int write_run_outputs(const RunOptions& opts, const std::string& db_url, const BenchmarkResults& results,
                      const std::optional<std::string>& baseline_id) {
  int code = exit_code::success;
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
    const auto rows = compare_results(db.reports(*baseline_id), results.reports, gate);
    spdlog::info("");
    print_comparison(base.benchmark->name.empty() ? *baseline_id : base.benchmark->name, results.bench.id, rows);
    for (const auto& c : rows)
      if (c.regressed && code == exit_code::success) code = exit_code::scenarios_failed;
  } catch (const DbError& e) {
    spdlog::error("--baseline: the baseline could not be read, so the regression gate was not evaluated: {}", e.what());
    code = exit_code::infrastructure;
  }
  return code;
}

}  // namespace runner
