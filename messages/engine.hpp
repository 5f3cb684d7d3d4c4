#pragma once
// The engine's objects as the runner sees them (docs/engine-api.md), plain data.
#include <cstdint>
#include <string>
#include <vector>

namespace runner {

struct TokenUsage {
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
  std::int64_t total = 0;
  // Counts the engine sent that are not plausible token counts (negative, above
  // max_token_count, not an integer): "prompt_tokens: -5". Stored as null, flagged.
  std::vector<std::string> invalid;
};
inline constexpr std::int64_t max_token_count = 1'000'000'000'000;

struct TaskSnapshot {
  std::string id, agent_id, host_id, status;
  std::string description, plan, summary;
  std::vector<std::string> executed_commands;
  std::vector<std::string> agent_messages;
  std::vector<std::string> operational_rules;
};

struct JobSnapshot {
  std::string id, ticket_id;
  std::string status;             // queued | in_progress | completed | failed | cancelled
  std::string resolution_status;  // success | agentic_failure | hard_failure | partial | no_action
  std::string resolution, plan;
  TokenUsage tokens;
  std::vector<TaskSnapshot> tasks;
  // Ticket-side data (ServiceNow gateway): state label and number, messages, summary.
  std::string ticket_state;
  std::vector<std::string> gateway_messages;
  std::string gateway_summary;
  bool has_ticket = false;  // a ServiceNow incident exists for this run

  bool terminal() const { return status == "completed" || status == "failed" || status == "cancelled"; }
  // A status of the contract (docs/engine-api.md); any other is the engine's error.
  bool known_status() const { return terminal() || status == "queued" || status == "in_progress"; }
};

// What the runner submits for one scenario-iteration.
struct TicketSpec {
  std::string title, body;
  std::string organization_id, tenant_id, user_id;
  std::vector<std::string> agent_ids, host_ids;
  std::string benchmark_id, scenario_key;
  int iteration = 1;
  int attempt = 1;  // run --retries: a later attempt is a new ticket (its own idempotency key)
  std::string llm_model, multimodal_llm_model;  // empty: tenant defaults
};

}  // namespace runner
