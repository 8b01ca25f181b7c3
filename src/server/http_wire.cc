#include "server/http_wire.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

namespace captain {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool Same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    if (!ok || c == '\0') return false;
  }
  return true;
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

ParseOutcome Fail(int status, std::string message) {
  ParseOutcome o;
  o.kind = ParseOutcome::kError;
  o.status = status;
  o.message = std::move(message);
  return o;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool Digits(std::string_view v) {
  return !v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == std::string::npos;
}

// What the head says about the body and the connection.
struct Head {
  bool http10 = false;
  bool chunked = false;
  bool has_length = false;
  size_t length = 0;
  bool expect_continue = false;
};

// Reads one header line into `out` and `head`; an error outcome if it is not acceptable.
std::optional<ParseOutcome> Header(std::string_view line, WireRequest& out, Head& head) {
  if (line.front() == ' ' || line.front() == '\t') {
    return Fail(400, "folded header lines are not accepted");
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    return Fail(400, "malformed header line");
  }
  std::string_view name = line.substr(0, colon), value = Trim(line.substr(colon + 1));
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return Fail(400, "a header value holds a control character");
  }
  HttpRequest& r = out.req;
  auto first = [&](std::string& field) {
    if (field.empty()) field = value;
  };
  if (Same(name, "authorization")) {
    first(r.authorization);
  } else if (Same(name, "x-slack-request-timestamp")) {
    first(r.slack_timestamp);
  } else if (Same(name, "x-slack-signature")) {
    first(r.slack_signature);
  } else if (Same(name, "if-none-match")) {
    r.if_none_match =
        r.if_none_match.empty() ? std::string(value) : r.if_none_match + ", " + std::string(value);
  } else if (Same(name, "content-length")) {
    if (!Digits(value)) return Fail(400, "Content-Length is not a number");
    size_t n = std::stoull(std::string(value));
    if (head.has_length && n != head.length) return Fail(400, "two different Content-Lengths");
    head.has_length = true;
    head.length = n;
  } else if (Same(name, "transfer-encoding")) {
    if (!Same(value, "chunked")) {
      return Fail(501, "Transfer-Encoding " + std::string(value) + " is not supported");
    }
    head.chunked = true;
  } else if (Same(name, "connection")) {
    while (!value.empty()) {
      auto comma = value.find(',');
      std::string_view token = Trim(value.substr(0, comma));
      if (Same(token, "close")) out.keep_alive = false;
      if (Same(token, "keep-alive")) out.keep_alive = true;
      value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
  } else if (Same(name, "expect")) {
    if (!Same(value, "100-continue")) return Fail(417, "only Expect: 100-continue is understood");
    head.expect_continue = true;
  }
  return std::nullopt;
}

// The request line: method, target (path and query) and version.
std::optional<ParseOutcome> RequestLine(std::string_view line, WireRequest& out, Head& h) {
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "malformed request line");
  }
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  if (!IsToken(method)) return Fail(400, "malformed method");
  if (version == "HTTP/1.1") {
    out.keep_alive = true;
  } else if (version == "HTTP/1.0") {
    out.keep_alive = false;
    h.http10 = true;
  } else if (version.substr(0, 5) == "HTTP/") {
    return Fail(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
  } else {
    return Fail(400, "malformed request line");
  }
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {  // absolute form: keep the path
      auto slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  if (target.empty() || target.front() != '/') return Fail(400, "the target must be a path");
  for (char c : target) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      return Fail(400, "the target holds a control character");
    }
  }
  target = target.substr(0, target.find('#'));
  auto q = target.find('?');
  out.req.method = method;
  out.req.path = DecodePercent(target.substr(0, q), false);
  if (out.req.path.find('\0') != std::string::npos) return Fail(400, "the path holds a NUL");
  if (q != std::string_view::npos) ParseQuery(target.substr(q + 1), out.req.query);
  return std::nullopt;
}

ParseOutcome NeedMore(size_t need) {
  ParseOutcome o;
  o.need = need;
  return o;
}

// Decodes the chunked body from `p.chunk_pos` into `p.parsed.req.body`, resuming where the
// last call stopped. kRequest with `consumed` once it is all here.
ParseOutcome Chunked(std::string_view buf, const WireLimits& limits, WireProgress& p) {
  std::string& body = p.parsed.req.body;
  while (!p.last_chunk) {
    auto eol = buf.find("\r\n", p.chunk_pos);
    if (eol == std::string_view::npos || eol - p.chunk_pos > 1024) {
      if (buf.size() - p.chunk_pos > 1024) return Fail(400, "malformed chunk size line");
      return NeedMore(buf.size() + 1);
    }
    std::string_view size_line = Trim(buf.substr(p.chunk_pos, eol - p.chunk_pos));
    size_line = Trim(size_line.substr(0, size_line.find(';')));
    if (size_line.empty() || size_line.size() > 15) return Fail(400, "malformed chunk size");
    size_t size = 0;
    for (char c : size_line) {
      int d = HexDigit(c);
      if (d < 0) return Fail(400, "malformed chunk size");
      size = size * 16 + static_cast<size_t>(d);
    }
    size_t data = eol + 2;
    if (size == 0) {
      p.last_chunk = true;
      p.chunk_pos = data;
      break;
    }
    if (body.size() + size > limits.max_body_bytes) {
      return Fail(413, "the request body is larger than server.max_body_bytes");
    }
    if (buf.size() < data + size + 2) return NeedMore(data + size + 2);
    if (buf.substr(data + size, 2) != "\r\n") return Fail(400, "a chunk does not end with CRLF");
    body.append(buf.substr(data, size));
    p.chunk_pos = data + size + 2;
  }
  // Trailers (ignored) up to an empty line.
  for (;;) {
    auto eol = buf.find("\r\n", p.chunk_pos);
    if (eol == std::string_view::npos) {
      if (buf.size() - p.chunk_pos > limits.max_head_bytes) {
        return Fail(431, "the trailers are too large");
      }
      return NeedMore(buf.size() + 1);
    }
    if (eol == p.chunk_pos) {
      ParseOutcome o;
      o.kind = ParseOutcome::kRequest;
      o.consumed = eol + 2;
      return o;
    }
    if (++p.trailer_lines > limits.max_headers) return Fail(431, "too many trailers");
    p.chunk_pos = eol + 2;
  }
}

ParseOutcome HeadTooLarge(const WireLimits& limits) {
  return Fail(431, "the request line and headers are over " +
                       std::to_string(limits.max_head_bytes) + " bytes");
}

// Parses the head at the start of `buf` into `p` once it is all here.
std::optional<ParseOutcome> ParseHead(std::string_view buf, const WireLimits& limits,
                                      WireProgress& p) {
  size_t start = 0;
  while (buf.substr(start, 2) == "\r\n") start += 2;  // blank lines before a request are allowed
  size_t from = std::max(start, p.scanned >= 3 ? p.scanned - 3 : 0);
  auto head_end = buf.find("\r\n\r\n", from);
  if (head_end == std::string_view::npos) {
    if (buf.size() > limits.max_head_bytes) return HeadTooLarge(limits);
    p.scanned = buf.size();
    return NeedMore(buf.size() + 1);
  }
  if (head_end + 4 > limits.max_head_bytes) return HeadTooLarge(limits);
  std::string_view head = buf.substr(start, head_end - start);
  auto eol = head.find("\r\n");
  Head h;
  if (auto bad = RequestLine(head.substr(0, eol), p.parsed, h)) return *bad;
  size_t count = 0;
  while (eol != std::string_view::npos) {
    size_t line_start = eol + 2;
    eol = head.find("\r\n", line_start);
    std::string_view line =
        head.substr(line_start, eol == std::string_view::npos ? eol : eol - line_start);
    if (++count > limits.max_headers) return Fail(431, "too many headers");
    if (auto bad = Header(line, p.parsed, h)) return *bad;
  }
  if (h.chunked && h.has_length) return Fail(400, "both Content-Length and Transfer-Encoding");
  if (h.length > limits.max_body_bytes) {
    return Fail(413, "the request body is larger than server.max_body_bytes");
  }
  p.head_done = true;
  p.body_start = p.chunk_pos = head_end + 4;
  p.chunked = h.chunked;
  p.length = h.length;
  p.expect_continue = h.expect_continue && !h.http10;
  return std::nullopt;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace

std::string DecodePercent(std::string_view s, bool plus_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_space && c == '+' ? ' ' : c);
  }
  return out;
}

void ParseQuery(std::string_view q, std::multimap<std::string, std::string>& out) {
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = DecodePercent(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : DecodePercent(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
}

ParseOutcome ParseRequest(std::string_view buf, const WireLimits& limits, WireRequest& out,
                          WireProgress& p) {
  ParseOutcome o;
  if (!p.head_done) {
    if (auto stop = ParseHead(buf, limits, p)) o = std::move(*stop);
  }
  if (p.head_done) {
    if (p.chunked) {
      o = Chunked(buf, limits, p);
      // Chunk lines may be up to 1 KiB each: the framing of a body is bounded too.
      if (o.kind == ParseOutcome::kNeedMore &&
          buf.size() > limits.max_head_bytes + 2 * limits.max_body_bytes + 65536) {
        o = Fail(413, "the chunked request body is larger than server.max_body_bytes allows");
      }
    } else if (buf.size() >= p.body_start + p.length) {
      p.parsed.req.body = buf.substr(p.body_start, p.length);
      o.kind = ParseOutcome::kRequest;
      o.consumed = p.body_start + p.length;
    } else {
      o = NeedMore(p.body_start + p.length);
    }
    if (o.kind == ParseOutcome::kNeedMore) {
      o.head_done = true;
      o.expect_continue = p.expect_continue;
    }
  }
  if (o.kind == ParseOutcome::kRequest) out = std::move(p.parsed);
  if (o.kind != ParseOutcome::kNeedMore) p = WireProgress{};
  return o;
}

ParseOutcome ParseRequest(std::string_view buf, const WireLimits& limits, WireRequest& out) {
  WireProgress progress;
  return ParseRequest(buf, limits, out, progress);
}

std::string AnswerHead(int status, std::string_view content_type, size_t length,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       bool keep_alive) {
  std::string h;
  h.reserve(160);
  h += "HTTP/1.1 ";
  h += std::to_string(status);
  h += ' ';
  h += ReasonPhrase(status);
  h += "\r\n";
  bool bodyless = status == 204 || status == 304;
  if (!bodyless) {
    if (!content_type.empty()) {
      h += "Content-Type: ";
      h += content_type;
      h += "\r\n";
    }
    h += "Content-Length: ";
    h += std::to_string(length);
    h += "\r\n";
  }
  for (const auto& [k, v] : headers) {
    h += k;
    h += ": ";
    for (char c : v) h += (c == '\r' || c == '\n') ? ' ' : c;  // a value never ends the head
    h += "\r\n";
  }
  h += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return h;
}

}  // namespace captain
