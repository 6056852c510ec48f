// The network server: the protocol core (ip.c, udp.c) in a task of its own, on EP_NET.
// One worker serves clients, frames and timers alike, so nothing here locks and the
// server never waits for a client: a NET_RECVFROM or NET_PING that must wait is
// deferred and answered when its datagram, its echo or its time comes.
//   - frames come from the driver (servers/netdrv): it posts NETDRV_RXBIT to EP_NET,
//     and we take frames with NETDRV_RECV (a bulk copy into rxf: the one copy in)
//     until it has none, at most RX_BATCH at a time so clients are served meanwhile;
//   - frames go out with NETDRV_SEND, the driver copying from our buffer (the one copy
//     out); a driver that is gone (E_DEAD) makes sends fail, never hang;
//   - time: the alarm on EP_NET (TICK_BIT), armed only while something waits.
// Configuration: ip=A.B.C.D/LEN and gw=A.B.C.D on the kernel command line, else QEMU's
// user network (10.0.2.15/24, gateway 10.0.2.2).
#include "servers/net/netcore.h"
#include "servers/net/net.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define TICK_BIT (1 << 1)
#define TICK_NS (100 * 1000000ULL)
#define RX_BATCH 32
#define NPING 8

static uint64 nrx, ntx;
static int ticking;

static struct ping {
  int used;
  uint32 ip, seq;
  uint64 sent, deadline;
  struct req r;
} pings[NPING];

int nh_xmit(const uint8 *f, int n) {
  struct msg m = {.tag = TAG(NETDRV_SEND, BUF_R, n)};
  int64 e = ipc_call(EP_NETDRV, &m, (void *)f);
  if (e == 0)
    e = (short)TAG_LABEL(m.tag);
  ntx += e == 0;
  return e;
}

// xorshift64* stirred with the time of each call: keys another task cannot guess
// from its own (not cryptographic).
uint64 nh_key(void) {
  static uint64 x = 0x6d76366e6574ULL;
  x ^= time_ns();
  x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
  uint64 k = x * 0x2545f4914f6cdd1dULL;
  return k ? k : 1;
}

void nh_timer(void) {
  if (!ticking && alarm_ns(EP_NET, TICK_BIT, TICK_NS) == 0)
    ticking = 1;
}

// NET_PING: an ICMP echo request, answered when its reply (ping_reply) or its time comes.
static int64 ping(struct req *r) {
  static uint8 f[NETDRV_FRAME];
  int i;
  for (i = 0; i < NPING && pings[i].used; i++)
    ;
  if (i == NPING)
    return E_NOMEM;
  if (r->w[0] == 0 || r->w[0] > 0xffffffffUL || r->w[3] > NET_UDPMAX || r->w[2] == 0)
    return E_INVAL;
  int n = 8 + r->w[3];
  uint8 *m = f + IP_DATA;
  m[0] = 8, m[1] = 0;
  put16(m + 2, 0), put16(m + 4, 0x6d00 + i), put16(m + 6, r->w[1]);
  for (int k = 8; k < n; k++)
    m[k] = k;
  put16(m + 2, csum_fold(csum_add(0, m, n)));
  pings[i] = (struct ping){1, r->w[0], r->w[1] & 0xffff, time_ns(), 0, *r};
  pings[i].deadline = pings[i].sent + r->w[2] * 1000000;
  int64 e = ip_output(f, r->w[0], 1, n);
  if (e < 0) {
    pings[i].used = 0;
    return e;
  }
  nh_timer();
  defer(r);
  return 0;
}

void ping_reply(uint32 src, const uint8 *m, int n, uint64 now) {
  uint32 i = get16(m + 4) - 0x6d00;
  if (i >= NPING || !pings[i].used || pings[i].ip != src || pings[i].seq != get16(m + 6))
    return;
  pings[i].used = 0;
  pings[i].r.rlabel = 0;
  pings[i].r.rw[0] = now - pings[i].sent;
  answer(&pings[i].r);
}

static int ping_tick(uint64 now) {
  int busy = 0;
  for (int i = 0; i < NPING; i++) {
    if (pings[i].used && now >= pings[i].deadline) {
      pings[i].used = 0;
      pings[i].r.rlabel = NET_TIMEOUT;
      answer(&pings[i].r);
    }
    busy |= pings[i].used;
  }
  return busy;
}

static void handle(struct req *r) {
  int64 e = 0;
  switch (r->label) {
  case NET_SOCKET:
    (r->w[0] == NET_TCP ? tcp_request : udp_request)(r);
    return;
  case NET_BIND: case NET_CONNECT: case NET_SENDTO: case NET_RECVFROM: case NET_CLOSE:
  case NET_LISTEN: case NET_ACCEPT: case NET_SHUTDOWN: case NET_ADOPT:
    (r->w[0] >= TCP_BASE ? tcp_request : udp_request)(r);
    return;
  case NET_PING:
    e = ping(r);
    break;
  case NET_STAT:
    r->rw[0] = cfg.ip, r->rw[1] = nrx, r->rw[2] = nbad, r->rw[3] = ntx;
    break;
  default:
    e = E_INVAL;
  }
  r->rlabel = e < 0 ? (uint64)e : 0;
}

static void notify(uint64 bits) {
  static uint8 rxf[NETDRV_FRAME];
  if (bits & NETDRV_RXBIT) {
    int k;
    for (k = 0; k < RX_BATCH; k++) {
      struct msg m = {.tag = TAG(NETDRV_RECV, BUF_W, sizeof rxf)};
      if (ipc_call(EP_NETDRV, &m, rxf) < 0 || TAG_LABEL(m.tag) != 0 || m.w[0] == 0)
        break;
      nrx++;
      eth_input(rxf, m.w[0]);
    }
    if (k == RX_BATCH)        // more may wait: look again after the clients waiting now
      ipc_notify(EP_NET, NETDRV_RXBIT);
  }
  if (bits & TICK_BIT) {
    uint64 now = time_ns();
    ticking = 0;
    int busy = net_tick(now);
    busy |= udp_tick(now);
    busy |= ping_tick(now);
    busy |= tcp_tick(now);
    if (busy)
      nh_timer();
  }
}

// "A.B.C.D" at s into *ip: the rest of s, or 0 if it is not an address.
static const char *parse_ip(const char *s, uint32 *ip) {
  uint32 v = 0;
  for (int i = 0; i < 4; i++) {
    if (*s < '0' || *s > '9')
      return 0;
    int b = 0;
    while (*s >= '0' && *s <= '9' && b < 256)
      b = b * 10 + *s++ - '0';
    if (b > 255 || (i < 3 && *s++ != '.'))
      return 0;
    v = v << 8 | b;
  }
  *ip = v;
  return s;
}

static void configure(void) {
  struct bootinfo bi;
  char arg[32];
  const char *s;
  uint32 len = 24;
  cfg.ip = NET_IP(10, 0, 2, 15), cfg.gw = NET_IP(10, 0, 2, 2);
  get_bootinfo(&bi);
  if (bootarg(bi.bootargs, "ip", arg, sizeof arg) > 0) {
    uint32 ip;
    if ((s = parse_ip(arg, &ip)) && *s == '/' && (len = atoi(s + 1)) >= 1 && len <= 30)
      cfg.ip = ip;
    else {
      printf("net: ip=%s: want A.B.C.D/LEN; using 10.0.2.15/24\n", arg);
      len = 24;
    }
  }
  if (bootarg(bi.bootargs, "gw", arg, sizeof arg) > 0 && (!(s = parse_ip(arg, &cfg.gw)) || *s))
    printf("net: gw=%s: want A.B.C.D\n", arg);
  cfg.mask = ~0U << (32 - len);
}

int main(int argc, char *argv[]) {
  configure();
  struct msg m = {.tag = TAG(NETDRV_INFO, 0, 0)};
  if (ipc_call(EP_NETDRV, &m, 0) < 0 || TAG_LABEL(m.tag) != 0)
    printf("net: no network device\n");
  for (int i = 0; i < 6; i++)
    cfg.mac[i] = m.w[0] >> (8 * i);
  serve(EP_NET, 1, handle, notify);
  return 0;
}
