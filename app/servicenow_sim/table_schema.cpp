#include "app/servicenow_sim/table_schema.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace runner::sim {
namespace {

using Kind = FieldSpec::Kind;

FieldSpec choice(std::vector<std::pair<std::string, std::string>> values) {
  return {Kind::choice, std::move(values), ""};
}
FieldSpec reference(std::string table) { return {Kind::reference, {}, std::move(table)}; }
FieldSpec of(Kind k) { return {k, {}, ""}; }

// The choice lists of an out-of-the-box instance.
const std::vector<std::pair<std::string, std::string>> incident_states = {
    {"1", "New"}, {"2", "In Progress"}, {"3", "On Hold"}, {"6", "Resolved"}, {"7", "Closed"}, {"8", "Canceled"}};
const std::vector<std::pair<std::string, std::string>> three_levels = {{"1", "1 - High"}, {"2", "2 - Medium"}, {"3", "3 - Low"}};

const std::vector<TableSchema>& tables() {
  static const std::vector<TableSchema> all = {
      {"incident",
       "number",
       "INC",
       {{"state", choice(incident_states)},
        {"impact", choice(three_levels)},
        {"urgency", choice(three_levels)},
        {"priority", choice({{"1", "1 - Critical"}, {"2", "2 - High"}, {"3", "3 - Moderate"}, {"4", "4 - Low"}, {"5", "5 - Planning"}})},
        {"close_code", choice({{"Solved (Work Around)", "Solved (Work Around)"},
                               {"Solved (Permanently)", "Solved (Permanently)"},
                               {"Solved Remotely (Work Around)", "Solved Remotely (Work Around)"},
                               {"Solved Remotely (Permanently)", "Solved Remotely (Permanently)"},
                               {"Not Solved (Not Reproducible)", "Not Solved (Not Reproducible)"},
                               {"Not Solved (Too Costly)", "Not Solved (Too Costly)"},
                               {"Closed/Resolved by Caller", "Closed/Resolved by Caller"}})},
        {"caller_id", reference("sys_user")},
        {"opened_by", reference("sys_user")},
        {"assigned_to", reference("sys_user")},
        {"resolved_by", reference("sys_user")},
        {"assignment_group", reference("sys_user_group")},
        {"active", of(Kind::boolean)},
        {"work_notes", of(Kind::journal)},
        {"comments", of(Kind::journal)}},
       {{"state", "1"},
        {"impact", "3"},
        {"urgency", "3"},
        {"priority", "5"},
        {"active", "true"},
        {"short_description", ""},
        {"description", ""},
        {"close_code", ""},
        {"close_notes", ""},
        {"caller_id", ""},
        {"assignment_group", ""},
        {"assigned_to", ""},
        {"opened_by", ""},
        {"resolved_by", ""},
        {"opened_at", ""},
        {"resolved_at", ""},
        {"closed_at", ""},
        {"work_notes", ""},
        {"comments", ""},
        {"correlation_id", ""},
        {"correlation_display", ""}}},
      {"sys_journal_field",
       "value",
       "",
       {},
       {{"element", ""}, {"element_id", ""}, {"name", ""}, {"value", ""}}},
      {"sys_user",
       "name",
       "",
       {{"active", of(Kind::boolean)}, {"locked_out", of(Kind::boolean)}, {"user_password", of(Kind::password)}},
       {{"user_name", ""}, {"name", ""}, {"first_name", ""}, {"last_name", ""}, {"email", ""}, {"active", "true"}, {"locked_out", "false"}}},
  };
  return all;
}

std::string label_of(const FieldSpec& spec, const std::string& value) {
  for (const auto& [v, label] : spec.choices)
    if (v == value) return label;
  return value;  // a value outside the list shows as it is
}

bool same_text(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

FieldSpec TableSchema::spec(const std::string& field) const {
  for (const auto& [name, s] : fields)
    if (name == field) return s;
  return {};
}

const TableSchema* find_table(const std::string& name) {
  for (const auto& t : tables())
    if (t.name == name) return &t;
  return nullptr;
}

std::optional<DisplayMode> parse_display_mode(const std::string& text) {
  if (text.empty() || text == "false") return DisplayMode::value;
  if (text == "true") return DisplayMode::display;
  if (text == "all") return DisplayMode::all;
  return std::nullopt;
}

nlohmann::json record_json(const TableSchema& table, const Record& record, const RecordView& view) {
  nlohmann::json out = nlohmann::json::object();
  auto show = [&](const std::string& field, const std::string& value) {
    const FieldSpec spec = table.spec(field);
    if (spec.kind == Kind::password) return;  // write-only, as on an instance
    std::string display = value;
    if (spec.kind == Kind::choice) display = label_of(spec, value);
    if (spec.kind == Kind::journal) display = "";  // the journal lives in sys_journal_field
    const bool linked = spec.kind == Kind::reference && !value.empty();
    if (linked) display = view.display_of ? view.display_of(spec.reference_table, value) : value;
    const std::string link = linked ? view.base_url + "/api/now/table/" + spec.reference_table + "/" + value : "";
    const std::string& stored = spec.kind == Kind::journal ? display : value;
    switch (view.mode) {
      case DisplayMode::value:
        out[field] = linked && !view.exclude_reference_link ? nlohmann::json{{"link", link}, {"value", stored}}
                                                            : nlohmann::json(stored);
        break;
      case DisplayMode::display:
        out[field] = linked && !view.exclude_reference_link ? nlohmann::json{{"display_value", display}, {"link", link}}
                                                            : nlohmann::json(display);
        break;
      case DisplayMode::all: {
        nlohmann::json both = {{"display_value", display}, {"value", stored}};
        if (linked && !view.exclude_reference_link) both["link"] = link;
        out[field] = std::move(both);
        break;
      }
    }
  };
  if (view.fields.empty()) {
    for (const auto& [field, value] : record) show(field, value);
    return out;
  }
  for (const auto& field : view.fields) {
    auto it = record.find(field);
    if (it != record.end()) show(field, it->second);
  }
  return out;
}

std::string stored_value(const FieldSpec& spec, const std::string& written, bool input_display_value,
                         const std::function<std::string(const std::string&, const std::string&)>& find_by_display) {
  if (spec.kind == Kind::boolean) {
    if (same_text(written, "true") || written == "1") return "true";
    if (same_text(written, "false") || written == "0" || written.empty()) return "false";
    return written;
  }
  if (!input_display_value) return written;
  if (spec.kind == Kind::choice) {
    for (const auto& [value, label] : spec.choices)
      if (same_text(label, written)) return value;
    return written;
  }
  if (spec.kind == Kind::reference && find_by_display) {
    const std::string id = find_by_display(spec.reference_table, written);
    return id.empty() ? written : id;
  }
  return written;
}

}  // namespace runner::sim
