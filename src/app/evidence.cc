#include "app/evidence.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/image_ref.h"
#include "util/text.h"

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
    if (HasControl(v->get<std::string>(), /*allow_newlines=*/false)) {
      return Fail(path + "." + key, "control characters are not allowed");
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

// Each image is what it claims to be: the service's own repository, a tag of the configured
// form, signed and finished no later than now. The first problem, naming its JSON path.
Status CheckImages(const Config& c, const std::vector<EvidenceImage>& images,
                   const std::string& name, Instant now) {
  if (images.front().finished_at > now) {
    return UsageError(name + ": $.finished_at: " + FormatUtc(images.front().finished_at) +
                      " is in the future (now " + FormatUtc(now) + ")");
  }
  for (size_t i = 0; i < images.size(); ++i) {
    const EvidenceImage& e = images[i];
    const Service* s = c.FindService(e.service);
    if (!s) continue;
    std::string path = name + ": $.images[" + std::to_string(i) + "]";
    auto ref = ParseImageRef(e.ref);  // parsed before: cannot fail here
    if (!ref) return ref.error();
    if (ref->Name() != s->image) {
      return UsageError(path + ".ref: repository " + ref->Name() + " is not " + e.service +
                        "'s image (" + s->image + ")");
    }
    if (ref->tag.empty() && !c.deploy_digest) {
      return UsageError(path + ".ref: '" + e.ref + "' has no tag; the tag is what gets deployed");
    }
    if (!c.tag_format.empty() && !ref->tag.empty()) {
      std::string want = c.tag_format;
      auto put = [&](const std::string& ph, const std::string& v) {
        for (auto pos = want.find(ph); pos != std::string::npos;
             pos = want.find(ph, pos + v.size()))
          want.replace(pos, ph.size(), v);
      };
      put("{commit}", e.commit);
      put("{short}", e.commit.substr(0, static_cast<size_t>(c.tag_length)));
      if (ref->tag != want) {
        return UsageError(path + ".ref: tag '" + ref->tag + "' is not '" + want +
                          "' (images.tag_format " + c.tag_format + " for commit " + e.commit + ")");
      }
    }
    if (e.signed_at && *e.signed_at > now) {
      return UsageError(path + ".signed_at: " + FormatUtc(*e.signed_at) +
                        " is in the future (now " + FormatUtc(now) + ")");
    }
  }
  return {};
}

// What differs between a stored run and a report of the same run_id ("" when nothing).
std::string RunDiff(const std::vector<EvidenceImage>& stored,
                    const std::vector<EvidenceImage>& report) {
  std::string diff;
  auto line = [&](const std::string& field, const std::string& was, const std::string& now) {
    if (was != now) diff += "\n  " + field + ": recorded " + was + ", report " + now;
  };
  const EvidenceImage& a = stored.front();
  const EvidenceImage& b = report.front();
  line("commit", a.commit, b.commit);
  line("branch", a.branch, b.branch);
  line("finished_at", FormatUtc(a.finished_at), FormatUtc(b.finished_at));
  auto opt = [](const std::optional<Instant>& t) { return t ? FormatUtc(*t) : std::string("-"); };
  std::map<std::string, const EvidenceImage*> old_images, new_images;
  for (const auto& e : stored) old_images[e.service] = &e;
  for (const auto& e : report) new_images[e.service] = &e;
  for (const auto& [service, o] : old_images) {
    auto it = new_images.find(service);
    if (it == new_images.end()) {
      diff += "\n  " + service + ": recorded, missing from the report";
      continue;
    }
    const EvidenceImage* n = it->second;
    line(service + ".ref", o->ref, n->ref);
    line(service + ".digest", o->digest, n->digest);
    line(service + ".scan", std::string(ScanName(o->scan)), std::string(ScanName(n->scan)));
    line(service + ".signed", o->is_signed ? "true" : "false", n->is_signed ? "true" : "false");
    line(service + ".signed_at", opt(o->signed_at), opt(n->signed_at));
  }
  for (const auto& [service, n] : new_images) {
    if (!old_images.count(service)) diff += "\n  " + service + ": in the report, not recorded";
  }
  return diff;
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
  } catch (const json::exception& e) {  // e.g. a number too large to represent
    return UsageError(name + ": not a usable JSON document: " + e.what());
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
  ok = ok && images;  // a report without images is refused, never read as an empty run
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
    auto ref = ParseImageRef(e.ref);
    if (!ref) {
      ok = rd.Fail(path + ".ref",
                   "'" + e.ref + "' is not an image reference: " + ref.error().message);
      break;
    }
    if (e.digest.rfind("sha256:", 0) != 0 || e.digest.size() != 71 || !IsHex(e.digest.substr(7))) {
      ok = rd.Fail(path + ".digest", "expected sha256: and 64 hexadecimal digits");
      break;
    }
    if (!ref->digest.empty() && ref->digest != e.digest) {
      ok = rd.Fail(path + ".ref",
                   "names digest " + ref->digest + " but the image's digest is " + e.digest);
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
  if (auto st = CheckImages(app.config, *images, name, app.Now()); !st) return st.error();
  Status st = app.store.Transaction([&]() -> Status {
    auto stored = app.store.LoadRun(out.run_id);
    if (!stored) return stored.error();
    if (!stored->empty()) {
      if (known.empty()) return UsageError(name + ": no image of a configured service");
      std::string diff = RunDiff(*stored, known);
      if (!diff.empty()) {
        return UsageError(name + ": run " + out.run_id +
                          " is already recorded with different content; a corrected report "
                          "needs a new run_id. What differs:" +
                          diff);
      }
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
  if (auto st = CheckCommit("commit", commit); !st) return st;
  if (commit.size() != 40)
    return FieldError("commit", "the develop head must be a full 40-digit hash");
  return app.store.Transaction([&]() -> Status {
    if (auto s = app.store.AddDevelopHead({commit, app.Now()}); !s) return s;
    return app.Audit(by, "evidence.develop", "", commit, nullptr, {{"commit", commit}});
  });
}

}  // namespace captain
