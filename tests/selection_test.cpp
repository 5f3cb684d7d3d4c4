#include <catch2/catch.hpp>

#include "adapters/scenarios/selection.hpp"

using namespace runner;

namespace {
Catalog make_catalog() {
  Catalog c;
  auto add = [&](std::string key, std::vector<std::string> tags) {
    Scenario s;
    s.key = std::move(key);
    s.tags = std::move(tags);
    c.scenarios.push_back(std::move(s));
  };
  add("disk-full-var-log", {"disk", "smoke"});
  add("nginx-broken-config", {"nginx", "smoke"});
  add("nginx-port-conflict", {"nginx"});
  add("postgres-down", {"db"});
  c.broken.push_back({"broken-one", {"db"}, "/x/broken/scenario.json"});
  return c;
}
std::vector<std::string> keys(const Selection& s) {
  std::vector<std::string> out;
  for (auto* p : s.scenarios) out.push_back(p->key);
  return out;
}
}  // namespace

TEST_CASE("selection: keys, tags and globs make a sorted, de-duplicated union", "[selection]") {
  Catalog c = make_catalog();
  auto s = select_scenarios(c, split_selection("smoke, nginx-port-conflict,nginx"));
  CHECK(s.errors.empty());
  CHECK(keys(s) == std::vector<std::string>{"disk-full-var-log", "nginx-broken-config", "nginx-port-conflict"});
  CHECK(keys(select_scenarios(c, {"nginx-*"})) == std::vector<std::string>{"nginx-broken-config", "nginx-port-conflict"});
  CHECK(keys(select_scenarios(c, {"*-down"})) == std::vector<std::string>{"postgres-down"});
}

TEST_CASE("selection: an unmatched item is an error with suggestions", "[selection]") {
  Catalog c = make_catalog();
  auto s = select_scenarios(c, {"ngnix", "smoke"});
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0] == "-s: 'ngnix' matches no scenario key or tag (did you mean 'nginx'?)");
  auto g = select_scenarios(c, {"redis-*"});
  REQUIRE(g.errors.size() == 1);
  CHECK(g.errors[0] == "-s: 'redis-*' matches no scenario key or tag");
}

TEST_CASE("selection: selecting a broken scenario is an error", "[selection]") {
  Catalog c = make_catalog();
  auto s = select_scenarios(c, {"db"});
  CHECK(keys(s) == std::vector<std::string>{"postgres-down"});
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].find("'broken-one'") != std::string::npos);
  CHECK(select_scenarios(c, {"nginx"}).errors.empty());
}

TEST_CASE("selection: split trims and drops empty items", "[selection]") {
  CHECK(split_selection(" a, b ,,c,") == std::vector<std::string>{"a", "b", "c"});
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("selection: --exclude leaves out keys, tags and globs, --limit keeps the first N", "[selection]") {
  Catalog c = make_catalog();
  auto s = select_scenarios(c, split_selection("smoke,nginx,postgres-down"));
  REQUIRE(s.errors.empty());
  CHECK(narrow_selection(s, c, {"nginx-b*", "db"}, std::nullopt).empty());
  CHECK(keys(s) == std::vector<std::string>{"disk-full-var-log", "nginx-port-conflict"});
  CHECK(narrow_selection(s, c, {}, 1).empty());
  CHECK(keys(s) == std::vector<std::string>{"disk-full-var-log"});
  // A typo is an error with suggestions; excluding everything leaves nothing to run.
  auto t = select_scenarios(c, {"nginx"});
  CHECK(narrow_selection(t, c, {"ngnix"}, std::nullopt).find("--exclude: 'ngnix' matches no scenario key or tag") == 0);
  CHECK(narrow_selection(t, c, {"nginx"}, std::nullopt) == "nothing to run: --exclude left out every selected scenario");
}

TEST_CASE("selection: --exclude leaves out a scenario with definition errors instead of failing on it", "[selection]") {
  Catalog c = make_catalog();
  CHECK_FALSE(select_scenarios(c, {"db"}).errors.empty());  // broken-one is tagged db
  auto s = select_scenarios(c, {"db"}, {"broken-one"});
  CHECK(s.errors.empty());
  CHECK(keys(s) == std::vector<std::string>{"postgres-down"});
  CHECK(narrow_selection(s, c, {"broken-one"}, std::nullopt).empty());
  CHECK(keys(s) == std::vector<std::string>{"postgres-down"});
}
