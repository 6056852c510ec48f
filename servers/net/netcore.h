// The network server's inside: the protocol core (ip.c: Ethernet, ARP, IPv4, ICMP;
// udp.c: UDP sockets) and what it needs from its host (main.c: frames out to the
// driver, time, the timer). Frames are byte arrays; fields are read and written byte
// by byte in network order (get16, put32, ...), never through unaligned structs.
#pragma once
#include "kernel/types.h"
#include "servers/lib/server.h"
#include "servers/netdrv/netdrv.h"

#define ETH_HDR 14
#define IP_HDR  20
#define UDP_HDR 8
#define IP_OFF  ETH_HDR                 // where a frame's IP header starts
#define IP_DATA (ETH_HDR + IP_HDR)      // where its IP payload starts (no IP options sent)

struct netcfg {
  uint32 ip, mask, gw;
  uint8 mac[6];
};
extern struct netcfg cfg;
extern uint64 nbad;                     // frames dropped as bad

static inline uint32 get16(const uint8 *p) { return p[0] << 8 | p[1]; }
static inline uint32 get32(const uint8 *p) { return (uint32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static inline void put16(uint8 *p, uint32 v) { p[0] = v >> 8, p[1] = v; }
static inline void put32(uint8 *p, uint32 v) { p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v; }

// ip.c
uint32 csum_add(uint32 sum, const uint8 *p, int n);   // the Internet checksum's running sum
uint16 csum_fold(uint32 sum);                           // ... folded and complemented
uint32 pseudo_sum(uint32 src, uint32 dst, int proto, int len);
void eth_input(uint8 *f, int n);
// Send the IP datagram whose payload (plen bytes) is at f + IP_DATA: fill in the IP
// and Ethernet headers, resolve the next hop (ARP; the frame waits for the answer).
int ip_output(uint8 *f, uint32 dst, int proto, int plen);
int net_tick(uint64 now);              // ARP retries and expiry; 1 while anything waits
void ping_reply(uint32 src, const uint8 *icmp, int n, uint64 now);   // main.c

// udp.c
void udp_input(uint32 src, uint32 dst, uint8 *udp, int n);
void udp_request(struct req *r);       // NET_SOCKET .. NET_CLOSE
int udp_tick(uint64 now);              // receive timeouts; 1 while any wait has one

// tcp.c: sockets TCP_BASE.. (udp.c's are 0..)
#define TCP_BASE 16
void tcp_input(uint32 src, uint32 dst, uint8 *tcp, int n);
void tcp_request(struct req *r);
int tcp_tick(uint64 now);              // retransmission, TIME_WAIT, receive timeouts

// main.c: the host
int nh_xmit(const uint8 *f, int n);   // one frame to the driver
void nh_timer(void);                    // net_tick and udp_tick soon (every TICK_NS while they ask)
uint64 nh_key(void);                    // a fresh socket key: hard to guess, never 0
