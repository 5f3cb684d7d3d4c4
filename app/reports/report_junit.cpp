// JUnit XML through libxml2's writer (escaping is the library's). The elements and
// attributes are those CI systems read (Jenkins, GitLab, GitHub test reporters);
// tests/junit/junit.xsd describes them and the tests validate against it.
#include <libxml/xmlwriter.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "adapters/text/utf8.hpp"
#include "app/reports/report_formats.hpp"
#include "core/phase_log.hpp"
#include "core/result_stats.hpp"

namespace runner {
namespace {

// XML 1.0 allows neither most control characters nor U+FFFE/U+FFFF, even escaped:
// each becomes U+FFFD, after invalid UTF-8 did.
std::string xml_text(const std::string& raw) {
  const std::string s = utf8_clean(raw);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += "\xEF\xBF\xBD";
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

class Writer {
 public:
  Writer() : buf_(xmlBufferCreate()), w_(buf_ ? xmlNewTextWriterMemory(buf_, 0) : nullptr) {
    if (!w_) throw std::runtime_error("junit: libxml2 could not create a writer");
    xmlTextWriterSetIndent(w_, 1);
    xmlTextWriterSetIndentString(w_, X("  "));
    check(xmlTextWriterStartDocument(w_, nullptr, "UTF-8", nullptr));
  }
  ~Writer() {
    if (w_) xmlFreeTextWriter(w_);
    if (buf_) xmlBufferFree(buf_);
  }
  void start(const char* element) { check(xmlTextWriterStartElement(w_, X(element))); }
  void end() { check(xmlTextWriterEndElement(w_)); }
  void attr(const char* name, const std::string& value) {
    check(xmlTextWriterWriteAttribute(w_, X(name), X(xml_text(value).c_str())));
  }
  void text(const std::string& value) { check(xmlTextWriterWriteString(w_, X(xml_text(value).c_str()))); }
  std::string finish() {
    check(xmlTextWriterEndDocument(w_));
    xmlFreeTextWriter(w_);  // flushes into the buffer
    w_ = nullptr;
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buf_)), xmlBufferLength(buf_));
  }

 private:
  static void check(int rc) {
    if (rc < 0) throw std::runtime_error("junit: libxml2 could not write the document");
  }
  xmlBufferPtr buf_;
  xmlTextWriterPtr w_;
};

std::string seconds(std::int64_t ms) { return fmt::format("{:.3f}", ms / 1000.0); }

// "label [scope]: detail" for each failed required rule (optional ones do not fail).
std::vector<std::string> failed_rules(const ScenarioReport& r) {
  std::vector<std::string> out;
  auto rules = nlohmann::json::parse(r.rules_json, nullptr, false);
  if (!rules.is_array()) return out;
  for (const auto& rule : rules) {
    if (!rule.is_object() || rule.value("outcome", "") != "failed" || !rule.value("required", true)) continue;
    out.push_back(fmt::format("{} [{}]: {}", rule.value("label", "?"), rule.value("scope", "?"), rule.value("detail", "")));
  }
  return out;
}

// One line per phase, in the order they ran: "provision ok 1.234s 2026-…".
std::string phase_lines(const ScenarioReport& r) {
  std::string out;
  for (const auto& p : stored_phases(r.phases_json))
    out += fmt::format("{:<10} {:<8} {:>9}s  {}\n", p.name, p.outcome.empty() ? "?" : p.outcome, seconds(p.duration_ms),
                       p.started_at);
  return out;
}

// "platform: ticket→pickup 1.2s, pickup→first task 0.4s, …" (what was observed).
std::string platform_line(const ScenarioReport& r) {
  auto p = nlohmann::json::parse(r.platform_json.empty() ? "null" : r.platform_json, nullptr, false);
  if (!p.is_object()) return "";
  std::string out;
  for (const auto& [key, label] : {std::pair<const char*, const char*>{"ticket_to_pickup_ms", "ticket→pickup"},
                                   {"pickup_to_first_task_ms", "pickup→first task"},
                                   {"first_task_to_terminal_ms", "first task→end"},
                                   {"cancel_latency_ms", "cancel"}})
    if (p.contains(key) && p[key].is_number())
      out += fmt::format("{}{} {}s", out.empty() ? "" : ", ", label, seconds(p[key].get<std::int64_t>()));
  return out.empty() ? "" : "platform: " + out + "\n";
}

}  // namespace

std::string report_junit(const BenchmarkResults& in) {
  std::map<std::string, std::vector<const ScenarioReport*>> by_key;
  for (const auto& r : in.reports) by_key[r.scenario_key].push_back(&r);
  const RunTotals t = run_totals(in.reports);
  std::int64_t total_ms = 0;
  for (const auto& r : in.reports) total_ms += r.duration_ms;

  Writer w;
  w.start("testsuites");
  w.attr("name", "2501-runner " + (in.bench.name.empty() ? in.bench.id : in.bench.name));
  w.attr("tests", std::to_string(t.total));
  w.attr("failures", std::to_string(t.failed));
  w.attr("errors", std::to_string(t.errors));
  w.attr("time", seconds(total_ms));
  int suite_id = 0;
  for (const auto& [key, list] : by_key) {
    int failures = 0, errors = 0;
    std::int64_t ms = 0;
    for (const auto* r : list) {
      failures += r->status == IterationStatus::failed;
      errors += r->status == IterationStatus::error;
      ms += r->duration_ms;
    }
    w.start("testsuite");
    w.attr("name", key);
    w.attr("tests", std::to_string(list.size()));
    w.attr("failures", std::to_string(failures));
    w.attr("errors", std::to_string(errors));
    w.attr("skipped", "0");
    w.attr("time", seconds(ms));
    w.attr("id", std::to_string(suite_id++));
    w.attr("hostname", "2501-runner");
    // JUnit's timestamp has no zone; the runner's times are UTC. PostgreSQL's text
    // form has a space where ISO 8601 has the T.
    std::string stamp = list.front()->started_at.substr(0, 19);
    if (stamp.size() == 19 && (stamp[10] == ' ' || stamp[10] == 'T')) {
      stamp[10] = 'T';
      w.attr("timestamp", stamp);
    }
    w.start("properties");
    for (const auto& [name, value] : {std::pair<const char*, std::string>{"benchmark_id", in.bench.id},
                                      {"benchmark_name", in.bench.name},
                                      {"scenario_title", list.front()->scenario_title}}) {
      w.start("property");
      w.attr("name", name);
      w.attr("value", value);
      w.end();
    }
    w.end();
    for (const auto* r : list) {
      w.start("testcase");
      w.attr("name", fmt::format("{} #{}", key, r->iteration));
      w.attr("classname", "2501-runner." + key);
      w.attr("time", seconds(r->duration_ms));
      if (r->status == IterationStatus::failed) {
        const auto rules = failed_rules(*r);
        std::string message = !rules.empty() ? fmt::format("{} rule(s) failed", rules.size())
                              : r->validate_playbook == "failed" ? "validate.yml failed"
                              : !r->error_message.empty() ? r->error_message : "not passed";
        std::string body;
        for (const auto& line : rules) body += line + "\n";
        if (r->validate_playbook == "failed") body += "validate.yml failed\n";
        if (!r->error_message.empty()) body += r->error_message + "\n";
        w.start("failure");
        w.attr("message", message);
        w.attr("type", !rules.empty() ? "rules" : r->validate_playbook == "failed" ? "validate" : "verdict");
        w.text(body);
        w.end();
      } else if (r->status == IterationStatus::error) {
        w.start("error");
        w.attr("message", r->error_message.empty() ? r->error_kind : r->error_message);
        w.attr("type", r->error_kind.empty() ? "error" : r->error_kind);
        w.text(r->error_kind + ": " + r->error_message + "\n");
        w.end();
      }
      std::string out = phase_lines(*r) + platform_line(*r);
      if (!r->log_path.empty()) out += "log: " + r->log_path + "\n";
      if (!out.empty()) {
        w.start("system-out");
        w.text(out);
        w.end();
      }
      w.end();
    }
    w.end();
  }
  w.end();
  return w.finish();
}

}  // namespace runner
