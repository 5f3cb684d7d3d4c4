#include <catch2/catch.hpp>

#include <algorithm>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/scenarios/scenario_loader.hpp"
#include "adapters/scenarios/selection.hpp"
#include "tests/support/temp_dir.hpp"

using namespace runner;

namespace {

// A valid 0.7 scenario with `extra` spliced into its top-level object.
std::string scenario_json(const std::string& key, const std::string& extra = "") {
  return R"({"key":")" + key + R"(","title":"T )" + key +
         R"(","description":"d","ticket_title":"tt","ticket_body":"tb at {{schedule_time}}","tags":["web","smoke"])" +
         (extra.empty() ? "" : "," + extra) + "}";
}

// Loads a root holding one scenario.json with `json`; returns the catalog.
Catalog load_one(const std::string& json) {
  test::TempDir dir;
  test::write_file(dir / "cat/s1/scenario.json", json);
  return load_catalog(dir.str());
}

// The single error of a one-scenario catalog, without the file part.
std::string only_error(const std::string& json) {
  Catalog c = load_one(json);
  REQUIRE(c.scenarios.empty());
  REQUIRE(c.errors.size() == 1);
  return c.errors[0].path + ": " + c.errors[0].message;
}

}  // namespace

TEST_CASE("loader: a complete 0.7 scenario", "[loader]") {
  test::TempDir dir;
  test::write_file(dir / "nginx/001-broken/scenario.json", scenario_json("nginx-broken", R"(
    "hosts":[{"host_id":"h1","host_name":"web-01"},{"host_name":"web-02","template":"debian-base"}],
    "agents":[{"agent_id":"a1","host_name":"web-01"},{"agent_name":"ops","host_name":"web-02","specialty_key":"SYSOPS"}],
    "timeout_seconds": 300,
    "validation":{"allowedAgents":["a1"],"allowedHosts":["h1"],
      "gateway":[{"label":"resolved","validator":"ticket_status","pattern":"resolved|closed","required":false}],
      "job":[{"label":"ok","validator":"job_resolution_status","pattern":"success"},
             {"label":"few","validator":"task_count","min":1,"max":2}],
      "tasks":[{"label":"df","validator":"pattern_match","where":"executed_commands","pattern":"\\bdf\\b"},
               {"label":"no rm","validator":"pattern_match","where":"executed_commands","pattern":"rm -rf","negate":true}]})"));
  test::write_file(dir / "nginx/001-broken/prepare.yml", "- hosts: all\n");
  test::write_file(dir / "nginx/001-broken/validate.yml", "- hosts: all\n");
  test::write_file(dir / "nginx/001-broken/inventory.yml", "all: {}\n");
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.errors.empty());
  CHECK(c.warnings.empty());
  REQUIRE(c.scenarios.size() == 1);
  const Scenario& s = c.scenarios[0];
  CHECK(s.key == "nginx-broken");
  CHECK(s.title == "T nginx-broken");
  CHECK(s.ticket_body == "tb at {{schedule_time}}");
  CHECK(s.tags == std::vector<std::string>{"web", "smoke"});
  CHECK(s.rel_dir == "nginx/001-broken");
  CHECK(s.playbooks.prepare);
  CHECK_FALSE(s.playbooks.restore);
  CHECK(s.playbooks.validate);
  CHECK(s.playbooks.inventory == "inventory.yml");
  CHECK(s.timeout_seconds == 300);
  REQUIRE(s.hosts.size() == 2);
  CHECK(s.hosts[1].template_name == "debian-base");
  REQUIRE(s.agents.size() == 2);
  CHECK(s.agents[1].specialty_key == "SYSOPS");
  CHECK(s.validation.allowed_agents == std::vector<std::string>{"a1"});
  REQUIRE(s.validation.rules.size() == 5);
  CHECK(s.validation.rules[0].scope == RuleScope::gateway);
  CHECK_FALSE(s.validation.rules[0].required);
  CHECK(s.validation.rules[2].validator == Validator::task_count);
  CHECK(s.validation.rules[2].min == 1);
  CHECK(s.validation.rules[2].max == 2);
  CHECK(s.validation.rules[4].negate);
  CHECK(s.validation.rules[4].where == WhereTarget::executed_commands);
  CHECK(s.validation.rules[4].index == 1);
}

TEST_CASE("loader: the 0.3/0.4 form loads with a warning", "[loader]") {
  Catalog c = load_one(R"({"key":"cat/s1","name":"Old name","description":"@2501 fix it","tags":["old"]})");
  REQUIRE(c.errors.empty());
  REQUIRE(c.scenarios.size() == 1);
  CHECK(c.scenarios[0].legacy_format);
  CHECK(c.scenarios[0].title == "Old name");
  CHECK(c.scenarios[0].ticket_title == "Old name");
  CHECK(c.scenarios[0].ticket_body == "@2501 fix it");
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].message.find("0.3/0.4") != std::string::npos);
}

TEST_CASE("loader: every definition error names file, JSON path and problem", "[loader]") {
  CHECK(only_error(R"({"title":"t","description":"d","ticket_title":"tt","ticket_body":"b"})") ==
        "key: missing required field");
  CHECK(only_error(R"({"key":"k","title":5,"description":"d","ticket_title":"tt","ticket_body":"b"})") ==
        "title: expected a string, got a number");
  CHECK(only_error(R"({"key":"k","title":"t","description":"d","ticket_body":"b"})") ==
        "ticket_title: missing required field");
  CHECK(only_error(R"({"key":"a,b","title":"t","description":"d","ticket_title":"tt","ticket_body":"b"})") ==
        "key: 'a,b' must not contain spaces, commas or '*' (they are -s syntax)");
  CHECK(only_error(scenario_json("k").substr(0, 30)).rfind("(file): invalid JSON", 0) == 0);
  // A syntax error says where: the line and column at which the parser gave up (the end of "t").
  const std::string missing_colon = only_error("{\n  \"key\": \"k\",\n  \"title\" \"t\"\n}");
  CHECK(missing_colon.find("(line 3, column 13)") != std::string::npos);
  CHECK(only_error("[1,2]") == "(file): expected a JSON object, got an array");
  CHECK(only_error(R"({"key":"k","title":"t","description":"d","ticket_title":"tt","ticket_body":"b","tags":"web"})") ==
        "tags: expected an array of strings, got a string");
  CHECK(only_error(scenario_json("k", R"("timeout_seconds":0)")) == "timeout_seconds: must be >= 1, got 0");
  CHECK(only_error(scenario_json("k", R"("hosts":[{}])")) == "hosts[0]: needs host_id or host_name");
  CHECK(only_error(scenario_json("k", R"("hosts":[{"host_name":"a"}],"agents":[{"agent_name":"x","host_name":"b"}])")) ==
        "agents[0].host_name: 'b' is not a host_name of hosts[]");
  CHECK(only_error(scenario_json("k", R"("validation":{"task":[]})")) ==
        "validation.task: unknown field (expected gateway, job, tasks, allowedAgents or allowedHosts)");
  CHECK(only_error(scenario_json("k", R"("validation":{"job":[{"label":"x","validator":"magic"}]})")) ==
        "validation.job[0].validator: unknown validator 'magic' (expected pattern_match, job_resolution_status, "
        "ticket_status or task_count)");
  CHECK(only_error(scenario_json("k", R"("validation":{"tasks":[{"validator":"pattern_match","where":"task_summary","pattern":"x"}]})")) ==
        "validation.tasks[0].label: missing required field");
  CHECK(only_error(scenario_json("k", R"("validation":{"tasks":[{"label":"l","validator":"pattern_match","where":"stdout","pattern":"x"}]})"))
            .rfind("validation.tasks[0].where: unknown where 'stdout' (expected executed_commands", 0) == 0);
  CHECK(only_error(scenario_json("k", R"("validation":{"tasks":[{"label":"l","validator":"pattern_match","pattern":"x"}]})")) ==
        "validation.tasks[0].where: missing required field");
  CHECK(only_error(scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"task_count"}]})")) ==
        "validation.job[0]: task_count needs min and/or max");
  CHECK(only_error(scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"task_count","min":3,"max":1}]})")) ==
        "validation.job[0].min: min (3) is greater than max (1)");
  CHECK(only_error(scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"task_count","max":-1}]})")) ==
        "validation.job[0].max: must be >= 0, got -1");
  CHECK(only_error(scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"job_resolution_status","pattern":"success","required":"yes"}]})")) ==
        "validation.job[0].required: expected a boolean, got a string");
}

TEST_CASE("loader: an invalid regex is reported at its rule", "[loader]") {
  const std::string e = only_error(scenario_json("k", R"("validation":{"tasks":[
      {"label":"a","validator":"pattern_match","where":"task_summary","pattern":"ok"},
      {"label":"b","validator":"pattern_match","where":"task_summary","pattern":"ok"},
      {"label":"c","validator":"pattern_match","where":"executed_commands","pattern":"rm (-rf"}]})"));
  CHECK(e.rfind("validation.tasks[2].pattern: invalid regex: missing closing parenthesis", 0) == 0);
}

TEST_CASE("loader: formatted problems read error: <file>: <json path>: <message>", "[loader]") {
  test::TempDir dir;
  const auto file = dir / "x/scenario.json";
  test::write_file(file, scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"task_count"}]})"));
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].format("error") ==
        "error: " + file.string() + ": validation.job[0]: task_count needs min and/or max");
}

TEST_CASE("loader: status patterns that match no known value warn", "[loader]") {
  Catalog c = load_one(scenario_json("k", R"("validation":{"job":[{"label":"l","validator":"job_resolution_status","pattern":"sucess"}]})"));
  REQUIRE(c.errors.empty());
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].path == "validation.job[0].pattern");
}

TEST_CASE("loader: misspelt fields are named with the field they were probably meant to be", "[loader]") {
  Catalog c = load_one(scenario_json("k", R"("timeout_second":30,"tag":["x"],"hosts":[{"host_id":"hst_1","hostname":"web"}],)"
                                          R"("validation":{"job":[{"label":"l","validator":"task_count","min":1,"requried":false,)"
                                          R"("extra":{"anything":1}}]})"));
  REQUIRE(c.errors.empty());  // still loads: an unknown field is ignored, and said so
  REQUIRE(c.scenarios.size() == 1);
  std::vector<std::string> got;
  for (const auto& w : c.warnings) {
    CHECK(w.code == "unknown_field");
    got.push_back(w.path + ": " + w.message);
  }
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{
                   "hosts[0].hostname: unknown field, ignored; did you mean 'host_name'?",
                   "tag: unknown field, ignored; did you mean 'tags'?",
                   "timeout_second: unknown field, ignored; did you mean 'timeout_seconds'?",
                   "validation.job[0].extra: unknown field, ignored",
                   "validation.job[0].requried: unknown field, ignored; did you mean 'required'?",
               });
}

TEST_CASE("loader: duplicate keys name both files and break both", "[loader]") {
  test::TempDir dir;
  test::write_file(dir / "a/scenario.json", scenario_json("same"));
  test::write_file(dir / "b/scenario.json", scenario_json("same"));
  test::write_file(dir / "c/scenario.json", scenario_json("other"));
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].file == (dir / "b/scenario.json").string());
  CHECK(c.errors[0].message == "duplicate key 'same' (also defined in " + (dir / "a/scenario.json").string() + ")");
  REQUIRE(c.scenarios.size() == 1);
  CHECK(c.scenarios[0].key == "other");
  CHECK(c.broken.size() == 2);
}

TEST_CASE("loader: broken scenarios never stop the others, and hidden folders are skipped", "[loader]") {
  test::TempDir dir;
  test::write_file(dir / "good/scenario.json", scenario_json("good"));
  test::write_file(dir / "bad/scenario.json", "{ not json");
  test::write_file(dir / ".git/x/scenario.json", scenario_json("hidden"));
  test::write_file(dir / "deep/er/still/scenario.json", scenario_json("deep"));
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.scenarios.size() == 2);
  CHECK(c.scenarios[0].key == "deep");
  CHECK(c.scenarios[1].key == "good");
  CHECK(c.errors.size() == 1);
  CHECK(c.broken.size() == 1);
}

TEST_CASE("loader: a missing root is a discovery error", "[loader]") {
  CHECK_THROWS_AS(load_catalog("/nonexistent/scenarios"), DiscoveryError);
}

TEST_CASE("loader: the shipped examples load cleanly", "[loader]") {
  Catalog c = load_catalog(std::string(RUNNER_SOURCE_DIR) + "/examples/scenarios");
  CHECK(c.errors.empty());
  CHECK(c.warnings.empty());
  CHECK(c.scenarios.size() >= 2);
}

// --- files that would give a false pass, names that would corrupt a terminal ----------

TEST_CASE("loader: a playbook that is a dangling symlink or a folder is an error, never a skipped phase",
          "[loader][integrity]") {
  test::TempDir dir;
  test::write_file(dir / "a/scenario.json", scenario_json("dangling"));
  std::filesystem::create_symlink(dir / "a/missing.yml", dir / "a/prepare.yml");
  test::write_file(dir / "b/scenario.json", scenario_json("folder"));
  std::filesystem::create_directories(dir / "b/validate.yml");
  test::write_file(dir / "c/scenario.json", scenario_json("linked"));
  test::write_file(dir / "c/real-prepare.yml", "- hosts: all\n");
  std::filesystem::create_symlink("real-prepare.yml", dir / "c/prepare.yml");
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.errors.size() == 2);
  CHECK(c.errors[0].file == (dir / "a/prepare.yml").string());
  CHECK(c.errors[0].message.find("prepare.yml is a symlink to nothing") == 0);
  CHECK(c.errors[1].message == "validate.yml is a folder, not a playbook; the phase would be skipped");
  REQUIRE(c.scenarios.size() == 1);  // the two broken ones are not runnable
  CHECK(c.scenarios[0].key == "linked");
  CHECK(c.scenarios[0].playbooks.prepare);  // a symlink to a real file is followed
  CHECK(c.broken.size() == 2);
}

TEST_CASE("loader: symlinked folders are followed once, and a loop is a warning, not a hang", "[loader][integrity]") {
  test::TempDir dir;
  test::write_file(dir / "elsewhere/s/scenario.json", scenario_json("outside"));
  std::filesystem::create_directories(dir / "root/inner");
  test::write_file(dir / "root/inner/scenario.json", scenario_json("inner"));
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "root/linked");
  std::filesystem::create_directory_symlink(dir / "root", dir / "root/inner/loop");
  Catalog c = load_catalog((dir / "root").string());
  REQUIRE(c.scenarios.size() == 2);
  CHECK(c.scenarios[0].key == "inner");
  CHECK(c.scenarios[1].key == "outside");
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].file == (dir / "root/inner/loop").string());
  CHECK(c.warnings[0].message.find("leads back to") == 0);
}

TEST_CASE("loader: an unreadable folder is a warning naming it, and -s says a scenario may be inside",
          "[loader][integrity]") {
  // The tests run as root, who reads everything: the walk happens in a child that
  // gives up root for `nobody`.
  test::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  test::write_file(dir / "open/scenario.json", scenario_json("open"));
  test::write_file(dir / "closed/s/scenario.json", scenario_json("hidden-one"));
  for (const auto& p : {dir / "open", dir / "open/scenario.json"})
    std::filesystem::permissions(p, std::filesystem::perms(0755));
  std::filesystem::permissions(dir / "closed", std::filesystem::perms::none);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
      Catalog c = load_catalog(dir.str());
      Selection sel = select_scenarios(c, {"hidden-one"});
      out = std::to_string(c.scenarios.size()) + "|" + (c.unreadable.empty() ? "" : c.unreadable[0]) + "|" +
            (c.warnings.empty() ? "" : c.warnings[0].message) + "|" + (sel.errors.empty() ? "" : sel.errors[0]);
    }
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  std::filesystem::permissions(dir / "closed", std::filesystem::perms(0755));
  INFO(got);
  CHECK(got.rfind("1|" + (dir / "closed").string() + "|cannot read (Permission denied); scenarios inside it are not loaded|",
                  0) == 0);
  CHECK(got.find("-s: 'hidden-one' matches no scenario key or tag") != std::string::npos);
  CHECK(got.find("1 folder(s) could not be read and may hold it (first: " + (dir / "closed").string() + ")") !=
        std::string::npos);
}

TEST_CASE("loader: keys and titles with control characters, overlong keys and colliding log names are errors",
          "[loader][integrity]") {
  Catalog evil = load_one(scenario_json("evil\\u001b[2Jkey"));  // its title holds the key, so two errors
  REQUIRE(evil.errors.size() == 2);
  CHECK(evil.errors[0].path + ": " + evil.errors[0].message ==
        "key: 'evil\\x1b[2Jkey' must be UTF-8 without control characters");
  CHECK(evil.errors[1].path == "title");
  CHECK(only_error(R"({"key":"k","title":"T\u001b]0;owned\u0007","description":"d","ticket_title":"tt","ticket_body":"tb"})") ==
        "title: 'T\\x1b]0;owned\\x07' must be UTF-8 without control characters (it is shown on terminals)");
  CHECK(only_error(R"({"key":"k","title":"T\u0000cut","description":"d","ticket_title":"tt","ticket_body":"tb"})") ==
        "title: 'Tcut' must be UTF-8 without control characters (it is shown on terminals)");
  CHECK(only_error(scenario_json(std::string(201, 'k'))) == "key: is 201 bytes; at most 200 (it names the iteration's log files)");
  test::TempDir dir;
  test::write_file(dir / "a/scenario.json", scenario_json("web/down"));
  test::write_file(dir / "b/scenario.json", scenario_json("web_down"));
  Catalog c = load_catalog(dir.str());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].message.find("have the same log file name 'web_down'") != std::string::npos);
  CHECK(c.scenarios.size() == 1);
}

TEST_CASE("loader: numbers out of range name their field", "[loader][integrity]") {
  CHECK(only_error(scenario_json("t", R"("timeout_seconds": 4294968)")) == "timeout_seconds: must be <= 604800, got 4294968");
  const std::string huge = only_error(scenario_json("t", R"("timeout_seconds": 1e400)"));
  CHECK(huge.find("invalid JSON") != std::string::npos);
  INFO(huge);
  CHECK(huge.find("(at timeout_seconds: 1e400 is out of range)") != std::string::npos);
  const std::string big = only_error(scenario_json("t", R"("timeout_seconds": 99999999999999999999)"));
  INFO(big);
  CHECK(big.find("timeout_seconds") != std::string::npos);
}

TEST_CASE("loader: a symlink that leads nowhere or loops on itself is a warning, not silence", "[loader][integrity]") {
  test::TempDir dir;
  test::write_file(dir / "ok/scenario.json", scenario_json("ok"));
  std::filesystem::create_directory_symlink(dir / "gone", dir / "dangling");
  std::filesystem::create_symlink(dir / "self", dir / "self");
  Catalog c = load_catalog(dir.str());
  CHECK(c.scenarios.size() == 1);
  REQUIRE(c.warnings.size() == 2);
  CHECK(c.warnings[0].file == (dir / "dangling").string());
  CHECK(c.warnings[0].message == "a symlink that leads nowhere (No such file or directory); not walked");
  CHECK(c.warnings[1].file == (dir / "self").string());
  CHECK(c.warnings[1].message.find("a symlink that leads nowhere (") == 0);
}
