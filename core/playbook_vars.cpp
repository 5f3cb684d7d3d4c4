#include "core/playbook_vars.hpp"

#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"

namespace runner {

std::string playbook_extra_vars(const PlaybookVars& v) {
  return json_dump({{"scenario_key", v.scenario_key},
                    {"scenario_dir", v.scenario_dir},
                    {"iteration", v.iteration},
                    {"benchmark_id", v.benchmark_id},
                    {"mode", v.mode},
                    {"phase", v.phase}});
}

}  // namespace runner
