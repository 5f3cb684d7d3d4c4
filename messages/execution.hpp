#pragma once
// The execute phase: what the scenario actor asks the gateway poller, and its answer.
#include <cstdint>
#include <string>
#include <vector>

#include "messages/engine.hpp"
#include "messages/lifecycle.hpp"

namespace runner {

struct ExecuteRequest {
  TicketSpec ticket;
  std::uint32_t timeout_ms = 600'000;          // job timeout (scenario timeout_seconds)
  std::vector<std::string> allowed_agents;     // guards; empty = no guard
  std::vector<std::string> allowed_hosts;
  std::uint32_t poll_initial_ms = 500;         // first poll interval, grows x1.5 ...
  std::uint32_t poll_max_ms = 5'000;           // ... up to this ceiling
  // `chaos --kill-command`: the kill playbook the poller has the Ansible worker run
  // (playbook "" = kill through the URL).
  PlaybookRequest chaos_kill;
};

// The job reached a terminal state, or a guard stopped it (the verdict is then
// `failed`). A gateway failure, the timeout and an interrupt are reply errors
// (runner_errc gateway | timeout | interrupted) whose context is
// (message, ticket id, job id, trajectory, chaos, platform timings).
struct ExecuteOutcome {
  std::string ticket_id, job_id;
  JobSnapshot job;            // the last snapshot read
  bool guard_violation = false;
  std::string guard_detail;
  std::uint32_t polls = 0;
  // ServiceNow: the incident and its journal as the instance returned them,
  // {"incident": ..., "journal": [...]} (set by the gateway, folded into the trajectory).
  std::string ticket_record_json;
  // What the agent did, for the report (core/trajectory.hpp); built by the poller at
  // the end. A failed execute carries it as the error's fourth context field.
  std::string trajectory_json;
  // `chaos` only: the chaos section of the report (core/chaos.hpp); the error's fifth
  // context field when the execute failed.
  std::string chaos_json;
  // The platform's timings as observed (core/platform_timings.hpp); the error's sixth
  // context field when the execute failed.
  std::string platform_json;
};

}  // namespace runner
