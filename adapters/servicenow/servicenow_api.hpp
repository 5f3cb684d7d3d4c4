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
  std::string state;  // numeric code as ServiceNow stores it ("6"), also when the instance answered a label
  std::string close_code, close_notes;
};

// The integration user as pre-flight finds it in sys_user.
struct ProbedUser {
  bool found = false;
  bool active = true, locked_out = false;
};

// Journal entries are read a page at a time: an instance may cap a page below what a
// client asks, so the pages are followed until one comes back empty or adds no entry
// not seen before (an instance that ignored sysparm_offset).
inline constexpr int journal_page_size = 100;

// "2501:<benchmark id>:<scenario key>:<iteration>": correlates an incident with its
// scenario-iteration, so a create that may have happened can be looked up.
std::string correlation_id(const TicketSpec& t);

// The way ServiceNow clients probe credentials: the user's own sys_user record.
HttpRequest probe(const Instance& in);
// Never retried blindly: the caller looks the correlation up before trying again.
HttpRequest create_incident(const Instance& in, const TicketSpec& t, const std::string& assignment_group,
                            const std::string& caller_id);
HttpRequest find_by_correlation(const Instance& in, const std::string& correlation);
HttpRequest read_incident(const Instance& in, const std::string& sys_id);
HttpRequest read_journal(const Instance& in, const std::string& sys_id, int offset = 0);
HttpRequest close_incident(const Instance& in, const std::string& sys_id, const std::string& note);

std::optional<IncidentRef> parse_incident_ref(const std::string& json);        // {"result": {...}}
std::optional<IncidentRef> parse_first_incident_ref(const std::string& json);  // {"result": [...]}; sys_id "" when none
// Fields are read whether the instance answers values ("6"), display values
// ("Resolved") or both ({"value": "6", "display_value": "Resolved"}).
std::optional<IncidentState> parse_incident_state(const std::string& json);
// nullopt: not a Table API list.
std::optional<ProbedUser> parse_probed_user(const std::string& json);
// One page of the journal; nullopt when the body is no list.
struct JournalEntry {
  std::string sys_id, value;
};
std::optional<std::vector<JournalEntry>> parse_journal_values(const std::string& json);
// The incident and its journal as the instance returned them, for the trajectory:
// {"incident": <result>, "journal": [<entries of every page>]} (a body that is not
// JSON is kept as its text; no pages: the journal was not read).
std::string ticket_record(const std::string& incident_body, const std::vector<std::string>& journal_pages);

// "6" -> "Resolved"; unknown codes are returned as they are.
std::string state_label(const std::string& code);
// "Resolved" (any case) -> "6"; a code or an unknown text is returned as it is.
std::string state_code(const std::string& text);
bool is_closed_state(const std::string& code);  // Resolved, Closed, Canceled

}  // namespace runner::servicenow
