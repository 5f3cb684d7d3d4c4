#include "adapters/ansible/inventory.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"

namespace runner {

std::string inventory_json(const std::vector<HostRow>& hosts) {
  nlohmann::json all_hosts = nlohmann::json::object();
  for (const HostRow& h : hosts) {
    nlohmann::json vars = nlohmann::json::object();
    if (h.connection == "local") {
      vars["ansible_connection"] = "local";
      // Modules run with the system Python Ansible itself uses, not whatever is on PATH.
      std::error_code ec;
      if (std::filesystem::exists("/usr/bin/python3", ec)) vars["ansible_python_interpreter"] = "/usr/bin/python3";
    } else {
      vars["ansible_host"] = h.address;
      vars["ansible_port"] = h.port;
      if (!h.ssh_user.empty()) vars["ansible_user"] = h.ssh_user;
      if (!h.ssh_key_path.empty()) vars["ansible_ssh_private_key_file"] = h.ssh_key_path;
    }
    vars["runner_host_id"] = h.id;
    // The host's own ansible_vars come last: a host may override any default above.
    const auto own = nlohmann::json::parse(h.ansible_vars_json, nullptr, false);
    if (own.is_object()) vars.update(own);
    all_hosts[h.inventory_name.empty() ? h.name : h.inventory_name] = std::move(vars);
  }
  return json_dump({{"all", {{"hosts", std::move(all_hosts)}}}});
}

}  // namespace runner
