#pragma once
// The actor system of the runner and of its tests: message types and the runner's
// error category registered in one place, and how a reply error becomes text.
#include <string>

#include "messages/errors.hpp"

namespace caf {
class actor_system;
class actor_system_config;
class error;
}  // namespace caf

namespace runner {

// Adds the runner's type-ID block and renders runner_errc errors by their message.
void configure_runner_system(caf::actor_system_config& cfg);

// The runner's code of an error; none for CAF's own errors (an actor that died).
bool is_runner_error(const caf::error& e, runner_errc code);
bool is_runner_error(const caf::error& e);
// The message a runner error carries (context element 0), else CAF's rendering.
std::string error_text(caf::actor_system& sys, const caf::error& e);
// Context element `index` as text ("" when absent): execute errors carry the ticket
// id at 1 and the job id at 2.
std::string error_field(const caf::error& e, std::size_t index);
// The report's error kind of a runner error ("gateway", "timeout", ...).
const char* to_string(runner_errc code);

}  // namespace runner
