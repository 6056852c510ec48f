// What the process core needs from its host besides svc.h: threads, death
// notices and the boot image (the kernel's mechanism).
#pragma once
#include "kernel/types.h"

int64 proch_thread_start(uint64 task, uint64 pc, uint64 sp, uint64 arg);
int proch_task_watch(uint64 task);    // PROC_DIED reaches the core when task dies
int proch_task_alive(uint64 task);    // 0 if alive
const unsigned char *proch_bootimg(uint64 *len, uint64 *pa);   // the boot image, readable
