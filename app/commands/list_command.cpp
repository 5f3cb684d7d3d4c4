#include "app/commands/list_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/git/git_source.hpp"
#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/scenario_source.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string playbook_list(const Playbooks& p) {
  std::vector<std::string> names;
  if (p.prepare) names.push_back("prepare");
  if (p.restore) names.push_back("restore");
  if (p.validate) names.push_back("validate");
  return names.empty() ? "-" : join(names, ",");
}

void print_json(const std::vector<const Scenario*>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const Scenario* s : list)
    out.push_back({{"key", s->key},
                   {"title", s->title},
                   {"tags", s->tags},
                   {"dir", s->rel_dir},
                   {"playbooks",
                    {{"prepare", s->playbooks.prepare}, {"restore", s->playbooks.restore}, {"validate", s->playbooks.validate}}}});
  spdlog::info("{}", json_dump(out));
}

void print_table(const std::vector<const Scenario*>& list) {
  std::vector<std::array<std::string, 4>> rows = {{"KEY", "TITLE", "TAGS", "PLAYBOOKS"}};
  for (const Scenario* s : list) rows.push_back({s->key, s->title, join(s->tags, ","), playbook_list(s->playbooks)});
  std::array<std::size_t, 4> width{};
  for (const auto& r : rows)
    for (std::size_t c = 0; c < 4; ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < 4; ++c) {
      line += r[c];
      if (c < 3) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    spdlog::info("{}", line);
  }
  spdlog::info("{} scenario(s)", list.size());
}

}  // namespace

int run_list_command(const ListOptions& opts) {
  Config cfg = load_command_config(opts.common);
  require_source_settings(cfg, opts.common.source);
  ScenarioRoot root;
  try {
    root = resolve_scenario_root(opts.common.source, opts.common.scenarios_path, cfg);
  } catch (const GitSourceError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  }
  Catalog catalog = load_catalog(root.root);
  print_catalog_problems(catalog);
  Selection sel = select_scenarios(catalog, split_selection(opts.scenarios));
  for (const auto& e : sel.errors) spdlog::error("{}", e);
  if (opts.json)
    print_json(sel.scenarios);
  else
    print_table(sel.scenarios);
  return sel.errors.empty() ? exit_code::success : exit_code::usage;
}

}  // namespace runner
