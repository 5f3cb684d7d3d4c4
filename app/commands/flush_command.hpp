#pragma once
#include "app/cli.hpp"

namespace runner {

// `flush`: deletes benchmarks (--benchmark, --older-than) with their reports, run log
// folders and spooled reports; never one whose run is alive. Asks on a terminal;
// --yes for scripts, --dry-run to look only.
int run_flush_command(const FlushOptions& opts);

}  // namespace runner
