#pragma once
// The versioned SQL migrations of adapters/db/migrations/, embedded at build time.
#include <string>
#include <vector>

namespace runner {

struct Migration {
  std::string version;  // "0001"
  std::string name;     // "0001_platform"
  std::string sql;
};

// In version order.
const std::vector<Migration>& embedded_migrations();

}  // namespace runner
