#include "app/commands/history_command.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/db/db_error.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/results_support.hpp"
#include "app/reports/report_output.hpp"
#include "app/summary.hpp"
#include "core/history.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

// A selection item names a key, a tag or a key glob, as -s does everywhere.
bool selected(const ScenarioRun& r, const std::vector<std::string>& items) {
  if (items.empty()) return true;
  for (const auto& item : items)
    if (selection_item_matches(item, r.scenario_key, r.tags)) return true;
  return false;
}

std::string label(const ScenarioRun& r) { return r.benchmark_name.empty() ? r.benchmark_id.substr(0, 8) : r.benchmark_name; }

}  // namespace

int run_history_command(const HistoryOptions& opts) {
  return with_benchmark_reader(opts.common, "history", [&](BenchmarkReader& db) {
    const auto items = split_selection(opts.scenarios);
    const auto histories =
        scenario_histories(db.scenario_runs(opts.last), [&](const ScenarioRun& r) { return selected(r, items); });
    if (histories.empty() && !items.empty()) {
      spdlog::error("-s: '{}' matches no scenario of the last {} run(s)", opts.scenarios, opts.last);
      return exit_code::usage;
    }
    if (opts.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& h : histories) {
        nlohmann::ordered_json runs = nlohmann::ordered_json::array();
        for (const auto& r : h.runs)
          runs.push_back({{"benchmark_id", r.benchmark_id},
                          {"name", r.benchmark_name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.benchmark_name)},
                          {"started_at", r.started_at},
                          {"passed", r.passed},
                          {"iterations", r.total}});
        out.push_back({{"key", h.key},
                       {"runs", runs},
                       {"pass_rate", h.total ? static_cast<double>(h.passed) / h.total : 0.0},
                       {"flips", h.flips},
                       {"last_change", h.last_change ? nlohmann::ordered_json(h.runs[*h.last_change].benchmark_id)
                                                     : nlohmann::ordered_json(nullptr)}});
      }
      write_report_file("-", json_dump_ordered(out) + "\n");
      return exit_code::success;
    }
    if (histories.empty()) {
      spdlog::info("no scenario has been run yet");
      return exit_code::success;
    }
    std::vector<std::vector<std::string>> rows = {{"SCENARIO", "RUNS", "PASS RATE", "OLDEST → NEWEST", "FLIPS", "LAST CHANGE"}};
    for (const auto& h : histories) {
      // One mark per run: ✓ every iteration passed, ✗ none did, ~ some did.
      std::string marks;
      for (const auto& r : h.runs) marks += r.passed == r.total ? "✓" : r.passed == 0 ? "✗" : "~";
      std::string change = "-";
      if (h.last_change) {
        const auto& r = h.runs[*h.last_change];
        change = fmt::format("{} in {} ({})", all_passed(r) ? "now passing" : "now failing", label(r), r.started_at.substr(0, 10));
      }
      rows.push_back({h.key, std::to_string(h.runs.size()),
                      fmt::format("{}/{} ({:.0f}%)", h.passed, h.total, h.total ? 100.0 * h.passed / h.total : 0.0), marks,
                      std::to_string(h.flips), change});
    }
    spdlog::info("history over the last {} run(s): ✓ all iterations passed, ✗ none, ~ some", opts.last);
    print_table(rows);
    return exit_code::success;
  });
}

}  // namespace runner
