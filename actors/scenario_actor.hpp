#pragma once
// The scenario actor: one scenario-iteration through provision, prepare, flush,
// execute, validate, restore and report (interface in actors/interfaces.hpp).
#include "actors/run_context.hpp"

namespace caf {
class actor_system;
}

namespace runner {

scenario_actor spawn_scenario(caf::actor_system& sys, ScenarioJob job, std::shared_ptr<const RunSettings> run,
                              const RunActors& actors);

}  // namespace runner
