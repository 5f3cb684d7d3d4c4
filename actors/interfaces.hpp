#pragma once
// Every actor interface of the runner, one place, a comment per handler.
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/caf_types.hpp"

namespace runner {

/// The REPORTER: the only actor that talks to PostgreSQL. Runs detached (its own
/// thread), so blocking libpqxx calls never stall the scheduler. Replies `true` when
/// the write reached the database, `false` when it did not (spooled, refused, or held
/// in memory because the spool cannot be written either); it never dies of a
/// failed write, and logs every one.
using reporter_actor = caf::typed_actor<
    // Records the Benchmark row as `running`.
    caf::replies_to<bench_start_atom, BenchmarkRecord>::with<bool>,
    // Upserts one ScenarioReport.
    caf::replies_to<report_atom, ScenarioReport>::with<bool>,
    // Finalizes the Benchmark: (id, status, finished_at, capacity JSON or ""); totals
    // come from the rows.
    caf::replies_to<bench_finish_atom, std::string, std::string, std::string, std::string>::with<bool>,
    // Tries to replay the spool (and what is held in memory) now; replies with where
    // this run's reports are.
    caf::replies_to<replay_atom>::with<ReportLedger>,
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
    // Runs the whole execute phase; replies when it is over: the terminal (or
    // guard-stopped) job, else a `gateway`, `timeout` or `interrupted` error.
    caf::replies_to<execute_atom, ExecuteRequest>::with<ExecuteOutcome>,
    // Interrupt: cancel the job and answer the pending execute as `interrupted`.
    caf::reacts_to<cancel_atom>,
    // Internal: time for the next poll.
    caf::reacts_to<poll_atom>,
    // Internal: the job timeout expired.
    caf::reacts_to<deadline_atom>>;

/// The PROVISIONER: the platform tables (hosts, agents, overrides). Detached: its
/// libpqxx calls block only its own thread.
using provisioner_actor = caf::typed_actor<
    // Resolves a scenario's hosts and agents by id, holds the hosts for this
    // iteration (across runner processes) and applies the run's overrides. Fails
    // with `host_busy` (another runner holds a host or overrides an agent; ask again
    // later), `provision` (an unknown id) or `database` (after waiting up to
    // RUNNER_DB_WAIT_S for a database that went away).
    caf::replies_to<provision_atom, ProvisionRequest>::with<Provisioned>,
    // Host mode, the end of an iteration: restores the overrides of these agents and
    // lets go of these hosts: (benchmark id, host ids, agent ids).
    caf::replies_to<teardown_atom, std::string, std::vector<std::string>, std::vector<std::string>>::with<bool>,
    // Repairs overrides left by runs that died; replies with the agents restored.
    caf::replies_to<repair_atom>::with<uint64_t>,
    // VM modes: registers clones as ephemeral hosts and the scenario's agents on them.
    // Fails with `provision` or `database`.
    caf::replies_to<register_atom, RegisterRequest>::with<Provisioned>,
    // VM modes: deletes those rows again: (host ids, agent ids).
    caf::replies_to<unregister_atom, std::vector<std::string>, std::vector<std::string>>::with<bool>,
    // Internal: the timer that retries requests waiting for the database.
    caf::reacts_to<retry_atom>,
    // Internal: the run's heartbeat (lock and benchmarks.last_seen), every 3 s.
    caf::reacts_to<tick_atom>>;

/// A VM WORKER: the provider's blocking commands (incus/limactl) for one scenario
/// actor in a VM mode. Detached, one per live scenario actor, linked to it.
using vm_worker_actor = caf::typed_actor<
    // Clones the host's template, starts it, lets the runner key in, waits until it
    // is reachable (bounded); replies with its host row (name = clone, inventory_name
    // = host_name). A clone that fails on the way is destroyed; the reply is `vm`.
    caf::replies_to<vm_up_atom, VmUpRequest>::with<HostRow>,
    // Destroys these clones; true when all are gone.
    caf::replies_to<vm_down_atom, std::vector<std::string>>::with<bool>>;

/// An ANSIBLE WORKER: runs one playbook at a time. Detached (a thread of its own);
/// one per live scenario actor, so their number is bounded by admission. A playbook
/// that could not start at all is a `playbook` error; one that ran is an outcome.
using ansible_worker_actor = caf::typed_actor<
    caf::replies_to<playbook_atom, PlaybookRequest>::with<PlaybookOutcome>>;

/// The RAM BROKER: admits scenario-iterations. A lease is a slice of the memory
/// budget plus exclusive use of the hosts named; it is tied to the holder's life
/// (monitored), so a crashed holder never leaks budget or hosts.
using ram_broker_actor = caf::typed_actor<
    // Grants when the budget fits and no named host is leased, else waits; refused
    // with `admission_closed` after close, `too_large` when it can never fit.
    caf::replies_to<LeaseRequest>::with<LeaseGrant>,
    // Gives a lease back (an iteration that never ran, or a crashed holder's).
    caf::reacts_to<release_atom, uint64_t>,
    // Gives a lease back with the iteration's verdict (passed or not), for --max-failures.
    caf::reacts_to<release_atom, uint64_t, bool>,
    // Stops admitting: every waiting and later request is refused.
    caf::reacts_to<close_atom>,
    // The capacity record: budget, peak leased, leases over time (JSON).
    caf::replies_to<stats_atom>::with<std::string>,
    // What is leased now, for the progress display: clones, MiB, budget MiB.
    caf::replies_to<usage_atom>::with<uint64_t, uint64_t, uint64_t>>;

/// A SCENARIO actor: one scenario-iteration through every phase. Replies to `run`
/// with its report once restore/teardown is done.
using scenario_actor = caf::typed_actor<
    caf::replies_to<run_atom>::with<ScenarioReport>,
    // Interrupt: skip what is left, cancel the job, still restore.
    caf::reacts_to<cancel_atom>,
    // Internal: ask again for hosts another runner held.
    caf::reacts_to<retry_atom>,
    // For the progress display: the phase it is in and the milliseconds since its
    // lease was granted; ("queued", -1) while it waits for the broker.
    caf::replies_to<phase_atom>::with<std::string, int64_t>>;

/// The SUPERVISOR: owns a run. Admits scenario-iterations in plan order through the
/// broker, spawns and monitors one scenario actor each (a crash becomes an `error`
/// report of kind `internal`), and replies with every report when all are done.
using supervisor_actor = caf::typed_actor<
    caf::replies_to<run_atom>::with<std::vector<ScenarioReport>>,
    // SIGINT/SIGTERM: stop admitting, cancel what runs; reports of what ran still come.
    caf::reacts_to<interrupt_atom>,
    // Internal: redraw the status line every second.
    caf::reacts_to<tick_atom>>;

}  // namespace runner
