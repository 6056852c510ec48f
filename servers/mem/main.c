// The memory server: the memory core (mem.c) hosted in a task on EP_MEM. It maps all
// of user memory into its own space first (PHYSMAP), so it never faults itself.
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "servers/mem/memhost.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define PHYSMAP 0x40000000UL

void mem_init(uint64 mem_start, uint64 mem_end);
void mem_handle(struct svc_req *r);

// @lab 04 solution: the pager's mechanism and start
static uint64 mem_start;

int64 memh_task_create(const char *name) { return task_create(name, EP_MEM); }
void memh_task_kill(uint64 task) { task_kill(task); }
int memh_map(uint64 task, uint64 va, uint64 pa, int perm) { return page_map(task, va, pa, perm); }
int memh_unmap(uint64 task, uint64 va) { return page_unmap(task, va); }
void *memh_frame(uint64 pa) { return (void *)(PHYSMAP + (pa - mem_start)); }
uint64 memh_proc_badge(void) { return ep_owner(EP_PROC); }

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  get_bootinfo(&bi);
  mem_start = bi.mem_start;
  if (bi.mem_end - bi.mem_start > 0x30000000UL)
    bi.mem_end = bi.mem_start + 0x30000000UL;     // what PHYSMAP has room for
  for (uint64 pa = bi.mem_start; pa < bi.mem_end; pa += 4096)
    if (page_map(0, PHYSMAP + (pa - mem_start), pa, MAP_R | MAP_W) < 0) {
      printf("mem: cannot map %p: %d frames usable\n", pa, (int)((pa - mem_start) / 4096));
      bi.mem_end = pa;
      break;
    }
  mem_init(bi.mem_start, bi.mem_end);
  svc_serve(EP_MEM, 1, mem_handle, 0);
  return 0;
}
// @lab 04 stub
//: // TODO (lab 04): the host hooks memhost.h asks for, over the privileged system calls
//: // (task_create with EP_MEM as the new task's fault endpoint: its page faults become
//: // messages to this server; page_map, page_unmap, task_kill), a window on physical
//: // memory (map every frame from bootinfo's mem_start to mem_end at PHYSMAP, so the
//: // core can fill frames without faulting), then mem_init() and serve EP_MEM.
//: int64 memh_task_create(const char *name) {
//:   (void)name;
//:   return E_BADSYS;
//: }
//: void memh_task_kill(uint64 task) { (void)task; }
//: int memh_map(uint64 task, uint64 va, uint64 pa, int perm) {
//:   (void)task, (void)va, (void)pa, (void)perm;
//:   return E_BADSYS;
//: }
//: int memh_unmap(uint64 task, uint64 va) {
//:   (void)task, (void)va;
//:   return E_BADSYS;
//: }
//: void *memh_frame(uint64 pa) {
//:   (void)pa;
//:   return 0;
//: }
//: uint64 memh_proc_badge(void) { return 0; }
//:
//: int main(int argc, char *argv[]) {
//:   printf("mem: the memory server is not written yet (lab 04)\n");
//:   return 1;
//: }
// @lab 04 end
