# Trap entry and exit. The kernel half is mapped in every address space, so a trap
# switches no page table. While a hart runs user code, sscratch holds the running
# thread's trap frame, which sits at the top of its kernel stack; in the kernel,
# sscratch is 0. So one swap tells where the trap came from and gives a stack.

#include "abi.h"
#define REG(n) ((n)-1)*8
#define TF_EPC 31*8
#define TF_CPU 32*8

.section .text
.globl trapvec
.align 4
trapvec:
        csrrw   sp, sscratch, sp
        beqz    sp, fromkernel
        # from user: sp = trap frame; save x1..x31 (x2 = sp comes from sscratch),
        # except t1..t6 for a system call: the system-call ABI clobbers them
        sd      x5, REG(5)(sp)
        csrr    t0, scause
        sd      x1, REG(1)(sp)
        sd      x3, REG(3)(sp)
        sd      x4, REG(4)(sp)
        sd      x8, REG(8)(sp)
        sd      x9, REG(9)(sp)
        sd      x10, REG(10)(sp)
        sd      x11, REG(11)(sp)
        sd      x12, REG(12)(sp)
        sd      x13, REG(13)(sp)
        sd      x14, REG(14)(sp)
        sd      x15, REG(15)(sp)
        sd      x16, REG(16)(sp)
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
        addi    t0, t0, -8              # scause 8: ecall from user mode
        beqz    t0, 1f
        sd      x6, REG(6)(sp)
        sd      x7, REG(7)(sp)
        sd      x28, REG(28)(sp)
        sd      x29, REG(29)(sp)
        sd      x30, REG(30)(sp)
        sd      x31, REG(31)(sp)
1:      mv      t2, t0                  # 0: a system call
        csrrw   t0, sscratch, zero      # user sp; sscratch = 0 while in the kernel
        sd      t0, REG(2)(sp)
        csrr    t0, sepc
        sd      t0, TF_EPC(sp)
        ld      tp, TF_CPU(sp)
        li      s0, 0                   # end of the frame-pointer chain
        mv      a0, sp                  # the kernel stack grows down from the trap frame
        bnez    t2, 2f
        # call and reply_recv go to the IPC fast path first (fastpath.c)
        li      t1, SYS_call
        beq     a7, t1, fastpath_call
        li      t1, SYS_reply_recv
        beq     a7, t1, fastpath_reply_recv
2:      call    usertrap
        # usertrap and the fast paths return only through userret

# fast_exit(tf): the end of an IPC fast path, switching to the kernel stack below tf
# (the partner thread's own: the stack the fast path ran on may be taken by another
# hart once the lock is free). Then release the big kernel lock and return into tf.
# sstatus needs no change: this hart trapped from user mode by ecall just now.
.globl fast_exit
fast_exit:
        mv      sp, a0
        sd      tp, TF_CPU(a0)
        la      t0, bkl
        fence   rw, w
        sw      zero, 0(t0)
        fence
        ld      t1, bkl_waiters
        beqz    t1, userret
        mv      s1, a0
        mv      a0, t1
        call    sbi_send_ipi_mask
        mv      a0, s1
        j       userret

# userret(tf): return to user mode with the registers in *tf. Interrupts are off.
.globl userret
userret:
        csrw    sscratch, a0
        ld      t0, TF_EPC(a0)
        csrw    sepc, t0
        ld      x1, REG(1)(a0)
        ld      x2, REG(2)(a0)
        ld      x3, REG(3)(a0)
        ld      x4, REG(4)(a0)
        ld      x5, REG(5)(a0)
        ld      x6, REG(6)(a0)
        ld      x7, REG(7)(a0)
        ld      x8, REG(8)(a0)
        ld      x9, REG(9)(a0)
        ld      x11, REG(11)(a0)
        ld      x12, REG(12)(a0)
        ld      x13, REG(13)(a0)
        ld      x14, REG(14)(a0)
        ld      x15, REG(15)(a0)
        ld      x16, REG(16)(a0)
        ld      x17, REG(17)(a0)
        ld      x18, REG(18)(a0)
        ld      x19, REG(19)(a0)
        ld      x20, REG(20)(a0)
        ld      x21, REG(21)(a0)
        ld      x22, REG(22)(a0)
        ld      x23, REG(23)(a0)
        ld      x24, REG(24)(a0)
        ld      x25, REG(25)(a0)
        ld      x26, REG(26)(a0)
        ld      x27, REG(27)(a0)
        ld      x28, REG(28)(a0)
        ld      x29, REG(29)(a0)
        ld      x30, REG(30)(a0)
        ld      x31, REG(31)(a0)
        ld      x10, REG(10)(a0)
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
