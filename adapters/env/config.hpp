#pragma once
// Runner configuration: the env file merged with the process environment.
// Precedence (dotenv convention): a variable set in the process environment wins
// over the same variable in the env file.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/env/env_file.hpp"

namespace runner {

struct Config {
  EnvMap vars;             // merged view
  std::string env_file;    // the file that was read, empty when none

  // Value of a variable, or "" when unset.
  std::string get(const std::string& key) const;
  bool has(const std::string& key) const;
};

// Which env file to read: the explicit path, else /etc/2501/env.runner, else ./.env,
// else none. `candidates` is overridable for tests.
std::optional<std::string> detect_env_file(const std::optional<std::string>& explicit_path,
                                           const std::vector<std::string>& candidates = {
                                               "/etc/2501/env.runner", ".env"});

// Loads the configuration; `process_env` defaults to this process's environment.
// Throws EnvFileError for a malformed or unreadable file.
Config load_config(const std::optional<std::string>& env_file, const EnvMap* process_env = nullptr);

EnvMap current_process_env();

// Variables the scenario source needs: GIT_RUNNER_REPOSITORY, and GIT_RUNNER_PAT unless
// the repository is local (file:// or a path). Empty for --source fs.
std::vector<std::string> missing_source_variables(const Config& cfg, const std::string& source);

// Required variables for a run with this gateway ("runner"|"servicenow") and source
// ("git"|"fs"), in the seed's order; returns those missing (empty ones count as missing).
std::vector<std::string> missing_variables(const Config& cfg, const std::string& gateway,
                                           const std::string& source);

// The secrets among the configuration's values: ENGINE_API_KEY, GIT_RUNNER_PAT,
// SERVICENOW_PASSWORD, the password of DATABASE_URL (as libpq reads it, and as the raw
// text holds it) and a password inside ENGINE_API_URL or SERVICENOW_API_URL. The
// Redactor adds their encoded forms.
std::vector<std::string> secret_values(const Config& cfg);
// (user, password) of the HTTP basic authentication the runner will send
// (ServiceNow, the git source): their base64 form is a secret too.
std::vector<std::pair<std::string, std::string>> basic_auth_pairs(const Config& cfg);

// Why a secret is too weak to be masked safely ("" when it is not): shorter than
// 4 characters, or a common word (masking "demo" would garble every line holding
// the word, and such a value protects nothing).
std::string weak_secret(const std::string& value);

}  // namespace runner
