#include "adapters/scenarios/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include <set>

#include "adapters/scenarios/scenario_parser.hpp"
#include "adapters/text/utf8.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

// The walk over the scenarios root. Symlinked folders are followed, each real folder
// once (a link back up the tree is a warning, not a loop); a folder that cannot be
// read is a warning naming it, never a silent gap; a scenario.json that is not a
// readable file is an error naming it.
struct Walk {
  Catalog& cat;
  std::vector<fs::path> files;
  std::set<fs::path> visited;  // canonical folders already walked

  void folder(const fs::path& dir) {
    std::error_code ec;
    const fs::path real = fs::canonical(dir, ec);
    if (ec) return cat.warnings.push_back({dir.string(), "(folder)", "cannot resolve: " + ec.message()});
    if (!visited.insert(real).second)
      return cat.warnings.push_back(
          {dir.string(), "(folder)", "leads back to " + real.string() + " (a symlink loop or a second link); not walked again"});
    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      cat.unreadable.push_back(dir.string());
      return cat.warnings.push_back({dir.string(), "(folder)", "cannot read (" + ec.message() + "); scenarios inside it are not loaded"});
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      const std::string name = e.path().filename().string();
      if (!name.empty() && name[0] == '.') continue;  // .git and other hidden entries hold no scenarios
      if (e.is_directory(ec)) {
        folder(e.path());
      } else if (name == "scenario.json") {
        if (e.is_regular_file(ec))
          files.push_back(e.path());
        else
          cat.errors.push_back({e.path().string(), "(file)", e.is_symlink(ec) ? "a symlink to nothing" : "not a regular file"});
      } else if (std::error_code lc; e.is_symlink(lc)) {
        // A link that leads nowhere (or round in a loop) may have been meant as a
        // scenario folder: say so rather than skip it silently.
        std::error_code sc;
        const auto target = fs::status(e.path(), sc);
        if (sc || !fs::exists(target))
          cat.warnings.push_back({e.path().string(), "(folder)",
                                  "a symlink that leads nowhere" + (sc ? " (" + sc.message() + ")" : std::string()) +
                                      "; not walked"});
      }
    }
  }
};

// A playbook is present when its name is a readable regular file (through
// symlinks); a name that exists as anything else (a dangling link, a folder) would
// silently drop a phase, so it is an error naming the file.
bool detect_playbook(const fs::path& file, std::vector<Problem>& errors) {
  std::error_code ec;
  const auto link = fs::symlink_status(file, ec);
  if (!fs::exists(link)) return false;
  const auto target = fs::status(file, ec);
  std::string why;
  if (fs::is_regular_file(target)) {
    if (::access(file.c_str(), R_OK) == 0) return true;
    why = "cannot be read";
  } else if (!fs::exists(target)) {
    why = "is a symlink to nothing (" + fs::read_symlink(file, ec).string() + ")";
  } else if (fs::is_directory(target)) {
    why = "is a folder, not a playbook";
  } else {
    why = "is not a regular file";
  }
  errors.push_back({file.string(), "(file)", file.filename().string() + " " + why + "; the phase would be skipped"});
  return false;
}

Playbooks detect_playbooks(const fs::path& dir, std::vector<Problem>& errors) {
  Playbooks p;
  p.prepare = detect_playbook(dir / "prepare.yml", errors);
  p.restore = detect_playbook(dir / "restore.yml", errors);
  p.validate = detect_playbook(dir / "validate.yml", errors);
  if (detect_playbook(dir / "inventory.ini", errors))
    p.inventory = "inventory.ini";
  else if (detect_playbook(dir / "inventory.yml", errors))
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
  std::map<std::string, std::string> log_names;  // file_safe(key) -> key using it
  Walk walk{cat, {}, {}};
  walk.folder(root);
  for (const auto& file : walk.files) {
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
      // Two keys whose log files would be the same file would mix their logs.
      const std::string log_name = file_safe(parsed.key);
      if (auto other = log_names.find(log_name); other != log_names.end()) {
        cat.errors.push_back({shown, "key", "'" + printable(parsed.key) + "' and '" + printable(other->second) +
                                                "' (" + key_files[other->second] + ") have the same log file name '" +
                                                log_name + "'; rename one"});
        cat.broken.push_back({parsed.key, parsed.tags, shown});
        continue;
      }
      log_names[log_name] = parsed.key;
    }
    if (!parsed.scenario) {
      cat.broken.push_back({parsed.key, parsed.tags, shown});
      continue;
    }
    Scenario s = std::move(*parsed.scenario);
    const fs::path dir = file.parent_path();
    s.dir = dir.string();
    s.rel_dir = dir.lexically_relative(root).string();
    std::vector<Problem> playbook_errors;
    s.playbooks = detect_playbooks(dir, playbook_errors);
    if (!playbook_errors.empty()) {
      cat.errors.insert(cat.errors.end(), playbook_errors.begin(), playbook_errors.end());
      cat.broken.push_back({s.key, s.tags, shown});
      continue;
    }
    key_index[s.key] = cat.scenarios.size();
    cat.scenarios.push_back(std::move(s));
  }
  std::erase_if(cat.scenarios, [](const Scenario& s) { return s.key.empty(); });
  std::sort(cat.scenarios.begin(), cat.scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.key < b.key; });
  return cat;
}

}  // namespace runner
