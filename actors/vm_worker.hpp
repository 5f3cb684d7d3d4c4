#pragma once
// Spawning a VM worker (interface in actors/interfaces.hpp).
#include <memory>

#include "actors/interfaces.hpp"
#include "core/vm_settings.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// VM modes: one per live scenario actor.
vm_worker_actor spawn_vm_worker(caf::actor_system& sys, std::shared_ptr<const VmSettings> vm, bool detached = true);

}  // namespace runner
