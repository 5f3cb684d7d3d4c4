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
  std::string phase;          // prepare | restore | validate | solution | chaos
  // `chaos --kill-command`: the command the kill playbook runs ("" = none), passed
  // base64-encoded as `runner_chaos_command_b64` (never templated by Ansible).
  std::string chaos_command;
};

// {"scenario_key":...,"scenario_dir":...,"iteration":N,"benchmark_id":...,"mode":...,"phase":...}
// plus "runner_chaos_command_b64" when set.
std::string playbook_extra_vars(const PlaybookVars& vars);

}  // namespace runner
