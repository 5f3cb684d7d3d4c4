#pragma once
// Where the runner keeps its state (spool, per-iteration logs, template build logs,
// sandbox inventories): $XDG_STATE_HOME/2501-runner, else ~/.local/state/2501-runner.
#include <string>

namespace runner {
std::string runner_state_dir();
}
