#pragma once
// Spawn functions of the runner's actors. Include actors/interfaces.hpp first.
#include "actors/interfaces.hpp"
#include "actors/reporter.hpp"

namespace runner {

reporter_actor spawn_reporter(caf::actor_system& sys, const ReporterSettings& settings);

}  // namespace runner
