# Boot entry. OpenSBI jumps here in S-mode with the MMU off:
# a0 = hart id, a1 = device tree. The first hart clears .bss and calls start();
# harts started later through SBI HSM enter at _secondary and call start_secondary().
# Seen with QEMU's parallel harts (no -icount): OpenSBI sometimes lets a second hart
# in here too. Only the first to arrive boots; a late one waits until the boot is
# done and then runs as a secondary.
#include "param.h"

.section .data
.globl boot_claimed, boot_done, late_harts
boot_claimed: .word 0
boot_done:    .word 0
late_harts:   .word 0

.section .text.entry
.globl _entry
_entry:
        li      t0, NCPU
        bgeu    a0, t0, park
        la      t0, boot_claimed
        li      t1, 1
        amoswap.w.aq t1, t1, (t0)
        bnez    t1, late
        la      t0, __bss_start          # clear .bss (our stack lives there, still unused)
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sd      zero, 0(t0)
        addi    t0, t0, 8
        j       1b
2:      call    setstack
        li      s0, 0                   # the frame-pointer chain ends here
        call    start
        j       park

late:
        la      t0, late_harts
        li      t1, 1
        amoadd.w t1, t1, (t0)
        la      t0, boot_done
1:      lw      t1, 0(t0)
        beqz    t1, 1b
        fence   r, rw
        j       _secondary

.globl _secondary
_secondary:
        li      t0, NCPU
        bgeu    a0, t0, park
        call    setstack
        li      s0, 0
        call    start_secondary
park:   wfi
        j       park

# sp = bootstacks + (hartid + 1) * BOOTSTACK; keeps a0/a1
setstack:
        la      sp, bootstacks
        li      t0, BOOTSTACK
        addi    t1, a0, 1
        mul     t0, t0, t1
        add     sp, sp, t0
        ret
