// The Ansible adapter against the real ansible-playbook: inventories, extra vars,
// captured commands, failure, and the timeout that kills the whole process group.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "adapters/ansible/inventory.hpp"
#include "adapters/ansible/playbook_runner.hpp"
#include "adapters/log/redactor.hpp"
#include "tests/support/temp_dir.hpp"

using namespace runner;

namespace {

// Is a process whose command line matches `pattern` running? The first character is
// bracketed so that the pattern never matches the shell that runs pgrep.
bool running(const std::string& pattern) {
  return test::sh("pgrep -f '[" + pattern.substr(0, 1) + "]" + pattern.substr(1) + "' >/dev/null") == 0;
}

PlaybookRun local_run(const test::TempDir& dir, const std::string& playbook_text) {
  HostRow h;
  h.id = "h-1";
  h.name = "db-name";
  h.inventory_name = "web-01";
  h.connection = "local";
  h.ansible_vars_json = R"({"greeting": "hello"})";
  test::write_file(dir / "inventory.yml", inventory_json({h}));
  test::write_file(dir / "play.yml", playbook_text);
  PlaybookRun run;
  run.playbook = "play.yml";
  run.inventory = (dir / "inventory.yml").string();
  run.workdir = dir.str();
  run.log_path = (dir / "logs/run.log").string();
  run.extra_vars_json = R"({"scenario_key": "k-1", "iteration": 2})";
  run.timeout = std::chrono::seconds(60);
  return run;
}

}  // namespace

TEST_CASE("ansible: host vars, extra vars and captured commands", "[ansible]") {
  test::TempDir dir;
  auto run = local_run(dir, R"(- name: Check the machine
  hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.command: echo {{ greeting }} {{ scenario_key }} {{ iteration }} {{ inventory_hostname }}
      register: out
    - ansible.builtin.shell: test "{{ out.stdout }}" = "hello k-1 2 web-01"
)");
  run.capture_json = true;
  auto res = run_playbook(run);
  INFO(test::read_file(run.log_path));
  CHECK(res.ok());
  auto summary = summarize_ansible_json(res.json);
  CHECK(summary.plays == std::vector<std::string>{"Check the machine"});
  REQUIRE(summary.commands.size() == 2);
  CHECK(summary.commands[0] == "echo hello k-1 2 web-01");
  CHECK(summary.commands[1] == "test \"hello k-1 2 web-01\" = \"hello k-1 2 web-01\"");
}

TEST_CASE("ansible: a failing play is reported with its exit code, output in the log", "[ansible]") {
  test::TempDir dir;
  auto run = local_run(dir, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.fail:\n        msg: broken on purpose\n");
  auto res = run_playbook(run);
  CHECK_FALSE(res.ok());
  CHECK(res.exit_code == 2);
  CHECK(test::read_file(run.log_path).find("broken on purpose") != std::string::npos);
}

TEST_CASE("ansible: the timeout kills the playbook and everything it started", "[ansible]") {
  test::TempDir dir;
  const auto marker = dir / "survivor";
  auto run = local_run(dir, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.shell: sleep 30; touch " +
                                marker.string() + "\n");
  run.timeout = std::chrono::seconds(3);
  auto t0 = std::chrono::steady_clock::now();
  auto res = run_playbook(run);
  CHECK(res.timed_out);
  CHECK_FALSE(res.ok());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  // The shell's sleep was in the killed group: nothing is left to create the marker.
  // "[s]leep": the pattern must not match the shell running pgrep itself.
  CHECK(test::sh("pgrep -f '[s]leep 30; touch " + marker.string() + "' >/dev/null") != 0);
}

TEST_CASE("inventory: ssh hosts get address, port, user and key, and their own vars win", "[ansible]") {
  HostRow h;
  h.id = "h-2";
  h.name = "db-host";
  h.address = "10.0.0.5";
  h.port = 2222;
  h.ssh_user = "debian";
  h.ssh_key_path = "/keys/runner";
  h.ansible_vars_json = R"({"ansible_port": 2200, "role": "db"})";
  // One object per host: the host's own port replaces the default one (the old text
  // carried both keys and relied on Ansible taking the last).
  const auto inv = nlohmann::json::parse(inventory_json({h}));
  CHECK(inv == nlohmann::json::parse(R"({"all":{"hosts":{"db-host":{"ansible_host":"10.0.0.5","ansible_port":2200,)"
                                     R"("ansible_user":"debian","ansible_ssh_private_key_file":"/keys/runner",)"
                                     R"("runner_host_id":"h-2","role":"db"}}}})"));
}

TEST_CASE("ansible: the playbook never sees the runner's secrets, and its log has them masked", "[ansible][secrets]") {
  test::TempDir dir;
  global_redactor().add_secret("Canary-Secret-7f3!");
  ::setenv("DATABASE_URL", "postgresql://u:db-canary-91@127.0.0.1/x", 1);
  ::setenv("SOME_TOOL_TOKEN", "prefix-Canary-Secret-7f3!-suffix", 1);  // holds a registered secret
  ::setenv("HARMLESS_SETTING", "kept", 1);
  const std::string env_dump = (dir / "child-env").string();
  auto run = local_run(dir, R"(- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.shell: env > )" + env_dump + R"(
    - ansible.builtin.debug:
        msg: "the playbook prints Canary-Secret-7f3! into its output"
)");
  auto r = run_playbook(run);
  ::unsetenv("DATABASE_URL");
  ::unsetenv("SOME_TOOL_TOKEN");
  ::unsetenv("HARMLESS_SETTING");
  REQUIRE(r.exit_code == 0);
  const std::string child_env = test::read_file(env_dump);
  CHECK(child_env.find("HARMLESS_SETTING=kept") != std::string::npos);
  CHECK(child_env.find("\nDATABASE_URL=") == std::string::npos);
  CHECK(child_env.rfind("DATABASE_URL=", 0) != 0);
  CHECK(child_env.find("SOME_TOOL_TOKEN") == std::string::npos);
  CHECK(child_env.find("db-canary-91") == std::string::npos);
  const std::string log = test::read_file(run.log_path);
  CHECK(log.find("Canary-Secret-7f3!") == std::string::npos);
  CHECK(log.find("the playbook prints *** into its output") != std::string::npos);
}

TEST_CASE("ansible: what a playbook started dies with the runner, even on SIGKILL", "[ansible][secrets]") {
  // A child process plays the runner: it starts a playbook that starts a long sleep,
  // and is killed with SIGKILL; the playbook and the sleep must go with it.
  test::TempDir dir;
  const std::string marker = (dir / "started").string();
  const std::string tag = "sleep 4242" + std::to_string(::getpid() % 1000);
  auto run = local_run(dir, R"(- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.shell: touch )" + marker + " && " + tag + R"(
)");
  const pid_t fake_runner = ::fork();
  if (fake_runner == 0) {
    run_playbook(run);
    ::_exit(0);
  }
  for (int i = 0; i < 300 && !std::filesystem::exists(marker); ++i) ::usleep(100'000);
  REQUIRE(std::filesystem::exists(marker));
  REQUIRE(running(tag));
  ::kill(fake_runner, SIGKILL);
  ::waitpid(fake_runner, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    gone = !running(tag) && !running("ansible-playbook.*" + dir.str());
    if (!gone) ::usleep(100'000);
  }
  INFO(test::sh_out("ps -eo pid,ppid,pgid,sid,stat,cmd | grep -E '" + tag + "|ansible-playbook' | grep -v grep"));
  CHECK(gone);
  test::sh("pkill -f '" + tag + "'");
}
