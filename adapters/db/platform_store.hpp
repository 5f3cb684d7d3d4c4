#pragma once
// The platform tables as the runner's provisioner uses them: resolving a scenario's
// hosts and agents, and the durable agent-setting overrides of a run.
// Blocking: used from the provisioner actor's own thread.
#include <memory>
#include <string>
#include <vector>

#include "messages/lifecycle.hpp"

namespace runner {

class PlatformStore {
 public:
  explicit PlatformStore(std::string database_url);
  ~PlatformStore();

  // Host rows and agents by id; a missing or malformed id makes `ok` false with a
  // message naming it. Throws DbError when the database is unreachable.
  ProvisionResult resolve(const ProvisionRequest& req);

  // The host rows of these ids, any organization (the engine simulator's view); unknown ids
  // are left out.
  std::vector<HostRow> hosts(const std::vector<std::string>& ids);

  // Marks `benchmark_id` as alive (a session advisory lock held while this store
  // lives), so that repair_overrides() of another process leaves it alone.
  // Never blocks; false when another session holds it (this run's own lost session,
  // until the server lets it go: the next heartbeat tries again).
  bool hold_run_lock(const std::string& benchmark_id);
  // The run's sign of life, every few seconds: (re)connects, takes the run lock again
  // if it was lost, and sets benchmarks.last_seen. A run is alive while some session
  // holds its lock or it was seen within the last 15 s (a grace for a session a
  // database restart cut; run_alive() waits that grace out before it says "dead").
  void heartbeat(const std::string& benchmark_id);

  // Saves the agents' settings (once: a leftover record keeps the true originals),
  // then applies the overrides ("" keeps a setting), in one transaction. Returns ""
  // or why not: an agent another live run has overridden is left alone.
  std::string apply_overrides(const std::string& benchmark_id, const std::vector<std::string>& agent_ids,
                       const std::string& main_engine, const std::string& secondary_engine,
                       const std::string& specialty);
  // Restores the saved settings of these agents and forgets the record.
  void restore_overrides(const std::string& benchmark_id, const std::vector<std::string>& agent_ids);
  // VM modes: inserts the clones as ephemeral hosts and the scenario's agents as
  // ephemeral agents on them, in one transaction. `ok` false names a bad agent host.
  ProvisionResult register_ephemeral(const RegisterRequest& req);
  // Deletes ephemeral hosts (their agents go with them) and ephemeral agents by id.
  void delete_ephemeral(const std::vector<std::string>& host_ids, const std::vector<std::string>& agent_ids);
  // Deletes the ephemeral hosts with these names (clones reaped by name); returns how many.
  std::size_t delete_ephemeral_hosts_named(const std::vector<std::string>& names);
  // Is some session holding this run's lock (the run is alive)? Never true for this
  // store's own held locks' check: ask from a store that does not hold it.
  bool run_alive(const std::string& benchmark_id);

  // Restores the overrides of runs that died (their run lock is free); returns how many.
  std::size_t repair_overrides();

  // Holds these hosts for one scenario-iteration (an advisory lock per host across
  // every runner process on this database, and a host_holds row naming the holder).
  // Returns "" when all are held now, else who holds the first busy one (and holds none).
  std::string hold_hosts(const std::string& benchmark_id, const std::string& scenario_key, int iteration,
                         const std::vector<std::string>& host_ids);
  void release_hosts(const std::string& benchmark_id, const std::vector<std::string>& host_ids);
  // Lets go of hosts without the database (it cannot be reached): ends the session,
  // which frees every lock it held; the next call takes back the ones still wanted.
  void abandon_hosts(const std::vector<std::string>& host_ids);

  // Marks benchmarks left `running` by runs that died (their run lock is free) as
  // `aborted`, with when that was found and totals of the reports they stored.
  std::size_t mark_abandoned_runs();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
