#include "adapters/json/json_text.hpp"

#include <nlohmann/json.hpp>

#include "adapters/text/utf8.hpp"

namespace runner {

std::string json_dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_dump_ordered(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

nlohmann::ordered_json cleaned(const nlohmann::ordered_json& v) {
  if (v.is_string()) return utf8_clean(v.get_ref<const std::string&>());
  if (v.is_array()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& x : v) out.push_back(cleaned(x));
    return out;
  }
  if (v.is_object()) {
    auto out = nlohmann::ordered_json::object();
    for (const auto& [k, x] : v.items()) out[utf8_clean(k)] = cleaned(x);
    return out;
  }
  return v;
}

}  // namespace

std::string json_for_database(const std::string& text) {
  auto doc = nlohmann::ordered_json::parse(text, nullptr, false);
  if (doc.is_discarded()) return json_dump_ordered(utf8_clean(text));
  return json_dump_ordered(cleaned(doc));
}

}  // namespace runner
