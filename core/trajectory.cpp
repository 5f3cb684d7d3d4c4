#include "core/trajectory.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <vector>

#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

// Ordered: the engine's job keeps its fields in the order the engine sent them.
using json = nlohmann::ordered_json;

// Text from outside as a JSON value: parsed when it is JSON, kept as a string when not.
json value_of(const std::string& text) {
  auto v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json(utf8_clean(text)) : v;
}

void each_string(json& v, const std::function<void(std::string&)>& f) {
  if (v.is_string()) return f(v.get_ref<std::string&>());
  if (v.is_array() || v.is_object())
    for (auto& child : v) each_string(child, f);
}

// `doc` with every string longer than `limit` bytes cut to it (at a character boundary).
json cut_to(const json& doc, std::size_t limit, std::size_t& cut) {
  json out = doc;
  cut = 0;
  each_string(out, [&](std::string& s) {
    if (s.size() <= limit) return;
    s = utf8_truncate(s, limit);
    ++cut;
  });
  return out;
}

}  // namespace

std::string trajectory_json(const TrajectoryParts& p, std::size_t max_bytes) {
  if (p.job_body.empty()) return "";
  json doc = {{"gateway", p.gateway}, {"job", value_of(p.job_body)}};
  if (p.job && p.job->has_ticket) {
    json ticket = {{"state", p.job->ticket_state},
                   {"summary", p.job->gateway_summary},
                   {"messages", p.job->gateway_messages}};
    if (!p.ticket_json.empty()) ticket["record"] = value_of(p.ticket_json);
    doc["ticket"] = std::move(ticket);
  }
  std::string text = json_dump_ordered(doc);
  if (text.size() <= max_bytes) return text;

  // Too large: find the largest common length for the longest strings that fits
  // (binary search over the length; each probe is one dump).
  const std::size_t original = text.size();
  std::size_t lo = 0, hi = original, cut = 0;
  std::string best;
  while (lo <= hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    json probe = cut_to(doc, mid, cut);
    probe["truncated"] = {{"original_bytes", original}, {"strings_cut", cut}, {"string_limit_bytes", mid}};
    std::string t = json_dump_ordered(probe);
    if (t.size() <= max_bytes) {
      best = std::move(t);
      lo = mid + 1;
    } else {
      if (mid == 0) break;
      hi = mid - 1;
    }
  }
  if (!best.empty()) return best;
  // Even empty strings do not fit (a job of millions of tasks): keep the record of it.
  return json_dump_ordered(json{{"gateway", p.gateway},
                        {"job", nullptr},
                        {"truncated", {{"original_bytes", original}, {"structure_dropped", true}}}});
}

std::optional<JobSnapshot> trajectory_job(const std::string& trajectory) {
  auto doc = json::parse(trajectory, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("job") || !doc["job"].is_object()) return std::nullopt;
  auto job = engine_api::parse_job(json_dump_ordered(doc["job"]));
  if (!job) return std::nullopt;
  if (auto t = doc.find("ticket"); t != doc.end() && t->is_object()) {
    job->has_ticket = true;
    // A stored document is outside input: a field of another type is absent, never a throw.
    auto text_of = [&](const char* k) {
      auto f = t->find(k);
      return f != t->end() && f->is_string() ? f->get<std::string>() : std::string();
    };
    job->ticket_state = text_of("state");
    job->gateway_summary = text_of("summary");
    if (auto m = t->find("messages"); m != t->end() && m->is_array())
      for (const auto& s : *m)
        if (s.is_string()) job->gateway_messages.push_back(s.get<std::string>());
  }
  return job;
}

}  // namespace runner
