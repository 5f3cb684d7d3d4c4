#pragma once
#include "app/cli.hpp"

namespace runner {
// `2501-runner list`: prints the scenarios a selection resolves to. Returns the exit code.
int run_list_command(const ListOptions& opts);
}  // namespace runner
