#!/bin/sh
# deps.sh [gdb]: make sure the tools mv6 needs are here, before anything runs.
# As root with apt-get (CI, containers) it installs what is missing; otherwise it
# names what is missing and prints the command that installs it, and fails.
# It also refuses a QEMU older than 7.2 instead of letting it hang.

need_gdb=$1
missing=""
have() { command -v "$1" >/dev/null 2>&1; }

cc=""
for p in riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf-; do
  if have ${p}gcc; then cc=${p}gcc; break; fi
done
[ -n "$cc" ] || missing="$missing gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf"
have qemu-system-riscv64 || missing="$missing qemu-system-misc"
if have qemu-system-riscv64 && [ -d /usr/share/qemu ] && ! ls /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.* >/dev/null 2>&1; then
  [ -f /etc/debian_version ] && missing="$missing opensbi"
fi
have python3 || missing="$missing python3"
have cc || have gcc || missing="$missing gcc libc6-dev"
have make || missing="$missing make"
[ -z "$need_gdb" ] || have gdb-multiarch || missing="$missing gdb-multiarch"

if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "mv6: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null || {
      echo "mv6: apt-get install$missing failed" >&2; exit 1; }
  else
    echo "mv6: missing tools:$missing" >&2
    echo "  Debian/Ubuntu:  sudo apt-get install$missing" >&2
    echo "  macOS (Homebrew): brew install riscv64-elf-gcc qemu python3" >&2
    exit 1
  fi
fi

# QEMU 7.2 or newer: older ones lack what the kernel relies on and may hang silently.
v=$(qemu-system-riscv64 --version | sed -n 's/.*version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')
set -- $v
if [ -z "$1" ] || [ "$1" -lt 7 ] || { [ "$1" -eq 7 ] && [ "$2" -lt 2 ]; }; then
  echo "mv6: $(command -v qemu-system-riscv64) is version ${1:-?}.${2:-?}; mv6 needs QEMU 7.2 or newer." >&2
  echo "  Debian 12 / Ubuntu 24.04 ship a new enough qemu-system-misc; or build QEMU from source." >&2
  exit 1
fi
exit 0
