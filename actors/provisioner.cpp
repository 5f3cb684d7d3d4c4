#include "actors/provisioner.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/interfaces.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/platform_store.hpp"

namespace runner {
namespace {

struct provisioner_state {
  std::unique_ptr<PlatformStore> store;
  static inline const char* name = "provisioner";
};

using provisioner_pointer = provisioner_actor::stateful_pointer<provisioner_state>;

provisioner_actor::behavior_type provisioner(provisioner_pointer self, std::string database_url, std::string run_id) {
  self->state.store = std::make_unique<PlatformStore>(database_url);
  // The run's liveness mark for the whole run: other processes reap clones and repair
  // overrides only of runs whose lock is free (dead).
  if (!run_id.empty()) try {
      self->state.store->hold_run_lock(run_id);
    } catch (const std::exception& e) {
      spdlog::warn("could not mark the run as alive in the database: {}", e.what());
    }
  return {
      [=](provision_atom, const ProvisionRequest& req) -> caf::result<Provisioned> {
        try {
          ProvisionResult out = self->state.store->resolve(req);
          if (!out.ok) return caf::make_error(runner_errc::provision, out.error);
          self->state.store->apply_overrides(req.benchmark_id, out.agent_ids, req.main_engine, req.secondary_engine,
                                             req.specialty);
          return Provisioned(std::move(out));
        } catch (const std::exception& e) {
          return caf::make_error(runner_errc::database, std::string(e.what()));
        }
      },
      [=](teardown_atom, const std::string&, const std::vector<std::string>& agent_ids) {
        try {
          self->state.store->restore_overrides(agent_ids);
          return true;
        } catch (const std::exception& e) {
          // The record stays; the next run (or this one's next attempt) repairs it.
          spdlog::warn("could not restore agent settings yet: {}", e.what());
          return false;
        }
      },
      [=](register_atom, const RegisterRequest& req) -> caf::result<Provisioned> {
        try {
          ProvisionResult out = self->state.store->register_ephemeral(req);
          if (!out.ok) return caf::make_error(runner_errc::provision, out.error);
          return Provisioned(std::move(out));
        } catch (const std::exception& e) {
          return caf::make_error(runner_errc::database, std::string(e.what()));
        }
      },
      [=](unregister_atom, const std::vector<std::string>& host_ids, const std::vector<std::string>& agent_ids) {
        try {
          self->state.store->delete_ephemeral(host_ids, agent_ids);
          return true;
        } catch (const std::exception& e) {
          // The clone's rows stay until the end-of-run sweep or purge-vms removes them.
          spdlog::warn("could not delete clone rows yet: {}", e.what());
          return false;
        }
      },
      [=](repair_atom) -> uint64_t {
        try {
          return self->state.store->repair_overrides();
        } catch (const std::exception& e) {
          spdlog::warn("could not repair agent settings of earlier runs: {}", e.what());
          return 0;
        }
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
