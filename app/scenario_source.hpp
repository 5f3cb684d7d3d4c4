#pragma once
// Where the scenarios of a command come from: a local folder (--source fs) or a
// cached clone of GIT_RUNNER_REPOSITORY (--source git).
#include <optional>
#include <stdexcept>
#include <string>

#include "adapters/env/config.hpp"

namespace runner {

struct ScenarioRoot {
  std::string root;    // folder to walk for scenario.json
  std::string commit;  // git source only: the checked-out commit SHA
};

// The settings a source needs are missing (GIT_RUNNER_REPOSITORY, GIT_RUNNER_PAT for
// --source git). One message and one exit code (pre-flight's) for every command.
struct SourceSettingsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Throws SourceSettingsError naming what is missing and how to use a folder instead.
void require_source_settings(const Config& cfg, const std::string& source);

// fs: -p, else ./scenarios, else /etc/2501/runner/scenarios.
// git: sync the cache, then -p relative to the repository root (default: its
// scenarios/ folder when present, else the root). Throws SourceSettingsError,
// DiscoveryError or GitSourceError.
ScenarioRoot resolve_scenario_root(const std::string& source, const std::optional<std::string>& path,
                                   const Config& cfg);

}  // namespace runner
