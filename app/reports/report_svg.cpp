#include "app/reports/report_svg.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "adapters/text/html.hpp"
#include "core/phase_log.hpp"

namespace runner {
namespace {

constexpr double label_width = 230, chart_width = 900, row_height = 16, axis_height = 28;

// Known phases get fixed colours (the legend names them); any other a neutral grey.
const char* phase_colour(const std::string& name) {
  if (name == "provision") return "#8e7cc3";
  if (name == "prepare") return "#f6b26b";
  if (name == "flush") return "#a4c2f4";
  if (name == "execute") return "#3d85c6";
  if (name == "validate") return "#6aa84f";
  if (name == "restore") return "#b7b7b7";
  if (name == "teardown") return "#76a5af";
  return "#999999";
}

// An open phase (no outcome: the run stopped inside it) did not end ok either.
bool outcome_ok(const std::string& outcome) { return outcome == "ok" || outcome == "passed"; }

// Whole seconds first, so a label never reads "2m60s".
std::string seconds_label(double s) {
  const auto whole = static_cast<long long>(std::llround(std::max(0.0, s)));
  if (whole < 120) return fmt::format("{}s", whole);
  if (whole < 7200) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, whole / 60 % 60);
}

// Five ticks over [0, span] seconds along a chart starting at x0.
std::string time_axis(double x0, double width, double span, double y, double height) {
  std::string out = fmt::format("<g class=\"axis\"><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>",
                                x0, y, x0 + width, y);
  for (int i = 0; i <= 4; ++i) {
    const double x = x0 + width * i / 4.0;
    out += fmt::format("<line class=\"tick\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
                       x, y - height, y + 4, y + 16, seconds_label(span * i / 4.0));
  }
  return out + "</g>";
}

struct Bar {
  std::string phase, outcome;
  double start_s = 0, duration_s = 0;  // since the benchmark's first phase
};

}  // namespace

double iso_utc_seconds(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return -1;
  // Optional fractional seconds, then Z.
  double fraction = 0, scale = 0.1;
  std::size_t i = static_cast<std::size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10)
      fraction += (text[i] - '0') * scale;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + fraction;
}

std::string timeline_svg(const std::vector<ScenarioReport>& reports, std::size_t max_rows) {
  // Each iteration's phases in stored order, placed on one clock.
  // (index in `reports`, bars): the index names the iteration's details on the page.
  std::vector<std::pair<std::size_t, std::vector<Bar>>> rows;
  double t0 = -1;
  for (std::size_t index = 0; index < reports.size(); ++index) {
    if (rows.size() >= max_rows) break;
    const ScenarioReport& r = reports[index];
    std::vector<Bar> bars;
    double end = -1e18;
    for (const auto& p : stored_phases(r.phases_json)) {
      const double start = iso_utc_seconds(p.started_at);
      if (start < 0) continue;
      if (t0 < 0 || start < t0) t0 = start;
      Bar b{p.name, p.outcome, std::max(start, end), static_cast<double>(p.duration_ms) / 1000.0};
      end = b.start_s + b.duration_s;
      bars.push_back(std::move(b));
    }
    if (!bars.empty()) rows.emplace_back(index, std::move(bars));
  }
  if (rows.empty()) return "";
  double span = 1;
  for (auto& [r, bars] : rows)
    for (auto& b : bars) {
      b.start_s -= t0;
      span = std::max(span, b.start_s + b.duration_s);
    }
  const double height = axis_height + row_height * static_cast<double>(rows.size()) + 6;
  std::string out = fmt::format(
      "<svg class=\"timeline\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "role=\"img\" aria-label=\"phases of every iteration over time\">",
      label_width + chart_width + 20, height);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& [index, bars] = rows[i];
    const ScenarioReport* r = &reports[index];
    const double y = 4 + row_height * static_cast<double>(i);
    out += fmt::format("<g class=\"row\" data-iteration=\"{}\"><text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\" "
                       "text-anchor=\"end\">{} #{}</text>",
                       index, label_width - 6, y + row_height - 4, html_escape(r->scenario_key), r->iteration);
    for (const auto& b : bars) {
      const double x = label_width + b.start_s / span * chart_width;
      // At least a pixel wide: a 40 ms flush must still be visible and clickable.
      const double w = std::max(1.0, b.duration_s / span * chart_width);
      out += fmt::format("<rect class=\"phase{}\" data-phase=\"{}\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" "
                         "height=\"{:.1f}\" fill=\"{}\"><title>{} #{} {}: {:.1f} s from {:.1f} s, {}</title></rect>",
                         outcome_ok(b.outcome) ? "" : " bad", html_escape(b.phase), x, y + 2, w, row_height - 4,
                         phase_colour(b.phase), html_escape(r->scenario_key), r->iteration, html_escape(b.phase),
                         b.duration_s, b.start_s, html_escape(b.outcome.empty() ? "open" : b.outcome));
    }
    out += "</g>";
  }
  out += time_axis(label_width, chart_width, span, height - axis_height + 4, height - axis_height);
  return out + "</svg>";
}

std::string capacity_svg(const std::string& capacity_json) {
  auto cap = nlohmann::json::parse(capacity_json, nullptr, false);
  if (!cap.is_object() || !cap.contains("timeline") || !cap["timeline"].is_array()) return "";
  struct Point {
    double s, clones, mib;
  };
  std::vector<Point> points;
  for (const auto& p : cap["timeline"])
    if (p.is_array() && p.size() == 3 && p[0].is_number() && p[1].is_number() && p[2].is_number())
      points.push_back({p[0].get<double>(), p[1].get<double>(), p[2].get<double>()});
  if (points.empty()) return "";
  const double budget =
      cap.contains("budget_mib") && cap["budget_mib"].is_number() ? std::max(0.0, cap["budget_mib"].get<double>()) : 0.0;
  double span = 1, top_mib = std::max(1.0, budget), top_clones = 1;
  for (const auto& p : points) {
    span = std::max(span, p.s);
    top_mib = std::max(top_mib, p.mib);
    top_clones = std::max(top_clones, p.clones);
  }
  top_mib *= 1.1;
  const double left = 70, width = 860, plot = 220, top = 12;
  auto x = [&](double s) { return left + s / span * width; };
  auto y_mib = [&](double m) { return top + plot - m / top_mib * plot; };
  auto y_clones = [&](double c) { return top + plot - c / (top_clones * 1.1) * plot; };
  // Steps from 0 at the start: a value holds until the next point.
  auto steps = [&](double Point::*field, auto y_of) {
    double last_y = y_of(0.0);
    std::string pts = fmt::format("{:.1f},{:.1f}", x(0), last_y);
    for (const auto& p : points) {
      const double y = y_of(p.*field);
      pts += fmt::format(" {0:.1f},{1:.1f} {0:.1f},{2:.1f}", x(p.s), last_y, y);
      last_y = y;
    }
    return pts;
  };
  std::string out = fmt::format(
      "<svg class=\"capacity\" width=\"{:.0f}\" height=\"{:.0f}\" role=\"img\" "
      "aria-label=\"RAM leased and clones alive against the budget\" data-points=\"{}\">",
      left + width + 70, top + plot + 40, points.size());
  out += fmt::format("<polyline class=\"mib\" fill=\"none\" stroke=\"#3d85c6\" stroke-width=\"2\" points=\"{}\"/>",
                     steps(&Point::mib, y_mib));
  out += fmt::format("<polyline class=\"clones\" fill=\"none\" stroke=\"#e69138\" stroke-width=\"1.5\" points=\"{}\"/>",
                     steps(&Point::clones, y_clones));
  if (budget > 0)
    out += fmt::format("<line class=\"budget\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#cc0000\" "
                       "stroke-dasharray=\"6 4\"><title>budget {:.0f} MiB</title></line>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#cc0000\">budget {:.0f} MiB</text>",
                       left, y_mib(budget), left + width, y_mib(budget), budget, left + 4, y_mib(budget) - 4, budget);
  // Axes: MiB on the left, clones on the right (each labelled at its highest value),
  // seconds below.
  out += fmt::format("<g class=\"axis\"><line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
                     "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.0f} MiB</text>"
                     "<text x=\"{3:.1f}\" y=\"{2:.1f}\" text-anchor=\"end\">0</text>"
                     "<text x=\"{6:.1f}\" y=\"{7:.1f}\" fill=\"#e69138\">{8:.0f} clones</text></g>",
                     left, top, top + plot, left - 6, y_mib(top_mib / 1.1) + 4, top_mib / 1.1, left + width + 6,
                     y_clones(top_clones) + 4, top_clones);
  out += time_axis(left, width, span, top + plot, plot);
  return out + "</svg>";
}

}  // namespace runner
