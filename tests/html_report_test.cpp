// The HTML report's parts: escaping of outside text, the tail of a log file, the
// timeline and RAM charts, and the page made from known reports (hostile text never
// becomes markup). The page in a real browser: tests/e2e/html_report_e2e.sh.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "adapters/files/read_tail.hpp"
#include "adapters/text/html.hpp"
#include "adapters/text/utf8.hpp"
#include "app/reports/report_formats.hpp"
#include "app/reports/report_svg.hpp"
#include "core/phase_log.hpp"
#include "tests/support/report_fixtures.hpp"

using namespace runner;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

ScenarioReport iteration(const std::string& key, int it, IterationStatus st, const std::string& phases) {
  ScenarioReport r = test::sample_report(key, it, st, 2500);
  r.started_at = "2026-11-28T03:00:00Z";
  r.finished_at = "2026-11-28T03:00:03Z";
  r.tokens_json = "{}";
  r.phases_json = phases;
  return r;
}

const char* two_phases =
    R"({"provision":{"started_at":"2026-11-28T03:00:00Z","duration_ms":1500,"outcome":"ok"},)"
    R"("execute":{"started_at":"2026-11-28T03:00:01Z","duration_ms":1000,"outcome":"ok"}})";
const char* three_phases =
    R"({"provision":{"started_at":"2026-11-28T03:00:02Z","duration_ms":100,"outcome":"ok"},)"
    R"("prepare":{"started_at":"2026-11-28T03:00:02Z","duration_ms":300,"outcome":"failed"},)"
    R"("restore":{"started_at":"2026-11-28T03:00:03Z","duration_ms":200,"outcome":"ok"}})";

}  // namespace

TEST_CASE("html escape: markup, quotes and controls from outside never act", "[html]") {
  CHECK(html_escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(html_escape("a \"b\" & c") == "a &quot;b&quot; &amp; c");
  CHECK(html_escape("line 1\n\tline 2") == "line 1\n\tline 2");
  CHECK(html_escape("esc \x1b[2J bell \x07 del \x7f") == "esc \\x1b[2J bell \\x07 del \\x7f");
  CHECK(html_escape("c1 \xc2\x9b end") == "c1 \\x9b end");  // U+009B, the 8-bit CSI
  CHECK(html_escape("café ✓") == "café ✓");
  CHECK(html_escape("bad \xff byte") == "bad \xef\xbf\xbd byte");  // U+FFFD
  CHECK(html_escape(std::string("nul\0here", 8)) == "nulhere");
}

TEST_CASE("read tail: the end of a log from a line start, never inside a character", "[html]") {
  char path[] = "/tmp/runner-tail-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    std::ofstream f(path, std::ios::binary);
    f << "first line\n" << "second: ééééé\n" << "third ✓\n";
  }
  auto whole = read_tail(path, 1000);
  REQUIRE(whole);
  CHECK_FALSE(whole->cut);
  CHECK(whole->text == "first line\nsecond: ééééé\nthird ✓\n");
  // 12 bytes from the end: cut inside "ééééé"'s line, so it starts at the next line.
  auto tail = read_tail(path, 12);
  REQUIRE(tail);
  CHECK(tail->cut);
  CHECK(tail->text == "third ✓\n");
  // A single long line: cut inside 'é' (2 bytes) starts at the next whole character.
  {
    std::ofstream f(path, std::ios::binary);
    f << "ééééé";
  }
  auto mid = read_tail(path, 5);  // the last 5 bytes start with é's second byte
  REQUIRE(mid);
  CHECK(mid->text == "éé");
  CHECK(utf8_valid(mid->text));
  std::remove(path);
  CHECK_FALSE(read_tail(path, 100));
  CHECK_FALSE(read_tail("/tmp", 100));  // a folder is no log
}

TEST_CASE("iso times: whole and fractional seconds, anything else refused", "[html]") {
  CHECK(iso_utc_seconds("1970-01-01T00:01:00Z") == 60);
  CHECK(iso_utc_seconds("2026-11-28T03:00:00.5Z") == Approx(1795834800.5));
  CHECK(iso_utc_seconds("2026-11-28T03:00:00") == -1);
  CHECK(iso_utc_seconds("2026-11-28T03:00:00Zjunk") == -1);
  CHECK(iso_utc_seconds("2026-11-28T03:00:00.Z") == -1);
  CHECK(iso_utc_seconds("") == -1);
}

TEST_CASE("timeline svg: a bar per phase, phases of one iteration never overlap, bad outcomes marked", "[html]") {
  std::vector<ScenarioReport> reports = {iteration("disk", 1, IterationStatus::passed, two_phases),
                                         iteration("disk", 2, IterationStatus::error, three_phases),
                                         iteration("nophases", 1, IterationStatus::error, "{}")};
  const std::string svg = timeline_svg(reports, 100);
  CHECK(occurrences(svg, "<rect class=\"phase") == 5);
  CHECK(occurrences(svg, "<g class=\"row\"") == 2);  // the iteration without phases has no row
  CHECK(occurrences(svg, "class=\"phase bad\"") == 1);
  // execute's stored start (1 s) is before provision's end (1.5 s): it starts at 1.5 s.
  CHECK(svg.find("execute: 1.0 s from 1.5 s") != std::string::npos);
  // prepare shares provision's whole second: it follows it, at 2.1 s.
  CHECK(svg.find("prepare: 0.3 s from 2.1 s, failed") != std::string::npos);
  CHECK(occurrences(timeline_svg(reports, 1), "<rect class=\"phase") == 2);
  // Read back from jsonb the keys come in another order: the bars do not.
  auto reordered = reports;
  reordered[1].phases_json =
      R"({"restore":{"started_at":"2026-11-28T03:00:03Z","duration_ms":200,"outcome":"ok"},)"
      R"("prepare":{"started_at":"2026-11-28T03:00:02Z","duration_ms":300,"outcome":"failed"},)"
      R"("provision":{"started_at":"2026-11-28T03:00:02Z","duration_ms":100,"outcome":"ok"}})";
  CHECK(timeline_svg(reordered, 100) == svg);
  CHECK(timeline_svg({iteration("x", 1, IterationStatus::error, "{}")}, 10).empty());
  CHECK(timeline_svg({iteration("x", 1, IterationStatus::error, "not json")}, 10).empty());
}

TEST_CASE("capacity svg: leased MiB and clones as steps against the budget", "[html]") {
  const std::string svg =
      capacity_svg(R"({"budget_mib": 4096, "peak_mib": 3072, "peak_clones": 3, "timeline": [[0.5, 1, 1024], [2, 3, 3072], [9, 0, 0]]})");
  CHECK(svg.find("data-points=\"3\"") != std::string::npos);
  CHECK(occurrences(svg, "<polyline") == 2);
  CHECK(svg.find("class=\"budget\"") != std::string::npos);
  CHECK(svg.find("budget 4096 MiB") != std::string::npos);
  // Steps: start + two points per sample.
  std::smatch m;
  const std::regex mib("class=\"mib\"[^>]*points=\"([^\"]*)\"");
  REQUIRE(std::regex_search(svg, m, mib));
  CHECK(occurrences(m[1].str(), ",") == 7);
  CHECK(capacity_svg("").empty());
  CHECK(capacity_svg(R"({"budget_mib": 10})").empty());
  CHECK(capacity_svg(R"({"timeline": [["x", 1, 2]]})").empty());
}

TEST_CASE("report html: one page with grid, details and charts, and text from outside stays text", "[html]") {
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  in.bench.name = "nightly <b>bold</b>";
  in.bench.status = "completed";
  in.bench.started_at = "2026-11-28T03:00:00Z";
  in.bench.options_json = R"({"iterations": 2, "mode": "incus", "gateway": "runner"})";
  in.bench.capacity_json = R"({"budget_mib": 2048, "peak_mib": 2048, "peak_clones": 2, "timeline": [[0, 2, 2048], [5, 0, 0]]})";
  auto a = iteration("disk", 1, IterationStatus::passed, two_phases);
  auto b = iteration("disk", 2, IterationStatus::failed, three_phases);
  b.rules_json = R"([{"label": "no <script>alert(1)</script>", "scope": "job", "validator": "regex", "required": true,)"
                 R"( "negate": false, "outcome": "failed", "detail": "saw \"</pre><img src=x onerror=alert(1)>\""}])";
  auto c = iteration("web\"><script>alert(2)</script>", 1, IterationStatus::error, "{}");
  c.error_kind = "gateway";
  c.error_message = "engine said </details><script>alert(3)</script>";
  c.log_path = "/nonexistent/run.log";
  c.trajectory_json = R"({"gateway": "runner", "job": {"id": "job-1", "status": "failed", "plan": "<b>plan</b>",)"
                      R"( "tasks": [{"id": "t1", "status": "failed", "executed_commands": ["rm -rf </pre>"]}]}})";
  in.reports = {a, b, c};
  const std::string html = report_html(in);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  // Only our own script; none of the hostile strings survives as markup.
  CHECK(occurrences(html, "<script") == 1);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("engine said &lt;/details&gt;") != std::string::npos);
  // Nothing fetched: no src, no stylesheet link, no URL but the page's own anchors.
  CHECK(html.find(" src=\"") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("://") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);  // and the browser enforces it
  // A grid cell and a details block per iteration; the second row's missing column stays empty.
  CHECK(occurrences(html, "<a class=\"cell\"") == 3);
  CHECK(occurrences(html, "<details class=\"iteration\"") == 3);
  CHECK(occurrences(html, "<td class=\"missing\">") == 1);
  CHECK(occurrences(html, "data-status=\"failed\"") == 2);  // the cell and the details
  CHECK(occurrences(html, "<rect class=\"phase") == 5);
  CHECK(html.find("<svg class=\"capacity\"") != std::string::npos);
  // The trajectory shows the job and its task's commands; the missing log is named.
  CHECK(html.find("rm -rf &lt;/pre&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;plan&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("not shown: the file is not in this machine") != std::string::npos);
  CHECK(utf8_valid(html));
  // Host mode: no RAM chart.
  in.bench.capacity_json.clear();
  CHECK(report_html(in).find("<svg class=\"capacity\"") == std::string::npos);
}

TEST_CASE("stored phases: in the order they ran, lifecycle order within a second", "[html]") {
  const auto p = stored_phases(
      R"({"teardown":{"started_at":"2026-11-28T03:00:05Z","duration_ms":9,"outcome":"ok"},)"
      R"("flush":{"started_at":"2026-11-28T03:00:01Z","duration_ms":5,"outcome":"ok"},)"
      R"("mystery":{"started_at":"2026-11-28T03:00:01Z"},)"
      R"("prepare":{"started_at":"2026-11-28T03:00:01Z","duration_ms":7,"outcome":"failed"},"junk":3})");
  REQUIRE(p.size() == 4);
  CHECK(p[0].name == "prepare");
  CHECK(p[0].outcome == "failed");
  CHECK(p[0].duration_ms == 7);
  CHECK(p[1].name == "flush");
  CHECK(p[2].name == "mystery");
  CHECK(p[2].duration_ms == 0);
  CHECK(p[3].name == "teardown");
  CHECK(stored_phases("not json").empty());
  CHECK(phase_rank("provision") < phase_rank("teardown"));
  CHECK(phase_rank("teardown") < phase_rank("anything else"));
}

TEST_CASE("report html: logs only from this benchmark's run-log folder, redacted, FIFOs and links refused", "[html]") {
  namespace fs = std::filesystem;
  char dir[] = "/tmp/runner-html-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const char* old_state = std::getenv("XDG_STATE_HOME");
  const std::string saved = old_state ? old_state : "";
  setenv("XDG_STATE_HOME", dir, 1);
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  const fs::path runs = fs::path(dir) / "2501-runner" / "runs" / in.bench.id;
  fs::create_directories(runs);
  std::ofstream(runs / "ok.log") << "TASK [prepare] </pre><script>alert(1)</script>\n";
  std::ofstream(fs::path(dir) / "secret.env") << "DATABASE_URL=postgresql://u:pw-outside@h/db\n";
  fs::create_symlink(fs::path(dir) / "secret.env", runs / "link.log");
  REQUIRE(mkfifo((runs / "fifo.log").c_str(), 0600) == 0);
  const std::vector<std::string> paths = {(runs / "ok.log").string(), (fs::path(dir) / "secret.env").string(),
                                          (runs / "link.log").string(), (runs / "fifo.log").string(),
                                          (runs / ".." / ".." / ".." / "secret.env").string()};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto r = iteration("k" + std::to_string(i), 1, IterationStatus::passed, "{}");
    r.log_path = paths[i];
    in.reports.push_back(r);
  }
  const std::string html = report_html(in);  // a FIFO would block here for ever if opened for reading
  CHECK(html.find("TASK [prepare] &lt;/pre&gt;&lt;script&gt;") != std::string::npos);
  CHECK(html.find("pw-outside") == std::string::npos);
  CHECK(occurrences(html, "not shown: the file is not in this machine") == 3);  // outside, link, ../
  CHECK(occurrences(html, "the log file cannot be read here") == 1);           // the FIFO
  if (old_state) setenv("XDG_STATE_HOME", saved.c_str(), 1);
  else unsetenv("XDG_STATE_HOME");
  fs::remove_all(dir);
}

TEST_CASE("report html: stored numbers and types from outside bound the page and never throw", "[html]") {
  BenchmarkResults in;
  in.bench.id = "3f2a9c1e-0000-4000-8000-000000000001";
  in.bench.capacity_json = R"({"budget_mib": "lots", "peak_mib": [1], "timeline": [[0, 1, 10], [1e300, 2, 20]]})";
  // A phaseless iteration first: the timeline row of the second must still open the second.
  auto a = iteration("a", 1, IterationStatus::error, "{}");
  auto b = iteration("b", 2147483647, IterationStatus::passed, two_phases);
  b.phases_json = R"({"execute":{"started_at":"2026-11-28T03:00:00Z","duration_ms":1e300,"outcome":"ok"}})";
  b.trajectory_json = R"({"job": {"id": "j", "status": "completed", "tasks": []}, "ticket": {"state": 7, "summary": {}}})";
  in.reports = {a, b};
  std::string html;
  REQUIRE_NOTHROW(html = report_html(in));
  CHECK(html.find("<g class=\"row\" data-iteration=\"1\"") != std::string::npos);
  CHECK(html.find("data-iteration=\"0\"") == std::string::npos);
  // Two columns (1 and 2147483647), not two billion.
  CHECK(occurrences(html, "<td class=\"missing\">") == 2);
  CHECK(html.size() < 200000);
  CHECK(html.find("<svg class=\"capacity\"") != std::string::npos);
  // A trajectory read beyond the page's budget says where it is.
  in.reports[1].trajectory_json = R"({"omitted": true})";
  CHECK(report_html(in).find("this page's space for trajectories is used up") != std::string::npos);
}
