#pragma once
// The console summary at the end of a run: one row per scenario-iteration, the
// failed (-v) or all (-vv) checks, and per-scenario statistics when -i > 1.
#include <string>
#include <vector>

#include "core/result_stats.hpp"  // pass_at_k, pass_hat_k
#include "core/fail_gate.hpp"
#include "messages/report.hpp"

namespace runner {

// Left-aligned columns, two spaces apart, one info line per row (the first: headers).
void print_table(const std::vector<std::vector<std::string>>& rows);

void print_summary(const std::vector<ScenarioReport>& reports, int iterations, int verbosity);

// Exit code of a finished run: 130 interrupted, 4 any error, 1 --fail-on-error and
// anything not passed, else 0.
int run_exit_code(const std::vector<ScenarioReport>& reports, bool interrupted, const FailGate& fail_on_error);

}  // namespace runner
