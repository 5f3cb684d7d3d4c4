// The process adapter the VM providers run their CLIs through.
#include <catch2/catch.hpp>

#include <chrono>

#include <cstdlib>

#include "adapters/log/redactor.hpp"
#include "adapters/process/child_env.hpp"
#include "adapters/process/command.hpp"

using namespace runner;
using namespace std::chrono_literals;

TEST_CASE("command: stdin in, stdout and stderr out, exit code", "[process]") {
  auto r = run_command({"sh", "-c", "cat; echo oops >&2; exit 3"}, "ssh-ed25519 AAAA key\n", 10s);
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "ssh-ed25519 AAAA key\n");
  CHECK(r.err == "oops\n");
  CHECK_FALSE(r.ok());
  CHECK(r.describe() == "exit 3: oops");
}

TEST_CASE("command: the timeout kills the command and what it started", "[process]") {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_command({"sh", "-c", "sleep 30 & sleep 30"}, "", 300ms);
  CHECK(r.timed_out);
  CHECK_FALSE(r.ok());
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("command: a daemon left holding the pipes does not hold the caller", "[process]") {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_command({"sh", "-c", "sleep 3 & exit 0"}, "", 20s);
  CHECK(r.ok());
  CHECK(std::chrono::steady_clock::now() - t0 < 2500ms);
}

TEST_CASE("command: a missing program is a start error naming it", "[process]") {
  auto r = run_command({"no-such-program-2501"});
  CHECK_FALSE(r.started);
  CHECK(r.describe().find("no-such-program-2501") != std::string::npos);
}

TEST_CASE("command: a child never inherits the runner's secrets, and scrubbing the runner's own environment removes them",
          "[process][secrets]") {
  global_redactor().add_secret("Canary-Cmd-Secret-41!");
  ::setenv("ENGINE_API_KEY", "engine-key-canary-5", 1);
  ::setenv("SOME_TOOL_TOKEN", "x-Canary-Cmd-Secret-41!-y", 1);  // holds a registered secret
  ::setenv("HARMLESS_SETTING", "kept", 1);
  auto r = run_command({"sh", "-c", "env"});
  REQUIRE(r.ok());
  CHECK(r.out.find("HARMLESS_SETTING=kept") != std::string::npos);
  CHECK(r.out.find("engine-key-canary-5") == std::string::npos);
  CHECK(r.out.find("Canary-Cmd-Secret-41!") == std::string::npos);
  CHECK(scrub_own_environment() >= 2);
  CHECK(std::getenv("ENGINE_API_KEY") == nullptr);
  CHECK(std::getenv("SOME_TOOL_TOKEN") == nullptr);
  CHECK(std::string(std::getenv("HARMLESS_SETTING")) == "kept");
  ::unsetenv("HARMLESS_SETTING");
}

TEST_CASE("command: a program path that is not executable is a start error naming it", "[process]") {
  auto r = run_command({"/nonexistent/incus", "list"});
  CHECK_FALSE(r.started);
  CHECK(r.error == "/nonexistent/incus is not an executable program");
}
