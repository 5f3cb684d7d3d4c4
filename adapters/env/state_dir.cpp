#include "adapters/env/state_dir.hpp"

#include <cstdlib>
#include <filesystem>

namespace runner {

std::string runner_state_dir() {
  namespace fs = std::filesystem;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return (fs::path(x) / "2501-runner").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : "/tmp") / ".local/state/2501-runner").string();
}

}  // namespace runner
