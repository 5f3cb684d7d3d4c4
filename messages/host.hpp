#pragma once
// A host as the platform's database records it (the runner reads, the VM modes write).
#include <string>

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

}  // namespace runner
