#pragma once
// Spawn functions of the runner's actors. Include actors/interfaces.hpp first.
#include "actors/interfaces.hpp"
#include "actors/gateway_poller.hpp"
#include "actors/http_client.hpp"
#include "actors/reporter.hpp"
#include "actors/vm_settings.hpp"

namespace runner {

reporter_actor spawn_reporter(caf::actor_system& sys, const ReporterSettings& settings);
http_client_actor spawn_http_client(caf::actor_system& sys, const HttpClientSettings& settings = {});
// `run_id`: hold that run's liveness lock while the provisioner lives ("" = none).
provisioner_actor spawn_provisioner(caf::actor_system& sys, const std::string& database_url, bool detached = true,
                                    const std::string& run_id = "");
ansible_worker_actor spawn_ansible_worker(caf::actor_system& sys, bool detached = true);
// Budget in MiB (host mode: 1, one scenario at a time).
ram_broker_actor spawn_ram_broker(caf::actor_system& sys, std::uint64_t budget);
// VM modes: one per live scenario actor.
vm_worker_actor spawn_vm_worker(caf::actor_system& sys, std::shared_ptr<const VmSettings> vm, bool detached = true);
// One poller per execute phase; it quits after replying.
gateway_poller_actor spawn_gateway_poller(caf::actor_system& sys, http_client_actor http,
                                          const PollerSettings& settings);

}  // namespace runner
