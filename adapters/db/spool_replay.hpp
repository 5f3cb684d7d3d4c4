#pragma once
// Replays a spool into the database: the one procedure the reporter actor and the
// start of every connecting command share.
#include <string>

#include "adapters/db/report_codec.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/db/spool.hpp"

namespace runner {

// Writes one operation (benchmark start, report, finish). Throws DbError.
void apply_report_op(ReportStore& store, const ReportOp& op);

// Applies every spooled line in order. A line the database refuses (DbError::query)
// moves to the spool's rejected file; a lost connection stops the replay and keeps
// the rest. Undecodable lines are skipped (counted in the result).
Spool::ReplayResult replay_spool(ReportStore& store, Spool& spool);

}  // namespace runner
