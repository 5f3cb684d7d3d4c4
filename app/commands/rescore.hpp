#pragma once
// `validate --benchmark B`: the stored iterations of B judged again with the current
// scenario rules, against the trajectories stored with them (the job as the engine
// returned it). validate.yml is not run again (the machines are gone): its stored
// result counts as it did. Errors stay errors (they never had a verdict). With
// --write the new verdicts become a new benchmark linked to B; B is never changed.
#include "adapters/env/config.hpp"
#include "app/cli.hpp"

namespace runner {

int rescore_benchmark(const ValidateOptions& opts, const Config& cfg);

}  // namespace runner
