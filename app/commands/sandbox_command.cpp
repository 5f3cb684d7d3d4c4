// The sandbox commands (runner-reference.md 3.6): environments for people, not
// benchmarks. Sequential and blocking on the main thread: one person, a handful of
// hosts, nothing to schedule, so no actor system.
#include "app/commands/sandbox_command.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "adapters/ansible/inventory.hpp"
#include "adapters/ansible/playbook_runner.hpp"
#include "adapters/db/platform_id.hpp"
#include "adapters/db/platform_store.hpp"
#include "adapters/env/state_dir.hpp"
#include "adapters/scenarios/selection.hpp"
#include "adapters/vm/vm_lifecycle.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/vm_support.hpp"
#include "app/scenario_source.hpp"
#include "core/playbook_vars.hpp"
#include "messages/exit_codes.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

struct SandboxError : std::runtime_error {
  int code;
  SandboxError(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

std::string work_dir() {
  const fs::path dir = fs::path(runner_state_dir()) / "sandbox";
  fs::create_directories(dir);
  return dir.string();
}

std::string require(const Config& cfg, const char* name) {
  std::string v = cfg.get(name);
  if (v.empty()) throw SandboxError(exit_code::preflight, std::string(name) + " is not set (env file or environment)");
  return v;
}

std::string ssh_line(const HostRow& h) {
  if (h.connection == "local") return "local connection (runs on this machine)";
  return "ssh -i " + h.ssh_key_path + " " + (h.ssh_user.empty() ? "" : h.ssh_user + "@") + h.address + " -p " +
         std::to_string(h.port);
}

bool run_book(const Scenario& s, const char* file, const std::string& inventory, const std::string& log, bool quiet) {
  PlaybookRun run;
  run.playbook = (fs::path(s.dir) / file).string();
  run.inventory = inventory;
  run.workdir = s.dir;
  run.log_path = log;
  const std::string phase = fs::path(file).stem().string();  // prepare | restore
  run.extra_vars_json = playbook_extra_vars({s.key, s.dir, 1, "", "sandbox", phase});
  PlaybookResult r = run_playbook(run);
  if (!r.ok() && !quiet) spdlog::warn("{}: {} failed (exit {}); see {}", s.key, file, r.exit_code, log);
  return r.ok();
}

struct VmContext {
  std::shared_ptr<TemplateCatalog> templates;
  std::unique_ptr<VmProvider> provider;
  RunnerKey key;
};

VmContext open_vm(const std::string& mode, const std::optional<std::string>& templates_path, bool need_templates) {
  VmContext vm;
  if (need_templates) {
    const std::string dir = templates_path.value_or(default_vm_templates_path());
    vm.templates = std::make_shared<TemplateCatalog>(load_vm_templates(dir));
    if (!vm.templates->errors.empty()) throw SandboxError(exit_code::usage, vm.templates->errors.front());
  }
  vm.key = ensure_runner_key();
  vm.provider = make_vm_provider(mode, vm.key.private_path);
  if (auto why = vm.provider->check(); !why.empty()) throw SandboxError(exit_code::preflight, mode + ": " + why);
  return vm;
}

std::vector<const Scenario*> select(const SandboxOptions& o, const Config& cfg, Catalog& catalog) {
  ScenarioRoot root = resolve_scenario_root(o.common.source, o.common.scenarios_path, cfg);
  catalog = load_catalog(root.root);
  print_catalog_problems(catalog);
  Selection sel = select_scenarios(catalog, split_selection(o.scenarios));
  if (!sel.errors.empty()) throw SandboxError(exit_code::usage, sel.errors.front());
  return sel.scenarios;
}

// --- prepare ---------------------------------------------------------------------
void prepare_host_mode(const Scenario& s, PlatformStore& store, const std::string& org) {
  ProvisionRequest req;
  req.organization_id = org;
  for (const auto& h : s.hosts) {
    if (h.host_id.empty()) throw SandboxError(exit_code::usage, s.file + ": hosts[].host_id: required in host mode");
    req.host_ids.push_back(h.host_id);
    req.host_names.push_back(h.host_name);
  }
  ProvisionResult res = store.resolve(req);
  if (!res.ok) throw SandboxError(exit_code::infrastructure, s.key + ": " + res.error);
  const std::string inventory = (fs::path(work_dir()) / (s.key + ".inventory.json")).string();
  std::ofstream(inventory) << inventory_json(res.hosts);
  const std::string log = (fs::path(work_dir()) / (s.key + ".log")).string();
  if (s.playbooks.restore) run_book(s, "restore.yml", inventory, log, true);
  const bool ok = !s.playbooks.prepare || run_book(s, "prepare.yml", inventory, log, false);
  spdlog::info("{}: environment ready{} (log {})", s.key, ok ? "" : " but prepare.yml FAILED: debug it in place", log);
  for (const auto& h : res.hosts) spdlog::info("  host {} ({}): {}", h.inventory_name.empty() ? h.name : h.inventory_name, h.id, ssh_line(h));
  for (const auto& a : s.agents) spdlog::info("  agent {}", a.agent_id);
}

void prepare_vm_mode(const Scenario& s, VmContext& vm, PlatformStore& store, const std::string& org,
                     const std::optional<std::string>& specialty) {
  RegisterRequest reg;
  reg.organization_id = org;
  std::vector<std::string> clones;
  try {
    for (const auto& h : s.hosts) {
      const VmTemplate& t = vm.templates->templates.at(h.template_name);
      const std::string name = clone_name("sandbox0", s.key, h.host_name, 1);
      spdlog::info("{}: cloning template-{} as {}", s.key, t.name, name);
      const VmEndpoint ep = bring_up_clone(*vm.provider, t, name,
                                           {{"role", "sandbox"}, {"scenario", s.key}, {"host", h.host_name}}, vm.key,
                                           std::chrono::seconds(180));
      clones.push_back(name);
      reg.hosts.push_back(clone_host_row(name, h.host_name, ep, t));
    }
    add_scenario_agents(reg, s, specialty.value_or(""));
    ProvisionResult res = store.register_ephemeral(reg);
    if (!res.ok) throw SandboxError(exit_code::infrastructure, s.key + ": " + res.error);
    const std::string inventory = (fs::path(work_dir()) / (s.key + ".inventory.json")).string();
    std::ofstream(inventory) << inventory_json(res.hosts);
    const std::string log = (fs::path(work_dir()) / (s.key + ".log")).string();
    // 0.7 semantics: a failing prepare.yml is a warning; the environment stays for debugging.
    const bool ok = !s.playbooks.prepare || run_book(s, "prepare.yml", inventory, log, false);
    spdlog::info("{}: environment ready{} (log {})", s.key, ok ? "" : " but prepare.yml FAILED: debug it in place", log);
    for (const auto& h : res.hosts) spdlog::info("  host {} ({}, id {}): {}", h.inventory_name, h.name, h.id, ssh_line(h));
    for (std::size_t i = 0; i < res.agent_ids.size(); ++i) spdlog::info("  agent {} ({})", res.agent_ids[i], reg.agent_names[i]);
    spdlog::info("  undo with: 2501-runner sandbox restore -s {} -m {}", s.key, vm.provider->mode());
  } catch (...) {
    for (const auto& c : clones) try {
        vm.provider->destroy(c);
      } catch (...) {
      }
    store.delete_ephemeral_hosts_named(clones);
    throw;
  }
}

int prepare(const SandboxOptions& o) {
  Config cfg = load_command_config(o.common);
  PlatformStore store(require(cfg, "DATABASE_URL"));
  const std::string org = canonical_platform_id(require(cfg, "ORG_ID"));
  Catalog catalog;
  auto selected = select(o, cfg, catalog);
  if (o.mode == RunMode::host) {
    for (const auto* s : selected) prepare_host_mode(*s, store, org);
    return exit_code::success;
  }
  VmContext vm = open_vm(to_string(*o.mode), o.vm_templates_path, true);
  auto errors = check_vm_scenarios(selected, *vm.templates);
  if (!errors.empty()) throw SandboxError(exit_code::usage, errors.front());
  std::vector<std::string> names;
  for (const auto* s : selected)
    for (const auto& h : s->hosts) names.push_back(h.template_name);
  ensure_templates(*vm.provider, *vm.templates, names, vm.key, (fs::path(work_dir()) / "templates").string());
  for (const auto* s : selected) prepare_vm_mode(*s, vm, store, org, o.specialty);
  return exit_code::success;
}

// --- restore ---------------------------------------------------------------------
int restore(const SandboxOptions& o) {
  Config cfg = load_command_config(o.common);
  const std::string db_url = require(cfg, "DATABASE_URL");
  Catalog catalog;
  auto selected = select(o, cfg, catalog);
  if (o.mode == RunMode::host) {
    PlatformStore store(db_url);
    for (const auto* s : selected) {
      const std::string inventory = (fs::path(work_dir()) / (s->key + ".inventory.json")).string();
      if (!fs::exists(inventory))
        throw SandboxError(exit_code::usage, s->key + ": no `sandbox prepare -m host` to undo (" + inventory + " missing)");
      const std::string log = (fs::path(work_dir()) / (s->key + ".log")).string();
      const bool ok = !s->playbooks.restore || run_book(*s, "restore.yml", inventory, log, false);
      fs::remove(inventory);
      spdlog::info("{}: {}", s->key, ok ? "restored" : "restore.yml failed; see " + log);
    }
    return exit_code::success;
  }
  VmContext vm = open_vm(to_string(*o.mode), std::nullopt, false);
  std::set<std::string> keys;
  for (const auto* s : selected) keys.insert(s->key);
  std::vector<std::string> gone;
  for (const VmInfo& i : vm.provider->list()) {
    if (!is_runner_clone(i) || !keys.count(i.label("scenario"))) continue;
    if (i.label("role") != "sandbox") continue;  // a run's clone: not ours to touch
    vm.provider->destroy(i.name);
    gone.push_back(i.name);
    spdlog::info("destroyed {} ({})", i.name, i.label("scenario"));
  }
  PlatformStore(db_url).delete_ephemeral_hosts_named(gone);
  if (gone.empty()) throw SandboxError(exit_code::usage, std::string("no `sandbox prepare -m ") + to_string(*o.mode) + "` environment of " + o.scenarios + " to undo");
  return exit_code::success;
}

// --- create / delete -------------------------------------------------------------
bool valid_vm_name(const std::string& n) {
  if (n.empty() || n.size() > 63 || !std::isalpha(static_cast<unsigned char>(n[0])) || n.rfind("template-", 0) == 0)
    return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return n.back() != '-';
}

int create(const SandboxOptions& o) {
  Config cfg = load_command_config(o.common);
  PlatformStore store(require(cfg, "DATABASE_URL"));
  const std::string org = canonical_platform_id(require(cfg, "ORG_ID"));
  VmContext vm = open_vm(to_string(*o.mode), o.vm_templates_path, true);
  auto t = vm.templates->templates.find(o.template_name);
  if (t == vm.templates->templates.end())
    throw SandboxError(exit_code::usage, "--template: '" + o.template_name + "' is not defined in the VM templates folder");
  std::string name = o.name.value_or("");
  if (name.empty()) {
    std::mt19937 rng{std::random_device{}()};
    name = "vm-" + o.template_name + "-" + std::to_string(1000 + rng() % 9000);
  }
  if (!valid_vm_name(name))
    throw SandboxError(exit_code::usage, "-n/--name: '" + name + "' must start with a letter, hold letters, digits and '-', at most 63, not template-*");
  if (vm.provider->find(name)) throw SandboxError(exit_code::usage, "-n/--name: an instance named '" + name + "' exists already");
  ensure_templates(*vm.provider, *vm.templates, {o.template_name}, vm.key,
                   (fs::path(work_dir()) / "templates").string());
  const VmEndpoint ep = bring_up_clone(*vm.provider, t->second, name, {{"role", "standalone"}, {"host", name}}, vm.key,
                                       std::chrono::seconds(180));
  RegisterRequest reg;
  reg.organization_id = org;
  reg.hosts.push_back(clone_host_row(name, name, ep, t->second));
  reg.agent_names.push_back(name);
  reg.agent_host_names.push_back(name);
  reg.agent_specialties.push_back(o.specialty.value_or("SERVICES_MANAGER"));
  ProvisionResult res;
  try {
    res = store.register_ephemeral(reg);
    if (!res.ok) throw SandboxError(exit_code::infrastructure, res.error);
  } catch (...) {
    vm.provider->destroy(name);
    throw;
  }
  std::printf("target ready: %s\n%s\nagent id: %s\nhost id: %s\ndelete with: 2501-runner sandbox delete -s %s -m %s\n",
              name.c_str(), ssh_line(res.hosts[0]).c_str(), res.agent_ids[0].c_str(), res.hosts[0].id.c_str(),
              name.c_str(), to_string(*o.mode));
  return exit_code::success;
}

int remove(const SandboxOptions& o) {
  Config cfg = load_command_config(o.common);
  const std::string db_url = require(cfg, "DATABASE_URL");
  VmContext vm = open_vm(to_string(*o.mode), std::nullopt, false);
  const std::string& name = o.scenarios;
  auto found = vm.provider->find(name);
  if (!found) throw SandboxError(exit_code::usage, std::string("-s/--name: no ") + to_string(*o.mode) + " instance named '" + name + "'");
  const std::string role = found->label("role");
  if (role == "sandbox")
    throw SandboxError(exit_code::usage, name + " belongs to `sandbox prepare` of " + found->label("scenario") +
                                             "; undo it with `sandbox restore -s " + found->label("scenario") + "`");
  if (role != "standalone")
    throw SandboxError(exit_code::usage, name + " was not made by `sandbox create`; refusing to delete it");
  vm.provider->destroy(name);
  PlatformStore(db_url).delete_ephemeral_hosts_named({name});
  spdlog::info("deleted {} and its host and agent", name);
  return exit_code::success;
}

// --- purge-vms -------------------------------------------------------------------
int purge(const SandboxOptions& o) {
  Config cfg = load_command_config(o.common);
  const std::string db_url = cfg.get("DATABASE_URL");
  if (db_url.empty()) spdlog::warn("DATABASE_URL is not set: clones of runs cannot be told alive from dead; only sandbox clones go");
  const std::vector<std::string> modes =
      o.mode ? std::vector<std::string>{to_string(*o.mode)} : std::vector<std::string>{"incus", "lima"};
  for (const auto& mode : modes) {
    auto provider = make_vm_provider(mode, "");
    if (auto why = provider->check(); !why.empty()) {
      if (o.mode) throw SandboxError(exit_code::preflight, mode + ": " + why);
      spdlog::info("{}: skipped ({})", mode, why);
      continue;
    }
    const std::size_t n = reap_clones(*provider, db_url, {true, true, ""});
    spdlog::info("{}: {} clone(s) deleted; templates untouched", mode, n);
  }
  return exit_code::success;
}

}  // namespace

int run_sandbox_command(const SandboxOptions& opts) {
  try {
    switch (opts.action) {
      case SandboxOptions::Action::prepare: return prepare(opts);
      case SandboxOptions::Action::restore: return restore(opts);
      case SandboxOptions::Action::create: return create(opts);
      case SandboxOptions::Action::remove: return remove(opts);
      case SandboxOptions::Action::purge: return purge(opts);
    }
  } catch (const SandboxError& e) {
    spdlog::error("{}", e.what());
    return e.code;
  } catch (const VmError& e) {
    spdlog::error("{}", e.what());
    return exit_code::infrastructure;
  }
  return exit_code::infrastructure;
}

}  // namespace runner
