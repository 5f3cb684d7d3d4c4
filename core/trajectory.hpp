#pragma once
// The agent's trajectory, kept with each ScenarioReport (column `trajectory`): the job
// as the engine returned it at its last read (tasks with their commands, outputs,
// plans and summaries) and, for ServiceNow, the incident and its journal as the
// instance returned them. Enough to audit what the agent did and to re-score the
// iteration with other rules (`validate --benchmark`). Capped per iteration
// (docs/database.md "trajectory"); what the cap cut is recorded in the document.
#include <cstddef>
#include <optional>
#include <string>

#include "messages/engine.hpp"

namespace runner {

// 1 MiB of JSON text per iteration: far above a normal job (a few KiB to a few
// hundred KiB), low enough that a runaway agent output cannot bloat the database.
inline constexpr std::size_t max_trajectory_bytes = 1024 * 1024;

struct TrajectoryParts {
  std::string gateway;      // runner | servicenow
  std::string job_body;     // the engine's last job answer, as received ("" = never read)
  const JobSnapshot* job = nullptr;  // its reading (ticket fields for ServiceNow)
  std::string ticket_json;  // ServiceNow: {"incident": ..., "journal": [...]} as read ("" = none)
};

// The trajectory document as JSON text, at most `max_bytes`: when the whole does not
// fit, the longest strings are cut (at a character boundary, never inside one) to a
// common length until it does, and "truncated" says how large it was and how many
// strings were cut. "" when there is nothing to keep (no job was ever read).
std::string trajectory_json(const TrajectoryParts& parts, std::size_t max_bytes = max_trajectory_bytes);

// A stored trajectory read back as the snapshot the rules are evaluated on, ticket
// fields included; nullopt when it holds no readable job.
std::optional<JobSnapshot> trajectory_job(const std::string& trajectory);

}  // namespace runner
