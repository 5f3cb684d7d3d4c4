// libFuzzer target: scenario.json text → parse_scenario. A scenario comes back only
// without errors, and every message it gives is valid UTF-8 (they reach the console).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/scenarios/scenario_parser.hpp"
#include "adapters/text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = runner::parse_scenario(text, "fuzz/scenario.json");
  if (parsed.scenario && !parsed.errors.empty()) std::abort();
  for (const auto& p : parsed.errors)
    if (!runner::utf8_valid(p.message)) std::abort();
  return 0;
}
