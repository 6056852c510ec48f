// The IPC fast path: call and reply_recv when the partner already waits. The message
// moves register to register and the hart switches straight to the partner's
// thread, with no run queue and no scheduler. Anything unusual returns FAST_MISS
// and the general path in ipc.c runs instead.
#include "kernel.h"

#define FAST_MISS 1   // not an error code: errors are negative, results 0 or tokens

uint64 ep_handle(struct endpoint *ep);

static inline void move_msg(struct trapframe *from, struct trapframe *to) {
  to->a1 = from->a1;
  to->a2 = from->a2;
  to->a3 = from->a3;
  to->a4 = from->a4;
  to->a5 = from->a5;
}

// call: a0 = endpoint, a1 = tag, a2..a5 = words, a6 = buffer.
int64 fastpath_call(struct thread *cur) {
  struct trapframe *tf = cur->tf;
  uint64 slot = tf->a0 & 0xffff;
  if (slot == 0 || slot >= NEP)
    return FAST_MISS;
  struct endpoint *ep = &endpoints[slot];
  struct thread *r = ep->recvq;
  uint64 len = TAG_LEN(tf->a1);
  if (!r || ep->gen != (tf->a0 >> 16) || !ep->live || r->prio < runq_top_prio() ||
      (len && !user_range(tf->a6, len)) || ipc_trace)
    return FAST_MISS;
  ep->recvq = r->next;
  move_msg(tf, r->tf);
  r->tf->a6 = TASK_BADGE(cur->task);
  r->ipc_ret = THREAD_TOKEN(cur);
  cur->is_call = 1;
  cur->fault_call = 0;
  cur->buf = tf->a6;
  cur->buflen = len;
  cur->bufrights = TAG_RIGHTS(tf->a1);
  cur->reply_from = ep->owner;
  cur->state = T_REPLY;
  stat_fast++;
  switch_to(r);
  return cur->ipc_ret;
}

// reply_recv: a0 = endpoint, a1..a5 = reply, a6 = token of the caller to answer.
int64 fastpath_reply_recv(struct thread *cur) {
  struct trapframe *tf = cur->tf;
  uint64 slot = tf->a0 & 0xffff;
  struct thread *c = token_thread(tf->a6);
  if (!c || c->state != T_REPLY || c->reply_from != cur->task || c->fault_call ||
      c->prio < runq_top_prio() || slot == 0 || slot >= NEP || ipc_trace)
    return FAST_MISS;
  struct endpoint *ep = &endpoints[slot];
  if (ep->gen != (tf->a0 >> 16) || !ep->live || ep->owner != cur->task || ep->bits || ep->sendq)
    return FAST_MISS;
  move_msg(tf, c->tf);
  c->ipc_ret = 0;
  cur->state = T_RECV;
  cur->ep = ep;
  cur->next = ep->recvq;
  ep->recvq = cur;
  stat_fast++;
  switch_to(c);
  return cur->ipc_ret;
}
