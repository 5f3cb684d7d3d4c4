// The runner's ServiceNow client reads what an instance answers in any of its shapes:
// stored values, display values (labels), or {value, display_value}; journal pages.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/servicenow/servicenow_api.hpp"

using namespace runner::servicenow;

TEST_CASE("servicenow client: the incident's state as a value, a label or both", "[servicenow][client]") {
  auto state_of = [](const std::string& body) {
    auto s = parse_incident_state(body);
    REQUIRE(s);
    return s->state;
  };
  CHECK(state_of(R"({"result": {"state": "6", "close_notes": "done"}})") == "6");
  CHECK(state_of(R"({"result": {"state": "Resolved"}})") == "6");
  CHECK(state_of(R"({"result": {"state": "in progress"}})") == "2");
  CHECK(state_of(R"({"result": {"state": {"display_value": "Resolved", "value": "6"}}})") == "6");
  CHECK(state_of(R"({"result": {"state": {"display_value": "Closed"}}})") == "7");
  CHECK(state_of(R"({"result": {"state": "Résolu"}})") == "Résolu");  // a label it does not know stays as it is
  auto both = parse_incident_state(R"({"result": {"state": "6", "close_notes": {"display_value": "fixed", "value": "fixed"}}})");
  REQUIRE(both);
  CHECK(both->close_notes == "fixed");
  CHECK(is_closed_state(state_of(R"({"result": {"state": "Canceled"}})")));
  CHECK_FALSE(parse_incident_state("[]"));
  CHECK(state_code("On Hold") == "3");
  CHECK(state_code("6") == "6");
}

TEST_CASE("servicenow client: references and numbers in any shape", "[servicenow][client]") {
  auto ref = parse_incident_ref(
      R"({"result": {"sys_id": {"value": "abc", "link": "https://x/api/now/table/incident/abc"}, "number": "INC0010001", "correlation_id": "2501:b:k:1"}})");
  REQUIRE(ref);
  CHECK(ref->sys_id == "abc");
  CHECK(ref->number == "INC0010001");
  auto first = parse_first_incident_ref(R"({"result": [{"sys_id": {"display_value": "abc", "value": "abc"}, "number": "INC1"}]})");
  REQUIRE(first);
  CHECK(first->sys_id == "abc");
}

TEST_CASE("servicenow client: the credentials probe's user", "[servicenow][client]") {
  auto u = parse_probed_user(R"({"result": [{"user_name": "runner", "active": "true", "locked_out": "false"}]})");
  REQUIRE(u);
  CHECK(u->found);
  CHECK(u->active);
  CHECK_FALSE(u->locked_out);
  auto locked = parse_probed_user(R"({"result": [{"user_name": "x", "active": {"display_value": "true", "value": "true"}, "locked_out": "true"}]})");
  REQUIRE(locked);
  CHECK(locked->locked_out);
  auto off = parse_probed_user(R"({"result": [{"user_name": "x", "active": "false"}]})");
  REQUIRE(off);
  CHECK_FALSE(off->active);
  auto none = parse_probed_user(R"({"result": []})");
  REQUIRE(none);
  CHECK_FALSE(none->found);
  CHECK_FALSE(parse_probed_user("<html>login</html>"));
}

TEST_CASE("servicenow client: journal pages and the trajectory's record", "[servicenow][client]") {
  auto page = parse_journal_values(R"({"result": [{"sys_id": "j1", "value": "picked up"}, {"sys_id": "j2", "value": {"display_value": "fixed", "value": "fixed"}}]})");
  REQUIRE(page);
  REQUIRE(page->size() == 2);
  CHECK((*page)[0].sys_id == "j1");
  CHECK((*page)[1].value == "fixed");
  CHECK_FALSE(parse_journal_values(R"({"error": {"message": "x"}, "status": "failure"})"));
  auto rec = nlohmann::json::parse(ticket_record(R"({"result": {"number": "INC1"}})",
                                                 {R"({"result": [{"value": "a"}]})", R"({"result": [{"value": "b"}]})",
                                                  R"({"result": []})"}));
  CHECK(rec["incident"]["number"] == "INC1");
  REQUIRE(rec["journal"].size() == 2);
  CHECK(rec["journal"][1]["value"] == "b");
  CHECK_FALSE(nlohmann::json::parse(ticket_record(R"({"result": {}})", {})).contains("journal"));
}
