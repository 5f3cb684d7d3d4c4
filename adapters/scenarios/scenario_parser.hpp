#pragma once
// Parses and checks one scenario.json (0.7 form, or the older 0.3/0.4 form).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/scenarios/problem.hpp"
#include "messages/scenario.hpp"

namespace runner {

struct ParsedScenario {
  std::optional<Scenario> scenario;  // set only when there are no errors
  std::string key;                   // as far as it could be read, for selection and duplicates
  std::vector<std::string> tags;
  std::vector<Problem> errors;
  std::vector<Problem> warnings;
};

// `file` names the document in problems; it is also stored in Scenario::file.
ParsedScenario parse_scenario(std::string_view json, const std::string& file);

}  // namespace runner
