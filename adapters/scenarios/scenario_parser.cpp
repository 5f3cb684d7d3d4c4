#include "adapters/scenarios/scenario_parser.hpp"

#include <simdjson.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/db/platform_id.hpp"
#include "adapters/regex/regex.hpp"
#include "adapters/scenarios/selection.hpp"  // edit_distance
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

const char* type_name(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "?";
}

std::string join_path(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

std::string index_path(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

// Known vocabularies, to warn about a status pattern that can never match.
const std::vector<std::string> resolution_statuses = {"success", "agentic_failure", "hard_failure", "partial",
                                                      "no_action", "no_tasks_created"};
const std::vector<std::string> ticket_states = {"new",      "in progress", "on hold", "resolved", "closed",
                                                "canceled", "cancelled",   "1",       "2",        "3",
                                                "6",        "7",           "8"};

// Reads typed fields of one JSON document and records problems with their JSON path.
class Reader {
 public:
  Reader(std::string file, std::vector<Problem>& errors, std::vector<Problem>& warnings)
      : file_(std::move(file)), errors_(errors), warnings_(warnings) {}

  void error(const std::string& path, std::string msg) { errors_.push_back({file_, path, std::move(msg)}); }
  void warn(const std::string& path, std::string msg) { warnings_.push_back({file_, path, std::move(msg)}); }
  bool has_errors() const { return !errors_.empty(); }

  // Every read goes through here: the keys the parser asked for at each object path
  // are the known fields there (unknown_fields() reports the others).
  std::optional<element> field(object obj, std::string_view key, const std::string& base) {
    asked_[base].insert(std::string(key));
    element e;
    if (obj[key].get(e) != simdjson::SUCCESS) return std::nullopt;
    return e;
  }

  // A string field; `required` reports absence; `non_empty` reports "".
  std::optional<std::string> str(object obj, std::string_view key, const std::string& base, bool required,
                                 bool non_empty = false) {
    auto path = join_path(base, key);
    auto e = field(obj, key, base);
    if (!e) {
      if (required) error(path, "missing required field");
      return std::nullopt;
    }
    if (e->type() != element_type::STRING) {
      error(path, std::string("expected a string, got ") + type_name(e->type()));
      return std::nullopt;
    }
    std::string v{std::string_view(*e)};
    if (non_empty && v.empty()) {
      error(path, "must not be empty");
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> boolean(object obj, std::string_view key, const std::string& base) {
    auto e = field(obj, key, base);
    if (!e) return std::nullopt;
    if (e->type() != element_type::BOOL) {
      error(join_path(base, key), std::string("expected a boolean, got ") + type_name(e->type()));
      return std::nullopt;
    }
    return bool(*e);
  }

  std::optional<std::int64_t> integer(object obj, std::string_view key, const std::string& base, std::int64_t min,
                                      std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
    auto path = join_path(base, key);
    auto e = field(obj, key, base);
    if (!e) return std::nullopt;
    std::int64_t v = 0;
    if (e->type() == element_type::INT64) {
      v = int64_t(*e);
    } else if (e->type() == element_type::UINT64) {
      error(path, "number too large");
      return std::nullopt;
    } else {
      error(path, std::string("expected an integer, got ") + type_name(e->type()));
      return std::nullopt;
    }
    if (v < min || v > max) {
      error(path, (v < min ? "must be >= " + std::to_string(min) : "must be <= " + std::to_string(max)) + ", got " +
                      std::to_string(v));
      return std::nullopt;
    }
    return v;
  }

  std::vector<std::string> str_array(object obj, std::string_view key, const std::string& base) {
    std::vector<std::string> out;
    auto path = join_path(base, key);
    auto e = field(obj, key, base);
    if (!e) return out;
    if (e->type() != element_type::ARRAY) {
      error(path, std::string("expected an array of strings, got ") + type_name(e->type()));
      return out;
    }
    std::size_t i = 0;
    for (element item : simdjson::dom::array(*e)) {
      if (item.type() != element_type::STRING)
        error(index_path(path, i), std::string("expected a string, got ") + type_name(item.type()));
      else
        out.emplace_back(std::string_view(item));
      ++i;
    }
    return out;
  }

  // Calls fn(object, path) for each element of an array of objects.
  template <class Fn>
  void objects(object obj, std::string_view key, const std::string& base, Fn fn) {
    auto path = join_path(base, key);
    auto e = field(obj, key, base);
    if (!e) return;
    if (e->type() != element_type::ARRAY) {
      error(path, std::string("expected an array, got ") + type_name(e->type()));
      return;
    }
    std::size_t i = 0;
    for (element item : simdjson::dom::array(*e)) {
      auto ipath = index_path(path, i);
      if (item.type() != element_type::OBJECT)
        error(ipath, std::string("expected an object, got ") + type_name(item.type()));
      else
        fn(object(item), ipath, i);
      ++i;
    }
  }

  // Fields present in objects the parser read but never asked for: misspelt or
  // misplaced, and ignored. Each is a warning naming the closest known field.
  void unknown_fields(element doc, const std::string& path) {
    if (doc.type() == element_type::ARRAY) {
      std::size_t i = 0;
      for (element item : simdjson::dom::array(doc)) unknown_fields(item, index_path(path, i++));
      return;
    }
    if (doc.type() != element_type::OBJECT) return;
    auto known = asked_.find(path);
    if (known == asked_.end()) return;  // an object the parser never looked into (inside an unknown field)
    for (auto [k, v] : object(doc)) {
      const std::string key(k);
      if (known->second.count(key)) {
        unknown_fields(v, join_path(path, key));
        continue;
      }
      if (path == "validation") continue;  // reported as an error by parse_validation
      if (has_error_at(path)) continue;     // the parser stopped reading this object early
      const std::string hint = closest(key, known->second);
      warnings_.push_back({file_, join_path(path, key),
                           "unknown field, ignored" + (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"),
                           "unknown_field"});
    }
  }

 private:
  bool has_error_at(const std::string& path) const {
    for (const auto& e : errors_)
      if (!path.empty() && e.path.rfind(path, 0) == 0) return true;
    return false;
  }

  static std::string closest(const std::string& key, const std::set<std::string>& known) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
    for (const auto& k : known)
      if (auto d = edit_distance(key, k); d < best_d) {
        best_d = d;
        best = k;
      }
    return best;
  }

  std::string file_;
  std::vector<Problem>& errors_;
  std::vector<Problem>& warnings_;
  std::map<std::string, std::set<std::string>> asked_;
};

// Compiles a pattern with the validators' engine; reports a compile error at `path`.
std::optional<Regex> check_pattern(Reader& r, const std::string& pattern, const std::string& path) {
  std::string err;
  auto re = Regex::compile(pattern, &err);
  if (!re) r.error(path, "invalid regex: " + err);
  return re;
}

void warn_if_matches_none(Reader& r, const Regex& re, const std::vector<std::string>& vocabulary,
                          const std::string& path, const char* what) {
  for (const auto& v : vocabulary)
    if (re.search(v)) return;
  std::string list;
  for (const auto& v : vocabulary) list += (list.empty() ? "" : ", ") + v;
  r.warn(path, std::string("pattern matches no known ") + what + " (" + list + ")");
}

std::optional<Rule> parse_rule(Reader& r, object obj, const std::string& path, RuleScope scope, std::size_t index) {
  Rule rule;
  rule.scope = scope;
  rule.index = index;
  bool ok = true;
  auto label = r.str(obj, "label", path, true, true);
  ok &= bool(label);
  auto vname = r.str(obj, "validator", path, true);
  std::optional<Validator> validator;
  if (vname) {
    validator = validator_from_string(*vname);
    if (!validator)
      r.error(join_path(path, "validator"), "unknown validator '" + *vname +
                                                "' (expected pattern_match, job_resolution_status, ticket_status or task_count)");
  }
  ok &= bool(validator);
  if (auto req = r.boolean(obj, "required", path)) rule.required = *req;
  if (auto neg = r.boolean(obj, "negate", path)) rule.negate = *neg;
  if (!validator) return std::nullopt;
  rule.validator = *validator;
  if (label) rule.label = *label;

  const bool needs_pattern = rule.validator != Validator::task_count;
  if (needs_pattern) {
    auto pattern = r.str(obj, "pattern", path, true, true);
    if (!pattern) return std::nullopt;
    rule.pattern = *pattern;
    auto re = check_pattern(r, rule.pattern, join_path(path, "pattern"));
    if (!re) return std::nullopt;
    if (rule.validator == Validator::job_resolution_status)
      warn_if_matches_none(r, *re, resolution_statuses, join_path(path, "pattern"), "job resolution status");
    if (rule.validator == Validator::ticket_status)
      warn_if_matches_none(r, *re, ticket_states, join_path(path, "pattern"), "ServiceNow incident state");
  }
  switch (rule.validator) {
    case Validator::pattern_match: {
      auto where = r.str(obj, "where", path, true);
      if (!where) return std::nullopt;
      auto target = where_from_string(*where);
      if (!target) {
        r.error(join_path(path, "where"),
                "unknown where '" + *where +
                    "' (expected executed_commands, task_summary, task_description, task_plan, agent_messages, "
                    "operational_rules, job_resolution, job_plan, gateway_messages or gateway_summary)");
        return std::nullopt;
      }
      rule.where = *target;
      if (natural_scope(*target) != scope)
        r.warn(join_path(path, "where"), std::string("'") + *where + "' is " + to_string(natural_scope(*target)) +
                                             " data; it is usually checked under validation." +
                                             to_string(natural_scope(*target)));
      break;
    }
    case Validator::task_count: {
      rule.min = r.integer(obj, "min", path, 0);
      rule.max = r.integer(obj, "max", path, 0);
      if (!r.field(obj, "min", path) && !r.field(obj, "max", path)) {
        r.error(path, "task_count needs min and/or max");
        return std::nullopt;
      }
      if (rule.min && rule.max && *rule.min > *rule.max) {
        r.error(join_path(path, "min"),
                "min (" + std::to_string(*rule.min) + ") is greater than max (" + std::to_string(*rule.max) + ")");
        return std::nullopt;
      }
      break;
    }
    default: break;
  }
  if (rule.validator == Validator::job_resolution_status && scope != RuleScope::job)
    r.warn(path, "job_resolution_status is usually checked under validation.job");
  if (rule.validator == Validator::task_count && scope != RuleScope::job)
    r.warn(path, "task_count is usually checked under validation.job");
  if (rule.validator == Validator::ticket_status && scope != RuleScope::gateway)
    r.warn(path, "ticket_status is usually checked under validation.gateway");
  if (!ok) return std::nullopt;
  return rule;
}

void parse_validation(Reader& r, object root, Scenario& s) {
  auto e = r.field(root, "validation", "");
  if (!e) return;
  if (e->type() != element_type::OBJECT) {
    r.error("validation", std::string("expected an object, got ") + type_name(e->type()));
    return;
  }
  object v(*e);
  static const std::set<std::string> known = {"allowedAgents", "allowedHosts", "gateway", "job", "tasks"};
  for (auto [k, val] : v) {
    (void)val;
    if (!known.count(std::string(k)))
      r.error(join_path("validation", k), "unknown field (expected gateway, job, tasks, allowedAgents or allowedHosts)");
  }
  for (const auto& k : known) r.field(v, k, "validation");  // known here, reported above when not
  s.validation.allowed_agents = r.str_array(v, "allowedAgents", "validation");
  s.validation.allowed_hosts = r.str_array(v, "allowedHosts", "validation");
  for (const auto& entry : {std::pair{"gateway", RuleScope::gateway}, std::pair{"job", RuleScope::job},
                             std::pair{"tasks", RuleScope::tasks}}) {
    const RuleScope scope = entry.second;  // a plain variable: clang 14 cannot capture a structured binding
    r.objects(v, entry.first, "validation", [&](object o, const std::string& path, std::size_t i) {
      if (auto rule = parse_rule(r, o, path, scope, i)) s.validation.rules.push_back(std::move(*rule));
    });
  }
}

// A platform ID (host_id, agent_id) the database can hold; "" is "not given".
std::string platform_id(Reader& r, object o, const char* field, const std::string& path) {
  std::string id = r.str(o, field, path, false).value_or("");
  if (id.empty()) return id;
  if (auto why = platform_id_problem(id)) r.error(join_path(path, field), "'" + printable(id) + "' " + *why);
  return canonical_platform_id(std::move(id));
}

void parse_hosts_agents(Reader& r, object root, Scenario& s) {
  std::set<std::string> host_names;
  r.objects(root, "hosts", "", [&](object o, const std::string& path, std::size_t) {
    HostSpec h;
    h.host_id = platform_id(r, o, "host_id", path);
    h.host_name = r.str(o, "host_name", path, false).value_or("");
    h.template_name = r.str(o, "template", path, false).value_or("");
    if (h.host_id.empty() && h.host_name.empty()) r.error(path, "needs host_id or host_name");
    if (!h.host_name.empty() && !host_names.insert(h.host_name).second)
      r.error(join_path(path, "host_name"), "duplicate host_name '" + h.host_name + "'");
    s.hosts.push_back(std::move(h));
  });
  r.objects(root, "agents", "", [&](object o, const std::string& path, std::size_t) {
    AgentSpec a;
    a.agent_id = platform_id(r, o, "agent_id", path);
    a.agent_name = r.str(o, "agent_name", path, false).value_or("");
    a.host_name = r.str(o, "host_name", path, false).value_or("");
    a.host_id = platform_id(r, o, "host_id", path);
    a.specialty_key = r.str(o, "specialty_key", path, false).value_or("");
    if (a.agent_id.empty() && a.agent_name.empty()) r.error(path, "needs agent_id or agent_name");
    if (!a.host_name.empty() && !host_names.count(a.host_name))
      r.error(join_path(path, "host_name"), "'" + a.host_name + "' is not a host_name of hosts[]");
    s.agents.push_back(std::move(a));
  });
}

// Control characters (C0, DEL, C1: ESC among them) in names shown on a terminal.
bool has_control(std::string_view text) { return printable(text) != utf8_clean(text) || text.find('\0') != text.npos; }

// The longest key: its log file `<key>-<iteration>.inventory.yml` must fit a file
// name (255 bytes) for any iteration count.
constexpr std::size_t max_key_bytes = 200;

// simdjson refuses a number it cannot hold without saying where; nlohmann's parser
// says at which byte, turned here into a line and column.
// Where a syntax error is, as line and column (simdjson does not say; nlohmann's
// parser reports the byte at which it gave up).
std::string syntax_location(std::string_view json) {
  try {
    const auto doc = nlohmann::json::parse(json);
    (void)doc;
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, json.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(json.begin(), json.begin() + at, '\n'));
    const auto nl = json.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t line_start = nl == std::string_view::npos || at == 0 ? 0 : nl + 1;
    std::size_t column = 1;  // in characters, as an editor counts them, not bytes
    for (std::size_t i = line_start; i < at; ++i) column += (static_cast<unsigned char>(json[i]) & 0xC0) != 0x80;
    return " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  } catch (const std::exception&) {
  }
  return "";
}

std::string number_location(std::string_view json, simdjson::error_code err) {
  if (err != simdjson::NUMBER_ERROR && err != simdjson::NUMBER_OUT_OF_RANGE) return syntax_location(json);
  try {
    const auto doc = nlohmann::json::parse(json);
    (void)doc;
  } catch (const nlohmann::json::exception& e) {
    const std::string what = e.what();
    const auto at = what.find("at line ");
    if (at != std::string::npos) return " (" + what.substr(at, what.find(':', at) - at) + ")";
    const auto num = what.find("number overflow parsing '");
    if (num != std::string::npos) {
      // Name the field: the key right before the literal's first occurrence.
      const auto lit_at = num + std::string_view("number overflow parsing '").size();
      const std::string literal = what.substr(lit_at, what.find('\'', lit_at) - lit_at);
      const auto pos = json.find(literal);
      std::string key;
      if (pos != std::string_view::npos) {
        auto i = json.find_last_not_of(" \t\r\n", pos == 0 ? 0 : pos - 1);
        if (i != std::string_view::npos && json[i] == ':') {
          const auto close = json.find_last_not_of(" \t\r\n", i - 1);
          const auto open = close == std::string_view::npos || close == 0 ? close : json.rfind('"', close - 1);
          if (close != std::string_view::npos && json[close] == '"' && open != std::string_view::npos)
            key = std::string(json.substr(open + 1, close - open - 1));
        }
      }
      return " (" + (key.empty() ? std::string() : "at " + key + ": ") + literal + " is out of range)";
    }
  }
  // nlohmann holds it (as a double): name the first number no integer field can take.
  std::string where;
  std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& v, const std::string& p) {
    if (!where.empty()) return;
    if (v.is_number_float() && std::abs(v.get<double>()) >= 9.2e18) where = p.empty() ? "(root)" : p;
    if (v.is_object())
      for (const auto& [k, x] : v.items()) walk(x, p.empty() ? k : p + "." + k);
    if (v.is_array())
      for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], p + "[" + std::to_string(i) + "]");
  };
  try {
    walk(nlohmann::json::parse(json), "");
  } catch (const std::exception&) {
  }
  return where.empty() ? "" : " (at " + where + ": out of range)";
}

void check_key(Reader& r, const std::string& key) {
  if (key.find_first_of(", \t\n*") != std::string::npos)
    r.error("key", "'" + printable(key) + "' must not contain spaces, commas or '*' (they are -s syntax)");
  else if (has_control(key) || !utf8_valid(key))
    r.error("key", "'" + printable(key) + "' must be UTF-8 without control characters");
  else if (key.size() > max_key_bytes)
    r.error("key", "is " + std::to_string(key.size()) + " bytes; at most " + std::to_string(max_key_bytes) +
                       " (it names the iteration's log files)");
}

// A title is shown on terminals: text only.
void check_title(Reader& r, const char* field, const std::string& title) {
  if (has_control(title) || !utf8_valid(title))
    r.error(field, "'" + printable(title) + "' must be UTF-8 without control characters (it is shown on terminals)");
}

}  // namespace

ParsedScenario parse_scenario(std::string_view json, const std::string& file) {
  ParsedScenario out;
  Reader r(file, out.errors, out.warnings);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  element doc;
  if (auto err = parser.parse(padded).get(doc); err) {
    r.error("(file)", std::string("invalid JSON: ") + simdjson::error_message(err) + number_location(json, err));
    return out;
  }
  if (doc.type() != element_type::OBJECT) {
    r.error("(file)", std::string("expected a JSON object, got ") + type_name(doc.type()));
    return out;
  }
  object root(doc);
  Scenario s;
  s.file = file;

  auto key = r.str(root, "key", "", true, true);
  if (key) {
    check_key(r, *key);
    s.key = out.key = *key;
  }
  s.tags = out.tags = r.str_array(root, "tags", "");
  for (std::size_t i = 0; i < s.tags.size(); ++i)
    if (s.tags[i].empty() || s.tags[i].find_first_of(", *") != std::string::npos)
      r.error(index_path("tags", i), "tag '" + printable(s.tags[i]) + "' must be non-empty, without spaces, commas or '*'");
    else if (has_control(s.tags[i]) || !utf8_valid(s.tags[i]))
      r.error(index_path("tags", i), "tag '" + printable(s.tags[i]) + "' must be UTF-8 without control characters");

  const bool modern = r.field(root, "title", "") || r.field(root, "ticket_title", "") || r.field(root, "ticket_body", "");
  if (!modern && r.field(root, "name", "")) {
    // 0.3/0.4: `name` is the title and the ticket title; `description` is the ticket text.
    s.legacy_format = true;
    auto name = r.str(root, "name", "", true, true);
    auto desc = r.str(root, "description", "", true, true);
    s.title = s.ticket_title = name.value_or("");
    check_title(r, "name", s.title);
    s.description = s.ticket_body = desc.value_or("");
    r.warn("(file)", "uses the 0.3/0.4 form: 'name' serves as title and ticket_title, 'description' as ticket_body");
  } else {
    s.title = r.str(root, "title", "", true, true).value_or("");
    s.description = r.str(root, "description", "", true).value_or("");
    s.ticket_title = r.str(root, "ticket_title", "", true, true).value_or("");
    check_title(r, "title", s.title);
    check_title(r, "ticket_title", s.ticket_title);
    s.ticket_body = r.str(root, "ticket_body", "", true, true).value_or("");
  }
  s.timeout_seconds = r.integer(root, "timeout_seconds", "", 1, max_timeout_seconds);
  parse_hosts_agents(r, root, s);
  parse_validation(r, root, s);
  r.unknown_fields(doc, "");
  if (!r.has_errors()) out.scenario = std::move(s);
  return out;
}

}  // namespace runner
