#pragma once
// Resolves `-s a,b,c` against a catalog. Each item matches a key exactly, or a tag,
// or, when it contains '*', is a glob over keys. The result is the de-duplicated
// union sorted by key. Unmatched items and selected broken scenarios are errors.
#include <optional>
#include <string>
#include <vector>

#include "adapters/scenarios/scenario_loader.hpp"

namespace runner {

struct Selection {
  std::vector<const Scenario*> scenarios;  // sorted by key
  std::vector<std::string> errors;         // one line each, without "error: "
};

// One selection item against one scenario: its key, one of its tags, or (an item
// with '*') a glob over keys. Every command that takes -s matches with this.
bool selection_item_matches(const std::string& item, const std::string& key, const std::vector<std::string>& tags);

// Splits "a, b,,c" into {"a","b","c"}.
std::vector<std::string> split_selection(const std::string& arg);

// An empty `items` selects everything. A scenario with definition errors that an
// `exclude` item matches is no error (leaving it out is what --exclude is for);
// narrow_selection then removes the excluded scenarios that loaded.
Selection select_scenarios(const Catalog& catalog, const std::vector<std::string>& items,
                           const std::vector<std::string>& exclude = {});

// --exclude and --limit on a resolved selection: the scenarios an exclude item
// matches leave it, then the first `limit` (by key) stay. "" or the error line: an
// exclude item that matches no scenario of the catalog (a typo, with suggestions),
// or nothing left to run.
std::string narrow_selection(Selection& selection, const Catalog& catalog, const std::vector<std::string>& exclude,
                             std::optional<int> limit);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace runner
