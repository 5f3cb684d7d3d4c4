#pragma once
// An HTTP exchange as plain data: what the HTTP client actor is asked to do and what
// it answers. Retries happen inside the client according to the request's policy.
#include <cstdint>
#include <string>
#include <vector>

namespace runner {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::uint32_t connect_timeout_ms = 5'000;
  std::uint32_t timeout_ms = 15'000;  // whole exchange
  // Retry transport errors, 429 and 5xx? Reads, and creates made safe by an
  // Idempotency-Key, say yes; anything else no.
  bool retryable = true;
  std::uint32_t max_attempts = 6;
  std::string label;  // for logs: "create ticket", "poll job"
};

struct HttpResponse {
  long status = 0;            // 0 when no response arrived
  std::string body;
  std::string error;          // transport error text when status == 0
  std::uint32_t attempts = 0;
  std::uint32_t retry_after_s = 0;  // from a Retry-After header, seconds
  bool too_large = false;     // the body passed RUNNER_HTTP_MAX_BODY_MIB: final, never retried
};

}  // namespace runner
