// What the memory core needs from its host besides svc.h: address spaces and
// mappings (the kernel's mechanism), and access to the contents of frames.
#pragma once
#include "kernel/types.h"

int64 memh_task_create(const char *name);             // an empty address space; its faults come to EP_MEM
void memh_task_kill(uint64 task);
int memh_map(uint64 task, uint64 va, uint64 pa, int perm);   // MAP_* bits of kernel/abi.h
int memh_unmap(uint64 task, uint64 va);
void *memh_frame(uint64 pa);                          // where the core can read and write frame pa
uint64 memh_proc_badge(void);                         // the process server's badge (it may manage spaces)
