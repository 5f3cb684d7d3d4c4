#include <fmt/format.h>

#include "adapters/text/utf8.hpp"
#include "app/reports/report_formats.hpp"
#include "core/platform_timings.hpp"
#include "core/result_stats.hpp"

namespace runner {
namespace {

// A table cell: one line, no column breaks, no HTML (a step summary renders HTML, and
// the text comes from agents and engines).
std::string cell(const std::string& raw) {
  std::string out;
  // A cell is a summary (the whole text is in the JSON and JUnit reports): cut first,
  // at a character boundary, so no escape is ever split.
  for (char c : utf8_truncate(utf8_clean(raw), 300)) {
    // Brackets escaped: no link or image from an agent's text renders in a summary.
    if (c == '|' || c == '[' || c == ']' || c == '\\') out += '\\', out += c;
    else if (c == '\n' || c == '\r') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '`') out += '\'';
    else out += c;
  }
  return out;
}

std::string seconds(double ms) { return fmt::format("{:.1f}s", ms / 1000.0); }

const char* verdict(IterationStatus s) {
  return s == IterationStatus::passed ? "✅ pass" : s == IterationStatus::failed ? "❌ fail" : "⚠️ error";
}

}  // namespace

std::string report_markdown(const BenchmarkResults& in) {
  const BenchmarkRecord& b = in.bench;
  const RunTotals t = run_totals(in.reports);
  std::string md = fmt::format("## 2501-runner: {}\n\n", cell(b.name.empty() ? b.id : b.name));
  md += fmt::format("Benchmark `{}` · **{}** · started {}{}\n\n", b.id, cell(b.status), cell(b.started_at),
                    b.finished_at.empty() ? "" : " · finished " + cell(b.finished_at));
  md += fmt::format("**{} passed**, {} failed, {} error(s) of {} scenario-iteration(s){}\n\n", t.passed, t.failed, t.errors,
                    t.total, t.total ? fmt::format(" ({:.0f}%)", 100.0 * t.passed / t.total) : "");
  if (in.reports.empty()) return md;
  md += "| Scenario | Passed | Pass rate | pass^k | Median | P95 | Compliance | Tokens |\n";
  md += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& s : scenario_stats(in.reports))
    md += fmt::format("| {} | {}/{} | {:.0f}% | {:.2f} | {} | {} | {} | {} |\n", cell(s.key), s.passed, s.n,
                      100 * s.pass_rate, s.pass_hat_n, seconds(s.median_ms), seconds(s.p95_ms),
                      s.mean_compliance ? fmt::format("{:.0f}%", *s.mean_compliance) : "-", s.tokens);
  std::string platform;
  auto ms = [](const std::optional<double>& v) { return v ? seconds(*v) : std::string("-"); };
  for (const auto& m : platform_medians(in.reports))
    if (m.ticket_to_pickup_ms || m.pickup_to_first_task_ms || m.first_task_to_terminal_ms || m.cancel_latency_ms)
      platform += fmt::format("| {} | {} | {} | {} | {} |\n", cell(m.key), ms(m.ticket_to_pickup_ms),
                              ms(m.pickup_to_first_task_ms), ms(m.first_task_to_terminal_ms), ms(m.cancel_latency_ms));
  if (!platform.empty())
    md += "\n### Platform timings (medians, as polled)\n\n| Scenario | Ticket → pickup | Pickup → first task | "
          "First task → end | Cancel |\n|---|---:|---:|---:|---:|\n" + platform;
  // GitHub caps a step summary at 1 MiB: a soak run's thousands of failures are
  // counted, the first ones listed.
  constexpr std::size_t max_listed = 200;
  std::size_t listed = 0, unlisted = 0;
  std::string not_passed;
  for (const auto& r : in.reports) {
    if (r.status == IterationStatus::passed) continue;
    if (listed == max_listed) {
      ++unlisted;
      continue;
    }
    ++listed;
    const std::string reason = r.status == IterationStatus::error ? r.error_kind + ": " + r.error_message
                               : !r.error_message.empty()         ? r.error_message
                               : r.validate_playbook == "failed"  ? "validate.yml failed"
                                                                  : "rules failed";
    not_passed += fmt::format("| {} | {} | {} | {} |\n", cell(r.scenario_key), r.iteration, verdict(r.status), cell(reason));
  }
  if (!not_passed.empty()) md += "\n### Not passed\n\n| Scenario | # | Verdict | Reason |\n|---|---:|---|---|\n" + not_passed;
  if (unlisted) md += fmt::format("\n… and {} more not passed (the JSON and JUnit reports list them all)\n", unlisted);
  return md;
}

}  // namespace runner
