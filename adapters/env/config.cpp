#include "adapters/env/config.hpp"

#include <filesystem>

#include "adapters/log/redactor.hpp"

extern char** environ;

namespace runner {

std::string Config::get(const std::string& key) const {
  auto it = vars.find(key);
  return it == vars.end() ? std::string() : it->second;
}

bool Config::has(const std::string& key) const { return !get(key).empty(); }

std::optional<std::string> detect_env_file(const std::optional<std::string>& explicit_path,
                                           const std::vector<std::string>& candidates) {
  if (explicit_path) return explicit_path;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) return c;
  }
  return std::nullopt;
}

EnvMap current_process_env() {
  EnvMap out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

Config load_config(const std::optional<std::string>& env_file, const EnvMap* process_env) {
  Config cfg;
  if (env_file) {
    cfg.vars = parse_env_file(*env_file);
    cfg.env_file = *env_file;
  }
  const EnvMap proc = process_env ? *process_env : current_process_env();
  for (const auto& [k, v] : proc) cfg.vars[k] = v;  // the process environment wins
  return cfg;
}

namespace {
std::vector<std::string> missing_of(const Config& cfg, const std::vector<std::string>& required) {
  std::vector<std::string> missing;
  for (const auto& k : required)
    if (!cfg.has(k)) missing.push_back(k);
  return missing;
}
}  // namespace

std::vector<std::string> missing_source_variables(const Config& cfg, const std::string& source) {
  if (source != "git") return {};
  std::vector<std::string> required = {"GIT_RUNNER_REPOSITORY"};
  // A local repository (file:// or a path) needs no token.
  const std::string repo = cfg.get("GIT_RUNNER_REPOSITORY");
  const bool local = repo.rfind("file://", 0) == 0 || (!repo.empty() && repo[0] == '/');
  if (!local) required.push_back("GIT_RUNNER_PAT");
  return missing_of(cfg, required);
}

std::vector<std::string> missing_variables(const Config& cfg, const std::string& gateway,
                                           const std::string& source) {
  std::vector<std::string> required = {"DATABASE_URL", "ORG_ID", "TENANT_ID", "USER_ID"};
  if (gateway == "runner") {
    required.insert(required.end(), {"ENGINE_API_URL", "ENGINE_API_KEY"});
  } else if (gateway == "servicenow") {
    required.insert(required.end(), {"SERVICENOW_API_URL", "SERVICENOW_USERNAME", "SERVICENOW_PASSWORD",
                                     "SERVICENOW_ASSIGNMENT_GROUP_ID", "SERVICENOW_CALLER_ID",
                                     // the job made from the incident is read through the engine API
                                     "ENGINE_API_URL", "ENGINE_API_KEY"});
  }
  auto missing = missing_of(cfg, required);
  auto source_missing = missing_source_variables(cfg, source);
  missing.insert(missing.end(), source_missing.begin(), source_missing.end());
  return missing;
}

std::vector<std::string> secret_values(const Config& cfg) {
  std::vector<std::string> out;
  for (const char* k : {"ENGINE_API_KEY", "GIT_RUNNER_PAT", "SERVICENOW_PASSWORD"})
    if (cfg.has(k)) out.push_back(cfg.get(k));
  if (auto pw = url_password(cfg.get("DATABASE_URL")); !pw.empty()) {
    out.push_back(pw);
    if (auto dec = percent_decode(pw); dec != pw) out.push_back(dec);
  }
  return out;
}

}  // namespace runner
