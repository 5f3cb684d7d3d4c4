#include "adapters/env/config.hpp"

#include "adapters/env/conninfo.hpp"

#include <cctype>

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
  const std::string db = cfg.get("DATABASE_URL");
  // libpq's reading, and ours of the raw text (a URL libpq cannot parse still has a
  // password that must not be printed in the parse error).
  for (const auto& pw : {conninfo_value(db, "password"), url_password(db)})
    if (!pw.empty()) out.push_back(pw);
  // user:password inside the engine's or the instance's URL.
  for (const char* k : {"ENGINE_API_URL", "SERVICENOW_API_URL"})
    if (auto pw = url_password(cfg.get(k)); !pw.empty()) out.push_back(pw);
  return out;
}

std::string weak_secret(const std::string& value) {
  if (value.size() < 4) return "shorter than 4 characters";
  std::string lower;
  for (unsigned char c : value) lower += static_cast<char>(std::tolower(c));
  static const char* const common[] = {"demo",   "test",    "testing", "password", "passw0rd", "secret",  "admin",
                                       "changeme", "example", "default", "token",    "apikey",   "api-key", "letmein",
                                       "qwerty", "123456",  "1234",    "12345",    "root",     "toor",    "guest",
                                       "postgres", "user",  "pass",    "key"};
  for (const char* w : common)
    if (lower == w) return "a common word";
  return "";
}

std::vector<std::pair<std::string, std::string>> basic_auth_pairs(const Config& cfg) {
  std::vector<std::pair<std::string, std::string>> out;
  if (cfg.has("SERVICENOW_PASSWORD")) out.emplace_back(cfg.get("SERVICENOW_USERNAME"), cfg.get("SERVICENOW_PASSWORD"));
  if (cfg.has("GIT_RUNNER_PAT"))
    out.emplace_back(cfg.has("GIT_RUNNER_USERNAME") ? cfg.get("GIT_RUNNER_USERNAME") : "x-access-token",
                     cfg.get("GIT_RUNNER_PAT"));
  return out;
}

}  // namespace runner
