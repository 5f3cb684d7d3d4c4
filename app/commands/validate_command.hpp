#pragma once
#include "app/cli.hpp"

namespace runner {

// `validate`: lints the selected scenarios (exit 0 clean, 2 with errors or, with
// --strict, warnings), or with --benchmark re-scores a stored benchmark.
int run_validate_command(const ValidateOptions& opts);

}  // namespace runner
