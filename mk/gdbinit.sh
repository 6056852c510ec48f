#!/bin/sh
# gdbinit.sh PORT KERNEL PROGRAM...: a .gdbinit that connects gdb-multiarch to
# `make qemu-gdb` and loads the symbols of the kernel and of every boot task (each
# linked at its own address, so they do not collide).
port=$1; kernel=$2; shift 2
echo "set confirm off"
echo "set architecture riscv:rv64"
echo "target remote 127.0.0.1:$port"
echo "symbol-file $kernel"
for p in "$@"; do
  echo "add-symbol-file $p"
done
echo "set disassemble-next-line auto"
