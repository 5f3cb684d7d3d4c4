#include "core/retries.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>

#include "adapters/json/json_text.hpp"

namespace runner {

bool retryable_error(const ScenarioReport& r) {
  if (r.status != IterationStatus::error) return false;
  // The infrastructure's kinds. Not: timeout and guard (the job ran: the agent's),
  // validate (judging), internal (a bug: it would fail again), interrupted, host_busy
  // (another runner holds the host: --fail-if-host-busy asked for an error).
  static constexpr std::array<std::string_view, 7> kinds = {"provision", "vm",    "database", "playbook",
                                                            "prepare",   "flush", "gateway"};
  for (auto k : kinds)
    if (r.error_kind == k) return true;
  return false;
}

bool retry_deferred(const ScenarioReport& r, const ScenarioJob& job, const RunSettings& run) {
  return job.attempt <= run.retries && retryable_error(r);
}

std::string with_attempt(const std::string& attempts_json, const ScenarioReport& r, int attempt) {
  auto list = nlohmann::ordered_json::parse(attempts_json.empty() ? "[]" : attempts_json, nullptr, false);
  if (!list.is_array()) list = nlohmann::ordered_json::array();
  list.push_back({{"attempt", attempt},
                  {"error_kind", r.error_kind},
                  {"error_message", r.error_message},
                  {"started_at", r.started_at},
                  {"duration_ms", r.duration_ms},
                  {"ticket_id", r.ticket_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.ticket_id)},
                  {"job_id", r.job_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.job_id)}});
  return json_dump_ordered(list);
}

}  // namespace runner
