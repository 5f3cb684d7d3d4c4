#pragma once
#include "app/cli.hpp"

namespace runner {
// `2501-runner run` / `start`: pre-flight, discovery, selection, execution.
// Returns the process exit code.
int run_run_command(const RunOptions& opts);
}  // namespace runner
