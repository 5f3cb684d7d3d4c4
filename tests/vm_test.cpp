// VM-mode pieces that need no provider: template definitions, clone names, the
// selection check, the RAM budget.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "adapters/vm/vm_lifecycle.hpp"
#include "adapters/vm/vm_template.hpp"
#include "app/commands/vm_support.hpp"
#include "support/temp_dir.hpp"

using namespace runner;
using test::TempDir;
namespace fs = std::filesystem;

namespace {
void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}
}  // namespace

TEST_CASE("vm templates: the shipped definitions load", "[vm]") {
  auto c = load_vm_templates(std::string(RUNNER_SOURCE_DIR) + "/examples/vm-templates");
  CHECK(c.errors.empty());
  REQUIRE(c.templates.count("debian-base"));
  CHECK(c.templates.at("debian-base").memory_mib == 1024);
  CHECK(c.templates.at("debian-base").vcpu == 1);
  CHECK(c.templates.at("debian-k3s").vcpu == 2);
  CHECK(c.templates.at("debian-docker").memory_mib == 2048);
  CHECK(c.templates.size() == 5);
  CHECK(fs::exists(c.templates.at("debian-base").provision));
}

TEST_CASE("vm templates: each broken definition is one line naming file and field", "[vm]") {
  TempDir d;
  write(d.path() / "ok/template.json", R"({"name":"ok","memory_mib":256,"base_image":{"incus":"img"},"ansible_vars":{"a":1}})");
  write(d.path() / "noimage/template.json", R"({"name":"noimage"})");
  write(d.path() / "other/template.json", R"({"name":"renamed","base_image":{"incus":"img"}})");
  write(d.path() / "badmem/template.json", R"({"name":"badmem","memory_mib":-5,"base_image":{"incus":"img"}})");
  write(d.path() / "badprov/template.json", R"({"name":"badprov","base_image":{"incus":"img"},"provision":"missing.yml"})");
  write(d.path() / "badjson/template.json", R"({"name":)");
  auto c = load_vm_templates(d.path().string());
  REQUIRE(c.templates.count("ok"));
  CHECK(c.templates.at("ok").ansible_vars_json == R"({"a":1})");
  REQUIRE(c.errors.size() == 5);
  auto has = [&](const std::string& needle) {
    for (const auto& e : c.errors)
      if (e.find(needle) != std::string::npos && e.find('\n') == std::string::npos) return true;
    return false;
  };
  CHECK(has("noimage/template.json: base_image: required"));
  CHECK(has("other/template.json: name: 'renamed' differs from its folder 'other'"));
  CHECK(has("badmem/template.json: memory_mib: must be an integer"));
  CHECK(has("badprov/template.json: provision:"));
  CHECK(has("badjson/template.json: invalid JSON"));
  CHECK(load_vm_templates((d.path() / "nope").string()).errors.size() == 1);
}

TEST_CASE("vm: clone names mark the runner, carry the benchmark and fit every provider", "[vm]") {
  const std::string n = clone_name("6d1f4b7e-1234-4000-8000-000000000001",
                                   "a/very/long/scenario-key_with.Odd*chars-that-goes-on-and-on", "web01", 12);
  CHECK(n.size() <= 63);
  CHECK(n.rfind("r2501-6d1f4b7e-", 0) == 0);
  CHECK(std::regex_match(n, std::regex("[a-z][a-z0-9-]*[a-z0-9]")));
  CHECK(n.find("-12-") != std::string::npos);
  CHECK(clone_name("b", "k", "h", 1) != clone_name("b", "k", "h", 1));  // random suffix
  CHECK(is_runner_clone({n, "Running", {}}));
  CHECK_FALSE(is_runner_clone({"template-debian-base", "Stopped", {}}));
  CHECK_FALSE(is_runner_clone({"my-own-vm", "Running", {}}));
}

TEST_CASE("vm: the selection check names file and field of every problem", "[vm]") {
  TemplateCatalog t;
  t.templates["debian-base"] = VmTemplate{};
  t.templates["debian-base"].memory_mib = 1024;
  Scenario s;
  s.file = "x/scenario.json";
  s.hosts = {{"", "web", "debian-base"}, {"", "", "nope"}, {"", "web", "debian-base"}};
  s.agents = {{"", "a", "db", "", ""}};
  auto errors = check_vm_scenarios({&s}, t);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0] == "x/scenario.json: hosts[1].host_name: required in VM modes");
  CHECK(errors[1] == "x/scenario.json: hosts[1].template: 'nope' is not defined in the VM templates folder");
  CHECK(errors[2] == "x/scenario.json: hosts[2].host_name: 'web' appears twice");
  CHECK(errors[3].rfind("x/scenario.json: agents[0].host_name: 'db'", 0) == 0);
  CHECK(scenario_memory_mib(s, t) == 2048);
}

TEST_CASE("vm: the RAM budget is the smaller of the cap and available minus reserve", "[vm]") {
  std::string how;
  const auto free_budget = ram_budget_mib(std::nullopt, how);
  CHECK(free_budget > 0);
  CHECK(how.find("reserve") != std::string::npos);
  CHECK(ram_budget_mib(0.5, how) == 512);
  CHECK(how.find("capped") != std::string::npos);
}

TEST_CASE("vm: the runner key is made once and reused", "[vm]") {
  TempDir d;
  const std::string path = (d.path() / "k/runner_key").string();
  setenv("RUNNER_SSH_KEY", path.c_str(), 1);
  const RunnerKey a = ensure_runner_key();
  const RunnerKey b = ensure_runner_key();
  unsetenv("RUNNER_SSH_KEY");
  CHECK(a.private_path == path);
  CHECK(a.public_key.rfind("ssh-ed25519 ", 0) == 0);
  CHECK(a.public_key == b.public_key);
}
