#pragma once
#include "app/cli.hpp"

namespace runner {

// `history [-s SEL] [--last N]`: per scenario across the newest N stored runs, the pass
// rate run by run, the verdict flips (flakiness) and the last change.
int run_history_command(const HistoryOptions& opts);

}  // namespace runner
