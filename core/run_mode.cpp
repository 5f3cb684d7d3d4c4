#include "core/run_mode.hpp"

namespace runner {

const char* to_string(RunMode m) {
  switch (m) {
    case RunMode::host: return "host";
    case RunMode::incus: return "incus";
    case RunMode::lima: return "lima";
  }
  return "host";
}

const char* to_string(GatewayKind g) { return g == GatewayKind::servicenow ? "servicenow" : "runner"; }

std::optional<RunMode> parse_run_mode(std::string_view text) {
  for (RunMode m : {RunMode::host, RunMode::incus, RunMode::lima})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

std::optional<GatewayKind> parse_gateway(std::string_view text) {
  for (GatewayKind g : {GatewayKind::runner, GatewayKind::servicenow})
    if (text == to_string(g)) return g;
  return std::nullopt;
}

}  // namespace runner
