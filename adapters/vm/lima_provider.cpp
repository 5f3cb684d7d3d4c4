// The lima provider: `limactl` commands. `limactl list --format json` prints one
// JSON object per instance and line; lima has no labels, so ours live in a
// 2501-runner.json file inside the instance folder (the `dir` of the listing).
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"
#include "adapters/process/command.hpp"
#include "adapters/vm/vm_provider.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

constexpr const char* kLabelFile = "2501-runner.json";

struct LimaInstance {
  VmInfo info;
  std::string dir, ssh_address = "127.0.0.1";
  int ssh_port = 0;
};

class LimaProvider : public VmProvider {
 public:
  LimaProvider() {
    const char* p = std::getenv("LIMACTL");
    program_ = p && *p ? p : "limactl";
  }
  std::string mode() const override { return "lima"; }

  std::string check() override {
    auto r = run_command({program_, "list", "--format", "json"}, "", std::chrono::seconds(30));
    if (!r.started) return r.error;
    if (!r.ok()) return "limactl list failed (" + r.describe() + ")";
    return "";
  }

  std::vector<VmInfo> list() override {
    std::vector<VmInfo> out;
    for (auto& i : instances()) out.push_back(std::move(i.info));
    return out;
  }

  std::optional<VmInfo> find(const std::string& name) override {
    for (auto& i : instances())
      if (i.info.name == name) return i.info;
    return std::nullopt;
  }

  void create_from_image(const VmTemplate& t, const std::string& name, const VmLabels& labels) override {
    auto it = t.base_image.find("lima");
    if (it == t.base_image.end()) throw VmError("template " + t.name + " has no base_image.lima");
    std::vector<std::string> argv = {program_, "create", "--tty=false", "--name=" + name};
    add_limits(argv, t);
    argv.push_back(it->second);
    must(argv, "create " + name + " from " + it->second, std::chrono::minutes(15));
    write_labels(name, labels);
  }

  void clone(const std::string& source, const std::string& name, const VmTemplate& t, const VmLabels& labels) override {
    std::vector<std::string> argv = {program_, "clone", "--tty=false"};
    add_limits(argv, t);
    argv.push_back(source);
    argv.push_back(name);
    must(argv, "clone " + source + " to " + name, std::chrono::minutes(10));
    write_labels(name, labels);
  }

  void start(const std::string& name) override {
    must({program_, "start", "--tty=false", name}, "start " + name, std::chrono::minutes(10));
  }
  void stop(const std::string& name) override { must({program_, "stop", name}, "stop " + name, std::chrono::minutes(5)); }

  void destroy(const std::string& name) override {
    auto r = run_command({program_, "delete", "--force", name}, "", std::chrono::minutes(5));
    if (!r.ok() && r.err.find("not exist") == std::string::npos && r.err.find("not found") == std::string::npos)
      throw VmError("limactl: delete " + name + " failed: " + r.describe());
  }

  // Lima makes its own user (the host user's name) with lima's key: nothing to add.
  void authorize(const std::string&, const std::string&) override {}

  std::optional<VmEndpoint> ready(const std::string& name) override {
    for (auto& i : instances()) {
      if (i.info.name != name) continue;
      if (i.info.status != "Running" || i.ssh_port <= 0) return std::nullopt;
      if (!run_command({program_, "shell", name, "true"}, "", std::chrono::seconds(30)).ok()) return std::nullopt;
      return VmEndpoint{i.ssh_address, i.ssh_port, user(), lima_home() + "/_config/user"};
    }
    return std::nullopt;
  }

 private:
  static std::string lima_home() {
    if (const char* h = std::getenv("LIMA_HOME"); h && *h) return h;
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "/root") + "/.lima";
  }
  static std::string user() {
    const char* u = std::getenv("USER");
    return u && *u ? u : "root";
  }

  CommandResult must(const std::vector<std::string>& argv, const std::string& what, std::chrono::milliseconds timeout) {
    auto r = run_command(argv, "", timeout);
    if (!r.ok()) throw VmError("limactl: " + what + " failed: " + r.describe());
    return r;
  }

  static void add_limits(std::vector<std::string>& argv, const VmTemplate& t) {
    argv.push_back("--cpus=" + std::to_string(t.vcpu));
    char mem[32];
    std::snprintf(mem, sizeof mem, "%.3g", static_cast<double>(t.memory_mib) / 1024.0);  // GiB
    argv.push_back(std::string("--memory=") + mem);
  }

  std::vector<LimaInstance> instances() {
    auto r = must({program_, "list", "--format", "json"}, "list instances", std::chrono::seconds(60));
    std::vector<LimaInstance> out;
    std::istringstream lines(r.out);
    std::string line;
    simdjson::dom::parser parser;
    while (std::getline(lines, line)) {
      if (line.find('{') == std::string::npos) continue;
      simdjson::dom::element doc;
      if (parser.parse(line).get(doc)) throw VmError("limactl: cannot parse a line of `list --format json`");
      LimaInstance i;
      std::string_view sv;
      std::int64_t port = 0;
      if (!doc["name"].get(sv)) i.info.name = std::string(sv);
      if (!doc["status"].get(sv)) i.info.status = std::string(sv);
      if (!doc["dir"].get(sv)) i.dir = std::string(sv);
      if (!doc["sshAddress"].get(sv) && !sv.empty()) i.ssh_address = std::string(sv);
      if (!doc["sshLocalPort"].get(port)) i.ssh_port = static_cast<int>(port);
      i.info.labels = read_labels(i.dir);
      out.push_back(std::move(i));
    }
    return out;
  }

  static VmLabels read_labels(const std::string& dir) {
    VmLabels labels;
    if (dir.empty()) return labels;
    std::ifstream in(fs::path(dir) / kLabelFile);
    if (!in) return labels;
    std::stringstream ss;
    ss << in.rdbuf();
    simdjson::dom::parser parser;
    simdjson::dom::object o;
    if (parser.parse(ss.str()).get(o)) return labels;
    for (auto [k, v] : o) {
      std::string_view sv;
      if (!v.get(sv)) labels[std::string(k)] = std::string(sv);
    }
    return labels;
  }

  void write_labels(const std::string& name, const VmLabels& labels) {
    for (auto& i : instances()) {
      if (i.info.name != name) continue;
      if (i.dir.empty()) throw VmError("limactl: instance " + name + " has no folder in the listing");
      nlohmann::json json = nlohmann::json::object();
      for (const auto& [k, v] : labels) json[k] = v;
      std::ofstream(fs::path(i.dir) / kLabelFile) << json_dump(json) << "\n";
      return;
    }
    throw VmError("limactl: instance " + name + " missing right after it was made");
  }

  std::string program_;
};

}  // namespace

std::unique_ptr<VmProvider> make_lima_provider() { return std::make_unique<LimaProvider>(); }

}  // namespace runner
