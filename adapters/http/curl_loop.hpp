#pragma once
// One libcurl multi handle driven by one thread: every HTTP exchange of the process
// runs here, however many jobs are polled at once. submit() is thread-safe and wakes
// the loop; the completion callback runs on the loop's thread and must be quick
// (the HTTP client actor just forwards it to itself as a message).
#include <cstdint>
#include <functional>
#include <memory>

#include "messages/http.hpp"

namespace runner {

class CurlLoop {
 public:
  using Done = std::function<void(std::uint64_t id, HttpResponse response)>;

  CurlLoop();
  ~CurlLoop();  // stops the thread; pending exchanges are abandoned
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // One attempt of `request`; `done` receives the outcome (status 0 + error on
  // transport failure). Never blocks.
  void submit(std::uint64_t id, HttpRequest request, Done done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
