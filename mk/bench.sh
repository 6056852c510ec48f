#!/bin/sh
# bench.sh KERNEL: run the benchmark programs and print their `bench: NAME VALUE UNIT`
# lines. Instruction counts come from runs under -icount shift=0,align=off,sleep=off
# (virtual time = instructions), CPUS=1, timer running; the programs read instret,
# which counts every instruction the hart runs (kernel and servers included) and not
# idle time. Wall-clock figures come from a run without icount.
kernel=$1
run() {
  timeout 120 qemu-system-riscv64 -machine virt -bios default -m 128M -smp 1 -nographic \
    -monitor none -serial stdio -no-reboot -kernel "$kernel" -append "$1" $2 </dev/null |
    tr -d '\r' | grep -E '^bench: |FAIL|panic'
}
ICOUNT="-icount shift=0,align=off,sleep=off"
run "run=bench mode=icount watchdog=60" "$ICOUNT"
run "run=bench mode=wall watchdog=60" ""
# procbench runs as a process under init, which cannot power the machine off: the
# kernel's watchdog ends that run (its dump is filtered out above).
run "run=os prog=procbench watchdog=5" "$ICOUNT"
