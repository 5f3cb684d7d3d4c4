#pragma once
// Every actor interface of the runner, one place, a comment per handler.
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/caf_types.hpp"

namespace runner {

/// The REPORTER: the only actor that talks to PostgreSQL. Runs detached (its own
/// thread), so blocking libpqxx calls never stall the scheduler. Replies `true` when
/// the write reached the database, `false` when it went to the spool instead.
using reporter_actor = caf::typed_actor<
    // Records the Benchmark row as `running`.
    caf::replies_to<bench_start_atom, BenchmarkRecord>::with<bool>,
    // Upserts one ScenarioReport.
    caf::replies_to<report_atom, ScenarioReport>::with<bool>,
    // Finalizes the Benchmark: (id, status, finished_at); totals come from the rows.
    caf::replies_to<bench_finish_atom, std::string, std::string, std::string>::with<bool>,
    // Tries to replay the spool now; replies with the number of lines still spooled.
    caf::replies_to<replay_atom>::with<uint64_t>,
    // Internal: the spool-retry timer.
    caf::reacts_to<retry_atom>>;

/// The HTTP CLIENT: every HTTP exchange of the process, over one libcurl multi
/// handle on one thread. Retries transient failures of retryable requests with
/// backoff and jitter, honouring Retry-After; replies once with the final outcome.
using http_client_actor = caf::typed_actor<
    // Performs the exchange (with retries); the reply may come much later.
    caf::replies_to<HttpRequest>::with<HttpResponse>,
    // Internal: the curl thread reports one attempt's outcome.
    caf::reacts_to<http_done_atom, uint64_t, HttpResponse>,
    // Internal: a backoff timer expired; try the exchange again.
    caf::reacts_to<http_retry_atom, uint64_t>>;

/// The GATEWAY POLLER: one per execute phase. Creates the ticket, waits for its job,
/// polls the job on an adaptive schedule until it is terminal, the timeout expires
/// (the job is then cancelled) or a guard trips (cancelled too).
using gateway_poller_actor = caf::typed_actor<
    // Runs the whole execute phase; replies when it is over.
    caf::replies_to<execute_atom, ExecuteRequest>::with<ExecuteOutcome>,
    // Interrupt: cancel the job and answer the pending execute as `interrupted`.
    caf::reacts_to<cancel_atom>,
    // Internal: time for the next poll.
    caf::reacts_to<poll_atom>,
    // Internal: the job timeout expired.
    caf::reacts_to<deadline_atom>>;

}  // namespace runner
