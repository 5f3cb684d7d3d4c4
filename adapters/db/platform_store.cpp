#include "adapters/db/platform_store.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "adapters/db/database.hpp"
#include "adapters/db/platform_id.hpp"
#include "adapters/text/utf8.hpp"
#include "adapters/db/watchdog.hpp"

namespace runner {
namespace {

// The advisory-lock key of a benchmark: 64 bits of its id.
long long run_lock_key(const std::string& benchmark_id) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : benchmark_id) h = (h ^ c) * 1099511628211ull;
  return static_cast<long long>(h);
}

// How long after its last heartbeat a run whose lock is free still counts as alive:
// longer than a heartbeat interval plus a reconnect.
constexpr int run_grace_s = 15;

// A host's advisory lock: the two-key space (apart from the runs' one-key locks).
const std::string host_lock = "2501, hashtext($1)";

// One host row by id; `organization_id` "" matches any organization.
std::optional<HostRow> host_row(pqxx::transaction_base& t, const std::string& id, const std::string& organization_id) {
  auto r = t.exec_params(
      "SELECT id::text, name, address, port, coalesce(ssh_user, ''), coalesce(ssh_key_path, ''), connection, "
      "ansible_vars::text FROM hosts WHERE id = $1 AND ($2 = '' OR organization_id = $2)",
      id, organization_id);
  if (r.empty()) return std::nullopt;
  HostRow h;
  h.id = r[0][0].c_str();
  h.name = r[0][1].c_str();
  h.address = r[0][2].c_str();
  h.port = r[0][3].as<int>();
  h.ssh_user = r[0][4].c_str();
  h.ssh_key_path = r[0][5].c_str();
  h.connection = r[0][6].c_str();
  h.ansible_vars_json = r[0][7].c_str();
  return h;
}

}  // namespace

struct PlatformStore::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> conn;
  std::set<std::string> held;        // benchmark ids whose run lock this session holds
  std::set<std::string> held_hosts;  // host ids this session holds
  Watchdog watchdog{database_timeouts().statement};

  pqxx::connection& connection() {
    if (!conn || !conn->is_open()) {
      conn = connect_database(url);
      // A new session: the locks of the old one went with it (or will, once the
      // server notices it is gone); take them again. One still held by the old
      // session is taken by the next heartbeat; meanwhile last_seen keeps the run alive.
      auto guard = watchdog.watch(conn->sock());
      pqxx::nontransaction nt(*conn);
      for (auto it = held.begin(); it != held.end();) {
        if (nt.exec("SELECT pg_try_advisory_lock(" + std::to_string(run_lock_key(*it)) + ")")[0][0].as<bool>()) {
          ++it;
        } else {
          spdlog::warn("the run lock of {} is still held by the lost database session; retried at the next heartbeat", *it);
          it = held.erase(it);
        }
      }
      for (const auto& id : held_hosts)
        if (!nt.exec_params("SELECT pg_try_advisory_lock(" + host_lock + ")", id)[0][0].as<bool>())
          spdlog::warn("host {} is still held by the lost database session until the server lets it go", id);
    }
    return *conn;
  }

  // Is the run of `id` alive: its lock held by some session, or seen within the grace
  // (a run whose session was cut takes its lock again at its next heartbeat)?
  bool alive(pqxx::transaction_base& t, const std::string& id) { return seconds_to_dead(t, id) != 0; }

  // 0 when the run of `id` is dead; -1 when its lock is held; else how many seconds
  // of its grace are left (its lock is free but it was seen a moment ago).
  int seconds_to_dead(pqxx::transaction_base& t, const std::string& id) {
    if (held.count(id)) return -1;
    const std::string key = std::to_string(run_lock_key(id));
    if (!t.exec("SELECT pg_try_advisory_lock(" + key + ")")[0][0].as<bool>()) return -1;
    t.exec("SELECT pg_advisory_unlock(" + key + ")");
    auto r = t.exec_params("SELECT ceil(extract(epoch FROM last_seen + interval '" + std::to_string(run_grace_s) +
                               " seconds' - now()))::int FROM benchmarks WHERE id::text = $1 AND last_seen IS NOT NULL",
                           id);
    if (r.empty() || r[0][0].is_null()) return 0;
    return std::max(0, r[0][0].as<int>());
  }

  template <class Fn>
  auto guarded(Fn&& fn) {
    try {
      auto& c = connection();
      auto guard = watchdog.watch(c.sock());
      return fn(c);
    } catch (const DbError&) {
      conn.reset();
      throw;
    } catch (const pqxx::broken_connection& e) {
      conn.reset();
      throw unreachable(e.what());
    } catch (const pqxx::sql_error& e) {
      // A lost connection, a shutdown, a timeout, a deadlock, a full server disk:
      // worth waiting for. Anything else is the statement's own fault.
      if (!transient_sqlstate(e.sqlstate())) throw;
      conn.reset();
      throw unreachable(e.what());
    } catch (const pqxx::failure& e) {
      conn.reset();  // in_doubt_error and its kin: the connection went mid-commit
      throw unreachable(e.what());
    }
  }

  DbError unreachable(const std::string& what) {
    if (watchdog.fired())
      return {DbError::Kind::timeout, "database did not answer within " +
                                          std::to_string(database_timeouts().statement.count()) + " s"};
    return classify_db_error(what);
  }
};

PlatformStore::PlatformStore(std::string url) : impl_(std::make_unique<Impl>()) { impl_->url = std::move(url); }
PlatformStore::~PlatformStore() = default;

ProvisionResult PlatformStore::resolve(const ProvisionRequest& req) {
  ProvisionResult out;
  for (const auto& [field, ids] : {std::pair{"host_id", &req.host_ids}, std::pair{"agent_id", &req.agent_ids}})
    for (const auto& id : *ids)
      if (auto why = platform_id_problem(id)) {
        out.error = std::string(field) + " '" + printable(id) + "' " + *why;
        return out;
      }
  return impl_->guarded([&](pqxx::connection& c) {
    pqxx::read_transaction t(c);
    for (std::size_t i = 0; i < req.host_ids.size(); ++i) {
      auto h = host_row(t, canonical_platform_id(req.host_ids[i]), req.organization_id);
      if (!h) {
        out.error = "host_id " + req.host_ids[i] + " not found among the hosts of organization " + req.organization_id;
        return out;
      }
      h->inventory_name = i < req.host_names.size() ? req.host_names[i] : "";
      out.hosts.push_back(std::move(*h));
    }
    for (const auto& id : req.agent_ids) {
      auto r = t.exec_params("SELECT coalesce(host_id, '') FROM agents WHERE id = $1 AND organization_id = $2",
                             canonical_platform_id(id), req.organization_id);
      if (r.empty()) {
        out.error = "agent_id " + id + " not found among the agents of organization " + req.organization_id;
        return out;
      }
      out.agent_ids.push_back(canonical_platform_id(id));
      out.agent_host_ids.push_back(r[0][0].c_str());
    }
    out.ok = true;
    return out;
  });
}

std::vector<HostRow> PlatformStore::hosts(const std::vector<std::string>& ids) {
  return impl_->guarded([&](pqxx::connection& c) {
    std::vector<HostRow> out;
    pqxx::read_transaction t(c);
    for (const auto& id : ids)
      if (auto h = host_row(t, id, "")) out.push_back(std::move(*h));
    return out;
  });
}

bool PlatformStore::hold_run_lock(const std::string& benchmark_id) {
  return impl_->guarded([&](pqxx::connection& c) {
    if (impl_->held.count(benchmark_id)) return true;
    // Never blocks: a lock still held by this run's lost session is taken next time.
    if (!pqxx::nontransaction(c)
             .exec("SELECT pg_try_advisory_lock(" + std::to_string(run_lock_key(benchmark_id)) + ")")[0][0]
             .as<bool>())
      return false;
    impl_->held.insert(benchmark_id);
    return true;
  });
}

void PlatformStore::heartbeat(const std::string& benchmark_id) {
  hold_run_lock(benchmark_id);
  impl_->guarded([&](pqxx::connection& c) {
    pqxx::nontransaction(c).exec_params("UPDATE benchmarks SET last_seen = now() WHERE id::text = $1", benchmark_id);
    return 0;
  });
}

std::string PlatformStore::apply_overrides(const std::string& benchmark_id, const std::vector<std::string>& agent_ids,
                                           const std::string& main_engine, const std::string& secondary_engine,
                                           const std::string& specialty) {
  if (agent_ids.empty() || (main_engine.empty() && secondary_engine.empty() && specialty.empty())) return "";
  hold_run_lock(benchmark_id);
  std::vector<std::string> sorted(agent_ids.begin(), agent_ids.end());
  std::sort(sorted.begin(), sorted.end());
  return impl_->guarded([&](pqxx::connection& c) -> std::string {
    pqxx::work w(c);
    // One runner at a time decides about an agent (in id order: no deadlock).
    for (const auto& id : sorted) w.exec_params("SELECT pg_advisory_xact_lock(2502, hashtext($1))", id);
    // An agent another live run has overridden keeps that run's settings until it
    // ends: overriding it again would flip the engine under that run's job. A dead
    // run's record is taken over (its originals are the true ones).
    for (const auto& row : w.exec_params("SELECT agent_id, benchmark_id::text FROM agent_overrides WHERE "
                                         "agent_id = ANY($1::text[]) AND benchmark_id <> $2::uuid",
                                         pg_array(agent_ids), benchmark_id))
      if (impl_->alive(w, row[1].c_str()))
        return "agent " + std::string(row[0].c_str()) + " is overridden by benchmark " + row[1].c_str() +
               ", which is still running";
    w.exec_params(
        "INSERT INTO agent_overrides (agent_id, benchmark_id, original_main_engine, original_secondary_engine, "
        "original_specialty) SELECT id, $2::uuid, main_engine, secondary_engine, specialty FROM agents "
        "WHERE id = ANY($1::text[]) ON CONFLICT (agent_id) DO UPDATE SET benchmark_id = EXCLUDED.benchmark_id",
        pg_array(agent_ids), benchmark_id);
    w.exec_params(
        "UPDATE agents SET main_engine = coalesce(NULLIF($2, ''), main_engine), "
        "secondary_engine = coalesce(NULLIF($3, ''), secondary_engine), "
        "specialty = coalesce(NULLIF($4, ''), specialty) WHERE id = ANY($1::text[])",
        pg_array(agent_ids), main_engine, secondary_engine, specialty);
    w.commit();
    return std::string();
  });
}

void PlatformStore::restore_overrides(const std::string& benchmark_id, const std::vector<std::string>& agent_ids) {
  if (agent_ids.empty()) return;
  impl_->guarded([&](pqxx::connection& c) {
    pqxx::work w(c);
    // Only this run's record: another run's overrides of the same agent are its own.
    w.exec_params(
        "UPDATE agents a SET main_engine = o.original_main_engine, secondary_engine = o.original_secondary_engine, "
        "specialty = o.original_specialty FROM agent_overrides o WHERE a.id = o.agent_id AND o.agent_id = "
        "ANY($1::text[]) AND o.benchmark_id = $2::uuid",
        pg_array(agent_ids), benchmark_id);
    w.exec_params("DELETE FROM agent_overrides WHERE agent_id = ANY($1::text[]) AND benchmark_id = $2::uuid",
                  pg_array(agent_ids), benchmark_id);
    w.commit();
    return 0;
  });
}

ProvisionResult PlatformStore::register_ephemeral(const RegisterRequest& req) {
  return impl_->guarded([&](pqxx::connection& c) {
    ProvisionResult out;
    pqxx::work w(c);
    std::map<std::string, std::string> host_by_name;
    for (const HostRow& h : req.hosts) {
      HostRow row = h;
      row.id = w.exec_params(
                    "INSERT INTO hosts (organization_id, name, address, port, ssh_user, ssh_key_path, connection, ansible_vars, "
                    "ephemeral) VALUES ($1, $2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), $7, $8::jsonb, true) "
                    "RETURNING id",
                    req.organization_id, h.name, h.address, h.port, h.ssh_user, h.ssh_key_path, h.connection,
                    h.ansible_vars_json)[0][0]
                   .c_str();
      host_by_name[h.inventory_name] = row.id;
      out.hosts.push_back(std::move(row));
    }
    for (std::size_t i = 0; i < req.agent_names.size(); ++i) {
      auto it = host_by_name.find(req.agent_host_names[i]);
      if (it == host_by_name.end()) {
        out.error = "agent '" + req.agent_names[i] + "' names host_name '" + req.agent_host_names[i] +
                    "', which is not a host of the scenario";
        return out;  // rolled back: nothing registered
      }
      out.agent_ids.push_back(w.exec_params("INSERT INTO agents (organization_id, host_id, name, main_engine, secondary_engine, "
                                            "specialty, ephemeral) VALUES ($1, $2, $3, NULLIF($4, ''), "
                                            "NULLIF($5, ''), NULLIF($6, ''), true) RETURNING id",
                                            req.organization_id, it->second, req.agent_names[i], req.main_engine,
                                            req.secondary_engine, req.agent_specialties[i])[0][0]
                                  .c_str());
      out.agent_host_ids.push_back(it->second);
    }
    w.commit();
    out.ok = true;
    return out;
  });
}

void PlatformStore::delete_ephemeral(const std::vector<std::string>& host_ids, const std::vector<std::string>& agent_ids) {
  if (host_ids.empty() && agent_ids.empty()) return;
  impl_->guarded([&](pqxx::connection& c) {
    pqxx::work w(c);
    w.exec_params("DELETE FROM agents WHERE ephemeral AND id = ANY($1::text[])", pg_array(agent_ids));
    w.exec_params("DELETE FROM hosts WHERE ephemeral AND id = ANY($1::text[])", pg_array(host_ids));
    w.commit();
    return 0;
  });
}

std::size_t PlatformStore::delete_ephemeral_hosts_named(const std::vector<std::string>& names) {
  if (names.empty()) return 0;
  return impl_->guarded([&](pqxx::connection& c) -> std::size_t {
    pqxx::work w(c);
    auto r = w.exec_params("DELETE FROM hosts WHERE ephemeral AND name = ANY($1::text[])", pg_array(names));
    w.commit();
    return r.affected_rows();
  });
}

bool PlatformStore::run_alive(const std::string& benchmark_id) {
  // A run whose lock is free but which was seen a moment ago may only have lost its
  // session: wait out its grace (at most run_grace_s) and ask again.
  for (;;) {
    const int left = impl_->guarded([&](pqxx::connection& c) {
      pqxx::nontransaction nt(c);
      return impl_->seconds_to_dead(nt, benchmark_id);
    });
    if (left <= 0) return left < 0;
    spdlog::info("run {} was alive {} s ago; waiting out its grace before calling it dead", benchmark_id,
                 run_grace_s - left);
    std::this_thread::sleep_for(std::chrono::seconds(left));  // a command's own thread, never the scheduler
  }
}

std::size_t PlatformStore::repair_overrides() {
  return impl_->guarded([&](pqxx::connection& c) -> std::size_t {
    std::vector<std::string> benchmarks;
    {
      pqxx::read_transaction t(c);
      for (const auto& row : t.exec("SELECT DISTINCT benchmark_id::text FROM agent_overrides"))
        benchmarks.push_back(row[0].c_str());
    }
    std::size_t repaired = 0;
    for (const auto& b : benchmarks) {
      pqxx::work w(c);
      if (impl_->alive(w, b)) continue;  // its run still holds its lock, or was seen a moment ago
      auto agents = w.exec_params("SELECT agent_id FROM agent_overrides WHERE benchmark_id = $1::uuid", b);
      w.exec_params(
          "UPDATE agents a SET main_engine = o.original_main_engine, secondary_engine = o.original_secondary_engine, "
          "specialty = o.original_specialty FROM agent_overrides o WHERE a.id = o.agent_id AND o.benchmark_id = $1::uuid",
          b);
      w.exec_params("DELETE FROM agent_overrides WHERE benchmark_id = $1::uuid", b);
      w.commit();
      repaired += agents.size();
    }
    return repaired;
  });
}

std::string PlatformStore::hold_hosts(const std::string& benchmark_id, const std::string& scenario_key, int iteration,
                                      const std::vector<std::string>& host_ids) {
  const std::set<std::string> ids(host_ids.begin(), host_ids.end());
  return impl_->guarded([&](pqxx::connection& c) -> std::string {
    std::vector<std::string> got;  // taken by this call (a host this session holds already is not taken twice)
    auto let_go = [&] {
      pqxx::nontransaction nt(c);
      for (const auto& g : got) nt.exec_params("SELECT pg_advisory_unlock(" + host_lock + ")", g);
    };
    try {
      for (const auto& id : ids) {
        if (impl_->held_hosts.count(id)) continue;
        bool locked = false;
        pqxx::result who;
        {
          pqxx::nontransaction nt(c);
          locked = nt.exec_params("SELECT pg_try_advisory_lock(" + host_lock + ")", id)[0][0].as<bool>();
          if (!locked)
            who = nt.exec_params(
                "SELECT benchmark_id::text, scenario_key, iteration, to_char(since AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM host_holds WHERE host_id = $1",
                id);
        }
        if (locked) {
          got.push_back(id);
          continue;
        }
        let_go();
        if (who.empty()) return "host " + id + " is held by another runner";
        return "host " + id + " is held by benchmark " + who[0][0].c_str() + " (" + who[0][1].c_str() + " #" +
               who[0][2].c_str() + ", since " + who[0][3].c_str() + ")";
      }
      pqxx::work w(c);
      for (const auto& id : ids)
        w.exec_params(
            "INSERT INTO host_holds (host_id, benchmark_id, scenario_key, iteration) VALUES ($1, $2::uuid, $3, $4) "
            "ON CONFLICT (host_id) DO UPDATE SET benchmark_id = EXCLUDED.benchmark_id, scenario_key = "
            "EXCLUDED.scenario_key, iteration = EXCLUDED.iteration, since = now()",
            id, benchmark_id, scenario_key, iteration);
      w.commit();
    } catch (const pqxx::broken_connection&) {
      throw;  // the session, and so its locks, are gone
    } catch (...) {
      try {
        let_go();
      } catch (...) {
        impl_->conn.reset();  // cannot unlock: end the session, which does
      }
      throw;
    }
    impl_->held_hosts.insert(got.begin(), got.end());
    return std::string();
  });
}

void PlatformStore::release_hosts(const std::string& benchmark_id, const std::vector<std::string>& host_ids) {
  const std::set<std::string> ids(host_ids.begin(), host_ids.end());
  impl_->guarded([&](pqxx::connection& c) {
    pqxx::work w(c);
    w.exec_params("DELETE FROM host_holds WHERE host_id = ANY($1::text[]) AND benchmark_id = $2::uuid", pg_array(host_ids),
                  benchmark_id);
    w.commit();
    pqxx::nontransaction nt(c);
    for (const auto& id : ids) {
      if (!impl_->held_hosts.count(id)) continue;
      nt.exec_params("SELECT pg_advisory_unlock(" + host_lock + ")", id);
      impl_->held_hosts.erase(id);
    }
    return 0;
  });
}

void PlatformStore::abandon_hosts(const std::vector<std::string>& host_ids) {
  bool any = false;
  for (const auto& id : host_ids) any |= impl_->held_hosts.erase(id) > 0;
  // The session ends, and every lock with it; the next call reconnects and takes
  // again the locks still wanted (the run's, other iterations' hosts).
  if (any) impl_->conn.reset();
}

std::size_t PlatformStore::mark_abandoned_runs() {
  std::vector<std::string> running;
  impl_->guarded([&](pqxx::connection& c) {
    pqxx::read_transaction t(c);
    for (const auto& row : t.exec("SELECT id::text FROM benchmarks WHERE status = 'running'")) running.push_back(row[0].c_str());
    return 0;
  });
  std::size_t marked = 0;
  for (const auto& id : running) {
    impl_->guarded([&](pqxx::connection& c) {
      pqxx::work w(c);
      if (impl_->alive(w, id)) return 0;
      // Totals count the reports that exist; finished_at stays empty: nobody saw it end.
      marked += w.exec_params(
                      "UPDATE benchmarks b SET status = 'aborted', aborted_found_at = now(), total = s.total, "
                      "passed = s.passed, failed = s.failed, errored = s.errored, "
                      "pass_rate = CASE WHEN s.total > 0 THEN s.passed::double precision / s.total END, "
                      "mean_compliance = s.mean_compliance "
                      "FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'passed') AS passed, "
                      "count(*) FILTER (WHERE status = 'failed') AS failed, "
                      "count(*) FILTER (WHERE status = 'error') AS errored, avg(compliance_score) AS mean_compliance "
                      "FROM scenario_reports WHERE benchmark_id = $1::uuid) s "
                      "WHERE b.id = $1::uuid AND b.status = 'running'",
                      id)
                    .affected_rows();
      w.commit();
      return 0;
    });
  }
  return marked;
}

}  // namespace runner
