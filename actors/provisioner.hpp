#pragma once
// Spawning the provisioner (interface in actors/interfaces.hpp).
#include <string>

#include "actors/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// `run_id`: hold that run's liveness lock while the provisioner lives ("" = none).
provisioner_actor spawn_provisioner(caf::actor_system& sys, const std::string& database_url, bool detached = true,
                                    const std::string& run_id = "");

}  // namespace runner
