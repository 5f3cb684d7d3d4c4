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
  CHECK(run_exit_code(ok, false, true) == exit_code::success);
  CHECK(run_exit_code(failed, false, false) == exit_code::success);
  CHECK(run_exit_code(failed, false, true) == exit_code::scenarios_failed);
  CHECK(run_exit_code(errored, false, true) == exit_code::infrastructure);
  CHECK(run_exit_code(errored, true, true) == exit_code::interrupted);
  CHECK(run_exit_code({}, false, true) == exit_code::success);
}

TEST_CASE("summary: pass@k and pass^k estimators", "[summary]") {
  CHECK(pass_at_k(3, 0, 3) == Approx(0.0));
  CHECK(pass_at_k(3, 1, 3) == Approx(1.0));  // one success in all three tries
  CHECK(pass_at_k(4, 1, 2) == Approx(0.5));  // 1 - C(3,2)/C(4,2)
  CHECK(pass_hat_k(3, 3, 3) == Approx(1.0));
  CHECK(pass_hat_k(3, 2, 3) == Approx(0.0));
  CHECK(pass_hat_k(4, 2, 2) == Approx(1.0 / 6));  // C(2,2)/C(4,2)
}
