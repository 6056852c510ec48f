// The file core (servers/fs/) hosted in the kernel, at stages 1 and 2: EP_FS is
// answered on the caller's kernel stack, one request at a time (a lock held across
// disk waits, let go by parked requests); notifications (console lines) and the
// start (mount, log recovery) run on kernel threads.
#include "kernel.h"
#include "host.h"
#include "ksvc.h"

void fs_init(void);
void fs_handle(struct svc_req *r);
void fs_notify(uint64 bits);

static struct host_lock lock;
static int ready;

uint64 fsh_proc_badge(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_PROC, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

static void fs_in_kernel(struct kreq *k) {
  while (!ready)
    if (host_sleep(&ready) < 0) {
      k->rlabel = (uint64)E_INTR;
      return;
    }
  ksvc_run_locked(k, fs_handle, &lock);
}

static void notify_locked(uint64 bits) {
  if (host_lock(&lock) < 0)
    return;
  fs_notify(bits);
  host_unlock(&lock);
}

static void mount(uint64 arg) {
  host_lock(&lock);
  fs_init();
  host_unlock(&lock);
  ready = 1;
  host_wakeup(&ready);
  thread_exit();
}

void kfs_start(void) {
  host_serve(EP_FS, fs_in_kernel);
  host_serve_notify(EP_FS, notify_locked);
  host_kthread(mount, 0);
}
