#include "registry/image_check.h"

#include "core/timefmt.h"

namespace captain {
namespace {

bool IsIndex(const Manifest& m) {
  return m.media_type == "application/vnd.oci.image.index.v1+json" ||
         m.media_type == "application/vnd.docker.distribution.manifest.list.v2+json" ||
         (m.json.contains("manifests") && !m.json.contains("layers"));
}

ImageCheck Fail(ImageCheck c, ImageVerdict v, std::string detail) {
  c.verdict = v;
  c.detail = std::move(detail);
  return c;
}

ImageVerdict FromRegistry(const RegistryError& e, ImageVerdict not_found) {
  return e.kind == RegistryFailure::kNotFound ? not_found : ImageVerdict::kUnreachable;
}

// The platform's entry of an index: "os/arch[/variant]".
std::string PlatformDigest(const Manifest& index, const std::string& platform) {
  std::string os = platform.substr(0, platform.find('/'));
  std::string rest = platform.substr(platform.find('/') + 1);
  std::string arch = rest.substr(0, rest.find('/'));
  std::string variant = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
  for (const auto& m : index.json.value("manifests", nlohmann::json::array())) {
    const auto& p = m.value("platform", nlohmann::json::object());
    if (p.value("os", "") == os && p.value("architecture", "") == arch &&
        (variant.empty() || p.value("variant", "") == variant)) {
      return m.value("digest", "");
    }
  }
  return "";
}

// The signature of `signed_digest`: kOk with the time, or why not.
ImageCheck CheckSignature(RegistryClient& registry, const std::vector<const PublicKey*>& keys,
                          const std::string& repository, const std::string& signed_digest,
                          ImageCheck c) {
  std::string tag = CosignSignatureTag(signed_digest);
  auto sig = registry.GetManifest(repository, tag);
  if (!sig.ok()) {
    return Fail(c, FromRegistry(*sig.error, ImageVerdict::kUnsigned),
                sig.error->kind == RegistryFailure::kNotFound
                    ? "no cosign signature (no tag " + tag + ")"
                    : sig.error->message);
  }
  std::string why;
  ImageVerdict verdict = ImageVerdict::kUnsigned;
  for (const auto& layer : sig.value->json.value("layers", nlohmann::json::array())) {
    std::string signature =
        layer.value("annotations", nlohmann::json::object()).value(kCosignSignatureAnnotation, "");
    if (signature.empty()) continue;
    auto payload = registry.GetBlob(repository, layer.value("digest", ""));
    if (!payload.ok()) {
      why = payload.error->message;
      verdict = ImageVerdict::kUnreachable;
      continue;
    }
    bool verified = false;
    for (const PublicKey* k : keys)
      verified = verified || VerifyCosignSignature(*k, *payload.value, signature);
    if (!verified) {
      if (verdict != ImageVerdict::kSignatureMismatch) {
        verdict = ImageVerdict::kBadSignature;
        why = "the signature does not verify with the configured key" +
              std::string(keys.size() == 1 ? "" : "s") +
              " (signed with another key, or the payload was changed after signing)";
      }
      continue;
    }
    auto parsed = ParseSimpleSigning(*payload.value);
    if (!parsed) {
      verdict = ImageVerdict::kBadSignature;
      why = "a signed payload that is not cosign's: " + parsed.error().message;
      continue;
    }
    if (parsed->manifest_digest != signed_digest) {
      verdict = ImageVerdict::kSignatureMismatch;
      why = "the signature is for " + parsed->manifest_digest + ", not " + signed_digest;
      continue;
    }
    c.verdict = ImageVerdict::kOk;
    c.signed_at = parsed->timestamp;
    if (!c.signed_at) {
      std::string created = sig.value->json.value("annotations", nlohmann::json::object())
                                .value("org.opencontainers.image.created", "");
      if (auto t = ParseInstant(created)) c.signed_at = *t;
    }
    c.detail.clear();
    return c;
  }
  if (why.empty()) why = "the signature manifest " + tag + " holds no cosign signature";
  return Fail(c, verdict, why);
}

}  // namespace

std::string_view VerdictName(ImageVerdict v) {
  switch (v) {
    case ImageVerdict::kOk:
      return "ok";
    case ImageVerdict::kNoImage:
      return "no-image";
    case ImageVerdict::kStaleBuild:
      return "stale-build";
    case ImageVerdict::kUnsigned:
      return "unsigned";
    case ImageVerdict::kBadSignature:
      return "bad-signature";
    case ImageVerdict::kSignatureMismatch:
      return "signature-mismatch";
    case ImageVerdict::kUnreachable:
      return "registry-unreachable";
    case ImageVerdict::kOtherRegistry:
      return "other-registry";
  }
  return "?";
}

ImageCheck CheckImage(RegistryClient& registry, const std::vector<const PublicKey*>& keys,
                      const ImageRef& ref, const std::string& commit, const std::string& platform,
                      const KnownGood* known) {
  ImageCheck c;
  std::string reference = ref.digest.empty() ? ref.tag : ref.digest;
  std::string what = ref.Name() + (ref.digest.empty() ? ":" + ref.tag : "@" + ref.digest);
  auto top = registry.GetManifest(ref.repository, reference);
  if (!top.ok()) {
    return Fail(c, FromRegistry(*top.error, ImageVerdict::kNoImage),
                top.error->kind == RegistryFailure::kNotFound ? what + " does not exist"
                                                              : top.error->message);
  }
  c.digest = top.value->digest;
  if (known && known->digest == c.digest && known->revision == commit) {
    c.verdict = ImageVerdict::kOk;  // the same bytes as when it passed: nothing more to fetch
    c.image_digest = known->image_digest;
    c.revision = known->revision;
    c.signed_at = known->signed_at;
    c.cached = true;
    return c;
  }
  Manifest image = *top.value;
  if (IsIndex(image)) {
    std::string child = PlatformDigest(image, platform);
    if (child.empty())
      return Fail(c, ImageVerdict::kNoImage, what + " has no " + platform + " image");
    auto m = registry.GetManifest(ref.repository, child);
    if (!m.ok()) return Fail(c, FromRegistry(*m.error, ImageVerdict::kNoImage), m.error->message);
    image = *m.value;
  }
  c.image_digest = image.digest;
  std::string config_digest =
      image.json.value("config", nlohmann::json::object()).value("digest", "");
  auto config = registry.GetBlob(ref.repository, config_digest);
  if (!config.ok()) {
    return Fail(c, FromRegistry(*config.error, ImageVerdict::kNoImage), config.error->message);
  }
  auto cfg = nlohmann::json::parse(*config.value, nullptr, false);
  const auto& labels =
      cfg.is_object()
          ? cfg.value("config", nlohmann::json::object()).value("Labels", nlohmann::json::object())
          : nlohmann::json::object();
  c.revision = labels.is_object() ? labels.value("org.opencontainers.image.revision", "") : "";
  if (c.revision != commit) {
    return Fail(c, ImageVerdict::kStaleBuild,
                c.revision.empty() ? what + " has no org.opencontainers.image.revision label"
                                   : what + " was built from " + c.revision.substr(0, 12) +
                                         ", not " + commit.substr(0, 12));
  }
  // cosign signs what the tag resolves to; an index's platform image may be signed instead.
  ImageCheck signed_check = CheckSignature(registry, keys, ref.repository, c.digest, c);
  if (signed_check.verdict == ImageVerdict::kUnsigned && c.image_digest != c.digest) {
    ImageCheck child = CheckSignature(registry, keys, ref.repository, c.image_digest, c);
    if (child.verdict != ImageVerdict::kUnsigned) return child;
  }
  return signed_check;
}

}  // namespace captain
