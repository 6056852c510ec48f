// UDP and its sockets. A socket belongs to the task that made it; its datagrams wait
// in a queue of SOCKQ (more are dropped, as UDP may) unless a NET_RECVFROM waits,
// which then gets the datagram straight from the received frame: one copy. Sending
// copies the caller's bytes straight into the frame after the headers: one copy. A
// socket whose task has died (one the file server has not adopted) is closed when its
// slot or its port is wanted.
#include "servers/net/netcore.h"
#include "servers/net/net.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define NSOCK 16
#define SOCKQ 4
#define EPHEMERAL 49152

struct dgram {
  uint32 ip;
  uint16 port, len;
  uint8 data[NET_UDPMAX];
};

static struct sock {
  uint64 owner;                // the task that made it, or the file server; 0: free
  uint64 key;                  // what a request on it must carry (w3)
  uint16 lport, rport;         // local port (0: not bound), connected peer's port
  uint32 rip;                  // connected peer (0: none)
  int waiting;                 // a NET_RECVFROM is deferred in wreq
  struct req wreq;
  uint64 deadline;             // of the waiting NET_RECVFROM (0: none)
  int qhead, qlen;
  struct dgram q[SOCKQ];
} socks[NSOCK];

static void sock_close(struct sock *s) {
  if (s->waiting) {
    s->wreq.rlabel = E_INVAL;   // closed under it
    answer(&s->wreq);
  }
  memset(s, 0, sizeof *s - sizeof s->q);
  s->qlen = s->qhead = 0;
}

// Close the sockets of tasks that have died.
static void reap(void) {
  for (int i = 0; i < NSOCK; i++)
    if (socks[i].owner && task_alive(socks[i].owner) != 0)
      sock_close(&socks[i]);
}

static int port_used(int port) {
  for (int i = 0; i < NSOCK; i++)
    if (socks[i].owner && socks[i].lport == port)
      return 1;
  return 0;
}

static int bind_port(struct sock *s, uint64 port) {
  static int next = EPHEMERAL;
  if (port > 0xffff)
    return E_INVAL;
  reap();
  if (port == 0) {
    for (int i = 0; i < 0x10000 - EPHEMERAL && port == 0; i++, next = next == 0xffff ? EPHEMERAL : next + 1)
      if (!port_used(next))
        port = next;
    if (port == 0)
      return E_NOMEM;
  } else if (port_used(port))
    return E_INVAL;
  s->lport = port;
  return port;
}

// Answer the waiting NET_RECVFROM of s with n bytes of data from ip:port.
static void deliver(struct sock *s, uint32 ip, int port, const uint8 *data, int n) {
  struct req *r = &s->wreq;
  if ((uint64)n > r->buflen)
    n = r->buflen;
  int64 e = ipc_copy_to(r->token, 0, data, n);
  r->rlabel = e < 0 ? (uint64)e : 0;
  r->rw[0] = n, r->rw[1] = ip, r->rw[2] = port;
  s->waiting = 0;
  answer(r);
}

void udp_input(uint32 src, uint32 dst, uint8 *u, int n) {
  if (n < UDP_HDR || get16(u + 4) < UDP_HDR || get16(u + 4) > n) {
    nbad++;
    return;
  }
  n = get16(u + 4);
  if (get16(u + 6) && csum_fold(csum_add(pseudo_sum(src, dst, 17, n), u, n)) != 0) {
    nbad++;
    return;
  }
  int sport = get16(u), dport = get16(u + 2);
  for (int i = 0; i < NSOCK; i++) {
    struct sock *s = &socks[i];
    if (!s->owner || s->lport != dport || (s->rip && (s->rip != src || s->rport != sport)))
      continue;
    if (s->waiting) {
      deliver(s, src, sport, u + UDP_HDR, n - UDP_HDR);
    } else if (s->qlen < SOCKQ) {
      struct dgram *d = &s->q[(s->qhead + s->qlen++) % SOCKQ];
      d->ip = src, d->port = sport, d->len = n - UDP_HDR;
      memmove(d->data, u + UDP_HDR, d->len);
    }
    return;
  }
}

static int64 udp_sendto(struct sock *s, struct req *r) {
  static uint8 f[NETDRV_FRAME];
  uint32 ip = r->w[1], port = r->w[2];
  if (ip == 0 && port == 0)
    ip = s->rip, port = s->rport;
  if (ip == 0 || port == 0 || port > 0xffff || r->buflen > NET_UDPMAX || !(r->rights & BUF_R))
    return E_INVAL;
  if (!s->lport && bind_port(s, 0) < 0)
    return E_NOMEM;
  uint8 *u = f + IP_DATA;
  int n = UDP_HDR + r->buflen;
  int64 e = ipc_copy_from(r->token, 0, u + UDP_HDR, r->buflen);
  if (e < 0)
    return e;
  put16(u, s->lport), put16(u + 2, port), put16(u + 4, n), put16(u + 6, 0);
  uint16 c = csum_fold(csum_add(pseudo_sum(cfg.ip, ip, 17, n), u, n));
  put16(u + 6, c ? c : 0xffff);
  e = ip_output(f, ip, 17, n);
  r->rw[0] = r->buflen;
  return e;
}

static int64 udp_recvfrom(struct sock *s, struct req *r) {
  if (s->waiting || !(r->rights & BUF_W))
    return E_INVAL;
  if (s->qlen) {
    struct dgram *d = &s->q[s->qhead];
    uint64 n = d->len < r->buflen ? d->len : r->buflen;
    int64 e = ipc_copy_to(r->token, 0, d->data, n);
    if (e < 0)
      return e;                // the datagram stays for the retry
    s->qhead = (s->qhead + 1) % SOCKQ, s->qlen--;
    r->rw[0] = n, r->rw[1] = d->ip, r->rw[2] = d->port;
    return 0;
  }
  s->waiting = 1;
  s->wreq = *r;
  s->deadline = r->w[1] ? time_ns() + r->w[1] * 1000000 : 0;
  if (s->deadline)
    nh_timer();
  defer(r);
  return 0;
}

void udp_request(struct req *r) {
  int64 e = 0;
  if (r->label == NET_SOCKET) {
    if (r->w[0] != NET_UDP) {
      r->rlabel = E_INVAL;
      return;
    }
    reap();
    for (int i = 0; i < NSOCK; i++) {
      if (!socks[i].owner) {
        memset(&socks[i], 0, sizeof socks[i] - sizeof socks[i].q);
        socks[i].owner = r->badge, socks[i].key = nh_key();
        r->rw[0] = i, r->rw[1] = socks[i].key;
        r->rlabel = 0;
        return;
      }
    }
    r->rlabel = E_NOMEM;
    return;
  }
  struct sock *s = r->w[0] < NSOCK ? &socks[r->w[0]] : 0;
  if (!s || !s->owner)
    e = E_INVAL;
  else if (s->key != r->w[3])
    e = E_PERM;
  else if (r->label == NET_ADOPT)
    e = r->badge == (uint64)ep_owner(EP_FS) ? (int64)(s->owner = r->badge, 0) : E_PERM;
  else if (r->label == NET_BIND)
    e = s->lport ? E_INVAL : bind_port(s, r->w[1]);
  else if (r->label == NET_CONNECT) {
    if (r->w[1] == 0 || r->w[1] > 0xffffffffUL || r->w[2] == 0 || r->w[2] > 0xffff)
      e = E_INVAL;
    else
      s->rip = r->w[1], s->rport = r->w[2];
  } else if (r->label == NET_SENDTO)
    e = udp_sendto(s, r);
  else if (r->label == NET_RECVFROM)
    e = udp_recvfrom(s, r);
  else if (r->label == NET_CLOSE)
    sock_close(s);
  else
    e = E_INVAL;               // NET_LISTEN, NET_ACCEPT, NET_SHUTDOWN: TCP's
  if (r->label == NET_BIND && e >= 0)
    r->rw[0] = e;
  r->rlabel = e < 0 ? (uint64)e : 0;
}

int udp_tick(uint64 now) {
  int busy = 0;
  for (int i = 0; i < NSOCK; i++) {
    struct sock *s = &socks[i];
    if (!s->waiting || !s->deadline)
      continue;
    if (now >= s->deadline) {
      s->wreq.rlabel = NET_TIMEOUT;
      s->waiting = 0;
      answer(&s->wreq);
    } else
      busy = 1;
  }
  return busy;
}
