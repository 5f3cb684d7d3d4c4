// The incus provider: `incus` commands, state through `incus query` (exact names,
// JSON), our labels as user.2501-runner.* config keys.
#include <simdjson.h>

#include <cstdlib>

#include "adapters/process/command.hpp"
#include "adapters/vm/tcp_probe.hpp"
#include "adapters/vm/vm_provider.hpp"

namespace runner {
namespace {

constexpr const char* kLabelPrefix = "user.2501-runner.";

class IncusProvider : public VmProvider {
 public:
  explicit IncusProvider(std::string key_path) : key_path_(std::move(key_path)) {
    const char* p = std::getenv("INCUS");
    program_ = p && *p ? p : "incus";
  }
  std::string mode() const override { return "incus"; }

  std::string check() override {
    auto r = run_command({program_, "query", "/1.0"}, "", std::chrono::seconds(20));
    if (!r.started) return r.error;
    if (!r.ok()) return "incus does not answer (" + r.describe() + "); is incusd running?";
    return "";
  }

  std::vector<VmInfo> list() override {
    auto r = must({program_, "query", "/1.0/instances?recursion=1"}, "list instances");
    std::vector<VmInfo> out;
    simdjson::dom::parser parser;
    simdjson::dom::array arr;
    if (parser.parse(r.out).get(arr)) throw VmError("incus: cannot parse the instance list");
    for (auto inst : arr) out.push_back(info_of(inst));
    return out;
  }

  std::optional<VmInfo> find(const std::string& name) override {
    auto r = run_command({program_, "query", "/1.0/instances/" + name}, "", std::chrono::seconds(60));
    if (!r.ok()) {
      if (r.err.find("not found") != std::string::npos || r.err.find("Not Found") != std::string::npos) return std::nullopt;
      throw VmError("incus: cannot look up " + name + ": " + r.describe());
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.out).get(doc)) throw VmError("incus: cannot parse instance " + name);
    return info_of(doc);
  }

  void create_from_image(const VmTemplate& t, const std::string& name, const VmLabels& labels) override {
    auto it = t.base_image.find("incus");
    if (it == t.base_image.end()) throw VmError("template " + t.name + " has no base_image.incus");
    std::vector<std::string> argv = {program_, "init", it->second, name};
    add_limits(argv, t, labels);
    must(argv, "create " + name + " from image " + it->second, std::chrono::minutes(10));
  }

  void clone(const std::string& source, const std::string& name, const VmTemplate& t, const VmLabels& labels) override {
    std::vector<std::string> argv = {program_, "copy", source, name, "--instance-only"};
    add_limits(argv, t, labels);
    must(argv, "copy " + source + " to " + name, std::chrono::minutes(10));
  }

  void start(const std::string& name) override { must({program_, "start", name}, "start " + name, std::chrono::minutes(3)); }
  void stop(const std::string& name) override {
    must({program_, "stop", name, "--timeout", "60"}, "stop " + name, std::chrono::minutes(3));
  }

  void destroy(const std::string& name) override {
    auto r = run_command({program_, "delete", "--force", name}, "", std::chrono::minutes(3));
    if (!r.ok() && r.err.find("not found") == std::string::npos && r.err.find("Not Found") == std::string::npos)
      throw VmError("incus: delete " + name + " failed: " + r.describe());
  }

  void authorize(const std::string& name, const std::string& public_key) override {
    // The public key (not a secret) is the script's argument $1, not stdin: under load
    // `incus exec` was seen to lose its stdin's end, leaving `cat` waiting until the
    // timeout. The script makes the login user if the image lacks it (a plain Debian
    // image), with password-less sudo for Ansible's become; it can run twice.
    const std::string script =
        "set -e; id debian >/dev/null 2>&1 || useradd -m -s /bin/bash debian; "
        "install -d -m 700 -o debian -g debian /home/debian/.ssh; "
        "printf '%s\\n' \"$1\" > /home/debian/.ssh/authorized_keys; "
        "chown debian:debian /home/debian/.ssh/authorized_keys; chmod 600 /home/debian/.ssh/authorized_keys; "
        "if [ -d /etc/sudoers.d ]; then echo 'debian ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/2501-runner; "
        "chmod 440 /etc/sudoers.d/2501-runner; fi";
    const std::vector<std::string> argv = {program_, "exec", name, "--", "sh", "-c", script, "sh", public_key};
    // A clone that just started may refuse or stall one exec: one more try before the
    // clone counts as failed.
    auto first = run_command(argv, "", std::chrono::minutes(1));
    if (first.ok()) return;
    must(argv, "authorize the runner key in " + name + " (after a first try: " + first.describe() + ")",
         std::chrono::minutes(1));
  }

  std::optional<VmEndpoint> ready(const std::string& name) override {
    auto r = run_command({program_, "query", "/1.0/instances/" + name + "/state"}, "", std::chrono::seconds(30));
    if (!r.ok()) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.out).get(doc)) return std::nullopt;
    simdjson::dom::object net;
    if (doc["network"].get(net)) return std::nullopt;
    for (auto [ifname, iface] : net) {
      if (ifname == "lo") continue;
      simdjson::dom::array addrs;
      if (iface["addresses"].get(addrs)) continue;
      for (auto a : addrs) {
        std::string_view family, address, scope;
        if (a["family"].get(family) || family != "inet" || a["address"].get(address)) continue;
        if (!a["scope"].get(scope) && scope != "global") continue;
        VmEndpoint ep{std::string(address), 22, "debian", key_path_};
        if (tcp_port_open(ep.address, ep.port, std::chrono::milliseconds(1000))) return ep;
      }
    }
    return std::nullopt;
  }

 private:
  CommandResult must(const std::vector<std::string>& argv, const std::string& what,
                     std::chrono::milliseconds timeout = std::chrono::minutes(2), const std::string& input = "") {
    auto r = run_command(argv, input, timeout);
    if (!r.ok()) throw VmError("incus: " + what + " failed: " + r.describe());
    return r;
  }

  static void add_limits(std::vector<std::string>& argv, const VmTemplate& t, const VmLabels& labels) {
    for (const auto& kv : {std::make_pair(std::string("limits.memory"), std::to_string(t.memory_mib) + "MiB"),
                           std::make_pair(std::string("limits.cpu"), std::to_string(t.vcpu))}) {
      argv.push_back("-c");
      argv.push_back(kv.first + "=" + kv.second);
    }
    for (const auto& [k, v] : labels) {
      argv.push_back("-c");
      argv.push_back(kLabelPrefix + k + "=" + v);
    }
  }

  static VmInfo info_of(simdjson::dom::element inst) {
    VmInfo info;
    std::string_view sv;
    if (!inst["name"].get(sv)) info.name = std::string(sv);
    if (!inst["status"].get(sv)) info.status = std::string(sv);
    simdjson::dom::object config;
    if (!inst["config"].get(config))
      for (auto [k, v] : config) {
        std::string key(k);
        if (key.rfind(kLabelPrefix, 0) != 0) continue;
        if (!v.get(sv)) info.labels[key.substr(std::string(kLabelPrefix).size())] = std::string(sv);
      }
    return info;
  }

  std::string key_path_;
  std::string program_;
};

}  // namespace

std::unique_ptr<VmProvider> make_incus_provider(const std::string& key_path) {
  return std::make_unique<IncusProvider>(key_path);
}

}  // namespace runner
