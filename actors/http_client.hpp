#pragma once
// Settings of the HTTP client actor (interface in actors/interfaces.hpp).
#include <chrono>

#include "actors/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace runner {

struct HttpClientSettings {
  std::chrono::milliseconds retry_base{200};
  std::chrono::milliseconds retry_cap{10'000};
};

http_client_actor spawn_http_client(caf::actor_system& sys, const HttpClientSettings& settings = {});

}  // namespace runner
