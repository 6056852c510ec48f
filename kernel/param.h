// Sizes of the kernel's fixed tables and of its memory regions.
#pragma once

#define NCPU        8           // most harts the kernel drives
#define NTASK       128         // tasks (address spaces); also the ASID range
#define NTHREAD     256         // threads over all tasks
#define NEP         256         // endpoints, including the well-known ones
#define NPRIO       8           // scheduling priorities, 0 (lowest) .. 7
#define KSTACK_SIZE 8192        // each thread's kernel stack (trap frame at its top)
#define BOOTSTACK   4096        // each hart's stack for boot and idle
#define TICK_HZ     100         // scheduler tick
#define KPOOL_SIZE  (16UL << 20) // kernel memory (page tables) after the kernel image
#define NIRQ        64          // PLIC sources the kernel can route
