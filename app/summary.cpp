#include "app/summary.hpp"

#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "core/platform_timings.hpp"
#include "core/result_stats.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

std::string seconds(std::int64_t ms) { return fmt::format("{:.1f}s", ms / 1000.0); }

std::string verdict(const ScenarioReport& r, bool colour) {
  std::string word = r.status == IterationStatus::passed ? "PASS" : r.status == IterationStatus::failed ? "FAIL" : "ERROR";
  if (!colour) return word;
  return (r.status == IterationStatus::passed ? "\x1b[32m" : "\x1b[31m") + word + "\x1b[0m";
}

void print_checks(const ScenarioReport& r, int verbosity) {
  simdjson::dom::parser p;
  simdjson::dom::array rules;
  if (p.parse(r.rules_json).get(rules) != simdjson::SUCCESS) return;
  for (auto rule : rules) {
    std::string_view label, outcome, detail, scope;
    bool required = true;
    // Fields we wrote ourselves; a missing one just prints empty.
    if (rule["label"].get(label) || rule["outcome"].get(outcome) || rule["detail"].get(detail) ||
        rule["scope"].get(scope) || rule["required"].get(required))
      continue;
    if (verbosity < 2 && outcome != "failed") continue;
    spdlog::info("    {:<7} [{}{}] {}: {}", std::string(outcome), std::string(scope), required ? "" : ", optional",
                 std::string(label), std::string(detail));
  }
  if (verbosity >= 2 || r.validate_playbook == "failed")
    spdlog::info("    {:<7} validate.yml", r.validate_playbook);
}

// A rule that failed (optional ones included: they do not fail the row).
bool has_failed_check(const ScenarioReport& r) {
  simdjson::dom::parser p;
  simdjson::dom::array rules;
  if (p.parse(r.rules_json).get(rules) != simdjson::SUCCESS) return false;
  for (auto rule : rules) {
    std::string_view outcome;
    if (!rule["outcome"].get(outcome) && outcome == "failed") return true;
  }
  return false;
}

// `chaos`: what the platform did after each kill (docs/chaos.md).
void print_chaos(const std::vector<ScenarioReport>& reports) {
  std::vector<std::vector<std::string>> rows = {
      {"SCENARIO", "IT", "KILL", "RECOVERED", "NEXT PROGRESS", "LOST TASKS", "DONE TWICE", "FINAL"}};
  std::size_t killed = 0, recovered = 0;
  for (const auto& r : reports) {
    if (r.chaos_json.empty()) continue;
    auto c = nlohmann::json::parse(r.chaos_json, nullptr, false);
    if (!c.is_object()) continue;
    const bool was_killed = c.value("killed", false), ok = c.value("recovered", false);
    killed += was_killed;
    recovered += was_killed && ok;
    const auto& p = c["time_to_progress_ms"];
    rows.push_back({r.scenario_key, std::to_string(r.iteration),
                    c.contains("kill") ? c.value("kill", "") : "not fired", was_killed ? (ok ? "yes" : "no") : "-",
                    p.is_number() ? seconds(p.get<std::int64_t>()) : "-",
                    c.contains("lost_tasks") ? std::to_string(c["lost_tasks"].size()) : "-",
                    c.contains("duplicate_tasks") ? std::to_string(c["duplicate_tasks"].size()) : "-",
                    c.value("final_status", "-")});
  }
  if (rows.size() == 1) return;
  spdlog::info("");
  spdlog::info("chaos: the engine was killed in {} job(s); {} recovered (completed after the kill)", killed, recovered);
  print_table(rows);
}

// How the platform behaved (core/platform_timings.hpp): per scenario, the medians of
// what the runner observed.
void print_platform(const std::vector<ScenarioReport>& reports, int iterations) {
  const auto medians = platform_medians(reports);
  std::vector<std::vector<std::string>> rows = {{"SCENARIO", "TICKET→PICKUP", "PICKUP→FIRST TASK", "FIRST TASK→END", "CANCEL"}};
  auto cell = [](const std::optional<double>& ms) { return ms ? fmt::format("{:.1f}s", *ms / 1000) : std::string("-"); };
  for (const auto& m : medians) {
    if (!m.ticket_to_pickup_ms && !m.pickup_to_first_task_ms && !m.first_task_to_terminal_ms && !m.cancel_latency_ms)
      continue;
    rows.push_back({m.key, cell(m.ticket_to_pickup_ms), cell(m.pickup_to_first_task_ms),
                    cell(m.first_task_to_terminal_ms), cell(m.cancel_latency_ms)});
  }
  if (rows.size() == 1) return;
  spdlog::info("");
  spdlog::info("platform timings{} (as polled: each late by at most the gap between two looks; "
               "- = not seen, or seen at the same look):",
               iterations > 1 ? ", medians per scenario" : "");
  print_table(rows);
}

}  // namespace

void print_table(const std::vector<std::vector<std::string>>& rows) {
  // Columns line up by characters, not bytes (keys, headers and reasons may be UTF-8):
  // every byte but a continuation byte starts one.
  auto chars = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], chars(r[c]));
    }
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) line += r[c] + (c + 1 < r.size() ? std::string(width[c] - chars(r[c]) + 2, ' ') : "");
    spdlog::info("{}", line);
  }
}

void print_summary(const std::vector<ScenarioReport>& reports, int iterations, int verbosity) {
  if (reports.empty()) {
    spdlog::info("no scenario-iteration ran");
    return;
  }
  const bool colour = false;  // the sink strips nothing on info lines: keep the table plain
  std::vector<std::vector<std::string>> rows = {
      {"SCENARIO", "IT", "VERDICT", "COMPLIANCE", "DURATION", "TOKENS", "RESOLUTION", "REASON"}};
  for (const auto& r : reports)
    rows.push_back({r.scenario_key, std::to_string(r.iteration), verdict(r, colour),
                    r.compliance_score ? fmt::format("{:.0f}%", *r.compliance_score) : "-", seconds(r.duration_ms),
                    std::to_string(total_tokens(r.tokens_json)), r.resolution_status.empty() ? "-" : r.resolution_status,
                    r.status == IterationStatus::error ? r.error_kind + ": " + r.error_message : r.error_message});
  spdlog::info("");
  print_table(rows);
  if (verbosity >= 1)
    for (const auto& r : reports) {
      // -v: every row with a failed check, a PASS row with a failed optional one included.
      if (verbosity < 2 && r.status == IterationStatus::passed && !has_failed_check(r)) continue;
      spdlog::info("  {} #{}: checks", r.scenario_key, r.iteration);
      print_checks(r, verbosity);
    }
  if (iterations > 1) {
    std::vector<std::vector<std::string>> stats = {{"SCENARIO", "PASS RATE", "pass@k", "pass^k", "MEDIAN", "P95"}};
    for (const auto& st : scenario_stats(reports))
      stats.push_back({st.key, fmt::format("{}/{} ({:.0f}%)", st.passed, st.n, 100.0 * st.pass_rate),
                       fmt::format("{:.2f}", st.pass_at_n), fmt::format("{:.2f}", st.pass_hat_n),
                       seconds(static_cast<std::int64_t>(st.median_ms)), seconds(static_cast<std::int64_t>(st.p95_ms))});
    spdlog::info("");
    spdlog::info("per scenario over {} iterations (k = iterations run):", iterations);
    print_table(stats);
  }
  print_platform(reports, iterations);
  print_chaos(reports);
  spdlog::info("");
  const RunTotals t = run_totals(reports);
  spdlog::info("{} passed, {} failed, {} error(s) of {} scenario-iteration(s)", t.passed, t.failed, t.errors, t.total);
  // --retries: how often the infrastructure needed a second chance.
  std::size_t retried = 0, extra = 0;
  for (const auto& r : reports)
    if (!r.attempts_json.empty()) {
      auto a = nlohmann::json::parse(r.attempts_json, nullptr, false);
      ++retried;
      extra += a.is_array() ? a.size() : 0;
    }
  if (retried)
    spdlog::info("{} scenario-iteration(s) needed retries ({} attempt(s) ended in an infrastructure error and ran "
                 "again)",
                 retried, extra);
}

int run_exit_code(const std::vector<ScenarioReport>& reports, bool interrupted, const FailGate& fail_on_error) {
  if (interrupted) return exit_code::interrupted;
  bool error = false;
  std::size_t not_passed = 0;
  for (const auto& r : reports) {
    error |= r.status == IterationStatus::error;
    not_passed += r.status != IterationStatus::passed;
  }
  if (error) return exit_code::infrastructure;
  if (fail_on_error.fails(not_passed, reports.size())) return exit_code::scenarios_failed;
  return exit_code::success;
}

}  // namespace runner
