#include "app/engine_sim/engine_sim.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <simdjson.h>

#include <condition_variable>
#include <set>
#include <thread>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "adapters/engine/engine_api.hpp"
#include <nlohmann/json.hpp>

#include <cstdio>

#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/scenario_loader.hpp"
#include "app/engine_sim/oracle.hpp"
#include "app/sim_common/sim_server.hpp"

namespace runner::sim {
namespace {

using Clock = std::chrono::steady_clock;

struct Ticket {
  std::string id;
  TicketSpec spec;
  Clock::time_point created;
  std::string job_id;
};

struct Job {
  std::string incident_sys_id, incident_number;  // ServiceNow mode
  bool incident_synced = false;                   // work notes posted, incident resolved
  JobSnapshot snap;
  TicketSpec spec;
  Clock::time_point earliest_done;
  bool work_done = false;   // the behaviour's work finished (oracle: the playbook ran)
  JobSnapshot result;       // what the job shows once done
  // Restarts: each lost task (id) and the task that redoes it; lost_for_good: the
  // engine never picks the job up again (--restart-recovery none).
  std::vector<std::pair<std::string, std::string>> redone;
  bool lost_for_good = false;
};

// A restart's mark on a snapshot: each lost task ends failed, and a copy of it with a
// new id redoes the work (in progress in the visible snapshot, as the result has it in
// the result). Applied to both, so the job's end shows both tasks.
void apply_restart(JobSnapshot& snap, const std::vector<std::pair<std::string, std::string>>& redone) {
  for (const auto& [lost, redo] : redone) {
    bool have = false;
    for (const auto& t : snap.tasks) have |= t.id == redo;
    if (have) continue;
    for (std::size_t i = 0; i < snap.tasks.size(); ++i)
      if (snap.tasks[i].id == lost) {
        TaskSnapshot copy = snap.tasks[i];
        copy.id = redo;
        snap.tasks[i].status = "failed";
        snap.tasks[i].summary = "lost: the engine restarted while this task ran";
        snap.tasks.push_back(std::move(copy));
        break;
      }
  }
}

enum class Fault { none, server_error, server_error_after, too_many, reset, slow };

std::string json_error(const std::string& message) { return json_dump({{"error", message}}); }

void not_found(httplib::Response& res, const std::string& what) {
  res.status = 404;
  res.set_content(json_error("no such " + what), "application/json");
}

}  // namespace

struct EngineSim::Impl {
  EngineSimConfig cfg;
  // cpp-httplib 0.11 percent-decodes header values as it parses them, so a key holding
  // "%2F" arrives as "/": requests are compared against the key decoded the same way.
  const std::string expected_authorization = httplib::detail::decode_url("Bearer " + cfg.api_key, false);
  httplib::Server server;
  std::mutex mu;
  std::mt19937_64 rng;
  std::map<std::string, Ticket> tickets;
  std::map<std::string, std::string> idempotency;  // key -> ticket id
  std::map<std::string, Job> jobs;
  std::map<std::string, std::uint64_t> counters;   // requests by endpoint, faults, ...
  std::map<std::string, std::uint64_t> flushes;    // by agent
  std::uint64_t next_id = 1;
  std::map<std::string, Scenario> scenarios;       // by key
  Oracle oracle;
  // Oracle work queue: job ids whose playbook must run.
  std::deque<std::string> queue;
  std::condition_variable queue_cv;
  bool stopping = false;
  Clock::time_point down_until{};  // a restart: every API call answers 503 until then
  std::once_flag stop_once;
  std::vector<std::thread> workers;

  explicit Impl(EngineSimConfig c) : cfg(std::move(c)), rng(cfg.seed), oracle(cfg.database_url, cfg.work_dir) {}

  // --- faults -------------------------------------------------------------
  Fault roll(const char* endpoint) {
    std::lock_guard lock(mu);
    ++counters[std::string("requests.") + endpoint];
    std::uniform_real_distribution<double> u(0, 1);
    double x = u(rng);
    auto hit = [&](double rate, const char* name) {
      if (x < rate) {
        ++counters[std::string("faults.") + name];
        return true;
      }
      x -= rate;
      return false;
    };
    if (hit(cfg.fault_5xx, "5xx")) return u(rng) < 0.5 ? Fault::server_error : Fault::server_error_after;
    if (hit(cfg.fault_429, "429")) return Fault::too_many;
    if (hit(cfg.fault_reset, "reset")) return Fault::reset;
    if (hit(cfg.fault_slow, "slow")) return Fault::slow;
    return Fault::none;
  }

  // Applies a fault decided before the handler ran; true when the request is answered.
  bool pre_fault(Fault f, httplib::Response& res) {
    if (f == Fault::server_error) {
      res.status = 503;
      res.set_content(json_error("injected 503"), "application/json");
      return true;
    }
    if (f == Fault::too_many) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(json_error("injected 429"), "application/json");
      return true;
    }
    return false;
  }

  // Faults that hit after the work was done: the client never learns the outcome.
  void post_fault(Fault f, httplib::Response& res) {
    if (f == Fault::server_error_after) {
      res.status = 500;
      res.set_content(json_error("injected 500 after processing"), "application/json");
    } else if (f == Fault::slow) {
      std::this_thread::sleep_for(std::chrono::milliseconds(cfg.slow_ms));
    } else if (f == Fault::reset) {
      // Promise a body, then fail to send it: the connection drops mid-response.
      res.set_content_provider(1024, "application/json",
                               [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    }
  }

  bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == expected_authorization) return true;
    {
      std::lock_guard lock(mu);
      ++counters["unauthorized"];
    }
    res.status = 401;
    res.set_content(json_error("invalid API key"), "application/json");
    return false;
  }

  // Wraps a handler with auth, counting and fault injection.
  template <class Fn>
  httplib::Server::Handler api(const char* endpoint, Fn fn) {
    return [this, endpoint, fn](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      if (restarting()) {
        res.status = 503;
        res.set_content(json_error("the engine is restarting"), "application/json");
        return;
      }
      Fault f = roll(endpoint);
      if (!pre_fault(f, res)) {
        fn(req, res);
        post_fault(f, res);
      }
      if (cfg.misbehave == "echo-auth" && res.status >= 400) {
        // A careless engine: its error bodies echo the request's credentials.
        res.set_content(json_dump({{"error", "request failed"},
                                   {"request", {{"authorization", req.get_header_value("Authorization")}}}}),
                        "application/json");
      }
    };
  }

  // --- jobs -----------------------------------------------------------------
  // Called with mu held: the job of a ticket appears once the pickup delay passed.
  void materialize_job(Ticket& t) {
    if (!t.job_id.empty() || Clock::now() < t.created + std::chrono::milliseconds(cfg.pickup_delay_ms)) return;
    Job job;
    job.spec = t.spec;
    job.snap.id = "job_" + std::to_string(next_id++);
    job.snap.ticket_id = t.id;
    job.snap.status = "in_progress";
    job.snap.plan = "Investigate the ticket on the scenario's hosts and remediate.";
    job.earliest_done = Clock::now() + std::chrono::milliseconds(cfg.job_duration_ms);
    const std::size_t n = std::max<std::size_t>(t.spec.agent_ids.size(), 1);
    for (std::size_t i = 0; i < n; ++i) {
      TaskSnapshot task;
      task.id = job.snap.id + "_task_" + std::to_string(i + 1);
      task.agent_id = i < t.spec.agent_ids.size() ? t.spec.agent_ids[i] : "";
      task.host_id = i < t.spec.host_ids.size() ? t.spec.host_ids[i] : (t.spec.host_ids.empty() ? "" : t.spec.host_ids[0]);
      task.status = "in_progress";
      task.description = t.spec.body;
      job.snap.tasks.push_back(task);
    }
    job.result = job.snap;
    if (cfg.behavior == "noop" || cfg.behavior == "fail") {
      job.work_done = true;
      const bool fail = cfg.behavior == "fail";
      job.result.status = fail ? "failed" : "completed";
      job.result.resolution_status = fail ? "hard_failure" : "no_action";
      job.result.resolution = fail ? "The agent could not reach the host." : "No action was taken.";
      for (auto& task : job.result.tasks) task.status = fail ? "failed" : "completed";
    }
    t.job_id = job.snap.id;
    ++counters["jobs"];
    if (cfg.behavior == "oracle") {
      queue.push_back(job.snap.id);
      queue_cv.notify_one();
    }
    jobs.emplace(job.snap.id, std::move(job));
  }

  bool finished_work(const Job& job) const {
    return job.snap.status == "in_progress" && job.work_done && !job.lost_for_good && Clock::now() >= job.earliest_done;
  }

  bool restarting() {
    std::lock_guard lock(mu);
    if (Clock::now() >= down_until) return false;
    ++counters["restarting_503"];
    return true;
  }

  // Called with mu held: the restart's effect on every job still running.
  std::size_t restart() {
    down_until = Clock::now() + std::chrono::milliseconds(cfg.restart_downtime_ms);
    ++counters["restarts"];
    std::size_t affected = 0;
    for (auto& [id, job] : jobs) {
      if (job.snap.status != "in_progress") continue;
      ++affected;
      if (cfg.restart_recovery == "none") {
        job.lost_for_good = true;
        continue;
      }
      for (const auto& t : job.snap.tasks)
        if (t.status == "in_progress")
          job.redone.emplace_back(t.id, id + "_task_" + std::to_string(job.snap.tasks.size() + job.redone.size() + 1));
      apply_restart(job.snap, job.redone);
      apply_restart(job.result, job.redone);
      // The redo starts after the engine is back and takes a job's duration again.
      job.earliest_done = std::max(job.earliest_done, down_until + std::chrono::milliseconds(cfg.job_duration_ms));
    }
    return affected;
  }

  // Called with mu held: a job whose work is done shows its result after its duration
  // (in ServiceNow mode only once the incident was updated, as the platform would).
  JobSnapshot observe(Job& job) {
    if (finished_work(job) && (job.incident_sys_id.empty() || job.incident_synced)) job.snap = job.result;
    return job.snap;
  }

  // --- ServiceNow mode ------------------------------------------------------
  std::map<std::string, std::string> job_by_incident;  // number -> job id
  std::set<std::string> seen_incidents;                // sys_ids already turned into jobs
  std::thread servicenow_thread;

  // PATCH with a few retries: the ServiceNow simulator may inject faults too.
  bool patch_incident(httplib::Client& cli, const std::string& sys_id, const std::string& body) {
    for (int attempt = 0; attempt < 20 && !stopping; ++attempt) {
      auto res = cli.Patch(("/api/now/table/incident/" + sys_id).c_str(), body, "application/json");
      if (res && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // An incident's correlation "2501:<benchmark>:<key>:<iteration>" names its scenario.
  static bool parse_correlation(const std::string& c, TicketSpec& t) {
    if (c.rfind("2501:", 0) != 0) return false;
    const auto b = c.find(':', 5), last = c.rfind(':');
    if (b == std::string::npos || last <= b) return false;
    t.benchmark_id = c.substr(5, b - 5);
    t.scenario_key = c.substr(b + 1, last - b - 1);
    t.iteration = std::atoi(c.c_str() + last + 1);
    return !t.scenario_key.empty();
  }

  void pick_up_incidents(httplib::Client& cli) {
    const std::string path = "/api/now/table/incident?sysparm_query=assignment_group%3D" +
                             cfg.servicenow_assignment_group +
                             "%5Estate%3D1&sysparm_fields=sys_id,number,short_description,description,correlation_id"
                             "&sysparm_display_value=false&sysparm_exclude_reference_link=true";
    auto res = cli.Get(path.c_str());
    if (!res || res->status != 200) return;
    simdjson::dom::parser parser;
    simdjson::dom::array list;
    if (parser.parse(res->body)["result"].get(list) != simdjson::SUCCESS) return;
    for (auto e : list) {
      auto field = [&](const char* k) {
        std::string_view v;
        return e[k].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
      };
      const std::string sys_id = field("sys_id"), number = field("number");
      TicketSpec spec;
      spec.title = field("short_description");
      spec.body = field("description");
      if (!parse_correlation(field("correlation_id"), spec)) continue;
      std::string job_id;
      {
        std::lock_guard lock(mu);
        if (!seen_incidents.insert(sys_id).second) continue;
        if (auto it = scenarios.find(spec.scenario_key); it != scenarios.end()) {
          for (const auto& h : it->second.hosts)
            if (!h.host_id.empty()) spec.host_ids.push_back(h.host_id);
          for (const auto& a : it->second.agents)
            if (!a.agent_id.empty()) spec.agent_ids.push_back(a.agent_id);
        }
        Ticket t;
        t.id = "tkt_" + std::to_string(next_id++);
        t.spec = spec;
        t.created = Clock::now() - std::chrono::milliseconds(cfg.pickup_delay_ms);  // the poll was the pickup
        ++counters["tickets"];
        ++counters["servicenow.incidents_picked_up"];
        auto& stored = tickets.emplace(t.id, std::move(t)).first->second;
        materialize_job(stored);
        job_id = stored.job_id;
        auto& job = jobs.at(job_id);
        job.incident_sys_id = sys_id;
        job.incident_number = number;
        job_by_incident[number] = job_id;
      }
      patch_incident(cli, sys_id, json_dump({{"state", "2"}, {"work_notes", "2501 picked this up: job " + job_id}}));
    }
  }

  // Jobs whose work is done: post the platform's work notes, then resolve the
  // incident (success) or leave it In Progress with a note (anything else).
  void sync_finished_jobs(httplib::Client& cli) {
    std::vector<std::pair<std::string, Job>> due;
    {
      std::lock_guard lock(mu);
      for (auto& [id, job] : jobs)
        if (!job.incident_sys_id.empty() && !job.incident_synced && finished_work(job)) due.emplace_back(id, job);
    }
    for (auto& [id, job] : due) {
      const JobSnapshot& r = job.result;
      for (const auto& note : r.gateway_messages)
        patch_incident(cli, job.incident_sys_id, json_dump({{"work_notes", note}}));
      if (r.resolution_status == "success") {
        const std::string notes = r.gateway_summary.empty() ? r.resolution : r.gateway_summary;
        patch_incident(cli, job.incident_sys_id,
                       json_dump({{"state", "6"},
                                  {"close_code", "Solved (Permanently)"},
                                  {"close_notes", notes},
                                  {"comments", "Resolved: " + notes}}));
      } else {
        patch_incident(cli, job.incident_sys_id,
                       json_dump({{"work_notes", "The 2501 job " + id + " ended " + r.resolution_status + ": " +
                                                     r.resolution}}));
      }
      std::lock_guard lock(mu);
      jobs.at(id).incident_synced = true;
      ++counters["servicenow.incidents_updated"];
    }
  }

  void servicenow_loop() {
    httplib::Client cli(cfg.servicenow_url);
    cli.set_basic_auth(cfg.servicenow_username.c_str(), cfg.servicenow_password.c_str());
    cli.set_connection_timeout(2);
    cli.set_read_timeout(5);
    while (!stopping) {
      pick_up_incidents(cli);
      sync_finished_jobs(cli);
      std::this_thread::sleep_for(std::chrono::milliseconds(cfg.servicenow_poll_ms));  // the simulator's own thread
    }
  }

  void oracle_worker() {
    for (;;) {
      std::string id;
      Job copy;
      {
        std::unique_lock lock(mu);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) return;
        id = queue.front();
        queue.pop_front();
        copy = jobs.at(id);
      }
      const Scenario* scenario = nullptr;
      if (auto it = scenarios.find(copy.spec.scenario_key); it != scenarios.end()) scenario = &it->second;
      JobSnapshot result = oracle.resolve(copy.snap, copy.spec, scenario);
      std::lock_guard lock(mu);
      auto& job = jobs.at(id);
      if (job.snap.status != "in_progress") continue;  // cancelled meanwhile
      job.result = std::move(result);
      apply_restart(job.result, job.redone);  // a restart while the playbook ran
      job.work_done = true;
    }
  }

  // --- routes -----------------------------------------------------------------
  void routes() {
    server.Get("/api/v1/whoami", api("whoami", [this](const httplib::Request&, httplib::Response& res) {
      if (cfg.misbehave == "html")
        return res.set_content("<html><body><h1>Welcome to nginx!</h1></body></html>", "text/html");
      res.set_content(json_dump({{"service", "2501-engine-sim"}, {"api_version", "1"}, {"behavior", cfg.behavior}}),
                      "application/json");
    }));
    server.Post("/api/v1/gateways/runner/tickets", api("create_ticket", [this](const httplib::Request& req,
                                                                               httplib::Response& res) {
      auto spec = engine_api::parse_ticket_spec(req.body);
      if (!spec) {
        res.status = 400;
        res.set_content(json_error("ticket needs title, body and metadata.scenario_key"), "application/json");
        return;
      }
      const std::string key = req.get_header_value("Idempotency-Key");
      std::lock_guard lock(mu);
      if (!key.empty()) {
        if (auto it = idempotency.find(key); it != idempotency.end()) {
          ++counters["duplicate_creates_prevented"];
          res.status = 200;
          res.set_content(json_dump({{"id", it->second}, {"status", "open"}}), "application/json");
          return;
        }
      }
      Ticket t;
      t.id = "tkt_" + std::to_string(next_id++);
      t.spec = std::move(*spec);
      t.created = Clock::now();
      if (!key.empty()) idempotency[key] = t.id;
      ++counters["tickets"];
      res.status = 201;
      res.set_content(json_dump({{"id", t.id}, {"status", "open"}}), "application/json");
      tickets.emplace(t.id, std::move(t));
    }));
    server.Get(R"(/api/v1/tickets/([^/]+))", api("read_ticket", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu);
      auto it = tickets.find(req.matches[1]);
      if (it == tickets.end()) return not_found(res, "ticket");
      materialize_job(it->second);
      const auto& t = it->second;
      res.set_content(json_dump({{"id", t.id},
                                 {"status", "open"},
                                 {"job_id", t.job_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.job_id)}}),
                      "application/json");
    }));
    server.Get(R"(/api/v1/jobs/([^/]+))", api("read_job", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu);
      auto it = jobs.find(req.matches[1]);
      if (it == jobs.end()) return not_found(res, "job");
      if (cfg.misbehave == "endless-job") {
        // A body that never ends: 64 KiB chunks until the client hangs up.
        res.set_chunked_content_provider("application/json", [](std::size_t, httplib::DataSink& sink) {
          static const std::string chunk(64 * 1024, ' ');
          return sink.write(chunk.data(), chunk.size());
        });
        return;
      }
      JobSnapshot snap = observe(it->second);
      if (cfg.misbehave == "bad-status") snap.status = "exploded";
      std::string body = engine_api::job_json(snap);
      if (cfg.misbehave == "bad-tokens") {
        auto doc = nlohmann::json::parse(body);
        doc["usage"] = {{"prompt_tokens", -5}, {"completion_tokens", "lots"}, {"total_tokens", 1e300}};
        body = json_dump(doc);
      }
      res.set_content(body, "application/json");
    }));
    server.Post(R"(/api/v1/jobs/([^/]+)/cancel)", api("cancel_job", [this](const httplib::Request& req,
                                                                           httplib::Response& res) {
      if (cfg.misbehave == "deaf-cancel") {
        // An engine that never answers a cancel: the request hangs (up to 2 minutes,
        // or until the simulator stops) and the job goes on.
        for (int i = 0; i < 1200; ++i) {
          {
            std::lock_guard lock(mu);
            if (stopping) break;  // the pool is joined after stop(): do not hold it up
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return;
      }
      std::lock_guard lock(mu);
      auto it = jobs.find(req.matches[1]);
      if (it == jobs.end()) return not_found(res, "job");
      auto& job = it->second;
      observe(job);
      if (!job.snap.terminal()) {
        job.snap.status = "cancelled";
        for (auto& t : job.snap.tasks) t.status = "cancelled";
        ++counters["cancels"];
      }
      res.set_content(json_dump({{"id", job.snap.id}, {"status", job.snap.status}}), "application/json");
    }));
    server.Post(R"(/api/v1/agents/([^/]+)/flush)", api("flush_agent", [this](const httplib::Request& req,
                                                                             httplib::Response& res) {
      std::lock_guard lock(mu);
      const std::string agent = req.matches[1];
      const auto archived = flushes[agent]++ == 0 ? 3 : 0;  // the first flush archives the earlier tasks
      ++counters["flushes"];
      res.set_content(json_dump({{"agent_id", agent}, {"archived_tasks", archived}}), "application/json");
    }));
    server.Get("/api/v1/jobs", api("find_job", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu);
      auto it = job_by_incident.find(req.get_param_value("servicenow_incident"));
      nlohmann::json found = nlohmann::json::array();
      if (it != job_by_incident.end()) found.push_back({{"id", it->second}});
      res.set_content(json_dump({{"jobs", std::move(found)}}), "application/json");
    }));
    // The engine's admin restart (`chaos`): answered before the engine goes down.
    server.Post("/api/v1/admin/restart", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      std::lock_guard lock(mu);
      const std::size_t affected = restart();
      res.status = 202;
      res.set_content(json_dump({{"restarting", true},
                                 {"jobs_affected", affected},
                                 {"downtime_ms", cfg.restart_downtime_ms},
                                 {"recovery", cfg.restart_recovery}}),
                      "application/json");
    });
    server.Get("/_sim/counters", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mu);
      res.set_content(counters_json(counters), "application/json");
    });
  }
};

EngineSim::EngineSim(EngineSimConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

EngineSim::~EngineSim() { stop(); }

bool EngineSim::run(const std::function<void(int)>& on_ready) {
  auto& im = *impl_;
  if (!im.cfg.scenarios_path.empty()) {
    Catalog cat = load_catalog(im.cfg.scenarios_path);
    for (auto& s : cat.scenarios) im.scenarios.emplace(s.key, std::move(s));
    spdlog::info("engine-sim: {} scenario(s) from {}", im.scenarios.size(), im.cfg.scenarios_path);
  }
  for (int i = 0; i < im.cfg.oracle_workers; ++i) im.workers.emplace_back([&im] { im.oracle_worker(); });
  if (!im.cfg.servicenow_url.empty()) im.servicenow_thread = std::thread([&im] { im.servicenow_loop(); });
  im.routes();
  return serve(im.server, {im.cfg.listen_host, im.cfg.listen_port}, im.cfg.http_threads, on_ready);
}

void EngineSim::restart() {
  std::lock_guard lock(impl_->mu);
  const std::size_t affected = impl_->restart();
  std::fprintf(stderr, "engine-sim: restarting (SIGHUP): %zu job(s) in flight, down for %u ms\n", affected,
               static_cast<unsigned>(impl_->cfg.restart_downtime_ms));
}

void EngineSim::stop() {
  if (!impl_) return;
  // Called by the signal watcher and again by the destructor: the second caller waits
  // for the first to finish instead of joining the same threads twice.
  std::call_once(impl_->stop_once, [this] {
    impl_->server.stop();
    {
      std::lock_guard lock(impl_->mu);
      impl_->stopping = true;
    }
    impl_->queue_cv.notify_all();
    for (auto& w : impl_->workers)
      if (w.joinable()) w.join();
    if (impl_->servicenow_thread.joinable()) impl_->servicenow_thread.join();
  });
}

}  // namespace runner::sim
