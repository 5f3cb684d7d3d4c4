#include <catch2/catch.hpp>

#include "adapters/env/config.hpp"

#include <algorithm>
#include "tests/support/temp_dir.hpp"

using namespace runner;

TEST_CASE("config: the process environment wins over the env file", "[config]") {
  test::TempDir dir;
  test::write_file(dir / "env", "ORG_ID=from-file\nTENANT_ID=file-tenant\n");
  EnvMap proc = {{"ORG_ID", "from-process"}};
  Config cfg = load_config((dir / "env").string(), &proc);
  CHECK(cfg.get("ORG_ID") == "from-process");
  CHECK(cfg.get("TENANT_ID") == "file-tenant");
  CHECK(cfg.env_file == (dir / "env").string());
}

TEST_CASE("config: env file detection order", "[config]") {
  test::TempDir dir;
  const std::string etc = (dir / "etc-env").string(), local = (dir / "dot-env").string();
  CHECK_FALSE(detect_env_file(std::nullopt, {etc, local}));
  test::write_file(local, "A=1\n");
  CHECK(detect_env_file(std::nullopt, {etc, local}) == local);
  test::write_file(etc, "A=1\n");
  CHECK(detect_env_file(std::nullopt, {etc, local}) == etc);
  CHECK(detect_env_file(std::string("explicit"), {etc, local}) == "explicit");
}

TEST_CASE("config: required variables per gateway and source, all named at once", "[config]") {
  Config cfg;
  auto missing = missing_variables(cfg, "runner", "git");
  CHECK(missing == std::vector<std::string>{"DATABASE_URL", "ORG_ID", "TENANT_ID", "USER_ID", "ENGINE_API_URL",
                                            "ENGINE_API_KEY", "GIT_RUNNER_REPOSITORY", "GIT_RUNNER_PAT"});
  cfg.vars = {{"DATABASE_URL", "postgres://x"}, {"ORG_ID", "o"}, {"TENANT_ID", "t"}, {"USER_ID", "u"}};
  CHECK(missing_variables(cfg, "servicenow", "fs") ==
        std::vector<std::string>{"SERVICENOW_API_URL", "SERVICENOW_USERNAME", "SERVICENOW_PASSWORD",
                                 "SERVICENOW_ASSIGNMENT_GROUP_ID", "SERVICENOW_CALLER_ID", "ENGINE_API_URL",
                                 "ENGINE_API_KEY"});
  cfg.vars["GIT_RUNNER_REPOSITORY"] = "file:///srv/scenarios.git";  // local: no token needed
  CHECK(missing_variables(cfg, "", "git").empty());
  CHECK(missing_source_variables(Config{}, "git") == std::vector<std::string>{"GIT_RUNNER_REPOSITORY", "GIT_RUNNER_PAT"});
  CHECK(missing_source_variables(Config{}, "fs").empty());
  cfg.vars["ORG_ID"] = "";  // empty counts as missing
  CHECK(missing_variables(cfg, "", "fs") == std::vector<std::string>{"ORG_ID"});
}

TEST_CASE("config: secrets include the database password, raw and decoded", "[config]") {
  Config cfg;
  cfg.vars = {{"DATABASE_URL", "postgres://runner:p%40ss@db:5432/x"},
              {"ENGINE_API_KEY", "key-123"},
              {"GIT_RUNNER_PAT", "ghp_abc"},
              {"SERVICENOW_PASSWORD", "snow!"}};
  auto s = secret_values(cfg);
  for (const char* want : {"key-123", "ghp_abc", "snow!", "p%40ss", "p@ss"})
    CHECK(std::find(s.begin(), s.end(), want) != s.end());
}

TEST_CASE("config: secrets are found where libpq and URLs keep them, and weak ones are named", "[secrets]") {
  runner::Config cfg;
  cfg.vars["DATABASE_URL"] = "postgresql://runner@db/x?password=QueryPass-91&sslmode=disable";
  cfg.vars["ENGINE_API_URL"] = "https://bot:UrlPass-77@engine.example/api";
  cfg.vars["SERVICENOW_API_URL"] = "https://instance.example";
  auto s = runner::secret_values(cfg);
  CHECK(std::find(s.begin(), s.end(), "QueryPass-91") != s.end());
  CHECK(std::find(s.begin(), s.end(), "UrlPass-77") != s.end());
  CHECK(runner::weak_secret("ab1") == "shorter than 4 characters");
  CHECK(runner::weak_secret("Demo") == "a common word");
  CHECK(runner::weak_secret("e2e-engine-key") == "");
}
