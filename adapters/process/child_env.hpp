#pragma once
// What no child of the runner inherits: its secrets, whatever the variable's name.
// Children start as `env -u NAME ... program args`: names only, so no value ever
// reaches an argv, and the parent's environment is left as it is (Boost 1.74's
// environment object reads past short entries, an ASan finding, so it is not used).
#include <cstddef>
#include <string>
#include <vector>

namespace runner {

// The fixed names (DATABASE_URL, ENGINE_API_KEY, ...) and every variable whose value
// holds a secret registered with the redactor, except the system's own (PATH, HOME,
// USER, the locale, XDG_*).
std::vector<std::string> scrubbed_variables();

// {"-u", NAME, "-u", NAME, ...}: the arguments of `env` before the program.
std::vector<std::string> env_unset_args();

// Once the configuration is read and its secrets registered: every scrubbed variable
// leaves the runner's own environment. Its value is overwritten in place first,
// because /proc/<pid>/environ shows the block the process started with, and a child
// shows its parent's until it execs. Single-threaded callers only (before the actor
// system starts). PGPASSWORD stays (libpq reads it at every connect); children never
// get it. Returns how many variables went.
std::size_t scrub_own_environment();

}  // namespace runner
