#include "actors/reporter.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/interfaces.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/report_codec.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/db/spool.hpp"
#include "adapters/db/spool_replay.hpp"

namespace runner {
namespace {

struct reporter_state {
  /// Database writes; re-connects by itself after a failure.
  std::unique_ptr<ReportStore> store;
  /// Where writes go while the database is away; replayed in order.
  std::unique_ptr<Spool> spool;
  /// Spool file name for this process's writes (the first benchmark id seen).
  std::string stream = "reports";
  std::chrono::milliseconds retry_interval{};
  /// True while writes go to the spool; order then requires every later write to
  /// queue behind the spooled ones until a replay drains them.
  bool spooling = false;
  bool retry_armed = false;
  static inline const char* name = "reporter";
};

using reporter_pointer = reporter_actor::stateful_pointer<reporter_state>;

void arm_retry(reporter_pointer self) {
  if (self->state.retry_armed) return;
  self->state.retry_armed = true;
  self->delayed_send(self, self->state.retry_interval, retry_atom::value);
}

// Replays the spool; true when it is empty afterwards.
bool drain(reporter_pointer self) {
  auto& st = self->state;
  auto res = replay_spool(*st.store, *st.spool);
  if (res.skipped) spdlog::warn("spool: skipped {} unreadable line(s) in {}", res.skipped, st.spool->dir());
  if (res.remaining > 0) return false;
  if (res.applied > 0) spdlog::info("replayed {} spooled report write(s) to the database", res.applied);
  st.spooling = false;
  return true;
}

bool persist(reporter_pointer self, const ReportOp& op) {
  auto& st = self->state;
  if (st.spooling) {
    try {
      drain(self);
    } catch (const std::exception&) {
    }
  }
  if (!st.spooling) {
    try {
      apply_report_op(*st.store, op);
      return true;
    } catch (const DbError& e) {
      if (e.kind == DbError::Kind::query) {
        // Retrying cannot help; keep the write for a human and carry on.
        spdlog::error("{}; kept in {}", e.what(), st.spool->dir());
        st.spool->reject(st.stream, encode_op(op));
        return false;
      }
      spdlog::warn("database unreachable ({}); spooling reports to {}", e.what(), st.spool->dir());
      st.spooling = true;
    }
  }
  st.spool->append(st.stream, encode_op(op));
  arm_retry(self);
  return false;
}

reporter_actor::behavior_type reporter(reporter_pointer self, ReporterSettings settings) {
  auto& st = self->state;
  st.store = std::make_unique<ReportStore>(settings.database_url);
  st.spool = std::make_unique<Spool>(settings.spool_dir);
  st.retry_interval = settings.retry_interval;
  // Lines left by an earlier process go first, before anything of this run.
  st.spooling = st.spool->pending() > 0;
  if (st.spooling) arm_retry(self);
  return {
      [=](bench_start_atom, const BenchmarkRecord& b) {
        self->state.stream = b.id;
        return persist(self, b);
      },
      [=](report_atom, const ScenarioReport& r) { return persist(self, r); },
      [=](bench_finish_atom, const std::string& id, const std::string& status, const std::string& finished_at,
          const std::string& capacity) {
        return persist(self, BenchmarkFinish{id, status, finished_at, capacity});
      },
      [=](replay_atom) -> uint64_t {
        if (self->state.spooling) {
          try {
            drain(self);
          } catch (const std::exception&) {
          }
        }
        return self->state.spool->pending();
      },
      [=](retry_atom) {
        self->state.retry_armed = false;
        bool empty = false;
        try {
          empty = drain(self);
        } catch (const std::exception&) {
        }
        if (!empty) arm_retry(self);
      },
  };
}

}  // namespace

reporter_actor spawn_reporter(caf::actor_system& sys, const ReporterSettings& settings) {
  if (settings.detached) return sys.spawn<caf::detached>(reporter, settings);
  return sys.spawn(reporter, settings);
}

}  // namespace runner
