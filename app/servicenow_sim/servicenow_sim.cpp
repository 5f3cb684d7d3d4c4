#include "app/servicenow_sim/servicenow_sim.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <vector>

#include "adapters/http/basic_auth.hpp"
#include "adapters/json/json_text.hpp"
#include "app/servicenow_sim/table_query.hpp"
#include "app/servicenow_sim/table_schema.hpp"
#include "app/sim_common/sim_server.hpp"

namespace runner::sim {
namespace {

std::string now_text() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// A query parameter taken from the raw target: unlike cpp-httplib's parser it keeps
// every '=' of the value, as ServiceNow does for unencoded sysparm_query values.
std::optional<std::string> raw_param(const httplib::Request& req, const std::string& name) {
  const std::string& t = req.target;
  auto q = t.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string rest = t.substr(q + 1);
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    auto amp = rest.find('&', pos);
    std::string part = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (part.rfind(name + "=", 0) == 0) return httplib::detail::decode_url(part.substr(name.size() + 1), true);
    if (part == name) return std::string();
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return std::nullopt;
}

// The raw query string without the paging parameters, for the Link header.
std::string query_without_paging(const httplib::Request& req) {
  const std::string& t = req.target;
  auto q = t.find('?');
  if (q == std::string::npos) return "";
  std::stringstream in(t.substr(q + 1));
  std::string part, out;
  while (std::getline(in, part, '&')) {
    if (part.empty() || part.rfind("sysparm_offset=", 0) == 0 || part.rfind("sysparm_limit=", 0) == 0) continue;
    out += part + "&";
  }
  return out;
}

std::optional<std::size_t> count_param(const std::string& text) {
  std::size_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> split_fields(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string f;
  while (std::getline(ss, f, ','))
    if (!f.empty()) out.push_back(f);
  return out;
}

// Counter names: requests.<verb>_<table>, with the short names the docs use.
std::string short_name(const std::string& table) {
  if (table == "sys_journal_field") return "journal";
  if (table == "sys_user") return "user";
  return table;
}

// Fields a client cannot write: the instance keeps them.
bool system_field(const std::string& f) {
  return f == "sys_id" || f == "sys_created_on" || f == "sys_created_by" || f == "sys_updated_on" ||
         f == "sys_updated_by" || f == "sys_mod_count";
}

struct Table {
  const TableSchema* schema = nullptr;
  std::vector<Record> rows;  // in insertion order (the order of a list without ORDERBY)
  std::uint64_t next_number = 10001;
};

}  // namespace

struct ServiceNowSim::Impl {
  ServiceNowSimConfig cfg;
  httplib::Server server;
  std::mutex mu;
  std::mt19937_64 rng;
  std::map<std::string, Table> tables;
  std::map<std::string, std::uint64_t> counters;

  explicit Impl(ServiceNowSimConfig c) : cfg(std::move(c)), rng(cfg.seed) {
    for (const char* name : {"incident", "sys_journal_field", "sys_user"}) tables[name].schema = find_table(name);
    // A real instance always has its integration user in sys_user.
    insert(tables["sys_user"], {{"user_name", cfg.username},
                                {"user_password", cfg.password},
                                {"name", cfg.username},
                                {"email", cfg.username + "@example.invalid"}},
           "system");
  }

  std::string new_sys_id() {
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 32; ++i) id += hex[rng() % 16];
    return id;
  }

  Record& insert(Table& t, Record fields, const std::string& user) {
    Record r = t.schema->defaults;
    for (auto& [k, v] : fields) r[k] = std::move(v);
    r["sys_id"] = new_sys_id();
    if (!t.schema->number_prefix.empty() && r["number"].empty()) {
      char number[32];
      std::snprintf(number, sizeof number, "%s%07llu", t.schema->number_prefix.c_str(),
                    static_cast<unsigned long long>(t.next_number++));
      r["number"] = number;
    }
    r["sys_created_on"] = r["sys_updated_on"] = now_text();
    r["sys_created_by"] = r["sys_updated_by"] = user;
    r["sys_mod_count"] = "0";
    t.rows.push_back(std::move(r));
    return t.rows.back();
  }

  Record* find(Table& t, const std::string& sys_id) {
    for (auto& r : t.rows)
      if (r["sys_id"] == sys_id) return &r;
    return nullptr;
  }

  // Does the table have this field: in its schema, a system field, or written to a record?
  bool has_field(const Table& t, const std::string& f) const {
    if (system_field(f) || f == "number" || t.schema->defaults.count(f) ||
        t.schema->spec(f).kind != FieldSpec::Kind::text)
      return true;
    return std::any_of(t.rows.begin(), t.rows.end(), [&](const Record& r) { return r.count(f) > 0; });
  }

  // A reference's display value: the referenced record's display field; a table the
  // simulator does not serve (sys_user_group) shows the stored value.
  std::string display_of(const std::string& table, const std::string& sys_id) {
    auto it = tables.find(table);
    if (it == tables.end()) return sys_id;
    Record* r = find(it->second, sys_id);
    return r ? (*r)[it->second.schema->display_field] : "";
  }

  std::string find_by_display(const std::string& table, const std::string& text) {
    auto it = tables.find(table);
    if (it == tables.end()) return "";
    for (auto& r : it->second.rows)
      if (r[it->second.schema->display_field] == text) return r["sys_id"];
    return "";
  }

  static std::string base_url(const httplib::Request& req) { return "http://" + req.get_header_value("Host"); }

  void reply(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(json_dump(body), "application/json");
  }

  // ServiceNow's error shape.
  void error(httplib::Response& res, int status, const std::string& message, const std::string& detail = "") {
    reply(res, status,
          {{"error", {{"message", message}, {"detail", detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(detail)}}},
           {"status", "failure"}});
  }

  // Basic auth against sys_user (active, not locked out), counting and faults. The
  // user's name, or nullopt when the request was answered here. Called with mu held.
  std::optional<std::string> admit(const std::string& verb, const httplib::Request& req, httplib::Response& res) {
    // Counted by table for the tables served, so names made up by a client do not grow the map.
    const std::string table = req.matches[1];
    ++counters["requests." + verb + "_" + (tables.count(table) ? short_name(table) : "unknown_table")];
    const std::string header = req.get_header_value("Authorization");
    std::optional<std::string> user;
    auto field = [](const Record& r, const char* k) {
      auto it = r.find(k);
      return it == r.end() ? std::string() : it->second;
    };
    // A user signs in with a non-empty password, active and not locked out.
    for (const auto& r : tables["sys_user"].rows) {
      const std::string name = field(r, "user_name"), password = field(r, "user_password");
      if (name.empty() || password.empty() || field(r, "active") != "true" || field(r, "locked_out") == "true") continue;
      if (header == "Basic " + base64_encode(name + ":" + password)) {
        user = name;
        break;
      }
    }
    if (!user) {
      ++counters["unauthorized"];
      error(res, 401, "User Not Authenticated", "Required to provide Auth information");
      return std::nullopt;
    }
    std::uniform_real_distribution<double> u(0, 1);
    double x = u(rng);
    if (x < cfg.fault_401) {
      ++counters["faults.401"];
      error(res, 401, "User Not Authenticated (injected)");
      return std::nullopt;
    }
    x -= cfg.fault_401;
    if (x < cfg.fault_429) {
      ++counters["faults.429"];
      res.set_header("Retry-After", "1");
      error(res, 429, "Too Many Requests (injected)");
      return std::nullopt;
    }
    x -= cfg.fault_429;
    if (x < cfg.fault_5xx) {
      ++counters["faults.5xx"];
      error(res, 503, "Service Unavailable (injected)");
      return std::nullopt;
    }
    return user;
  }

  // The table named in the path, or nullptr after a 400 like an instance's.
  Table* table_of(const httplib::Request& req, httplib::Response& res) {
    auto it = tables.find(req.matches[1]);
    if (it != tables.end()) return &it->second;
    error(res, 400, "Invalid table " + std::string(req.matches[1]));
    return nullptr;
  }

  // How records are shown to this request (sysparm_display_value, _fields,
  // _exclude_reference_link); nullopt after a 400.
  std::optional<RecordView> view_of(const httplib::Request& req, httplib::Response& res) {
    RecordView v;
    const auto mode = parse_display_mode(cfg.forced_display_value.empty()
                                             ? raw_param(req, "sysparm_display_value").value_or("false")
                                             : cfg.forced_display_value);
    if (!mode) {
      error(res, 400, "Invalid sysparm_display_value", "expected true, false or all");
      return std::nullopt;
    }
    v.mode = *mode;
    v.exclude_reference_link = raw_param(req, "sysparm_exclude_reference_link").value_or("") == "true";
    v.fields = split_fields(raw_param(req, "sysparm_fields").value_or(""));
    v.base_url = base_url(req);
    v.display_of = [this](const std::string& t, const std::string& id) { return display_of(t, id); };
    return v;
  }

  // Applies a JSON object of field values to `rec`; journal fields (work_notes,
  // comments) become sys_journal_field entries. "" or why the body was refused.
  std::string write(Table& t, Record& rec, const std::string& body, bool input_display_value, const std::string& user) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return "The payload is not valid JSON.";
    auto finder = [this](const std::string& table, const std::string& text) { return find_by_display(table, text); };
    for (auto& [key, v] : doc.items()) {
      std::string value;
      if (v.is_string())
        value = v.get<std::string>();
      else if (v.is_boolean())
        value = v.get<bool>() ? "true" : "false";
      else if (v.is_number())
        value = v.dump();
      else if (!v.is_null())
        continue;  // an object or array is no field value: ignored, as an instance does
      if (system_field(key)) continue;
      const FieldSpec spec = t.schema->spec(key);
      if (spec.kind == FieldSpec::Kind::journal) {
        if (value.empty()) continue;
        Record entry = {{"element_id", rec["sys_id"]}, {"element", key}, {"name", t.schema->name}, {"value", value}};
        insert(tables["sys_journal_field"], std::move(entry), user);
        continue;
      }
      rec[key] = stored_value(spec, value, input_display_value, finder);
    }
    rec["sys_updated_on"] = now_text();
    rec["sys_updated_by"] = user;
    rec["sys_mod_count"] = std::to_string(std::stoull(rec["sys_mod_count"].empty() ? "0" : rec["sys_mod_count"]) + 1);
    return "";
  }

  // What every Table API request starts with: the signed-in user, the table named in
  // the path and how records are shown; nullopt once an error was answered.
  struct Call {
    std::string user;
    Table* table = nullptr;
    RecordView view;
  };
  std::optional<Call> begin(const char* verb, const httplib::Request& req, httplib::Response& res) {
    auto user = admit(verb, req, res);
    if (!user) return std::nullopt;
    Table* t = table_of(req, res);
    if (!t) return std::nullopt;
    auto view = view_of(req, res);
    if (!view) return std::nullopt;
    return Call{*user, t, std::move(*view)};
  }

  // The record named in the path, or nullptr after a 404 like an instance's.
  Record* record_of(Table& t, const httplib::Request& req, httplib::Response& res) {
    Record* r = find(t, req.matches[2]);
    if (!r) error(res, 404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
    return r;
  }

  void list(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    auto call = begin("list", req, res);
    if (!call) return;
    Table* t = call->table;
    const RecordView* view = &call->view;
    // Without sysparm_query, name=value parameters filter (`?user_name=x`, as clients
    // probe credentials); with it they are ignored.
    std::string query_text = raw_param(req, "sysparm_query").value_or("");
    if (!raw_param(req, "sysparm_query"))
      for (const auto& [name, value] : req.params)
        if (name.rfind("sysparm_", 0) != 0) query_text += (query_text.empty() ? "" : "^") + name + "=" + value;
    EncodedQuery query = parse_encoded_query(query_text, [&](const std::string& f) { return has_field(*t, f); });
    std::size_t limit = 10000, offset = 0;
    if (auto l = raw_param(req, "sysparm_limit")) {
      auto n = count_param(*l);
      if (!n || *n == 0) return error(res, 400, "Invalid sysparm_limit", "expected a positive number, got '" + *l + "'");
      limit = *n;
    }
    if (auto o = raw_param(req, "sysparm_offset")) {
      auto n = count_param(*o);
      if (!n) return error(res, 400, "Invalid sysparm_offset", "expected a number, got '" + *o + "'");
      offset = *n;
    }
    limit = std::min<std::size_t>(limit, 1'000'000);
    limit = std::min(limit, cfg.max_page);
    // A password is never matched: a query on it cannot probe a user's password. Only
    // rows of a table with a password field are copied without it (sys_user).
    std::vector<std::string> hidden;
    for (const auto& [name, spec] : t->schema->fields)
      if (spec.kind == FieldSpec::Kind::password) hidden.push_back(name);
    std::vector<const Record*> found;
    for (const auto& r : t->rows) {
      if (hidden.empty()) {
        if (matches(query, r)) found.push_back(&r);
        continue;
      }
      Record copy = r;
      for (const auto& name : hidden) copy.erase(name);
      if (matches(query, copy)) found.push_back(&r);
    }
    // Nor does a password order the rows.
    std::erase_if(query.order, [&](const QueryOrder& o) {
      return std::find(hidden.begin(), hidden.end(), o.field) != hidden.end();
    });
    sort_records(found, query.order);
    nlohmann::json result = nlohmann::json::array();
    for (std::size_t i = offset; i < found.size() && result.size() < limit; ++i)
      result.push_back(record_json(*t->schema, *found[i], *view));
    const std::size_t total = found.size();
    res.set_header("X-Total-Count", std::to_string(total));
    // Link: first, prev, next, last, as an instance sends them.
    const std::string base = base_url(req) + req.path + "?" + query_without_paging(req) +
                             "sysparm_limit=" + std::to_string(limit) + "&sysparm_offset=";
    std::string link = "<" + base + "0>;rel=\"first\"";
    if (offset > 0 && offset < total) link += ",<" + base + std::to_string(offset > limit ? offset - limit : 0) + ">;rel=\"prev\"";
    if (offset < total && limit < total - offset) link += ",<" + base + std::to_string(offset + limit) + ">;rel=\"next\"";
    link += ",<" + base + std::to_string(total ? (total - 1) / limit * limit : 0) + ">;rel=\"last\"";
    res.set_header("Link", link);
    reply(res, 200, {{"result", std::move(result)}});
  }

  void read(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    auto call = begin("read", req, res);
    if (!call) return;
    if (Record* r = record_of(*call->table, req, res))
      reply(res, 200, {{"result", record_json(*call->table->schema, *r, call->view)}});
  }

  void create(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    const std::string table_name = req.matches[1];
    auto call = begin("create", req, res);
    if (!call) return;
    Table* t = call->table;
    const std::string& user = call->user;
    Record& rec = insert(*t, {}, user);
    const bool input_display = raw_param(req, "sysparm_input_display_value").value_or("") == "true";
    if (auto why = write(*t, rec, req.body, input_display, user); !why.empty()) {
      t->rows.pop_back();
      return error(res, 400, "Exception while reading request", why);
    }
    rec["sys_mod_count"] = "0";
    if (table_name == "incident") ++counters["incidents"];
    res.set_header("Location", base_url(req) + "/api/now/table/" + table_name + "/" + rec["sys_id"]);
    reply(res, 201, {{"result", record_json(*t->schema, rec, call->view)}});
  }

  void update(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    auto call = begin("update", req, res);
    if (!call) return;
    Record* r = record_of(*call->table, req, res);
    if (!r) return;
    Record before = *r;
    const bool input_display = raw_param(req, "sysparm_input_display_value").value_or("") == "true";
    if (auto why = write(*call->table, *r, req.body, input_display, call->user); !why.empty()) {
      *r = std::move(before);
      return error(res, 400, "Exception while reading request", why);
    }
    reply(res, 200, {{"result", record_json(*call->table->schema, *r, call->view)}});
  }

  void remove(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    auto call = begin("delete", req, res);
    if (!call) return;
    Record* r = record_of(*call->table, req, res);
    if (!r) return;
    auto& rows = call->table->rows;
    rows.erase(rows.begin() + (r - rows.data()));
    res.status = 204;
  }

  void routes() {
    // Both the unversioned and the v2 paths, as an instance serves them.
    const std::string table = R"(/api/now(?:/v[12])?/table/([A-Za-z0-9_]+))";
    const std::string record = table + R"(/([^/?]+))";
    server.Get(table, [this](const httplib::Request& q, httplib::Response& r) { list(q, r); });
    server.Post(table, [this](const httplib::Request& q, httplib::Response& r) { create(q, r); });
    server.Get(record, [this](const httplib::Request& q, httplib::Response& r) { read(q, r); });
    server.Put(record, [this](const httplib::Request& q, httplib::Response& r) { update(q, r); });
    server.Patch(record, [this](const httplib::Request& q, httplib::Response& r) { update(q, r); });
    server.Delete(record, [this](const httplib::Request& q, httplib::Response& r) { remove(q, r); });
    server.Get("/_sim/counters", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mu);
      res.set_content(counters_json(counters), "application/json");
    });
    // A path or method the instance does not serve: its error shape, not an empty body.
    server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      error(res, res.status, res.status == 404 ? "Requested URI does not represent any resource" : "Request failed",
            req.method + " " + req.path);
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
