#pragma once
// Spawning a gateway poller (interface in actors/interfaces.hpp).
#include <cstdint>
#include <string>

namespace runner {

struct PollerSettings {
  std::string engine_url;
  std::string engine_api_key;
  std::uint32_t http_timeout_ms = 15'000;  // per exchange; a slower answer is retried
  // -g servicenow: the ticket is a ServiceNow incident; the job is found through the
  // engine by incident number.
  std::string gateway = "runner";
  std::string servicenow_url, servicenow_username, servicenow_password;
  std::string assignment_group, caller_id;

  // Settings for the runner gateway.
  static PollerSettings engine(std::string url, std::string key, std::uint32_t http_timeout_ms = 15'000) {
    PollerSettings s;
    s.engine_url = std::move(url);
    s.engine_api_key = std::move(key);
    s.http_timeout_ms = http_timeout_ms;
    return s;
  }
};

}  // namespace runner
