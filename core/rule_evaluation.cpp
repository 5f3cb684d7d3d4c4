#include "core/rule_evaluation.hpp"

#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"
#include "adapters/text/utf8.hpp"
#include "adapters/regex/regex.hpp"

namespace runner {
namespace {

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "\n") + s;
  return out;
}

// The text a task offers to a `where` target (multi-valued fields one per line).
std::string task_text(const TaskSnapshot& t, WhereTarget w) {
  switch (w) {
    case WhereTarget::executed_commands: return join_lines(t.executed_commands);
    case WhereTarget::task_summary: return t.summary;
    case WhereTarget::task_description: return t.description;
    case WhereTarget::task_plan: return t.plan;
    case WhereTarget::agent_messages: return join_lines(t.agent_messages);
    case WhereTarget::operational_rules: return join_lines(t.operational_rules);
    default: return "";
  }
}

bool is_task_target(WhereTarget w) { return natural_scope(w) == RuleScope::tasks; }

// What a rule detail quotes of the text it matched: one line, cut on a character.
std::string snippet(const std::string& s) {
  std::string out = utf8_truncate(s, 83);
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

// A ServiceNow state as its number and its label ("6" and "Resolved"), to match either.
std::vector<std::string> state_forms(const std::string& state) {
  static const std::pair<const char*, const char*> names[] = {{"1", "New"},      {"2", "In Progress"},
                                                              {"3", "On Hold"},  {"6", "Resolved"},
                                                              {"7", "Closed"},   {"8", "Canceled"}};
  for (auto [num, label] : names)
    if (state == num || state == label) return {num, label};
  return {state};
}

// Evaluates the condition (before negate); detail explains the outcome.
bool check(const Rule& r, const JobSnapshot& job, std::string& detail) {
  std::string err;
  auto re = r.validator == Validator::task_count ? std::nullopt : Regex::compile(r.pattern, &err);
  switch (r.validator) {
    case Validator::task_count: {
      const auto n = static_cast<std::int64_t>(job.tasks.size());
      const bool ok = (!r.min || n >= *r.min) && (!r.max || n <= *r.max);
      detail = std::to_string(n) + " task(s); expected " + (r.min ? std::to_string(*r.min) : "0") + ".." +
               (r.max ? std::to_string(*r.max) : "any");
      return ok;
    }
    case Validator::job_resolution_status:
      detail = "resolution status '" + job.resolution_status + "'";
      return re->search(job.resolution_status);
    case Validator::ticket_status: {
      detail = "incident state '" + job.ticket_state + "'";
      // The pattern may name the state by label or by number: either form matches.
      for (const auto& form : state_forms(job.ticket_state))
        if (re->search(form)) return true;
      return false;
    }
    case Validator::pattern_match: break;
  }
  if (is_task_target(r.where) && r.scope == RuleScope::tasks) {
    for (const auto& t : job.tasks) {
      const std::string text = task_text(t, r.where);
      if (re->search(text)) {
        detail = "matched in task " + t.id + ": " + snippet(text);
        return true;
      }
    }
    detail = "no task's " + std::string(to_string(r.where)) + " matched /" + r.pattern + "/ (" +
             std::to_string(job.tasks.size()) + " task(s))";
    return false;
  }
  std::string text;
  if (is_task_target(r.where)) {
    for (const auto& t : job.tasks) text += (text.empty() ? "" : "\n") + task_text(t, r.where);
  } else if (r.where == WhereTarget::job_resolution) {
    text = job.resolution;
  } else if (r.where == WhereTarget::job_plan) {
    text = job.plan;
  } else if (r.where == WhereTarget::gateway_messages) {
    text = join_lines(job.gateway_messages);
  } else if (r.where == WhereTarget::gateway_summary) {
    text = job.gateway_summary;
  }
  const bool ok = re->search(text);
  detail = std::string(to_string(r.where)) + (ok ? " matched: " + snippet(text) : " did not match /" + r.pattern + "/");
  return ok;
}

}  // namespace

Verdict evaluate_rules(const Validation& validation, const JobSnapshot& job, bool has_ticket) {
  Verdict v;
  int evaluated = 0, passed = 0;
  for (const Rule& r : validation.rules) {
    RuleResult res{r.label, r.scope, r.validator, r.required, r.negate, "", ""};
    const bool gateway_only = r.scope == RuleScope::gateway || r.validator == Validator::ticket_status ||
                              r.where == WhereTarget::gateway_messages || r.where == WhereTarget::gateway_summary;
    if (gateway_only && !has_ticket) {
      res.outcome = "skipped";
      res.detail = "no ServiceNow incident in this run (gateway runner)";
      v.rules.push_back(std::move(res));
      continue;
    }
    bool ok = false;
    try {
      ok = check(r, job, res.detail) != r.negate;
      if (r.negate) res.detail = "negated: " + res.detail;
    } catch (const std::exception& e) {
      ok = false;  // a pattern that hits PCRE2's match limit cannot vouch for anything
      res.detail = e.what();
    }
    res.outcome = ok ? "passed" : "failed";
    ++evaluated;
    if (ok) ++passed;
    if (!ok && r.required) v.required_rules_passed = false;
    v.rules.push_back(std::move(res));
  }
  v.compliance = evaluated == 0 ? 100.0 : 100.0 * passed / evaluated;
  return v;
}

std::string rules_json(const std::vector<RuleResult>& rules) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();  // label first, as people read it
  for (const auto& r : rules)
    out.push_back({{"label", r.label},
                   {"scope", to_string(r.scope)},
                   {"validator", to_string(r.validator)},
                   {"required", r.required},
                   {"negate", r.negate},
                   {"outcome", r.outcome},
                   {"detail", r.detail}});
  return json_dump_ordered(out);
}

}  // namespace runner
