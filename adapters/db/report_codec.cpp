#include "adapters/db/report_codec.hpp"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "adapters/json/json_text.hpp"

namespace runner {
namespace {

// Ordered: a spool line keeps the fields, and the embedded columns' keys, as written.
using json = nlohmann::ordered_json;

// A JSON-valued column as a value (an unreadable one as its fallback, never a torn line).
json embedded(const std::string& text, const char* fallback) {
  auto v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json::parse(fallback) : v;
}

std::string encode(const BenchmarkRecord& b) {
  return json_dump_ordered(json{{"op", "start"},
                    {"id", b.id},
                    {"name", b.name},
                    {"organization_id", b.organization_id},
                    {"tenant_id", b.tenant_id},
                    {"user_id", b.user_id},
                    {"status", b.status},
                    {"started_at", b.started_at},
                    {"finished_at", b.finished_at},
                    {"options", embedded(b.options_json, "{}")},
                    {"runner_version", b.runner_version},
                    {"scenarios_commit", b.scenarios_commit},
                    {"rescored_from", b.rescored_from}});
}

std::string encode(const ScenarioReport& r) {
  json o = {{"op", "report"},
            {"benchmark_id", r.benchmark_id},
            {"scenario_key", r.scenario_key},
            {"scenario_title", r.scenario_title},
            {"tags", embedded(r.tags_json, "[]")},
            {"iteration", r.iteration},
            {"mode", r.mode},
            {"gateway", r.gateway},
            {"status", to_string(r.status)},
            {"error_kind", r.error_kind},
            {"error_message", r.error_message},
            {"rules", embedded(r.rules_json, "[]")},
            {"validate_playbook", r.validate_playbook},
            {"ticket_id", r.ticket_id},
            {"job_id", r.job_id},
            {"resolution_status", r.resolution_status},
            {"host_ids", embedded(r.host_ids_json, "[]")},
            {"agent_ids", embedded(r.agent_ids_json, "[]")},
            {"tokens", embedded(r.tokens_json, "{}")},
            {"phases", embedded(r.phases_json, "{}")},
            {"log_path", r.log_path},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"duration_ms", r.duration_ms}};
  if (r.compliance_score) o["compliance_score"] = *r.compliance_score;
  if (r.task_count) o["task_count"] = *r.task_count;
  if (!r.trajectory_json.empty()) o["trajectory"] = embedded(r.trajectory_json, "null");
  if (!r.chaos_json.empty()) o["chaos"] = embedded(r.chaos_json, "null");
  if (!r.platform_json.empty()) o["platform"] = embedded(r.platform_json, "null");
  if (!r.attempts_json.empty()) o["attempts"] = embedded(r.attempts_json, "null");
  return json_dump_ordered(o);
}

std::string encode(const BenchmarkFinish& f) {
  return json_dump_ordered(json{{"op", "finish"},
                    {"benchmark_id", f.benchmark_id},
                    {"status", f.status},
                    {"finished_at", f.finished_at},
                    {"capacity", f.capacity_json}});
}

using simdjson::dom::element;
using simdjson::dom::object;

std::string str(object o, const char* key) {
  std::string_view v;
  return o[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}
std::string raw(object o, const char* key, const char* fallback) {
  element e;
  return o[key].get(e) == simdjson::SUCCESS ? simdjson::minify(e) : std::string(fallback);
}

}  // namespace

std::string encode_op(const ReportOp& op) {
  return std::visit([](const auto& v) { return encode(v); }, op);
}

std::optional<ReportOp> decode_op(const std::string& line) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(line).get(doc) != simdjson::SUCCESS || !doc.is_object()) return std::nullopt;
  object o(doc);
  const std::string op = str(o, "op");
  if (op == "start") {
    BenchmarkRecord b;
    b.id = str(o, "id");
    b.name = str(o, "name");
    b.organization_id = str(o, "organization_id");
    b.tenant_id = str(o, "tenant_id");
    b.user_id = str(o, "user_id");
    b.status = str(o, "status");
    b.started_at = str(o, "started_at");
    b.finished_at = str(o, "finished_at");
    b.options_json = raw(o, "options", "{}");
    b.runner_version = str(o, "runner_version");
    b.scenarios_commit = str(o, "scenarios_commit");
    b.rescored_from = str(o, "rescored_from");
    return b;
  }
  if (op == "report") {
    ScenarioReport r;
    r.benchmark_id = str(o, "benchmark_id");
    r.scenario_key = str(o, "scenario_key");
    r.scenario_title = str(o, "scenario_title");
    r.tags_json = raw(o, "tags", "[]");
    int64_t it = 1;
    if (o["iteration"].get(it) != simdjson::SUCCESS) return std::nullopt;
    r.iteration = static_cast<int>(it);
    r.mode = str(o, "mode");
    r.gateway = str(o, "gateway");
    auto status = parse_iteration_status(str(o, "status"));
    if (!status) return std::nullopt;  // not a line we wrote
    r.status = *status;
    r.error_kind = str(o, "error_kind");
    r.error_message = str(o, "error_message");
    double score;
    if (o["compliance_score"].get(score) == simdjson::SUCCESS) r.compliance_score = score;
    r.rules_json = raw(o, "rules", "[]");
    r.validate_playbook = str(o, "validate_playbook");
    r.ticket_id = str(o, "ticket_id");
    r.job_id = str(o, "job_id");
    r.resolution_status = str(o, "resolution_status");
    int64_t tc;
    if (o["task_count"].get(tc) == simdjson::SUCCESS) r.task_count = static_cast<int>(tc);
    r.host_ids_json = raw(o, "host_ids", "[]");
    r.agent_ids_json = raw(o, "agent_ids", "[]");
    r.tokens_json = raw(o, "tokens", "{}");
    r.phases_json = raw(o, "phases", "{}");
    r.trajectory_json = raw(o, "trajectory", "");
    if (r.trajectory_json == "null") r.trajectory_json.clear();
    r.chaos_json = raw(o, "chaos", "");
    if (r.chaos_json == "null") r.chaos_json.clear();
    r.platform_json = raw(o, "platform", "");  // absent in lines spooled before migration 0010
    if (r.platform_json == "null") r.platform_json.clear();
    r.attempts_json = raw(o, "attempts", "");  // absent in lines spooled before migration 0011
    if (r.attempts_json == "null") r.attempts_json.clear();
    r.log_path = str(o, "log_path");
    r.started_at = str(o, "started_at");
    r.finished_at = str(o, "finished_at");
    int64_t d = 0;
    if (o["duration_ms"].get(d) != simdjson::SUCCESS) d = 0;
    r.duration_ms = d;
    if (r.benchmark_id.empty() || r.scenario_key.empty()) return std::nullopt;
    return r;
  }
  if (op == "finish") {
    BenchmarkFinish f{str(o, "benchmark_id"), str(o, "status"), str(o, "finished_at"), str(o, "capacity")};
    if (f.benchmark_id.empty()) return std::nullopt;
    return f;
  }
  return std::nullopt;
}

}  // namespace runner
