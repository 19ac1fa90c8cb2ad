#!/usr/bin/env bash
# Builds target/image/base.tar, the base image of `mvn -B -Pimage package -DskipTests` (Jib, tar://
# base): no registry and no Docker daemon needed, only Debian's package archive. Like a distroless
# Java image:
#   - glibc, libstdc++ and the few libraries the JVM's image decoders and TensorFlow's native
#     library load, extracted from Debian 12 packages (apt-get download; nothing installed here);
#   - dash as /bin/sh, for the TF-Serving-style entrypoint (environment variables in its flags);
#   - a Java 17 runtime jlinked from this machine's JDK, with the modules the server uses;
#   - users root and nonroot (65532), /tmp, and /models (TF Serving's MODEL_BASE_PATH).
# Runs on a Debian 12 (bookworm) x86_64 host with openjdk-17-jdk-headless, as tools/setup.sh
# assumes: the jlinked runtime is this host's JDK, so it must match the image's glibc.
# Output: target/image/base.tar (docker-save format), target/image/base-packages.txt (versions).
set -euo pipefail
cd "$(dirname "$0")/../.."

. /etc/os-release
if [ "${VERSION_CODENAME:-}" != bookworm ] || [ "$(dpkg --print-architecture)" != amd64 ]; then
  echo "build-base.sh: needs Debian 12 (bookworm) on amd64, found ${PRETTY_NAME:-?}" >&2
  exit 2
fi
packages=(libc6 libgcc-s1 libstdc++6 zlib1g libjpeg62-turbo liblcms2-2 dash)
modules=java.base,java.desktop,java.logging,java.net.http,java.sql,jdk.management,jdk.unsupported

out=target/image
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$out" "$root" "$work/debs"
chmod 755 "$work" && chmod 777 "$work/debs" # apt-get download writes as user _apt

echo "[base] downloading ${packages[*]} from Debian"
(cd "$work/debs" && apt-get download -qq "${packages[@]}")
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
done
for deb in "$work"/debs/*.deb; do dpkg-deb -W "$deb"; done > "$out/base-packages.txt"
[ -e "$root/bin/sh" ] || ln -s dash "$root/bin/sh"
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/lintian"

echo "[base] jlink: $modules"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$root/opt/java"
"$root/opt/java/bin/java" -version 2>&1 | sed -n 2p >> "$out/base-packages.txt"

mkdir -p "$root/etc" "$root/models" "$root/home/nonroot"
install -d -m 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n' \
  > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
chown 65532:65532 "$root/home/nonroot"
ldconfig -r "$root"

echo "[base] writing $out/base.tar"
# Entries without a leading "./": Jib refuses to unpack one.
(cd "$root" && tar --sort=name --mtime=@0 --numeric-owner -cf "$work/layer.tar" -- *)
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$diff_id"
mv "$work/layer.tar" "$work/image/$diff_id/layer.tar"
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/build-base.sh"}]}
JSON
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["mnist-cnn-base:latest"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" > "$work/image/manifest.json"
(cd "$work/image" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  -cf "$OLDPWD/$out/base.tar" -- *)
echo "[base] done: $out/base.tar ($(du -h "$out/base.tar" | cut -f1)), layer sha256:$diff_id"
