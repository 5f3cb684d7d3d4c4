#include "app/commands/command_support.hpp"

#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

#include "adapters/db/database.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/db/spool.hpp"
#include "adapters/db/spool_replay.hpp"
#include "adapters/log/redactor.hpp"
#include "adapters/process/child_env.hpp"

namespace runner {

Config load_command_config(const CommonOptions& opts) {
  const auto file = detect_env_file(opts.env_file);
  Config cfg = load_config(file);
  for (auto& s : secret_values(cfg))
    if (!global_redactor().add_secret(std::move(s)))
      spdlog::warn("a secret (API key, token or password) is shorter than {} characters and cannot be masked in output",
                   Redactor::min_secret_length);
  for (const auto& [user, password] : basic_auth_pairs(cfg)) global_redactor().add_basic_auth(user, password);
  // libpq's own environment password is a secret like the one in DATABASE_URL.
  if (const char* pg = std::getenv("PGPASSWORD"); pg && *pg) global_redactor().add_secret(pg);
  // Read and registered: the secrets leave the process environment, so no child
  // inherits them, even between fork and exec.
  scrub_own_environment();
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

std::string spool_dir_for(const std::optional<std::string>& spool_dir, const std::string& database_url) {
  if (spool_dir) return *spool_dir;
  std::string slug = describe_database(database_url);
  for (char& c : slug)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  return (std::filesystem::path(Spool::default_dir()) / slug).string();
}

void replay_spooled_reports(const std::string& database_url, const std::optional<std::string>& spool_dir) {
  Spool spool(spool_dir_for(spool_dir, database_url));
  const std::size_t waiting = spool.pending();
  if (waiting == 0) return;
  spdlog::info("spool: {} report write(s) from an earlier run wait in {}", waiting, spool.dir());
  try {
    ReportStore store(database_url);
    auto res = replay_spool(store, spool);
    spdlog::info("spool: replayed {} write(s) to the database{}", res.applied,
                 res.remaining ? fmt::format(", {} still spooled", res.remaining) : std::string());
    if (res.skipped) spdlog::warn("spool: skipped {} unreadable line(s)", res.skipped);
  } catch (const std::exception& e) {
    spdlog::warn("spool: replay failed ({}); the reports stay in {}", e.what(), spool.dir());
  }
}

std::string new_benchmark_id() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

}  // namespace runner
