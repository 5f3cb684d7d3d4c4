#include "adapters/servicenow/servicenow_api.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "adapters/http/basic_auth.hpp"
#include "adapters/http/percent_encoding.hpp"
#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"
#include "adapters/text/utf8.hpp"

namespace runner::servicenow {
namespace {

HttpRequest base(const Instance& in, const char* method, const std::string& path, const char* label) {
  HttpRequest r;
  r.method = method;
  r.url = in.base_url + path;
  r.headers = {basic_auth_header(in.username, in.password), "Accept: application/json"};
  r.label = label;
  return r;
}

// A field as a string, whatever shape the instance gave it: a value, a display value,
// or {"value", "display_value"[, "link"]} (sysparm_display_value=all, or a reference).
std::string str(simdjson::dom::object o, const char* key) {
  std::string_view v;
  if (o[key].get(v) == simdjson::SUCCESS) return std::string(v);
  simdjson::dom::object both;
  if (o[key].get(both) != simdjson::SUCCESS) return "";
  if (both["value"].get(v) == simdjson::SUCCESS) return std::string(v);
  if (both["display_value"].get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

bool truthy(const std::string& v) { return v == "true" || v == "1"; }

// Stored values, not labels, and references as plain sys_ids: what the parsers expect
// first (they also read labels and {value, display_value}, for instances that answer
// those whatever is asked).
const std::string values_only = "&sysparm_display_value=false&sysparm_exclude_reference_link=true";

}  // namespace

std::string correlation_id(const TicketSpec& t) {
  // A later attempt of `run --retries` is a new incident, never the old one adopted.
  return "2501:" + t.benchmark_id + ":" + t.scenario_key + ":" + std::to_string(t.iteration) +
         (t.attempt > 1 ? ":attempt-" + std::to_string(t.attempt) : "");
}

HttpRequest probe(const Instance& in) {
  return base(in, "GET",
              "/api/now/table/sys_user?sysparm_query=" + percent_encode("user_name=" + in.username) +
                  "&sysparm_fields=user_name,active,locked_out&sysparm_limit=1" + values_only,
              "probe ServiceNow");
}

HttpRequest create_incident(const Instance& in, const TicketSpec& t, const std::string& group,
                            const std::string& caller) {
  HttpRequest r = base(in, "POST", "/api/now/table/incident", "create incident");
  r.headers.push_back("Content-Type: application/json");
  r.retryable = false;
  r.body = json_dump({{"short_description", t.title},
                      {"description", t.body},
                      {"assignment_group", group},
                      {"caller_id", caller},
                      {"correlation_id", correlation_id(t)},
                      {"correlation_display", "2501-runner"}});
  return r;
}

HttpRequest find_by_correlation(const Instance& in, const std::string& correlation) {
  return base(in, "GET",
              "/api/now/table/incident?sysparm_query=" + percent_encode("correlation_id=" + correlation) +
                  "&sysparm_limit=1&sysparm_fields=sys_id,number,correlation_id" + values_only,
              "find incident");
}

HttpRequest read_incident(const Instance& in, const std::string& sys_id) {
  return base(in, "GET",
              "/api/now/table/incident/" + sys_id +
                  "?sysparm_fields=number,state,close_code,close_notes" + values_only,
              "read incident");
}

HttpRequest read_journal(const Instance& in, const std::string& sys_id, int offset) {
  // Ordered by time, then by sys_id (times have one-second steps), so the pages
  // neither skip nor repeat entries.
  return base(in, "GET",
              "/api/now/table/sys_journal_field?sysparm_query=" +
                  percent_encode("element_id=" + sys_id + "^elementINwork_notes,comments^ORDERBYsys_created_on^ORDERBYsys_id") +
                  "&sysparm_fields=sys_id,element,value,sys_created_on&sysparm_limit=" +
                  std::to_string(journal_page_size) + "&sysparm_offset=" + std::to_string(offset) + values_only,
              "read work notes");
}

HttpRequest close_incident(const Instance& in, const std::string& sys_id, const std::string& note) {
  HttpRequest r = base(in, "PATCH", "/api/now/table/incident/" + sys_id, "close incident");
  r.headers.push_back("Content-Type: application/json");
  r.body = json_dump({{"state", "8"}, {"close_code", "Canceled"}, {"close_notes", note}, {"work_notes", note}});
  return r;
}

std::optional<IncidentRef> parse_incident_ref(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::object result;
  if (p.parse(json)["result"].get(result) != simdjson::SUCCESS) return std::nullopt;
  IncidentRef ref{str(result, "sys_id"), str(result, "number"), str(result, "correlation_id")};
  if (ref.sys_id.empty()) return std::nullopt;
  return ref;
}

std::optional<IncidentRef> parse_first_incident_ref(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::array result;
  if (p.parse(json)["result"].get(result) != simdjson::SUCCESS) return std::nullopt;
  for (auto e : result) {
    simdjson::dom::object o;
    if (e.get(o) == simdjson::SUCCESS) return IncidentRef{str(o, "sys_id"), str(o, "number"), str(o, "correlation_id")};
  }
  return IncidentRef{};
}

std::optional<IncidentState> parse_incident_state(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::object result;
  if (p.parse(json)["result"].get(result) != simdjson::SUCCESS) return std::nullopt;
  return IncidentState{state_code(str(result, "state")), str(result, "close_code"), str(result, "close_notes")};
}

std::optional<ProbedUser> parse_probed_user(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::array result;
  if (p.parse(json)["result"].get(result) != simdjson::SUCCESS) return std::nullopt;
  ProbedUser user;
  for (auto e : result) {
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) continue;
    user.found = true;
    const std::string active = str(o, "active"), locked = str(o, "locked_out");
    user.active = active.empty() || truthy(active);  // a field the user may not read counts as fine
    user.locked_out = truthy(locked);
    break;
  }
  return user;
}

std::optional<std::vector<JournalEntry>> parse_journal_values(const std::string& json) {
  std::vector<JournalEntry> out;
  simdjson::dom::parser p;
  simdjson::dom::array result;
  if (p.parse(json)["result"].get(result) != simdjson::SUCCESS) return std::nullopt;
  for (auto e : result) {
    simdjson::dom::object o;
    if (e.get(o) == simdjson::SUCCESS) out.push_back({str(o, "sys_id"), str(o, "value")});
  }
  return out;
}

std::string state_label(const std::string& code) {
  static const std::pair<const char*, const char*> names[] = {{"1", "New"},     {"2", "In Progress"},
                                                              {"3", "On Hold"}, {"6", "Resolved"},
                                                              {"7", "Closed"},  {"8", "Canceled"}};
  for (auto [c, label] : names)
    if (code == c) return label;
  return code;
}

std::string state_code(const std::string& text) {
  for (const char* code : {"1", "2", "3", "6", "7", "8"}) {
    const std::string label = state_label(code);
    if (label.size() == text.size() &&
        std::equal(label.begin(), label.end(), text.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return code;
  }
  return text;
}

bool is_closed_state(const std::string& code) { return code == "6" || code == "7" || code == "8"; }

std::string ticket_record(const std::string& incident_body, const std::vector<std::string>& journal_pages) {
  auto result_of = [](const std::string& body) {
    auto v = nlohmann::json::parse(body, nullptr, false);
    if (v.is_discarded()) return nlohmann::json(utf8_clean(body));
    return v.is_object() && v.contains("result") ? v["result"] : v;
  };
  nlohmann::json out = {{"incident", result_of(incident_body)}};
  if (!journal_pages.empty()) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& page : journal_pages) {
      auto r = result_of(page);
      if (r.is_array())
        for (auto& e : r) entries.push_back(std::move(e));
      else
        entries.push_back(std::move(r));  // kept as the instance sent it
    }
    out["journal"] = std::move(entries);
  }
  return json_dump(out);
}

}  // namespace runner::servicenow
