#pragma once
// A scenario across stored benchmarks (`history`): its pass rate run by run, how often
// its verdict flipped (flakiness), and when it last changed.
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/benchmark_reader.hpp"

namespace runner {

struct ScenarioHistory {
  std::string key;
  std::vector<ScenarioRun> runs;       // oldest first
  int passed = 0, total = 0;           // over all its runs
  int flips = 0;                       // consecutive runs whose verdicts differ
  std::optional<std::size_t> last_change;  // index in runs of the newest flip
};

// A run's verdict for flips: every iteration passed.
inline bool all_passed(const ScenarioRun& r) { return r.total > 0 && r.passed == r.total; }

// Groups `runs` (oldest first, as BenchmarkReader::scenario_runs returns them) by
// scenario key, keeping those `wanted` accepts.
template <class Wanted>
std::vector<ScenarioHistory> scenario_histories(const std::vector<ScenarioRun>& runs, Wanted wanted);

std::vector<ScenarioHistory> group_histories(const std::vector<ScenarioRun>& runs);

template <class Wanted>
std::vector<ScenarioHistory> scenario_histories(const std::vector<ScenarioRun>& runs, Wanted wanted) {
  std::vector<ScenarioRun> kept;
  for (const auto& r : runs)
    if (wanted(r)) kept.push_back(r);
  return group_histories(kept);
}

}  // namespace runner
