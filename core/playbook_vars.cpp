#include "core/playbook_vars.hpp"

#include <nlohmann/json.hpp>

#include "adapters/http/basic_auth.hpp"
#include "adapters/json/json_text.hpp"

namespace runner {

std::string playbook_extra_vars(const PlaybookVars& v) {
  nlohmann::json vars{{"scenario_key", v.scenario_key},
                      {"scenario_dir", v.scenario_dir},
                      {"iteration", v.iteration},
                      {"benchmark_id", v.benchmark_id},
                      {"mode", v.mode},
                      {"phase", v.phase}};
  // base64: Ansible templates the value of a variable, so `{{`, `{%` or `{#` in a shell
  // command would be read as Jinja; the playbook decodes it with b64decode instead.
  if (!v.chaos_command.empty()) vars["runner_chaos_command_b64"] = base64_encode(v.chaos_command);
  return json_dump(vars);
}

}  // namespace runner
