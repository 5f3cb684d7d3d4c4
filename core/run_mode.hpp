#pragma once
// The run's mode and gateway: parsed once at the edge (command line), printed once
// (reports, extra vars, options), compared as enums everywhere in between.
#include <optional>
#include <string_view>

namespace runner {

enum class RunMode { host, incus, lima };
enum class GatewayKind { runner, servicenow };

const char* to_string(RunMode m);
const char* to_string(GatewayKind g);
std::optional<RunMode> parse_run_mode(std::string_view text);
std::optional<GatewayKind> parse_gateway(std::string_view text);

inline bool is_vm_mode(RunMode m) { return m != RunMode::host; }

}  // namespace runner
