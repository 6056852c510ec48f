// The memory server's protocol (EP_MEM), shared by the core, its clients and tests.
//
//   label       request                               reply (rlabel 0 or an error)
//   MEM_SBRK    w0 = delta (signed)                   rw0 = the old break        (any task, for itself)
//   MEM_STAT    -                                     rw0 = free frames, rw1 = pages copied on
//                                                     write, rw2 = zero-fill faults, rw3 = frames in all
//   MEM_DMA     w0 = va, w1 = pages (<= DMA_MAX)      rw0 = physical address: that many physically
//                                                     contiguous, zeroed frames, mapped read-write at
//                                                     va in the caller for good (drivers' DMA buffers;
//                                                     tasks that are not processes only)
//   L_FAULT     (the kernel, for a faulting thread)   label 0: resumed; FAULT_MAP (rw0 = page, rw1 =
//                                                     frame, rw2 = MAP_*): mapped, then resumed; else
//                                                     the task is killed
// From the process server only:
//   MEM_NEWAS   w0, w1 = name (16 bytes)              rw0 = task badge of a new, empty address space
//   MEM_REGION  w0 = task, w1 = va, w2 = len,         declares memory: MEM_R/W/X, MEM_HEAP
//               w3 = flags                            (sets the break at va + len), MEM_STACK
//   MEM_WRITE   w0 = task, w1 = va; buffer R          copies the buffer into the task's memory
//   MEM_FORK    w0 = parent task, w1, w2 = name       rw0 = child task: a copy-on-write copy
//   MEM_FREE    w0 = task                             the task is killed, its memory freed
#pragma once

#define MEM_SBRK   1
#define MEM_STAT   2
#define MEM_NEWAS  3
#define MEM_REGION 4
#define MEM_WRITE  5
#define MEM_FORK   6
#define MEM_FREE   7
#define MEM_DMA    8

#define MEM_R      (1 << 1)      // the same bits as MAP_R/W/X
#define MEM_W      (1 << 2)
#define MEM_X      (1 << 3)
#define MEM_HEAP   (1 << 4)
#define MEM_STACK  (1 << 5)

#define STACK_PAGES 1            // a process's stack, as xv6's: one page (lazy), the guard below
#define DMA_MAX     64           // pages in one MEM_DMA request
#define DMA_POOL    256          // pages set aside for DMA at start
