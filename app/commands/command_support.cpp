#include "app/commands/command_support.hpp"

#include <spdlog/spdlog.h>

#include "adapters/log/redactor.hpp"

namespace runner {

Config load_command_config(const CommonOptions& opts) {
  const auto file = detect_env_file(opts.env_file);
  Config cfg = load_config(file);
  for (auto& s : secret_values(cfg)) global_redactor().add_secret(std::move(s));
  spdlog::debug("env file: {}", cfg.env_file.empty() ? "(none; process environment only)" : cfg.env_file);
  for (const char* k : {"DATABASE_URL", "ORG_ID", "TENANT_ID", "USER_ID", "ENGINE_API_URL", "ENGINE_API_KEY",
                        "SERVICENOW_API_URL", "SERVICENOW_USERNAME", "SERVICENOW_PASSWORD",
                        "SERVICENOW_ASSIGNMENT_GROUP_ID", "SERVICENOW_CALLER_ID", "GIT_RUNNER_REPOSITORY",
                        "GIT_RUNNER_PAT", "GIT_REF"})
    if (cfg.has(k)) spdlog::debug("config {}={}", k, cfg.get(k));  // the sink masks secrets
  return cfg;
}

void print_catalog_problems(const Catalog& catalog) {
  for (const auto& w : catalog.warnings) spdlog::warn("{}", w.text());
  for (const auto& e : catalog.errors) spdlog::error("{}", e.text());
}

}  // namespace runner
