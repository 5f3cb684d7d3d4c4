#pragma once
#include "app/cli.hpp"

namespace runner {
// `sandbox prepare|restore|create|delete|purge-vms`; returns the exit code.
int run_sandbox_command(const SandboxOptions& opts);
}
