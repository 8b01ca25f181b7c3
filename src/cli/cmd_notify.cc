// captain notify list|retry|flush
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
  host.Add(*notify, "flush", "deliver the messages that are due (what the daemon does)", [&ctx] {
    return RunOp(ctx, OpNotifyFlush, nlohmann::json::object(), "", [](const nlohmann::json& j) {
      return Str(j, "sent") + " sent, " + Str(j, "recovered") + " found already posted, " +
             Str(j, "retried") + " to retry, " + Str(j, "failed") + " failed; " +
             Str(j, "pending_total") + " pending, " + Str(j, "failed_total") + " failed in all\n";
    });
  });
}

}  // namespace captain
