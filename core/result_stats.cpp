#include "core/result_stats.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace runner {
namespace {

double choose(int n, int k) {
  if (k < 0 || k > n) return 0;
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

}  // namespace

double pass_at_k(int n, int c, int k) {
  if (n <= 0 || k <= 0) return 0;
  if (n - c < k) return 1.0;
  return 1.0 - choose(n - c, k) / choose(n, k);
}

double pass_hat_k(int n, int c, int k) {
  if (n <= 0 || k <= 0) return 0;
  return choose(c, k) / choose(n, k);
}

double percentile(std::vector<std::int64_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

std::int64_t total_tokens(const std::string& json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object()) return 0;
  auto it = doc.find("total");
  return it != doc.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::vector<ScenarioStats> scenario_stats(const std::vector<ScenarioReport>& reports) {
  std::map<std::string, std::vector<const ScenarioReport*>> by_key;
  for (const auto& r : reports) by_key[r.scenario_key].push_back(&r);
  std::vector<ScenarioStats> out;
  for (const auto& [key, list] : by_key) {
    ScenarioStats s;
    s.key = key;
    s.title = list.front()->scenario_title;
    s.n = static_cast<int>(list.size());
    std::vector<std::int64_t> durations;
    double compliance = 0;
    int with_compliance = 0;
    for (const auto* r : list) {
      s.passed += r->status == IterationStatus::passed;
      s.failed += r->status == IterationStatus::failed;
      s.errors += r->status == IterationStatus::error;
      durations.push_back(r->duration_ms);
      if (r->compliance_score) {
        compliance += *r->compliance_score;
        ++with_compliance;
      }
      s.tokens += total_tokens(r->tokens_json);
    }
    s.pass_rate = static_cast<double>(s.passed) / s.n;
    s.pass_at_n = pass_at_k(s.n, s.passed, s.n);
    s.pass_hat_n = pass_hat_k(s.n, s.passed, s.n);
    s.median_ms = percentile(durations, 0.5);
    s.p95_ms = percentile(durations, 0.95);
    if (with_compliance) s.mean_compliance = compliance / with_compliance;
    out.push_back(std::move(s));
  }
  return out;
}

RunTotals run_totals(const std::vector<ScenarioReport>& reports) {
  RunTotals t;
  for (const auto& r : reports)
    (r.status == IterationStatus::passed ? t.passed : r.status == IterationStatus::failed ? t.failed : t.errors)++;
  t.total = reports.size();
  return t;
}

}  // namespace runner
