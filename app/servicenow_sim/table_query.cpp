#include "app/servicenow_sim/table_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace runner::sim {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The terms of a query: split at `^`, with `^^` a literal `^`.
std::vector<std::string> split_terms(const std::string& text) {
  std::vector<std::string> terms(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '^') {
      terms.back() += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '^') {
      terms.back() += '^';
      ++i;
    } else {
      terms.emplace_back();
    }
  }
  return terms;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Longest first, so NOT LIKE is not read as a field followed by LIKE, or <= as <.
constexpr const char* operators[] = {"ISNOTEMPTY", "ISEMPTY", "STARTSWITH", "ENDSWITH", "NOT LIKE", "NOT IN", "LIKE",
                                     "IN",         "!=",      ">=",         "<=",       "=",        ">",      "<"};

// nullopt: no field name, or no operator the simulator knows after it.
std::optional<QueryCondition> parse_condition(const std::string& term) {
  std::size_t n = 0;
  while (n < term.size() && ((term[n] >= 'a' && term[n] <= 'z') || (term[n] >= '0' && term[n] <= '9') || term[n] == '_' ||
                             term[n] == '.'))
    ++n;
  if (n == 0) return std::nullopt;
  const std::string rest = term.substr(n);
  for (const char* op : operators)
    if (starts_with(rest, op)) return QueryCondition{term.substr(0, n), op, rest.substr(std::char_traits<char>::length(op))};
  return std::nullopt;
}

// A finite decimal number ("12", "-3.5"); nullopt for text, nan and inf.
std::optional<double> number(const std::string& s) {
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s.back())))) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// <0, 0, >0, a total order: numbers as numbers, before any text; text without regard
// to ASCII case.
int compare(const std::string& a, const std::string& b) {
  auto x = number(a), y = number(b);
  if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  if (x || y) return x ? -1 : 1;
  return lower(a).compare(lower(b));
}

bool holds(const QueryCondition& c, const Record& r) {
  auto it = r.find(c.field);
  const std::string value = lower(it == r.end() ? std::string() : it->second);
  const std::string want = lower(c.value);
  auto in_list = [&] {
    std::size_t pos = 0;
    for (;;) {
      auto comma = want.find(',', pos);
      if (want.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos) == value) return true;
      if (comma == std::string::npos) return false;
      pos = comma + 1;
    }
  };
  const std::string& op = c.op;
  if (op == "=") return value == want;
  if (op == "!=") return value != want;
  if (op == "LIKE") return value.find(want) != std::string::npos;
  if (op == "NOT LIKE") return value.find(want) == std::string::npos;
  if (op == "STARTSWITH") return starts_with(value, want);
  if (op == "ENDSWITH") return value.size() >= want.size() && value.compare(value.size() - want.size(), want.size(), want) == 0;
  if (op == "IN") return in_list();
  if (op == "NOT IN") return !in_list();
  if (op == "ISEMPTY") return value.empty();
  if (op == "ISNOTEMPTY") return !value.empty();
  const std::string raw = it == r.end() ? std::string() : it->second;
  if (op == "<") return compare(raw, c.value) < 0;
  if (op == "<=") return compare(raw, c.value) <= 0;
  if (op == ">") return compare(raw, c.value) > 0;
  return compare(raw, c.value) >= 0;  // ">="
}

}  // namespace

EncodedQuery parse_encoded_query(const std::string& text, const std::function<bool(const std::string&)>& is_field) {
  EncodedQuery q;
  auto condition = [&](const std::string& term) -> std::optional<QueryCondition> {
    auto c = parse_condition(term);
    if (!c || (is_field && !is_field(c->field))) {
      q.ignored.push_back(term);
      return std::nullopt;
    }
    return c;
  };
  q.queries.emplace_back();
  for (std::string term : split_terms(text)) {
    if (starts_with(term, "NQ")) {  // `^NQ` starts a new query with the condition that follows
      q.queries.emplace_back();
      term = term.substr(2);
    }
    if (term.empty() || term == "EQ") continue;  // EQ: the end marker list views append
    if (starts_with(term, "ORDERBYDESC")) {
      q.order.push_back({term.substr(11), true});
      continue;
    }
    if (starts_with(term, "ORDERBY")) {
      q.order.push_back({term.substr(7), false});
      continue;
    }
    auto& conjunction = q.queries.back();
    if (starts_with(term, "OR") && !conjunction.empty()) {
      if (auto c = condition(term.substr(2))) conjunction.back().push_back(std::move(*c));
      continue;
    }
    if (auto c = condition(term)) conjunction.push_back({std::move(*c)});
  }
  return q;
}

bool matches(const EncodedQuery& q, const Record& r) {
  bool any_query = false;
  for (const auto& conjunction : q.queries) {
    if (conjunction.empty() && q.queries.size() > 1) continue;  // an empty ^NQ part adds nothing
    any_query = true;
    bool all = true;
    for (const auto& disjunction : conjunction)
      if (std::none_of(disjunction.begin(), disjunction.end(), [&](const QueryCondition& c) { return holds(c, r); })) {
        all = false;
        break;
      }
    if (all) return true;
  }
  return !any_query;
}

void sort_records(std::vector<const Record*>& records, const std::vector<QueryOrder>& order) {
  if (order.empty()) return;
  std::stable_sort(records.begin(), records.end(), [&](const Record* a, const Record* b) {
    for (const auto& o : order) {
      auto fa = a->find(o.field), fb = b->find(o.field);
      const int c = compare(fa == a->end() ? std::string() : fa->second, fb == b->end() ? std::string() : fb->second);
      if (c != 0) return o.descending ? c > 0 : c < 0;
    }
    return false;
  });
}

}  // namespace runner::sim
