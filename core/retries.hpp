#pragma once
// `run --retries N`: an iteration that ended in an error of the infrastructure (the
// hosts or clones could not be provisioned, prepare.yml or the memory flush failed,
// the engine or the database could not be reached) is run again, with a new ticket,
// up to N more times. The agent's own outcomes (failed rules or validate.yml, a guard,
// the job's timeout) and interrupts are never retried: a retry must not turn an
// agent's failure into a pass. Earlier attempts are kept with the report.
#include <string>

#include "core/run_settings.hpp"
#include "messages/report.hpp"

namespace runner {

// Whether `r` ended in an error --retries runs again (docs: README "Retries").
bool retryable_error(const ScenarioReport& r);

// Whether the scenario actor leaves `r` to the supervisor (which runs the iteration
// again, or stores `r` when it cannot: an interrupt, --max-failures reached): a
// retryable error with retries left.
bool retry_deferred(const ScenarioReport& r, const ScenarioJob& job, const RunSettings& run);

// `attempts_json` (a JSON array, "" = none) with `r` appended as attempt `attempt`:
// {attempt, error_kind, error_message, started_at, duration_ms, ticket_id, job_id}.
std::string with_attempt(const std::string& attempts_json, const ScenarioReport& r, int attempt);

}  // namespace runner
