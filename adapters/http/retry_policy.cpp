#include "adapters/http/retry_policy.hpp"

#include <algorithm>

namespace runner {

bool is_transient(const HttpResponse& r) {
  if (r.too_large) return false;  // the same endless body would come again
  return r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
}

std::optional<std::chrono::milliseconds> retry_delay(const HttpRequest& req, const HttpResponse& resp,
                                                     std::uint32_t attempt, std::mt19937_64& rng,
                                                     const RetryPolicy& policy) {
  if (!req.retryable || attempt >= req.max_attempts || !is_transient(resp)) return std::nullopt;
  if (resp.retry_after_s > 0) return std::chrono::milliseconds(std::min<std::uint64_t>(resp.retry_after_s, 60) * 1000);
  const auto exp = policy.base.count() << std::min<std::uint32_t>(attempt - 1, 16);
  const auto ceiling = std::min<long long>(exp, policy.cap.count());
  std::uniform_int_distribution<long long> jitter(ceiling / 2, ceiling);  // "equal jitter": never hammer at 0 ms
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace runner
