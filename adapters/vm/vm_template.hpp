#pragma once
// VM template definitions: <vm-templates-path>/<name>/template.json (format in
// docs/vm-templates.md). A template is built once per machine into a stopped
// instance `template-<name>`; every scenario host clones it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/scenario.hpp"

namespace runner {

struct VmTemplate {
  std::string name;
  int vcpu = 1;
  std::uint64_t memory_mib = 1024;
  int disk_gb = 10;
  std::map<std::string, std::string> base_image;  // provider mode -> image (incus alias, lima yaml)
  std::string provision;         // playbook path, absolute (resolved against the template folder)
  std::string ansible_vars_json = "{}";  // merged into every clone's inventory vars
  std::string dir;               // folder of template.json

  std::string instance_name() const { return "template-" + name; }
};

struct TemplateCatalog {
  std::map<std::string, VmTemplate> templates;
  std::vector<std::string> errors;  // "file: field: message", one per broken definition
};

// Memory a scenario's clones need: the sum of its hosts' templates' memory_mib (the
// RAM broker's lease; undefined templates count 0, the selection check names them).
std::uint64_t scenario_memory_mib(const Scenario& s, const TemplateCatalog& templates);

// Loads every <dir>/*/template.json. A missing folder is one error.
TemplateCatalog load_vm_templates(const std::string& dir);

// The templates folder when --vm-templates-path is not given: ./vm-templates,
// then examples/vm-templates next to the scenarios or the current directory,
// then the installed share folder.
std::string default_vm_templates_path();

}  // namespace runner
