#pragma once
// What the VM-mode actors of a run share: the provider's mode, the templates and
// the runner's SSH key. Plain data, fixed before the run starts.
#include <chrono>
#include <memory>
#include <string>

#include "adapters/vm/vm_template.hpp"

namespace runner {

struct VmSettings {
  std::string mode;  // incus | lima
  std::shared_ptr<const TemplateCatalog> templates;
  std::string key_path, public_key;
  std::chrono::seconds ready_timeout{180};
};

}  // namespace runner
