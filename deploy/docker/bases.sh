#!/usr/bin/env bash
# Builds the local base images that stand in for the official .NET and PostgreSQL images where no image registry is
# reachable (issue 22): Debian bookworm made with mmdebstrap (minbase variant, only the packages below, no
# recommends, no docs or translations) from Debian's package mirror, then `docker import`ed.
#   deploy/docker/bases.sh            builds what is missing and prints the two image names, one per line:
#                                     supplyoracle-base-dotnet:<hash> and supplyoracle-base-postgres:<hash>
# Each tag is a content hash of this script (the package lists and hooks) and, for the .NET base, of the host's .NET
# runtime version it copies in: a machine builds each base once and reuses it until one of those changes.
# Needs root, a running Docker engine and mmdebstrap (installed from Debian's packages when missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"

# The .NET base: what the official runtime-deps image has (ICU, OpenSSL, CA certificates, time zones), the host's
# Microsoft.NETCore.App and Microsoft.AspNetCore.App shared runtimes (the aspnet image's layer, copied offline) and
# the non-root user "app" (uid 1654, as in the official images). The anvil image uses it too (glibc only).
dotnet_packages=ca-certificates,libicu72,libssl3,tzdata
# The PostgreSQL base: Debian's PostgreSQL 15 server (deploy/docker/postgres.Dockerfile adds the entrypoint).
postgres_packages=postgresql-15

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)"
netcore_version="$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -1)"
script_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)"
dotnet_tag="supplyoracle-base-dotnet:$(printf '%s %s %s' "$script_hash" "$runtime_version" "$netcore_version" | sha256sum | cut -c1-12)"
postgres_tag="supplyoracle-base-postgres:$(printf '%s' "$script_hash" | sha256sum | cut -c1-12)"

common=(--variant=minbase --mode=root --format=tar --aptopt='APT::Install-Recommends "false"'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*')

build() { # tag packages [mmdebstrap hooks...]
  local tag="$1" packages="$2"; shift 2
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "[bases] $tag is built (reused)" >&2
    return
  fi
  command -v mmdebstrap >/dev/null 2>&1 || {
    [ "$(id -u)" -eq 0 ] || { echo "error: mmdebstrap is missing; install it with: sudo apt-get install -y mmdebstrap" >&2; exit 1; }
    echo "[bases] installing mmdebstrap from Debian's packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 mmdebstrap >/dev/null
  }
  local tmp start=$SECONDS
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/supplyoracle-base-XXXXXX")"
  trap 'rm -rf "$tmp"' RETURN
  echo "[bases] building $tag (Debian bookworm minbase + $packages; a few minutes, once per machine)" >&2
  mmdebstrap "${common[@]}" --include="$packages" "$@" bookworm "$tmp/rootfs.tar" >"$tmp/mmdebstrap.log" 2>&1 \
    || { tail -20 "$tmp/mmdebstrap.log" >&2; echo "error: mmdebstrap failed for $tag" >&2; exit 1; }
  docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' "$tmp/rootfs.tar" "$tag" >/dev/null
  echo "[bases] built $tag in $((SECONDS - start)) s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1e6}'))" >&2
}

build "$dotnet_tag" "$dotnet_packages" \
  --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared\" && cp -a '$dotnet_root/dotnet' '$dotnet_root/host' \"\$1/usr/share/dotnet/\" && cp -a '$dotnet_root/shared/Microsoft.NETCore.App' '$dotnet_root/shared/Microsoft.AspNetCore.App' \"\$1/usr/share/dotnet/shared/\" && ln -s /usr/share/dotnet/dotnet \"\$1/usr/bin/dotnet\"" \
  --customize-hook='chroot "$1" groupadd --gid 1654 app && chroot "$1" useradd --uid 1654 --gid 1654 --create-home --shell /bin/bash app'
build "$postgres_tag" "$postgres_packages"
echo "$dotnet_tag"
echo "$postgres_tag"
