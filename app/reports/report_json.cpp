#include <nlohmann/json.hpp>

#include "app/reports/report_formats.hpp"
#include "core/platform_timings.hpp"
#include "core/result_stats.hpp"

namespace runner {
namespace {

using json = nlohmann::ordered_json;

// A JSON column as a value (null when it is absent or unreadable).
json embedded(const std::string& text) {
  if (text.empty()) return nullptr;
  auto v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json(nullptr) : v;
}
json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

int iterations_of(const BenchmarkRecord& bench) {
  auto o = nlohmann::json::parse(bench.options_json, nullptr, false);
  if (o.is_object() && o.contains("iterations") && o["iterations"].is_number_integer())
    return std::max(1, o["iterations"].get<int>());
  return 1;
}

std::string report_json(const BenchmarkResults& in) {
  const BenchmarkRecord& b = in.bench;
  const RunTotals t = run_totals(in.reports);
  json doc;
  doc["format"] = "2501-runner.report/1";
  doc["benchmark"] = {{"id", b.id},
                      {"name", or_null(b.name)},
                      {"status", b.status},
                      {"started_at", b.started_at},
                      {"finished_at", or_null(b.finished_at)},
                      {"organization_id", b.organization_id},
                      {"tenant_id", b.tenant_id},
                      {"user_id", b.user_id},
                      {"runner_version", b.runner_version},
                      {"scenarios_commit", or_null(b.scenarios_commit)},
                      {"rescored_from", or_null(b.rescored_from)},
                      {"options", embedded(b.options_json)},
                      {"capacity", embedded(b.capacity_json)}};
  doc["totals"] = {{"iterations", t.total},
                   {"passed", t.passed},
                   {"failed", t.failed},
                   {"errors", t.errors},
                   {"pass_rate", t.total ? json(static_cast<double>(t.passed) / t.total) : json(nullptr)}};
  json scenarios = json::array();
  for (const auto& s : scenario_stats(in.reports))
    scenarios.push_back({{"key", s.key},
                         {"title", s.title},
                         {"iterations", s.n},
                         {"passed", s.passed},
                         {"failed", s.failed},
                         {"errors", s.errors},
                         {"pass_rate", s.pass_rate},
                         {"pass_at_k", s.pass_at_n},
                         {"pass_hat_k", s.pass_hat_n},
                         {"median_duration_ms", s.median_ms},
                         {"p95_duration_ms", s.p95_ms},
                         {"mean_compliance", or_null(s.mean_compliance)},
                         {"tokens", s.tokens}});
  for (const auto& m : platform_medians(in.reports))
    for (auto& s : scenarios)
      if (s["key"] == m.key)
        s["platform_medians"] = {{"ticket_to_pickup_ms", or_null(m.ticket_to_pickup_ms)},
                                 {"pickup_to_first_task_ms", or_null(m.pickup_to_first_task_ms)},
                                 {"first_task_to_terminal_ms", or_null(m.first_task_to_terminal_ms)},
                                 {"cancel_latency_ms", or_null(m.cancel_latency_ms)}};
  doc["scenarios"] = std::move(scenarios);
  json iterations = json::array();
  for (const auto& r : in.reports) {
    json trajectory = embedded(r.trajectory_json);
    iterations.push_back({{"scenario_key", r.scenario_key},
                          {"scenario_title", r.scenario_title},
                          {"tags", embedded(r.tags_json)},
                          {"iteration", r.iteration},
                          {"status", to_string(r.status)},
                          {"error_kind", or_null(r.error_kind)},
                          {"error_message", or_null(r.error_message)},
                          {"compliance", or_null(r.compliance_score)},
                          {"rules", embedded(r.rules_json)},
                          {"validate_playbook", r.validate_playbook},
                          {"mode", r.mode},
                          {"gateway", r.gateway},
                          {"ticket_id", or_null(r.ticket_id)},
                          {"job_id", or_null(r.job_id)},
                          {"resolution_status", or_null(r.resolution_status)},
                          {"task_count", or_null(r.task_count)},
                          {"host_ids", embedded(r.host_ids_json)},
                          {"agent_ids", embedded(r.agent_ids_json)},
                          {"tokens", embedded(r.tokens_json)},
                          {"phases", embedded(r.phases_json)},
                          {"chaos", embedded(r.chaos_json)},
                          {"platform", embedded(r.platform_json)},
                          {"attempts", embedded(r.attempts_json)},
                          {"started_at", r.started_at},
                          {"finished_at", r.finished_at},
                          {"duration_ms", r.duration_ms},
                          {"log_path", or_null(r.log_path)},
                          // The trajectory itself stays in the database (up to 1 MiB per
                          // iteration); whether one is stored, and whether it was cut.
                          {"trajectory_stored", !r.trajectory_json.empty()},
                          {"trajectory_truncated", trajectory.is_object() && trajectory.contains("truncated")}});
  }
  doc["iterations"] = std::move(iterations);
  // Pretty: people read this file too. Invalid UTF-8 from outside becomes U+FFFD.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace runner
