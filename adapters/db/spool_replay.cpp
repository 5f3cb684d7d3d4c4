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

Spool::ReplayResult replay_spool(ReportStore& store, Spool& spool, const ReplayObserver& observe) {
  std::size_t rejected = 0;
  auto result = spool.replay([&](const std::string& line) {
    auto op = decode_op(line);
    if (!op) return false;
    try {
      apply_report_op(store, *op);
      if (observe) observe(*op, true);
    } catch (const DbError& e) {
      if (e.kind != DbError::Kind::query) throw;  // the database is away: stop, keep the rest
      spdlog::error("{}; kept in {}", e.what(), spool.dir());
      spool.reject("replay", line);  // throws if it cannot be kept: the line stays spooled
      ++rejected;
      if (observe) observe(*op, false);
    }
    return true;
  });
  result.rejected = rejected;
  return result;
}

SpoolCount count_spooled(const Spool& spool, const std::string& benchmark_id,
                         const std::set<std::pair<std::string, int>>& stored) {
  std::set<std::pair<std::string, int>> waiting;
  std::size_t lines = 0;
  spool.for_each_pending([&](const std::string& line) {
    ++lines;
    auto op = decode_op(line);
    if (!op) return;
    if (const auto* r = std::get_if<ScenarioReport>(&*op); r && r->benchmark_id == benchmark_id) {
      std::pair<std::string, int> key{r->scenario_key, r->iteration};
      if (!stored.count(key)) waiting.insert(std::move(key));
    }
  });
  return {waiting.size(), lines};
}

}  // namespace runner
