#pragma once
// The ServiceNow Table API as 2501-runner uses it (docs/servicenow.md): request
// builders and parsers. No I/O here.
#include <optional>
#include <string>
#include <vector>

#include "messages/engine.hpp"
#include "messages/http.hpp"

namespace runner::servicenow {

struct Instance {
  std::string base_url;  // SERVICENOW_API_URL
  std::string username, password;
};

struct IncidentRef {
  std::string sys_id, number;
  std::string correlation_id;
};

struct IncidentState {
  std::string state;  // numeric code as ServiceNow stores it ("6")
  std::string close_code, close_notes;
};

// "2501:<benchmark id>:<scenario key>:<iteration>": correlates an incident with its
// scenario-iteration, so a create that may have happened can be looked up.
std::string correlation_id(const TicketSpec& t);

HttpRequest probe(const Instance& in);
// Never retried blindly: the caller looks the correlation up before trying again.
HttpRequest create_incident(const Instance& in, const TicketSpec& t, const std::string& assignment_group,
                            const std::string& caller_id);
HttpRequest find_by_correlation(const Instance& in, const std::string& correlation);
HttpRequest read_incident(const Instance& in, const std::string& sys_id);
HttpRequest read_journal(const Instance& in, const std::string& sys_id);
HttpRequest close_incident(const Instance& in, const std::string& sys_id, const std::string& note);

std::optional<IncidentRef> parse_incident_ref(const std::string& json);        // {"result": {...}}
std::optional<IncidentRef> parse_first_incident_ref(const std::string& json);  // {"result": [...]}; sys_id "" when none
std::optional<IncidentState> parse_incident_state(const std::string& json);
std::vector<std::string> parse_journal_values(const std::string& json);
// The incident and its journal as the instance returned them, for the trajectory:
// {"incident": <result>, "journal": [<result>...]} (a body that is not JSON is kept
// as its text; "" journal: not read).
std::string ticket_record(const std::string& incident_body, const std::string& journal_body);

// "6" -> "Resolved"; unknown codes are returned as they are.
std::string state_label(const std::string& code);
bool is_closed_state(const std::string& code);  // Resolved, Closed, Canceled

}  // namespace runner::servicenow
