#include "adapters/http/curl_loop.hpp"

#include <curl/curl.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <string>
#include <unordered_map>

#include "adapters/env/env_number.hpp"

namespace runner {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

struct Transfer {
  std::uint64_t id = 0;
  HttpRequest request;
  CurlLoop::Done done;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  bool too_large = false;
};

// No reply is allowed to grow the runner without bound (an engine streaming an
// endless body): RUNNER_HTTP_MAX_BODY_MIB, default 16.
std::size_t max_body_bytes() {
  static const std::size_t cap = env_number("RUNNER_HTTP_MAX_BODY_MIB", 16, 1, 4096) * 1024 * 1024;
  return cap;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->response.body.size() + size * n > max_body_bytes()) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response.body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  std::string line(data, size * n);
  static const std::string name = "retry-after:";
  if (line.size() > name.size()) {
    std::string head = line.substr(0, name.size());
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == name) {
      // Seconds, or an HTTP date: a date means "later", for which 5 s is a fair guess.
      const long v = std::strtol(line.c_str() + name.size(), nullptr, 10);
      static_cast<Transfer*>(user)->response.retry_after_s = v > 0 ? static_cast<std::uint32_t>(v) : 5;
    }
  }
  return size * n;
}

}  // namespace

struct CurlLoop::Impl {
  CURLM* multi = nullptr;
  std::mutex mutex;
  std::deque<std::unique_ptr<Transfer>> incoming;  // guarded by mutex
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running;  // loop thread only
  std::atomic<bool> stop{false};
  std::thread thread;

  void start(std::unique_ptr<Transfer> t) {
    t->easy = curl_easy_init();
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->request.method.c_str());
    if (t->request.method != "GET") {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->request.body.size()));
      curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, t->request.body.c_str());
    }
    for (const auto& h : t->request.headers) t->headers = curl_slist_append(t->headers, h.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(t->request.connect_timeout_ms));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t->request.timeout_ms));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body_bytes()));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_multi_add_handle(multi, e);
    running.emplace(e, std::move(t));
  }

  void finish(CURL* e, CURLcode code) {
    auto it = running.find(e);
    if (it == running.end()) return;
    std::unique_ptr<Transfer> t = std::move(it->second);
    running.erase(it);
    curl_multi_remove_handle(multi, e);
    if (code == CURLE_OK) {
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &t->response.status);
    } else {
      t->response.status = 0;
      t->response.error = curl_easy_strerror(code);
      t->response.too_large = t->too_large || code == CURLE_FILESIZE_EXCEEDED;
      if (t->response.too_large)
        t->response.error = "reply body larger than " + std::to_string(max_body_bytes() / (1024 * 1024)) +
                            " MiB (RUNNER_HTTP_MAX_BODY_MIB); not read further";
      t->response.body.clear();
      t->response.body.shrink_to_fit();
    }
    curl_slist_free_all(t->headers);
    curl_easy_cleanup(e);
    t->done(t->id, std::move(t->response));
  }

  void run() {
    while (!stop) {
      {
        std::deque<std::unique_ptr<Transfer>> batch;
        {
          std::lock_guard lock(mutex);
          batch.swap(incoming);
        }
        for (auto& t : batch) start(std::move(t));
      }
      int still = 0;
      curl_multi_perform(multi, &still);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &queued))
        if (msg->msg == CURLMSG_DONE) finish(msg->easy_handle, msg->data.result);
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);  // wakes on I/O, a submit, or after 1 s
    }
    for (auto& [e, t] : running) {
      curl_multi_remove_handle(multi, e);
      curl_slist_free_all(t->headers);
      curl_easy_cleanup(e);
    }
    running.clear();
  }
};

CurlLoop::CurlLoop() : impl_(std::make_unique<Impl>()) {
  static GlobalInit init;
  (void)max_body_bytes();  // a bad RUNNER_HTTP_MAX_BODY_MIB is refused here, not on the loop's thread
  impl_->multi = curl_multi_init();
  // Thousands of polled jobs share a few connections per engine instead of opening a
  // socket each: curl queues the rest and reuses connections (keep-alive).
  curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, 64L);
  impl_->thread = std::thread([this] { impl_->run(); });
}

CurlLoop::~CurlLoop() {
  impl_->stop = true;
  curl_multi_wakeup(impl_->multi);
  impl_->thread.join();
  curl_multi_cleanup(impl_->multi);
}

void CurlLoop::submit(std::uint64_t id, HttpRequest request, Done done) {
  auto t = std::make_unique<Transfer>();
  t->id = id;
  t->request = std::move(request);
  t->done = std::move(done);
  t->response.attempts = 1;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->incoming.push_back(std::move(t));
  }
  curl_multi_wakeup(impl_->multi);
}

}  // namespace runner
