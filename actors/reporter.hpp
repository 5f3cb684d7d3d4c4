#pragma once
// Spawning the reporter actor (see actors/interfaces.hpp for its interface).
#include <chrono>
#include <string>

#include "actors/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace runner {

struct ReporterSettings {
  std::string database_url;
  std::string spool_dir;
  std::chrono::milliseconds retry_interval{std::chrono::seconds(5)};
  bool detached = true;  // tests with the deterministic coordinator spawn it attached
};

reporter_actor spawn_reporter(caf::actor_system& sys, const ReporterSettings& settings);

}  // namespace runner
