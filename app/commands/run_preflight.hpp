#pragma once
// `run`, step one: the pre-flight checks (configuration, database, IDs, gateway,
// mode, Ansible, scenario source), each printed on its own line.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actors/interfaces.hpp"
#include "adapters/env/config.hpp"
#include "adapters/vm/vm_provider.hpp"
#include "app/cli.hpp"
#include "app/preflight.hpp"
#include "app/scenario_source.hpp"
#include "core/vm_settings.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// What pre-flight found out and the run goes on with.
struct RunPreflight {
  std::string db_url;
  ScenarioRoot root;
  std::shared_ptr<const VmSettings> vm;  // VM modes
  std::unique_ptr<VmProvider> provider;  // VM modes
};

// Every check runs and prints; nullopt (after one error line listing the failures)
// when any failed.
std::optional<RunPreflight> run_preflight(const RunOptions& opts, const Config& cfg, caf::actor_system& sys,
                                          const http_client_actor& http);

}  // namespace runner
