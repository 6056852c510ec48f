// The console core (servers/console/console.c) hosted in the kernel, at stages 1
// and 2: the UART's interrupt runs the core's input handling in the kernel.
#include "kernel.h"
#include "ksvc.h"
#include "servers/console/conshost.h"

void cons_init(void);
void cons_intr(void);
void cons_handle(struct svc_req *r);

volatile uint8 *ch_uart(void) { return kdevice(UART0_PA); }
void ch_irq_done(void) { kirq_done(UART0_IRQ); }

static void uart_irq(int irq) {
  cons_intr();
  kirq_done(irq);
}

static void handle(struct kreq *k) { ksvc_handle(k, cons_handle); }

static struct ksub console = {.name = "console", .ep = EP_CONSOLE, .handle = handle};

void kconsole_start(void) {
  cons_init();
  kirq(UART0_IRQ, uart_irq);
  ksub_start(&console);
}
