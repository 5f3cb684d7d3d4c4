#include "core/iteration.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/text/utf8.hpp"
#include "adapters/vm/vm_lifecycle.hpp"
#include "core/playbook_vars.hpp"
#include "core/rule_evaluation.hpp"

namespace fs = std::filesystem;

namespace runner {
std::string iteration_name(const std::string& key, int iteration) { return key + " #" + std::to_string(iteration); }

std::string iteration_log_path(const RunSettings& run, const Scenario& s, int iteration) {
  return (fs::path(run.runs_dir) / run.benchmark_id / (file_safe(s.key) + "-" + std::to_string(iteration) + ".log"))
      .string();
}

InventoryPlace inventory_place(const Scenario& s, const std::string& log_path) {
  if (!s.playbooks.inventory.empty()) return {(fs::path(s.dir) / s.playbooks.inventory).string(), false};
  const fs::path log(log_path);
  return {(log.parent_path() / (log.stem().string() + ".inventory.yml")).string(), true};
}

LeaseRequest lease_request(const RunSettings& run, const ScenarioJob& job) {
  const Scenario& s = *job.scenario;
  LeaseRequest lease{iteration_name(s.key, job.iteration), 1, {}, job.expected_ms};
  if (run.vm) {
    lease.mib = scenario_memory_mib(s, *run.vm->templates);
    lease.clones = static_cast<std::uint32_t>(s.hosts.size());
  } else {
    for (const auto& h : s.hosts)
      if (!h.host_id.empty()) lease.hosts.push_back(h.host_id);
  }
  return lease;
}

std::string host_mode_problem(const Scenario& s) {
  for (const auto& h : s.hosts)
    if (h.host_id.empty()) return "host mode needs host_id for host '" + h.host_name + "'";
  for (const auto& a : s.agents)
    if (a.agent_id.empty()) return "host mode needs agent_id for agent '" + a.agent_name + "'";
  return "";
}

ProvisionRequest provision_request(const RunSettings& run, const Scenario& s, int iteration) {
  ProvisionRequest req;
  req.benchmark_id = run.benchmark_id;
  req.scenario_key = s.key;
  req.iteration = iteration;
  req.organization_id = run.organization_id;
  for (const auto& h : s.hosts) {
    req.host_ids.push_back(h.host_id);
    req.host_names.push_back(h.host_name);
  }
  for (const auto& a : s.agents) req.agent_ids.push_back(a.agent_id);
  req.main_engine = run.main_engine;
  req.secondary_engine = run.secondary_engine;
  req.specialty = run.specialty;
  return req;
}

VmUpRequest vm_up_request(const RunSettings& run, const Scenario& s, std::size_t index, int iteration) {
  const HostSpec& h = s.hosts.at(index);
  VmUpRequest req;
  req.template_name = h.template_name;
  req.host_name = h.host_name;
  req.clone_name = clone_name(run.benchmark_id, s.key, h.host_name, iteration);
  req.benchmark_id = run.benchmark_id;
  req.scenario_key = s.key;
  req.iteration = iteration;
  return req;
}

RegisterRequest register_request(const RunSettings& run, const Scenario& s, std::vector<HostRow> clones) {
  RegisterRequest req;
  req.organization_id = run.organization_id;
  req.benchmark_id = run.benchmark_id;
  req.hosts = std::move(clones);
  add_scenario_agents(req, s, run.specialty);  // the run's --specialty wins
  req.main_engine = run.main_engine;
  req.secondary_engine = run.secondary_engine;
  return req;
}

PlaybookRequest playbook_request(const RunSettings& run, const Scenario& s, int iteration, const std::string& phase,
                                 const std::string& inventory, const std::string& log_path) {
  PlaybookRequest req;
  req.playbook = (fs::path(s.dir) / (phase + ".yml")).string();
  req.inventory = inventory;
  req.workdir = s.dir;
  req.log_path = log_path;
  req.timeout_s = run.playbook_timeout_s;
  req.extra_vars_json = playbook_extra_vars({s.key, s.dir, iteration, run.benchmark_id, to_string(run.mode), phase});
  return req;
}

PlaybookRequest chaos_kill_request(const RunSettings& run, const Scenario& s, int iteration,
                                   const std::string& inventory, const std::string& log_path) {
  PlaybookRequest req;
  req.playbook = run.chaos_kill_playbook;
  req.inventory = inventory;
  req.workdir = s.dir;
  req.log_path = log_path;
  // The execute's reply waits for the kill: a short bound, not a playbook's 10 minutes.
  req.timeout_s = std::min<std::uint32_t>(run.playbook_timeout_s, chaos_kill_timeout_s);
  req.extra_vars_json = playbook_extra_vars(
      {s.key, s.dir, iteration, run.benchmark_id, to_string(run.mode), "chaos", run.chaos_kill_command});
  return req;
}

ExecuteRequest execute_request(const RunSettings& run, const Scenario& s, int iteration, const Provisioned& hosts,
                               SystemClock::time_point now) {
  ExecuteRequest req;
  TicketSpec& t = req.ticket;
  t.title = s.ticket_title;
  t.body = engine_api::fill_schedule_time(s.ticket_body, now);
  t.organization_id = run.organization_id;
  t.tenant_id = run.tenant_id;
  t.user_id = run.user_id;
  t.agent_ids = hosts.agent_ids;
  for (const auto& h : hosts.hosts) t.host_ids.push_back(h.id);
  t.benchmark_id = run.benchmark_id;
  t.scenario_key = s.key;
  t.iteration = iteration;
  t.llm_model = run.gateway_engine;
  t.multimodal_llm_model = run.gateway_multimodal_engine;
  req.timeout_ms = static_cast<std::uint32_t>(1000 * s.timeout_seconds.value_or(run.default_timeout_s));
  req.allowed_agents = s.validation.allowed_agents;
  req.allowed_hosts = s.validation.allowed_hosts;
  req.poll_initial_ms = run.poll_initial_ms;
  req.poll_max_ms = run.poll_max_ms;
  return req;
}

ScenarioReport new_report(const RunSettings& run, const Scenario& s, int iteration, SystemClock::time_point now) {
  ScenarioReport r;
  r.benchmark_id = run.benchmark_id;
  r.scenario_key = s.key;
  r.scenario_title = s.title;
  r.tags_json = json_dump(s.tags);
  r.iteration = iteration;
  r.mode = to_string(run.mode);
  r.gateway = to_string(run.gateway);
  r.status = IterationStatus::pending;  // set by the verdict or the first error
  r.validate_playbook = "absent";
  r.started_at = r.finished_at = engine_api::iso8601(now);
  return r;
}

ScenarioReport error_report(const RunSettings& run, const Scenario& s, int iteration, const std::string& kind,
                            const std::string& message) {
  ScenarioReport r = new_report(run, s, iteration, SystemClock::now());
  record_error(r, kind, message);
  return r;
}

void record_error(ScenarioReport& r, const std::string& kind, const std::string& message) {
  if (r.status == IterationStatus::error) return;  // the first error is the cause
  r.status = IterationStatus::error;
  r.error_kind = kind;
  r.error_message = message;
}

Judgement judge(const Scenario& s, const ExecuteOutcome& outcome) {
  Judgement j;
  const Verdict v = evaluate_rules(s.validation, outcome.job, outcome.job.has_ticket);
  j.rules_json = rules_json(v.rules);
  j.compliance = v.compliance;
  j.passed = v.required_rules_passed && !outcome.guard_violation;
  if (outcome.guard_violation) {
    j.failure = "guard: " + outcome.guard_detail;
  } else if (!j.passed) {
    for (const auto& rule : v.rules)
      if (rule.outcome == "failed" && rule.required) {
        j.failure = "rule failed: " + rule.label;
        break;
      }
  }
  return j;
}

std::string describe(const PlaybookOutcome& o) {
  if (o.timed_out) return "timed out after " + std::to_string(static_cast<int>(o.seconds)) + " s";
  return "exit code " + std::to_string(o.exit_code);
}

// {prompt, completion, total}; a count the engine sent that is not one is null,
// and named under "invalid".
std::string tokens_json(const TokenUsage& t) {
  auto flagged = [&](const char* key) {
    for (const auto& i : t.invalid)
      if (i.rfind(key, 0) == 0) return true;
    return false;
  };
  auto count = [&](const char* key, std::int64_t v) { return flagged(key) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  nlohmann::json j = {{"prompt", count("prompt_tokens", t.prompt)},
                      {"completion", count("completion_tokens", t.completion)},
                      {"total", count("total_tokens", t.total)}};
  if (!t.invalid.empty()) j["invalid"] = t.invalid;
  return json_dump(j);
}

void record_verdict(ScenarioReport& r, const ExecuteOutcome& outcome, const Judgement& j,
                    const std::optional<PlaybookOutcome>& validate, const std::string& validate_error) {
  const JobSnapshot& job = outcome.job;
  r.ticket_id = outcome.ticket_id;
  r.job_id = outcome.job_id;
  r.resolution_status = job.resolution_status;
  r.task_count = static_cast<int>(job.tasks.size());
  r.tokens_json = tokens_json(job.tokens);
  r.rules_json = j.rules_json;
  r.compliance_score = j.compliance;
  r.trajectory_json = outcome.trajectory_json;
  r.chaos_json = outcome.chaos_json;
  r.platform_json = outcome.platform_json;
  bool passed = j.passed;
  std::string why = j.failure;
  if (!validate_error.empty()) {
    r.validate_playbook = "failed";
    passed = false;
    if (why.empty()) why = "validate.yml failed (" + validate_error + ")";
  } else if (validate) {
    r.validate_playbook = validate->passed ? "passed" : "failed";
    if (!validate->passed) {
      passed = false;
      if (why.empty()) why = "validate.yml failed (" + describe(*validate) + ")";
    }
  } else {
    r.validate_playbook = "absent";
  }
  r.status = passed ? IterationStatus::passed : IterationStatus::failed;
  // A guard is recorded even when validation passes it by (the guard decides).
  r.error_message = passed ? "" : why;
  // What failed it, for queries: a tripped guard, or validate.yml (the machine was not
  // fixed); a failed rule alone leaves the kind empty (its detail is in `rules`).
  if (outcome.guard_violation)
    r.error_kind = "guard";
  else if (r.validate_playbook == "failed")
    r.error_kind = "validate";
  else
    r.error_kind.clear();
}

void finalize_report(ScenarioReport& r, const PhaseLog& phases, const Provisioned& hosts, const std::string& log_path,
                     SystemClock::time_point started, SystemClock::time_point now) {
  r.phases_json = phases.json();
  r.finished_at = engine_api::iso8601(now);
  r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count();
  r.log_path = log_path;
  std::vector<std::string> host_ids;
  for (const auto& h : hosts.hosts) host_ids.push_back(h.id);
  r.host_ids_json = json_dump(host_ids);
  r.agent_ids_json = json_dump(hosts.agent_ids);
}

}  // namespace runner
