#include "core/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "adapters/text/columns.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

std::string fit(const std::string& line, std::size_t width) { return fit_columns(line, width); }

constexpr double max_hint_ms = 30.0 * 24 * 3600 * 1000;

}  // namespace

std::string short_duration(std::int64_t ms) {
  const std::int64_t s = ms >= INT64_MAX - 500 ? INT64_MAX / 1000 : std::max<std::int64_t>(0, (ms + 500) / 1000);
  if (s < 60) return fmt::format("{}s", s);
  if (s >= 100LL * 24 * 3600) return ">99d";
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

std::optional<std::int64_t> estimate_remaining_ms(const EtaInput& in) {
  if (in.expected_ms.empty()) return 0;
  std::optional<double> mean;
  // Errors that ended at once (0 ms) say nothing about how long an iteration takes.
  double sum = 0;
  std::size_t n = 0;
  for (auto ms : in.finished_ms)
    if (ms > 0) sum += static_cast<double>(ms), ++n;
  if (n) mean = sum / static_cast<double>(n);
  double work = 0, longest = 0;
  for (std::size_t i = 0; i < in.expected_ms.size(); ++i) {
    double need = std::min(static_cast<double>(in.expected_ms[i]), max_hint_ms);
    if (need == 0) {
      if (!mean) return std::nullopt;  // no hint and nothing finished yet: no honest guess
      need = std::min(*mean, max_hint_ms);
    }
    if (i < in.elapsed_ms.size() && in.elapsed_ms[i]) {
      need = std::max(0.0, need - static_cast<double>(*in.elapsed_ms[i]));
      longest = std::max(longest, need);
    }
    work += need;
  }
  const std::size_t lanes = std::max<std::size_t>(1, std::min(in.parallel, in.expected_ms.size()));
  return static_cast<std::int64_t>(std::max(longest, work / static_cast<double>(lanes)));
}

std::vector<std::string> progress_lines(const ProgressView& v, std::size_t width, std::size_t max_running) {
  std::vector<std::string> out;
  constexpr std::size_t bar_width = 20;
  const std::size_t filled = v.total ? std::min(bar_width, v.done * bar_width / v.total) : 0;
  std::string bar = "[" + std::string(filled, '=') + (filled < bar_width ? ">" : "") +
                    std::string(bar_width - filled - (filled < bar_width ? 1 : 0), ' ') + "]";
  std::string line = fmt::format("{} {}/{} {:3}% | passed {} failed {} errors {} | {} elapsed", bar, v.done, v.total,
                                 v.total ? v.done * 100 / v.total : 0, v.passed, v.failed, v.errors,
                                 short_duration(v.elapsed_ms));
  if (v.done < v.total) line += v.eta_ms ? " | ETA " + short_duration(*v.eta_ms) : " | ETA ?";
  if (v.queued) line += fmt::format(" | queued {}", v.queued);
  if (v.vm && v.budget_mib) line += fmt::format(" | clones {} | RAM {}/{} MiB", v.clones, v.leased_mib, v.budget_mib);
  if (!v.note.empty()) line += " | " + v.note;
  out.push_back(fit(line, width));
  std::vector<RunningIteration> running = v.running;
  std::stable_sort(running.begin(), running.end(),
                   [](const RunningIteration& a, const RunningIteration& b) { return a.elapsed_ms > b.elapsed_ms; });
  const std::size_t shown = std::min(running.size(), max_running);
  for (std::size_t i = 0; i < shown; ++i)
    out.push_back(fit(fmt::format("  {}  {}  {}", printable(running[i].name), running[i].phase,
                                  short_duration(running[i].elapsed_ms)),
                      width));
  if (running.size() > shown) out.push_back(fit(fmt::format("  +{} more running", running.size() - shown), width));
  return out;
}

}  // namespace runner
