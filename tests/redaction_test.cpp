#include <catch2/catch.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "adapters/log/logging.hpp"
#include "adapters/log/redactor.hpp"
#include "adapters/text/utf8.hpp"
#include "tests/support/temp_dir.hpp"

using namespace runner;

TEST_CASE("redactor masks every registered secret, longest first", "[redaction]") {
  Redactor r;
  r.add_secret("abcd");
  r.add_secret("abcdefgh");
  CHECK(r.redact("x abcdefgh y abcd z") == "x *** y *** z");
  CHECK_FALSE(r.add_secret("k"));  // too short to mask without garbling output
  CHECK(r.redact("keep k") == "keep k");
  CHECK(r.redact("nothing here") == "nothing here");
}

TEST_CASE("database URL password is found and masked", "[redaction]") {
  CHECK(url_password("postgresql://u:secret@h:5432/db") == "secret");
  CHECK(url_password("postgresql://u@h/db").empty());
  CHECK(url_password("postgresql://h/db?x=a:b@c").empty());
  CHECK(url_password("host=h user=u password=s3cr3t dbname=d") == "s3cr3t");
  CHECK(redact_url("postgresql://u:secret@h/db") == "postgresql://u:***@h/db");
}

TEST_CASE("every log line passes the redactor, on the console and in the log file", "[redaction]") {
  test::TempDir dir;
  const auto out_path = dir / "out", err_path = dir / "err", log_path = dir / "log";
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  std::FILE* err = std::fopen(err_path.c_str(), "w");
  global_redactor().add_secret("hunter2-secret");
  setup_logging({2, log_path.string(), out, err});
  spdlog::info("info hunter2-secret");
  spdlog::debug("debug value=hunter2-secret");
  spdlog::error("\x1b[31mred\x1b[0m hunter2-secret");
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("null"));  // release the files
  std::fclose(out);
  std::fclose(err);
  const auto o = test::read_file(out_path), e = test::read_file(err_path), l = test::read_file(log_path);
  CHECK(o == "info ***\n");
  CHECK(e == "debug: debug value=***\nerror: red ***\n");  // not a TTY: no colour
  CHECK(l.find("hunter2") == std::string::npos);
  CHECK(l.find("error red ***") != std::string::npos);
  CHECK(l.find('\x1b') == std::string::npos);
  global_redactor().clear();
}

TEST_CASE("strip_ansi removes colour sequences only", "[redaction]") {
  CHECK(strip_ansi("\x1b[1;32mok\x1b[0m done") == "ok done");
}

TEST_CASE("terminal text: colour stays, every other control sequence becomes visible", "[integrity]") {
  CHECK(runner::terminal_text("\x1b[31mFAIL\x1b[0m ok") == "\x1b[31mFAIL\x1b[0m ok");
  CHECK(runner::terminal_text("agent said \x1b[2J\x1b]0;pwned\x07 here") ==
        "agent said \\x1b[2J\\x1b]0;pwned\\x07 here");
  CHECK(runner::terminal_text("two\nlines\tand a \r return") == "two\nlines\tand a \\x0d return");
  CHECK(runner::terminal_text("\xC2\x9B" "2J") == "\\u009b2J");
  CHECK(runner::utf8_valid(runner::terminal_text("bad \xFF byte")));
}

TEST_CASE("redaction: every form a secret takes is masked", "[secrets]") {
  runner::Redactor r;
  REQUIRE(r.add_secret("p@ss\"w%rd\\é"));
  CHECK(r.redact("raw p@ss\"w%rd\\é") == "raw ***");
  CHECK(r.redact(R"(json "p@ss\"w%rd\\é")") == R"(json "***")");
  CHECK(r.redact("url p%40ss%22w%25rd%5C%C3%A9") == "url ***");
  r.add_basic_auth("admin", "p@ss\"w%rd\\é");
  CHECK(r.redact("Authorization: Basic YWRtaW46cEBzcyJ3JXJkXMOp") == "Authorization: Basic ***");
  runner::Redactor q;
  REQUIRE(q.add_secret("Top%2FSecret"));  // given encoded: the decoded form is masked too
  CHECK(q.redact("a Top/Secret b") == "a *** b");
}
