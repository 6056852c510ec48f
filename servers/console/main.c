// The console driver: the console core hosted in a task on EP_CONSOLE; the UART's
// interrupt arrives as a notification on the same endpoint.
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "servers/console/cons.h"
#include "servers/console/conshost.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define UART_VA 0x50000000UL
#define UART_PA 0x10000000UL
#define UART_IRQ 10

void cons_init(void);
void cons_handle(struct svc_req *r);
void cons_notify(uint64 bits);

volatile uint8 *ch_uart(void) { return (volatile uint8 *)UART_VA; }
void ch_irq_done(void) { irq_ack(UART_IRQ); }

int main(int argc, char *argv[]) {
  if (mmio_map(UART_VA, UART_PA, 4096) < 0 || irq_route(UART_IRQ, EP_CONSOLE, CONS_IRQ_BIT) < 0)
    printf("console: cannot reach the UART\n");
  cons_init();
  svc_serve(EP_CONSOLE, 1, cons_handle, cons_notify);
  return 0;
}
