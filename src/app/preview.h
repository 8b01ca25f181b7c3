// `captain notify preview EVENT`: a message of the catalogue as it would be posted, for a
// captain to read before Slack does. The release's own data where there is one (the
// announcement's answers, its captains, its notes); the configured teams and services
// otherwise.
#pragma once

#include <string>

#include "app/app.h"

namespace captain {

// A usage error listing the events when `event` is not one. `release` may be empty: the
// newest open standard release, else an example.
Result<Message> PreviewMessage(const App& app, const std::string& event,
                               const std::string& release);

}  // namespace captain
