// `validate`: the scenario lint, or (--benchmark) the re-score of a stored run.
#include "app/commands/validate_command.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "adapters/git/git_source.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/rescore.hpp"
#include "app/commands/scenario_lint.hpp"
#include "app/scenario_source.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

// Broken scenarios (no Scenario to select) that the selection names by key, tag or
// key glob, as select_scenarios would have matched them.
std::vector<std::string> broken_files(const Catalog& catalog, const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& b : catalog.broken) {
    bool named = items.empty() || b.key.empty();  // an unreadable file has no key: always shown
    for (const auto& item : items) named |= selection_item_matches(item, b.key, b.tags);
    if (named) out.push_back(b.file);
  }
  return out;
}

nlohmann::json problems_json(const std::vector<Problem>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : list) out.push_back({{"file", p.file}, {"path", p.path}, {"message", p.message}, {"code", p.code}});
  return out;
}

int lint(const ValidateOptions& opts, const Config& cfg) {
  const ScenarioRoot root = resolve_scenario_root(opts.common.source, opts.common.scenarios_path, cfg);
  Catalog catalog = load_catalog(root.root);
  const auto items = split_selection(opts.scenarios);
  Selection sel = select_scenarios(catalog, items);
  LintFindings found = lint_scenarios(catalog, sel.scenarios, broken_files(catalog, items));
  // Every selection error counts (a selected broken scenario's own errors are listed too).
  for (const auto& e : sel.errors)
    found.errors.push_back({"(selection)", "-s", e.rfind("-s: ", 0) == 0 ? e.substr(4) : e, "selection"});
  const std::size_t checked = sel.scenarios.size() + broken_files(catalog, items).size();
  const bool fail = !found.errors.empty() || (opts.strict && !found.warnings.empty());
  if (opts.json) {
    spdlog::info("{}", json_dump(nlohmann::json{{"root", root.root},
                                                {"scenarios", checked},
                                                {"errors", problems_json(found.errors)},
                                                {"warnings", problems_json(found.warnings)},
                                                {"ok", !fail}}));
  } else {
    for (const auto& w : found.warnings) spdlog::warn("{}", w.text());
    for (const auto& e : found.errors) spdlog::error("{}", e.text());
    spdlog::info("validate: {} scenario(s) checked: {} error(s), {} warning(s){}", checked, found.errors.size(),
                 found.warnings.size(), opts.strict && found.errors.empty() && !found.warnings.empty() ? " (--strict: warnings fail)" : "");
  }
  return fail ? exit_code::usage : exit_code::success;
}

}  // namespace

int run_validate_command(const ValidateOptions& opts) {
  Config cfg = load_command_config(opts.common);
  require_source_settings(cfg, opts.common.source);
  if (opts.benchmark) return rescore_benchmark(opts, cfg);
  try {
    return lint(opts, cfg);
  } catch (const GitSourceError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  }
}

}  // namespace runner
