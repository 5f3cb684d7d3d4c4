#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/vm_worker.hpp"
#include "adapters/vm/vm_lifecycle.hpp"

namespace runner {
namespace {

struct vm_worker_state {
  std::shared_ptr<const VmSettings> vm;
  std::unique_ptr<VmProvider> provider;
  static inline const char* name = "vm-worker";
};

using vm_worker_pointer = vm_worker_actor::stateful_pointer<vm_worker_state>;

vm_worker_actor::behavior_type vm_worker(vm_worker_pointer self, std::shared_ptr<const VmSettings> vm) {
  self->state.vm = vm;
  self->state.provider = make_vm_provider(vm->mode, vm->key_path);
  return {
      [=](vm_up_atom, const VmUpRequest& req) -> caf::result<HostRow> {
        // Blocking commands: this actor has its own thread.
        auto& st = self->state;
        auto t = st.vm->templates->templates.find(req.template_name);
        if (t == st.vm->templates->templates.end())
          return caf::make_error(runner_errc::vm, "template '" + req.template_name + "' is not defined");
        const VmLabels labels = {{"role", "run"},
                                 {"benchmark", req.benchmark_id},
                                 {"scenario", req.scenario_key},
                                 {"iteration", std::to_string(req.iteration)},
                                 {"host", req.host_name}};
        try {
          const VmEndpoint ep = bring_up_clone(*st.provider, t->second, req.clone_name, labels,
                                               RunnerKey{st.vm->key_path, st.vm->public_key}, st.vm->ready_timeout);
          return clone_host_row(req.clone_name, req.host_name, ep, t->second);
        } catch (const std::exception& e) {
          return caf::make_error(runner_errc::vm, std::string(e.what()));
        }
      },
      [=](vm_down_atom, const std::vector<std::string>& names) {
        bool all = true;
        for (const auto& n : names) {
          try {
            self->state.provider->destroy(n);
          } catch (const std::exception& e) {
            spdlog::warn("could not destroy {}: {} (sandbox purge-vms reaps it)", n, e.what());
            all = false;
          }
        }
        return all;
      },
  };
}

}  // namespace

vm_worker_actor spawn_vm_worker(caf::actor_system& sys, std::shared_ptr<const VmSettings> vm, bool detached) {
  if (detached) return sys.spawn<caf::detached>(vm_worker, std::move(vm));
  return sys.spawn(vm_worker, std::move(vm));
}

}  // namespace runner
