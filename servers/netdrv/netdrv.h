// The network driver's protocol (EP_NETDRV): Ethernet frames (no preamble, no FCS) of
// QEMU's virtio network device. For the network server only (E_PERM for anyone else),
// NETDRV_STAT for anyone.
//   label        request                                reply (rlabel 0 or an error)
//   NETDRV_SEND  buffer R: one frame, 14..NETDRV_FRAME   queued for the device (it may still be in
//                bytes                                  flight); waits while every tx buffer is
//   NETDRV_RECV  buffer W of NETDRV_FRAME bytes          rw0 = the next frame's bytes, copied into
//                                                       the buffer; 0: no frame waiting
//   NETDRV_INFO  -                                      rw0 = the MAC address (byte 0 in bits 0..7)
//   NETDRV_STAT  -                                      rw0 = frames received, rw1 = frames sent,
//                                                       rw2 = most frames in flight at once (tx),
//                                                       rw3 = received frames dropped (a failed copy)
// When frames arrive the driver posts NETDRV_RXBIT to EP_NET; the network server then
// asks NETDRV_RECV until it answers 0.
#pragma once

#define NETDRV_SEND  1
#define NETDRV_RECV  2
#define NETDRV_INFO  3
#define NETDRV_STAT  4

#define NETDRV_FRAME 1514       // the largest frame: 14 header bytes and a 1500-byte payload
#define NETDRV_RXBIT (1 << 0)   // notification bit on EP_NET: frames are waiting
