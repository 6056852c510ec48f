// The process server: the process core (proc.c, exec.c, progsrc.c) hosted in a
// task on EP_PROC, single-threaded (the core parks what must wait).
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "servers/proc/prochost.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define BOOTIMG_VA 0x50000000UL

void proc_handle(struct svc_req *r);
void proc_notify(uint64 bits);
void proc_init(void);

static struct bootinfo bi;

int64 proch_thread_start(uint64 task, uint64 pc, uint64 sp, uint64 arg) {
  return thread_start(task, pc, sp, arg, 4);
}

int proch_task_watch(uint64 task) { return task_watch(task, EP_PROC, 1); }

int proch_task_alive(uint64 task) { return task_alive(task); }

const unsigned char *proch_bootimg(uint64 *len, uint64 *pa) {
  *len = bi.bootimg_len;
  *pa = bi.bootimg_pa;
  return (const unsigned char *)BOOTIMG_VA;
}

int main(int argc, char *argv[]) {
  get_bootinfo(&bi);
  for (uint64 off = 0; off < bi.bootimg_len; off += 4096)
    if (page_map(0, BOOTIMG_VA + off, bi.bootimg_pa + off, MAP_R) < 0)
      printf("proc: cannot map the boot image\n");
  proc_init();
  svc_serve(EP_PROC, 1, proc_handle, proc_notify);
  return 0;
}
