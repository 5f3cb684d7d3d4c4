#pragma once
// The scenario model: what one scenario.json says, after parsing and checking.
// Plain data only; the loader (adapters/scenarios) fills it, the actors read it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace runner {

// The longest job timeout a scenario or RUNNER_JOB_TIMEOUT_S may ask for: a week.
// (Milliseconds of it fit the 32-bit timers; a larger value was a silent overflow.)
inline constexpr std::int64_t max_timeout_seconds = 7 * 24 * 3600;

enum class RuleScope { gateway, job, tasks };
enum class Validator { pattern_match, job_resolution_status, ticket_status, task_count };

// `where` targets of pattern_match (runner-reference.md section 9.3).
enum class WhereTarget {
  none,  // validators other than pattern_match
  executed_commands, task_summary, task_description, task_plan, agent_messages,
  operational_rules, job_resolution, job_plan, gateway_messages, gateway_summary
};

struct Rule {
  RuleScope scope = RuleScope::job;
  std::size_t index = 0;  // position inside its scope array, for reports and errors
  std::string label;
  Validator validator = Validator::pattern_match;
  bool required = true;
  bool negate = false;
  std::string pattern;                 // pattern_match, job_resolution_status, ticket_status
  WhereTarget where = WhereTarget::none;
  std::optional<std::int64_t> min;     // task_count, inclusive
  std::optional<std::int64_t> max;     // task_count, inclusive
};

struct Validation {
  std::vector<std::string> allowed_agents;  // fail-fast guard (0.3 allowedAgents)
  std::vector<std::string> allowed_hosts;   // fail-fast guard (0.3 allowedHosts)
  std::vector<Rule> rules;                  // declaration order: gateway, job, tasks
};

struct HostSpec {
  std::string host_id;    // host mode: an existing DB host
  std::string host_name;  // inventory hostname; required in VM modes
  std::string template_name;  // VM modes: template to clone
};

struct AgentSpec {
  std::string agent_id;   // host mode: an existing DB agent
  std::string agent_name;
  std::string host_name;
  std::string host_id;
  std::string specialty_key;
};

struct Playbooks {
  bool prepare = false;
  bool restore = false;
  bool validate = false;
  std::string inventory;  // "inventory.ini" or "inventory.yml" when present
};

struct Scenario {
  std::string key;
  std::string title;
  std::string description;
  std::string ticket_title;
  std::string ticket_body;
  std::vector<std::string> tags;
  std::vector<HostSpec> hosts;
  std::vector<AgentSpec> agents;
  Validation validation;
  std::optional<std::int64_t> timeout_seconds;  // our addition: job timeout, 1..max_timeout_seconds
  bool legacy_format = false;                   // 0.3/0.4 form (name + description)

  std::string file;      // path of scenario.json as found
  std::string dir;       // scenario folder, absolute
  std::string rel_dir;   // scenario folder relative to the scenarios root
  Playbooks playbooks;
};

const char* to_string(RuleScope s);
const char* to_string(Validator v);
const char* to_string(WhereTarget w);
std::optional<Validator> validator_from_string(const std::string& s);
std::optional<WhereTarget> where_from_string(const std::string& s);
// The scope a `where` target naturally belongs to (its data lives there).
RuleScope natural_scope(WhereTarget w);

}  // namespace runner
