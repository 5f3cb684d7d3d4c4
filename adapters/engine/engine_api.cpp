#include "adapters/engine/engine_api.hpp"

#include "adapters/text/utf8.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include <ctime>

#include "adapters/json/json_text.hpp"

namespace runner::engine_api {
namespace {

HttpRequest base_request(const Endpoint& ep, const char* method, const std::string& path, const char* label) {
  HttpRequest r;
  r.method = method;
  r.url = ep.base_url + path;
  r.headers = {"Authorization: Bearer " + ep.api_key, "Accept: application/json"};
  r.label = label;
  return r;
}

using simdjson::dom::element;
using simdjson::dom::object;

std::string str(object o, const char* key) {
  std::string_view v;
  return o[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}

std::int64_t integer(object o, const char* key) {
  int64_t v = 0;
  return o[key].get(v) == simdjson::SUCCESS ? v : 0;
}

// A token count: absent is 0; anything but an integer in [0, max_token_count] is
// named in `invalid` (and counts 0), never silently stored as 0.
std::int64_t token_count(object o, const char* key, std::vector<std::string>& invalid) {
  element e;
  if (o[key].get(e) != simdjson::SUCCESS || e.is_null()) return 0;
  int64_t v = 0;
  if (e.get(v) == simdjson::SUCCESS && v >= 0 && v <= max_token_count) return v;
  invalid.push_back(std::string(key) + ": " + utf8_truncate(simdjson::minify(e), 40));
  return 0;
}

std::vector<std::string> str_list(object o, const char* key) {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  if (o[key].get(arr) != simdjson::SUCCESS) return out;
  for (element e : arr) {
    std::string_view v;
    if (e.get(v) == simdjson::SUCCESS) out.emplace_back(v);
  }
  return out;
}

std::optional<object> parse_object(simdjson::dom::parser& parser, const std::string& json) {
  element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS) return std::nullopt;
  object o;
  if (doc.get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}


}  // namespace

HttpRequest whoami(const Endpoint& ep) { return base_request(ep, "GET", "/api/v1/whoami", "whoami"); }

HttpRequest create_ticket(const Endpoint& ep, const TicketSpec& s, const std::string& idempotency_key) {
  HttpRequest r = base_request(ep, "POST", "/api/v1/gateways/runner/tickets", "create ticket");
  r.headers.push_back("Content-Type: application/json");
  r.headers.push_back("Idempotency-Key: " + idempotency_key);
  nlohmann::json body = {
      {"title", s.title},
      {"body", s.body},
      {"organization_id", s.organization_id},
      {"tenant_id", s.tenant_id},
      {"user_id", s.user_id},
      {"agent_ids", s.agent_ids},
      {"host_ids", s.host_ids},
      {"metadata", {{"benchmark_id", s.benchmark_id}, {"scenario_key", s.scenario_key}, {"iteration", s.iteration}}},
  };
  if (!s.llm_model.empty()) body["llm_model"] = s.llm_model;
  if (!s.multimodal_llm_model.empty()) body["multimodal_llm_model"] = s.multimodal_llm_model;
  r.body = json_dump(body);
  return r;
}

HttpRequest get_ticket(const Endpoint& ep, const std::string& id) {
  return base_request(ep, "GET", "/api/v1/tickets/" + id, "read ticket");
}
HttpRequest get_job(const Endpoint& ep, const std::string& id) {
  return base_request(ep, "GET", "/api/v1/jobs/" + id, "read job");
}
HttpRequest cancel_job(const Endpoint& ep, const std::string& id) {
  HttpRequest r = base_request(ep, "POST", "/api/v1/jobs/" + id + "/cancel", "cancel job");
  r.headers.push_back("Content-Type: application/json");
  r.body = "{}";  // cancelling twice is harmless: the request is idempotent
  return r;
}
HttpRequest flush_agent(const Endpoint& ep, const std::string& id) {
  HttpRequest r = base_request(ep, "POST", "/api/v1/agents/" + id + "/flush", "flush agent");
  r.headers.push_back("Content-Type: application/json");
  r.body = "{}";  // flushing twice archives nothing the second time: idempotent
  return r;
}
HttpRequest kill_engine(const Endpoint& ep, const std::string& kill_url) {
  HttpRequest r = base_request(ep, "POST", "/api/v1/admin/restart", "kill engine");
  if (!kill_url.empty()) {
    r.url = kill_url;
    if (kill_url.rfind(ep.base_url + "/", 0) != 0) r.headers = {"Accept: application/json"};  // not the engine: no key
  }
  r.headers.push_back("Content-Type: application/json");
  r.body = "{}";
  r.retryable = false;
  r.max_attempts = 1;
  return r;
}
HttpRequest find_job_by_incident(const Endpoint& ep, const std::string& number) {
  return base_request(ep, "GET", "/api/v1/jobs?servicenow_incident=" + number, "find job");
}

std::string normalize_base_url(std::string url) {
  auto strip_slashes = [&] {
    while (!url.empty() && url.back() == '/') url.pop_back();
  };
  strip_slashes();
  static const std::string prefix = "/api/v1";
  if (url.size() > prefix.size() && url.compare(url.size() - prefix.size(), prefix.size(), prefix) == 0) {
    url.resize(url.size() - prefix.size());
    strip_slashes();
  }
  return url;
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string fill_schedule_time(const std::string& body, std::chrono::system_clock::time_point at) {
  static const std::string placeholder = "{{schedule_time}}";
  const std::string when = iso8601(at + std::chrono::minutes(5));
  std::string out = body;
  for (auto pos = out.find(placeholder); pos != std::string::npos; pos = out.find(placeholder, pos + when.size()))
    out.replace(pos, placeholder.size(), when);
  return out;
}

std::optional<std::string> parse_created_ticket_id(const std::string& json) {
  simdjson::dom::parser p;
  auto o = parse_object(p, json);
  if (!o) return std::nullopt;
  std::string id = str(*o, "id");
  if (id.empty()) return std::nullopt;
  return id;
}

std::optional<std::string> parse_ticket_job_id(const std::string& json) {
  simdjson::dom::parser p;
  auto o = parse_object(p, json);
  if (!o) return std::nullopt;
  return str(*o, "job_id");  // null or absent: no job yet
}

std::optional<std::string> parse_first_job_id(const std::string& json) {
  simdjson::dom::parser p;
  auto o = parse_object(p, json);
  if (!o) return std::nullopt;
  simdjson::dom::array jobs;
  if ((*o)["jobs"].get(jobs) != simdjson::SUCCESS) return std::nullopt;
  for (element j : jobs) {
    object jo;
    if (j.get(jo) == simdjson::SUCCESS) return str(jo, "id");
  }
  return std::string();
}

std::optional<JobSnapshot> parse_job(const std::string& json) {
  simdjson::dom::parser p;
  auto o = parse_object(p, json);
  if (!o) return std::nullopt;
  JobSnapshot j;
  j.id = str(*o, "id");
  j.ticket_id = str(*o, "ticket_id");
  j.status = str(*o, "status");
  if (j.id.empty() || j.status.empty()) return std::nullopt;
  j.resolution_status = str(*o, "resolution_status");
  j.resolution = str(*o, "resolution");
  j.plan = str(*o, "plan");
  object usage;
  if ((*o)["usage"].get(usage) == simdjson::SUCCESS) {
    j.tokens.prompt = token_count(usage, "prompt_tokens", j.tokens.invalid);
    j.tokens.completion = token_count(usage, "completion_tokens", j.tokens.invalid);
    j.tokens.total = token_count(usage, "total_tokens", j.tokens.invalid);
  }
  simdjson::dom::array tasks;
  if ((*o)["tasks"].get(tasks) == simdjson::SUCCESS) {
    for (element te : tasks) {
      object t;
      if (te.get(t) != simdjson::SUCCESS) continue;
      TaskSnapshot ts;
      ts.id = str(t, "id");
      ts.agent_id = str(t, "agent_id");
      ts.host_id = str(t, "host_id");
      ts.status = str(t, "status");
      ts.description = str(t, "description");
      ts.plan = str(t, "plan");
      ts.summary = str(t, "summary");
      ts.executed_commands = str_list(t, "executed_commands");
      ts.agent_messages = str_list(t, "agent_messages");
      ts.operational_rules = str_list(t, "operational_rules");
      j.tasks.push_back(std::move(ts));
    }
  }
  return j;
}

std::string job_json(const JobSnapshot& j) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& t : j.tasks)
    tasks.push_back({{"id", t.id},
                     {"agent_id", t.agent_id},
                     {"host_id", t.host_id},
                     {"status", t.status},
                     {"description", t.description},
                     {"plan", t.plan},
                     {"summary", t.summary},
                     {"executed_commands", t.executed_commands},
                     {"agent_messages", t.agent_messages},
                     {"operational_rules", t.operational_rules}});
  nlohmann::json job = {
      {"id", j.id},
      {"ticket_id", j.ticket_id},
      {"status", j.status},
      {"resolution_status", j.resolution_status.empty() ? nlohmann::json(nullptr) : nlohmann::json(j.resolution_status)},
      {"resolution", j.resolution},
      {"plan", j.plan},
      {"usage",
       {{"prompt_tokens", j.tokens.prompt}, {"completion_tokens", j.tokens.completion}, {"total_tokens", j.tokens.total}}},
      {"tasks", std::move(tasks)}};
  return json_dump(job);
}

std::optional<TicketSpec> parse_ticket_spec(const std::string& json) {
  simdjson::dom::parser p;
  auto o = parse_object(p, json);
  if (!o) return std::nullopt;
  TicketSpec s;
  s.title = str(*o, "title");
  s.body = str(*o, "body");
  s.organization_id = str(*o, "organization_id");
  s.tenant_id = str(*o, "tenant_id");
  s.user_id = str(*o, "user_id");
  s.agent_ids = str_list(*o, "agent_ids");
  s.host_ids = str_list(*o, "host_ids");
  s.llm_model = str(*o, "llm_model");
  s.multimodal_llm_model = str(*o, "multimodal_llm_model");
  object meta;
  if ((*o)["metadata"].get(meta) == simdjson::SUCCESS) {
    s.benchmark_id = str(meta, "benchmark_id");
    s.scenario_key = str(meta, "scenario_key");
    s.iteration = static_cast<int>(integer(meta, "iteration"));
  }
  if (s.title.empty() || s.scenario_key.empty()) return std::nullopt;
  return s;
}

}  // namespace runner::engine_api
