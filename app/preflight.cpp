#include "app/preflight.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/database.hpp"
#include "adapters/db/identity_check.hpp"
#include "adapters/db/migrator.hpp"
#include "adapters/process/command.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace runner {

bool Preflight::run(const std::string& name, const std::function<CheckResult()>& check) {
  CheckResult r;
  try {
    r = check();
  } catch (const std::exception& e) {
    r = {false, e.what()};
  }
  const std::string line = name + (r.detail.empty() ? "" : ": " + r.detail);
  if (r.ok) {
    spdlog::info("[ ok ] {}", line);
  } else {
    spdlog::info("[FAIL] {}", line);
    failures_.push_back(line);
  }
  return r.ok;
}

CheckResult check_database(const std::string& url) {
  try {
    auto pending = pending_migrations(url);
    if (!pending.empty())
      return {false, describe_database(url) + " lacks migration " + pending.front() +
                         " (run `2501-runner db migrate`)"};
    return {true, describe_database(url)};
  } catch (const DbError& e) {
    return {false, e.what()};
  }
}

CheckResult check_identity_ids(const std::string& url, const std::string& org, const std::string& tenant,
                               const std::string& user) {
  try {
    auto problems = check_identities(url, org, tenant, user);
    if (problems.empty()) return {true, "organization, tenant and user belong together"};
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    return {false, all};
  } catch (const DbError& e) {
    return {false, e.what()};
  }
}

CheckResult check_ansible() {
  const char* path_env = std::getenv("PATH");
  std::stringstream dirs(path_env ? path_env : "");
  std::string dir;
  fs::path found;
  while (std::getline(dirs, dir, ':')) {
    std::error_code ec;
    fs::path p = fs::path(dir.empty() ? "." : dir) / "ansible-playbook";
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) {
      found = p;
      break;
    }
  }
  if (found.empty()) return {false, "ansible-playbook not found on PATH (install ansible-core)"};
  // Like every child, without the runner's secrets in its environment.
  const CommandResult v = run_command({found.string(), "--version"}, "", std::chrono::seconds(60));
  std::string first = v.ok() ? v.out.substr(0, v.out.find('\n')) : "";
  if (!first.empty() && first.back() == '\r') first.pop_back();
  if (first.empty()) return {false, found.string() + " does not run (--version failed)"};
  return {true, first + " (" + found.string() + ")"};
}

}  // namespace runner
