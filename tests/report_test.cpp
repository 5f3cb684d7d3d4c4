// Reports and comparisons: run names, the statistics of `compare` against published
// values, and the JSON, JUnit and Markdown documents made from known reports.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/reports/report_formats.hpp"
#include "core/compare_stats.hpp"
#include "core/history.hpp"
#include "core/platform_timings.hpp"
#include "core/run_name.hpp"
#include "tests/support/report_fixtures.hpp"

using namespace runner;

namespace {

ScenarioReport make(const std::string& key, int it, IterationStatus st, std::int64_t ms = 1000) {
  return test::sample_report(key, it, st, ms);
}

std::vector<ScenarioReport> sample(int passes, int n, const std::string& key = "disk") {
  std::vector<ScenarioReport> out;
  for (int i = 1; i <= n; ++i) out.push_back(make(key, i, i <= passes ? IterationStatus::passed : IterationStatus::failed));
  return out;
}

}  // namespace

TEST_CASE("run names: generated ones are stable and readable, bad ones are refused with the reason", "[report]") {
  const std::string id = "3f2a9c1e-0000-4000-8000-000000000001";
  CHECK(generated_run_name(id) == generated_run_name(id));
  CHECK(generated_run_name(id).size() > 10);
  CHECK(generated_run_name(id).substr(generated_run_name(id).size() - 5) == "-3f2a");
  CHECK_FALSE(run_name_problem(generated_run_name(id)));
  // Every generated name is a valid name: no word reads as hex.
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) {
      const std::string hex = "0123456789abcdef";
      std::string gid = "0000" + std::string(1, hex[a]) + std::string(1, hex[b]) + std::string(1, hex[b]) +
                        std::string(1, hex[a]) + "-1111";
      INFO(gid);
      CHECK_FALSE(run_name_problem(generated_run_name(gid)));
    }
  CHECK_FALSE(run_name_problem("nightly"));
  CHECK_FALSE(run_name_problem("nächtlich-2026"));
  CHECK(run_name_problem("latest"));
  CHECK(run_name_problem("beef-cafe"));  // would read as an ID prefix
  CHECK(run_name_problem(""));
  CHECK(run_name_problem("two words"));
  CHECK(run_name_problem(std::string(129, 'x')));
}

TEST_CASE("compare: Fisher's exact test matches published two-sided p-values", "[report]") {
  // R: fisher.test(matrix(c(3,1,1,3), 2))$p.value = 0.4857143
  CHECK(fisher_exact_two_sided(3, 1, 1, 3) == Approx(0.4857143).epsilon(1e-6));
  // The tea-tasting table's extreme: fisher.test(matrix(c(4,0,0,4),2)) = 0.02857143
  CHECK(fisher_exact_two_sided(4, 0, 0, 4) == Approx(0.02857143).epsilon(1e-6));
  // fisher.test(matrix(c(10,0,0,10),2))$p.value = 1.082509e-05
  CHECK(fisher_exact_two_sided(10, 0, 0, 10) == Approx(1.082509e-05).epsilon(1e-5));
  // fisher.test(matrix(c(1,9,11,3),2))$p.value = 0.002759456
  CHECK(fisher_exact_two_sided(1, 9, 11, 3) == Approx(0.002759456).epsilon(1e-5));
  CHECK(fisher_exact_two_sided(5, 0, 5, 0) == 1.0);  // a margin of zero: no evidence
  // One-sided, lower tail: fisher.test(matrix(c(1,9,11,3),2), alternative = "less") = 0.001379728
  CHECK(fisher_exact_lower_tail(1, 9, 11, 3) == Approx(0.001379728).epsilon(1e-5));
  CHECK(fisher_exact_lower_tail(0, 3, 3, 0) == Approx(1.0 / 20));  // 3/3 -> 0/3
  CHECK(fisher_exact_lower_tail(0, 4, 4, 0) == Approx(1.0 / 70));  // 4/4 -> 0/4
  CHECK(fisher_exact_lower_tail(3, 0, 0, 3) == Approx(1.0));       // an improvement is no drop
  CHECK(fisher_exact_two_sided(0, 0, 0, 0) == 1.0);
}

TEST_CASE("compare: Wilson and Newcombe intervals match Newcombe (1998)", "[report]") {
  // Newcombe 1998, table II, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339.
  const auto [lo, hi] = newcombe_difference_interval(56, 70, 48, 80);
  CHECK(lo == Approx(0.0524).margin(5e-4));
  CHECK(hi == Approx(0.3339).margin(5e-4));
  // Example (e): 0/10 vs 0/20: -0.1611 to 0.2775.
  const auto [lo2, hi2] = newcombe_difference_interval(0, 10, 0, 20);
  CHECK(lo2 == Approx(-0.1611).margin(5e-4));
  CHECK(hi2 == Approx(0.2775).margin(5e-4));
  const auto [wl, wh] = wilson_interval(0, 10);
  CHECK(wl == 0.0);
  CHECK(wh == Approx(0.2775).margin(5e-4));
}

TEST_CASE("compare: a scenario regresses when its drop is significant or beyond --max-regression", "[report]") {
  auto base = sample(10, 10);
  auto now = sample(0, 10);
  auto rows = compare_results(base, now, {});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].regressed);
  CHECK(rows[0].difference == Approx(-1.0));
  CHECK(rows[0].p_value < 0.001);
  // 3/3 -> 2/3 is not significant; it regresses only past a threshold below 33 points.
  rows = compare_results(sample(3, 3), sample(2, 3), {});
  CHECK_FALSE(rows[0].regressed);
  GateSettings gate;
  gate.max_regression = 0.2;
  rows = compare_results(sample(3, 3), sample(2, 3), gate);
  CHECK(rows[0].regressed);
  CHECK(rows[0].why.find("--max-regression 20") != std::string::npos);
  gate.max_regression = 0.5;
  CHECK_FALSE(compare_results(sample(3, 3), sample(2, 3), gate)[0].regressed);
  // An improvement never regresses, however large.
  rows = compare_results(sample(0, 10), sample(10, 10), gate);
  CHECK(rows[0].difference == Approx(1.0));
  CHECK(rows[0].p_value < 0.001);
  CHECK_FALSE(rows[0].regressed);
  // 4/4 -> 0/4 is significant one-sided (p = 1/70) though 3/3 -> 0/3 is not (p = 1/20).
  CHECK(compare_results(sample(4, 4), sample(0, 4), {})[0].regressed);
  CHECK_FALSE(compare_results(sample(3, 3), sample(0, 3), {})[0].regressed);
  // Scenarios of one side are listed without numbers.
  auto mixed = sample(1, 3);
  auto other = sample(3, 3, "net");
  rows = compare_results(mixed, other, gate);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].key == "disk");
  CHECK(rows[0].base);
  CHECK_FALSE(rows[0].now);
  CHECK_FALSE(rows[1].base);
  CHECK_FALSE(rows[0].regressed);
}

TEST_CASE("report json: every iteration with stable fields and embedded JSON columns", "[report]") {
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  in.bench.name = "nightly";
  in.bench.status = "completed";
  in.bench.options_json = R"({"iterations":2,"mode":"host"})";
  in.reports = {make("disk", 1, IterationStatus::passed), make("disk", 2, IterationStatus::failed)};
  in.reports[1].rules_json = R"([{"label":"df ok","scope":"task","outcome":"failed","required":true,"detail":"no match"}])";
  in.reports[1].compliance_score = 50.0;
  auto doc = nlohmann::json::parse(report_json(in));
  CHECK(doc["format"] == "2501-runner.report/1");
  CHECK(doc["benchmark"]["name"] == "nightly");
  CHECK(doc["benchmark"]["options"]["iterations"] == 2);
  CHECK(doc["totals"]["passed"] == 1);
  CHECK(doc["totals"]["iterations"] == 2);
  CHECK(doc["scenarios"][0]["pass_rate"] == 0.5);
  CHECK(doc["scenarios"][0]["tokens"] == 30);
  CHECK(doc["iterations"].size() == 2);
  CHECK(doc["iterations"][1]["rules"][0]["detail"] == "no match");
  CHECK(doc["iterations"][1]["compliance"] == 50.0);
  CHECK(doc["iterations"][0]["compliance"].is_null());
  CHECK(doc["iterations"][0]["phases"]["execute"]["duration_ms"] == 400);
  CHECK(iterations_of(in.bench) == 2);
}

TEST_CASE("report junit: suites per scenario, failures with rules, errors with kind, XML-safe text", "[report]") {
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  in.bench.name = "nightly";
  in.reports = {make("disk", 1, IterationStatus::passed), make("disk", 2, IterationStatus::failed),
                make("net", 1, IterationStatus::error)};
  in.reports[1].rules_json =
      R"([{"label":"df <ok> & \"fine\"","scope":"task","outcome":"failed","required":true,"detail":"bad\u0001byte"},)"
      R"({"label":"optional","scope":"task","outcome":"failed","required":false,"detail":"x"}])";
  in.reports[2].error_kind = "gateway";
  in.reports[2].error_message = "engine answered 503 \xff";
  const std::string xml = report_junit(in);
  INFO(xml);
  CHECK(xml.find("<testsuites name=\"2501-runner nightly\" tests=\"3\" failures=\"1\" errors=\"1\"") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"disk\" tests=\"2\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"disk #2\" classname=\"2501-runner.disk\" time=\"1.000\"") != std::string::npos);
  CHECK(xml.find("<failure message=\"1 rule(s) failed\" type=\"rules\">df &lt;ok&gt; &amp; &quot;fine&quot; [task]: bad\xEF\xBF\xBD"
                 "byte") != std::string::npos);
  CHECK(xml.find("optional [task]") == std::string::npos);  // optional rules do not fail a case
  CHECK(xml.find("<error message=\"engine answered 503 \xEF\xBF\xBD\" type=\"gateway\">") != std::string::npos);
  // Phase lines in the order they started: provision before execute.
  const auto provision = xml.find("provision  passed"), execute = xml.find("execute    passed");
  CHECK(provision != std::string::npos);
  CHECK(execute != std::string::npos);
  CHECK(provision < execute);
  CHECK(xml.find('\x01') == std::string::npos);
}

TEST_CASE("report markdown: tables whose cells cannot break the table or inject HTML", "[report]") {
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  in.bench.name = "nightly";
  in.bench.status = "completed";
  in.reports = {make("disk", 1, IterationStatus::passed), make("disk", 2, IterationStatus::error)};
  in.reports[1].error_kind = "provision";
  in.reports[1].error_message = "a | b\n<script>alert(1)</script>";
  const std::string md = report_markdown(in);
  INFO(md);
  CHECK(md.find("## 2501-runner: nightly") != std::string::npos);
  CHECK(md.find("**1 passed**, 0 failed, 1 error(s) of 2 scenario-iteration(s) (50%)") != std::string::npos);
  CHECK(md.find("| disk | 1/2 | 50% |") != std::string::npos);
  CHECK(md.find("provision: a \\| b &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(md.find("<script>") == std::string::npos);
}

TEST_CASE("history: flips count verdict changes between consecutive runs, the last change is the newest", "[report]") {
  auto run = [](const std::string& bench, const std::string& key, int passed, int total) {
    ScenarioRun r;
    r.benchmark_id = bench;
    r.scenario_key = key;
    r.passed = passed;
    r.total = total;
    return r;
  };
  const std::vector<ScenarioRun> runs = {run("b1", "disk", 2, 2), run("b1", "net", 0, 1), run("b2", "disk", 1, 2),
                                         run("b3", "disk", 1, 2), run("b3", "net", 0, 1), run("b4", "disk", 2, 2)};
  auto all = group_histories(runs);
  REQUIRE(all.size() == 2);
  CHECK(all[0].key == "disk");
  CHECK(all[0].flips == 2);  // pass -> some -> some -> pass
  REQUIRE(all[0].last_change);
  CHECK(all[0].runs[*all[0].last_change].benchmark_id == "b4");
  CHECK(all[0].passed == 6);
  CHECK(all[0].total == 8);
  CHECK(all[1].flips == 0);
  CHECK_FALSE(all[1].last_change);
  auto only_net = scenario_histories(runs, [](const ScenarioRun& r) { return r.scenario_key == "net"; });
  REQUIRE(only_net.size() == 1);
  CHECK(only_net[0].runs.size() == 2);
}

TEST_CASE("platform timings: spans between first sightings, bounded by the look before each", "[report]") {
  auto job = [](const std::string& status, int tasks) {
    JobSnapshot j;
    j.status = status;
    j.tasks.resize(static_cast<std::size_t>(tasks));
    return j;
  };
  PlatformClock c;
  CHECK(c.json().empty());  // no ticket, nothing to say
  c.ticket_created(100);
  c.looked(600);            // a search: no job yet
  c.looked(1100);           // the search that found it
  c.job_appeared();
  c.looked(1150);
  c.observed(job("in_progress", 0), 1150);  // picked up after 600 (the look before the search)
  c.looked(2150);
  c.observed(job("in_progress", 1), 2150);
  c.looked(3650);
  c.observed(job("completed", 1), 3650);
  c.cancel_answered(3700);  // an answer without a cancel is nothing
  auto o = nlohmann::json::parse(c.json());
  CHECK(o["ticket_to_pickup_ms"] == 1050);
  CHECK(o["pickup_to_first_task_ms"] == 1000);
  CHECK(o["first_task_to_terminal_ms"] == 1500);
  CHECK(o["ticket_to_terminal_ms"] == 3550);
  CHECK(o["cancel_latency_ms"].is_null());
  CHECK(o["resolution_ms"] == 1500);  // 2150 -> 3650, the widest gap before a sighting

  // A fast job first seen finished: no span between changes seen at the same look.
  PlatformClock fast;
  fast.ticket_created(0);
  fast.looked(500);
  fast.job_appeared();
  fast.looked(520);
  fast.observed(job("completed", 2), 520);
  o = nlohmann::json::parse(fast.json());
  CHECK(o["ticket_to_pickup_ms"] == 520);
  CHECK(o["pickup_to_first_task_ms"].is_null());
  CHECK(o["first_task_to_terminal_ms"].is_null());
  CHECK(o["ticket_to_terminal_ms"] == 520);

  // Cancelled in the queue: never picked up. The cancel's latency is measured.
  PlatformClock queued;
  queued.ticket_created(0);
  queued.looked(300);
  queued.observed(job("queued", 0), 300);
  queued.cancel_sent(400);
  queued.cancel_answered(650);
  queued.looked(700);
  queued.observed(job("cancelled", 0), 700);
  o = nlohmann::json::parse(queued.json());
  CHECK(o["ticket_to_pickup_ms"].is_null());
  CHECK(o["cancel_latency_ms"] == 250);
  CHECK(o["ticket_to_terminal_ms"] == 700);
}
