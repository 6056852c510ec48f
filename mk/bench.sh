#!/bin/sh
# bench.sh STAGE_DIR: run the benchmark programs and print their `bench: NAME VALUE UNIT`
# lines. Instruction counts come from runs under -icount shift=0,align=off,sleep=off
# (virtual time = instructions), CPUS=1, timer running; the programs read instret,
# which counts every instruction the hart runs (kernel and servers included) and not
# idle time. Wall-clock figures come from runs without icount.
dir=$1
kernel=$dir/kernel-test
ICOUNT="-icount shift=0,align=off,sleep=off"
DISK="-global virtio-mmio.force-legacy=false -drive file=$dir/fs.img,if=none,format=raw,id=x0,snapshot=on -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"
run() {
  timeout 300 qemu-system-riscv64 -machine virt -bios default -m 128M -smp 1 -nographic \
    -monitor none -serial stdio -no-reboot -kernel "$kernel" -append "$1" $2 </dev/null |
    tr -d '\r' | grep -E '^bench: |FAIL|panic' | grep -v watchdog
}
run "run=bench mode=icount watchdog=60" "$ICOUNT"
run "run=bench mode=wall watchdog=60" ""
# These run as processes under init, which cannot power the machine off: the
# kernel's watchdog ends those runs.
run "run=os prog=procbench watchdog=5" "$ICOUNT"
run "run=fs prog=fsbench watchdog=60" "$ICOUNT $DISK"
run "run=fs prog=fsbench arg=wall watchdog=60" "$DISK"
run "run=fs prog=nop benchboot watchdog=2" "$ICOUNT $DISK"
python3 mk/boottime.py "$dir"
