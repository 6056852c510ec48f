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

// @lab 02 solution: the process server's host hooks and start
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
// @lab 02 stub
//: // TODO (lab 02): the host hooks prochost.h asks for, over the privileged system
//: // calls of user/lib/mv6.h, and main: map the boot image at BOOTIMG_VA (exec falls
//: // back to it), proc_init(), then serve EP_PROC with one worker (the core parks
//: // what must wait) and proc_notify for the death notices task_watch asks for.
//: int64 proch_thread_start(uint64 task, uint64 pc, uint64 sp, uint64 arg) {
//:   (void)task, (void)pc, (void)sp, (void)arg;
//:   return E_BADSYS;
//: }
//:
//: int proch_task_watch(uint64 task) {
//:   (void)task;
//:   return E_BADSYS;
//: }
//:
//: int proch_task_alive(uint64 task) {
//:   (void)task;
//:   return E_BADSYS;
//: }
//:
//: const unsigned char *proch_bootimg(uint64 *len, uint64 *pa) {
//:   *len = *pa = 0;
//:   return 0;
//: }
//:
//: int main(int argc, char *argv[]) {
//:   printf("proc: the process server is not written yet (lab 02)\n");
//:   return 1;
//: }
// @lab 02 end
