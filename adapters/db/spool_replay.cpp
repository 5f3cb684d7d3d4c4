#include "adapters/db/spool_replay.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/db_error.hpp"

namespace runner {

void apply_report_op(ReportStore& store, const ReportOp& op) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, BenchmarkRecord>)
          store.start_benchmark(v);
        else if constexpr (std::is_same_v<T, ScenarioReport>)
          store.upsert_report(v);
        else
          store.finish_benchmark(v.benchmark_id, v.status, v.finished_at, v.capacity_json);
      },
      op);
}

Spool::ReplayResult replay_spool(ReportStore& store, Spool& spool) {
  return spool.replay([&](const std::string& line) {
    auto op = decode_op(line);
    if (!op) return false;
    try {
      apply_report_op(store, *op);
    } catch (const DbError& e) {
      if (e.kind != DbError::Kind::query) throw;  // the database is away: stop, keep the rest
      spdlog::error("{}; kept in {}", e.what(), spool.dir());
      spool.reject("replay", line);
    }
    return true;
  });
}

}  // namespace runner
