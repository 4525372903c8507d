#!/bin/sh
# Run once by compose's `minio-init` (minio/mc image) with MinIO's root account, which nothing else
# gets: the bucket, private; a policy allowing the objects of that bucket only
# (deploy/minio-app-policy.json); and the app's user with that policy. Re-running it is harmless,
# and it is how a new SOHOA_S3_SECRET_KEY reaches MinIO (`mc admin user add` sets the secret again).
# Plain POSIX sh and mc: the image has little else (no sed, no grep relied upon).
set -eu
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${BUCKET:?}" "${APP_ACCESS_KEY:?}" "${APP_SECRET_KEY:?}"
if [ "$APP_ACCESS_KEY" = "$MINIO_ROOT_USER" ]; then
  echo "minio-init: SOHOA_S3_ACCESS_KEY must not be MINIO_ROOT_USER: the app never gets the root account" >&2
  exit 1
fi
POLICY=sohoa-app
TEMPLATE=${POLICY_TEMPLATE:-/deploy/minio-app-policy.json}
WORK=${TMPDIR:-/tmp}

mc alias set sohoa "${MINIO_URL:-http://minio:9000}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "sohoa/$BUCKET"
# No anonymous access at all: downloads go through the web app, which checks who asks.
mc anonymous set none "sohoa/$BUCKET"

# The policy with the bucket's name in place of @BUCKET@.
policy=""
while IFS= read -r line || [ -n "$line" ]; do
  while case $line in *@BUCKET@*) true ;; *) false ;; esac; do
    line="${line%%@BUCKET@*}$BUCKET${line#*@BUCKET@}"
  done
  policy="$policy$line
"
done < "$TEMPLATE"
printf '%s' "$policy" > "$WORK/sohoa-app-policy.json"

mc admin policy create sohoa "$POLICY" "$WORK/sohoa-app-policy.json"
mc admin user add sohoa "$APP_ACCESS_KEY" "$APP_SECRET_KEY"
# `attach` fails when the policy is attached already: then check that it is, and go on.
if ! mc admin policy attach sohoa "$POLICY" --user "$APP_ACCESS_KEY" 2>"$WORK/attach.err"; then
  info=$(mc admin user info sohoa "$APP_ACCESS_KEY")
  case $info in
    *"PolicyName:"*"$POLICY"*) ;;  # the user's name may be the policy's: look after its label
    *) cat "$WORK/attach.err" >&2; exit 1 ;;
  esac
fi
echo "minio-init: bucket $BUCKET private, user $APP_ACCESS_KEY limited to it"
