#pragma once
// Spawning an Ansible worker (interface in actors/interfaces.hpp).
#include "actors/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace runner {

ansible_worker_actor spawn_ansible_worker(caf::actor_system& sys, bool detached = true);

}  // namespace runner
