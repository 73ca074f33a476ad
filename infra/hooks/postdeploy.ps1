# azd postdeploy hook (Windows): see postdeploy.sh. Once the code that registers the artifact
# catalog's Event Grid function (FunctionNames.artifactEvents) is deployed, turn on the BlobCreated
# subscriptions and provision again.
$ErrorActionPreference = 'Stop'

$registered = Select-String -Path 'functions/*.ts' -Pattern 'FunctionNames.artifactEvents' -SimpleMatch -Quiet
if (-not $registered) {
  Write-Host 'adx-backup: no Event Grid function registered yet; BlobCreated subscriptions stay off.'
  exit 0
}

$current = (azd env get-value ADX_BACKUP_ARTIFACT_EVENTS 2>$null)
if ($current -eq 'true') {
  Write-Host 'adx-backup: BlobCreated subscriptions already enabled.'
  exit 0
}

Write-Host 'adx-backup: enabling the BlobCreated subscriptions (azd provision).'
azd env set ADX_BACKUP_ARTIFACT_EVENTS true
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd provision --no-prompt
exit $LASTEXITCODE
