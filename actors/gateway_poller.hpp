#pragma once
// Spawning a gateway poller (interface in actors/interfaces.hpp).
#include <string>

namespace runner {

struct PollerSettings {
  std::string engine_url;
  std::string engine_api_key;
};

}  // namespace runner
