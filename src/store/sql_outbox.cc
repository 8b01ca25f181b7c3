// SqlStore: the outbox of Slack messages and the channel ids learned from Slack.
#include "store/sql_store.h"
#include "store/sql_util.h"

namespace captain {
namespace {

using sql::At;

}  // namespace

Status SqlStore::QueueMessage(const OutboxMessage& m) {
  return Exec("queue message", [&] {
    sql::Statement q(
        db_,
        "INSERT INTO outbox (created_at, channel, text, release_id, blocks, msg_key, thread_key, "
        "update_key, slack_user) VALUES (?,?,?,?,?,?,?,?,?)");
    sql::Bind(q, m.created_at, m.channel, m.text, m.release_id, m.blocks, m.key, m.thread_key,
              m.update_key, m.user);
    q.exec();
  });
}

namespace {

constexpr const char* kOutboxColumns =
    "id, created_at, channel, text, release_id, sent_at, state, attempts, next_at, error, "
    "slack_ts, blocks, msg_key, thread_key, update_key, slack_user";

OutboxMessage OutboxRow(sql::Statement& q) {
  OutboxMessage m;
  m.id = q.getColumn(0).getInt64();
  m.created_at = At(q.getColumn(1).getInt64());
  m.channel = q.getColumn(2).getString();
  m.text = q.getColumn(3).getString();
  m.release_id = q.getColumn(4).getString();
  if (!q.getColumn(5).isNull()) m.sent_at = At(q.getColumn(5).getInt64());
  m.state = q.getColumn(6).getString();
  m.attempts = q.getColumn(7).getInt();
  m.next_at = At(q.getColumn(8).getInt64());
  m.error = q.getColumn(9).getString();
  m.slack_ts = q.getColumn(10).getString();
  m.blocks = q.getColumn(11).getString();
  m.key = q.getColumn(12).getString();
  m.thread_key = q.getColumn(13).getString();
  m.update_key = q.getColumn(14).getString();
  m.user = q.getColumn(15).getString();
  return m;
}

}  // namespace

Result<std::vector<OutboxMessage>> SqlStore::ListOutbox(bool unsent_only) {
  return Guard<std::vector<OutboxMessage>>("list outbox", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kOutboxColumns +
                              " FROM outbox WHERE ? = 0 OR sent_at IS NULL ORDER BY id");
    q.bind(1, unsent_only ? 1 : 0);
    std::vector<OutboxMessage> out;
    while (q.executeStep()) out.push_back(OutboxRow(q));
    return out;
  });
}

Result<std::vector<OutboxMessage>> SqlStore::PendingMessages(int limit) {
  return Guard<std::vector<OutboxMessage>>("list pending messages", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kOutboxColumns +
                              " FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?");
    q.bind(1, limit);
    std::vector<OutboxMessage> out;
    while (q.executeStep()) out.push_back(OutboxRow(q));
    return out;
  });
}

Result<bool> SqlStore::MarkAttempt(int64_t id, int attempts, Instant next_at) {
  return Guard<bool>("count a send", [&] {
    sql::Statement q(db_,
                     "UPDATE outbox SET attempts = ?, next_at = ?, error = '' WHERE id = ? AND "
                     "attempts = ? AND state = 'pending'");
    sql::Bind(q, attempts, next_at, id, attempts - 1);
    return q.exec() == 1;
  });
}

Status SqlStore::MarkSent(int64_t id, const std::string& slack_ts, Instant at) {
  return Exec("record a send", [&] {
    sql::Statement q(db_,
                     "UPDATE outbox SET state = 'sent', sent_at = ?, slack_ts = ?, error = '' "
                     "WHERE id = ?");
    sql::Bind(q, at, slack_ts, id);
    q.exec();
  });
}

Status SqlStore::MarkRetry(int64_t id, Instant next_at, const std::string& error) {
  return Exec("delay a send", [&] {
    sql::Statement q(db_, "UPDATE outbox SET next_at = ?, error = ? WHERE id = ?");
    sql::Bind(q, next_at, error, id);
    q.exec();
  });
}

Status SqlStore::MarkFailed(int64_t id, const std::string& error) {
  return Exec("give up a send", [&] {
    sql::Statement q(db_, "UPDATE outbox SET state = 'failed', error = ? WHERE id = ?");
    sql::Bind(q, error, id);
    q.exec();
  });
}

Result<bool> SqlStore::RetryMessage(int64_t id) {
  return Guard<bool>("retry a message", [&] {
    sql::Statement q(db_,
                     "UPDATE outbox SET state = 'pending', attempts = 0, next_at = 0 "
                     "WHERE id = ? AND state = 'failed'");
    q.bind(1, id);
    return q.exec() == 1;
  });
}

Result<int64_t> SqlStore::CountMessages(const std::string& state) {
  return Guard<int64_t>("count messages", [&] {
    sql::Statement q(db_, "SELECT count(*) FROM outbox WHERE state = ?");
    q.bind(1, state);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<std::optional<OutboxMessage>> SqlStore::FindMessage(const std::string& key) {
  return Guard<std::optional<OutboxMessage>>("find a message", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kOutboxColumns +
                              " FROM outbox WHERE msg_key = ? AND update_key = '' "
                              "ORDER BY id DESC LIMIT 1");
    q.bind(1, key);
    std::optional<OutboxMessage> out;
    if (q.executeStep()) out = OutboxRow(q);
    return out;
  });
}

Status SqlStore::SetChannelId(const std::string& name, const std::string& id) {
  return Exec("remember a channel id", [&] {
    sql::Statement q(db_,
                     "INSERT INTO slack_channels (name, id) VALUES (?,?) "
                     "ON CONFLICT (name) DO UPDATE SET id = excluded.id");
    sql::Bind(q, name, id);
    q.exec();
  });
}

Result<std::string> SqlStore::ChannelId(const std::string& name) {
  return Guard<std::string>("look a channel id up", [&] {
    sql::Statement q(db_, "SELECT id FROM slack_channels WHERE name = ?");
    q.bind(1, name);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
  });
}

}  // namespace captain
