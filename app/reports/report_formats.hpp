#pragma once
// One benchmark's results in the forms people and CI read: the console table, a JSON
// document (docs/report-format.md), JUnit XML and Markdown. `report BENCH` makes them
// from the database; `run --junit/--json` and $GITHUB_STEP_SUMMARY from the run that
// just ended, through the same code. `report --format html` makes a page to read offline.
#include <string>
#include <vector>

#include "messages/report.hpp"

namespace runner {

struct BenchmarkResults {
  BenchmarkRecord bench;
  std::vector<ScenarioReport> reports;  // by scenario key, then iteration
};

// Iterations per scenario the run asked for (its options), 1 when unknown.
int iterations_of(const BenchmarkRecord& bench);

// The run's end-of-run summary again, with a header naming the benchmark; failed rules
// always shown (verbosity at least 1).
void print_report_table(const BenchmarkResults& results, int verbosity);

// Pretty-printed JSON, field names stable (docs/report-format.md).
std::string report_json(const BenchmarkResults& results);

// JUnit XML: one testsuite per scenario, one testcase per scenario-iteration; a failed
// iteration is a <failure> with its failed rules, an errored one an <error> with its
// kind and message; <system-out> has the phase lines.
std::string report_junit(const BenchmarkResults& results);

// GitHub-flavoured Markdown, for pull requests and $GITHUB_STEP_SUMMARY.
std::string report_markdown(const BenchmarkResults& results);

// One self-contained HTML page (docs/report-format.md "HTML"): header, results grid,
// per-iteration details (rules, phases, platform timings, trajectory, log tail), phase
// timeline and, for VM runs, the RAM budget chart. Reads the iterations' log files
// (only those in this machine's run-log folder for the benchmark, redacted).
// Trajectories are read for it up to this many bytes (BenchmarkReader::reports), the
// same bound the page applies.
inline constexpr long long html_trajectory_budget = 32LL << 20;
std::string report_html(const BenchmarkResults& results);

}  // namespace runner
