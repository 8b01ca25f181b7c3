// The sprint's announcement on Slack: posted at the announce milestone, and updated in place
// (chat.update) as partner teams answer and when the opt window closes.
#pragma once

#include "app/app.h"
#include "notify/catalogue.h"

namespace captain {

// The announcement of release `r` as things stand: each partner team's latest answer.
Result<catalogue::Announcement> AnnouncementOf(const App& app, const Release& r, bool closed);
// Queues the announcement's update, when one was queued (a release opened after its announce
// milestone, or a request, has none).
Status UpdateAnnouncement(const App& app, const Release& r, bool closed);

}  // namespace captain
