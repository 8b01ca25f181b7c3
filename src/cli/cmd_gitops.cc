// captain gitops get-tag FILE KEYPATH / set-tag FILE KEYPATH VALUE
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "app/tag_file.h"
#include "cli/commands.h"

namespace captain {
namespace {

struct TagArgs {
  std::string file;
  std::string key;
  std::string value;
  int document = -1;  // -1: the first document that has the key

  std::optional<size_t> Document() const {
    if (document < 0) return std::nullopt;
    return static_cast<size_t>(document);
  }
};

int GetTag(Context& ctx, const TagArgs& a) {
  auto value = GetTagInFile(a.file, a.key, a.Document());
  if (!value) return Fail(ctx, value.error());
  if (ctx.opts.json) {
    ctx.PrintJson(nlohmann::json{{"file", a.file}, {"key", a.key}, {"value", *value}});
  } else {
    ctx.out << *value << "\n";
  }
  return 0;
}

void ReportSet(Context& ctx, const TagArgs& a, const std::string& old_value, bool changed) {
  if (ctx.opts.json) {
    nlohmann::json j{{"file", a.file},
                     {"key", a.key},
                     {"old_value", old_value},
                     {"value", a.value},
                     {"changed", changed}};
    ctx.PrintJson(j);
  } else if (changed) {
    ctx.out << a.file << ": " << a.key << ": " << old_value << " -> " << a.value << "\n";
  } else {
    ctx.out << a.file << ": " << a.key << " is already " << a.value << "; file not rewritten\n";
  }
}

int SetTag(Context& ctx, const TagArgs& a) {
  auto set = SetTagInFile(a.file, a.key, a.value, a.Document());
  if (!set) return Fail(ctx, set.error());
  ReportSet(ctx, a, set->old_value, set->changed);
  return 0;
}

void AddFileAndKey(CLI::App* sub, TagArgs& a) {
  sub->add_option("file", a.file, "YAML file in the GitOps repository")->required();
  sub->add_option("keypath", a.key, "key path such as image.tag or \"my.key\".tag")->required();
}

void AddDocument(CLI::App* sub, TagArgs& a) {
  sub->add_option("--document", a.document,
                  "0-based index of the YAML document (default: the first that has the key)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

void AddGitopsCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  CLI::App* gitops = host.app.add_subcommand("gitops", "read and edit image tags in GitOps files");
  gitops->require_subcommand(1);

  auto get_args = std::make_shared<TagArgs>();
  auto* get = host.Add(*gitops, "get-tag", "print the value at KEYPATH in FILE",
                       [&ctx, get_args] { return GetTag(ctx, *get_args); });
  AddFileAndKey(get, *get_args);
  AddDocument(get, *get_args);

  auto set_args = std::make_shared<TagArgs>();
  auto* set = host.Add(*gitops, "set-tag",
                       "set the scalar at KEYPATH in FILE to VALUE, changing no other byte",
                       [&ctx, set_args] { return SetTag(ctx, *set_args); });
  AddFileAndKey(set, *set_args);
  set->add_option("value", set_args->value, "the new value (for example an image tag)")->required();
  AddDocument(set, *set_args);
}

}  // namespace captain
