// Transitional: servers/include/svc.h for the subsystem cores that are not yet split
// into a shared core and a kernel-idiom host (khost.h). Runs a core's handler inside
// its kernel-hosted subsystem (lock held); a request the core parks keeps its caller
// asleep here, the lock let go, until the core finishes it.
#include "kernel.h"
#include "khost.h"
#include "ksvc.h"

void ksvc_handle(struct kreq *k, svc_handler handle) {
  struct thread *cur = curthread();
  struct ksub *s = cur->ksub;
  struct svc_req r = {k->badge, k->label, {k->w[0], k->w[1], k->w[2], k->w[3]}, k->buflen, 0, {0}, (uint64)k, 0};
  handle(&r);
  if (r.parked) {
    cur->parked = k;
    while (!k->done)
      if (ksleep(s, k, 0) < 0) {
        k->rlabel = (uint64)E_INTR;    // the caller is being stopped: it gets no reply
        break;
      }
    cur->parked = 0;
    return;
  }
  k->rlabel = r.rlabel;
  for (int i = 0; i < 4; i++)
    k->rw[i] = r.rw[i];
}

// The thread that waits on a parked request, if any: the request lives on its stack.
static struct thread *waiter(struct kreq *k) {
  if (k->caller == curthread())
    return k->caller;
  for (int i = 0; i < NTHREAD; i++)
    if (threads[i].state != T_FREE && threads[i].parked == k)
      return &threads[i];
  return 0;
}

int64 svc_copy_from(struct svc_req *r, uint64 off, void *dst, uint64 len) {
  struct kreq *k = (struct kreq *)r->host;
  return waiter(k) ? kcopyin(k, off, dst, len) : E_NOREPLY;
}

int64 svc_copy_to(struct svc_req *r, uint64 off, const void *src, uint64 len) {
  struct kreq *k = (struct kreq *)r->host;
  return waiter(k) ? kcopyout(k, off, src, len) : E_NOREPLY;
}

int svc_sleep_ns(uint64 ns) { return ksleep(curthread()->ksub, 0, now_ns() + ns); }

void svc_park(struct svc_req *r) {
  r->parked = 1;
  curthread()->parked = (struct kreq *)r->host;   // from now on svc_finish can find it
}

int svc_finish(struct svc_req *r) {
  struct kreq *k = (struct kreq *)r->host;
  if (!waiter(k))
    return E_NOREPLY;
  k->rlabel = r->rlabel;
  for (int i = 0; i < 4; i++)
    k->rw[i] = r->rw[i];
  k->done = 1;
  wakeup(k);
  return 0;
}

// Another kernel-answered endpoint, with a kernel buffer (never a user-level server).
int64 svc_call(uint64 h, struct svc_msg *m, void *buf) {
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  if (!ep->ksub)
    return E_DEAD;          // the kernel never calls a user-level server
  struct ksub *s = ep->ksub;
  struct kreq k = {.caller = curthread(), .label = TAG_LABEL(m->tag), .w = {m->w[0], m->w[1], m->w[2], m->w[3]},
                   .buflen = buf ? TAG_LEN(m->tag) : 0, .kbuf = buf, .rights = TAG_RIGHTS(m->tag)};
  while (!s->ready)
    if (sleep_until(&s->ready, 0) < 0)
      return E_INTR;
  if (klock(s) < 0)
    return E_INTR;
  s->handle(&k);
  kunlock(s);
  m->tag = TAG(k.rlabel, 0, 0);
  for (int i = 0; i < 4; i++)
    m->w[i] = k.rw[i];
  return 0;
}

uint64 svc_now_ns(void) { return now_ns(); }

void svc_alarm(uint64 ep, uint64 ns) { alarm_arm(ep, SVC_TIMER, ns); }

void svc_notify(uint64 ep, uint64 bits) { knotify(ep, bits); }

void svc_log(const char *line) { kprintf("%s", line); }
