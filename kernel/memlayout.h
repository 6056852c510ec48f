// Physical and virtual memory layout.
//
// Physical (QEMU virt):  0x0c000000 PLIC, 0x10000000 UART0, 0x10001000.. virtio-mmio,
//   0x80000000 OpenSBI, 0x80200000 this kernel, then KPOOL_SIZE of kernel pool, then
//   memory for user tasks up to the end of RAM (from the device tree).
//
// Every address space (Sv39) has the same kernel half, so traps need no page-table switch:
//   0 .. MAXUVA              user (root entries 0 and 1)
//   0x80000000 .. +1 GiB     kernel and RAM, identity-mapped, supervisor-only (one gigapage)
//   KDEV + pa                the first GiB of physical space (devices), supervisor-only
#pragma once

#define RAMBASE     0x80000000UL
#define KERNBASE    0x80200000UL
#define USTACK_PAGES 4                    // boot tasks' stacks (MAXUVA, USTACK_TOP: abi.h)
#define KDEV        0xffffffc000000000UL  // device window: virtual = KDEV + physical
#define PLIC_PA     0x0c000000UL
#define UART0_PA    0x10000000UL
#define UART0_IRQ   10
#define VIRTIO_PA   0x10001000UL          // 8 virtio-mmio slots of 0x1000, irqs 1..8
#define DEVWIN_END  0x40000000UL          // KDEV covers physical 0 .. 1 GiB
