#!/bin/bash
# Gradescope autograder setup (Ubuntu 24.04 image): the packages mv6 builds and runs with.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y make gcc libc6-dev gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf \
  qemu-system-misc opensbi python3
