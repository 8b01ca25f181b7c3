// captain-push-images: fills a registry with the images of a SecRel run report, each a minimal
// image labelled with the report's commit, signed with a cosign key where the report says it
// is signed, the way SecRel's pipeline would have left them. For the example and the
// benchmarks: captain's own commands only read registries.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/evidence.h"
#include "core/image_ref.h"
#include "core/timefmt.h"
#include "registry/cosign_sign.h"
#include "registry/image_push.h"
#include "server/http_server.h"
#include "util/file.h"

namespace {

using captain::Result;
using captain::Status;

struct Options {
  std::string registry;  // host:port
  std::string report;
  std::string key;
  std::string report_out;
  bool quiet = false;
};

Status Run(const Options& o) {
  auto listen = captain::ParseListen(o.registry, "--registry");
  if (!listen) return listen.error();
  auto text = captain::ReadFile(o.report, captain::kMaxReportBytes);
  if (!text) return text.error();
  // Validated as `captain evidence import` validates it; the JSON itself is kept only to write
  // the pushed digests back (--report-out).
  auto images = captain::ParseRunReport(*text, o.report);
  if (!images) return images.error();
  nlohmann::json report;
  if (!o.report_out.empty()) report = nlohmann::json::parse(*text, nullptr, false);
  captain::PrivateKey key;
  if (!o.key.empty()) {
    auto pem = captain::ReadFile(o.key, 1 << 20);
    if (!pem) return pem.error();
    auto parsed = captain::ParsePrivateKey(*pem);
    if (!parsed) return captain::UsageError(o.key + ": " + parsed.error().message);
    key = std::move(*parsed);
  }
  captain::ImagePusher pusher(listen->first, listen->second);
  auto started = std::chrono::steady_clock::now();
  size_t pushed = 0, signed_count = 0;
  for (const auto& img : *images) {
    auto ref = captain::ParseImageRef(img.ref);
    if (!ref) return captain::UsageError(o.report + ": " + img.ref + ": " + ref.error().message);
    if (ref->tag.empty()) return captain::UsageError(o.report + ": " + img.ref + ": no tag");
    auto digest = pusher.PushImage(ref->repository, ref->tag, img.commit);
    if (!digest) return digest.error();
    bool sign = img.is_signed && key;
    if (sign) {
      std::optional<int64_t> at;
      if (img.signed_at) at = img.signed_at->time_since_epoch().count();
      std::string payload = captain::SimpleSigningPayload(ref->Name(), *digest, at);
      if (Status st = pusher.PushSignature(ref->repository, *digest, key.get(), payload); !st) {
        return st;
      }
      ++signed_count;
    }
    if (!o.quiet) {
      std::cout << ref->Name() << ":" << ref->tag << " " << *digest << (sign ? " signed" : "")
                << (!img.digest.empty() && img.digest != *digest
                        ? " (the report says " + img.digest + ")"
                        : "")
                << "\n";
    }
    if (!o.report_out.empty()) report["images"][pushed]["digest"] = *digest;
    ++pushed;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started);
  std::cerr << "captain-push-images: " << pushed << " images (" << signed_count << " signed) to "
            << o.registry << " in " << ms.count() << " ms\n";
  if (!o.report_out.empty()) {
    if (Status st = captain::WriteFileAtomic(o.report_out, report.dump(2) + "\n"); !st) return st;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Pushes the images of a SecRel run report to a registry (plain HTTP, a registry on this "
      "machine), labelled with the report's commit and signed with a cosign key where the "
      "report says signed",
      "captain-push-images"};
  Options o;
  app.add_option("--registry", o.registry, "the registry, host:port (e.g. 127.0.0.1:5000)")
      ->required();
  app.add_option("--report", o.report, "the SecRel run report (JSON)")->required();
  app.add_option("--key", o.key, "PEM private key (P-256) to sign with; no key: nothing signed");
  app.add_option("--report-out", o.report_out,
                 "write the report again, with the digests of the images pushed");
  app.add_flag("--quiet", o.quiet, "no line per image");
  CLI11_PARSE(app, argc, argv);
  Status st = Run(o);
  if (!st) {
    std::cerr << "captain-push-images: " << st.error().message << "\n";
    return static_cast<int>(st.error().code);
  }
  return 0;
}
