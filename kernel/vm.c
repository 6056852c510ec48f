// Sv39 page tables: the kernel half shared by every address space, mapping and
// unmapping user pages, and checked copies between address spaces.
//
// An address space switch writes satp with the task's ASID and no fence: stale
// entries of a reused ASID are flushed when its task is destroyed, and unmaps
// flush every hart. A map adds no fence; a fault on a page that is in fact mapped
// (a stale invalid entry) is retried after a local fence (trap.c).
#include "kernel.h"
#include "memmove.h"

pagetable_t kernel_pt;

static pte_t kernel_ram_pte, kernel_dev_pte;

void kvm_init(void) {
  kernel_pt = kalloc();
  // One gigapage each: RAM and the kernel (identity), and the device window.
  kernel_ram_pte = PA2PTE(RAMBASE) | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D | PTE_V;
  kernel_dev_pte = PA2PTE(0) | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D | PTE_V;
  kernel_pt[PX(2, RAMBASE)] = kernel_ram_pte;
  kernel_pt[PX(2, KDEV)] = kernel_dev_pte;
}

void kvm_enable(void) {
  csrw(satp, MAKE_SATP(kernel_pt, 0));
  sfence_vma_all();
}

pagetable_t pt_create(void) {
  pagetable_t pt = kalloc();
  if (!pt)
    return 0;
  pt[PX(2, RAMBASE)] = kernel_ram_pte;
  pt[PX(2, KDEV)] = kernel_dev_pte;
  return pt;
}

// Frees the table pages of the user half (not the user frames: those are not the kernel's).
void pt_destroy(pagetable_t pt) {
  for (int i = 0; i < PX(2, MAXUVA); i++) {
    if (!(pt[i] & PTE_V))
      continue;
    pagetable_t l1 = (pagetable_t)PTE2PA(pt[i]);
    for (int j = 0; j < 512; j++)
      if (l1[j] & PTE_V)
        kfree((void *)PTE2PA(l1[j]));
    kfree(l1);
  }
  kfree(pt);
}

// pt_walk's slow case: the walk that creates missing table pages.
static __attribute__((noinline)) pte_t *pt_walk_alloc(pagetable_t pt, uint64 va) {
  for (int level = 2; level > 0; level--) {
    pte_t *pte = &pt[PX(level, va)];
    if (*pte & PTE_V) {
      pt = (pagetable_t)PTE2PA(*pte);
    } else {
      if (!(pt = kalloc()))
        return 0;
      *pte = PA2PTE(pt) | PTE_V;
    }
  }
  return &pt[PX(0, va)];
}

// The level-0 PTE for va, creating table pages if alloc; 0 if absent or out of memory.
// The common case (both tables there) first, with no call: this walk is under every
// fault, mapping and bulk copy.
pte_t *pt_walk(pagetable_t pt, uint64 va, int alloc) {
  pte_t e = pt[PX(2, va)];
  if (e & PTE_V) {
    e = ((pagetable_t)PTE2PA(e))[PX(1, va)];
    if (e & PTE_V)
      return &((pagetable_t)PTE2PA(e))[PX(0, va)];
  }
  return alloc ? pt_walk_alloc(pt, va) : 0;
}

int pt_map(pagetable_t pt, uint64 va, uint64 pa, int perm) {
  pte_t *pte = pt_walk(pt, va, 1);
  if (!pte)
    return E_NOMEM;
  int downgrade = (*pte & PTE_V) && (PTE2PA(*pte) != pa || (PTE_FLAGS(*pte) & ~perm & (PTE_R | PTE_W | PTE_X)));
  *pte = PA2PTE(pa) | (perm & (PTE_R | PTE_W | PTE_X | PTE_COW)) | PTE_U | PTE_A | PTE_D | PTE_V;
  if (downgrade)
    sbi_remote_sfence();
  return 0;
}

int pt_unmap(pagetable_t pt, uint64 va) {
  pte_t *pte = pt_walk(pt, va, 0);
  if (!pte || !(*pte & PTE_V))
    return E_INVAL;
  *pte = 0;
  sbi_remote_sfence();
  return 0;
}

// Checks a user page's PTE (0: no table) for a read or a write through its *user*
// permissions.
static int upte(pte_t *pte, int write, uint64 *pa) {
  if (!pte || !(*pte & PTE_V))
    return E_NOTPRESENT;
  pte_t e = *pte;
  if (!(e & PTE_U) || !(e & PTE_R))
    return E_BADADDR;
  if (write && !(e & PTE_W))
    return (e & PTE_COW) ? E_NOTPRESENT : E_BADADDR;
  uint64 p = PTE2PA(e);
  if (p < RAMBASE || p >= ram_end)
    return E_BADADDR;           // device registers are not copied to or from
  *pa = p;
  return 0;
}

// The level-0 PTE of page va, given pte, that of the page before it (or 0): the next
// entry of the same table unless va starts a new one, so a range costs one walk per
// 2 MiB.
static pte_t *pte_next(pagetable_t pt, pte_t *pte, uint64 va) {
  return pte && PX(0, va) != 0 ? pte + 1 : pt_walk(pt, va, 0);
}

// 0 if every page of [va, va+len) allows the access; else the first error. A copy
// checks its whole range first, so a failed copy writes nothing.
int uaccess_check(pagetable_t pt, uint64 va, uint64 len, int write) {
  if (!user_range(va, len))
    return E_BADADDR;
  uint64 need = PTE_V | PTE_U | PTE_R | (write ? PTE_W : 0), ram = ram_end - RAMBASE, pa;
  pte_t *pte = 0;
  for (uint64 a = PGROUNDDOWN(va); a < va + len; a += PGSIZE) {
    pte = pte_next(pt, pte, a);
    // Every bit wanted there and the frame in RAM, in one test; upte says what is wrong.
    if (!pte || (*pte & need) != need || PTE2PA(*pte) - RAMBASE >= ram)
      return upte(pte, write, &pa);
  }
  return 0;
}

// Where [va, va+len), inside one user page, is: checked as uaccess_check does.
static int upage_at(pagetable_t pt, uint64 va, uint64 len, int write, uint64 *pa) {
  if (!user_range(va, len))
    return E_BADADDR;
  int r = upte(pt_walk(pt, PGROUNDDOWN(va), 0), write, pa);
  *pa += va & (PGSIZE - 1);
  return r;
}

// Copies len bytes from (spt, sva) to (dpt, dva), page piece by page piece, with no
// intermediate buffer. A 0 page table means the kernel (identity-mapped) side.
int copy_between(pagetable_t dpt, uint64 dva, pagetable_t spt, uint64 sva, uint64 len) {
  int r;
  uint64 in_d = PGSIZE - (dva & (PGSIZE - 1)), in_s = PGSIZE - (sva & (PGSIZE - 1));
  if (len > 0 && len <= in_d && len <= in_s) {   // the usual small copy: one walk a side
    uint64 dpa = dva, spa = sva;
    if ((dpt && (r = upage_at(dpt, dva, len, 1, &dpa)) < 0) || (spt && (r = upage_at(spt, sva, len, 0, &spa)) < 0))
      return r;
    memmove((void *)dpa, (void *)spa, len);
    return 0;
  }
  if ((dpt && (r = uaccess_check(dpt, dva, len, 1)) < 0) || (spt && (r = uaccess_check(spt, sva, len, 0)) < 0))
    return r;
  // Piece by piece, each within one page of each side: a side looks its next page
  // up (the next PTE, mostly) only when it has used up the last (left = 0); the
  // kernel's side is one piece.
  pte_t *dpte = 0, *spte = 0;
  uint64 dpa = dva, spa = sva, dleft = dpt ? 0 : len, sleft = spt ? 0 : len;
  while (len > 0) {
    if (dleft == 0) {
      dpte = pte_next(dpt, dpte, PGROUNDDOWN(dva));
      dleft = PGSIZE - (dva & (PGSIZE - 1));
      dpa = PTE2PA(*dpte) + (dva & (PGSIZE - 1));
    }
    if (sleft == 0) {
      spte = pte_next(spt, spte, PGROUNDDOWN(sva));
      sleft = PGSIZE - (sva & (PGSIZE - 1));
      spa = PTE2PA(*spte) + (sva & (PGSIZE - 1));
    }
    uint64 n = dleft < sleft ? dleft : sleft;
    n = n < len ? n : len;
    memmove_words((void *)dpa, (void *)spa, n, misaligned_fast);   // inline: no call a piece
    dpa += n, spa += n, dva += n, sva += n, dleft -= n, sleft -= n, len -= n;
  }
  return 0;
}

int copyin(pagetable_t pt, void *dst, uint64 va, uint64 len) {
  return copy_between(0, (uint64)dst, pt, va, len);
}

int copyout(pagetable_t pt, uint64 va, const void *src, uint64 len) {
  return copy_between(pt, va, 0, (uint64)src, len);
}

// Copies a NUL-terminated string of at most max bytes (including the NUL).
int copyinstr(pagetable_t pt, char *dst, uint64 va, uint64 max) {
  for (uint64 i = 0; i < max; i++) {
    int r = copyin(pt, dst + i, va + i, 1);
    if (r < 0)
      return r;
    if (dst[i] == 0)
      return 0;
  }
  return E_RANGE;
}
