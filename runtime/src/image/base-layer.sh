#!/usr/bin/env bash
# Builds the image's base layer as a folder: a JRE jlinked from the JDK running the build, the
# shared libraries it and the bundled native libraries (RocksDB, LZ4, zstd, Snappy) load, taken from
# the build host (a Debian system: their packages are recorded in the layer), a non-root user and
# the folders the runtime writes to. Jib adds the folder on top of `scratch`: no registry is needed.
#   base-layer.sh OUT_DIR LIB_DIR      (LIB_DIR: the runtime's dependency jars)
# Skips the work when OUT_DIR was built by the same script from the same JDK and jars.
set -euo pipefail

out="$1"
lib="$(cd "$2" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# What the product uses of the JDK: HTTP server and client, SASL/SCRAM and GSSAPI (Kafka's SASL
# client links it), TLS with EC keys, JMX and the platform MXBeans (metrics), XML (logback), JFR.
modules="java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.security.auth,jdk.unsupported"

for tool in jlink jar ldd; do
  command -v "$tool" >/dev/null || { echo "base-layer.sh: $tool is needed to build the image's base layer" >&2; exit 1; }
done
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jlink" ]]; then
  java_home="$JAVA_HOME"
fi
[[ "$(uname -m)" == "x86_64" ]] || { echo "base-layer.sh: builds x86_64 images only (this host is $(uname -m))" >&2; exit 1; }

stamp="$( { cat "${BASH_SOURCE[0]}"; "$java_home/bin/java" -version 2>&1; ls "$lib" | grep -Ei 'rocksdb|lz4|zstd|snappy' ; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$out.stamp" && "$(cat "$out.stamp")" == "$stamp" ]]; then
  echo "base layer up to date: $out"
  exit 0
fi

rm -rf "$out" "$out.stamp"
mkdir -p "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/java"

# Native libraries inside the jars, for the host architecture: their dependencies go into the layer too.
natives="$(mktemp -d)"
trap 'rm -rf "$natives"' EXIT
for jar in "$lib"/*.jar; do
  entries="$(jar tf "$jar" 2>/dev/null | grep -E '\.so$' | grep -Ei 'linux' | grep -Ei 'amd64|x86_64|x64|linux64' | grep -vi musl || true)"
  if [[ -n "$entries" ]]; then
    # shellcheck disable=SC2086 # one argument per entry
    (cd "$natives" && jar xf "$jar" $entries)
  fi
done

# Every shared object the JRE and those libraries need, resolved on this host.
needed="$( { find "$out/opt/java" "$natives" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 -n1 ldd 2>/dev/null || true; } | awk '/=> \// {print $3} /^\t\/lib64\// {print $1}' | sort -u)"
mkdir -p "$out/usr/lib/x86_64-linux-gnu" "$out/lib64"
for so in $needed; do
  case "$so" in
    "$out"/*|"$natives"/*) ;;                                   # the JRE's own libraries
    */ld-linux-x86-64.so.2) cp -L "$so" "$out/lib64/" ;;
    *) cp -L "$so" "$out/usr/lib/x86_64-linux-gnu/" ;;
  esac
done
[[ -f "$out/lib64/ld-linux-x86-64.so.2" ]] || cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/"

# Which packages those files came from, with their versions (licences and security updates).
mkdir -p "$out/usr/share/doc/authn-lifecycle"
{
  echo "# Base layer of the authn-lifecycle image, built on $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "# JRE: jlink of $("$java_home/bin/java" -version 2>&1 | head -2 | tail -1) with $modules"
  if command -v dpkg-query >/dev/null; then
    for so in $needed /lib64/ld-linux-x86-64.so.2; do
      case "$so" in "$out"/*|"$natives"/*) continue ;; esac
      { dpkg -S "$so" 2>/dev/null || dpkg -S "$(readlink -f "$so")" 2>/dev/null; } | cut -d: -f1 || true
    done | sort -u | xargs -r dpkg-query -W -f '${Package} ${Version}\n'
  fi
} > "$out/usr/share/doc/authn-lifecycle/base-packages.txt"

# A user to run as, name resolution from /etc/hosts first, and the folders the runtime writes to.
mkdir -p "$out/etc" "$out/tmp" "$out/var/lib/authn-lifecycle"
cp "$here/passwd" "$out/etc/passwd"
cp "$here/group" "$out/etc/group"
cp "$here/nsswitch.conf" "$out/etc/nsswitch.conf"
echo "$stamp" > "$out.stamp"
echo "base layer built: $out ($(du -sh "$out" | cut -f1))"
