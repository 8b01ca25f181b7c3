// captain notify list|retry|flush|preview, captain argocd apps
#include <ostream>

#include "cli/commands.h"

namespace captain {
namespace {

std::string MessageText(const nlohmann::json& m) {
  std::string error = Str(m, "error");
  return "#" + Str(m, "id") + "  " + Str(m, "created_at") + "  " + Str(m, "channel") + "  " +
         Str(m, "state") + (error.empty() ? "" : " (" + error + ")") + "\n    " + Str(m, "text") +
         "\n";
}

}  // namespace

void AddNotifyCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto failed = std::make_shared<bool>(false);
  auto pending = std::make_shared<bool>(false);
  auto id = std::make_shared<int64_t>(0);
  auto by = std::make_shared<std::string>();
  auto* notify = host.app.add_subcommand("notify", "the outbox of Slack messages");
  notify->require_subcommand(1);
  auto* list = host.Add(*notify, "list", "messages, oldest first", [&ctx, failed, pending] {
    return RunOp(ctx, OpNotifyList, {{"failed", *failed}, {"pending", *pending}}, "",
                 [](const nlohmann::json& j) {
                   std::string text;
                   for (const auto& m : j["messages"]) text += MessageText(m);
                   return text.empty() ? std::string("no messages\n") : text;
                 });
  });
  list->add_flag("--failed", *failed, "only those given up (a permanent Slack error)");
  list->add_flag("--pending", *pending, "only those not delivered yet");
  auto* retry = host.Add(*notify, "retry", "send a failed message again", [&ctx, id, by] {
    return RunOp(ctx, OpNotifyRetry, {{"id", *id}}, *by, [id](const nlohmann::json&) {
      return "message #" + std::to_string(*id) + " is pending again\n";
    });
  });
  retry->add_option("id", *id, "the message's number")->required();
  retry->add_option("--by", *by, "who is acting (default: $USER)");
  auto event = std::make_shared<std::string>();
  auto release = std::make_shared<std::string>();
  auto* preview = host.Add(
      *notify, "preview", "show a message of the catalogue as it would be posted",
      [&ctx, event, release] {
        return RunOp(
            ctx, OpNotifyPreview, {{"event", *event}, {"release", *release}}, "",
            [](const nlohmann::json& j) {
              std::string where =
                  Str(j, "thread_key").empty()
                      ? (Str(j, "update_key").empty() ? ""
                                                      : "(replaces " + Str(j, "update_key") + ")\n")
                      : "(in the thread of " + Str(j, "thread_key") + ")\n";
              return where + Str(j, "as_text") + "\nnotification text: " + Str(j, "text") + "\n";
            });
      });
  preview->add_option("event", *event, "announce, step-started, rollback… (a wrong one lists all)")
      ->required();
  preview->add_option("--release", *release, "the release (default: the newest open one)");
  auto* argocd = host.app.add_subcommand("argocd", "what ArgoCD reported");
  argocd->require_subcommand(1);
  auto* apps = host.Add(
      *argocd, "apps",
      "each application's latest sync and health, and the "
      "deploy steps watched",
      [&ctx, release] {
        return RunOp(ctx, OpArgoApps, {{"release", *release}}, "", [](const nlohmann::json& j) {
          std::string text = Str(j, "events") + " notifications received\n";
          for (const auto& a : j["apps"]) {
            text += Str(a, "app") + "  " + Str(a, "sync") + "  " + Str(a, "health") + "  " +
                    Str(a, "revision").substr(0, 7) + "  " + Str(a, "received_at") + "\n";
          }
          for (const auto& w : j["watches"]) {
            text += "step " + Str(w, "step") + " in " + Str(w, "env") + " at " +
                    Str(w, "gitops_commit").substr(0, 7) + ": " + Str(w, "state") + "\n";
          }
          return text;
        });
      });
  apps->add_option("--release", *release, "also show this release's watched deploy steps");
  host.Add(*notify, "flush", "deliver the messages that are due (what the daemon does)", [&ctx] {
    return RunOp(ctx, OpNotifyFlush, nlohmann::json::object(), "", [](const nlohmann::json& j) {
      return Str(j, "sent") + " sent, " + Str(j, "recovered") + " found already posted, " +
             Str(j, "retried") + " to retry, " + Str(j, "failed") + " failed; " +
             Str(j, "pending_total") + " pending, " + Str(j, "failed_total") + " failed in all\n";
    });
  });
}

}  // namespace captain
