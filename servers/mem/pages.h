// Page accounting: the part of memory management that does not depend on where it
// runs. Written once and shared by both hosts of the memory subsystem: the kernel
// (kernel/kmem.c, stages 1-3) and the memory server (servers/mem/main.c and
// pager.c, stage 4). It owns the frames handed to the pager at boot and decides
// every ordinary task's memory: which frame backs each page, who shares it, what a
// fault means. It knows no IPC and no kernel internals; it runs one call at a time
// (its host serialises it) and never waits.
//
// Its host supplies the mechanism, three hooks (each host defines them):
#pragma once
#include "kernel/types.h"

int pages_map(uint64 task, uint64 va, uint64 pa, int perm);  // map a page in task (MAP_* of
                                                              // kernel/abi.h): 0 or an error
void pages_unmap(uint64 task, uint64 va);                     // unmap it
void *pages_frame(uint64 pa);       // where this host can read and write frame pa
int pages_alive(uint64 task);       // 1 if the task lives, 0 if it is gone

// A task's address space: its regions, its break, and a shadow of its page table
// (which frame backs each page, and whether that frame is shared copy-on-write).
struct space;

// Take the frames mem_start .. mem_end (physical; pages_frame must reach them all).
void pages_init(uint64 mem_start, uint64 mem_end);

// A new, empty space for task (a badge: slot | generation << 16), or 0 if out of
// frames. A space whose task died without space_free is given back here, when its
// task slot is reused (so the old task is surely gone).
struct space *space_new(uint64 task);
// The space of task, or 0 (none, or it was freed).
struct space *space_of(uint64 task);
// Give back every frame of s. Its task must already be dead (killed): its mappings
// are not undone, they die with it.
void space_free(struct space *s);

// Declare memory: va..va+len with MEM_R/W/X (and MEM_STACK), or with MEM_HEAP the
// start of the heap (the break is then va + len). 0, E_INVAL, E_NOMEM (too many regions).
int space_region(struct space *s, uint64 va, uint64 len, int flags);
// A page fault at va (scause 12 fetch, 13 load, 15 store): 0 when the page is now
// mapped as needed (a zero-filled frame, a copy of a shared frame, or it was there
// already), else the fault must not be resumed: E_INVAL (outside the task's memory,
// or an access its region forbids), E_NOMEM (no frame free), or the map hook's error.
int space_fault(struct space *s, uint64 va, uint64 scause);
// Policy for E_NOMEM: the fault waits (each host its own way) up to this long, in
// guest time, for frames to come back -- a space freed, a heap shrunk -- and tries
// again; after that its task is killed.
#define FAULT_WAIT_NS 100000000UL
// Make child (new, empty) a copy-on-write copy of parent: every present page is
// shared, and writable ones become read-only in both with MAP_COW. 0 or E_NOMEM
// (the child is then half made: free it).
int space_fork(struct space *parent, struct space *child);
// Move the break by delta bytes: the old break, or E_NOMEM (more than free frames
// could ever back), E_INVAL (below the heap). Shrinking frees the pages above it.
int64 space_sbrk(struct space *s, int64 delta);
// The page at va made present and private (for the host to fill it, MEM_WRITE):
// *page = where the host can write it. 0, E_INVAL (outside the task's memory),
// E_NOMEM.
int space_page(struct space *s, uint64 va, char **page);

// n physically contiguous, zeroed frames set aside for DMA, owner's until it dies,
// then the next owner's that asks for as many (a driver restarted by the supervisor
// resets its device first, so no transfer lands in them any more): the physical
// address of the first, or 0 if the DMA pool has not that many left.
uint64 pages_dma(uint64 n, uint64 owner);

struct pages_stat {
  uint64 free;                      // frames free
  uint64 copied;                    // pages copied on write, since boot
  uint64 zeroed;                    // zero-filled pages, since boot
  uint64 frames;                    // frames in all
};
void pages_stat(struct pages_stat *st);
