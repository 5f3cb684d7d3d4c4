#include "adapters/regex/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

namespace runner {

namespace {
constexpr uint32_t match_limit = 10'000'000;
constexpr uint32_t depth_limit = 10'000;
}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  pcre2_match_context* mctx = nullptr;
  ~Code() {
    if (mctx) pcre2_match_context_free(mctx);
    if (code) pcre2_code_free(code);
  }
};

Regex::Regex(std::shared_ptr<const Code> code, std::string pattern)
    : code_(std::move(code)), pattern_(std::move(pattern)) {}

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error) {
  pcre2_compile_context* cctx = pcre2_compile_context_create(nullptr);
  pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX);
  int err = 0;
  PCRE2_SIZE offset = 0;
  const uint32_t options = PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_ALT_BSUX | PCRE2_MATCH_INVALID_UTF;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &err,
                                   &offset, cctx);
  pcre2_compile_context_free(cctx);
  if (!code) {
    if (error) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(err, buf, sizeof buf);
      *error = std::string(reinterpret_cast<char*>(buf)) + " at offset " + std::to_string(offset);
    }
    return std::nullopt;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // best effort: falls back to the interpreter
  auto c = std::make_shared<Code>();
  c->code = code;
  c->mctx = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(c->mctx, match_limit);
  pcre2_set_depth_limit(c->mctx, depth_limit);
  return Regex(std::move(c), std::string(pattern));
}

bool Regex::search(std::string_view subject) const {
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                       code_->mctx);
  pcre2_match_data_free(md);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(rc, buf, sizeof buf);
  throw std::runtime_error("regex /" + pattern_ + "/: " + reinterpret_cast<char*>(buf));
}

}  // namespace runner
