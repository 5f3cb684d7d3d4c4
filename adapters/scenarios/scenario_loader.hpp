#pragma once
// Scenario discovery: walks a scenarios root for scenario.json files (hidden folders
// skipped, symlinked folders followed once each), parses each, detects its
// playbooks (a playbook name that is not a readable file is an error, never a
// skipped phase), and rejects duplicate keys and keys sharing a log file name.
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
  std::vector<std::string> unreadable;  // folders that could not be read (their scenarios are unknown)
};

// Thrown when the root itself is unusable (missing, not a folder).
struct DiscoveryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Catalog load_catalog(const std::string& root);

}  // namespace runner
