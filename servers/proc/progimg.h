// What exec needs to know about a program, shared by both hosts of the process
// subsystem and free of IPC: PROC_EXEC's arguments, the checks of an ELF file's
// headers, the regions of a new address space, the layout of the top of a new
// program's stack, and where a program is in the boot image (exec's source when no
// file system answers).
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"
#include "kernel/elf.h"
#include "servers/proc/proc.h"
#include "servers/mem/mem.h"

#define PROG_STACK_LO (USTACK_TOP - STACK_PAGES * 4096UL)   // the stack region, up to USTACK_TOP
#define PROG_STACK_MAX (MAXARGBYTES + (MAXARG + 1) * 8 + 64) // most progimg_stack can need

// PROC_EXEC's buffer: "path\0arg0\0arg1\0..." in len bytes with argc arguments.
// 0 if every string ends inside it, else E_INVAL.
int progimg_args(const char *buf, uint64 len, int argc);

// An ELF file's header (len: the file's size, if known; else ~0UL): 0 if it is a
// program we can run, else E_INVAL. Its program header i is at progimg_phoff(eh, i).
int progimg_check(const struct elfhdr *eh, uint64 len);
uint64 progimg_phoff(const struct elfhdr *eh, int i);
// A program header: 0 if it loads nothing, the MEM_R/W/X flags of the region it
// needs (at vaddr, memsz bytes, the first filesz from the file at off), or E_INVAL.
int progimg_segment(const struct proghdr *ph, uint64 len);
// How much of a program file exec must read, given its first len bytes at img: up to
// the end of the last loadable segment's bytes (the symbols and debug information
// after it are never needed); len if it is no ELF file; max if its program headers
// are not within those len bytes.
uint64 progimg_need(const uchar *img, uint64 len, uint64 max);
// Where the heap starts (MEM_HEAP), given the end of the highest segment.
uint64 progimg_heap(uint64 end);

// The top of the new program's stack: struct start_info, argv[] and the argc strings
// at args, built in out (PROG_STACK_MAX bytes) exactly as they must appear in memory
// ending at USTACK_TOP. Returns the size; its first thread starts with
// sp = a0 = USTACK_TOP - size.
uint64 progimg_stack(char *out, int argc, const char *args);

// A program's name: the last part of its path.
const char *progimg_name(const char *path);

// The program path in the boot image (its table at img, which the kernel placed at
// physical address pa): its bytes and *len, or 0.
const uchar *progimg_boot(const uchar *img, uint64 pa, const char *path, uint64 *len);
