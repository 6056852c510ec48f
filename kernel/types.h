// Fixed-width integer names used by the kernel, the servers and user programs
// (the same names as xv6, so xv6 programs compile unchanged).
#pragma once

typedef unsigned int   uint;
typedef unsigned short ushort;
typedef unsigned char  uchar;

typedef unsigned char      uint8;
typedef unsigned short     uint16;
typedef unsigned int       uint32;
typedef unsigned long      uint64;
typedef long               int64;

typedef uint64 pde_t;
