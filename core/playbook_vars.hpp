#pragma once
// The extra vars every scenario playbook gets (prepare.yml, restore.yml,
// validate.yml, and the engine simulator's solution.yml): the one place this
// contract is written. docs/scenario-format.md lists them for scenario authors.
#include <string>

namespace runner {

struct PlaybookVars {
  std::string scenario_key;
  std::string scenario_dir;   // absolute folder of scenario.json
  int iteration = 1;          // 1-based
  std::string benchmark_id;   // "" outside a run (sandbox commands)
  std::string mode;           // host | incus | lima | sandbox | oracle
  std::string phase;          // prepare | restore | validate | solution
};

// {"scenario_key":...,"scenario_dir":...,"iteration":N,"benchmark_id":...,"mode":...,"phase":...}
std::string playbook_extra_vars(const PlaybookVars& vars);

}  // namespace runner
