#include "adapters/vm/vm_provider.hpp"

namespace runner {

std::unique_ptr<VmProvider> make_incus_provider(const std::string& key_path);  // incus_provider.cpp
std::unique_ptr<VmProvider> make_lima_provider();                              // lima_provider.cpp

std::unique_ptr<VmProvider> make_vm_provider(const std::string& mode, const std::string& runner_key_path) {
  if (mode == "incus") return make_incus_provider(runner_key_path);
  if (mode == "lima") return make_lima_provider();
  throw VmError("unknown VM mode '" + mode + "' (incus, lima)");
}

}  // namespace runner
