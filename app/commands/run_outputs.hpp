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
// a night's run): its ID, or the exit code after logging why it cannot be found (2: no
// such benchmark; 3: the database cannot be read). Names and `latest` are those of
// `organization_id`.
struct BaselineLookup {
  std::optional<std::string> id;
  int exit_code = 0;
};
BaselineLookup resolve_baseline(const std::string& db_url, const std::string& organization_id, const std::string& spec);

// A --junit or --json path whose folder is missing or not writable, named before the
// run starts (found at the end, the run's files would be lost); "" when it can be written.
std::string output_path_problem(const std::string& option, const std::string& path);

// Writes the files and the step summary, then compares with the baseline. Returns the
// exit code these add: 0, 1 (a scenario regressed) or 4 (a file could not be written,
// or the baseline could not be read, so the gate was not evaluated).
int write_run_outputs(const RunOptions& opts, const std::string& db_url, const BenchmarkResults& results,
                      const std::optional<std::string>& baseline_id);

}  // namespace runner
