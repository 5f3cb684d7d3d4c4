#include <catch2/catch.hpp>

#include "adapters/regex/regex.hpp"

using runner::Regex;

TEST_CASE("regex: case-insensitive search semantics", "[regex]") {
  std::string err;
  auto re = Regex::compile("/etc/NGINX/", &err);
  REQUIRE(re);
  CHECK(re->search("cat /etc/nginx/nginx.conf"));
  CHECK_FALSE(re->search("cat /etc/apache2/"));
  auto words = Regex::compile("\\bdf\\b|\\bdu\\b", &err);
  REQUIRE(words);
  CHECK(words->search("sudo DU -sh /var"));
  CHECK_FALSE(words->search("dump"));
}

TEST_CASE("regex: compile errors carry message and offset", "[regex]") {
  std::string err;
  CHECK_FALSE(Regex::compile("rm (-rf", &err));
  CHECK(err.find("missing closing parenthesis") != std::string::npos);
  CHECK(err.find("offset 7") != std::string::npos);
}

TEST_CASE("regex: JavaScript-style \\u escapes and invalid UTF-8 subjects", "[regex]") {
  std::string err;
  auto re = Regex::compile("caf\\u00e9", &err);
  REQUIRE(re);
  CHECK(re->search("CAF\xc3\x89 open"));
  CHECK_FALSE(re->search("\xff\xfe garbage"));
}
