#pragma once
// Comparing two benchmarks scenario by scenario (`compare BASE NEW`, `run --baseline`):
// is the difference in pass rate more than chance? docs/statistics.md says which tests
// and why.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result_stats.hpp"
#include "messages/report.hpp"

namespace runner {

// Fisher's exact test, two-sided, on the 2x2 table [[a, b], [c, d]] (passes and
// non-passes of two samples): the probability, under equal pass rates and the observed
// margins, of a table at most as likely as this one.
double fisher_exact_two_sided(int a, int b, int c, int d);

// Fisher's exact test, one-sided: the probability, under equal pass rates and the
// observed margins, of `a` or fewer (the first sample's passes at most as many as
// seen). The regression gate asks only "did it get worse?", so it uses this tail.
double fisher_exact_lower_tail(int a, int b, int c, int d);

// Wilson score interval of x successes in n trials (z = 1.96 for 95 %).
std::pair<double, double> wilson_interval(int x, int n, double z = 1.959964);

// Newcombe's hybrid score interval (his method 10) of p_new - p_base, from the two
// Wilson intervals: good coverage at the small n of agent benchmarks, never outside
// [-1, 1].
std::pair<double, double> newcombe_difference_interval(int x_new, int n_new, int x_base, int n_base,
                                                       double z = 1.959964);

struct GateSettings {
  double alpha = 0.05;                    // significance level of the one-sided test of a drop
  std::optional<double> max_regression;   // also a drop larger than this (0..1) fails
};

struct ScenarioComparison {
  std::string key;
  std::optional<ScenarioStats> base, now;  // absent: the scenario is in one side only
  double difference = 0;                   // now.pass_rate - base.pass_rate
  double ci_low = 0, ci_high = 0;          // Newcombe 95 % interval of the difference
  double p_value = 1;                      // Fisher's exact, two-sided (any difference)
  double p_drop = 1;                       // Fisher's exact, one-sided: a drop this large by chance
  std::optional<double> compliance_delta;  // now - base mean compliance (points)
  double median_duration_delta_ms = 0;
  double mean_tokens_delta = 0;            // per iteration
  bool regressed = false;                  // the pass rate dropped significantly or beyond max_regression
  std::string why;                         // why it regressed, for the gate's message
};

// One entry per scenario key of either side, in key order.
std::vector<ScenarioComparison> compare_results(const std::vector<ScenarioReport>& base,
                                                const std::vector<ScenarioReport>& now, const GateSettings& gate);

}  // namespace runner
