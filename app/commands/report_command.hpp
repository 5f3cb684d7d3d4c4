#pragma once
#include "app/cli.hpp"

namespace runner {

// `report BENCH`: a stored benchmark as a table, JSON, JUnit XML or Markdown.
int run_report_command(const ReportOptions& opts);

// `runs`: the newest benchmarks, one line (or JSON object) each.
int run_runs_command(const RunsOptions& opts);

}  // namespace runner
