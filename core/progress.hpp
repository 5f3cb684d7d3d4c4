#pragma once
// What the console shows while a run goes on (a terminal only; a CI log gets the phase
// lines and the poll heartbeat instead): a progress bar with done/total and the
// verdicts so far, an ETA from the medians of earlier runs, the clones and RAM leased
// in VM modes, and one line per running iteration with its phase and elapsed time.
// Plain text building, no terminal I/O: adapters/log draws it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace runner {

struct RunningIteration {
  std::string name;   // "disk-full #3"
  std::string phase;  // "execute", "starting", "prepare done", "waiting for a busy host"
  std::int64_t elapsed_ms = 0;
};

struct ProgressView {
  std::size_t done = 0, total = 0, passed = 0, failed = 0, errors = 0;
  std::int64_t elapsed_ms = 0;
  std::optional<std::int64_t> eta_ms;  // none: nothing to estimate from yet
  // VM modes: what the RAM broker has leased now.
  bool vm = false;
  std::uint64_t clones = 0, leased_mib = 0, budget_mib = 0;
  std::size_t queued = 0;  // started but waiting for the broker (RAM, a host another iteration holds)
  std::string note;  // "interrupted", "stopping: --max-failures", ...
  std::vector<RunningIteration> running;
};

// Remaining time: what the iterations not finished still need (their hint, the median
// of earlier runs, less what a running one has already spent; without a hint, the mean
// of this run's finished iterations), spread over the iterations that run at once
// (`parallel`: those admitted now), and never less than what the longest running one
// still needs. `expected_ms[i]` is 0 for no hint; `elapsed_ms[i]` is set for admitted
// running ones. Hints are clamped to 30 days.
struct EtaInput {
  std::vector<std::uint64_t> expected_ms;          // every iteration not finished
  std::vector<std::optional<std::int64_t>> elapsed_ms;  // same order: running ones
  std::vector<std::int64_t> finished_ms;           // durations of this run's finished ones
  std::size_t parallel = 1;
};
std::optional<std::int64_t> estimate_remaining_ms(const EtaInput& in);

// The lines to draw, none wider than `width` columns (a wrapped line would break the
// redraw; a non-ASCII character counts as two, as wide CJK and emoji are): the bar
// line, then at most `max_running` running iterations (longest running first) and
// "+N more".
std::vector<std::string> progress_lines(const ProgressView& view, std::size_t width, std::size_t max_running = 8);

// "42s", "3m07s", "2h05m".
std::string short_duration(std::int64_t ms);

}  // namespace runner
