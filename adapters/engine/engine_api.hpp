#pragma once
// The engine API contract (docs/engine-api.md) in one place: request builders for the
// runner, JSON encoders for the simulator, and parsers for both. No I/O here.
#include <chrono>
#include <optional>
#include <string>

#include "messages/engine.hpp"
#include "messages/http.hpp"

namespace runner::engine_api {

struct Endpoint {
  std::string base_url;  // ENGINE_API_URL, without a trailing slash
  std::string api_key;   // ENGINE_API_KEY
};

// ENGINE_API_URL as users write it, with or without a trailing slash and with or
// without the API's "/api/v1" prefix, as the base the requests below append to.
std::string normalize_base_url(std::string url);

HttpRequest whoami(const Endpoint& ep);
// POST /api/v1/gateways/runner/tickets with an Idempotency-Key, so a retry after a
// lost response returns the same ticket instead of making a second one.
HttpRequest create_ticket(const Endpoint& ep, const TicketSpec& spec, const std::string& idempotency_key);
HttpRequest get_ticket(const Endpoint& ep, const std::string& ticket_id);
HttpRequest get_job(const Endpoint& ep, const std::string& job_id);
HttpRequest cancel_job(const Endpoint& ep, const std::string& job_id);
HttpRequest flush_agent(const Endpoint& ep, const std::string& agent_id);
// `chaos`: POST `kill_url` ("" = the engine's /api/v1/admin/restart). The engine key
// is sent only to the engine's own address; never retried (one kill per job).
HttpRequest kill_engine(const Endpoint& ep, const std::string& kill_url);
// GET /api/v1/jobs?servicenow_incident=NUMBER: the job made from a ServiceNow incident.
HttpRequest find_job_by_incident(const Endpoint& ep, const std::string& incident_number);

// `{{schedule_time}}` -> `at` + 5 minutes, UTC, ISO 8601 with seconds ("2026-11-26T14:05:00Z").
std::string fill_schedule_time(const std::string& body, std::chrono::system_clock::time_point at);
std::string iso8601(std::chrono::system_clock::time_point t);

// --- parsing (runner side) ---
std::optional<std::string> parse_created_ticket_id(const std::string& json);
// The job id of a ticket: "" while no job exists yet; nullopt for a malformed body.
std::optional<std::string> parse_ticket_job_id(const std::string& json);
std::optional<JobSnapshot> parse_job(const std::string& json);
// First job id in {"jobs":[{"id":...}]}; "" when the list is empty.
std::optional<std::string> parse_first_job_id(const std::string& json);

// --- encoding (simulator side) ---
std::string job_json(const JobSnapshot& job);
std::optional<TicketSpec> parse_ticket_spec(const std::string& json);

}  // namespace runner::engine_api
