#pragma once
// CAF registration of the message types: atoms, `inspect` overloads and the type-ID
// block. Only actor code and the code that builds the actor system include this
// header; the plain structs themselves live in messages/*.hpp without CAF.
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "messages/report.hpp"

namespace runner {

// --- atoms (at most 10 characters) ------------------------------------------
using bench_start_atom = caf::atom_constant<caf::atom("bstart")>;
using bench_finish_atom = caf::atom_constant<caf::atom("bfinish")>;
using report_atom = caf::atom_constant<caf::atom("report")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;

// --- inspect overloads ------------------------------------------------------
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, BenchmarkRecord& x) {
  return f(caf::meta::type_name("BenchmarkRecord"), x.id, x.organization_id, x.tenant_id, x.user_id, x.status,
           x.started_at, x.finished_at, x.options_json, x.runner_version, x.scenarios_commit);
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
           x.agent_ids_json, x.tokens_json, x.phases_json, x.log_path, x.started_at, x.finished_at, x.duration_ms,
           caf::meta::load_callback([&]() -> caf::error {
             x.compliance_score = has_score ? std::optional<double>(score) : std::nullopt;
             x.task_count = has_tasks ? std::optional<int>(tasks) : std::nullopt;
             return caf::none;
           }));
}

}  // namespace runner

// --- type IDs ---------------------------------------------------------------
CAF_BEGIN_TYPE_ID_BLOCK(runner, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(runner, (runner::BenchmarkRecord))
CAF_ADD_TYPE_ID(runner, (runner::ScenarioReport))
CAF_END_TYPE_ID_BLOCK(runner)
