#include "adapters/process/stop_children.hpp"

#include <atomic>

namespace runner {
namespace {
std::atomic<bool> stopped{false};
}

void stop_children() { stopped.store(true); }
bool children_stopped() { return stopped.load(); }

}  // namespace runner
