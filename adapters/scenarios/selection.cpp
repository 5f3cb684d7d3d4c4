#include "adapters/scenarios/selection.hpp"

#include "adapters/text/utf8.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace runner {

bool selection_item_matches(const std::string& item, const std::string& key, const std::vector<std::string>& tags) {
  if (item.find('*') != std::string::npos) return ::fnmatch(item.c_str(), key.c_str(), 0) == 0;  // '*' also spans '/'
  return item == key || std::find(tags.begin(), tags.end(), item) != tags.end();
}

namespace {

std::string suggestions(const Catalog& cat, const std::string& item) {
  std::set<std::string> names;
  for (const auto& s : cat.scenarios) {
    names.insert(s.key);
    names.insert(s.tags.begin(), s.tags.end());
  }
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::size_t limit = std::max<std::size_t>(2, item.size() / 3);
  for (const auto& n : names) {
    std::size_t d = edit_distance(item, n);
    const bool prefix = n.find(item) != std::string::npos;  // "nginx" for "nginx-broken-config"
    if (d <= limit || prefix) scored.emplace_back(prefix ? 0 : d, n);
  }
  std::sort(scored.begin(), scored.end());
  if (scored.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out += (i ? ", '" : "'") + scored[i].second + "'";
  return out + "?)";
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> split_selection(const std::string& arg) {
  std::vector<std::string> out;
  std::stringstream ss(arg);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    auto e = item.find_last_not_of(" \t");
    out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

Selection select_scenarios(const Catalog& cat, const std::vector<std::string>& items,
                           const std::vector<std::string>& exclude) {
  Selection sel;
  std::set<const Scenario*> chosen;
  auto excluded = [&](const auto& b) {
    return !b.key.empty() && std::any_of(exclude.begin(), exclude.end(), [&](const std::string& item) {
      return selection_item_matches(item, b.key, b.tags);
    });
  };
  if (items.empty()) {
    for (const auto& s : cat.scenarios) chosen.insert(&s);
    for (const auto& b : cat.broken)
      if (!excluded(b))
        sel.errors.push_back("scenario " + (b.key.empty() ? std::string() : "'" + b.key + "' ") + "in " + b.file +
                             " has definition errors");
  }
  for (const auto& item : items) {
    bool matched = false;
    for (const auto& s : cat.scenarios)
      if (selection_item_matches(item, s.key, s.tags)) {
        chosen.insert(&s);
        matched = true;
      }
    for (const auto& b : cat.broken)
      if (!b.key.empty() && selection_item_matches(item, b.key, b.tags)) {
        matched = true;
        if (excluded(b)) continue;
        sel.errors.push_back("-s: '" + item + "' selects scenario '" + b.key + "' (" + b.file +
                             ") which has definition errors");
      }
    if (!matched) {
      std::string hint = suggestions(cat, item);
      if (!cat.unreadable.empty())
        hint += "; " + std::to_string(cat.unreadable.size()) + " folder(s) could not be read and may hold it (first: " +
                cat.unreadable.front() + ")";
      sel.errors.push_back("-s: '" + printable(item) + "' matches no scenario key or tag" + hint);
    }
  }
  sel.scenarios.assign(chosen.begin(), chosen.end());
  std::sort(sel.scenarios.begin(), sel.scenarios.end(),
            [](const Scenario* a, const Scenario* b) { return a->key < b->key; });
  return sel;
}

std::string narrow_selection(Selection& sel, const Catalog& cat, const std::vector<std::string>& exclude,
                             std::optional<int> limit) {
  for (const auto& item : exclude) {
    const bool known = std::any_of(cat.scenarios.begin(), cat.scenarios.end(),
                                   [&](const Scenario& s) { return selection_item_matches(item, s.key, s.tags); }) ||
                       std::any_of(cat.broken.begin(), cat.broken.end(), [&](const auto& b) {
                         return !b.key.empty() && selection_item_matches(item, b.key, b.tags);
                       });
    if (!known) return "--exclude: '" + printable(item) + "' matches no scenario key or tag" + suggestions(cat, item);
    std::erase_if(sel.scenarios, [&](const Scenario* s) { return selection_item_matches(item, s->key, s->tags); });
  }
  if (limit && sel.scenarios.size() > static_cast<std::size_t>(*limit)) sel.scenarios.resize(static_cast<std::size_t>(*limit));
  if (sel.scenarios.empty()) return "nothing to run: --exclude left out every selected scenario";
  return "";
}

}  // namespace runner
