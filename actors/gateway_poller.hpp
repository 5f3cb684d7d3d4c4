#pragma once
// Spawning a gateway poller (interface in actors/interfaces.hpp).
#include <cstdint>
#include <string>

namespace runner {

struct PollerSettings {
  std::string engine_url;
  std::string engine_api_key;
  std::uint32_t http_timeout_ms = 15'000;  // per exchange; a slower answer is retried
};

}  // namespace runner
