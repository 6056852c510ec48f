// The memory server (lab 04): every ordinary task's pager at stage 4, in server
// idiom, over the shared page accounting (pages.c). Its twin in kernel idiom is
// kernel/kmem.c (stages 1-3). This file: the mechanism pages.h asks of its host,
// through the kernel's privileged system calls, and the server's start. The pager
// must never fault (nobody pages for it), so before anything else it maps every
// frame it will manage into its own address space, at PHYSMAP: that window is where
// the page accounting reads and writes frames. pager.c answers the requests.
#include "servers/lib/server.h"
#include "servers/mem/pages.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define PHYSMAP     0x40000000UL  // frame pa is at PHYSMAP + (pa - mem_start) here
#define PHYSMAP_MAX 0x30000000UL  // room for that much, below the stack

void pager_request(struct req *r);
void pager_notify(uint64 bits);

int pages_alive(uint64 task) { return task_alive(task) == 0; }

// @lab 04 solution: the pager's mechanism, its window on physical memory, its start
static uint64 mem_start;

// The fault being answered (pager.c), if any: the mapping of its own page goes in
// the reply (FAULT_MAP, kernel/abi.h), which the kernel carries out as it resumes the
// thread, rather than through page_map: a system call fewer per fault.
struct req *answering;

int pages_map(uint64 task, uint64 va, uint64 pa, int perm) {
  struct req *r = answering;
  if (r && va == (r->w[0] & ~4095UL) && task == r->badge) {
    r->rlabel = FAULT_MAP, r->rw[0] = va, r->rw[1] = pa, r->rw[2] = perm;
    return 0;
  }
  return page_map(task, va, pa, perm);
}

void pages_unmap(uint64 task, uint64 va) { page_unmap(task, va); }

void *pages_frame(uint64 pa) { return (void *)(PHYSMAP + (pa - mem_start)); }

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  get_bootinfo(&bi);
  mem_start = bi.mem_start;
  if (bi.mem_end - bi.mem_start > PHYSMAP_MAX)
    bi.mem_end = bi.mem_start + PHYSMAP_MAX;
  // The kernel takes page-table pages for the window from its own pool: if that runs
  // out, manage only the frames mapped so far.
  for (uint64 pa = bi.mem_start; pa < bi.mem_end; pa += 4096)
    if (page_map(0, PHYSMAP + (pa - mem_start), pa, MAP_R | MAP_W) < 0) {
      printf("mem: cannot map %p: %d frames usable\n", pa, (int)((pa - mem_start) / 4096));
      bi.mem_end = pa;
      break;
    }
  pages_init(bi.mem_start, bi.mem_end);
  serve(EP_MEM, 1, pager_request, pager_notify);   // one worker: the pager never blocks
  return 0;
}
// @lab 04 stub
//: // TODO (lab 04): the mechanism pages.h asks of its host (page_map, page_unmap;
//: // pages_frame: where this server reaches frame pa, in its window at PHYSMAP), then
//: // main: map every frame from bootinfo's mem_start to mem_end into the window
//: // (read-write, in this task: task 0), pages_init, and serve EP_MEM with
//: // pager_request and pager_notify (pager.c).
//: int pages_map(uint64 task, uint64 va, uint64 pa, int perm) {
//:   (void)task, (void)va, (void)pa, (void)perm;
//:   return E_BADSYS;
//: }
//:
//: void pages_unmap(uint64 task, uint64 va) { (void)task, (void)va; }
//:
//: void *pages_frame(uint64 pa) {
//:   (void)pa;
//:   return 0;
//: }
//:
//: int main(int argc, char *argv[]) {
//:   printf("mem: the memory server is not written yet (lab 04)\n");
//:   return 1;
//: }
// @lab 04 end
