#include "core/guards.hpp"

#include <algorithm>

namespace runner {
namespace {

bool allowed(const std::vector<std::string>& list, const std::string& id) {
  return list.empty() || id.empty() || std::find(list.begin(), list.end(), id) != list.end();
}

}  // namespace

std::string guard_violation(const std::vector<std::string>& allowed_agents,
                            const std::vector<std::string>& allowed_hosts, const JobSnapshot& job) {
  for (const auto& t : job.tasks) {
    if (!allowed(allowed_agents, t.agent_id)) return "task " + t.id + " ran on agent " + t.agent_id + ", not in allowedAgents";
    if (!allowed(allowed_hosts, t.host_id)) return "task " + t.id + " ran on host " + t.host_id + ", not in allowedHosts";
  }
  return "";
}

}  // namespace runner
