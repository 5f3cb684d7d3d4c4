#pragma once
// Judging one scenario-iteration: the declarative rules of scenario.json against
// the job the platform produced (docs/scenario-format.md, "Verdict and compliance").
// Pure functions; the validator actor and the tests call them.
#include <optional>
#include <string>
#include <vector>

#include "messages/engine.hpp"
#include "messages/scenario.hpp"

namespace runner {

struct RuleResult {
  std::string label;
  RuleScope scope = RuleScope::job;
  Validator validator = Validator::pattern_match;
  bool required = true;
  bool negate = false;
  std::string outcome;  // passed | failed | skipped
  std::string detail;
};

struct Verdict {
  std::vector<RuleResult> rules;
  bool required_rules_passed = true;
  std::optional<double> compliance;  // 100 when no rule was evaluated
};

// `has_ticket`: the run has a ServiceNow incident (gateway rules and ticket_status apply).
Verdict evaluate_rules(const Validation& validation, const JobSnapshot& job, bool has_ticket);

// The rules as the report's JSON: [{label, scope, validator, required, negate, outcome, detail}].
std::string rules_json(const std::vector<RuleResult>& rules);

}  // namespace runner
