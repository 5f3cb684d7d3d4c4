#include "adapters/vm/vm_template.hpp"

#include <simdjson.h>

#include <filesystem>


namespace fs = std::filesystem;

namespace runner {
namespace {

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 40 || !std::isalpha(static_cast<unsigned char>(n[0]))) return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// Parses one definition; throws std::runtime_error("field: message").
VmTemplate parse_template(const fs::path& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(file.string()).get(doc)) throw std::runtime_error(std::string("invalid JSON: ") + simdjson::error_message(err));
  if (!doc.is_object()) throw std::runtime_error("$: must be an object");
  VmTemplate t;
  t.dir = fs::absolute(file.parent_path()).lexically_normal().string();
  std::string_view sv;
  if (doc["name"].get(sv)) throw std::runtime_error("name: required string");
  t.name = std::string(sv);
  if (!valid_name(t.name)) throw std::runtime_error("name: '" + t.name + "' must start with a letter and hold only letters, digits and '-' (at most 40)");
  if (t.name != file.parent_path().filename().string())
    throw std::runtime_error("name: '" + t.name + "' differs from its folder '" + file.parent_path().filename().string() + "'");
  auto positive = [&](const char* field, std::int64_t fallback, std::int64_t max) {
    auto v = doc[field];
    if (v.error() == simdjson::NO_SUCH_FIELD) return fallback;
    std::int64_t n = 0;
    if (v.get(n) || n <= 0 || n > max) throw std::runtime_error(std::string(field) + ": must be an integer from 1 to " + std::to_string(max));
    return n;
  };
  t.vcpu = static_cast<int>(positive("vcpu", 1, 256));
  t.memory_mib = static_cast<std::uint64_t>(positive("memory_mib", 1024, 1 << 22));
  t.disk_gb = static_cast<int>(positive("disk_gb", 10, 1 << 16));
  simdjson::dom::object images;
  if (doc["base_image"].get(images)) throw std::runtime_error("base_image: required object of provider -> image");
  for (auto [k, v] : images) {
    std::string_view img;
    if (v.get(img) || img.empty()) throw std::runtime_error("base_image." + std::string(k) + ": must be a non-empty string");
    if (k != "incus" && k != "lima") throw std::runtime_error("base_image." + std::string(k) + ": unknown provider (incus, lima)");
    t.base_image[std::string(k)] = std::string(img);
  }
  auto prov = doc["provision"];
  if (prov.error() != simdjson::NO_SUCH_FIELD) {
    if (prov.get(sv)) throw std::runtime_error("provision: must be a playbook path");
    fs::path p(std::string{sv});
    if (p.is_relative()) p = fs::path(t.dir) / p;
    if (!fs::is_regular_file(p)) throw std::runtime_error("provision: " + p.string() + " not found");
    t.provision = p.lexically_normal().string();
  }
  auto vars = doc["ansible_vars"];
  if (vars.error() != simdjson::NO_SUCH_FIELD) {
    simdjson::dom::object o;
    if (vars.get(o)) throw std::runtime_error("ansible_vars: must be an object");
    t.ansible_vars_json = simdjson::minify(o);
  }
  return t;
}

}  // namespace

std::uint64_t scenario_memory_mib(const Scenario& s, const TemplateCatalog& templates) {
  std::uint64_t mib = 0;
  for (const auto& h : s.hosts)
    if (auto t = templates.templates.find(h.template_name); t != templates.templates.end()) mib += t->second.memory_mib;
  return mib;
}

TemplateCatalog load_vm_templates(const std::string& dir) {
  TemplateCatalog out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    out.errors.push_back(dir + ": VM templates folder not found (--vm-templates-path)");
    return out;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory() && fs::is_regular_file(e.path() / "template.json")) files.push_back(e.path() / "template.json");
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    try {
      VmTemplate t = parse_template(f);
      out.templates.emplace(t.name, std::move(t));
    } catch (const std::exception& e) {
      out.errors.push_back(f.string() + ": " + e.what());
    }
  }
  return out;
}

std::string default_vm_templates_path() {
  // Beside the installed program too (PREFIX/bin/2501-runner: PREFIX/share/...), so a
  // `cmake --install --prefix /usr/local` finds its own templates.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const std::string installed = ec ? "" : (exe.parent_path().parent_path() / "share/2501-runner/vm-templates").string();
  for (const std::string& candidate :
       {std::string("vm-templates"), std::string("examples/vm-templates"), installed,
        std::string("/usr/share/2501-runner/vm-templates")})
    if (!candidate.empty() && fs::is_directory(candidate)) return fs::absolute(candidate).lexically_normal().string();
  return "vm-templates";
}

}  // namespace runner
