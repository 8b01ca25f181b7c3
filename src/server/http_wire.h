// HTTP/1.1 on the wire, without the socket: a request parsed from the bytes read so far, and
// an answer's status line and headers. Pure functions; the daemon's event loop (http_server.cc)
// feeds them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/api.h"

namespace captain {

struct WireLimits {
  size_t max_head_bytes = 64 * 1024;  // request line and headers
  size_t max_headers = 100;
  size_t max_body_bytes = 1u << 20;
};

struct WireRequest {
  HttpRequest req;  // method, decoded path and query, the headers the API reads, the body
  bool keep_alive = true;
};

struct ParseOutcome {
  enum Kind {
    kNeedMore,  // the request is not all here yet
    kRequest,   // `consumed` bytes are one request
    kError,     // answer `status` with `message` and close
  } kind = kNeedMore;
  size_t consumed = 0;
  int status = 0;
  std::string message;
  // kNeedMore: `need`, the bytes to wait for before parsing again (more than are here);
  // `head_done`, the head is in and the body is not; `expect_continue`, the client waits for
  // "100 Continue" before sending it (never for HTTP/1.0).
  bool head_done = false;
  bool expect_continue = false;
  size_t need = 0;
};

// What ParseRequest keeps between calls for one request, so that no byte is looked at twice
// however the request arrives: where the search for the head's end resumes, the parsed head,
// and how far a chunked body is decoded. Reset when a request (or an error) is returned.
struct WireProgress {
  size_t scanned = 0;  // the head does not end before this offset
  bool head_done = false;
  size_t body_start = 0;
  bool chunked = false;
  size_t length = 0;  // Content-Length
  bool expect_continue = false;
  size_t chunk_pos = 0;  // offset of the next chunk-size (or trailer) line
  bool last_chunk = false;
  size_t trailer_lines = 0;
  WireRequest parsed;  // the head's fields and the body decoded so far
};

// Parses the request at the start of `buf` into `out`. Called again with the same `progress`,
// `buf` must start at the same byte and hold at least what it held before.
ParseOutcome ParseRequest(std::string_view buf, const WireLimits& limits, WireRequest& out,
                          WireProgress& progress);
// The same from scratch.
ParseOutcome ParseRequest(std::string_view buf, const WireLimits& limits, WireRequest& out);

// %XX decoded (and '+' as a space when `plus_space`); a malformed escape stays as it is.
std::string DecodePercent(std::string_view s, bool plus_space);

// The pairs of a query string or an application/x-www-form-urlencoded body, decoded.
void ParseQuery(std::string_view q, std::multimap<std::string, std::string>& out);

// The status line and headers of an answer whose body is `length` bytes (Content-Length is
// sent for every status but 204 and 304), ending with the blank line.
std::string AnswerHead(int status, std::string_view content_type, size_t length,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       bool keep_alive);

}  // namespace captain
