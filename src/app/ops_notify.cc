// Operations on the outbox: list, retry, flush.
#include "app/notify.h"
#include "app/op_input.h"
#include "app/ops.h"
#include "app/preview.h"

namespace captain {
namespace {

std::string KindOf(const OutboxMessage& m) {
  if (!m.update_key.empty()) return "update";
  if (!m.user.empty()) return "ephemeral";
  if (!m.thread_key.empty()) return "reply";
  return "post";
}

nlohmann::json MessageJson(const OutboxMessage& m) {
  return {{"id", m.id},
          {"kind", KindOf(m)},
          {"key", m.key},
          {"thread_key", m.thread_key},
          {"update_key", m.update_key},
          {"created_at", FormatUtc(m.created_at)},
          {"channel", m.channel},
          {"text", m.text},
          {"release", m.release_id},
          {"state", m.state},
          {"attempts", m.attempts},
          {"error", m.error},
          {"slack_ts", m.slack_ts},
          {"sent_at", m.sent_at ? nlohmann::json(FormatUtc(*m.sent_at)) : nullptr}};
}

}  // namespace

Result<Document> OpNotifyList(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  bool failed = in.Bool("failed");
  bool pending = in.Bool("pending");
  if (!in.ok()) return in.error();
  auto all = app.store.ListOutbox(/*unsent_only=*/failed || pending);
  if (!all) return all.error();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : *all) {
    if (failed && m.state != "failed") continue;
    if (pending && m.state != "pending") continue;
    list.push_back(MessageJson(m));
  }
  return Document{{{"messages", list}}, ""};
}

Result<Document> OpNotifyRetry(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  int64_t id = in.Int("id", true, 0, 1, INT64_MAX);
  if (!in.ok()) return in.error();
  if (auto st = CheckActor(req.actor); !st) return st.error();
  Status st = app.store.Transaction([&]() -> Status {
    auto moved = app.store.RetryMessage(id);
    if (!moved) return moved.error();
    if (!*moved) return PolicyError("message #" + std::to_string(id) + " is not a failed one");
    return app.Audit(req.actor, "notify.retry", "", std::to_string(id), {{"state", "failed"}},
                     {{"state", "pending"}});
  });
  if (!st) return st.error();
  return Document{{{"id", id}, {"state", "pending"}}, ""};
}

Result<Document> OpNotifyFlush(const App& app, const OpRequest&) {
  auto slack = SlackFromConfig(app.config);
  if (!slack) return slack.error();
  auto out = FlushOutbox(app, **slack);
  if (!out) return out.error();
  return Document{{{"sent", out->sent},
                   {"recovered", out->recovered},
                   {"retried", out->retried},
                   {"failed", out->failed},
                   {"failed_total", out->failed_total},
                   {"pending_total", out->pending_total}},
                  ""};
}

}  // namespace captain

namespace captain {

Result<Document> OpNotifyPreview(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string event = in.Str("event");
  std::string release = in.Str("release", false);
  if (!in.ok()) return in.error();
  auto m = PreviewMessage(app, event, release);
  if (!m) return m.error();
  return Document{{{"event", event},
                   {"text", m->text},
                   {"blocks", m->blocks},
                   {"as_text", BlocksAsText(m->blocks)},
                   {"key", m->key},
                   {"thread_key", m->thread_key},
                   {"update_key", m->update_key}},
                  ""};
}

}  // namespace captain
