#pragma once
// Settings of the HTTP client actor (interface in actors/interfaces.hpp).
#include <chrono>

namespace runner {

struct HttpClientSettings {
  std::chrono::milliseconds retry_base{200};
  std::chrono::milliseconds retry_cap{10'000};
};

}  // namespace runner
