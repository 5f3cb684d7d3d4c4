#pragma once
// The fail-fast guards of a scenario (allowedAgents, allowedHosts): checked on every
// poll of the job, so a task that strays is cancelled at once.
#include <string>
#include <vector>

#include "messages/engine.hpp"

namespace runner {

// The first task on an agent or host outside the allowed lists ("" = none; an empty
// list allows everything).
std::string guard_violation(const std::vector<std::string>& allowed_agents,
                            const std::vector<std::string>& allowed_hosts, const JobSnapshot& job);

}  // namespace runner
