# Trap entry and exit. The kernel half is mapped in every address space, so a trap
# switches no page table. While a hart runs user code, sscratch holds the running
# thread's trap frame, which sits at the top of its kernel stack; in the kernel,
# sscratch is 0. So one swap tells where the trap came from and gives a stack.

#include "abi.h"
#define REG(n) ((n)-1)*8
#define TF_EPC 31*8
#define TF_CPU 32*8
#define TF_SATP 33*8
#define CPU_SATP 128            // offsetof(struct cpu, satp), checked in trap.c
#define CPU_USER 176            // offsetof(struct cpu, user), checked in trap.c

.section .text
.globl trapvec
.align 4
trapvec:
        csrrw   sp, sscratch, sp
        beqz    sp, fromkernel
        # from user: sp = trap frame; save x1..x31 (x2 = sp comes from sscratch),
        # except t1..t6 for a system call (the system-call ABI clobbers them) and
        # a0..a6 for call and reply_recv: they go to the IPC fast path in registers
        # (fastpath.c saves them if it passes the call on to the general path)
        sd      x5, REG(5)(sp)
        csrr    t0, scause
        sd      x1, REG(1)(sp)
        sd      x3, REG(3)(sp)
        sd      x4, REG(4)(sp)
        sd      x8, REG(8)(sp)
        sd      x9, REG(9)(sp)
        sd      x17, REG(17)(sp)
        sd      x18, REG(18)(sp)
        sd      x19, REG(19)(sp)
        sd      x20, REG(20)(sp)
        sd      x21, REG(21)(sp)
        sd      x22, REG(22)(sp)
        sd      x23, REG(23)(sp)
        sd      x24, REG(24)(sp)
        sd      x25, REG(25)(sp)
        sd      x26, REG(26)(sp)
        sd      x27, REG(27)(sp)
        csrrw   s1, sscratch, zero      # user sp; sscratch = 0 while in the kernel
        sd      s1, REG(2)(sp)
        ld      tp, TF_CPU(sp)
        fence   rw, w                   # this hart's user accesses are done before
        sw      zero, CPU_USER(tp)      # it says so (task_kill may wait for this)
        csrr    s1, sepc
        addi    t0, t0, -8              # scause 8: ecall from user mode
        bnez    t0, 1f
        addi    s1, s1, 4               # a system call returns past its ecall
        sd      s1, TF_EPC(sp)
        li      t1, SYS_call
        beq     a7, t1, fast_call
        li      t1, SYS_reply_recv
        beq     a7, t1, fast_reply_recv
        j       2f
1:      sd      s1, TF_EPC(sp)
        sd      x6, REG(6)(sp)
        sd      x7, REG(7)(sp)
        sd      x28, REG(28)(sp)
        sd      x29, REG(29)(sp)
        sd      x30, REG(30)(sp)
        sd      x31, REG(31)(sp)
2:      sd      x10, REG(10)(sp)
        sd      x11, REG(11)(sp)
        sd      x12, REG(12)(sp)
        sd      x13, REG(13)(sp)
        sd      x14, REG(14)(sp)
        sd      x15, REG(15)(sp)
        sd      x16, REG(16)(sp)
        li      s0, 0                   # end of the frame-pointer chain (the fast path's
                                        # ends at the user's s0: backtrace stops there)
        mv      a0, sp                  # the kernel stack grows down from the trap frame
        call    usertrap
        # usertrap and the fast paths return only through userret

# call and reply_recv: take the big kernel lock, then fastpath.c's function fn with
# a0..a6 as they came from user mode. If another hart holds the lock, wait for it in
# bkl_wait (C), the arguments kept in the frame meanwhile.
.macro FAST_ENTRY fn
        la      t1, bkl
        li      t2, 1
        amoswap.w.aq t2, t2, (t1)
        bnez    t2, 1f
        j       \fn
1:      la      s1, \fn
        j       fast_wait
.endm
fast_call:
        FAST_ENTRY fastpath_call
fast_reply_recv:
        FAST_ENTRY fastpath_reply_recv
fast_wait:
        sd      x10, REG(10)(sp)
        sd      x11, REG(11)(sp)
        sd      x12, REG(12)(sp)
        sd      x13, REG(13)(sp)
        sd      x14, REG(14)(sp)
        sd      x15, REG(15)(sp)
        sd      x16, REG(16)(sp)
        call    bkl_wait
        ld      x10, REG(10)(sp)
        ld      x11, REG(11)(sp)
        ld      x12, REG(12)(sp)
        ld      x13, REG(13)(sp)
        ld      x14, REG(14)(sp)
        ld      x15, REG(15)(sp)
        ld      x16, REG(16)(sp)
        jr      s1

# fast_exit(a0..a6, tf = a7): the end of an IPC fast path: return into the user mode
# of the thread whose trap frame is tf, with a0..a6 as given (its message) and every
# other register from tf. First say this hart runs user code and release the big
# kernel lock; then load tf's address space unless the hart has it already (as
# vm_switch does): outside the lock, because under QEMU a satp write flushes the
# whole TLB, the dearest part of a hand-off in real time, and other harts need not
# wait for it. (The task cannot go away meanwhile: task_kill waits for a hart that
# says it runs user code.) From then on the stack the fast path ran on may be taken
# by another hart: only the partner thread's own, below tf, may be used. sstatus
# needs no change: this hart trapped from user mode by ecall just now.
.globl fast_exit
fast_exit:
        sd      tp, TF_CPU(a7)
        sw      tp, CPU_USER(tp)        # any nonzero word: tp's low half is one
        la      t0, bkl
        amoswap.w.aqrl zero, zero, (t0) # release (bkl.held), ordered before the load of
        ld      t1, TF_SATP(a7)         # bkl.waiters below
        ld      t2, CPU_SATP(tp)
        beq     t1, t2, 1f
        sd      t1, CPU_SATP(tp)
        csrw    satp, t1
1:      ld      t1, 8(t0)               # bkl.waiters
        beqz    t1, user_regs
        # wake the harts sleeping for the lock (lock.c): the SBI call needs a0..a7
        mv      sp, a7
        sd      x10, REG(10)(a7)
        sd      x11, REG(11)(a7)
        sd      x12, REG(12)(a7)
        sd      x13, REG(13)(a7)
        sd      x14, REG(14)(a7)
        sd      x15, REG(15)(a7)
        sd      x16, REG(16)(a7)
        mv      a0, t1
        call    sbi_send_ipi_mask
        mv      a0, sp
        j       userret

# userret(tf): return to user mode with the registers in *tf. Interrupts are off.
.globl userret
userret:
        mv      a7, a0
        ld      x10, REG(10)(a7)
        ld      x11, REG(11)(a7)
        ld      x12, REG(12)(a7)
        ld      x13, REG(13)(a7)
        ld      x14, REG(14)(a7)
        ld      x15, REG(15)(a7)
        ld      x16, REG(16)(a7)
# a0..a6 loaded already, a7 = tf: the rest from tf
user_regs:
        csrw    sscratch, a7
        ld      t0, TF_EPC(a7)
        csrw    sepc, t0
        ld      x1, REG(1)(a7)
        ld      x2, REG(2)(a7)
        ld      x3, REG(3)(a7)
        ld      x4, REG(4)(a7)
        ld      x5, REG(5)(a7)
        ld      x6, REG(6)(a7)
        ld      x7, REG(7)(a7)
        ld      x8, REG(8)(a7)
        ld      x9, REG(9)(a7)
        ld      x18, REG(18)(a7)
        ld      x19, REG(19)(a7)
        ld      x20, REG(20)(a7)
        ld      x21, REG(21)(a7)
        ld      x22, REG(22)(a7)
        ld      x23, REG(23)(a7)
        ld      x24, REG(24)(a7)
        ld      x25, REG(25)(a7)
        ld      x26, REG(26)(a7)
        ld      x27, REG(27)(a7)
        ld      x28, REG(28)(a7)
        ld      x29, REG(29)(a7)
        ld      x30, REG(30)(a7)
        ld      x31, REG(31)(a7)
        ld      x17, REG(17)(a7)
        sret

# A trap taken in S-mode: only exceptions can arrive here (the kernel runs with
# interrupts off and idles with wfi, polling sip). Save what C may clobber.
fromkernel:
        csrrw   sp, sscratch, sp        # back to the kernel sp; sscratch = 0 again
        addi    sp, sp, -256
        sd      ra, 0(sp)
        sd      t0, 8(sp)
        sd      t1, 16(sp)
        sd      t2, 24(sp)
        sd      a0, 32(sp)
        sd      a1, 40(sp)
        sd      a2, 48(sp)
        sd      a3, 56(sp)
        sd      a4, 64(sp)
        sd      a5, 72(sp)
        sd      a6, 80(sp)
        sd      a7, 88(sp)
        sd      t3, 96(sp)
        sd      t4, 104(sp)
        sd      t5, 112(sp)
        sd      t6, 120(sp)
        sd      s0, 128(sp)
        mv      a0, sp
        call    kerneltrap
        ld      ra, 0(sp)
        ld      t0, 8(sp)
        ld      t1, 16(sp)
        ld      t2, 24(sp)
        ld      a0, 32(sp)
        ld      a1, 40(sp)
        ld      a2, 48(sp)
        ld      a3, 56(sp)
        ld      a4, 64(sp)
        ld      a5, 72(sp)
        ld      a6, 80(sp)
        ld      a7, 88(sp)
        ld      t3, 96(sp)
        ld      t4, 104(sp)
        ld      t5, 112(sp)
        ld      t6, 120(sp)
        addi    sp, sp, 256
        sret
