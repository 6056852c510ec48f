#!/bin/sh
# bench.sh KERNEL: run the benchmark programs and print their `bench: NAME VALUE UNIT`
# lines. Instruction counts come from a run under -icount shift=0,align=off,sleep=off
# (virtual time = instructions, idle time counted too), CPUS=1, timer running;
# wall-clock figures from a run without icount.
kernel=$1
run() {
  timeout 120 qemu-system-riscv64 -machine virt -bios default -m 128M -smp 1 -nographic \
    -monitor none -serial stdio -no-reboot -kernel "$kernel" -append "$1" $2 </dev/null |
    tr -d '\r' | grep -E '^bench: |FAIL|panic'
}
run "run=bench mode=icount watchdog=60" "-icount shift=0,align=off,sleep=off"
run "run=bench mode=wall watchdog=60" ""
