// RISC-V supervisor-mode registers, page-table entries and small inline helpers.
#pragma once
#include "types.h"

#define csrr(csr) ({ uint64 __v; asm volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define csrw(csr, v) asm volatile("csrw " #csr ", %0" :: "r"((uint64)(v)))
#define csrs(csr, v) asm volatile("csrs " #csr ", %0" :: "r"((uint64)(v)))
#define csrc(csr, v) asm volatile("csrc " #csr ", %0" :: "r"((uint64)(v)))

// sstatus
#define SSTATUS_SPP  (1L << 8)   // previous mode: 1 = supervisor
#define SSTATUS_SPIE (1L << 5)
#define SSTATUS_SIE  (1L << 1)
#define SSTATUS_SUM  (1L << 18)

// sie / sip
#define SIE_SSIE (1L << 1)
#define SIE_STIE (1L << 5)
#define SIE_SEIE (1L << 9)

// scause
#define SCAUSE_INTR  (1UL << 63)
#define IRQ_S_SOFT   1
#define IRQ_S_TIMER  5
#define IRQ_S_EXT    9
#define EXC_ILLEGAL  2
#define EXC_ECALL_U  8

// Sv39
#define SATP_SV39  (8UL << 60)
#define MAKE_SATP(pt, asid) (SATP_SV39 | ((uint64)(asid) << 44) | (((uint64)(pt)) >> 12))

#define PGSIZE  4096
// One beyond the highest Sv39 address, less one bit to avoid sign extension (as xv6).
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))
#define PGSHIFT 12
#define PGROUNDUP(a)   (((a) + PGSIZE - 1) & ~(uint64)(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(uint64)(PGSIZE - 1))

#define PTE_V (1L << 0)
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)
#define PTE_G (1L << 5)
#define PTE_A (1L << 6)
#define PTE_D (1L << 7)
#define PTE_COW (1L << 8)         // software bit: copy-on-write page
#define PA2PTE(pa) ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)
#define PXSHIFT(level) (PGSHIFT + 9 * (level))
#define PX(level, va) ((((uint64)(va)) >> PXSHIFT(level)) & 0x1FF)

typedef uint64 pte_t;
typedef uint64 *pagetable_t;   // 512 PTEs

static inline uint64 r_tp(void) { uint64 x; asm volatile("mv %0, tp" : "=r"(x)); return x; }
static inline uint64 r_fp(void) { uint64 x; asm volatile("mv %0, s0" : "=r"(x)); return x; }
static inline uint64 r_sp(void) { uint64 x; asm volatile("mv %0, sp" : "=r"(x)); return x; }
static inline uint64 r_time(void) { uint64 x; asm volatile("rdtime %0" : "=r"(x)); return x; }
static inline uint64 r_instret(void) { uint64 x; asm volatile("rdinstret %0" : "=r"(x)); return x; }
static inline void sfence_vma_all(void) { asm volatile("sfence.vma zero, zero" ::: "memory"); }
static inline void wfi(void) { asm volatile("wfi"); }
