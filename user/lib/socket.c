// The socket calls. A socket is a file descriptor: the network server makes the socket
// (NET_SOCKET, servers/net/net.h) and the file server keeps it, with its key, in an
// fd (FS_SOCKET, servers/fs/fsproto.h), so it is inherited by fork, dup'ed, and
// closed by close (the last close closes it at the network server). Each call asks the
// file server for the fd's socket and key, then the network server, where the data
// moves: one copy. read and write on a socket's fd come here too (ufile.c). On a TCP
// socket, sendto and recvfrom with ip and port 0 are send and receive; send sends all.
// Errors are the servers' codes (< 0), NET_TIMEOUT when a wait with a limit ran out.
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/net/net.h"
#include "servers/fs/fsproto.h"

static int64 call(uint64 ep, uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, void *buf, uint64 len,
                  int rights, uint64 *w) {
  struct msg m = {.tag = TAG(label, len ? rights : 0, len), .w = {w0, w1, w2, w3}};
  int64 r = ipc_call_buf(ep, &m, buf);
  if (r < 0)
    return r;
  if (TAG_LABEL(m.tag))
    return (short)TAG_LABEL(m.tag);
  if (w)
    for (int i = 0; i < 4; i++)
      w[i] = m.w[i];
  return 0;
}

// The fd's socket and key.
static int64 sockof(int fd, uint64 *s, uint64 *key) {
  uint64 w[4] = {0};
  int64 e = call(EP_FS, FS_SOCKOF, fd, 0, 0, 0, 0, 0, 0, w);
  *s = w[0], *key = w[1];
  return e;
}

// A request on the socket of fd (its key in w3).
static int64 net(int fd, uint64 label, uint64 w1, uint64 w2, void *buf, uint64 len, int rights, uint64 *w) {
  uint64 s, key;
  int64 e = sockof(fd, &s, &key);
  return e < 0 ? e : call(EP_NET, label, s, w1, w2, key, buf, len, rights, w);
}

// A new socket (and its key) as an fd; closed if the file server cannot take it.
static int sockfd(uint64 s, uint64 key) {
  uint64 w[4];
  int64 e = call(EP_FS, FS_SOCKET, s, key, 0, 0, 0, 0, 0, w);
  if (e < 0)
    call(EP_NET, NET_CLOSE, s, 0, 0, key, 0, 0, 0, 0);
  return e < 0 ? e : (int)w[0];
}

int socket(int type) {
  uint64 w[4];
  int64 e = call(EP_NET, NET_SOCKET, type, 0, 0, 0, 0, 0, 0, w);
  return e < 0 ? e : sockfd(w[0], w[1]);
}

int bind(int fd, int port) {
  uint64 w[4];
  int64 e = net(fd, NET_BIND, port, 0, 0, 0, 0, w);
  return e < 0 ? e : (int)w[0];
}

int connect(int fd, uint ip, int port) { return net(fd, NET_CONNECT, ip, port, 0, 0, 0, 0); }
int listen(int fd) { return net(fd, NET_LISTEN, 0, 0, 0, 0, 0, 0); }
int shutdown(int fd) { return net(fd, NET_SHUTDOWN, 0, 0, 0, 0, 0, 0); }
int sockclose(int fd) { return close(fd); }

int accept(int fd, uint *ip, int *port) {
  uint64 w[4];
  int64 e = net(fd, NET_ACCEPT, 0, 0, 0, 0, 0, w);
  if (e < 0)
    return e;
  if (ip)
    *ip = w[1];
  if (port)
    *port = w[2];
  return sockfd(w[0], w[3]);
}

static int64 sendto_sock(uint64 s, uint64 key, const void *buf, int n, uint ip, int port) {
  uint64 w[4];
  int64 e = n < 0 ? E_INVAL : call(EP_NET, NET_SENDTO, s, ip, port, key, (void *)buf, n, BUF_R, w);
  return e < 0 ? e : (int64)w[0];
}

// The buffer's pages are made present first: a datagram that finds the buffer not
// present when it arrives later would be lost.
static int64 recvfrom_sock(uint64 s, uint64 key, void *buf, int n, uint *ip, int *port, int timeout_ms) {
  uint64 w[4];
  if (n < 0)
    return E_INVAL;
  for (uint64 a = (uint64)buf; a < (uint64)buf + n; a = (a & ~4095UL) + 4096)
    if (fault_in((void *)a, 1) < 0)
      return E_INVAL;
  int64 e = call(EP_NET, NET_RECVFROM, s, timeout_ms, 0, key, buf, n, BUF_W, w);
  if (e < 0)
    return e;
  if (ip)
    *ip = w[1];
  if (port)
    *port = w[2];
  return w[0];
}

int sendto(int fd, const void *buf, int n, uint ip, int port) {
  uint64 s, key;
  int64 e = sockof(fd, &s, &key);
  return e < 0 ? e : sendto_sock(s, key, buf, n, ip, port);
}

int recvfrom(int fd, void *buf, int n, uint *ip, int *port, int timeout_ms) {
  uint64 s, key;
  int64 e = sockof(fd, &s, &key);
  return e < 0 ? e : recvfrom_sock(s, key, buf, n, ip, port, timeout_ms);
}

// All n bytes (the server takes what fits in its buffer each time).
static int64 send_all(uint64 s, uint64 key, const void *buf, int n) {
  for (int done = 0; done < n;) {
    int64 k = sendto_sock(s, key, (const char *)buf + done, n - done, 0, 0);
    if (k < 0)
      return k;
    done += k;
  }
  return n;
}

int send(int fd, const void *buf, int n) {
  uint64 s, key;
  int64 e = sockof(fd, &s, &key);
  return e < 0 ? e : send_all(s, key, buf, n);
}

// read and write on a socket's fd (ufile.c, after the file server's FS_SOCKREF).
int64 sock_read(uint64 s, uint64 key, void *buf, int n) { return recvfrom_sock(s, key, buf, n, 0, 0, 0); }
int64 sock_write(uint64 s, uint64 key, const void *buf, int n) { return send_all(s, key, buf, n); }

int64 netping(uint ip, int seq, int timeout_ms, int payload) {
  uint64 w[4];
  int64 e = call(EP_NET, NET_PING, ip, seq, timeout_ms, payload, 0, 0, 0, w);
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
