#include <catch2/catch.hpp>

#include "adapters/env/env_file.hpp"
#include "tests/support/temp_dir.hpp"

using runner::EnvFileError;
using runner::parse_env_text;

TEST_CASE("env file: plain, export, comments and blank lines", "[env]") {
  auto env = parse_env_text("# comment\n\nA=1\nexport B=two words\n  C = spaced  \nD=x # trailing comment\nE=\n",
                            "f.env");
  CHECK(env.at("A") == "1");
  CHECK(env.at("B") == "two words");
  CHECK(env.at("C") == "spaced");
  CHECK(env.at("D") == "x");
  CHECK(env.at("E").empty());
  CHECK(env.size() == 5);
}

TEST_CASE("env file: single quotes are literal, double quotes take escapes", "[env]") {
  auto env = parse_env_text(R"(S='a\nb $HOME "q"'
D="line1\nline2 \"quoted\" back\\slash"
H="#not a comment" # comment
U=$HOME/x
)",
                            "f.env");
  CHECK(env.at("S") == R"(a\nb $HOME "q")");
  CHECK(env.at("D") == "line1\nline2 \"quoted\" back\\slash");
  CHECK(env.at("H") == "#not a comment");
  CHECK(env.at("U") == "$HOME/x");  // no shell expansion
}

TEST_CASE("env file: malformed lines name file and line", "[env]") {
  auto message_of = [](const std::string& text) {
    try {
      parse_env_text(text, "conf/env.runner");
    } catch (const EnvFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message_of("A=1\nnot a pair\n") == "conf/env.runner:2: expected KEY=VALUE");
  CHECK(message_of("A=1\n\nB=\"open\n") == "conf/env.runner:3: unterminated double quote");
  CHECK(message_of("1A=x\n") == "conf/env.runner:1: invalid variable name '1A'");
  CHECK(message_of("A='x' y\n") == "conf/env.runner:1: unexpected text after closing quote");
  CHECK(message_of("A=it's\n") == "conf/env.runner:1: quote inside an unquoted value (quote the whole value)");
}

TEST_CASE("env file: unreadable file is an error naming it", "[env]") {
  REQUIRE_THROWS_WITH(runner::parse_env_file("/nonexistent/env"), "/nonexistent/env: cannot read env file");
}

TEST_CASE("env file: a byte-order mark is not part of the first key, a folder is named as one", "[env]") {
  auto m = runner::parse_env_text("\xEF\xBB\xBFORG_ID=abc\nB=2\n", "f");
  CHECK(m.at("ORG_ID") == "abc");
  test::TempDir dir;
  CHECK_THROWS_WITH(runner::parse_env_file(dir.str()), dir.str() + ": is a folder, not an env file");
}
