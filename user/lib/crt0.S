# User start-up: the kernel enters _start with sp at the top of the stack and the
# boot table's argument in a0. main's return value becomes the exit status.
.section .text.start
.globl _start
_start:
        la      t0, task_arg
        sd      a0, 0(t0)
        li      s0, 0
        li      a0, 0
        li      a1, 0
        call    main
        call    exit
1:      j       1b

# A thread made by thread_create starts here with sp pointing at {fn, arg}.
.globl _thread_start
_thread_start:
        ld      t0, 0(sp)
        ld      a0, 8(sp)
        li      s0, 0
        jalr    t0
        li      a7, 13          # SYS_thread_exit
        ecall
1:      j       1b
