#pragma once
// The supervisor actor (interface in actors/interfaces.hpp).
#include <vector>

#include "actors/run_context.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// `plan` in execution order; `window` bounds how many scenario actors live at once
// (waiting for admission or running).
supervisor_actor spawn_supervisor(caf::actor_system& sys, std::vector<ScenarioJob> plan,
                                  std::shared_ptr<const RunSettings> run, RunActors actors, std::size_t window);

}  // namespace runner
