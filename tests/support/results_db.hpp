#pragma once
// What the reporter and integrity tests share: an organization to hang benchmarks
// on, a Benchmark row's record, and one-value SQL reads.
#include <pqxx/pqxx>

#include <string>

#include "messages/report.hpp"

namespace test {

inline const std::string results_org = "org_demo";

// The organization every test benchmark belongs to (tenant and user ids reuse it).
inline void seed_results_org(const std::string& url) {
  pqxx::connection c(url);
  pqxx::work w(c);
  w.exec("INSERT INTO tenants (id, name) VALUES ('tnt_results', 't')");
  w.exec("INSERT INTO organizations (id, tenant_id, name) VALUES ('" + results_org + "', 'tnt_results', 'o')");
  w.commit();
}

inline runner::BenchmarkRecord benchmark_record(const std::string& id) {
  runner::BenchmarkRecord b;
  b.id = id;
  b.organization_id = b.tenant_id = b.user_id = results_org;
  b.started_at = "2026-11-26T10:00:00Z";
  b.runner_version = "test";
  return b;
}

// The first column of the first row ("" for NULL).
inline std::string scalar(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::work w(c);
  auto r = w.exec(sql);
  return r[0][0].is_null() ? "" : r[0][0].c_str();
}

}  // namespace test
