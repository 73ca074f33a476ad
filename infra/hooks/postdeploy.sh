#!/bin/sh
# azd postdeploy hook: once the code that registers the artifact catalog's Event Grid function
# (FunctionNames.artifactEvents) has been deployed, turn on the BlobCreated subscriptions and
# provision again. Event Grid refuses a subscription to a function that does not exist yet, which is
# why the first `azd provision` leaves them out.
set -eu

if ! grep -q 'FunctionNames.artifactEvents' functions/*.ts 2>/dev/null; then
  echo "adx-backup: no Event Grid function registered yet; BlobCreated subscriptions stay off."
  exit 0
fi

current="$(azd env get-value ADX_BACKUP_ARTIFACT_EVENTS 2>/dev/null || true)"
if [ "$current" = "true" ]; then
  echo "adx-backup: BlobCreated subscriptions already enabled."
  exit 0
fi

echo "adx-backup: enabling the BlobCreated subscriptions (azd provision)."
azd env set ADX_BACKUP_ARTIFACT_EVENTS true
azd provision --no-prompt
