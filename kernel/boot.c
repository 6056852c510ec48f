// Boot tasks: ELF programs embedded in the kernel image (bootimg.S), started at boot
// as the boot table (boottab.c) says, each in its own address space with its stack
// below USTACK_TOP and an unmapped guard page above and below. Their frames come
// from the bottom of user memory, one run of frames per task; what is left is free
// for the pager. A boot task that died can be started again from its image into the
// same run of frames (SYS_respawn, for the supervisor).
#include "kernel.h"
#include "boottab.h"
#include "elf.h"

extern const struct bootimg_entry bootimg_table[];

static uint64 user_next;     // next free frame of user memory
static uint64 user_limit;    // frames below this are free to take now
uint64 user_mem_start;       // the end of the boot tasks' frames: the pager's memory starts here

// A started boot task: its row, the frames it was loaded into, and which task it is.
static struct bootrun {
  const struct bootentry *e;
  uint64 lo, hi;
  struct task *tk;
  uint64 badge;
} runs[NBOOTRUN];
static int nruns;

// A frame for a boot task. A respawn reloads the same image into the same run, so
// it never runs out; at boot, running out is a panic (the build chose the tasks).
static uint64 frame(void) {
  if (user_next + PGSIZE > user_limit)
    panic("boot: out of memory for boot tasks");
  uint64 pa = user_next;
  user_next += PGSIZE;
  memset((void *)pa, 0, PGSIZE);
  return pa;
}

// Loads an ELF image into tk's address space and sets *entry: 0, or -1 if the kernel
// pool has no page left for the page table. The boot image
// is the kernel's own (the build made it), so a bad one is a panic; the bounds are
// still checked without overflow, as exec checks a user's file (progimg.c).
static int load_elf(struct task *tk, const uint8 *img, uint64 size, uint64 *entry) {
  const struct elfhdr *eh = (const struct elfhdr *)img;
  if (size < sizeof *eh || eh->magic != ELF_MAGIC || eh->phentsize != sizeof(struct proghdr) ||
      eh->phoff % 8 || eh->phoff > size || (uint64)eh->phnum * sizeof(struct proghdr) > size - eh->phoff)
    panic("boot: %s is not an ELF file", tk->name);
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const struct proghdr *)(img + eh->phoff + i * sizeof *ph);
    if (ph->type != ELF_PROG_LOAD || ph->memsz == 0)
      continue;
    if (ph->filesz > ph->memsz || ph->off > size || ph->filesz > size - ph->off || ph->vaddr >= MAXUVA ||
        ph->memsz > MAXUVA - ph->vaddr)
      panic("boot: %s: a program header out of bounds", tk->name);
    int perm = (ph->flags & 4 ? MAP_R : 0) | (ph->flags & 2 ? MAP_W | MAP_R : 0) | (ph->flags & 1 ? MAP_X | MAP_R : 0);
    for (uint64 va = PGROUNDDOWN(ph->vaddr); va < ph->vaddr + ph->memsz; va += PGSIZE) {
      pte_t *pte = pt_walk(tk->pt, va, 0);
      uint64 pa = pte && (*pte & PTE_V) ? PTE2PA(*pte) : frame();
      if (pt_map(tk->pt, va, pa, perm | (pte && (*pte & PTE_V) ? PTE_FLAGS(*pte) : 0)) < 0)
        return -1;
      // the part of this page that comes from the file
      uint64 lo = va > ph->vaddr ? va : ph->vaddr;
      uint64 hi = va + PGSIZE < ph->vaddr + ph->filesz ? va + PGSIZE : ph->vaddr + ph->filesz;
      if (lo < hi)
        memmove((void *)(pa + (lo - va)), img + ph->off + (lo - ph->vaddr), hi - lo);
    }
  }
  *entry = eh->entry;
  return 0;
}

static const struct bootimg_entry *find_image(const char *name) {
  for (const struct bootimg_entry *b = bootimg_table; b->name; b++)
    if (strncmp((const char *)b->name, name, 32) == 0)
      return b;
  return 0;
}

// The value of key=... in the kernel command line, or def.
const char *bootarg(const char *key, char *out, int n, const char *def) {
  uint64 klen = strlen(key);
  for (const char *p = bootargs; *p;) {
    while (*p == ' ')
      p++;
    if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
      p += klen + 1;
      int i = 0;
      while (*p && *p != ' ' && i < n - 1)
        out[i++] = *p++;
      out[i] = 0;
      return out;
    }
    while (*p && *p != ' ')
      p++;
  }
  return def;
}

static int in_group(const char *groups, const char *run) {
  uint64 n = strlen(run);
  for (const char *p = groups; *p;) {
    if (strncmp(p, run, n) == 0 && (p[n] == ',' || p[n] == 0))
      return 1;
    if (p[0] == '*' && (p[1] == ',' || p[1] == 0))
      return 1;
    while (*p && *p != ',')
      p++;
    if (*p == ',')
      p++;
  }
  return 0;
}

// The test image adds the boot groups of testtab.c and its in-kernel test subsystem.
extern const struct bootentry testtab[] __attribute__((weak));
void boot_tests(void) __attribute__((weak));

static struct task *start_task(const struct bootentry *e) {
  const struct bootimg_entry *img = find_image(e->name);
  if (!img)
    panic("boot: no image for %s", e->name);
  struct task *tk = task_alloc(e->name);
  if (!tk)
    return 0;
  tk->rights = e->rights;
  tk->fault_ep = e->fault ? WK(e->fault) : 0;
  if (e->serve && !ep_alloc(tk, e->serve)) {
    task_kill(tk, 0);              // its well-known endpoint is taken
    return 0;
  }
  uint64 entry, top = 0;
  int mapped = load_elf(tk, (const uint8 *)img->start, img->end - img->start, &entry) == 0;
  for (int i = 1; i <= USTACK_PAGES && mapped; i++)
    mapped = pt_map(tk->pt, USTACK_TOP - i * PGSIZE, top ? frame() : (top = frame()), MAP_R | MAP_W) == 0;
  struct start_info si = {0, 0, e->arg};
  uint64 sp = USTACK_TOP - 64;
  if (mapped)
    memmove((void *)(top + PGSIZE - 64), &si, sizeof si);
  if (!mapped || !thread_start(tk, entry, sp, sp, e->prio)) {
    task_kill(tk, 0);
    return 0;
  }
  return tk;
}

static void start_boot_task(const struct bootentry *e) {
  if (nruns == NBOOTRUN)
    panic("boot: more than %d boot tasks", NBOOTRUN);
  struct bootrun *r = &runs[nruns++];
  r->e = e;
  r->lo = user_next;
  if (!(r->tk = start_task(e)))
    panic("boot: no task, thread, well-known endpoint or kernel memory for %s", e->name);
  r->hi = user_next;
  r->badge = r->tk->badge;
  r->tk->bootrun = nruns;
}

// SYS_respawn: start the boot task `name` again, from its image, with its boot table
// row (rights, priority, well-known endpoint), into the frames it had. Only once the
// task is gone for good (freed: none of its threads runs, its endpoints are dead).
// Returns the new task's badge.
int64 boot_respawn(const char *name) {
  for (struct bootrun *r = runs; r < runs + nruns; r++) {
    if (strncmp(r->e->name, name, sizeof r->tk->name) != 0)
      continue;
    if (r->tk->used && r->tk->badge == r->badge)
      return E_BUSY;                // still alive, or not freed yet
    uint64 next = user_next, limit = user_limit;
    user_next = r->lo, user_limit = r->hi;
    struct task *tk = start_task(r->e);
    user_next = next, user_limit = limit;
    if (!tk)
      return E_NOMEM;
    r->tk = tk;
    r->badge = tk->badge;
    tk->bootrun = r - runs + 1;
    return TASK_BADGE(tk);
  }
  return E_INVAL;
}

void boot_tasks(void) {
  char buf[32];
  const char *run = bootarg("run", buf, sizeof buf, BOOT_DEFAULT_GROUP);
  const struct bootentry *tables[] = {boottab, testtab};
  user_next = kpool_end;
  user_limit = ram_end;
  int started = 0;
  for (int k = 0; k < 2; k++)
    for (const struct bootentry *e = tables[k]; e && e->name; e++)
      if (in_group(e->groups, run) && !e->hosted)
        start_boot_task(e), started++;
  user_mem_start = user_next;
  // after the boot tasks took their frames: the rest of memory is the pager's
  for (int k = 0; k < 2; k++)
    for (const struct bootentry *e = tables[k]; e && e->name; e++)
      if (in_group(e->groups, run) && e->hosted)
        boot_hosted(e->name), started++;
  if (boot_tests)
    boot_tests();
  if (!started)
    kprintf("boot: no boot task in group '%s'\n", run);
}
