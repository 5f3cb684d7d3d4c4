#include "adapters/db/report_codec.hpp"

#include <simdjson.h>

#include "adapters/json/json_text.hpp"

namespace runner {
namespace {

struct Writer {
  std::string out = "{";
  void raw(const char* key, const std::string& json) {
    if (out.size() > 1) out += ',';
    out += json_quote(key) + ":" + json;
  }
  void str(const char* key, const std::string& v) { raw(key, json_quote(v)); }
  template <class N>
  void num(const char* key, N v) { raw(key, std::to_string(v)); }
  std::string done() { return out + "}"; }
};

std::string encode(const BenchmarkRecord& b) {
  Writer w;
  w.str("op", "start");
  w.str("id", b.id);
  w.str("organization_id", b.organization_id);
  w.str("tenant_id", b.tenant_id);
  w.str("user_id", b.user_id);
  w.str("status", b.status);
  w.str("started_at", b.started_at);
  w.str("finished_at", b.finished_at);
  w.raw("options", b.options_json);
  w.str("runner_version", b.runner_version);
  w.str("scenarios_commit", b.scenarios_commit);
  return w.done();
}

std::string encode(const ScenarioReport& r) {
  Writer w;
  w.str("op", "report");
  w.str("benchmark_id", r.benchmark_id);
  w.str("scenario_key", r.scenario_key);
  w.str("scenario_title", r.scenario_title);
  w.raw("tags", r.tags_json);
  w.num("iteration", r.iteration);
  w.str("mode", r.mode);
  w.str("gateway", r.gateway);
  w.str("status", r.status);
  w.str("error_kind", r.error_kind);
  w.str("error_message", r.error_message);
  if (r.compliance_score) w.raw("compliance_score", json_number(*r.compliance_score));
  w.raw("rules", r.rules_json);
  w.str("validate_playbook", r.validate_playbook);
  w.str("ticket_id", r.ticket_id);
  w.str("job_id", r.job_id);
  w.str("resolution_status", r.resolution_status);
  if (r.task_count) w.num("task_count", *r.task_count);
  w.raw("host_ids", r.host_ids_json);
  w.raw("agent_ids", r.agent_ids_json);
  w.raw("tokens", r.tokens_json);
  w.raw("phases", r.phases_json);
  w.str("log_path", r.log_path);
  w.str("started_at", r.started_at);
  w.str("finished_at", r.finished_at);
  w.num("duration_ms", r.duration_ms);
  return w.done();
}

std::string encode(const BenchmarkFinish& f) {
  Writer w;
  w.str("op", "finish");
  w.str("benchmark_id", f.benchmark_id);
  w.str("status", f.status);
  w.str("finished_at", f.finished_at);
  w.str("capacity", f.capacity_json);
  return w.done();
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
    b.organization_id = str(o, "organization_id");
    b.tenant_id = str(o, "tenant_id");
    b.user_id = str(o, "user_id");
    b.status = str(o, "status");
    b.started_at = str(o, "started_at");
    b.finished_at = str(o, "finished_at");
    b.options_json = raw(o, "options", "{}");
    b.runner_version = str(o, "runner_version");
    b.scenarios_commit = str(o, "scenarios_commit");
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
    r.status = str(o, "status");
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
