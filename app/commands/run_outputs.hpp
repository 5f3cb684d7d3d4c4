#pragma once
// What `run` leaves for CI besides the database: --junit and --json files, the
// Markdown summary appended to $GITHUB_STEP_SUMMARY, and the --baseline regression
// gate. Made from the run's own reports, through the same code as `report`.
#include <optional>
#include <string>

#include "app/cli.hpp"
#include "app/reports/report_formats.hpp"

namespace runner {

// The --baseline benchmark's ID, looked up before anything runs (a typo must not cost
// a night's run); nullopt after logging why it cannot be found.
std::optional<std::string> resolve_baseline(const std::string& db_url, const std::string& spec);

// Writes the files and the step summary, then compares with the baseline. Returns the
// exit code these add: 0, 1 (a scenario regressed) or 4 (a file could not be written,
// or the baseline could not be read, so the gate was not evaluated).
int write_run_outputs(const RunOptions& opts, const std::string& db_url, const BenchmarkResults& results,
                      const std::optional<std::string>& baseline_id);

}  // namespace runner
