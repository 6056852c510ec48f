// For xv6's user programs, which include kernel/syscall.h: mv6 has no system call
// numbers for them (its user library sends messages to the servers, user/lib/usys.c).
#pragma once
