#include <catch2/catch.hpp>

#include "app/summary.hpp"
#include "messages/exit_codes.hpp"

using namespace runner;

namespace {
ScenarioReport report(const std::string& status) {
  ScenarioReport r;
  r.status = *parse_iteration_status(status);
  return r;
}
}  // namespace

TEST_CASE("summary: exit code precedence 130, then 4, then 1, else 0", "[summary]") {
  const std::vector<ScenarioReport> ok = {report("passed"), report("passed")};
  const std::vector<ScenarioReport> failed = {report("passed"), report("failed")};
  const std::vector<ScenarioReport> errored = {report("failed"), report("error")};
  const FailGate any = *parse_fail_gate(""), off{};
  CHECK(run_exit_code(ok, false, any) == exit_code::success);
  CHECK(run_exit_code(failed, false, off) == exit_code::success);
  CHECK(run_exit_code(failed, false, any) == exit_code::scenarios_failed);
  CHECK(run_exit_code(errored, false, any) == exit_code::infrastructure);
  CHECK(run_exit_code(errored, true, any) == exit_code::interrupted);
  CHECK(run_exit_code({}, false, any) == exit_code::success);
}

TEST_CASE("summary: --fail-on-error thresholds, a count or a share, both strict", "[summary]") {
  std::vector<ScenarioReport> runs(10, report("passed"));
  runs[0] = report("failed");
  runs[1] = report("failed");
  CHECK(run_exit_code(runs, false, *parse_fail_gate("2")) == exit_code::success);         // not more than 2
  CHECK(run_exit_code(runs, false, *parse_fail_gate("1")) == exit_code::scenarios_failed);
  CHECK(run_exit_code(runs, false, *parse_fail_gate("20%")) == exit_code::success);       // 2 of 10 is not more than 20 %
  CHECK(run_exit_code(runs, false, *parse_fail_gate("19.5%")) == exit_code::scenarios_failed);
  CHECK(run_exit_code(runs, false, *parse_fail_gate("0")) == exit_code::scenarios_failed);
  CHECK(run_exit_code(runs, false, *parse_fail_gate("100%")) == exit_code::success);
  CHECK_FALSE(parse_fail_gate("-1"));
  CHECK_FALSE(parse_fail_gate("%"));
  CHECK_FALSE(parse_fail_gate("101%"));
  CHECK_FALSE(parse_fail_gate("1.5"));
  CHECK(parse_fail_gate("2.5%")->text() == "2.5%");
}

TEST_CASE("summary: pass@k and pass^k estimators", "[summary]") {
  CHECK(pass_at_k(3, 0, 3) == Approx(0.0));
  CHECK(pass_at_k(3, 1, 3) == Approx(1.0));  // one success in all three tries
  CHECK(pass_at_k(4, 1, 2) == Approx(0.5));  // 1 - C(3,2)/C(4,2)
  CHECK(pass_hat_k(3, 3, 3) == Approx(1.0));
  CHECK(pass_hat_k(3, 2, 3) == Approx(0.0));
  CHECK(pass_hat_k(4, 2, 2) == Approx(1.0 / 6));  // C(2,2)/C(4,2)
}
