#pragma once
#include "app/cli.hpp"

namespace runner {
// `2501-runner db migrate`: applies the schema migrations, then replays any spooled
// reports. Returns the exit code.
int run_db_migrate_command(const DbOptions& opts);
}  // namespace runner
