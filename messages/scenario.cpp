#include "messages/scenario.hpp"

#include <array>
#include <utility>

namespace runner {
namespace {
constexpr std::array<std::pair<const char*, WhereTarget>, 10> where_names{{
    {"executed_commands", WhereTarget::executed_commands},
    {"task_summary", WhereTarget::task_summary},
    {"task_description", WhereTarget::task_description},
    {"task_plan", WhereTarget::task_plan},
    {"agent_messages", WhereTarget::agent_messages},
    {"operational_rules", WhereTarget::operational_rules},
    {"job_resolution", WhereTarget::job_resolution},
    {"job_plan", WhereTarget::job_plan},
    {"gateway_messages", WhereTarget::gateway_messages},
    {"gateway_summary", WhereTarget::gateway_summary},
}};
constexpr std::array<std::pair<const char*, Validator>, 4> validator_names{{
    {"pattern_match", Validator::pattern_match},
    {"job_resolution_status", Validator::job_resolution_status},
    {"ticket_status", Validator::ticket_status},
    {"task_count", Validator::task_count},
}};
}  // namespace

const char* to_string(RuleScope s) {
  switch (s) {
    case RuleScope::gateway: return "gateway";
    case RuleScope::job: return "job";
    case RuleScope::tasks: return "tasks";
  }
  return "?";
}

const char* to_string(Validator v) {
  for (const auto& [name, value] : validator_names)
    if (value == v) return name;
  return "?";
}

const char* to_string(WhereTarget w) {
  for (const auto& [name, value] : where_names)
    if (value == w) return name;
  return "";
}

std::optional<Validator> validator_from_string(const std::string& s) {
  for (const auto& [name, value] : validator_names)
    if (s == name) return value;
  return std::nullopt;
}

std::optional<WhereTarget> where_from_string(const std::string& s) {
  for (const auto& [name, value] : where_names)
    if (s == name) return value;
  return std::nullopt;
}

RuleScope natural_scope(WhereTarget w) {
  switch (w) {
    case WhereTarget::job_resolution:
    case WhereTarget::job_plan: return RuleScope::job;
    case WhereTarget::gateway_messages:
    case WhereTarget::gateway_summary: return RuleScope::gateway;
    default: return RuleScope::tasks;
  }
}

}  // namespace runner
