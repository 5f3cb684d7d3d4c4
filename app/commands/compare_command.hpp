#pragma once
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "core/compare_stats.hpp"

namespace runner {

// `compare BASE NEW`: per scenario the pass rates, their difference with a 95 %
// interval and Fisher's exact p-value, compliance, duration and token deltas; exit 1
// when a scenario regressed (docs/statistics.md).
int run_compare_command(const CompareOptions& opts);

// The comparison as console lines (a table, then one line per regression), shared by
// `compare` and `run --baseline`.
void print_comparison(const std::string& base_label, const std::string& new_label,
                      const std::vector<ScenarioComparison>& rows);

}  // namespace runner
