// The network server's protocol (EP_NET), shared by the server and the socket calls
// of user/lib/socket.c. Addresses are IPv4 in host order (10.0.2.2 = 0x0a000202),
// ports in host order. A socket is used with its key (w3 of every request on it;
// E_PERM without it): whoever holds the key may use it. Programs hold sockets as file
// descriptors: the file server keeps the socket and its key in the fd (it adopts the
// socket, NET_ADOPT) and closes it at the last close; a socket nobody adopted is
// closed when the task that made it dies.
//   label         request                                      reply (rlabel 0 or an error)
//   NET_SOCKET    w0 = NET_UDP or NET_TCP                       rw0 = socket, rw1 = its key
//   NET_ADOPT     w0 = socket (the file server only)            - (the socket is the file server's now)
//   NET_BIND      w0 = socket, w1 = port (0: any free one)      rw0 = the port
//   NET_CONNECT   w0 = socket, w1 = ip, w2 = port               sendto's default destination, and the
//                                                               only source recvfrom takes
//   NET_SENDTO    w0 = socket, w1 = ip, w2 = port (0, 0: the     rw0 = bytes sent (binds the socket to a
//                 connected peer); buffer R: <= NET_UDPMAX bytes free port first if it has none)
//   NET_RECVFROM  w0 = socket, w1 = timeout in ms (0: none);     rw0 = bytes (a longer datagram is cut),
//                 buffer W                                      rw1 = source ip, rw2 = source port;
//                                                               NET_TIMEOUT when the time is up
//   NET_CLOSE     w0 = socket                                   -
//   NET_PING      w0 = ip, w1 = sequence number, w2 = timeout   rw0 = round trip in ns (ICMP echo);
//                 in ms, w3 = payload bytes (<= NET_UDPMAX)      NET_TIMEOUT when no answer came
//   NET_STAT      -                                             rw0 = our ip, rw1 = frames received,
//                                                               rw2 = frames dropped as bad, rw3 = sent
// TCP sockets: NET_CONNECT answers once connected (NET_REFUSED, NET_TIMEOUT); NET_SENDTO
// (w1, w2 = 0) takes what fits in the send buffer (rw0, >= 1; it waits while the
// buffer is full); NET_RECVFROM answers rw0 = 0 at the end of the stream, and
// NET_RESET once the peer reset the connection; NET_CLOSE closes in order (FIN).
//   NET_LISTEN    w0 = socket (bound)                           -
//   NET_ACCEPT    w0 = listening socket                         rw0 = a new connected socket, rw1 = the
//                                                               peer's ip, rw2 = its port, rw3 = its key
//   NET_SHUTDOWN  w0 = socket                                   no more sending: FIN after the data
// Other errors: E_INVAL (bad socket, argument or buffer), E_NOMEM (no free socket, or
// too many requests waiting), E_NOTPRESENT (fault the buffer in and retry), E_DEAD
// (the network driver is gone).
#pragma once

#define NET_SOCKET   1
#define NET_BIND     2
#define NET_CONNECT  3
#define NET_SENDTO   4
#define NET_RECVFROM 5
#define NET_CLOSE    6
#define NET_PING     7
#define NET_STAT     8
#define NET_LISTEN   9
#define NET_ACCEPT   10
#define NET_SHUTDOWN 11
#define NET_ADOPT    12

#define NET_TCP      1           // a stream (SOCK_STREAM)
#define NET_UDP      2           // datagrams (SOCK_DGRAM)
#define NET_UDPMAX   1472        // the largest datagram: 1500 - IP and UDP headers
// errors of this protocol's own
// The network's own errors, numbered apart from the kernel's E_* (-1 .. -12).
#define NET_TIMEOUT  (-32)       // nothing came in time (a receive, a ping, a connection's retries)
#define NET_REFUSED  (-33)       // the peer reset our connection attempt
#define NET_RESET    (-34)       // the peer reset the connection

#define NET_IP(a, b, c, d) ((uint32)(a) << 24 | (uint32)(b) << 16 | (uint32)(c) << 8 | (uint32)(d))
