#include "app/scenario_source.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "adapters/git/git_source.hpp"
#include "adapters/scenarios/scenario_loader.hpp"

namespace fs = std::filesystem;

namespace runner {

void require_source_settings(const Config& cfg, const std::string& source) {
  auto missing = missing_source_variables(cfg, source);
  if (missing.empty()) return;
  std::string names;
  for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
  // The git source is the default: a user without git settings most likely wants a folder.
  throw SourceSettingsError("--source git (the default) needs " + names +
                            "; to use a scenarios folder instead, pass --source fs -p PATH");
}

ScenarioRoot resolve_scenario_root(const std::string& source, const std::optional<std::string>& path,
                                   const Config& cfg) {
  ScenarioRoot out;
  if (source == "fs") {
    if (path) {
      out.root = *path;
      return out;
    }
    for (const char* candidate : {"scenarios", "/etc/2501/runner/scenarios"}) {
      std::error_code ec;
      if (fs::is_directory(candidate, ec)) {
        out.root = candidate;
        return out;
      }
    }
    throw DiscoveryError("no scenarios folder found (looked for ./scenarios and /etc/2501/runner/scenarios); pass -p");
  }
  require_source_settings(cfg, "git");
  GitSourceSettings gs;
  gs.url = cfg.get("GIT_RUNNER_REPOSITORY");
  gs.pat = cfg.get("GIT_RUNNER_PAT");
  if (cfg.has("GIT_REF")) gs.ref = cfg.get("GIT_REF");
  if (cfg.has("GIT_RUNNER_USERNAME")) gs.username = cfg.get("GIT_RUNNER_USERNAME");
  GitCheckout co = sync_git_source(gs);
  spdlog::debug("git: {} {} at {}", co.reused ? "updated cache" : "cloned into", co.workdir, co.commit);
  out.commit = co.commit;
  fs::path root = co.workdir;
  if (path) {
    fs::path rel = *path;
    if (rel.is_absolute()) throw DiscoveryError("-p: '" + *path + "' must be relative to the repository root with --source git");
    root /= rel;
  } else if (std::error_code ec; fs::is_directory(root / "scenarios", ec)) {
    root /= "scenarios";
  }
  out.root = root.lexically_normal().string();
  return out;
}

}  // namespace runner
