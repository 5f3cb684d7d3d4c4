#include "core/run_name.hpp"

#include <array>
#include <cctype>

#include "adapters/db/platform_id.hpp"

namespace runner {
namespace {

// Every word has a letter beyond a-f, so no generated name reads as a hex prefix.
constexpr std::array<const char*, 32> adjectives = {
    "amber", "bold",   "brisk",  "calm",   "clever", "crisp",  "dusty",  "eager",  "fancy",  "gentle", "glossy",
    "hardy", "humble", "jolly",  "keen",   "lively", "lucky",  "mellow", "nimble", "plucky", "proud",  "quiet",
    "rapid", "rusty",  "shiny",  "steady", "sunny",  "swift",  "tidy",   "vivid",  "witty",  "zesty"};
constexpr std::array<const char*, 32> nouns = {
    "badger", "bison",  "condor", "coyote", "falcon", "ferret", "gecko",  "heron",  "ibis",   "jaguar", "koala",
    "lemur",  "lynx",   "marten", "moose",  "newt",   "ocelot", "otter",  "panda",  "puffin", "quokka", "raven",
    "salmon", "stork",  "tapir",  "toucan", "turtle", "viper",  "walrus", "wombat", "yak",    "zebra"};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
}

}  // namespace

std::optional<std::string> run_name_problem(std::string_view name) {
  if (auto p = platform_id_problem(name)) return p;
  if (name == "latest") return std::string("is reserved: `latest` means the newest benchmark");
  bool hex_only = true;
  for (char c : name) hex_only &= std::isxdigit(static_cast<unsigned char>(c)) || c == '-';
  if (hex_only) return std::string("is made of hex digits and dashes only, which reads as a benchmark ID; add a letter beyond a-f");
  return std::nullopt;
}

std::string generated_run_name(std::string_view id) {
  // Digits 5-8 of the ID pick the words (the first four are printed): uuid v4 digits
  // are random, so the words spread evenly.
  int a = 0, n = 0;
  if (id.size() >= 8) {
    a = (hex_value(id[4]) * 16 + hex_value(id[5])) % adjectives.size();
    n = (hex_value(id[6]) * 16 + hex_value(id[7])) % nouns.size();
  }
  return std::string(adjectives[a]) + "-" + nouns[n] + "-" + std::string(id.substr(0, 4));
}

}  // namespace runner
