#pragma once
// Statistics of a benchmark's reports, shared by the end-of-run summary and every
// report format (table, json, junit, markdown) so that they never disagree.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/report.hpp"

namespace runner {

// pass@k and pass^k estimates for n trials with c successes (unbiased, k <= n).
double pass_at_k(int n, int c, int k);
double pass_hat_k(int n, int c, int k);

// Linear interpolation between closest ranks (q in 0..1); 0 for no values.
double percentile(std::vector<std::int64_t> values, double q);

struct ScenarioStats {
  std::string key, title;
  int n = 0, passed = 0, failed = 0, errors = 0;
  double pass_rate = 0;                    // passed / n
  double pass_at_n = 0, pass_hat_n = 0;    // k = n: at least one pass; every one passes
  double median_ms = 0, p95_ms = 0;        // iteration durations
  std::optional<double> mean_compliance;   // of the iterations that have one
  std::int64_t tokens = 0;                 // total over its iterations
};

// One entry per scenario key, in key order.
std::vector<ScenarioStats> scenario_stats(const std::vector<ScenarioReport>& reports);

// The `total` of a report's tokens JSON (0 when absent or unreadable).
std::int64_t total_tokens(const std::string& tokens_json);

struct RunTotals {
  std::size_t passed = 0, failed = 0, errors = 0, total = 0;
};
RunTotals run_totals(const std::vector<ScenarioReport>& reports);

}  // namespace runner
