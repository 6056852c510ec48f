# User start-up: a new task's first thread starts here with a0 pointing to its
# struct start_info (kernel/abi.h) at the top of its stack. main's return value
# becomes the exit status.
.section .text.start
.globl _start
_start:
        ld      t0, 16(a0)              # start_info.arg
        la      t1, task_arg
        sd      t0, 0(t1)
        ld      a1, 8(a0)               # argv (0: a boot task, not a process)
        la      t1, task_argv
        sd      a1, 0(t1)
        ld      a0, 0(a0)               # argc
        li      s0, 0
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
