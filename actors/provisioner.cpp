// The provisioner: every platform-table write of a run, on its own thread. When the
// database goes away (a restart, a partition, a frozen server) a request is not
// failed at once: it waits, retried with backoff, for up to RUNNER_DB_WAIT_S, and
// the console says so; only then does the iteration error.
#include "actors/provisioner.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <functional>

#include "actors/interfaces.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/platform_store.hpp"

namespace runner {
namespace {

using Clock = std::chrono::steady_clock;

// An attempt that waits for the database: tried again each round until its deadline.
struct Waiting {
  std::function<bool()> again;     // tries once more; true when it is still waiting
  std::function<void()> give_up;   // answers with the failure
  Clock::time_point deadline;
};

struct provisioner_state {
  std::unique_ptr<PlatformStore> store;
  std::string run_id;
  std::deque<Waiting> waiting;  // in arrival order
  bool retry_armed = false;
  std::chrono::milliseconds backoff{500};
  std::optional<Clock::time_point> outage_since;
  Clock::time_point last_notice{};
  static inline const char* name = "provisioner";
};

using provisioner_pointer = provisioner_actor::stateful_pointer<provisioner_state>;

void arm_retry(provisioner_pointer self) {
  auto& st = self->state;
  if (st.retry_armed) return;
  st.retry_armed = true;
  self->delayed_send(self, st.backoff, retry_atom::value);
  st.backoff = std::min<std::chrono::milliseconds>(st.backoff * 2, std::chrono::seconds(5));
}

void database_back(provisioner_pointer self) {
  auto& st = self->state;
  if (!st.outage_since) return;
  spdlog::info("database reachable again after {:.0f} s; provisioning goes on",
               std::chrono::duration<double>(Clock::now() - *st.outage_since).count());
  st.outage_since.reset();
  st.backoff = std::chrono::milliseconds(500);
}

// Runs `fn` (which throws DbError when the database cannot be used) and answers
// `rp`; while the database is unreachable and the deadline is ahead, it waits in the
// queue instead (true). `give_up` turns the last failure into the answer.
template <class T>
bool attempt(provisioner_pointer self, caf::typed_response_promise<T> rp, const std::function<caf::expected<T>()>& fn,
             const std::function<caf::expected<T>(const std::string&)>& give_up, Clock::time_point deadline) {
  auto& st = self->state;
  auto answer = [&](caf::expected<T> r) {
    if (r)
      rp.deliver(std::move(*r));
    else
      rp.deliver(r.error());
  };
  try {
    auto r = fn();
    database_back(self);
    answer(std::move(r));
    return false;
  } catch (const DbError& e) {
    if (!db_unreachable(e) || Clock::now() >= deadline) {
      answer(give_up(e.what()));
      return false;
    }
    if (!st.outage_since) {
      st.outage_since = st.last_notice = Clock::now();
      spdlog::warn("database unreachable ({}); provisioning waits up to {} s for it (RUNNER_DB_WAIT_S); reports go "
                   "to the spool meanwhile",
                   e.what(), database_timeouts().wait.count());
    }
    return true;
  } catch (const std::exception& e) {
    answer(give_up(e.what()));
    return false;
  }
}

template <class T>
caf::typed_response_promise<T> waiting_for(provisioner_pointer self, std::function<caf::expected<T>()> fn,
                                           std::function<caf::expected<T>(const std::string&)> give_up) {
  auto& st = self->state;
  auto rp = self->make_response_promise<T>();
  const auto deadline = Clock::now() + database_timeouts().wait;
  Waiting w{[=] { return attempt<T>(self, rp, fn, give_up, deadline); },
            [=]() mutable {
              auto r = give_up("database unreachable for " + std::to_string(database_timeouts().wait.count()) +
                               " s (RUNNER_DB_WAIT_S)");
              if (r)
                rp.deliver(std::move(*r));
              else
                rp.deliver(r.error());
            },
            deadline};
  // Behind others already waiting (order holds, and one probe per round is enough).
  if (!st.waiting.empty() || w.again()) {
    st.waiting.push_back(std::move(w));
    arm_retry(self);
  }
  return rp;
}

caf::expected<Provisioned> database_error(const std::string& what) { return caf::make_error(runner_errc::database, what); }

// The run's sign of life every 3 s (see PlatformStore::heartbeat); a failure is
// only logged: the waits above deal with an absent database.
constexpr auto heartbeat_interval = std::chrono::seconds(3);

provisioner_actor::behavior_type provisioner(provisioner_pointer self, std::string database_url, std::string run_id) {
  self->state.store = std::make_unique<PlatformStore>(database_url);
  self->state.run_id = run_id;
  if (!run_id.empty()) self->delayed_send(self, heartbeat_interval, tick_atom::value);
  // The run's liveness mark for the whole run: other processes reap clones and repair
  // overrides only of runs whose lock is free (dead).
  if (!run_id.empty()) try {
      self->state.store->hold_run_lock(run_id);
    } catch (const std::exception& e) {
      spdlog::warn("could not mark the run as alive in the database: {}", e.what());
    }
  return {
      [=](provision_atom, const ProvisionRequest& req) {
        return waiting_for<Provisioned>(
            self,
            [=]() -> caf::expected<Provisioned> {
              auto& store = *self->state.store;
              ProvisionResult out = store.resolve(req);
              if (!out.ok) return caf::make_error(runner_errc::provision, out.error);
              if (auto busy = store.hold_hosts(req.benchmark_id, req.scenario_key, req.iteration, req.host_ids);
                  !busy.empty())
                return caf::make_error(runner_errc::host_busy, busy);
              std::string busy;
              try {
                busy = store.apply_overrides(req.benchmark_id, out.agent_ids, req.main_engine, req.secondary_engine,
                                             req.specialty);
              } catch (...) {
                store.abandon_hosts(req.host_ids);  // the database went: so do the holds (retried whole)
                throw;
              }
              if (!busy.empty()) {
                store.release_hosts(req.benchmark_id, req.host_ids);
                return caf::make_error(runner_errc::host_busy, busy);
              }
              return Provisioned(std::move(out));
            },
            database_error);
      },
      [=](teardown_atom, const std::string& benchmark_id, const std::vector<std::string>& host_ids,
          const std::vector<std::string>& agent_ids) {
        return waiting_for<bool>(
            self,
            [=]() -> caf::expected<bool> {
              self->state.store->restore_overrides(benchmark_id, agent_ids);
              self->state.store->release_hosts(benchmark_id, host_ids);
              return true;
            },
            [=](const std::string& what) -> caf::expected<bool> {
              // The record stays and the next run (or `db migrate`) repairs it; the
              // hosts go with the session, which is ended.
              spdlog::warn("could not restore agent settings: {}; the next run repairs them", what);
              self->state.store->abandon_hosts(host_ids);
              return false;
            });
      },
      [=](register_atom, const RegisterRequest& req) {
        return waiting_for<Provisioned>(
            self,
            [=]() -> caf::expected<Provisioned> {
              ProvisionResult out = self->state.store->register_ephemeral(req);
              if (!out.ok) return caf::make_error(runner_errc::provision, out.error);
              return Provisioned(std::move(out));
            },
            database_error);
      },
      [=](unregister_atom, const std::vector<std::string>& host_ids, const std::vector<std::string>& agent_ids) {
        return waiting_for<bool>(
            self,
            [=]() -> caf::expected<bool> {
              self->state.store->delete_ephemeral(host_ids, agent_ids);
              return true;
            },
            [](const std::string& what) -> caf::expected<bool> {
              // The clone's rows stay until the end-of-run sweep or purge-vms removes them.
              spdlog::warn("could not delete clone rows: {}", what);
              return false;
            });
      },
      [=](repair_atom) -> uint64_t {
        try {
          if (auto n = self->state.store->mark_abandoned_runs(); n)
            spdlog::warn("marked {} benchmark(s) left running by runs that died as aborted", n);
          return self->state.store->repair_overrides();
        } catch (const std::exception& e) {
          spdlog::warn("could not repair agent settings of earlier runs: {}", e.what());
          return 0;
        }
      },
      [=](retry_atom) {
        auto& st = self->state;
        st.retry_armed = false;
        // One probe per round: the first waiting attempt tries; while it still waits,
        // the others only check their deadlines (each try may cost a connect timeout).
        auto now_waiting = std::move(st.waiting);
        st.waiting.clear();
        bool away = false;
        for (auto& w : now_waiting) {
          if (away) {
            if (Clock::now() >= w.deadline)
              w.give_up();
            else
              st.waiting.push_back(std::move(w));
            continue;
          }
          if (w.again()) {
            away = true;
            st.waiting.push_back(std::move(w));
          }
        }
        if (!st.waiting.empty()) arm_retry(self);
        if (st.outage_since && Clock::now() - st.last_notice >= std::chrono::seconds(15)) {
          st.last_notice = Clock::now();
          spdlog::warn("still waiting for the database ({:.0f} s so far; {} request(s) waiting)",
                       std::chrono::duration<double>(Clock::now() - *st.outage_since).count(), st.waiting.size());
        }
      },
      [=](tick_atom) {
        try {
          self->state.store->heartbeat(self->state.run_id);
        } catch (const std::exception& e) {
          spdlog::debug("heartbeat: {}", e.what());
        }
        self->delayed_send(self, heartbeat_interval, tick_atom::value);
      },
  };
}

}  // namespace

provisioner_actor spawn_provisioner(caf::actor_system& sys, const std::string& database_url, bool detached,
                                    const std::string& run_id) {
  if (detached) return sys.spawn<caf::detached>(provisioner, database_url, run_id);
  return sys.spawn(provisioner, database_url, run_id);
}

}  // namespace runner
