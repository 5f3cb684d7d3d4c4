#include "app/commands/scenario_lint.hpp"

#include <filesystem>
#include <set>

#include "adapters/process/command.hpp"
#include "adapters/text/utf8.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

// `ansible-playbook --syntax-check` of one playbook, with the scenario's own inventory
// when it has one (host patterns then resolve as they will at run time).
void syntax_check(const Scenario& s, const char* playbook, const std::string& ansible, LintFindings& out) {
  const std::string inventory = s.playbooks.inventory.empty() ? "localhost," : (fs::path(s.dir) / s.playbooks.inventory).string();
  auto r = run_command({ansible, "--syntax-check", "-i", inventory, (fs::path(s.dir) / playbook).string()}, "",
                       std::chrono::seconds(120));
  if (r.ok()) return;
  // Ansible's reason is on stderr ("ERROR! ... The error appears to be in '...': line 4, column 3").
  std::string why = r.started ? r.err : r.error;
  if (const auto at = why.find("ERROR!"); at != std::string::npos) why = why.substr(at);
  std::string first;
  for (char c : why) {
    if (c == '\n') {
      if (!first.empty()) break;
      continue;
    }
    first += c;
  }
  out.errors.push_back({s.file, playbook, "ansible-playbook --syntax-check failed: " + utf8_truncate(printable(first), 300),
                        "syntax_check"});
}

}  // namespace

LintFindings lint_scenarios(const Catalog& catalog, const std::vector<const Scenario*>& selected,
                            const std::vector<std::string>& broken_files) {
  LintFindings out;
  std::set<std::string> files(broken_files.begin(), broken_files.end());
  for (const Scenario* s : selected) files.insert(s->file);
  // The loader's findings for these files; an unknown field is an error here (it is
  // ignored at run time, which is exactly what a lint should not let pass).
  for (const auto& e : catalog.errors)
    if (files.count(e.file)) out.errors.push_back(e);
  for (const auto& w : catalog.warnings)
    if (files.count(w.file)) (w.code == "unknown_field" ? out.errors : out.warnings).push_back(w);

  const std::string ansible = find_program("ansible-playbook");
  if (ansible.empty() && !selected.empty())
    out.warnings.push_back({"(validate)", "(playbooks)", "ansible-playbook is not on PATH: playbooks were not syntax-checked",
                            "syntax_check"});
  for (const Scenario* s : selected) {
    if (s->validation.rules.empty() && !s->playbooks.validate)
      out.warnings.push_back({s->file, "validation",
                              "no rules and no validate.yml: the scenario passes whatever the agent does", "no_checks"});
    // Rules read what the agent and the engine said, never the host: without
    // validate.yml a host that was never broken (or never fixed) passes on words alone.
    else if (!s->playbooks.validate)
      out.warnings.push_back({s->file, "validate.yml",
                              "no validate.yml: nothing checks the host itself, so a host that prepare.yml did not break "
                              "(or the agent did not fix) is scored on what the agent said alone",
                              "no_host_check"});
    if (ansible.empty()) continue;
    if (s->playbooks.prepare) syntax_check(*s, "prepare.yml", ansible, out);
    if (s->playbooks.restore) syntax_check(*s, "restore.yml", ansible, out);
    if (s->playbooks.validate) syntax_check(*s, "validate.yml", ansible, out);
  }
  return out;
}

}  // namespace runner
