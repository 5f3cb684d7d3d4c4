#pragma once
// Scenario discovery: walks a scenarios root for scenario.json files (hidden folders
// skipped), parses each, detects its playbooks, and rejects duplicate keys.
// A broken scenario never stops the others from loading.
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/scenarios/problem.hpp"
#include "messages/scenario.hpp"

namespace runner {

// A scenario that failed its checks; kept so that selecting it is an error.
struct BrokenScenario {
  std::string key;  // may be empty when unreadable
  std::vector<std::string> tags;
  std::string file;
};

struct Catalog {
  std::string root;                  // absolute scenarios root
  std::vector<Scenario> scenarios;   // sorted by key
  std::vector<BrokenScenario> broken;
  std::vector<Problem> errors;
  std::vector<Problem> warnings;
};

// Thrown when the root itself is unusable (missing, not a folder).
struct DiscoveryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Catalog load_catalog(const std::string& root);

}  // namespace runner
