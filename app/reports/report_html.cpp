// `report BENCH --format html`: one self-contained page (inline CSS, our own small
// script, charts as inline SVG; nothing is fetched) that a person reads offline: the
// run's header, a scenario x iteration grid coloured by verdict, each iteration's
// rules, phases, platform timings, trajectory and log tail, the phase timeline and,
// for VM runs, RAM leased and clones alive against the budget.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "adapters/env/state_dir.hpp"
#include "adapters/files/read_tail.hpp"
#include "adapters/log/redactor.hpp"
#include "adapters/text/html.hpp"
#include "adapters/text/utf8.hpp"
#include "app/reports/report_formats.hpp"
#include "app/reports/report_svg.hpp"
#include "core/phase_log.hpp"
#include "core/platform_timings.hpp"
#include "core/result_stats.hpp"
#include "core/trajectory.hpp"

namespace runner {
namespace {

using json = nlohmann::ordered_json;

// What one page may carry of trajectories and logs: a benchmark of thousands of
// iterations must still give a file a browser opens. Past a budget, an iteration
// names where the rest is (the database, the log file).
constexpr std::size_t trajectory_budget = static_cast<std::size_t>(html_trajectory_budget), log_budget = 8u << 20;
constexpr std::size_t log_tail_bytes = 16u << 10, text_field_bytes = 4000;
// The timeline draws at most this many rows (a soak run's page stays usable).
constexpr std::size_t timeline_rows = 2000;
// The grid shows at most this many iteration columns.
constexpr std::size_t grid_columns = 500;

constexpr const char* style = R"CSS(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 24px 48px;color:#222}
h1{margin:16px 0 4px}h2{margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}
.meta td:first-child{font-weight:600;background:#fafafa}
.passed{background:#d9ead3}.failed{background:#f4cccc}.error{background:#fce5cd}
table.grid td.cell{width:26px;text-align:center;padding:0}table.grid td.cell a{display:block;color:#222;text-decoration:none}
.totals span{display:inline-block;margin-right:16px;padding:2px 8px;border-radius:4px}
details.iteration{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 8px}
details.iteration>summary{cursor:pointer;font-weight:600}
pre{background:#f8f8f8;padding:6px;overflow:auto;max-height:400px;white-space:pre-wrap;word-break:break-word}
svg text{font-size:11px;fill:#333}svg .axis line{stroke:#888}svg rect.phase.bad{stroke:#cc0000;stroke-width:1.5}
svg g.row{cursor:pointer}.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.note{color:#666}button{margin-right:6px}
)CSS";

// Our own script, inline: a grid cell or a timeline row opens its iteration; the
// buttons show only the iterations of one verdict. data-ready says it ran to the end.
constexpr const char* script = R"JS(
(function () {
  function openIteration(id) {
    var d = document.getElementById(id);
    if (!d) return;
    d.hidden = false;
    d.open = true;
    d.scrollIntoView({block: "start"});
  }
  // Some viewers (sandboxed frames, opaque origins) refuse history changes: the
  // iteration opens anyway.
  function remember(id) {
    try { history.replaceState(null, "", "#" + id); } catch (e) { /* the page works without it */ }
  }
  document.querySelectorAll("a.cell").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var id = a.getAttribute("href").slice(1);
      openIteration(id);
      remember(id);
    });
  });
  document.querySelectorAll("svg.timeline g.row").forEach(function (g) {
    g.addEventListener("click", function () {
      var id = "it-" + g.getAttribute("data-iteration");
      openIteration(id);
      remember(id);
    });
  });
  document.querySelectorAll("button[data-show]").forEach(function (b) {
    b.addEventListener("click", function () {
      var show = b.getAttribute("data-show");
      document.querySelectorAll("details.iteration").forEach(function (d) {
        d.hidden = show !== "all" && d.getAttribute("data-status") !== show;
      });
    });
  });
  if (location.hash.indexOf("#it-") === 0) openIteration(location.hash.slice(1));
  document.body.setAttribute("data-ready", "1");
})();
)JS";

std::string esc(const std::string& s) { return html_escape(s); }
std::string cut(const std::string& s) { return esc(utf8_truncate(s, text_field_bytes)); }

std::string ms_text(std::optional<double> ms) { return ms ? fmt::format("{:.1f} s", *ms / 1000.0) : "-"; }

const char* verdict_mark(IterationStatus s) {
  return s == IterationStatus::passed ? "✓" : s == IterationStatus::failed ? "✗" : "!";
}

std::string row(std::initializer_list<std::string> cells, const char* tag = "td") {
  std::string out = "<tr>";
  for (const auto& c : cells) out += fmt::format("<{0}>{1}</{0}>", tag, c);
  return out + "</tr>";
}

json parsed(const std::string& text) {
  auto v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json(nullptr) : v;
}

std::string value_text(const json& v) {
  if (v.is_null()) return "";
  return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string header(const BenchmarkResults& in) {
  const BenchmarkRecord& b = in.bench;
  const json options = parsed(b.options_json);
  auto opt = [&](const char* k) { return options.is_object() && options.contains(k) ? value_text(options[k]) : ""; };
  std::string out = fmt::format("<header><h1>{}</h1><table class=\"meta\">", esc(b.name.empty() ? b.id : b.name));
  auto line = [&](const char* what, const std::string& value) {
    if (!value.empty()) out += row({what, esc(value)});
  };
  line("benchmark", b.id);
  line("status", b.status);
  line("started", b.started_at);
  line("finished", b.finished_at);
  line("mode", opt("mode"));
  line("gateway", opt("gateway"));
  line("selection", opt("selection"));
  line("iterations per scenario", std::to_string(iterations_of(b)));
  line("runner", b.runner_version);
  line("scenarios commit", b.scenarios_commit);
  line("re-score of", b.rescored_from);
  line("organization / tenant / user", b.organization_id + " / " + b.tenant_id + " / " + b.user_id);
  out += "</table>";
  if (options.is_object())
    out += "<details><summary>all options</summary><pre>" +
           esc(options.dump(2, ' ', false, json::error_handler_t::replace)) + "</pre></details>";
  return out + "</header>";
}

std::string totals(const BenchmarkResults& in) {
  const RunTotals t = run_totals(in.reports);
  return fmt::format(
      "<section id=\"totals\" class=\"totals\"><h2>Totals</h2><span>{} iterations</span><span class=\"passed\">{} "
      "passed</span><span class=\"failed\">{} failed</span><span class=\"error\">{} errors</span><span>pass rate "
      "{}</span></section>",
      t.total, t.passed, t.failed, t.errors, t.total ? fmt::format("{:.1f}%", 100.0 * t.passed / t.total) : "-");
}

std::string scenarios_table(const BenchmarkResults& in) {
  std::map<std::string, PlatformMedians> platform;
  for (auto& m : platform_medians(in.reports)) platform[m.key] = m;
  std::string out =
      "<section id=\"scenarios\"><h2>Scenarios</h2><table class=\"scenarios\">" +
      row({"scenario", "title", "n", "passed", "failed", "errors", "pass@k", "pass^k", "median", "p95", "compliance",
           "tokens", "ticket→pickup", "pickup→first task", "first task→end", "cancel latency"},
          "th");
  for (const auto& s : scenario_stats(in.reports)) {
    const PlatformMedians m = platform.count(s.key) ? platform[s.key] : PlatformMedians{};
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        esc(s.key), esc(s.title), s.n, s.passed, s.failed, s.errors, s.pass_at_n, s.pass_hat_n, ms_text(s.median_ms),
        ms_text(s.p95_ms), s.mean_compliance ? fmt::format("{:.0f}", *s.mean_compliance) : "-", s.tokens,
        ms_text(m.ticket_to_pickup_ms), ms_text(m.pickup_to_first_task_ms), ms_text(m.first_task_to_terminal_ms),
        ms_text(m.cancel_latency_ms));
  }
  return out + "</table><p class=\"note\">Platform timings are medians of the iterations where the engine's "
               "answers showed them; '-' where none did.</p></section>";
}

// Scenario x iteration, each cell a link to the iteration's details.
std::string grid(const BenchmarkResults& in) {
  std::map<std::string, std::map<int, std::size_t>> cells;  // key -> iteration -> index
  std::set<int> numbers;  // the iteration numbers stored, not 1..max: a stored number is outside input
  for (std::size_t i = 0; i < in.reports.size(); ++i) {
    cells[in.reports[i].scenario_key][in.reports[i].iteration] = i;
    numbers.insert(in.reports[i].iteration);
  }
  std::vector<int> columns(numbers.begin(), numbers.end());
  std::string note;
  if (columns.size() > grid_columns) {
    note = fmt::format("<p class=\"note\">Iterations {} to {} of {}; every iteration is listed below.</p>",
                       columns.front(), columns[grid_columns - 1], columns.size());
    columns.resize(grid_columns);
  }
  std::string out = "<section id=\"grid\"><h2>Results</h2>" + note + "<table class=\"grid\"><tr><th>scenario</th>";
  for (int c : columns) out += fmt::format("<th>{}</th>", c);
  out += "</tr>";
  for (const auto& [key, its] : cells) {
    out += fmt::format("<tr data-scenario=\"{}\"><th>{}</th>", esc(key), esc(key));
    for (int c : columns) {
      auto it = its.find(c);
      if (it == its.end()) {
        out += "<td class=\"missing\"></td>";
        continue;
      }
      const ScenarioReport& r = in.reports[it->second];
      const char* status = to_string(r.status);
      out += fmt::format("<td class=\"cell {0}\" data-status=\"{0}\"><a class=\"cell\" href=\"#it-{1}\" title=\"{2} #{3}: "
                         "{0}{4}\">{5}</a></td>",
                         status, it->second, esc(key), c, r.error_kind.empty() ? "" : " (" + esc(r.error_kind) + ")",
                         verdict_mark(r.status));
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

std::string legend() {
  std::string out = "<p class=\"legend\">";
  for (const auto& [name, colour] : std::initializer_list<std::pair<const char*, const char*>>{
           {"provision", "#8e7cc3"}, {"prepare", "#f6b26b"}, {"flush", "#a4c2f4"}, {"execute", "#3d85c6"},
           {"validate", "#6aa84f"}, {"restore", "#b7b7b7"}, {"teardown", "#76a5af"}, {"other", "#999999"}})
    out += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", colour, name);
  return out + "<span>red outline: the phase did not end ok (or never ended)</span></p>";
}

std::string timeline(const BenchmarkResults& in) {
  const std::string svg = timeline_svg(in.reports, timeline_rows);
  if (svg.empty()) return "";
  std::string out = "<section id=\"timeline\"><h2>Timeline</h2>" + legend();
  if (in.reports.size() > timeline_rows)
    out += fmt::format("<p class=\"note\">At most the first {} iterations with phases are drawn.</p>", timeline_rows);
  return out + svg + "</section>";
}

std::string capacity(const BenchmarkResults& in) {
  const std::string svg = capacity_svg(in.bench.capacity_json);
  if (svg.empty()) return "";
  const json cap = parsed(in.bench.capacity_json);
  return fmt::format("<section id=\"capacity\"><h2>RAM budget</h2><p>budget {} MiB, peak {} MiB leased, at most {} "
                     "clones at once. <span style=\"color:#3d85c6\">MiB leased</span>, <span style=\"color:#e69138\">"
                     "clones alive</span>.</p>{}</section>",
                     esc(value_text(cap.value("budget_mib", json()))), esc(value_text(cap.value("peak_mib", json()))),
                     esc(value_text(cap.value("peak_clones", json()))), svg);
}

std::string rules_table(const ScenarioReport& r) {
  const json rules = parsed(r.rules_json);
  std::string out = "<table class=\"rules\">" + row({"rule", "scope", "validator", "outcome", "detail"}, "th");
  if (rules.is_array())
    for (const auto& rule : rules) {
      if (!rule.is_object()) continue;
      const std::string outcome = value_text(rule.value("outcome", json()));
      std::string flags = value_text(rule.value("validator", json()));
      if (rule.contains("negate") && rule["negate"] == true) flags += " (negated)";
      if (rule.contains("required") && rule["required"] == false) flags += " (optional)";
      out += fmt::format("<tr class=\"rule {}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         outcome == "passed" ? "passed" : outcome == "failed" ? "failed" : "error",
                         cut(value_text(rule.value("label", json()))), cut(value_text(rule.value("scope", json()))),
                         cut(flags), esc(outcome), cut(value_text(rule.value("detail", json()))));
    }
  out += row({"validate.yml", "", "", esc(r.validate_playbook), ""});
  return out + "</table>";
}

std::string phases_table(const ScenarioReport& r) {
  const auto phases = stored_phases(r.phases_json);
  if (phases.empty()) return "";
  std::string out = "<table class=\"phases\">" + row({"phase", "started", "duration", "outcome"}, "th");
  for (const auto& p : phases)
    out += row({esc(p.name), esc(p.started_at), fmt::format("{:.1f} s", static_cast<double>(p.duration_ms) / 1000.0),
                esc(p.outcome)});
  return out + "</table>";
}

std::string platform_table(const ScenarioReport& r) {
  const json p = parsed(r.platform_json);
  if (!p.is_object() || p.empty()) return "";
  std::string out = "<table class=\"platform\">";
  for (const auto& [k, v] : p.items()) out += row({esc(k), v.is_number() ? fmt::format("{} ms", value_text(v)) : esc(value_text(v))});
  return out + "</table>";
}

std::string list_block(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  std::string out = "<pre>";
  for (const auto& i : items) out += cut(i) + "\n";
  return out + "</pre>";
}

// Charges `block` (as written, escaped) to `budget`; false, with nothing charged,
// when it does not fit.
bool charge(std::size_t& budget, const std::string& block) {
  if (block.size() > budget) return false;
  budget -= block.size();
  return true;
}

// What the agent did, from the stored trajectory: the job and each task's plan,
// commands, messages and summary (each text cut to a few KiB; the whole is in the
// database).
std::string trajectory_block(const ScenarioReport& r, std::size_t& budget) {
  static const std::string used_up =
      "<p class=\"note\">The trajectory is stored in the database (this page's space for trajectories is used up: "
      "2501-runner validate --benchmark re-reads it).</p>";
  if (r.trajectory_json.empty()) return "<p class=\"note\">No trajectory is stored (no job was read).</p>";
  const json doc = parsed(r.trajectory_json);
  if (doc.is_object() && doc.contains("omitted")) return used_up;
  const auto job = trajectory_job(r.trajectory_json);
  if (!job) return "<p class=\"note\">The stored trajectory holds no readable job.</p>";
  std::string out = "<div class=\"trajectory\"><table>";
  out += row({"job", esc(job->id)});
  out += row({"status", esc(job->status) + (job->resolution_status.empty() ? "" : " / " + esc(job->resolution_status))});
  if (!job->plan.empty()) out += row({"plan", "<pre>" + cut(job->plan) + "</pre>"});
  if (!job->resolution.empty()) out += row({"resolution", "<pre>" + cut(job->resolution) + "</pre>"});
  if (!job->ticket_state.empty()) out += row({"ticket state", esc(job->ticket_state)});
  if (!job->gateway_summary.empty()) out += row({"ticket summary", "<pre>" + cut(job->gateway_summary) + "</pre>"});
  if (!job->gateway_messages.empty()) out += row({"ticket messages", list_block(job->gateway_messages)});
  out += "</table>";
  if (doc.is_object() && doc.contains("truncated"))
    out += "<p class=\"note\">The stored trajectory was cut to fit 1 MiB.</p>";
  int n = 0;
  for (const auto& t : job->tasks) {
    out += fmt::format("<table class=\"task\"><tr><th colspan=\"2\">task {} · {} · {}</th></tr>", ++n, esc(t.status),
                       esc(t.host_id));
    if (!t.description.empty()) out += row({"description", cut(t.description)});
    if (!t.plan.empty()) out += row({"plan", "<pre>" + cut(t.plan) + "</pre>"});
    if (!t.executed_commands.empty()) out += row({"commands", list_block(t.executed_commands)});
    if (!t.agent_messages.empty()) out += row({"messages", list_block(t.agent_messages)});
    if (!t.summary.empty()) out += row({"summary", "<pre>" + cut(t.summary) + "</pre>"});
    out += "</table>";
  }
  out += "</div>";
  return charge(budget, out) ? out : used_up;
}

// The run log's folder for this benchmark on this machine: the only place a page
// reads a log from. log_path comes from the database, and a page is made to be
// shared: a path pointing anywhere else (an env file, a key) is named, never read.
std::filesystem::path runs_folder(const std::string& benchmark_id) {
  std::error_code ec;
  auto dir = std::filesystem::weakly_canonical(std::filesystem::path(runner_state_dir()) / "runs" / benchmark_id, ec);
  return ec ? std::filesystem::path() : dir;
}

bool inside(const std::filesystem::path& file, const std::filesystem::path& folder) {
  if (folder.empty()) return false;
  auto f = file.begin();
  for (auto d = folder.begin(); d != folder.end(); ++d, ++f)
    if (f == file.end() || *f != *d) return false;
  return f != file.end();
}

std::string log_block(const ScenarioReport& r, const std::filesystem::path& folder, std::size_t& budget) {
  if (r.log_path.empty()) return "";
  std::string out = fmt::format("<p>log: <code>{}</code></p>", esc(r.log_path));
  std::error_code ec;
  const auto real = std::filesystem::canonical(r.log_path, ec);  // symlinks resolved
  if (ec || !inside(real, folder))
    return out + "<p class=\"note\">(not shown: the file is not in this machine's run-log folder for the benchmark)</p>";
  const auto tail = read_tail(real.string(), log_tail_bytes);
  if (!tail) return out + "<p class=\"note\">(the log file cannot be read here)</p>";
  // Logs are redacted as playbooks end; a log read while one ran (or after a kill)
  // may not be yet.
  const std::string shown =
      (tail->cut ? fmt::format("<p class=\"note\">the last {} KiB of {} KiB:</p>", log_tail_bytes >> 10,
                               (tail->file_bytes + 1023) >> 10)
                 : "") +
      "<pre class=\"log\">" + esc(global_redactor().redact(tail->text)) + "</pre>";
  if (!charge(budget, shown)) return out + "<p class=\"note\">(this page's space for logs is used up)</p>";
  return out + shown;
}

std::string iterations(const BenchmarkResults& in) {
  std::size_t trajectory_left = trajectory_budget, log_left = log_budget;
  const std::filesystem::path logs = runs_folder(in.bench.id);
  std::string out =
      "<section id=\"iterations\"><h2>Iterations</h2><p><button data-show=\"all\">all</button><button "
      "data-show=\"failed\">failed</button><button data-show=\"error\">errors</button><button "
      "data-show=\"passed\">passed</button></p>";
  for (std::size_t i = 0; i < in.reports.size(); ++i) {
    const ScenarioReport& r = in.reports[i];
    const char* status = to_string(r.status);
    out += fmt::format("<details class=\"iteration\" id=\"it-{0}\" data-status=\"{1}\"><summary><span class=\"{1}\">{2} "
                       "{1}</span> {3} #{4} · {5:.1f} s{6}</summary>",
                       i, status, verdict_mark(r.status), esc(r.scenario_key), r.iteration, r.duration_ms / 1000.0,
                       r.compliance_score ? fmt::format(" · compliance {:.0f}", *r.compliance_score) : "");
    out += "<table class=\"meta\">";
    out += row({"title", esc(r.scenario_title)});
    if (!r.error_kind.empty()) out += row({"error", esc(r.error_kind) + ": " + cut(r.error_message)});
    out += row({"ticket / job", esc(r.ticket_id.empty() ? "-" : r.ticket_id) + " / " + esc(r.job_id.empty() ? "-" : r.job_id)});
    if (!r.resolution_status.empty()) out += row({"resolution", esc(r.resolution_status)});
    out += row({"started / finished", esc(r.started_at) + " / " + esc(r.finished_at)});
    out += "</table>";
    if (const json attempts = parsed(r.attempts_json); attempts.is_array() && !attempts.empty()) {
      out += "<h4>Earlier attempts (--retries)</h4><table class=\"attempts\">" +
             row({"attempt", "error", "started", "duration"}, "th");
      for (const auto& a : attempts)
        if (a.is_object())
          out += row({esc(value_text(a.value("attempt", json()))),
                      esc(value_text(a.value("error_kind", json()))) + ": " + cut(value_text(a.value("error_message", json()))),
                      esc(value_text(a.value("started_at", json()))),
                      a.contains("duration_ms") && a["duration_ms"].is_number()
                          ? fmt::format("{:.1f} s", a["duration_ms"].get<double>() / 1000.0)
                          : "-"});
      out += "</table>";
    }
    out += "<h4>Rules</h4>" + rules_table(r);
    if (auto p = phases_table(r); !p.empty()) out += "<h4>Phases</h4>" + p;
    if (auto p = platform_table(r); !p.empty()) out += "<h4>Platform timings</h4>" + p;
    if (!r.chaos_json.empty())
      out += "<h4>Chaos</h4><pre>" + esc(parsed(r.chaos_json).dump(2, ' ', false, json::error_handler_t::replace)) + "</pre>";
    out += "<h4>Trajectory</h4>" + trajectory_block(r, trajectory_left);
    if (auto l = log_block(r, logs, log_left); !l.empty()) out += "<h4>Log</h4>" + l;
    out += "</details>";
  }
  return out + "</section>";
}

}  // namespace

std::string report_html(const BenchmarkResults& in) {
  const std::string title = in.bench.name.empty() ? in.bench.id : in.bench.name;
  // The policy makes "nothing is fetched" something the browser enforces.
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
         "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\"><meta name=\"viewport\" "
         "content=\"width=device-width\"><title>2501-runner: " +
         esc(title) + "</title><style>" + style + "</style></head><body>" + header(in) + totals(in) +
         scenarios_table(in) + grid(in) + timeline(in) + capacity(in) + iterations(in) + "<script>" + script +
         "</script></body></html>\n";
}

}  // namespace runner
