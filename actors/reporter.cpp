// The reporter: every write goes to the database, else to the spool, else is held
// in memory and retried; order is kept across the three (a write waits behind any
// older one that is not stored yet). It never dies of a failed write: each failure is
// a log line and a `false` reply, and the ledger says at the end where everything is.
#include "actors/reporter.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <optional>
#include <set>

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
  /// True while the spool holds lines that must reach the database before any newer write.
  bool spooling = false;
  /// Writes that reached neither the database nor the spool (the spool folder cannot
  /// be written): kept in order, behind the spool, until one of the two takes them.
  std::deque<ReportOp> held;
  bool retry_armed = false;
  /// When the database last failed a write: for a retry interval after it, new
  /// writes go straight to the spool (each try could cost a connect timeout).
  std::optional<std::chrono::steady_clock::time_point> db_failed_at;
  /// This benchmark's reports by (key, iteration): stored, or refused. A report
  /// applied again (a compaction that could not finish) is counted once.
  std::set<std::pair<std::string, int>> stored, refused;
  static inline const char* name = "reporter";
};

using reporter_pointer = reporter_actor::stateful_pointer<reporter_state>;

bool of_this_run(reporter_pointer self, const ReportOp& op) {
  const auto* r = std::get_if<ScenarioReport>(&op);
  return r && r->benchmark_id == self->state.stream;
}

void count(reporter_pointer self, const ReportOp& op, bool stored) {
  if (!of_this_run(self, op)) return;
  const auto& r = std::get<ScenarioReport>(op);
  (stored ? self->state.stored : self->state.refused).emplace(r.scenario_key, r.iteration);
}

bool backlog(reporter_pointer self) { return self->state.spooling || !self->state.held.empty(); }

void arm_retry(reporter_pointer self) {
  if (self->state.retry_armed) return;
  self->state.retry_armed = true;
  self->delayed_send(self, self->state.retry_interval, retry_atom::value);
}

// A write the database refused: retrying cannot help; keep it for a human.
void reject(reporter_pointer self, const ReportOp& op, const std::string& why) {
  auto& st = self->state;
  count(self, op, false);
  try {
    st.spool->reject(st.stream, encode_op(op));
    spdlog::error("{}; kept in {}", why, st.spool->dir());
  } catch (const std::exception& e) {
    spdlog::error("{}; and it could not be kept ({})", why, e.what());
  }
}

// Within a retry interval of the last failure the database is not tried again (each
// try may cost a connect timeout; the retry timer is what tries).
bool recently_failed(reporter_pointer self) {
  const auto& st = self->state;
  return st.db_failed_at && std::chrono::steady_clock::now() - *st.db_failed_at < st.retry_interval;
}

enum class DbWrite { stored, refused, away };

// One write to the database. `refused` (kept as rejected) is done with as much as
// `stored`: retrying cannot help, and the queue moves on.
DbWrite write_db(reporter_pointer self, const ReportOp& op) {
  auto& st = self->state;
  if (recently_failed(self)) return DbWrite::away;
  try {
    apply_report_op(*st.store, op);
    st.db_failed_at.reset();
    count(self, op, true);
    return DbWrite::stored;
  } catch (const DbError& e) {
    if (e.kind == DbError::Kind::query) {
      reject(self, op, e.what());
      return DbWrite::refused;
    }
    if (!backlog(self)) spdlog::warn("database unreachable ({}); spooling reports to {}", e.what(), st.spool->dir());
  } catch (const std::exception& e) {
    if (!backlog(self)) spdlog::warn("database write failed ({}); spooling reports to {}", e.what(), st.spool->dir());
  }
  st.db_failed_at = std::chrono::steady_clock::now();
  return DbWrite::away;
}

// Appends to the spool; false (logged) when it cannot be written.
bool write_spool(reporter_pointer self, const ReportOp& op) {
  auto& st = self->state;
  try {
    st.spool->append(st.stream, encode_op(op));
    st.spooling = true;
    return true;
  } catch (const std::exception& e) {
    spdlog::error("{}; the report stays in memory and is retried every {} s until the database or the spool takes it",
                  e.what(), st.retry_interval.count() / 1000.0);
    return false;
  }
}

// Moves the backlog on as far as it goes: the spool into the database, then what is
// held in memory into the database, else into the spool.
void drain(reporter_pointer self) {
  auto& st = self->state;
  if (st.spooling && !recently_failed(self)) {
    try {
      auto res = replay_spool(*st.store, *st.spool, [&](const ReportOp& op, bool stored) { count(self, op, stored); });
      if (res.skipped) spdlog::warn("spool: skipped {} unreadable line(s) in {}", res.skipped, st.spool->dir());
      if (res.applied > 0) spdlog::info("replayed {} spooled report write(s) to the database", res.applied);
      if (res.remaining == 0)
        st.spooling = false;
      else
        st.db_failed_at = std::chrono::steady_clock::now();  // still away
    } catch (const std::exception&) {
      st.db_failed_at = std::chrono::steady_clock::now();  // still away; the lines stay spooled
    }
  }
  while (!st.held.empty()) {
    if (!st.spooling && write_db(self, st.held.front()) != DbWrite::away) {
      st.held.pop_front();
      continue;
    }
    if (!write_spool(self, st.held.front())) break;
    st.held.pop_front();
  }
}

bool persist(reporter_pointer self, const ReportOp& op) {
  auto& st = self->state;
  if (backlog(self)) drain(self);
  if (!backlog(self)) {
    const DbWrite w = write_db(self, op);
    if (w != DbWrite::away) return w == DbWrite::stored;
  }
  if (st.held.empty() && write_spool(self, op)) {
    arm_retry(self);
    return false;
  }
  st.held.push_back(op);
  arm_retry(self);
  return false;
}

ReportLedger ledger(reporter_pointer self) {
  auto& st = self->state;
  ReportLedger l;
  l.stored = st.stored.size();
  l.rejected = st.refused.size();
  l.spool_dir = st.spool->dir();
  try {
    const SpoolCount waiting = count_spooled(*st.spool, st.stream, st.stored);
    l.spooled = waiting.reports;
    l.spool_lines = waiting.lines;
  } catch (const std::exception& e) {
    spdlog::warn("could not read the spool {}: {}", st.spool->dir(), e.what());
  }
  for (const auto& op : st.held) l.lost += of_this_run(self, op) ? 1 : 0;
  return l;
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
      [=](replay_atom) {
        self->state.db_failed_at.reset();  // the end of the run: one more try
        if (backlog(self)) drain(self);
        return ledger(self);
      },
      [=](retry_atom) {
        self->state.retry_armed = false;
        self->state.db_failed_at.reset();  // the timer's try
        drain(self);
        if (backlog(self)) arm_retry(self);
      },
  };
}

}  // namespace

reporter_actor spawn_reporter(caf::actor_system& sys, const ReporterSettings& settings) {
  if (settings.detached) return sys.spawn<caf::detached>(reporter, settings);
  return sys.spawn(reporter, settings);
}

}  // namespace runner
