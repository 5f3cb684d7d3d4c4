#pragma once
// CAF registration of the message types: atoms, `inspect` overloads and the type-ID
// block. Only actor code and the code that builds the actor system include this
// header; the plain structs themselves live in messages/*.hpp without CAF.
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "messages/engine.hpp"
#include "messages/errors.hpp"
#include "messages/execution.hpp"
#include "messages/http.hpp"
#include "messages/lifecycle.hpp"
#include "messages/report.hpp"

namespace runner {

// --- atoms (at most 10 characters) ------------------------------------------
using bench_start_atom = caf::atom_constant<caf::atom("bstart")>;
using bench_finish_atom = caf::atom_constant<caf::atom("bfinish")>;
using report_atom = caf::atom_constant<caf::atom("report")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using http_done_atom = caf::atom_constant<caf::atom("httpdone")>;
using http_retry_atom = caf::atom_constant<caf::atom("httpretry")>;
using execute_atom = caf::atom_constant<caf::atom("execute")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using release_atom = caf::atom_constant<caf::atom("release")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using provision_atom = caf::atom_constant<caf::atom("provision")>;
using teardown_atom = caf::atom_constant<caf::atom("teardown")>;
using repair_atom = caf::atom_constant<caf::atom("repair")>;
using playbook_atom = caf::atom_constant<caf::atom("playbook")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using interrupt_atom = caf::atom_constant<caf::atom("interrupt")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using vm_up_atom = caf::atom_constant<caf::atom("vmup")>;
using vm_down_atom = caf::atom_constant<caf::atom("vmdown")>;
using register_atom = caf::atom_constant<caf::atom("register")>;
using unregister_atom = caf::atom_constant<caf::atom("unregist")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using phase_atom = caf::atom_constant<caf::atom("phase")>;
using usage_atom = caf::atom_constant<caf::atom("usage")>;

// --- inspect overloads ------------------------------------------------------
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, BenchmarkRecord& x) {
  return f(caf::meta::type_name("BenchmarkRecord"), x.id, x.organization_id, x.tenant_id, x.user_id, x.status,
           x.started_at, x.finished_at, x.options_json, x.runner_version, x.scenarios_commit, x.rescored_from, x.name,
           x.capacity_json);
}

// std::optional is not inspectable in CAF 0.17: optionals travel as a flag plus a
// value and are rebuilt by a load callback.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ScenarioReport& x) {
  bool has_score = x.compliance_score.has_value();
  double score = x.compliance_score.value_or(0.0);
  bool has_tasks = x.task_count.has_value();
  int tasks = x.task_count.value_or(0);
  return f(caf::meta::type_name("ScenarioReport"), x.benchmark_id, x.scenario_key, x.scenario_title, x.tags_json,
           x.iteration, x.mode, x.gateway, x.status, x.error_kind, x.error_message, has_score, score, x.rules_json,
           x.validate_playbook, x.ticket_id, x.job_id, x.resolution_status, has_tasks, tasks, x.host_ids_json,
           x.agent_ids_json, x.tokens_json, x.phases_json, x.trajectory_json, x.chaos_json, x.platform_json, x.attempts_json, x.log_path, x.started_at, x.finished_at, x.duration_ms,
           caf::meta::load_callback([&]() -> caf::error {
             x.compliance_score = has_score ? std::optional<double>(score) : std::nullopt;
             x.task_count = has_tasks ? std::optional<int>(tasks) : std::nullopt;
             return caf::none;
           }));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, HttpRequest& x) {
  return f(caf::meta::type_name("HttpRequest"), x.method, x.url, x.headers, x.body, x.connect_timeout_ms,
           x.timeout_ms, x.retryable, x.max_attempts, x.label);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, HttpResponse& x) {
  return f(caf::meta::type_name("HttpResponse"), x.status, x.body, x.error, x.attempts, x.retry_after_s, x.too_large);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, TokenUsage& x) {
  return f(caf::meta::type_name("TokenUsage"), x.prompt, x.completion, x.total, x.invalid);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, TaskSnapshot& x) {
  return f(caf::meta::type_name("TaskSnapshot"), x.id, x.agent_id, x.host_id, x.status, x.description, x.plan,
           x.summary, x.executed_commands, x.agent_messages, x.operational_rules);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, JobSnapshot& x) {
  return f(caf::meta::type_name("JobSnapshot"), x.id, x.ticket_id, x.status, x.resolution_status, x.resolution,
           x.plan, x.tokens, x.tasks, x.ticket_state, x.gateway_messages, x.gateway_summary, x.has_ticket);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, TicketSpec& x) {
  return f(caf::meta::type_name("TicketSpec"), x.title, x.body, x.organization_id, x.tenant_id, x.user_id,
           x.agent_ids, x.host_ids, x.benchmark_id, x.scenario_key, x.iteration, x.attempt, x.llm_model,
           x.multimodal_llm_model);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ExecuteRequest& x) {
  return f(caf::meta::type_name("ExecuteRequest"), x.ticket, x.timeout_ms, x.allowed_agents, x.allowed_hosts,
           x.poll_initial_ms, x.poll_max_ms, x.chaos_kill);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ExecuteOutcome& x) {
  return f(caf::meta::type_name("ExecuteOutcome"), x.ticket_id, x.job_id, x.job, x.guard_violation, x.guard_detail,
           x.polls, x.ticket_record_json, x.trajectory_json, x.chaos_json, x.platform_json);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, LeaseRequest& x) {
  return f(caf::meta::type_name("LeaseRequest"), x.holder, x.mib, x.hosts, x.expected_ms, x.clones);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, LeaseGrant& x) {
  return f(caf::meta::type_name("LeaseGrant"), x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, HostRow& x) {
  return f(caf::meta::type_name("HostRow"), x.id, x.name, x.inventory_name, x.address, x.port, x.ssh_user,
           x.ssh_key_path, x.connection, x.ansible_vars_json);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ProvisionRequest& x) {
  return f(caf::meta::type_name("ProvisionRequest"), x.benchmark_id, x.scenario_key, x.iteration, x.organization_id, x.host_ids,
           x.host_names, x.agent_ids, x.main_engine, x.secondary_engine, x.specialty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Provisioned& x) {
  return f(caf::meta::type_name("Provisioned"), x.hosts, x.agent_ids, x.agent_host_ids);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, VmUpRequest& x) {
  return f(caf::meta::type_name("VmUpRequest"), x.template_name, x.clone_name, x.host_name, x.benchmark_id,
           x.scenario_key, x.iteration);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, RegisterRequest& x) {
  return f(caf::meta::type_name("RegisterRequest"), x.organization_id, x.benchmark_id, x.hosts, x.agent_names,
           x.agent_host_names, x.agent_specialties, x.main_engine, x.secondary_engine);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, PlaybookRequest& x) {
  return f(caf::meta::type_name("PlaybookRequest"), x.playbook, x.inventory, x.workdir, x.extra_vars_json,
           x.log_path, x.timeout_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, PlaybookOutcome& x) {
  return f(caf::meta::type_name("PlaybookOutcome"), x.passed, x.exit_code, x.timed_out, x.seconds);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ReportLedger& x) {
  return f(caf::meta::type_name("ReportLedger"), x.stored, x.spooled, x.rejected, x.lost, x.spool_lines, x.spool_dir);
}

}  // namespace runner

// --- type IDs ---------------------------------------------------------------
CAF_BEGIN_TYPE_ID_BLOCK(runner, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(runner, (runner::BenchmarkRecord))
CAF_ADD_TYPE_ID(runner, (runner::ScenarioReport))
CAF_ADD_TYPE_ID(runner, (runner::HttpRequest))
CAF_ADD_TYPE_ID(runner, (runner::HttpResponse))
CAF_ADD_TYPE_ID(runner, (runner::TokenUsage))
CAF_ADD_TYPE_ID(runner, (runner::TaskSnapshot))
CAF_ADD_TYPE_ID(runner, (runner::JobSnapshot))
CAF_ADD_TYPE_ID(runner, (runner::TicketSpec))
CAF_ADD_TYPE_ID(runner, (runner::ExecuteRequest))
CAF_ADD_TYPE_ID(runner, (runner::ExecuteOutcome))
CAF_ADD_TYPE_ID(runner, (runner::LeaseRequest))
CAF_ADD_TYPE_ID(runner, (runner::LeaseGrant))
CAF_ADD_TYPE_ID(runner, (runner::HostRow))
CAF_ADD_TYPE_ID(runner, (runner::ProvisionRequest))
CAF_ADD_TYPE_ID(runner, (runner::Provisioned))
CAF_ADD_TYPE_ID(runner, (runner::PlaybookRequest))
CAF_ADD_TYPE_ID(runner, (runner::PlaybookOutcome))
CAF_ADD_TYPE_ID(runner, (runner::VmUpRequest))
CAF_ADD_TYPE_ID(runner, (runner::RegisterRequest))
CAF_ADD_TYPE_ID(runner, (runner::ReportLedger))
CAF_END_TYPE_ID_BLOCK(runner)

// Replies fail with a runner_errc (category "runner"); see actors/system_config.
CAF_ERROR_CODE_ENUM(runner::runner_errc, "runner")
