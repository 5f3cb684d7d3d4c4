#include "actors/system_config.hpp"

#include <caf/all.hpp>

#include "messages/caf_types.hpp"

namespace runner {

const char* to_string(runner_errc code) {
  switch (code) {
    case runner_errc::admission_closed: return "admission_closed";
    case runner_errc::too_large: return "too_large";
    case runner_errc::provision: return "provision";
    case runner_errc::vm: return "vm";
    case runner_errc::database: return "database";
    case runner_errc::playbook: return "playbook";
    case runner_errc::gateway: return "gateway";
    case runner_errc::timeout: return "timeout";
    case runner_errc::interrupted: return "interrupted";
    case runner_errc::host_busy: return "host_busy";
  }
  return "unknown";
}

void configure_runner_system(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::runner>();
  cfg.add_error_category(caf::atom("runner"), [](uint8_t code, caf::atom_value, const caf::message& ctx) {
    std::string out = to_string(static_cast<runner_errc>(code));
    if (ctx.size() > 0 && ctx.match_element<std::string>(0)) out += ": " + ctx.get_as<std::string>(0);
    return out;
  });
}

bool is_runner_error(const caf::error& e) { return e && e.category() == caf::atom("runner"); }

bool is_runner_error(const caf::error& e, runner_errc code) {
  return is_runner_error(e) && e.code() == static_cast<uint8_t>(code);
}

std::string error_field(const caf::error& e, std::size_t index) {
  const auto& ctx = e.context();
  if (index < ctx.size() && ctx.match_element<std::string>(index)) return ctx.get_as<std::string>(index);
  return "";
}

std::string error_text(caf::actor_system& sys, const caf::error& e) {
  if (is_runner_error(e)) {
    auto text = error_field(e, 0);
    return text.empty() ? to_string(static_cast<runner_errc>(e.code())) : text;
  }
  return sys.render(e);
}

}  // namespace runner
