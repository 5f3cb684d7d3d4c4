// The ServiceNow simulator's Table API semantics: the encoded query language and
// display values, checked against what an instance does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/servicenow_sim/table_query.hpp"
#include "app/servicenow_sim/table_schema.hpp"

using namespace runner::sim;

namespace {

std::vector<std::string> numbers_matching(const std::string& query, const std::vector<Record>& rows) {
  auto q = parse_encoded_query(query);
  std::vector<const Record*> found;
  for (const auto& r : rows)
    if (matches(q, r)) found.push_back(&r);
  sort_records(found, q.order);
  std::vector<std::string> out;
  for (const auto* r : found) out.push_back(r->at("number"));
  return out;
}

const std::vector<Record> incidents = {
    {{"number", "INC1"}, {"state", "1"}, {"short_description", "Disk full on web01"}, {"priority", "2"}, {"assignment_group", "g1"}},
    {{"number", "INC2"}, {"state", "6"}, {"short_description", "nginx down"}, {"priority", "10"}, {"assignment_group", "g2"}},
    {{"number", "INC3"}, {"state", "2"}, {"short_description", "disk slow"}, {"priority", "3"}, {"assignment_group", ""}},
};

}  // namespace

TEST_CASE("encoded query: AND, ^OR binding tighter than ^, and ^NQ", "[servicenow][query]") {
  CHECK(numbers_matching("", incidents) == std::vector<std::string>{"INC1", "INC2", "INC3"});
  CHECK(numbers_matching("state=1", incidents) == std::vector<std::string>{"INC1"});
  CHECK(numbers_matching("state!=1", incidents) == std::vector<std::string>{"INC2", "INC3"});
  // a AND (b OR c), as on an instance; (a AND b) OR c would add INC2
  CHECK(numbers_matching("short_descriptionLIKEdisk^state=1^ORstate=6", incidents) == std::vector<std::string>{"INC1"});
  CHECK(numbers_matching("state=6^ORstate=2^short_descriptionLIKEdisk", incidents) == std::vector<std::string>{"INC3"});
  CHECK(numbers_matching("state=6^NQpriority=3", incidents) == std::vector<std::string>{"INC2", "INC3"});
  CHECK(numbers_matching("stateIN1,6", incidents) == std::vector<std::string>{"INC1", "INC2"});
  CHECK(numbers_matching("stateNOT IN1,6", incidents) == std::vector<std::string>{"INC3"});
  CHECK(numbers_matching("assignment_groupISEMPTY", incidents) == std::vector<std::string>{"INC3"});
  CHECK(numbers_matching("assignment_groupISNOTEMPTY", incidents) == std::vector<std::string>{"INC1", "INC2"});
}

TEST_CASE("encoded query: LIKE, STARTSWITH and ENDSWITH ignore case, and field names are not confused with operators",
          "[servicenow][query]") {
  CHECK(numbers_matching("short_descriptionLIKEDISK", incidents) == std::vector<std::string>{"INC1", "INC3"});
  CHECK(numbers_matching("short_descriptionNOT LIKEdisk", incidents) == std::vector<std::string>{"INC2"});
  CHECK(numbers_matching("short_descriptionSTARTSWITHnginx", incidents) == std::vector<std::string>{"INC2"});
  CHECK(numbers_matching("short_descriptionENDSWITHWEB01", incidents) == std::vector<std::string>{"INC1"});
  // "elementINwork_notes,comments": the field is `element`, the operator IN
  auto q = parse_encoded_query("element_id=abc^elementINwork_notes,comments");
  REQUIRE(q.queries.size() == 1);
  REQUIRE(q.queries[0].size() == 2);
  CHECK(q.queries[0][1][0].field == "element");
  CHECK(q.queries[0][1][0].op == "IN");
  CHECK(q.queries[0][1][0].value == "work_notes,comments");
  // A value may hold '=' and, doubled, '^'.
  auto v = parse_encoded_query("correlation_id=2501:a=b^^c");
  CHECK(v.queries[0][0][0].value == "2501:a=b^c");
}

TEST_CASE("encoded query: a condition an instance cannot read is left out, the rest applies", "[servicenow][query]") {
  // No operator, no field name, or a field the table does not have.
  auto is_field = [](const std::string& f) { return f != "nosuch"; };
  auto q = parse_encoded_query("stateXX1^=1^nosuch=x^state=1", is_field);
  CHECK(q.ignored == std::vector<std::string>{"stateXX1", "=1", "nosuch=x"});
  REQUIRE(q.queries[0].size() == 1);
  std::vector<std::string> found;
  for (const auto& r : incidents)
    if (matches(q, r)) found.push_back(r.at("number"));
  CHECK(found == std::vector<std::string>{"INC1"});
  // Nothing left: every record.
  CHECK(numbers_matching("stateXX1", incidents) == std::vector<std::string>{"INC1", "INC2", "INC3"});
}

TEST_CASE("encoded query: ordering is total when numbers and text mix", "[servicenow][query]") {
  const std::vector<Record> mixed = {{{"number", "a"}, {"v", "10"}}, {{"number", "b"}, {"v", "1a"}},
                                     {{"number", "c"}, {"v", "9"}},  {{"number", "d"}, {"v", "nan"}},
                                     {{"number", "e"}, {"v", "-2.5"}}};
  CHECK(numbers_matching("ORDERBYv", mixed) == std::vector<std::string>{"e", "c", "a", "b", "d"});
  CHECK(numbers_matching("ORDERBYDESCv", mixed) == std::vector<std::string>{"d", "b", "a", "c", "e"});
}

TEST_CASE("encoded query: ORDERBY and ORDERBYDESC, numbers as numbers, comparisons", "[servicenow][query]") {
  CHECK(numbers_matching("ORDERBYpriority", incidents) == std::vector<std::string>{"INC1", "INC3", "INC2"});
  CHECK(numbers_matching("ORDERBYDESCpriority", incidents) == std::vector<std::string>{"INC2", "INC3", "INC1"});
  CHECK(numbers_matching("priority>2^ORDERBYnumber", incidents) == std::vector<std::string>{"INC2", "INC3"});
  CHECK(numbers_matching("priority<=3^ORDERBYDESCnumber", incidents) == std::vector<std::string>{"INC3", "INC1"});
  CHECK(numbers_matching("state=1^EQ", incidents) == std::vector<std::string>{"INC1"});
}

TEST_CASE("display values: labels, reference objects and links, all, and write-only passwords", "[servicenow][display]") {
  const TableSchema* incident = find_table("incident");
  REQUIRE(incident);
  Record r = {{"number", "INC0010001"}, {"state", "6"}, {"caller_id", "u1"}, {"close_notes", "fixed"}, {"work_notes", ""}};
  RecordView view;
  view.base_url = "http://sn";
  view.display_of = [](const std::string& table, const std::string& id) { return table == "sys_user" && id == "u1" ? "Ada Admin" : ""; };

  auto values = record_json(*incident, r, view);
  CHECK(values["state"] == "6");
  CHECK(values["caller_id"] == nlohmann::json{{"link", "http://sn/api/now/table/sys_user/u1"}, {"value", "u1"}});

  view.mode = DisplayMode::display;
  auto labels = record_json(*incident, r, view);
  CHECK(labels["state"] == "Resolved");
  CHECK(labels["caller_id"] == nlohmann::json{{"display_value", "Ada Admin"}, {"link", "http://sn/api/now/table/sys_user/u1"}});
  view.exclude_reference_link = true;
  CHECK(record_json(*incident, r, view)["caller_id"] == "Ada Admin");

  view.mode = DisplayMode::all;
  view.fields = {"state", "close_notes", "nope"};
  auto both = record_json(*incident, r, view);
  CHECK(both.size() == 2);  // a field the record does not have is left out
  CHECK(both["state"] == nlohmann::json{{"display_value", "Resolved"}, {"value", "6"}});
  CHECK(both["close_notes"] == nlohmann::json{{"display_value", "fixed"}, {"value", "fixed"}});

  const TableSchema* user = find_table("sys_user");
  REQUIRE(user);
  RecordView plain;
  auto u = record_json(*user, {{"user_name", "runner"}, {"user_password", "s3cret-XYZ"}}, plain);
  CHECK(u.contains("user_name"));
  CHECK_FALSE(u.contains("user_password"));

  CHECK(parse_display_mode("") == DisplayMode::value);
  CHECK(parse_display_mode("false") == DisplayMode::value);
  CHECK(parse_display_mode("true") == DisplayMode::display);
  CHECK(parse_display_mode("all") == DisplayMode::all);
  CHECK_FALSE(parse_display_mode("yes"));
  CHECK(find_table("cmdb_ci") == nullptr);
}

TEST_CASE("input display values: labels become values, display values become sys_ids", "[servicenow][display]") {
  const TableSchema* incident = find_table("incident");
  REQUIRE(incident);
  auto finder = [](const std::string& table, const std::string& text) {
    return table == "sys_user" && text == "Ada Admin" ? std::string("u1") : std::string();
  };
  CHECK(stored_value(incident->spec("state"), "Resolved", true, finder) == "6");
  CHECK(stored_value(incident->spec("state"), "resolved", true, finder) == "6");
  CHECK(stored_value(incident->spec("state"), "Resolved", false, finder) == "Resolved");  // stored as written
  CHECK(stored_value(incident->spec("state"), "6", true, finder) == "6");
  CHECK(stored_value(incident->spec("caller_id"), "Ada Admin", true, finder) == "u1");
  CHECK(stored_value(incident->spec("caller_id"), "u9", true, finder) == "u9");
  CHECK(stored_value(incident->spec("active"), "1", false, finder) == "true");
  CHECK(stored_value(incident->spec("close_notes"), "Resolved", true, finder) == "Resolved");
}
