// Ethernet, ARP and IPv4 with ICMP echo: what arrives from the driver is checked here
// (lengths, versions, checksums, addresses) before anything reads further, and a bad
// frame is dropped and counted, never answered. ARP keeps a small cache: an entry
// lives ARP_TTL_NS; a datagram to a next hop not yet known waits in its entry (one,
// the latest) while the request is sent up to ARP_TRIES times, ARP_RETRY_NS apart.
#include "servers/net/netcore.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define NARP 16
#define ARP_TTL_NS (60 * 1000000000ULL)
#define ARP_RETRY_NS (500 * 1000000ULL)
#define ARP_TRIES 4

struct netcfg cfg;
uint64 nbad;

static struct arp {
  uint32 ip;                   // 0: free
  uint8 mac[6];
  int known, tries;
  uint64 when;                 // known: learned then; else: the last request sent then
  int waitlen;                 // bytes of the frame waiting for the answer (0: none)
  uint8 wait[NETDRV_FRAME];
} arps[NARP];

static const uint8 bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

uint32 csum_add(uint32 sum, const uint8 *p, int n) {
  for (int i = 0; i + 1 < n; i += 2)
    sum += get16(p + i);
  if (n & 1)
    sum += p[n - 1] << 8;
  return sum;
}

uint16 csum_fold(uint32 sum) {
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

uint32 pseudo_sum(uint32 src, uint32 dst, int proto, int len) {
  return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

static void eth_header(uint8 *f, const uint8 *dst, int type) {
  memmove(f, dst, 6);
  memmove(f + 6, cfg.mac, 6);
  put16(f + 12, type);
}

static void arp_send(int op, const uint8 *tmac, uint32 tip) {
  uint8 f[42];
  eth_header(f, op == 1 ? bcast : tmac, 0x0806);
  uint8 *a = f + ETH_HDR;
  put16(a, 1), put16(a + 2, 0x0800), a[4] = 6, a[5] = 4, put16(a + 6, op);
  memmove(a + 8, cfg.mac, 6), put32(a + 14, cfg.ip);
  memmove(a + 18, op == 1 ? (const uint8 *)"\0\0\0\0\0\0" : tmac, 6), put32(a + 24, tip);
  nh_xmit(f, sizeof f);
}

static struct arp *arp_find(uint32 ip) {
  for (int i = 0; i < NARP; i++)
    if (arps[i].ip == ip)
      return &arps[i];
  return 0;
}

// A fresh entry for ip: a free one, else the one unused longest.
static struct arp *arp_new(uint32 ip) {
  struct arp *e = &arps[0];
  for (int i = 0; i < NARP; i++) {
    if (!arps[i].ip) {
      e = &arps[i];
      break;
    }
    if (arps[i].when < e->when)
      e = &arps[i];
  }
  e->ip = ip, e->known = 0, e->tries = 0, e->waitlen = 0, e->when = 0;
  return e;
}

// Learn ip's MAC, and send the frame that waited for it.
static void arp_learn(struct arp *e, const uint8 *mac, uint64 now) {
  memmove(e->mac, mac, 6);
  e->known = 1, e->when = now;
  if (e->waitlen) {
    memmove(e->wait, mac, 6);
    nh_xmit(e->wait, e->waitlen);
    e->waitlen = 0;
  }
}

static void arp_input(const uint8 *a, int n, uint64 now) {
  if (n < 28 || get16(a) != 1 || get16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4) {
    nbad++;
    return;
  }
  int op = get16(a + 6);
  uint32 sip = get32(a + 14), tip = get32(a + 24);
  if (tip != cfg.ip || sip == 0 || (op != 1 && op != 2))
    return;                  // not for us (or a probe); not an error
  struct arp *e = arp_find(sip);
  if (e || op == 1)           // the asker will talk to us: remember it too
    arp_learn(e ? e : arp_new(sip), a + 8, now);
  if (op == 1)
    arp_send(2, a + 8, sip);
}

int ip_output(uint8 *f, uint32 dst, int proto, int plen) {
  static uint16 ident;
  if (plen < 0 || plen > 1500 - IP_HDR)
    return E_INVAL;
  uint8 *h = f + IP_OFF;
  h[0] = 0x45, h[1] = 0;
  put16(h + 2, IP_HDR + plen), put16(h + 4, ident++), put16(h + 6, 0x4000);   // don't fragment
  h[8] = 64, h[9] = proto;
  put16(h + 10, 0), put32(h + 12, cfg.ip), put32(h + 16, dst);
  put16(h + 10, csum_fold(csum_add(0, h, IP_HDR)));
  int n = IP_DATA + plen;
  if (dst == 0xffffffff || dst == (cfg.ip | ~cfg.mask)) {
    eth_header(f, bcast, 0x0800);
    return nh_xmit(f, n);
  }
  uint32 hop = (dst & cfg.mask) == (cfg.ip & cfg.mask) ? dst : cfg.gw;
  uint64 now = time_ns();
  struct arp *e = arp_find(hop);
  if (e && e->known && now - e->when < ARP_TTL_NS) {
    eth_header(f, e->mac, 0x0800);
    return nh_xmit(f, n);
  }
  if (!e || e->known)
    e = arp_new(hop);
  eth_header(f, bcast, 0x0800);      // the destination is filled in when it is known
  memmove(e->wait, f, n);
  e->waitlen = n;
  if (e->tries == 0) {
    e->tries = 1, e->when = now;
    arp_send(1, 0, hop);
    nh_timer();
  }
  return 0;
}

int net_tick(uint64 now) {
  int busy = 0;
  for (int i = 0; i < NARP; i++) {
    struct arp *e = &arps[i];
    if (!e->ip || e->known || now - e->when < ARP_RETRY_NS) {
      busy |= e->ip && !e->known;
      continue;
    }
    if (e->tries >= ARP_TRIES) {
      e->ip = 0;               // nobody answers: the waiting frame is dropped
      continue;
    }
    e->tries++, e->when = now;
    arp_send(1, 0, e->ip);
    busy = 1;
  }
  return busy;
}

static void icmp_input(uint32 src, uint8 *m, int n, uint64 now) {
  if (n < 8 || csum_fold(csum_add(0, m, n)) != 0) {
    nbad++;
    return;
  }
  if (m[0] == 0)
    ping_reply(src, m, n, now);
  if (m[0] != 8 || m[1] != 0)
    return;
  // an echo request: the same bytes back, as a reply, from the frame it came in
  uint8 *f = m - IP_DATA;
  m[0] = 0;
  put16(m + 2, 0), put16(m + 2, csum_fold(csum_add(0, m, n)));
  ip_output(f, src, 1, n);
}

static void ip_input(uint8 *f, int n, uint64 now) {
  uint8 *h = f + IP_OFF;
  n -= IP_OFF;
  int hl = (h[0] & 15) * 4, total = n >= IP_HDR ? get16(h + 2) : 0;
  if (n < IP_HDR || h[0] >> 4 != 4 || hl < IP_HDR || total < hl || total > n ||
      csum_fold(csum_add(0, h, hl)) != 0) {
    nbad++;
    return;
  }
  uint32 src = get32(h + 12), dst = get32(h + 16);
  if (dst != cfg.ip && dst != 0xffffffff && dst != (cfg.ip | ~cfg.mask))
    return;
  if (get16(h + 6) & 0x3fff)
    return;                  // a fragment: we do not reassemble
  if (hl > IP_HDR) {         // options: move the payload up to where replies build it
    memmove(h + IP_HDR, h + hl, total - hl);
    total -= hl - IP_HDR;
  }
  if (h[9] == 1 && dst == cfg.ip)
    icmp_input(src, h + IP_HDR, total - IP_HDR, now);
  else if (h[9] == 17)
    udp_input(src, dst, h + IP_HDR, total - IP_HDR);
  else if (h[9] == 6)
    tcp_input(src, dst, h + IP_HDR, total - IP_HDR);
}

void eth_input(uint8 *f, int n) {
  if (n < ETH_HDR) {
    nbad++;
    return;
  }
  if (memcmp(f, cfg.mac, 6) != 0 && memcmp(f, bcast, 6) != 0)
    return;
  uint64 now = time_ns();
  switch (get16(f + 12)) {
  case 0x0806: arp_input(f + ETH_HDR, n - ETH_HDR, now); break;
  case 0x0800: ip_input(f, n, now); break;
  }
}
