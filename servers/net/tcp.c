// TCP: connections with connect, listen and accept, in-order delivery, a receive
// window (the free room of RBUF) and flow control (we never send past the peer's
// window), retransmission go-back-N from the first unacknowledged byte when the
// timer runs out (RTO doubling from RTO_NS, TCP_TRIES times, then the connection is
// reset), orderly close (FIN both ways) and reset. Segments that arrive out of order
// are dropped and acknowledged (the peer sends again); no options but MSS are sent
// and none is read. Sockets TCP_BASE.. are these; a socket closed by its owner
// finishes its close alone (an orphan) and its slot is freed afterwards.
#include "servers/net/netcore.h"
#include "servers/net/net.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define NTCP 16
#define SBUF 8192
#define RBUF 8192
#define MSS 1460
#define RTO_NS (300 * 1000000ULL)
#define RTO_MAX_NS (4 * 1000000000ULL)
#define TCP_TRIES 8
#define WAIT_NS (1000000000ULL)    // TIME_WAIT, and an orphan's FIN_WAIT_2 at most (10 x)
#define BACKLOG 8

enum { CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTAB, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
       TIME_WAIT };
#define F_FIN 1
#define F_SYN 2
#define F_RST 4
#define F_PSH 8
#define F_ACK 16

static struct tcb {
  int used, state, orphan;     // orphan: closed by its owner, finishing alone
  uint64 owner, key;           // the task that made it (or the file server); its key
  struct tcb *listener;        // a connection not accepted yet: its listener
  uint16 lport, rport;
  uint32 rip;
  uint32 iss, snd_una, snd_nxt, snd_wnd, rcv_nxt;
  int shead, slen;             // sbuf: slen bytes from snd_una's on (sent or not)
  int rhead, rlen;
  int fin_want, fin_sent, fin_rcvd, err;
  uint64 rto, rto_at, wait_at;
  int tries;
  struct req rreq, sreq, creq; // waiting: receive, send (no room), connect or accept
  int rwait, swait, cwait;
  uint64 rdeadline;
  uint8 sbuf[SBUF], rbuf[RBUF];
} tcbs[NTCP];

static uint32 seed = 0x6d763600;

static int lt(uint32 a, uint32 b) { return (int)(a - b) < 0; }
static int le(uint32 a, uint32 b) { return (int)(a - b) <= 0; }

static void reply(struct req *r, int *waiting, int64 e) {
  if (!*waiting)
    return;
  *waiting = 0;
  r->rlabel = e < 0 ? (uint64)e : 0;
  answer(r);
}

static void tcb_free(struct tcb *t) {
  int64 e = t->err ? t->err : E_INVAL;
  reply(&t->rreq, &t->rwait, e);
  reply(&t->sreq, &t->swait, e);
  reply(&t->creq, &t->cwait, e);
  t->used = 0;
}

// A segment: flags, seq, and n bytes of the send buffer from offset off (of snd_una's).
static void output(struct tcb *t, int flags, uint32 seq, int off, int n) {
  static uint8 f[NETDRV_FRAME];
  uint8 *h = f + IP_DATA;
  int hl = flags & F_SYN ? 24 : 20;
  put16(h, t->lport), put16(h + 2, t->rport), put32(h + 4, seq), put32(h + 8, t->rcv_nxt);
  h[12] = hl / 4 << 4, h[13] = flags;
  put16(h + 14, RBUF - t->rlen), put16(h + 16, 0), put16(h + 18, 0);
  if (flags & F_SYN)
    h[20] = 2, h[21] = 4, put16(h + 22, MSS);
  for (int i = 0; i < n; i++)
    h[hl + i] = t->sbuf[(t->shead + off + i) % SBUF];
  put16(h + 16, csum_fold(csum_add(pseudo_sum(cfg.ip, t->rip, 6, hl + n), h, hl + n)));
  ip_output(f, t->rip, 6, hl + n);
}

// A reset answering a segment no connection takes (h: its TCP header, n: its length).
static void reset(uint32 src, uint8 *h, int n, int seglen) {
  static struct tcb t;         // (static: a tcb is too large for a worker's stack)
  t.lport = get16(h + 2), t.rport = get16(h), t.rip = src, t.rlen = 0;
  if (h[13] & F_ACK) {
    t.rcv_nxt = 0;
    output(&t, F_RST, get32(h + 8), 0, 0);
  } else {
    t.rcv_nxt = get32(h + 4) + seglen;
    output(&t, F_RST | F_ACK, 0, 0, 0);
  }
}

static void arm(struct tcb *t, uint64 now) {
  if (t->snd_una != t->snd_nxt && !t->rto_at) {
    t->rto_at = now + t->rto;
    nh_timer();
  }
  if (t->snd_una == t->snd_nxt)
    t->rto_at = 0, t->tries = 0;
}

// Send what the window allows: data from snd_nxt on, then our FIN when it is wanted.
static void push(struct tcb *t, uint64 now) {
  if (t->state != ESTAB && t->state != CLOSE_WAIT && t->state != FIN_WAIT_1 && t->state != LAST_ACK &&
      t->state != CLOSING)
    return;
  uint32 wnd = t->snd_wnd ? t->snd_wnd : (t->snd_una == t->snd_nxt ? 1 : 0);   // probe a closed window
  for (;;) {
    int sent = t->snd_nxt - t->snd_una - t->fin_sent, unsent = t->slen - sent;
    int room = (int)(t->snd_una + wnd - t->snd_nxt);
    int n = unsent < MSS ? unsent : MSS;
    if (n > room)
      n = room;
    if (n <= 0)
      break;
    output(t, F_ACK | F_PSH, t->snd_nxt, sent, n);
    t->snd_nxt += n;
  }
  if (t->fin_want && !t->fin_sent && t->snd_nxt == t->snd_una + t->slen) {
    output(t, F_FIN | F_ACK, t->snd_nxt, 0, 0);
    t->snd_nxt++, t->fin_sent = 1;
    if (t->state == ESTAB)
      t->state = FIN_WAIT_1;
    else if (t->state == CLOSE_WAIT)
      t->state = LAST_ACK;
  }
  arm(t, now);
}

// Copy up to n received bytes to the caller of r (at most one wrap: two copies).
static int64 take(struct tcb *t, struct req *r) {
  int n = t->rlen < (int)r->buflen ? t->rlen : (int)r->buflen;
  int first = n < RBUF - t->rhead ? n : RBUF - t->rhead;
  int64 e = ipc_copy_to(r->token, 0, t->rbuf + t->rhead, first);
  if (e >= 0 && n > first)
    e = ipc_copy_to(r->token, first, t->rbuf, n - first);
  if (e < 0)
    return e;
  int was_full = RBUF - t->rlen < MSS;
  t->rhead = (t->rhead + n) % RBUF, t->rlen -= n;
  if (was_full && t->state != CLOSED)
    output(t, F_ACK, t->snd_nxt, 0, 0);         // the window opened: say so
  r->rw[0] = n;
  return 0;
}

// Copy the caller's bytes into the send buffer (as many as there is room for).
static int64 give(struct tcb *t, struct req *r) {
  int n = SBUF - t->slen < (int)r->buflen ? SBUF - t->slen : (int)r->buflen;
  int at = (t->shead + t->slen) % SBUF, first = n < SBUF - at ? n : SBUF - at;
  int64 e = ipc_copy_from(r->token, 0, t->sbuf + at, first);
  if (e >= 0 && n > first)
    e = ipc_copy_from(r->token, first, t->sbuf, n - first);
  if (e < 0)
    return e;
  t->slen += n;
  r->rw[0] = n;
  push(t, time_ns());
  return 0;
}

// The waiting receive and send of t, when they can go on.
static void wake(struct tcb *t) {
  if (t->rwait && (t->rlen || t->fin_rcvd || t->err)) {
    int64 e = t->err;
    if (t->rlen)
      e = take(t, &t->rreq);
    else
      t->rreq.rw[0] = 0;       // the peer's FIN (or an error): nothing more
    reply(&t->rreq, &t->rwait, e);
  }
  if (t->swait && (t->slen < SBUF || t->err))
    reply(&t->sreq, &t->swait, t->err ? t->err : give(t, &t->sreq));
}

static void fail(struct tcb *t, int err) {
  t->err = err, t->state = CLOSED, t->rto_at = 0;
  wake(t);
  reply(&t->creq, &t->cwait, err);
  if (t->orphan || t->listener)
    tcb_free(t);
}

// A free slot; when there is none, the closed connection that has waited longest in
// TIME_WAIT gives its slot up early. TIME_WAIT only guards against a late duplicate of
// an old segment; without this a server that closes first (httpd) would turn every new
// connection away for WAIT_NS once NTCP of them had closed in a row.
static struct tcb *tcb_new(void) {
  struct tcb *t = 0, *old = 0;
  for (int i = 0; i < NTCP && !t; i++) {
    struct tcb *c = &tcbs[i];
    if (!c->used)
      t = c;
    else if (c->state == TIME_WAIT && c->orphan && (!old || c->wait_at < old->wait_at))
      old = c;
  }
  if (!(t = t ? t : old))
    return 0;
  memset(t, 0, sizeof *t - sizeof t->sbuf - sizeof t->rbuf);
  t->used = 1, t->rto = RTO_NS, t->snd_wnd = MSS;
  seed = seed * 1103515245 + time_ns();
  t->iss = seed;
  return t;
}

// An accepted connection waiting on listener l, handed to its accept.
static void offer(struct tcb *l) {
  for (int i = 0; l->cwait && i < NTCP; i++) {
    struct tcb *c = &tcbs[i];
    if (c->used && c->listener == l && c->state != SYN_RCVD) {
      c->listener = 0, c->owner = l->creq.badge, c->key = nh_key();
      l->creq.rw[0] = TCP_BASE + i, l->creq.rw[1] = c->rip, l->creq.rw[2] = c->rport, l->creq.rw[3] = c->key;
      reply(&l->creq, &l->cwait, 0);
    }
  }
}

static void listen_input(struct tcb *l, uint32 src, uint8 *h, int n, int seglen) {
  int flags = h[13], pending = 0;
  if (flags & F_RST)
    return;
  if ((flags & F_ACK) || !(flags & F_SYN)) {
    reset(src, h, n, seglen);
    return;
  }
  struct tcb *half = 0;        // a half-open connection of l
  for (int i = 0; i < NTCP; i++) {
    struct tcb *c = &tcbs[i];
    if (c->used && c->listener == l && (pending++, c->state == SYN_RCVD))
      half = c;
  }
  if (pending >= BACKLOG && half)
    tcb_free(half);            // a flood of SYNs pushes out half-open ones, never the established
  struct tcb *t = pending < BACKLOG || half ? tcb_new() : 0;
  if (!t)
    return;                    // full: the peer will try again
  t->state = SYN_RCVD, t->listener = l, t->owner = l->owner;
  t->lport = l->lport, t->rport = get16(h), t->rip = src;
  t->rcv_nxt = get32(h + 4) + 1, t->snd_wnd = get16(h + 14);
  t->snd_una = t->iss, t->snd_nxt = t->iss + 1;
  output(t, F_SYN | F_ACK, t->iss, 0, 0);
  arm(t, time_ns());
}

void tcp_input(uint32 src, uint32 dst, uint8 *h, int n) {
  if (n < 20 || (h[12] >> 4) * 4 < 20 || (h[12] >> 4) * 4 > n ||
      csum_fold(csum_add(pseudo_sum(src, dst, 6, n), h, n)) != 0) {
    nbad++;
    return;
  }
  if (dst != cfg.ip)
    return;
  int flags = h[13], hl = (h[12] >> 4) * 4, len = n - hl;
  int seglen = len + !!(flags & F_SYN) + !!(flags & F_FIN);
  uint32 seq = get32(h + 4), ack = get32(h + 8);
  uint64 now = time_ns();
  struct tcb *t = 0, *l = 0;
  for (int i = 0; i < NTCP; i++) {
    struct tcb *c = &tcbs[i];
    if (!c->used || c->lport != get16(h + 2))
      continue;
    if (c->state == LISTEN)
      l = c;
    else if (c->state != CLOSED && c->rip == src && c->rport == get16(h))
      t = c;
  }
  // A SYN for a closed connection of ours in TIME_WAIT: the peer reuses its port at
  // once, as a client may when we closed first (httpd). As RFC 1122 4.2.2.13 allows,
  // it opens a new connection if it starts beyond the old one's sequence numbers;
  // otherwise it would wait out our TIME_WAIT and the peer's SYN retries (seen: a
  // 6 s GET under QEMU 10).
  if (t && t->state == TIME_WAIT && t->orphan && l && (flags & (F_SYN | F_ACK | F_RST)) == F_SYN &&
      (int)(seq - t->rcv_nxt) > 0) {
    tcb_free(t);
    t = 0;
  }
  if (!t) {
    if (l)
      listen_input(l, src, h, n, seglen);
    else if (!(flags & F_RST))
      reset(src, h, n, seglen);
    return;
  }
  if (t->state == SYN_SENT) {
    if ((flags & F_ACK) && ack != t->iss + 1) {
      if (!(flags & F_RST))
        reset(src, h, n, seglen);
      return;
    }
    if (flags & F_RST) {
      if (flags & F_ACK)
        fail(t, NET_REFUSED);
      return;
    }
    if (!(flags & F_SYN) || !(flags & F_ACK))
      return;                  // a simultaneous open: not handled
    t->rcv_nxt = seq + 1, t->snd_una = ack, t->snd_wnd = get16(h + 14), t->state = ESTAB;
    t->rto_at = 0, t->tries = 0, t->rto = RTO_NS;
    output(t, F_ACK, t->snd_nxt, 0, 0);
    reply(&t->creq, &t->cwait, 0);
    return;
  }
  // synchronized states: only the segment that starts at rcv_nxt is taken
  if (seq != t->rcv_nxt && !(len == 0 && !(flags & (F_SYN | F_FIN)) && (flags & F_ACK) && !(flags & F_RST))) {
    if (!(flags & F_RST))
      output(t, F_ACK, t->snd_nxt, 0, 0);      // out of order or old: say where we are
    return;
  }
  if (flags & F_RST) {
    fail(t, NET_RESET);
    return;
  }
  if ((flags & F_SYN) || !(flags & F_ACK)) {
    if (flags & F_SYN)
      output(t, F_ACK, t->snd_nxt, 0, 0);
    return;
  }
  if (t->state == SYN_RCVD) {
    if (ack != t->snd_nxt) {
      reset(src, h, n, seglen);
      return;
    }
    t->state = ESTAB, t->snd_una = ack;
    t->rto_at = 0, t->tries = 0, t->rto = RTO_NS;
    if (t->listener)
      offer(t->listener);
  }
  if (lt(t->snd_una, ack) && le(ack, t->snd_nxt)) {
    int acked = ack - t->snd_una, data = acked < t->slen ? acked : t->slen;
    t->shead = (t->shead + data) % SBUF, t->slen -= data, t->snd_una = ack;
    t->rto_at = 0, t->tries = 0, t->rto = RTO_NS;
    if (t->fin_sent && ack == t->snd_nxt) {           // our FIN is acknowledged
      if (t->state == FIN_WAIT_1)
        t->state = FIN_WAIT_2, t->wait_at = now + 10 * WAIT_NS;
      else if (t->state == CLOSING)
        t->state = TIME_WAIT, t->wait_at = now + WAIT_NS;
      else if (t->state == LAST_ACK) {
        t->state = CLOSED;
        if (t->orphan)
          tcb_free(t);
        return;
      }
    }
  }
  if (le(t->snd_una, ack))
    t->snd_wnd = get16(h + 14);
  if (len > 0 && t->state <= FIN_WAIT_2 && !t->fin_rcvd) {
    int room = RBUF - t->rlen, k = len < room ? len : room;
    for (int i = 0; i < k; i++)
      t->rbuf[(t->rhead + t->rlen + i) % RBUF] = h[hl + i];
    t->rlen += k, t->rcv_nxt += k;
    if (k < len)
      flags &= ~F_FIN;         // the FIN comes after bytes we could not take
  }
  if ((flags & F_FIN) && !t->fin_rcvd) {
    t->rcv_nxt++, t->fin_rcvd = 1;
    if (t->state == ESTAB)
      t->state = CLOSE_WAIT;
    else if (t->state == FIN_WAIT_1)
      t->state = CLOSING;
    else if (t->state == FIN_WAIT_2)
      t->state = TIME_WAIT, t->wait_at = now + WAIT_NS;
  }
  if (len > 0 || (flags & F_FIN))
    output(t, F_ACK, t->snd_nxt, 0, 0);
  wake(t);
  push(t, now);
  nh_timer();
}

int tcp_tick(uint64 now) {
  int busy = 0;
  for (int i = 0; i < NTCP; i++) {
    struct tcb *t = &tcbs[i];
    if (!t->used)
      continue;
    if ((t->state == TIME_WAIT || (t->state == FIN_WAIT_2 && t->orphan)) && now >= t->wait_at) {
      t->state = CLOSED;
      if (t->orphan)
        tcb_free(t);
      continue;
    }
    if (t->rwait && t->rdeadline && now >= t->rdeadline)
      reply(&t->rreq, &t->rwait, NET_TIMEOUT);
    if (t->rto_at && now >= t->rto_at) {
      if (++t->tries > TCP_TRIES) {
        fail(t, NET_TIMEOUT);
        continue;
      }
      t->rto = t->rto * 2 < RTO_MAX_NS ? t->rto * 2 : RTO_MAX_NS;
      t->rto_at = 0;
      if (t->state == SYN_SENT || t->state == SYN_RCVD) {
        output(t, t->state == SYN_SENT ? F_SYN : F_SYN | F_ACK, t->iss, 0, 0);
      } else {                 // go back to the first byte not acknowledged
        t->snd_nxt = t->snd_una;
        t->fin_sent = 0;
        push(t, now);
      }
      arm(t, now);
    }
    busy |= t->rto_at || t->state == TIME_WAIT || (t->state == FIN_WAIT_2 && t->orphan) ||
            (t->rwait && t->rdeadline);
  }
  return busy;
}

// Close the connections of tasks that have died, as their close would.
static void reap(void) {
  for (int i = 0; i < NTCP; i++)
    if (tcbs[i].used && !tcbs[i].orphan && !tcbs[i].listener && task_alive(tcbs[i].owner) != 0) {
      struct req r = {.label = NET_CLOSE, .w = {TCP_BASE + i, 0, 0, tcbs[i].key}, .badge = tcbs[i].owner};
      tcp_request(&r);
    }
}

static int port_used(int port) {
  for (int i = 0; i < NTCP; i++)
    if (tcbs[i].used && tcbs[i].lport == port && (tcbs[i].state == LISTEN || !tcbs[i].listener))
      return 1;
  return 0;
}

static int64 bind_port(struct tcb *t, uint64 port) {
  static int next = 49152;
  if (port > 0xffff || t->lport)
    return E_INVAL;
  reap();
  for (int i = 0; port == 0 && i < 16384; i++, next = next == 0xffff ? 49152 : next + 1)
    if (!port_used(next))
      port = next;
  if (port == 0 || port_used(port))
    return port ? E_INVAL : E_NOMEM;
  t->lport = port;
  return port;
}

void tcp_request(struct req *r) {
  int64 e = 0;
  uint64 now = time_ns();
  if (r->label == NET_SOCKET) {
    reap();
    struct tcb *t = tcb_new();
    if (t)
      t->owner = r->badge, t->key = nh_key(), r->rw[0] = TCP_BASE + (t - tcbs), r->rw[1] = t->key;
    r->rlabel = t ? 0 : E_NOMEM;
    return;
  }
  uint64 i = r->w[0] - TCP_BASE;
  struct tcb *t = i < NTCP ? &tcbs[i] : 0;
  if (!t || !t->used || t->orphan || t->listener)
    e = E_INVAL;
  else if (t->key != r->w[3])
    e = E_PERM;
  else switch (r->label) {
  case NET_ADOPT:
    e = r->badge == (uint64)ep_owner(EP_FS) ? (int64)(t->owner = r->badge, 0) : E_PERM;
    break;
  case NET_BIND:
    e = t->state == CLOSED ? bind_port(t, r->w[1]) : E_INVAL;
    r->rw[0] = e;
    break;
  case NET_LISTEN:
    if (t->state != CLOSED || !t->lport)
      e = E_INVAL;
    else
      t->state = LISTEN;
    break;
  case NET_ACCEPT:
    if (t->state != LISTEN || t->cwait)
      e = E_INVAL;
    else {
      t->creq = *r, t->cwait = 1;
      defer(r);
      offer(t);
      return;
    }
    break;
  case NET_CONNECT:
    if (t->state != CLOSED || t->err || r->w[1] == 0 || r->w[1] > 0xffffffffUL || r->w[2] == 0 ||
        r->w[2] > 0xffff || (!t->lport && bind_port(t, 0) < 0))
      e = E_INVAL;
    else {
      t->rip = r->w[1], t->rport = r->w[2], t->state = SYN_SENT;
      t->snd_una = t->iss, t->snd_nxt = t->iss + 1;
      output(t, F_SYN, t->iss, 0, 0);
      arm(t, now);
      t->creq = *r, t->cwait = 1;
      defer(r);
      return;
    }
    break;
  case NET_SENDTO:
    if (t->err)
      e = t->err;
    else if ((t->state != ESTAB && t->state != CLOSE_WAIT) || t->fin_want || !(r->rights & BUF_R))
      e = E_INVAL;
    else if (t->slen == SBUF) {
      t->sreq = *r, t->swait = 1;
      defer(r);
      return;
    } else
      e = give(t, r);
    break;
  case NET_RECVFROM:
    if (t->rwait || !(r->rights & BUF_W) || t->state == LISTEN || (t->state == CLOSED && !t->err && !t->fin_rcvd))
      e = E_INVAL;
    else if (t->rlen)
      e = take(t, r);
    else if (t->err)
      e = t->err;
    else if (t->fin_rcvd)
      r->rw[0] = 0;
    else {
      t->rreq = *r, t->rwait = 1;
      t->rdeadline = r->w[1] ? now + r->w[1] * 1000000 : 0;
      if (t->rdeadline)
        nh_timer();
      defer(r);
      return;
    }
    break;
  case NET_SHUTDOWN:
    if (t->state != ESTAB && t->state != CLOSE_WAIT)
      e = E_INVAL;
    else
      t->fin_want = 1, push(t, now);
    break;
  case NET_CLOSE:
    for (int k = 0; k < NTCP; k++)          // connections its listen never handed out
      if (tcbs[k].used && tcbs[k].listener == t) {
        output(&tcbs[k], F_RST | F_ACK, tcbs[k].snd_nxt, 0, 0);
        tcb_free(&tcbs[k]);
      }
    if (t->state == ESTAB || t->state == CLOSE_WAIT || t->state == FIN_WAIT_1 || t->state == FIN_WAIT_2 ||
        t->state == CLOSING || t->state == LAST_ACK || t->state == SYN_RCVD) {
      reply(&t->rreq, &t->rwait, E_INVAL);
      reply(&t->sreq, &t->swait, E_INVAL);
      t->orphan = 1, t->fin_want = 1;
      if (t->state == FIN_WAIT_2)
        t->wait_at = now + 10 * WAIT_NS;
      push(t, now);
      nh_timer();
    } else {
      if (t->state == SYN_SENT)
        output(t, F_RST | F_ACK, t->snd_nxt, 0, 0);
      tcb_free(t);
    }
    break;
  default:
    e = E_INVAL;
  }
  r->rlabel = e < 0 ? (uint64)e : 0;
}
