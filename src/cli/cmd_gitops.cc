// captain gitops get-tag / set-tag (being written).
#include "cli/commands.h"

namespace captain {

void AddGitopsCommands(CommandHost&) {}

}  // namespace captain
