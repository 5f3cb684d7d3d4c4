#pragma once
// Resolves `-s a,b,c` against a catalog. Each item matches a key exactly, or a tag,
// or, when it contains '*', is a glob over keys. The result is the de-duplicated
// union sorted by key. Unmatched items and selected broken scenarios are errors.
#include <string>
#include <vector>

#include "adapters/scenarios/scenario_loader.hpp"

namespace runner {

struct Selection {
  std::vector<const Scenario*> scenarios;  // sorted by key
  std::vector<std::string> errors;         // one line each, without "error: "
};

// Splits "a, b,,c" into {"a","b","c"}.
std::vector<std::string> split_selection(const std::string& arg);

// An empty `items` selects everything.
Selection select_scenarios(const Catalog& catalog, const std::vector<std::string>& items);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace runner
