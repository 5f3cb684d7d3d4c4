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

}  // namespace runner
