#pragma once
// When to try an HTTP exchange again, and after how long: exponential backoff with
// full jitter (200 ms doubling, capped at 10 s), a server's Retry-After honoured.
// 401/403 and other 4xx are final: retrying cannot fix a key or a request.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "messages/http.hpp"

namespace runner {

struct RetryPolicy {
  std::chrono::milliseconds base{200};
  std::chrono::milliseconds cap{10'000};
};

// The delay before attempt `attempt + 1`, or nullopt when the outcome is final.
std::optional<std::chrono::milliseconds> retry_delay(const HttpRequest& req, const HttpResponse& resp,
                                                     std::uint32_t attempt, std::mt19937_64& rng,
                                                     const RetryPolicy& policy = {});

bool is_transient(const HttpResponse& resp);

}  // namespace runner
