#pragma once
// The checks `validate` adds to the loader's: a scenario that cannot fail (no rules
// and no validate.yml), unknown fields as errors, and playbooks that
// `ansible-playbook --syntax-check` rejects.
#include <vector>

#include "adapters/scenarios/problem.hpp"
#include "adapters/scenarios/scenario_loader.hpp"

namespace runner {

struct LintFindings {
  std::vector<Problem> errors, warnings;
};

// Problems of the selected scenarios (and of broken ones, whose files are named in
// `broken_files`). Runs ansible-playbook when it is on PATH (blocking: the main thread).
LintFindings lint_scenarios(const Catalog& catalog, const std::vector<const Scenario*>& selected,
                            const std::vector<std::string>& broken_files);

}  // namespace runner
