#include "core/history.hpp"

#include <map>

namespace runner {

std::vector<ScenarioHistory> group_histories(const std::vector<ScenarioRun>& runs) {
  std::map<std::string, ScenarioHistory> by_key;
  for (const auto& r : runs) {
    auto& h = by_key[r.scenario_key];
    h.key = r.scenario_key;
    if (!h.runs.empty() && all_passed(h.runs.back()) != all_passed(r)) {
      ++h.flips;
      h.last_change = h.runs.size();
    }
    h.passed += r.passed;
    h.total += r.total;
    h.runs.push_back(r);
  }
  std::vector<ScenarioHistory> out;
  for (auto& [key, h] : by_key) out.push_back(std::move(h));
  return out;
}

}  // namespace runner
