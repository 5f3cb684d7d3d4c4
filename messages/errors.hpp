#pragma once
// Why a request to an actor failed: the runner's error codes. Replies carry either
// their value or a caf::error of this enum (category "runner", registered in
// actors/system_config), never an ok flag beside a message. Plain enum: no CAF here.
#include <cstdint>

namespace runner {

enum class runner_errc : std::uint8_t {
  admission_closed = 1,  // the broker stopped admitting (interrupt): never started
  too_large,             // the lease can never fit the budget
  provision,             // hosts or agents could not be resolved or registered
  vm,                    // a clone could not be brought up
  database,              // the platform tables could not be read or written
  playbook,              // ansible-playbook could not be started at all
  gateway,               // the engine or ServiceNow refused or failed the exchange
  timeout,               // the job did not finish in time (it was cancelled)
  interrupted,           // SIGINT/SIGTERM: the job was cancelled
  host_busy,             // another runner's iteration holds a host or overrides an agent
};

}  // namespace runner
