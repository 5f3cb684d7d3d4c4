#pragma once
// The console summary at the end of a run: one row per scenario-iteration, the
// failed (-v) or all (-vv) checks, and per-scenario statistics when -i > 1.
#include <vector>

#include "messages/report.hpp"

namespace runner {

void print_summary(const std::vector<ScenarioReport>& reports, int iterations, int verbosity);

// Exit code of a finished run: 130 interrupted, 4 any error, 1 --fail-on-error and
// anything not passed, else 0.
int run_exit_code(const std::vector<ScenarioReport>& reports, bool interrupted, bool fail_on_error);

// pass@k and pass^k estimates for n trials with c successes (unbiased, k <= n).
double pass_at_k(int n, int c, int k);
double pass_hat_k(int n, int c, int k);

}  // namespace runner
