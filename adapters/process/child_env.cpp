#include "adapters/process/child_env.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "adapters/log/redactor.hpp"

namespace runner {

namespace {

// The system's own variables: a secret that happens to be a substring of one (a
// password "local" inside PATH's /usr/local/bin) must not take PATH, HOME or the
// locale away from the runner and its children.
bool system_variable(std::string_view name) {
  static constexpr std::string_view kept[] = {"PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TERM",
                                              "LANG", "LANGUAGE", "TMPDIR", "TZ", "SHLVL", "_"};
  for (auto k : kept)
    if (name == k) return true;
  return name.substr(0, 3) == "LC_" || name.substr(0, 4) == "XDG_";
}

}  // namespace

std::vector<std::string> scrubbed_variables() {
  std::vector<std::string> out = {"DATABASE_URL", "ENGINE_API_KEY", "GIT_RUNNER_PAT", "SERVICENOW_PASSWORD",
                                  "PGPASSWORD",   "ENGINE_SIM_API_KEY", "ENGINE_SIM_SERVICENOW_PASSWORD",
                                  "ENGINE_SIM_DATABASE_URL", "SERVICENOW_SIM_PASSWORD"};
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = entry.substr(0, eq), value = entry.substr(eq + 1);
    if (system_variable(name)) continue;
    if (global_redactor().redact(value) != value) out.emplace_back(name);  // holds a secret
  }
  return out;
}

std::vector<std::string> env_unset_args() {
  std::vector<std::string> args;
  for (auto& name : scrubbed_variables()) {
    args.emplace_back("-u");
    args.push_back(std::move(name));
  }
  return args;
}

std::size_t scrub_own_environment() {
  std::size_t n = 0;
  for (const auto& name : scrubbed_variables()) {
    // libpq reads PGPASSWORD when it connects (every reconnect too): it stays in the
    // runner, and only its children go without it (env -u).
    if (name == "PGPASSWORD") continue;
    const char* value = std::getenv(name.c_str());
    if (!value) continue;
    std::memset(const_cast<char*>(value), 0, std::strlen(value));  // gone from /proc/<pid>/environ too
    ::unsetenv(name.c_str());
    ++n;
  }
  return n;
}

}  // namespace runner
