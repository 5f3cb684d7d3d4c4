#include "core/compare_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace runner {
namespace {

double log_choose(int n, int k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }

}  // namespace

double fisher_exact_two_sided(int a, int b, int c, int d) {
  const int row1 = a + b, col1 = a + c, n = a + b + c + d;
  if (n == 0 || row1 == 0 || row1 == n || col1 == 0 || col1 == n) return 1.0;
  // P(X = x) for the top-left cell, hypergeometric with the observed margins.
  auto prob = [&](int x) { return std::exp(log_choose(col1, x) + log_choose(n - col1, row1 - x) - log_choose(n, row1)); };
  const double observed = prob(a);
  double p = 0;
  // Tables as likely as the observed one count, within a relative tolerance (as R's
  // fisher.test does), so rounding never drops the observed table itself.
  for (int x = std::max(0, row1 + col1 - n); x <= std::min(row1, col1); ++x)
    if (double px = prob(x); px <= observed * (1 + 1e-7)) p += px;
  return std::min(1.0, p);
}

double fisher_exact_lower_tail(int a, int b, int c, int d) {
  const int row1 = a + b, col1 = a + c, n = a + b + c + d;
  if (n == 0 || row1 == 0 || row1 == n || col1 == 0 || col1 == n) return 1.0;
  double p = 0;
  for (int x = std::max(0, row1 + col1 - n); x <= a; ++x)
    p += std::exp(log_choose(col1, x) + log_choose(n - col1, row1 - x) - log_choose(n, row1));
  return std::min(1.0, p);
}

std::pair<double, double> wilson_interval(int x, int n, double z) {
  if (n <= 0) return {0, 1};
  const double p = static_cast<double>(x) / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::pair<double, double> newcombe_difference_interval(int x_new, int n_new, int x_base, int n_base, double z) {
  const double p1 = n_new ? static_cast<double>(x_new) / n_new : 0, p2 = n_base ? static_cast<double>(x_base) / n_base : 0;
  const auto [l1, u1] = wilson_interval(x_new, n_new, z);
  const auto [l2, u2] = wilson_interval(x_base, n_base, z);
  const double d = p1 - p2;
  return {std::max(-1.0, d - std::sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2))),
          std::min(1.0, d + std::sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)))};
}

std::vector<ScenarioComparison> compare_results(const std::vector<ScenarioReport>& base,
                                                const std::vector<ScenarioReport>& now, const GateSettings& gate) {
  std::map<std::string, ScenarioComparison> by_key;
  for (auto& s : scenario_stats(base)) by_key[s.key].base = std::move(s);
  for (auto& s : scenario_stats(now)) by_key[s.key].now = std::move(s);
  std::vector<ScenarioComparison> out;
  for (auto& [key, c] : by_key) {
    c.key = key;
    if (c.base && c.now) {
      const ScenarioStats &b = *c.base, &n = *c.now;
      c.difference = n.pass_rate - b.pass_rate;
      std::tie(c.ci_low, c.ci_high) = newcombe_difference_interval(n.passed, n.n, b.passed, b.n);
      c.p_value = fisher_exact_two_sided(n.passed, n.n - n.passed, b.passed, b.n - b.passed);
      c.p_drop = fisher_exact_lower_tail(n.passed, n.n - n.passed, b.passed, b.n - b.passed);
      if (b.mean_compliance && n.mean_compliance) c.compliance_delta = *n.mean_compliance - *b.mean_compliance;
      c.median_duration_delta_ms = n.median_ms - b.median_ms;
      c.mean_tokens_delta = static_cast<double>(n.tokens) / n.n - static_cast<double>(b.tokens) / b.n;
      if (c.difference < 0) {
        // A p-value at alpha is not below it: 3/3 -> 0/3 has exactly 1/20, which
        // rounding in lgamma/exp must not turn into a regression.
        if (c.p_drop < gate.alpha * (1 - 1e-9)) {
          c.regressed = true;
          c.why = fmt::format("pass rate {:.0f}% -> {:.0f}%, one-sided p = {:.3g} < {}", 100 * b.pass_rate,
                              100 * n.pass_rate, c.p_drop, gate.alpha);
        } else if (gate.max_regression && -c.difference > *gate.max_regression + 1e-12) {
          c.regressed = true;
          c.why = fmt::format("pass rate {:.0f}% -> {:.0f}%, a drop of {:.0f} points > --max-regression {:.0f}",
                              100 * b.pass_rate, 100 * n.pass_rate, -100 * c.difference, 100 * *gate.max_regression);
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace runner
