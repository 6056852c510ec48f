// Synchronous IPC between threads: send, recv, call, reply, reply_recv and
// notifications on endpoints. This is the general path; fastpath.c handles the
// common call / reply_recv hand-off. The message of a blocked sender waits in its
// thread (msg_tag, msg_w), so the kernel can also send on a thread's behalf (faults).
#include "kernel.h"

struct endpoint endpoints[NEP];
int ipc_trace;
uint64 stat_slow;

uint64 stat_fastpath(void) {
  uint64 n = 0;
  for (int i = 0; i < NCPU; i++)
    n += cpus[i].nfast;
  return n;
}

// Resolves a handle: E_BADHANDLE if never issued, E_DEAD if its endpoint is gone.
struct endpoint *ep_lookup(uint64 h, int *err) {
  uint64 slot = h & 0xffff, gen = h >> 16;
  if (slot == 0 || slot >= NEP || gen == 0 || gen > endpoints[slot].gen) {
    *err = E_BADHANDLE;
    return 0;
  }
  struct endpoint *ep = &endpoints[slot];
  if (gen < ep->gen || !ep->live) {
    *err = E_DEAD;
    return 0;
  }
  return ep;
}

static int ep_owned(struct task *owner) {
  int n = 0;
  for (int i = 1; i < NEP; i++)
    n += endpoints[i].live && endpoints[i].owner == owner;
  return n;
}

// A new endpoint owned by owner, in a given well-known slot or in any free one (not
// if owner has TASK_NEP already). A well-known slot keeps generation 1 (WK(n)): its
// handle names the service, so a server restarted into it (SYS_respawn) is reached by
// the handle its clients hold.
struct endpoint *ep_alloc(struct task *owner, int slot) {
  if (!slot && owner && ep_owned(owner) >= TASK_NEP)
    return 0;
  int lo = slot ? slot : NWK, hi = slot ? slot + 1 : NEP;
  for (int i = lo; i < hi; i++) {
    struct endpoint *ep = &endpoints[i];
    if (ep->live)
      continue;
    uint32 gen = slot ? 1 : ep->gen + 1;
    memset(ep, 0, sizeof *ep);
    ep->gen = gen;
    ep->handle = HANDLE(i, gen);
    ep->live = 1;
    ep->owner = owner;
    return ep;
  }
  return 0;
}

uint64 ep_handle(struct endpoint *ep) { return HANDLE(ep - endpoints, ep->gen); }

// The endpoint dies: its generation moves on, so every handle to it is now stale
// (a well-known one is dead until a new owner takes the slot), and every thread
// queued on it gets E_DEAD at once.
void ep_kill(struct endpoint *ep) {
  ep->live = 0;
  ep->handle = 0;
  if (ep - endpoints >= NWK)
    ep->gen++;
  struct thread *lists[2] = {ep->sendq, ep->recvq};
  ep->sendq = ep->sendq_tail = ep->recvq = 0;
  for (int l = 0; l < 2; l++) {
    for (struct thread *t = lists[l], *next; t; t = next) {
      next = t->next;
      t->ipc_ret = E_DEAD;
      make_runnable(t);
    }
  }
}

static void trace(const char *what, struct thread *from, struct endpoint *ep, uint64 tag) {
  if (ipc_trace)
    kprintf("ipc: %s %s -> ep %d label %d len %d\n", what, from->task->name, (int)(ep - endpoints),
            (int)TAG_LABEL(tag), (int)TAG_LEN(tag));
}

// @lab 01 solution: moving a message between two waiting threads
// Copy the message of `from` into the registers of `to`, which waits in recv.
void ipc_deliver(struct thread *from, struct thread *to) {
  struct trapframe *tf = to->tf;
  tf->a1 = from->msg_tag;
  tf->a2 = from->msg_w[0];
  tf->a3 = from->msg_w[1];
  tf->a4 = from->msg_w[2];
  tf->a5 = from->msg_w[3];
  tf->a6 = TASK_BADGE(from->task);
  to->ipc_ret = from->is_call ? call_token(from) : 0;
}

static void deliver_bits(struct endpoint *ep, struct thread *to) {
  struct trapframe *tf = to->tf;
  tf->a1 = L_NOTIFY;
  tf->a2 = ep->bits;
  tf->a3 = tf->a4 = tf->a5 = tf->a6 = 0;
  ep->bits = 0;
  to->ipc_ret = 0;
}

// A delivered call waits for its reply; a delivered send is done.
static void sender_delivered(struct thread *s, struct task *receiver) {
  if (s->is_call) {
    s->state = T_REPLY;
    s->reply_from = receiver;
  } else {
    s->ipc_ret = 0;
    make_runnable(s);
  }
}
// @lab 01 stub
// @lab 01 end

// Send cur's prepared message (msg_tag, msg_w, is_call) to ep and wait as needed.
// Returns what the IPC returns: 0 or a reply status, or an error.
int64 ipc_send_msg(struct thread *cur, struct endpoint *ep) {
  trace(cur->is_call ? "call" : "send", cur, ep, cur->msg_tag);
  if (ep->ksub)
    return kep_call(ep, cur);
  // @lab 01 solution: the rendezvous with a user-level receiver
  struct thread *r = ep->recvq;
  if (r) {
    ep->recvq = r->next;
    ipc_deliver(cur, r);
    if (!cur->is_call) {
      make_runnable(r);
      return 0;
    }
    cur->state = T_REPLY;
    cur->reply_from = ep->owner;
    if (r->prio >= runq_top_prio()) {   // we wait anyway: hand the hart to the receiver
      switch_to(r);
      return cur->ipc_ret;
    }
    make_runnable(r);
  } else {
    cur->state = T_SEND;
    cur->ep = ep;
    cur->next = 0;
    if (ep->sendq_tail)
      ep->sendq_tail->next = cur;
    else
      ep->sendq = cur;
    ep->sendq_tail = cur;
  }
  sched_block();
  return cur->ipc_ret;
  // @lab 01 stub
  //: // TODO (lab 01): hand cur's message (msg_tag, msg_w, is_call) to a thread of the
  //: // endpoint's owner waiting in recv, or queue cur on the endpoint until one comes.
  //: // A call then waits for its reply (T_REPLY, reply_from), a send is done once
  //: // delivered. Block with sched_block(); return cur->ipc_ret.
  //: return E_BADSYS;
  // @lab 01 end
}

// send / call from user registers: a0 = handle, a1 = tag, a2..a5 words, a6 = buffer.
int64 ipc_send(uint64 h, int is_call) {
  struct thread *cur = curthread();
  struct trapframe *tf = cur->tf;
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  cur->is_call = is_call;
  cur->fault_call = 0;
  cur->buftag = 0;
  if (is_call && TAG_LEN(tf->a1)) {
    if (!user_range(tf->a6, TAG_LEN(tf->a1)))
      return E_BADADDR;
    cur->buf = tf->a6;
    cur->buftag = tf->a1;
  }
  cur->msg_tag = tf->a1;
  cur->msg_w[0] = tf->a2;
  cur->msg_w[1] = tf->a3;
  cur->msg_w[2] = tf->a4;
  cur->msg_w[3] = tf->a5;
  if (is_call)
    stat_slow++;
  return ipc_send_msg(cur, ep);
}

// @lab 01 solution: receive
int64 ipc_recv(uint64 h) {
  struct thread *cur = curthread();
  int err;
  struct endpoint *ep = ep_lookup(h, &err);
  if (!ep)
    return err;
  if (ep->owner != cur->task)
    return E_PERM;
  if (ep->bits) {
    deliver_bits(ep, cur);
    return 0;
  }
  struct thread *s = ep->sendq;
  if (s) {
    ep->sendq = s->next;
    if (!ep->sendq)
      ep->sendq_tail = 0;
    ipc_deliver(s, cur);
    sender_delivered(s, cur->task);
    return cur->ipc_ret;
  }
  cur->state = T_RECV;
  cur->ep = ep;
  cur->next = ep->recvq;
  ep->recvq = cur;
  sched_block();
  return cur->ipc_ret;
}
// @lab 01 stub
//: int64 ipc_recv(uint64 h) {
//:   // TODO (lab 01): only the endpoint's owner may receive. Pending notification bits
//:   // come first (label L_NOTIFY, w0 = the bits); else take the first queued sender;
//:   // else wait in the endpoint's receive queue. a0 returns the reply token of a call
//:   // (call_token(caller): a fresh one for each call), 0 for a send or notification.
//:   (void)h;
//:   return E_BADSYS;
//: }
// @lab 01 end

// @lab 01 solution: reply rights
// Answer a caller waiting for this task's reply; never blocks. src holds the reply
// registers (a1 = tag, a2..a5 words). A fault call's reply resumes (label 0) or kills.
int64 ipc_reply(uint64 token, struct trapframe *src) {
  struct thread *cur = curthread();
  struct thread *t = token_thread(token);
  if (!t || t->state != T_REPLY || t->reply_from != cur->task)
    return E_NOREPLY;
  if (ipc_trace)
    kprintf("ipc: reply %s -> %s label %d\n", cur->task->name, t->task->name, (int)TAG_LABEL(src->a1));
  if (t->fault_call) {
    t->ipc_ret = TAG_LABEL(src->a1) == 0 ? 0 : E_INVAL;
  } else {
    t->tf->a1 = src->a1;
    t->tf->a2 = src->a2;
    t->tf->a3 = src->a3;
    t->tf->a4 = src->a4;
    t->tf->a5 = src->a5;
    t->ipc_ret = 0;
  }
  make_runnable(t);
  return 0;
}

// reply_recv: a0 = endpoint, a1..a5 = reply, a6 = token (0: nothing to answer).
int64 ipc_reply_recv(void) {
  struct thread *cur = curthread();
  struct trapframe *tf = cur->tf;
  stat_slow++;
  if (tf->a6)
    ipc_reply(tf->a6, tf);   // a failed reply (caller gone) must not stop the server
  return ipc_recv(tf->a0);
}
// @lab 01 stub
//: // Answer a caller waiting for this task's reply; never blocks. src holds the reply
//: // registers (a1 = tag, a2..a5 words).
//: int64 ipc_reply(uint64 token, struct trapframe *src) {
//:   // TODO (lab 01): the token names the caller's call (token_thread). Only the task
//:   // the call was delivered to may reply, once. With ipc_trace on, log each reply:
//:   // kprintf("ipc: reply %s -> %s label %d\n", server's task name, caller's, label).
//:   // A fault call's reply resumes the thread (label 0) or fails it (E_INVAL); any
//:   // other gets the reply registers.
//:   (void)token, (void)src;
//:   return E_NOREPLY;
//: }
//:
//: // reply_recv: a0 = endpoint, a1..a5 = reply, a6 = token (0: nothing to answer).
//: int64 ipc_reply_recv(void) {
//:   // TODO (lab 01): reply (if a6 is a token), then receive on a0. A reply that fails
//:   // because the caller is gone must not stop the server from receiving.
//:   stat_slow++;
//:   return E_BADSYS;
//: }
// @lab 01 end

// Set notification bits without blocking; a waiting receiver gets them now.
void ep_notify(struct endpoint *ep, uint64 bits) {
  ep->bits |= bits;
  if (ep->ksub)
    kep_notify(ep);          // the subsystem's kernel thread takes them (khost.c)
  // @lab 01 solution: a notification wakes a waiting receiver
  struct thread *r = ep->recvq;
  if (r && ep->bits) {
    ep->recvq = r->next;
    deliver_bits(ep, r);
    make_runnable(r);
  }
  // @lab 01 stub
  //: // TODO (lab 01): a thread waiting in recv on ep gets the bits now (and they clear).
  // @lab 01 end
}

// Remove t from the endpoint queue it waits in (it is being stopped).
void ipc_abort_thread(struct thread *t) {
  struct endpoint *ep = t->ep;
  struct thread **pp = t->state == T_SEND ? &ep->sendq : &ep->recvq, *prev = 0;
  for (; *pp; prev = *pp, pp = &(*pp)->next) {
    if (*pp == t) {
      *pp = t->next;
      if (t->state == T_SEND && ep->sendq_tail == t)
        ep->sendq_tail = prev;
      return;
    }
  }
}

// Bulk copy between the caller of a pending call and the current thread's space
// (pt = 0: a kernel buffer). Only within the buffer that call offered, only in the
// direction it allowed, only while the call waits.
int64 buf_copy(struct thread *caller, uint64 off, pagetable_t pt, uint64 va, uint64 len, int to_caller) {
  uint64 buflen = TAG_LEN(caller->buftag);
  if (!(TAG_RIGHTS(caller->buftag) & (to_caller ? BUF_W : BUF_R)))
    return E_PERM;
  if (off > buflen || len > buflen - off)
    return E_RANGE;
  if (pt && !user_range(va, len))
    return E_BADADDR;
  int r = to_caller ? copy_between(caller->task->pt, caller->buf + off, pt, va, len)
                    : copy_between(pt, va, caller->task->pt, caller->buf + off, len);
  return r < 0 ? r : (int64)len;
}

// @lab 01 solution: the server side of bulk copy
int64 bulk_copy(uint64 token, uint64 off, uint64 va, uint64 len, int to_caller) {
  struct thread *cur = curthread();
  struct thread *t = token_thread(token);
  if (!t || t->state != T_REPLY || t->reply_from != cur->task || t->fault_call)
    return E_NOREPLY;
  return buf_copy(t, off, cur->task->pt, va, len, to_caller);
}
// @lab 01 stub
//: // copy_from / copy_to: a server copies within the buffer of a call it holds.
//: int64 bulk_copy(uint64 token, uint64 off, uint64 va, uint64 len, int to_caller) {
//:   // TODO (lab 01): only the server the call waits on may copy, only while it waits
//:   // for the reply, never for a fault call; buf_copy() does the checked copy.
//:   (void)token, (void)off, (void)va, (void)len, (void)to_caller;
//:   return E_BADSYS;
//: }
// @lab 01 end
