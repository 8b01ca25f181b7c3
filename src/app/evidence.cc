#include "app/evidence.h"

#include <nlohmann/json.hpp>

namespace captain {
namespace {

using nlohmann::json;

struct Reader {
  const std::string& name;
  std::string error;

  bool Fail(const std::string& path, const std::string& msg) {
    if (error.empty()) error = name + ": " + path + ": " + msg;
    return false;
  }
  const json* Field(const json& obj, const std::string& path, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      Fail(path + "." + key, "required field missing");
      return nullptr;
    }
    return &*it;
  }
  bool String(const json& obj, const std::string& path, const char* key, std::string& out) {
    const json* v = Field(obj, path, key);
    if (!v) return false;
    if (!v->is_string() || v->get<std::string>().empty()) {
      return Fail(path + "." + key, "expected a non-empty string");
    }
    out = v->get<std::string>();
    return true;
  }
  bool Time(const json& obj, const std::string& path, const char* key, Instant& out) {
    std::string text;
    if (!String(obj, path, key, text)) return false;
    auto t = ParseInstant(text);
    if (!t) return Fail(path + "." + key, "expected an ISO 8601 time, got '" + text + "'");
    out = *t;
    return true;
  }
};

bool IsHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// "line L, column C" of a byte offset, for JSON syntax errors.
std::string Position(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

Result<std::vector<EvidenceImage>> ParseRunReport(const std::string& text,
                                                  const std::string& name) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("parse error");
    return UsageError(name + ":" + Position(text, e.byte > 0 ? e.byte - 1 : 0) +
                      ": not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
  }
  Reader rd{name, ""};
  if (!doc.is_object()) return UsageError(name + ": $: expected an object");
  EvidenceImage run;
  bool ok = rd.String(doc, "$", "run_id", run.run_id) &&
            rd.String(doc, "$", "commit", run.commit) &&
            rd.String(doc, "$", "branch", run.branch) &&
            rd.Time(doc, "$", "finished_at", run.finished_at);
  if (ok && (run.commit.size() != 40 || !IsHex(run.commit))) {
    ok = rd.Fail("$.commit", "expected 40 lower-case hexadecimal digits, got '" + run.commit + "'");
  }
  const json* images = ok ? rd.Field(doc, "$", "images") : nullptr;
  if (ok && images && (!images->is_array() || images->empty())) {
    ok = rd.Fail("$.images", "expected a non-empty list");
  }
  std::vector<EvidenceImage> out;
  for (size_t i = 0; ok && images && i < images->size(); ++i) {
    std::string path = "$.images[" + std::to_string(i) + "]";
    const json& img = (*images)[i];
    if (!img.is_object()) {
      ok = rd.Fail(path, "expected an object");
      break;
    }
    EvidenceImage e = run;
    std::string scan;
    ok = rd.String(img, path, "service", e.service) && rd.String(img, path, "ref", e.ref) &&
         rd.String(img, path, "digest", e.digest) && rd.String(img, path, "scan", scan);
    if (!ok) break;
    auto colon = e.ref.rfind(':');
    auto slash = e.ref.find('/');
    if (slash == std::string::npos || colon == std::string::npos || colon < e.ref.rfind('/')) {
      ok = rd.Fail(path + ".ref", "expected registry/repository:tag, got '" + e.ref + "'");
      break;
    }
    if (e.digest.rfind("sha256:", 0) != 0 || e.digest.size() != 71 || !IsHex(e.digest.substr(7))) {
      ok = rd.Fail(path + ".digest", "expected sha256: and 64 hexadecimal digits");
      break;
    }
    auto parsed = ParseScan(scan);
    if (!parsed) {
      ok = rd.Fail(path + ".scan",
                   "expected passed, vulnerable, gate-error or not-run, got '" + scan + "'");
      break;
    }
    e.scan = *parsed;
    const json* is_signed = rd.Field(img, path, "signed");
    if (!is_signed || !is_signed->is_boolean()) {
      ok = is_signed ? rd.Fail(path + ".signed", "expected true or false") : false;
      break;
    }
    e.is_signed = is_signed->get<bool>();
    auto sa = img.find("signed_at");
    if (e.is_signed || (sa != img.end() && !sa->is_null())) {
      Instant t;
      if (!rd.Time(img, path, "signed_at", t)) {
        ok = false;
        break;
      }
      e.signed_at = t;
    }
    for (const auto& prev : out) {
      if (prev.service == e.service) {
        ok = rd.Fail(path + ".service", "'" + e.service + "' appears twice");
      }
    }
    out.push_back(std::move(e));
  }
  if (!ok) return UsageError(rd.error);
  return out;
}

Result<ImportOutcome> ImportRunReport(const App& app, const std::string& text,
                                      const std::string& name, const std::string& by) {
  auto images = ParseRunReport(text, name);
  if (!images) return images.error();
  ImportOutcome out;
  out.run_id = images->front().run_id;
  out.commit = images->front().commit;
  std::vector<EvidenceImage> known;
  for (const auto& e : *images) {
    if (app.config.FindService(e.service)) {
      known.push_back(e);
    } else {
      out.warnings.push_back("service '" + e.service + "' is not in the configuration; skipped");
    }
  }
  out.images = known.size();
  Status st = app.store.Transaction([&]() -> Status {
    auto seen = app.store.HasRun(out.run_id);
    if (!seen) return seen.error();
    if (*seen) {
      out.already_imported = true;
      return {};
    }
    if (known.empty()) return UsageError(name + ": no image of a configured service");
    if (auto s = app.store.AddEvidence(known); !s) return s;
    json summary = {{"commit", out.commit}, {"images", out.images}};
    for (const auto& e : known) summary["scans"][e.service] = ScanName(e.scan);
    return app.Audit(by, "evidence.import", "", out.run_id, nullptr, summary);
  });
  if (!st) return st.error();
  return out;
}

Status RecordDevelopHead(const App& app, const std::string& commit, const std::string& by) {
  if (auto st = CheckCommit("--commit", commit); !st) return st;
  if (commit.size() != 40)
    return UsageError("--commit: the develop head must be a full 40-digit hash");
  return app.store.Transaction([&]() -> Status {
    if (auto s = app.store.AddDevelopHead({commit, app.Now()}); !s) return s;
    return app.Audit(by, "evidence.develop", "", commit, nullptr, {{"commit", commit}});
  });
}

}  // namespace captain
