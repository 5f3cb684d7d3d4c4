// The progress display's text: the bar line, running iterations, the ETA and the
// width bound (a wrapped line would break the terminal redraw). The drawing on a real
// terminal: tests/e2e/progress_e2e.sh.
#include <catch2/catch.hpp>

#include "adapters/text/utf8.hpp"
#include "core/progress.hpp"

using namespace runner;

namespace {

// As a terminal may show them: ASCII one column, anything else up to two.
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += c < 0x80 ? 1 : (c & 0xC0) != 0x80 ? 2 : 0;
  return n;
}

}  // namespace

TEST_CASE("progress: the bar line has done/total, verdicts, elapsed, ETA and the lease in VM modes", "[progress]") {
  ProgressView v;
  v.done = 5;
  v.total = 20;
  v.passed = 3;
  v.failed = 1;
  v.errors = 1;
  v.elapsed_ms = 65'000;
  v.eta_ms = 190'000;
  auto lines = progress_lines(v, 200);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "[=====>              ] 5/20  25% | passed 3 failed 1 errors 1 | 1m05s elapsed | ETA 3m10s");
  v.eta_ms.reset();
  CHECK(progress_lines(v, 200)[0].find("| ETA ?") != std::string::npos);
  v.vm = true;
  v.clones = 3;
  v.leased_mib = 3072;
  v.budget_mib = 4096;
  v.note = "interrupted";
  CHECK(progress_lines(v, 200)[0].find("| clones 3 | RAM 3072/4096 MiB | interrupted") != std::string::npos);
  v.queued = 7;
  CHECK(progress_lines(v, 200)[0].find("| queued 7 | clones 3") != std::string::npos);
  v.done = 20;  // finished: no ETA
  CHECK(progress_lines(v, 200)[0].find("ETA") == std::string::npos);
  CHECK(progress_lines(v, 200)[0].rfind("[====================] 20/20 100%", 0) == 0);
}

TEST_CASE("progress: running iterations longest first, at most N, never wider than the terminal", "[progress]") {
  ProgressView v;
  v.total = 10;
  for (int i = 0; i < 5; ++i) v.running.push_back({"disk-full #" + std::to_string(i + 1), "execute", i * 1000LL});
  v.running.push_back({"clé-ünïcode-\x1b[2J #1", "execute", 100'000});
  auto lines = progress_lines(v, 50, 3);
  REQUIRE(lines.size() == 5);  // bar, 3 running, "+3 more"
  CHECK(lines[1].find("clé-ünïcode-\\x1b[2J #1  execute  1m40s") == 2);  // the escape is shown, not sent
  CHECK(lines[2] == "  disk-full #5  execute  4s");
  CHECK(lines[4] == "  +3 more running");
  for (const auto& l : lines) {
    CHECK(columns(l) <= 50);
    CHECK(utf8_valid(l));  // never cut inside a character
  }
  // Wide characters count double: "漢字" is four columns.
  ProgressView wide;
  wide.total = 1;
  wide.running = {{"漢字漢字", "execute", 0}};
  CHECK(progress_lines(wide, 6)[1] == "  漢字");
  for (std::size_t width : {1u, 7u, 13u, 14u, 15u})
    for (const auto& l : progress_lines(v, width, 3)) {
      CHECK(columns(l) <= width);
      CHECK(utf8_valid(l));
    }
}

TEST_CASE("progress: the ETA from hints, this run's mean, elapsed time and parallelism", "[progress]") {
  // Three left with hints of 60 s, one at a time: 180 s.
  CHECK(estimate_remaining_ms({{60'000, 60'000, 60'000}, {}, {}, 1}) == 180'000);
  // The running one has spent 20 s of its 60.
  CHECK(estimate_remaining_ms({{60'000, 60'000}, {20'000, std::nullopt}, {}, 1}) == 100'000);
  // Overdue: nothing negative.
  CHECK(estimate_remaining_ms({{60'000}, {90'000}, {}, 1}) == 0);
  // Never less than what the longest running one still needs.
  CHECK(estimate_remaining_ms({{60'000, 1'000, 1'000, 1'000}, {0, 0, 0, 0}, {}, 4}) == 60'000);
  // A hint beyond 30 days is clamped, never overflows.
  CHECK(*estimate_remaining_ms({{UINT64_MAX}, {}, {}, 1}) == 30LL * 24 * 3600 * 1000);
  // Two at a time.
  CHECK(estimate_remaining_ms({{60'000, 60'000, 60'000, 60'000}, {}, {}, 2}) == 120'000);
  // More lanes than iterations left: they cannot go faster than one each.
  CHECK(estimate_remaining_ms({{60'000}, {}, {}, 8}) == 60'000);
  // No hint: this run's mean of finished ones; with nothing finished yet, no guess.
  CHECK(estimate_remaining_ms({{0, 0}, {}, {10'000, 30'000}, 1}) == 40'000);
  CHECK(estimate_remaining_ms({{0}, {}, {0, 0, 20'000}, 1}) == 20'000);  // errors of 0 ms are no sample
  CHECK_FALSE(estimate_remaining_ms({{0}, {}, {}, 1}));
  CHECK(estimate_remaining_ms({{}, {}, {}, 1}) == 0);
}

TEST_CASE("progress: short durations", "[progress]") {
  CHECK(short_duration(0) == "0s");
  CHECK(short_duration(59'499) == "59s");
  CHECK(short_duration(59'500) == "1m00s");
  CHECK(short_duration(3'599'499) == "59m59s");
  CHECK(short_duration(3'600'000) == "1h00m");
  CHECK(short_duration(-5) == "0s");
  CHECK(short_duration(INT64_MAX) == ">99d");
}
