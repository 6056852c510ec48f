// ELF64 file and program headers: what the kernel's boot loader and exec need.
#pragma once

#define ELF_MAGIC 0x464C457FU      // "\x7FELF", little-endian
#define ELF_PROG_LOAD 1

struct elfhdr {
  uint32 magic;
  uint8 ident[12];
  uint16 type, machine;
  uint32 version;
  uint64 entry, phoff, shoff;
  uint32 flags;
  uint16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
  uint32 type, flags;              // flags: 1 X, 2 W, 4 R
  uint64 off, vaddr, paddr, filesz, memsz, align;
};
