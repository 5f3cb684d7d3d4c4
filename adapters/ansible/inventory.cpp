#include "adapters/ansible/inventory.hpp"

#include <filesystem>

#include "adapters/json/json_text.hpp"

namespace runner {

std::string inventory_json(const std::vector<HostRow>& hosts) {
  std::string out = R"({"all":{"hosts":{)";
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const HostRow& h = hosts[i];
    std::string vars;
    auto add = [&](const char* k, const std::string& json_value) {
      vars += (vars.empty() ? "" : ",") + json_quote(k) + ":" + json_value;
    };
    if (h.connection == "local") {
      add("ansible_connection", json_quote("local"));
      // Modules run with the system Python Ansible itself uses, not whatever is on PATH.
      std::error_code ec;
      if (std::filesystem::exists("/usr/bin/python3", ec)) add("ansible_python_interpreter", json_quote("/usr/bin/python3"));
    } else {
      add("ansible_host", json_quote(h.address));
      add("ansible_port", std::to_string(h.port));
      if (!h.ssh_user.empty()) add("ansible_user", json_quote(h.ssh_user));
      if (!h.ssh_key_path.empty()) add("ansible_ssh_private_key_file", json_quote(h.ssh_key_path));
    }
    add("runner_host_id", json_quote(h.id));
    // The host's own ansible_vars come last: a host may override any default above.
    std::string own = h.ansible_vars_json;
    if (own.size() > 2 && own.front() == '{' && own.back() == '}') vars += (vars.empty() ? "" : ",") + own.substr(1, own.size() - 2);
    out += (i ? "," : "") + json_quote(h.inventory_name.empty() ? h.name : h.inventory_name) + ":{" + vars + "}";
  }
  return out + "}}}";
}

}  // namespace runner
