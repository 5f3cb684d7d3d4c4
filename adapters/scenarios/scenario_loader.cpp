#include "adapters/scenarios/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "adapters/scenarios/scenario_parser.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

std::vector<fs::path> find_scenario_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw DiscoveryError("scenarios path '" + root.string() + "': " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const auto name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();  // .git and other hidden folders hold no scenarios
      continue;
    }
    if (name == "scenario.json" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Playbooks detect_playbooks(const fs::path& dir) {
  Playbooks p;
  std::error_code ec;
  p.prepare = fs::is_regular_file(dir / "prepare.yml", ec);
  p.restore = fs::is_regular_file(dir / "restore.yml", ec);
  p.validate = fs::is_regular_file(dir / "validate.yml", ec);
  if (fs::is_regular_file(dir / "inventory.ini", ec))
    p.inventory = "inventory.ini";
  else if (fs::is_regular_file(dir / "inventory.yml", ec))
    p.inventory = "inventory.yml";
  return p;
}

}  // namespace

Catalog load_catalog(const std::string& root_arg) {
  std::error_code ec;
  if (!fs::exists(root_arg, ec)) throw DiscoveryError("scenarios path '" + root_arg + "' does not exist");
  if (!fs::is_directory(root_arg, ec)) throw DiscoveryError("scenarios path '" + root_arg + "' is not a folder");
  const fs::path root = fs::absolute(root_arg).lexically_normal();
  Catalog cat;
  cat.root = root.string();

  std::map<std::string, std::string> key_files;  // key -> first file defining it
  std::map<std::string, std::size_t> key_index;  // key -> index in cat.scenarios
  for (const auto& file : find_scenario_files(root)) {
    const std::string shown = file.string();
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (!in) {
      cat.errors.push_back({shown, "(file)", "cannot read"});
      cat.broken.push_back({"", {}, shown});
      continue;
    }
    ParsedScenario parsed = parse_scenario(buf.str(), shown);
    cat.warnings.insert(cat.warnings.end(), parsed.warnings.begin(), parsed.warnings.end());
    cat.errors.insert(cat.errors.end(), parsed.errors.begin(), parsed.errors.end());

    if (!parsed.key.empty()) {
      if (auto prev = key_files.find(parsed.key); prev != key_files.end()) {
        cat.errors.push_back({shown, "key", "duplicate key '" + parsed.key + "' (also defined in " + prev->second + ")"});
        // Both definitions are unusable: which one the user meant is unknown.
        if (auto idx = key_index.find(parsed.key); idx != key_index.end()) {
          const auto& first = cat.scenarios[idx->second];
          cat.broken.push_back({first.key, first.tags, first.file});
          cat.scenarios[idx->second].key.clear();  // tombstone, removed below
          key_index.erase(idx);
        }
        cat.broken.push_back({parsed.key, parsed.tags, shown});
        continue;
      }
      key_files[parsed.key] = shown;
    }
    if (!parsed.scenario) {
      cat.broken.push_back({parsed.key, parsed.tags, shown});
      continue;
    }
    Scenario s = std::move(*parsed.scenario);
    const fs::path dir = file.parent_path();
    s.dir = dir.string();
    s.rel_dir = dir.lexically_relative(root).string();
    s.playbooks = detect_playbooks(dir);
    key_index[s.key] = cat.scenarios.size();
    cat.scenarios.push_back(std::move(s));
  }
  std::erase_if(cat.scenarios, [](const Scenario& s) { return s.key.empty(); });
  std::sort(cat.scenarios.begin(), cat.scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.key < b.key; });
  return cat;
}

}  // namespace runner
