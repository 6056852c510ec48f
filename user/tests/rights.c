// The rights table (kernel/boottab.h, R_* in abi.h): a boot task holding some rights
// but not the one a call needs is refused (E_PERM), beside a call its rights allow (so
// a kernel that refuses everything fails too). One right a case, the case and its
// rights in this group's row of kernel/testtab.c (R_POWER in each, to end the test).
#include "user/tests/testlib.h"

#define VA 0x40000000UL
#define UART_PA 0x10000000UL
#define VIRTIO_PA 0x10001000UL

static uint64 other(void) {
  int64 t = task_find("pong");
  CHECK(t > 0, "pong not found: %s", errstr(t));
  return t;
}

// R_TASK refused (we hold R_THREAD): no task_create, no task_kill; task_watch works.
static void task(void) {
  EXPECT(task_create("x", 0), E_PERM);
  EXPECT(task_kill(other()), E_PERM);
  EXPECT(task_watch(other(), 0, 0), 0);
}

// R_MAP refused (we hold R_MAPSELF): the boot image maps into us read-only, but no
// frame into another task, none writable into us, no unmap.
static void map(void) {
  struct bootinfo bi;
  get_bootinfo(&bi);
  EXPECT(page_map(0, VA, bi.bootimg_pa, MAP_R), 0);
  EXPECT(page_map(0, VA + 4096, bi.mem_start, MAP_R | MAP_W), E_PERM);
  EXPECT(page_map(other(), VA, bi.bootimg_pa, MAP_R), E_PERM);
  EXPECT(page_unmap(0, VA), E_PERM);
}

// R_THREAD refused (we hold R_TASK): a task of our own, but no thread started in it,
// none stopped, no death notice asked for.
static void thread(void) {
  int64 t = task_create("empty", 0);
  CHECK(t > 0, "task_create: %s", errstr(t));
  EXPECT(thread_start(t, VA, VA, 0, 4), E_PERM);
  EXPECT(sys1(SYS_thread_stop, 1), E_PERM);
  EXPECT(task_watch(t, 0, 0), E_PERM);
  EXPECT(task_kill(t), 0);
}

// R_UART refused (we hold R_VIRTIO): the virtio registers and interrupts, not the UART's.
static void uart(void) {
  int64 ep = ep_create();
  EXPECT(mmio_map(VA, VIRTIO_PA, 4096), 0);
  EXPECT(irq_route(1, ep, 1), 0);
  EXPECT(irq_route(1, 0, 0), 0);
  EXPECT(mmio_map(VA + 4096, UART_PA, 4096), E_PERM);
  EXPECT(irq_route(10, ep, 1), E_PERM);
  EXPECT(irq_ack(10), E_PERM);
}

// R_VIRTIO refused (we hold R_UART): the UART, not the disk's registers or interrupts.
static void virtio(void) {
  int64 ep = ep_create();
  EXPECT(mmio_map(VA, UART_PA, 4096), 0);
  EXPECT(mmio_map(VA + 4096, VIRTIO_PA, 4096), E_PERM);
  EXPECT(irq_route(1, ep, 1), E_PERM);
  EXPECT(irq_ack(1), E_PERM);
  EXPECT(irq_route(11, ep, 1), E_PERM);        // an interrupt nobody's right covers
}

// R_RESPAWN refused (we hold R_THREAD): no boot task started again.
static void respawn_refused(void) {
  EXPECT(respawn("pong"), E_PERM);
  EXPECT(task_watch(other(), 0, 0), 0);
}

// R_RESPAWN held (with R_TASK, to kill): pong is started again from its image, with
// its endpoint: a call on the handle we held before reaches the new instance. Not
// while it lives; not a task that is not a boot task; bad names are errors.
static void respawned(void) {
  struct msg m = {.tag = TAG(1, 0, 0), .w = {41}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  CHECK(m.w[0] == 42, "pong answered %d", (int)m.w[0]);
  uint64 old = other(), ep = ep_create();
  EXPECT(respawn("pong"), E_BUSY);               // alive
  EXPECT(respawn("nosuch"), E_INVAL);
  EXPECT(respawn((const char *)0x80200000UL + MAXUVA), E_BADADDR);   // not a user address
  EXPECT(task_watch(old, ep, 1), 0);
  EXPECT(task_kill(old), 0);
  EXPECT(ipc_call(EP_TEST0, &m, 0), E_DEAD);      // dead until started again
  EXPECT(ipc_recv(ep, &m), 0);                    // the death notice: it is freed
  CHECK(m.w[0] == 1, "death notice bits %d", (int)m.w[0]);
  int64 t = respawn("pong");
  CHECK(t > 0 && t != (int64)old, "respawn: %s", errstr(t));
  EXPECT(task_find("pong"), t);
  EXPECT(ep_owner(EP_TEST0), t);
  m = (struct msg){.tag = TAG(1, 0, 0), .w = {6}};
  EXPECT(ipc_call(EP_TEST0, &m, 0), 0);
  CHECK(m.w[0] == 7, "the new pong answered %d", (int)m.w[0]);
  EXPECT(respawn("pong"), E_BUSY);
}

int main(int argc, char *argv[]) {
  static const char *names[] = {"task", "map", "thread", "uart", "virtio", "respawn", "respawned"};
  void (*cases[])(void) = {task, map, thread, uart, virtio, respawn_refused, respawned};
  if (task_arg >= 7)
    return 1;
  cases[task_arg]();
  char name[32] = "rights ";
  strcpy(name + 7, names[task_arg]);
  test_done(name, 1);
  return 0;
}
