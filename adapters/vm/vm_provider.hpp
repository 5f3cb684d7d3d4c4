#pragma once
// One interface over the VM providers (incus, lima), driven through their command
// line tools. Blocking: every call runs a command; use it from a detached actor or
// the main thread. Failures throw VmError with a one-line message.
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/vm/vm_template.hpp"

namespace runner {

struct VmError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Our bookkeeping on each instance (incus: user.2501-runner.* config keys; lima: a
// 2501-runner.json file in the instance folder). Keys: role (run | sandbox |
// standalone | template), benchmark, scenario, iteration, host, host_id.
using VmLabels = std::map<std::string, std::string>;

struct VmInfo {
  std::string name;
  std::string status;  // provider's words: Running, Stopped, ...
  VmLabels labels;
  // The label's value, "" when the instance lacks it.
  std::string label(const std::string& key) const {
    auto it = labels.find(key);
    return it == labels.end() ? "" : it->second;
  }
};

// How Ansible and people reach an instance.
struct VmEndpoint {
  std::string address;
  int port = 22;
  std::string user;
  std::string key_path;
};

class VmProvider {
 public:
  virtual ~VmProvider() = default;
  virtual std::string mode() const = 0;
  // Pre-flight: the tool is there and answers. Returns "" when fine, else why not.
  virtual std::string check() = 0;
  virtual std::vector<VmInfo> list() = 0;
  virtual std::optional<VmInfo> find(const std::string& name) = 0;
  // A new instance from the template's base image (template builds only).
  virtual void create_from_image(const VmTemplate& t, const std::string& name, const VmLabels& labels) = 0;
  // A copy of the stopped instance `source` with the template's limits and labels.
  virtual void clone(const std::string& source, const std::string& name, const VmTemplate& t, const VmLabels& labels) = 0;
  virtual void start(const std::string& name) = 0;
  virtual void stop(const std::string& name) = 0;
  virtual void destroy(const std::string& name) = 0;  // idempotent: a missing instance is fine
  // Lets the runner's key in (incus: the `debian` user; lima: its own user exists).
  virtual void authorize(const std::string& name, const std::string& public_key) = 0;
  // The endpoint once the instance can be reached (address known and SSH, or the
  // provider's shell, answering); nullopt while it is not ready yet.
  virtual std::optional<VmEndpoint> ready(const std::string& name) = 0;
};

// "incus" or "lima"; the tool is found on PATH (LIMACTL / INCUS override the
// program, which is how the lima simulator is plugged in).
std::unique_ptr<VmProvider> make_vm_provider(const std::string& mode, const std::string& runner_key_path);

}  // namespace runner
