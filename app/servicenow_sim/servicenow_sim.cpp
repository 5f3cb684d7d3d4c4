#include "app/servicenow_sim/servicenow_sim.hpp"

#include <httplib.h>
#include <simdjson.h>

#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "adapters/http/basic_auth.hpp"
#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"
#include "app/sim_common/sim_server.hpp"

namespace runner::sim {
namespace {

using Record = std::map<std::string, std::string>;  // a Table API record: field -> value

std::string now_text() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

nlohmann::json record_json(const Record& r, const std::string& fields) {
  std::vector<std::string> wanted;
  std::stringstream ss(fields);
  std::string f;
  while (std::getline(ss, f, ','))
    if (!f.empty()) wanted.push_back(f);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : r)
    if (wanted.empty() || std::find(wanted.begin(), wanted.end(), k) != wanted.end()) out[k] = v;
  return out;
}

// sysparm_query: conditions joined by '^'; each FIELD=VALUE, FIELD!=VALUE or
// FIELDINa,b,c. Enough for the runner and the engine simulator.
bool matches(const Record& r, const std::string& query) {
  std::stringstream ss(query);
  std::string cond;
  while (std::getline(ss, cond, '^')) {
    if (cond.empty() || cond.rfind("ORDERBY", 0) == 0) continue;
    auto get = [&](const std::string& field) {
      auto it = r.find(field);
      return it == r.end() ? std::string() : it->second;
    };
    if (auto p = cond.find("!="); p != std::string::npos) {
      if (get(cond.substr(0, p)) == cond.substr(p + 2)) return false;
    } else if (auto p = cond.find('='); p != std::string::npos) {
      if (get(cond.substr(0, p)) != cond.substr(p + 1)) return false;
    } else if (auto p = cond.find("IN"); p != std::string::npos) {
      std::string values = "," + cond.substr(p + 2) + ",";
      if (values.find("," + get(cond.substr(0, p)) + ",") == std::string::npos) return false;
    }
  }
  return true;
}

// A query parameter taken from the raw target: unlike cpp-httplib's parser it keeps
// every '=' of the value, as ServiceNow does for unencoded sysparm_query values.
std::string raw_param(const httplib::Request& req, const std::string& name) {
  const std::string& t = req.target;
  auto q = t.find('?');
  if (q == std::string::npos) return "";
  std::string rest = t.substr(q + 1);
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    auto amp = rest.find('&', pos);
    std::string part = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (part.rfind(name + "=", 0) == 0) return httplib::detail::decode_url(part.substr(name.size() + 1), true);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

}  // namespace

struct ServiceNowSim::Impl {
  ServiceNowSimConfig cfg;
  httplib::Server server;
  std::mutex mu;
  std::mt19937_64 rng;
  std::map<std::string, Record> incidents;  // by sys_id
  std::vector<Record> journal;              // sys_journal_field
  std::map<std::string, std::uint64_t> counters;
  std::uint64_t next_number = 10001;

  explicit Impl(ServiceNowSimConfig c) : cfg(std::move(c)), rng(cfg.seed) {}

  std::string new_sys_id() {
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 32; ++i) id += hex[rng() % 16];
    return id;
  }

  void reply(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "application/json");
  }

  void error(httplib::Response& res, int status, const std::string& message) {
    reply(res, status, json_dump({{"error", {{"message", message}, {"detail", nullptr}}}, {"status", "failure"}}));
  }

  // Basic auth, counting and faults; true when the handler may proceed.
  bool admit(const char* endpoint, const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    ++counters[std::string("requests.") + endpoint];
    const std::string expected = "Basic " + base64_encode(cfg.username + ":" + cfg.password);
    if (req.get_header_value("Authorization") != expected) {
      ++counters["unauthorized"];
      error(res, 401, "User Not Authenticated");
      return false;
    }
    std::uniform_real_distribution<double> u(0, 1);
    double x = u(rng);
    if (x < cfg.fault_401) {
      ++counters["faults.401"];
      error(res, 401, "User Not Authenticated (injected)");
      return false;
    }
    x -= cfg.fault_401;
    if (x < cfg.fault_429) {
      ++counters["faults.429"];
      res.set_header("Retry-After", "1");
      error(res, 429, "Too Many Requests (injected)");
      return false;
    }
    x -= cfg.fault_429;
    if (x < cfg.fault_5xx) {
      ++counters["faults.5xx"];
      error(res, 503, "Service Unavailable (injected)");
      return false;
    }
    return true;
  }

  // Applies a JSON body of field values; work_notes and comments become journal entries.
  bool apply(Record& inc, const std::string& body) {
    simdjson::dom::parser p;
    simdjson::dom::object o;
    if (p.parse(body).get(o) != simdjson::SUCCESS) return false;
    for (auto [k, v] : o) {
      std::string value;
      std::string_view sv;
      int64_t n;
      if (v.get(sv) == simdjson::SUCCESS)
        value = std::string(sv);
      else if (v.get(n) == simdjson::SUCCESS)
        value = std::to_string(n);
      else
        continue;
      const std::string key(k);
      if (key == "work_notes" || key == "comments") {
        if (value.empty()) continue;
        journal.push_back({{"sys_id", new_sys_id()}, {"element_id", inc["sys_id"]}, {"element", key},
                           {"name", "incident"}, {"value", value}, {"sys_created_on", now_text()}});
        continue;
      }
      inc[key] = value;
    }
    inc["sys_updated_on"] = now_text();
    return true;
  }

  void routes() {
    server.Post("/api/now/table/incident", [this](const httplib::Request& req, httplib::Response& res) {
      if (!admit("create_incident", req, res)) return;
      std::lock_guard lock(mu);
      char number[16];
      std::snprintf(number, sizeof number, "INC%07llu", static_cast<unsigned long long>(next_number++));
      Record inc = {{"sys_id", new_sys_id()}, {"number", number},
                    {"state", "1"}, {"sys_created_on", now_text()}, {"close_code", ""}, {"close_notes", ""}};
      if (!apply(inc, req.body)) return error(res, 400, "Invalid JSON body");
      ++counters["incidents"];
      incidents[inc["sys_id"]] = inc;
      reply(res, 201, json_dump({{"result", record_json(inc, "")}}));
    });
    server.Get(R"(/api/now/table/incident/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!admit("read_incident", req, res)) return;
      std::lock_guard lock(mu);
      auto it = incidents.find(req.matches[1]);
      if (it == incidents.end()) return error(res, 404, "No Record found");
      reply(res, 200, json_dump({{"result", record_json(it->second, req.get_param_value("sysparm_fields"))}}));
    });
    auto update = [this](const httplib::Request& req, httplib::Response& res) {
      if (!admit("update_incident", req, res)) return;
      std::lock_guard lock(mu);
      auto it = incidents.find(req.matches[1]);
      if (it == incidents.end()) return error(res, 404, "No Record found");
      if (!apply(it->second, req.body)) return error(res, 400, "Invalid JSON body");
      reply(res, 200, json_dump({{"result", record_json(it->second, "")}}));
    };
    server.Patch(R"(/api/now/table/incident/([0-9a-f]+))", update);
    server.Put(R"(/api/now/table/incident/([0-9a-f]+))", update);
    auto list = [this](const char* endpoint, auto&& source) {
      return [this, endpoint, source](const httplib::Request& req, httplib::Response& res) {
        if (!admit(endpoint, req, res)) return;
        std::lock_guard lock(mu);
        const std::string query = raw_param(req, "sysparm_query");
        const std::string fields = req.get_param_value("sysparm_fields");
        std::size_t limit = 10000;
        if (req.has_param("sysparm_limit")) limit = std::stoul(req.get_param_value("sysparm_limit"));
        nlohmann::json result = nlohmann::json::array();
        for (const Record* r : source()) {
          if (result.size() >= limit) break;
          if (matches(*r, query)) result.push_back(record_json(*r, fields));
        }
        reply(res, 200, json_dump({{"result", std::move(result)}}));
      };
    };
    server.Get("/api/now/table/incident", list("list_incident", [this] {
      std::vector<const Record*> v;
      for (const auto& [id, r] : incidents) v.push_back(&r);
      std::sort(v.begin(), v.end(), [](const Record* a, const Record* b) { return a->at("number") < b->at("number"); });
      return v;
    }));
    server.Get("/api/now/table/sys_journal_field", list("list_journal", [this] {
      std::vector<const Record*> v;
      for (const auto& r : journal) v.push_back(&r);
      return v;
    }));
    server.Get("/_sim/counters", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mu);
      res.set_content(counters_json(counters), "application/json");
    });
  }
};

ServiceNowSim::ServiceNowSim(ServiceNowSimConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
ServiceNowSim::~ServiceNowSim() { stop(); }

bool ServiceNowSim::run(const std::function<void(int)>& on_ready) {
  auto& im = *impl_;
  im.routes();
  return serve(im.server, {im.cfg.listen_host, im.cfg.listen_port}, im.cfg.http_threads, on_ready);
}

void ServiceNowSim::stop() {
  if (impl_) impl_->server.stop();
}

}  // namespace runner::sim
