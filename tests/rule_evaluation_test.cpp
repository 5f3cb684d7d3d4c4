#include <catch2/catch.hpp>

#include "core/rule_evaluation.hpp"

using namespace runner;

namespace {

Rule rule(RuleScope scope, Validator v, const std::string& pattern, WhereTarget w = WhereTarget::none,
          bool required = true, bool negate = false) {
  Rule r;
  r.scope = scope;
  r.label = pattern;
  r.validator = v;
  r.pattern = pattern;
  r.where = w;
  r.required = required;
  r.negate = negate;
  return r;
}

JobSnapshot job() {
  JobSnapshot j;
  j.id = "job_1";
  j.status = "completed";
  j.resolution_status = "success";
  j.resolution = "Rotated the log";
  j.plan = "check disk";
  TaskSnapshot t1;
  t1.id = "t1";
  t1.executed_commands = {"df -h", "ls /var/log"};
  t1.summary = "found app.log";
  TaskSnapshot t2;
  t2.id = "t2";
  t2.executed_commands = {"truncate -s0 /var/log/app.log"};
  t2.operational_rules = {"keep 7 days of retention"};
  j.tasks = {t1, t2};
  return j;
}

}  // namespace

TEST_CASE("rules: tasks scope passes when one task matches, negate when none does", "[rules]") {
  Validation v;
  v.rules = {rule(RuleScope::tasks, Validator::pattern_match, "\\bdf\\b", WhereTarget::executed_commands),
             rule(RuleScope::tasks, Validator::pattern_match, "rm -rf", WhereTarget::executed_commands, true, true),
             rule(RuleScope::tasks, Validator::pattern_match, "TRUNCATE", WhereTarget::executed_commands, true, true)};
  auto verdict = evaluate_rules(v, job(), false);
  CHECK(verdict.rules[0].outcome == "passed");
  CHECK(verdict.rules[0].detail.find("task t1") != std::string::npos);
  CHECK(verdict.rules[1].outcome == "passed");  // no task ran rm -rf
  CHECK(verdict.rules[2].outcome == "failed");  // task t2 truncated (case-insensitive)
  CHECK_FALSE(verdict.required_rules_passed);
  CHECK(*verdict.compliance == Approx(200.0 / 3));
}

TEST_CASE("rules: job fields, resolution status, task count bounds", "[rules]") {
  Validation v;
  Rule count = rule(RuleScope::job, Validator::task_count, "");
  count.min = 1;
  count.max = 1;
  v.rules = {rule(RuleScope::job, Validator::job_resolution_status, "^success$"),
             rule(RuleScope::job, Validator::pattern_match, "rotat", WhereTarget::job_resolution),
             rule(RuleScope::job, Validator::pattern_match, "reboot", WhereTarget::job_plan, false), count};
  auto verdict = evaluate_rules(v, job(), false);
  CHECK(verdict.rules[0].outcome == "passed");
  CHECK(verdict.rules[1].outcome == "passed");
  CHECK(verdict.rules[2].outcome == "failed");
  CHECK(verdict.rules[3].outcome == "failed");
  CHECK(verdict.rules[3].detail == "2 task(s); expected 1..1");
  CHECK_FALSE(verdict.required_rules_passed);  // task_count is required
  CHECK(*verdict.compliance == Approx(50.0));
}

TEST_CASE("rules: gateway rules and ticket_status are skipped without an incident", "[rules]") {
  Validation v;
  v.rules = {rule(RuleScope::gateway, Validator::ticket_status, "resolved"),
             rule(RuleScope::gateway, Validator::pattern_match, "fixed", WhereTarget::gateway_summary),
             rule(RuleScope::tasks, Validator::pattern_match, "retention", WhereTarget::operational_rules)};
  auto verdict = evaluate_rules(v, job(), false);
  CHECK(verdict.rules[0].outcome == "skipped");
  CHECK(verdict.rules[1].outcome == "skipped");
  CHECK(verdict.required_rules_passed);
  CHECK(*verdict.compliance == Approx(100.0));  // skipped rules count in neither part

  JobSnapshot j = job();
  j.has_ticket = true;
  j.ticket_state = "6";
  j.gateway_summary = "Fixed the disk";
  verdict = evaluate_rules(v, j, true);
  CHECK(verdict.rules[0].outcome == "passed");  // state 6 is Resolved
  CHECK(verdict.rules[1].outcome == "passed");
}

TEST_CASE("rules: no rules means compliance 100", "[rules]") {
  auto verdict = evaluate_rules({}, job(), false);
  CHECK(verdict.rules.empty());
  CHECK(verdict.required_rules_passed);
  CHECK(*verdict.compliance == Approx(100.0));
  CHECK(rules_json({}) == "[]");
}

TEST_CASE("rules: ticket_status matches the state's label or number, anchored", "[rules]") {
  Validation v;
  v.rules = {rule(RuleScope::gateway, Validator::ticket_status, "^resolved$"),
             rule(RuleScope::gateway, Validator::ticket_status, "^(6|7)$")};
  JobSnapshot j = job();
  j.has_ticket = true;
  j.ticket_state = "Resolved";
  auto verdict = evaluate_rules(v, j, true);
  CHECK(verdict.rules[0].outcome == "passed");
  CHECK(verdict.rules[1].outcome == "passed");
  j.ticket_state = "In Progress";
  verdict = evaluate_rules(v, j, true);
  CHECK(verdict.rules[0].outcome == "failed");
  CHECK(verdict.rules[1].outcome == "failed");
}
