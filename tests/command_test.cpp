// The process adapter the VM providers run their CLIs through.
#include <catch2/catch.hpp>

#include <chrono>

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
