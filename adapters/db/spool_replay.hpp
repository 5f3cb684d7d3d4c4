#pragma once
// Replays a spool into the database: the one procedure the reporter actor and the
// start of every connecting command share.
#include <functional>
#include <set>
#include <utility>
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
// `observe(op, stored)` (optional) hears of every decoded line: stored, or refused.
using ReplayObserver = std::function<void(const ReportOp&, bool stored)>;
Spool::ReplayResult replay_spool(ReportStore& store, Spool& spool, const ReplayObserver& observe = {});

// What waits in the spool, read in one pass: every line, and this benchmark's
// ScenarioReports by (key, iteration), leaving out those in `stored` (a line already
// applied, kept by a compaction that failed).
struct SpoolCount {
  std::size_t reports = 0;
  std::size_t lines = 0;
};
SpoolCount count_spooled(const Spool& spool, const std::string& benchmark_id,
                         const std::set<std::pair<std::string, int>>& stored = {});

}  // namespace runner
