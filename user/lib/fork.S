# int fork(void): the child must come back from this call as if it had made it, so
# the parent saves its callee-saved registers on its stack (which the child gets a
# copy-on-write copy of) and asks the process server to start the child at
# fork_child with a0 = sp = that save area.
.globl fork
fork:
        addi    sp, sp, -112
        sd      ra, 0(sp)
        sd      s0, 8(sp)
        sd      s1, 16(sp)
        sd      s2, 24(sp)
        sd      s3, 32(sp)
        sd      s4, 40(sp)
        sd      s5, 48(sp)
        sd      s6, 56(sp)
        sd      s7, 64(sp)
        sd      s8, 72(sp)
        sd      s9, 80(sp)
        sd      s10, 88(sp)
        sd      s11, 96(sp)
        sd      tp, 104(sp)
        la      a0, fork_child
        mv      a1, sp
        call    fork_request            # usys.c: the child's pid, or -1
        ld      ra, 0(sp)
        addi    sp, sp, 112
        ret

fork_child:
        mv      sp, a0
        ld      ra, 0(sp)
        ld      s0, 8(sp)
        ld      s1, 16(sp)
        ld      s2, 24(sp)
        ld      s3, 32(sp)
        ld      s4, 40(sp)
        ld      s5, 48(sp)
        ld      s6, 56(sp)
        ld      s7, 64(sp)
        ld      s8, 72(sp)
        ld      s9, 80(sp)
        ld      s10, 88(sp)
        ld      s11, 96(sp)
        ld      tp, 104(sp)
        addi    sp, sp, 112
        li      a0, 0
        ret
