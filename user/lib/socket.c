// The socket calls: requests to the network server (EP_NET, servers/net/net.h). A
// socket is the server's number for it, not a file descriptor (yet): it is not
// inherited by fork, and sockclose closes it. On a TCP socket, sendto and recvfrom
// with ip and port 0 are send and receive; send sends all. Errors are the server's codes (< 0),
// NET_TIMEOUT when a wait with a time limit ran out.
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/net/net.h"

static int64 net(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, void *buf, uint64 len, int rights,
                 uint64 *w) {
  struct msg m = {.tag = TAG(label, len ? rights : 0, len), .w = {w0, w1, w2, w3}};
  int64 r = ipc_call_buf(EP_NET, &m, buf);
  if (r < 0)
    return r;
  if (TAG_LABEL(m.tag))
    return (short)TAG_LABEL(m.tag);
  if (w)
    for (int i = 0; i < 4; i++)
      w[i] = m.w[i];
  return 0;
}

int socket(int type) {
  uint64 w[4];
  int64 e = net(NET_SOCKET, type, 0, 0, 0, 0, 0, 0, w);
  return e < 0 ? e : (int)w[0];
}

int bind(int s, int port) {
  uint64 w[4];
  int64 e = net(NET_BIND, s, port, 0, 0, 0, 0, 0, w);
  return e < 0 ? e : (int)w[0];
}

int connect(int s, uint ip, int port) { return net(NET_CONNECT, s, ip, port, 0, 0, 0, 0, 0); }

int sendto(int s, const void *buf, int n, uint ip, int port) {
  uint64 w[4];
  int64 e = n < 0 ? E_INVAL : net(NET_SENDTO, s, ip, port, 0, (void *)buf, n, BUF_R, w);
  return e < 0 ? e : (int)w[0];
}

// The buffer's pages are made present first: a datagram that finds the buffer not
// present when it arrives later would be lost.
int recvfrom(int s, void *buf, int n, uint *ip, int *port, int timeout_ms) {
  uint64 w[4];
  if (n < 0)
    return E_INVAL;
  for (uint64 a = (uint64)buf; a < (uint64)buf + n; a = (a & ~4095UL) + 4096)
    if (fault_in((void *)a, 1) < 0)
      return E_INVAL;
  int64 e = net(NET_RECVFROM, s, timeout_ms, 0, 0, buf, n, BUF_W, w);
  if (e < 0)
    return e;
  if (ip)
    *ip = w[1];
  if (port)
    *port = w[2];
  return w[0];
}

int sockclose(int s) { return net(NET_CLOSE, s, 0, 0, 0, 0, 0, 0, 0); }
int listen(int s) { return net(NET_LISTEN, s, 0, 0, 0, 0, 0, 0, 0); }
int shutdown(int s) { return net(NET_SHUTDOWN, s, 0, 0, 0, 0, 0, 0, 0); }

int accept(int s, uint *ip, int *port) {
  uint64 w[4];
  int64 e = net(NET_ACCEPT, s, 0, 0, 0, 0, 0, 0, w);
  if (e < 0)
    return e;
  if (ip)
    *ip = w[1];
  if (port)
    *port = w[2];
  return w[0];
}

// All n bytes on a TCP socket (the server takes what fits in its buffer each time).
int send(int s, const void *buf, int n) {
  for (int done = 0; done < n;) {
    int k = sendto(s, (const char *)buf + done, n - done, 0, 0);
    if (k < 0)
      return k;
    done += k;
  }
  return n;
}

int64 netping(uint ip, int seq, int timeout_ms, int payload) {
  uint64 w[4];
  int64 e = net(NET_PING, ip, seq, timeout_ms, payload, 0, 0, 0, w);
  return e < 0 ? e : (int64)w[0];
}

// "A.B.C.D" into *ip: 0, or -1 if s is not an address.
int parseip(const char *s, uint *ip) {
  uint v = 0;
  for (int i = 0; i < 4; i++) {
    int b = 0, digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
      b = b * 10 + *s - '0';
    if (!digits || b > 255 || *s != (i < 3 ? '.' : 0))
      return -1;
    s++;
    v = v << 8 | b;
  }
  *ip = v;
  return 0;
}
