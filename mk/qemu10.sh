#!/bin/sh
# mk/qemu10.sh [grade.py arguments]: run the system tests on the newest QEMU Debian
# offers (bookworm-backports: QEMU 10 with OpenSBI 1.5, whose SBI 2.0 has the debug
# console) without changing the machine. The packages are fetched once into a private
# folder ($MV6_QEMU10_DIR, default build/qemu10) with apt's own download through a
# private sources list and package lists (the system's apt configuration and dpkg's
# database are only read) and unpacked there with dpkg-deb -x. QEMU 10 would load the
# system QEMU's modules and abort, so a wrapper runs it in a mount namespace of its
# own with QEMU 10's module folder over the system's (needs root, for unshare -m).
# Measured figures: README.md ("QEMU 10").
set -eu
cd "$(dirname "$0")/.."
DIR=$(realpath -m "${MV6_QEMU10_DIR:-build/qemu10}")
ROOTFS=$DIR/root
BIN=$ROOTFS/usr/bin/qemu-system-riscv64
BIOS=$ROOTFS/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
MODS=/usr/lib/x86_64-linux-gnu/qemu

if [ ! -x "$BIN" ] || [ ! -f "$BIOS" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial" "$DIR/debs" "$ROOTFS"
  cat > "$DIR/apt/sources.list" <<EOF
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
EOF
  APT="-o Dir::Etc::SourceList=$DIR/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
       -o Dir::State::Lists=$DIR/apt/lists -o Dir::Cache=$DIR/apt/cache -o Debug::NoLocking=1
       -o APT::Sandbox::User=root"
  # shellcheck disable=SC2086
  apt-get -q $APT update
  # shellcheck disable=SC2086
  (cd "$DIR/debs" && apt-get -q $APT download qemu-system-riscv/bookworm-backports \
     qemu-system-common/bookworm-backports qemu-system-data/bookworm-backports opensbi/bookworm-backports)
  for deb in "$DIR"/debs/*.deb; do
    dpkg-deb -x "$deb" "$ROOTFS"
  done
  rm -rf "$DIR/apt"
fi

# The wrapper: QEMU 10 in a mount namespace where the module folder is its own (when
# the system has one to hide).
if [ -d "$MODS" ] && [ -d "$ROOTFS$MODS" ]; then
  printf '#!/bin/sh\nexec unshare -m sh -c '"'"'mount --bind "$0" %s && exec "$@"'"'"' "%s" "%s" "$@"\n' \
    "$MODS" "$ROOTFS$MODS" "$BIN" > "$DIR/qemu"
else
  printf '#!/bin/sh\nexec "%s" "$@"\n' "$BIN" > "$DIR/qemu"
fi
chmod +x "$DIR/qemu"
"$DIR/qemu" --version | head -1
MV6_QEMU=$DIR/qemu MV6_BIOS=$BIOS exec python3 grade/grade.py "$@"
