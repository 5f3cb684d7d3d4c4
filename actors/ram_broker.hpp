#pragma once
// Spawning the RAM broker (interface in actors/interfaces.hpp; decisions in
// core/admission_policy).
#include <cstdint>

#include "actors/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace runner {

// Budget in MiB (host mode: 1, one scenario at a time).
// `max_failures` (--max-failures; 0: none): the broker closes once that many leases
// came back from iterations that did not pass.
ram_broker_actor spawn_ram_broker(caf::actor_system& sys, std::uint64_t budget, std::uint32_t max_failures = 0);

}  // namespace runner
