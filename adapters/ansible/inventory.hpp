#pragma once
// Ansible inventories generated from host rows when a scenario brings none.
// Written as JSON (which Ansible's YAML inventory plugin reads), so `ansible_vars`
// of any JSON type pass through unchanged.
#include <string>
#include <vector>

#include "messages/host.hpp"

namespace runner {



// The inventory document: {"all": {"hosts": {name: {vars...}}}}.
std::string inventory_json(const std::vector<HostRow>& hosts);

}  // namespace runner
