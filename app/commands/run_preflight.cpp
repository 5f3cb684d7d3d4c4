#include "app/commands/run_preflight.hpp"

#include "adapters/env/env_number.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "adapters/db/database.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/http/percent_encoding.hpp"
#include "adapters/log/redactor.hpp"
#include "adapters/text/utf8.hpp"
#include "adapters/servicenow/servicenow_api.hpp"
#include "adapters/vm/vm_lifecycle.hpp"
#include "app/commands/vm_support.hpp"
#include "app/scenario_source.hpp"

namespace runner {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

// One exchange through the HTTP client actor, waited for here (pre-flight runs
// before the scenario actors); a client that cannot answer is status 0.
HttpResponse exchange(caf::actor_system& sys, const http_client_actor& http, HttpRequest req,
                      std::chrono::seconds wait) {
  HttpResponse resp;
  caf::scoped_actor self{sys};
  self->request(http, wait, std::move(req))
      .receive([&](HttpResponse& r) { resp = std::move(r); }, [&](caf::error& e) { resp.error = sys.render(e); });
  return resp;
}

// Probes the engine with the configured key through the HTTP client actor.
CheckResult check_engine(caf::actor_system& sys, const http_client_actor& http, const Config& cfg) {
  const std::string base = engine_api::normalize_base_url(cfg.get("ENGINE_API_URL"));
  auto req = engine_api::whoami({base, cfg.get("ENGINE_API_KEY")});
  const std::string tried = req.url;
  req.max_attempts = 2;
  req.timeout_ms = 5'000;
  const HttpResponse resp = exchange(sys, http, std::move(req), std::chrono::seconds(30));
  if (resp.status == 200) {
    // An HTML error page or a proxy's banner answers 200 too: it is not our engine.
    if (!nlohmann::json::accept(resp.body))
      return {false, tried + " answered HTTP 200 with a body that is not JSON (" +
                         utf8_truncate(printable(resp.body), 60) + "); is ENGINE_API_URL the engine's API?"};
    return {true, base + " answers"};
  }
  if (resp.status == 401 || resp.status == 403)
    return {false, "the engine rejected ENGINE_API_KEY (HTTP " + std::to_string(resp.status) + ")"};
  if (resp.status == 0) return {false, "cannot reach " + base + ": " + resp.error};
  // Something answers, but not the engine API's contract (docs/engine-api.md): most
  // often ENGINE_API_URL names the Command Center or a path below the API.
  if (resp.status == 404)
    return {false, tried + " answered HTTP 404: not the 2501 engine API; set ENGINE_API_URL to the engine's address "
                           "(with or without /api/v1)"};
  return {false, tried + " answered HTTP " + std::to_string(resp.status)};
}

// Probes the ServiceNow Table API with the configured credentials.
CheckResult check_servicenow(caf::actor_system& sys, const http_client_actor& http, const Config& cfg) {
  const std::string url = cfg.get("SERVICENOW_API_URL");
  auto req = servicenow::probe({url, cfg.get("SERVICENOW_USERNAME"), cfg.get("SERVICENOW_PASSWORD")});
  // Instances answer 429/503 in bursts; a credentials error (401/403) is never retried.
  req.max_attempts = 8;
  req.timeout_ms = 5'000;
  // Long enough for every attempt, its timeout and the client's backoff between them.
  const HttpResponse resp = exchange(sys, http, std::move(req), std::chrono::minutes(3));
  const std::string user = "'" + utf8_truncate(printable(cfg.get("SERVICENOW_USERNAME")), 80) + "'";
  if (resp.status == 200) {
    auto found = servicenow::parse_probed_user(resp.body);
    if (!found)
      return {false, "ServiceNow " + url + " answered the sys_user probe with a body that is not a Table API list (" +
                         utf8_truncate(printable(resp.body), 60) + "); is SERVICENOW_API_URL the instance's address?"};
    // Signed in, yet the record is not there: an ACL hides it. The credentials work.
    if (!found->found)
      return {true, "ServiceNow " + url + " accepts the credentials of " + user +
                        " (its sys_user record is not readable to it)"};
    if (found->locked_out) return {false, "ServiceNow user " + user + " (SERVICENOW_USERNAME) is locked out"};
    if (!found->active) return {false, "ServiceNow user " + user + " (SERVICENOW_USERNAME) is not active"};
    return {true, "ServiceNow " + url + " accepts the credentials of " + user};
  }
  if (resp.status == 401 || resp.status == 403)
    return {false, "ServiceNow rejected SERVICENOW_USERNAME " + user + " with SERVICENOW_PASSWORD (HTTP " +
                       std::to_string(resp.status) +
                       ", a credentials error: the user is missing, locked out or not active, or the password is wrong)"};
  if (resp.status == 0) return {false, "cannot reach ServiceNow at " + url + ": " + resp.error};
  return {false, "ServiceNow " + url + " answered HTTP " + std::to_string(resp.status)};
}

}  // namespace

std::optional<RunPreflight> run_preflight(const RunOptions& opts, const Config& cfg, caf::actor_system& sys,
                                          const http_client_actor& http) {
  RunPreflight out;
  Preflight pf;
  pf.run("configuration", [&]() -> CheckResult {
    auto missing = missing_variables(cfg, to_string(opts.gateway), opts.common.source);
    if (!missing.empty()) return {false, "missing " + join(missing)};
    // A weak secret cannot be kept out of the output: masking it garbles every line
    // holding the word, and not masking it prints it.
    std::vector<std::string> weak;
    for (const char* k : {"ENGINE_API_KEY", "GIT_RUNNER_PAT", "SERVICENOW_PASSWORD"})
      if (cfg.has(k))
        if (auto why = weak_secret(cfg.get(k)); !why.empty()) weak.push_back(std::string(k) + " (" + why + ")");
    if (auto pw = url_password(cfg.get("DATABASE_URL")); !pw.empty())
      if (auto why = weak_secret(percent_decode(pw)); !why.empty()) weak.push_back("the DATABASE_URL password (" + why + ")");
    if (!weak.empty()) return {false, "too weak to keep out of logs, use a real secret: " + join(weak)};
    return {true, cfg.env_file.empty() ? "process environment" : "env file " + cfg.env_file};
  });
  const bool config_ok = pf.all_ok();
  out.db_url = cfg.get("DATABASE_URL");
  bool db_ok = false;
  pf.run("database", [&]() -> CheckResult {
    if (out.db_url.empty()) return {false, "skipped: DATABASE_URL missing"};
    auto r = check_database(out.db_url);
    db_ok = r.ok;
    return r;
  });
  pf.run("organization, tenant, user", [&]() -> CheckResult {
    if (!db_ok) return {false, "skipped: database unavailable"};
    return check_identity_ids(out.db_url, cfg.get("ORG_ID"), cfg.get("TENANT_ID"), cfg.get("USER_ID"));
  });
  pf.run(std::string("gateway ") + to_string(opts.gateway), [&]() -> CheckResult {
    if (!config_ok) return {false, "skipped: configuration incomplete"};
    auto engine = check_engine(sys, http, cfg);
    if (!engine.ok || opts.gateway != GatewayKind::servicenow) return engine;
    auto snow = check_servicenow(sys, http, cfg);
    return {snow.ok, snow.detail + "; engine " + engine.detail};
  });
  pf.run(std::string("mode ") + to_string(opts.mode), [&]() -> CheckResult {
    if (opts.mode == RunMode::host) return {true, "hosts and agents from the database"};
    const std::string dir = opts.vm_templates_path.value_or(default_vm_templates_path());
    auto catalog = std::make_shared<TemplateCatalog>(load_vm_templates(dir));
    if (!catalog->errors.empty()) return {false, join(catalog->errors)};
    const RunnerKey key = ensure_runner_key();
    out.provider = make_vm_provider(to_string(opts.mode), key.private_path);
    if (auto why = out.provider->check(); !why.empty()) return {false, why};
    auto vm = std::make_shared<VmSettings>();
    vm->mode = to_string(opts.mode);
    vm->templates = catalog;
    vm->key_path = key.private_path;
    vm->public_key = key.public_key;
    vm->ready_timeout = std::chrono::seconds(env_number("RUNNER_VM_READY_TIMEOUT_S", 180, 1, 86'400));
    out.vm = vm;
    return {true, std::to_string(catalog->templates.size()) + " template(s) in " + dir + ", key " + key.private_path};
  });
  pf.run("ansible", check_ansible);
  pf.run("scenarios source", [&]() -> CheckResult {
    if (!config_ok && opts.common.source == "git") return {false, "skipped: configuration incomplete"};
    out.root = resolve_scenario_root(opts.common.source, opts.common.scenarios_path, cfg);
    return {true, out.root.root + (out.root.commit.empty() ? "" : " at " + out.root.commit.substr(0, 12))};
  });
  if (!pf.all_ok()) {
    spdlog::error("pre-flight failed: {}", join(pf.failures()));
    return std::nullopt;
  }
  return out;
}

}  // namespace runner
