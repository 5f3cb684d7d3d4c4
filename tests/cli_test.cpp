#include <catch2/catch.hpp>

#include "app/cli.hpp"
#include "messages/exit_codes.hpp"

using namespace runner;

namespace {
CliOutcome parse(std::vector<std::string> args) {
  args.insert(args.begin(), "2501-runner");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_CASE("cli: run with every option of the seed's table", "[cli]") {
  auto o = parse({"run", "-s", "nginx,disk", "--source", "fs", "-m", "incus", "-g", "servicenow", "-i", "3", "-p",
                  "scen", "--vm-templates-path", "tpl", "--env-file", "e", "--main-engine", "m1",
                  "--secondary-engine", "m2", "--specialty", "SYSOPS", "--gateway-engine", "g1",
                  "--gateway-multimodal-engine", "g2", "--parallel", "--parallel-ram-cap", "7.5", "--fail-on-error",
                  "--log-file", "l", "-vv"});
  REQUIRE(o.command);
  const RunOptions& r = o.command->run;
  CHECK(o.command->kind == Command::Kind::run);
  CHECK(r.scenarios == "nginx,disk");
  CHECK(r.common.source == "fs");
  CHECK(r.mode == RunMode::incus);
  CHECK(r.gateway == GatewayKind::servicenow);
  CHECK(r.iterations == 3);
  CHECK(r.common.scenarios_path == "scen");
  CHECK(r.vm_templates_path == "tpl");
  CHECK(r.common.env_file == "e");
  CHECK(r.main_engine == "m1");
  CHECK(r.secondary_engine == "m2");
  CHECK(r.specialty == "SYSOPS");
  CHECK(r.gateway_engine == "g1");
  CHECK(r.gateway_multimodal_engine == "g2");
  CHECK(r.parallel);
  CHECK(r.parallel_ram_cap_gb == Approx(7.5));
  CHECK(r.fail_on_error.on);
  CHECK(r.fail_on_error.text() == "any");
  CHECK(r.common.log_file == "l");
  CHECK(r.common.verbosity == 2);
}

TEST_CASE("cli: defaults match the seed", "[cli]") {
  auto o = parse({"start", "-s", "x"});  // `start` is the newer name of `run`
  REQUIRE(o.command);
  const RunOptions& r = o.command->run;
  CHECK(r.common.source == "git");
  CHECK(r.mode == RunMode::host);
  CHECK(r.gateway == GatewayKind::runner);
  CHECK(r.iterations == 1);
  CHECK_FALSE(r.parallel);
  CHECK_FALSE(r.fail_on_error.on);
  CHECK(r.max_failures == 0);
  CHECK_FALSE(r.shuffle);
  CHECK(r.exclude.empty());
  CHECK_FALSE(r.limit);
  CHECK_FALSE(r.check);
  CHECK(r.common.verbosity == 0);
}

TEST_CASE("cli: long-run options: thresholds, stopping early, narrowing and shuffling", "[cli]") {
  auto o = parse({"run", "-s", "demo", "--fail-on-error", "10%", "--max-failures", "3", "--exclude", "web, demo-x*",
                  "--limit", "2", "--shuffle", "--seed", "42"});
  REQUIRE(o.command);
  const RunOptions& r = o.command->run;
  CHECK(r.fail_on_error.on);
  CHECK(r.fail_on_error.max_share == Approx(0.1));
  CHECK(r.fail_on_error.text() == "10%");
  CHECK(r.max_failures == 3);
  CHECK(r.exclude == std::vector<std::string>{"web", "demo-x*"});
  CHECK(r.limit == 2);
  CHECK(r.shuffle);
  CHECK(r.seed == 42u);
  auto x = parse({"run", "-s", "demo", "-x", "--fail-on-error", "3"});
  REQUIRE(x.command);
  CHECK(x.command->run.max_failures == 1);
  CHECK(x.command->run.fail_on_error.max_not_passed == 3u);
  CHECK(x.command->run.fail_on_error.text() == "3");
  // Every seed the runner prints can be given back, up to 2^64 - 1.
  auto big = parse({"run", "-s", "demo", "--shuffle", "--seed", "18446744073709551615"});
  REQUIRE(big.command);
  CHECK(big.command->run.seed == 18446744073709551615ULL);
  // One threshold at most.
  CHECK_FALSE(parse({"run", "-s", "demo", "--fail-on-error", "3", "7"}).command);
}

TEST_CASE("cli: usage errors are one line naming the option, exit 2", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"run"}, "-s/--scenarios is required (scenario keys or tags, comma-separated)"},
      {{"run", "-s", "x", "--source", "svn"}, "--source: unknown value 'svn' (expected git or fs)"},
      {{"run", "-s", "x", "-m", "docker"}, "-m/--mode: unknown value 'docker' (expected host, incus or lima)"},
      {{"run", "-s", "x", "-g", "jira"}, "-g/--gateway: unknown value 'jira' (expected runner or servicenow)"},
      {{"run", "-s", "x", "-i", "0"}, "-i/--iter: '0' is not an integer >= 1"},
      {{"run", "-s", "x", "--fail-on-error", "lots"}, "--fail-on-error: 'lots' is not a count such as 3 or a share such as 10%"},
      {{"run", "-s", "x", "--fail-on-error", "150%"}, "--fail-on-error: '150%' is not a count such as 3 or a share such as 10%"},
      {{"run", "-s", "x", "--max-failures", "0"}, "--max-failures: '0' is not an integer from 1 to 100000"},
      {{"run", "-s", "x", "-x", "--max-failures", "2"}, "-x is --max-failures 1: give one of them"},
      {{"run", "-s", "x", "--seed", "3"}, "--seed requires --shuffle"},
      {{"run", "-s", "x", "--limit", "none"}, "--limit: 'none' is not an integer from 1 to 100000"},
      {{"run", "-s", "x", "-i", "2.5"}, "-i/--iter: '2.5' is not an integer >= 1"},
      {{"run", "-s", "x", "-i", "many"}, "-i/--iter: 'many' is not an integer >= 1"},
      {{"run", "-s", "x", "--parallel"}, "--parallel requires -m incus or -m lima"},
      {{"run", "-s", "x", "-m", "host", "--parallel"}, "--parallel requires -m incus or -m lima"},
      {{"run", "-s", "x", "-m", "lima", "--parallel-ram-cap", "4"}, "--parallel-ram-cap requires --parallel"},
      {{"run", "-s", "x", "-m", "lima", "--parallel", "--parallel-ram-cap", "0"},
       "--parallel-ram-cap: '0' is not a positive number of GB"},
      {{"run", "-s", "x", "-m", "lima", "--parallel", "--parallel-ram-cap", "lots"},
       "--parallel-ram-cap: 'lots' is not a positive number of GB"},
      {{"list", "--source", "s3"}, "--source: unknown value 's3' (expected git or fs)"},
  };
  for (const auto& c : cases) {
    INFO(c.args.back());
    auto o = parse(c.args);
    CHECK_FALSE(o.command);
    CHECK(o.exit_code == exit_code::usage);
    CHECK(o.error == c.expected);
    CHECK(o.error.find('\n') == std::string::npos);
  }
}

TEST_CASE("cli: decimal RAM caps and --check without -s are accepted", "[cli]") {
  auto o = parse({"run", "-s", "x", "-m", "incus", "--parallel", "--parallel-ram-cap", "0.5"});
  REQUIRE(o.command);
  CHECK(o.command->run.parallel_ram_cap_gb == Approx(0.5));
  auto c = parse({"run", "--check"});
  REQUIRE(c.command);
  CHECK(c.command->run.check);
}

TEST_CASE("cli: unknown options and missing subcommand are usage errors", "[cli]") {
  auto o = parse({"run", "-s", "x", "--frobnicate"});
  CHECK(o.exit_code == exit_code::usage);
  CHECK(o.error.find("--frobnicate") != std::string::npos);
  CHECK(parse({}).exit_code == exit_code::usage);
}

TEST_CASE("cli: --help on every subcommand, --version names the commit", "[cli]") {
  for (const char* sub : {"run", "start", "list"}) {
    auto o = parse({sub, "--help"});
    CHECK_FALSE(o.command);
    CHECK(o.exit_code == 0);
    CHECK(o.out.find("Usage: 2501-runner") != std::string::npos);
  }
  auto v = parse({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("2501-runner 0.", 0) == 0);
  CHECK(v.out.find("(commit ") != std::string::npos);
}

TEST_CASE("cli: list options", "[cli]") {
  auto o = parse({"list", "-s", "demo", "--source", "fs", "-p", "examples", "--json"});
  REQUIRE(o.command);
  CHECK(o.command->kind == Command::Kind::list);
  CHECK(o.command->list.json);
  CHECK(o.command->list.scenarios == "demo");
}

TEST_CASE("cli: the sandbox subcommands and their usage errors", "[cli]") {
  auto p = parse({"sandbox", "prepare", "-s", "nginx", "-m", "incus", "--specialty", "K8S", "--vm-templates-path", "t"});
  REQUIRE(p.command);
  CHECK(p.command->kind == Command::Kind::sandbox);
  CHECK(p.command->sandbox.action == SandboxOptions::Action::prepare);
  CHECK(p.command->sandbox.mode == RunMode::incus);
  CHECK(p.command->sandbox.specialty == std::optional<std::string>("K8S"));
  auto c = parse({"sandbox", "create", "--template", "debian-docker", "-m", "lima", "-n", "box"});
  REQUIRE(c.command);
  CHECK(c.command->sandbox.action == SandboxOptions::Action::create);
  CHECK(c.command->sandbox.template_name == "debian-docker");
  CHECK(c.command->sandbox.name == std::optional<std::string>("box"));
  auto d = parse({"sandbox", "delete", "-s", "box", "-m", "incus"});
  REQUIRE(d.command);
  CHECK(d.command->sandbox.action == SandboxOptions::Action::remove);
  CHECK(d.command->sandbox.scenarios == "box");
  auto all = parse({"sandbox", "purge-vms"});
  REQUIRE(all.command);
  CHECK_FALSE(all.command->sandbox.mode);  // both providers
  auto one = parse({"sandbox", "purge-vms", "-m", "lima"});
  REQUIRE(one.command);
  CHECK(one.command->sandbox.mode == RunMode::lima);

  CHECK(parse({"sandbox", "create", "-m", "incus"}).exit_code == exit_code::usage);  // --template required
  CHECK(parse({"sandbox", "delete", "-s", "box", "-m", "host"}).error.find("-m/--mode") != std::string::npos);
  CHECK(parse({"sandbox", "purge-vms", "-m", "host"}).exit_code == exit_code::usage);
  CHECK(parse({"sandbox", "prepare", "-m", "incus"}).exit_code == exit_code::usage);  // -s required
  CHECK(parse({"sandbox"}).exit_code == exit_code::usage);
}
