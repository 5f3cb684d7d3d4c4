#pragma once
// Ansible inventories generated from host rows when a scenario brings none.
// Written as JSON (which Ansible's YAML inventory plugin reads), so `ansible_vars`
// of any JSON type pass through unchanged.
#include <string>
#include <vector>

namespace runner {

struct HostRow {
  std::string id;
  std::string name;           // DB name
  std::string inventory_name; // the scenario's host_name, else the DB name
  std::string address = "127.0.0.1";
  int port = 22;
  std::string ssh_user;
  std::string ssh_key_path;
  std::string connection = "ssh";  // ssh | local
  std::string ansible_vars_json = "{}";
};

// The inventory document: {"all": {"hosts": {name: {vars...}}}}.
std::string inventory_json(const std::vector<HostRow>& hosts);

}  // namespace runner
