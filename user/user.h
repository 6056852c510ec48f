// xv6's user API. Each call becomes an IPC to the subsystem that owns it; a call
// whose subsystem does not exist yet returns -1 at once. Until the console server
// exists, fds 1 and 2 write through the kernel's debug output.
#pragma once
#include "kernel/types.h"

struct stat;

// system calls
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int *);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(const char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);
int sleep(int);
int uptime(void);

// socket.c: UDP and TCP sockets as file descriptors (servers/net/net.h); errors < 0
int socket(int type);
int bind(int s, int port);
int connect(int s, uint ip, int port);
int sendto(int s, const void *buf, int n, uint ip, int port);
int recvfrom(int s, void *buf, int n, uint *ip, int *port, int timeout_ms);
int sockclose(int s);                   // close(s)
int listen(int s);
int accept(int s, uint *ip, int *port);
int shutdown(int s);
int send(int s, const void *buf, int n);
int64 netping(uint ip, int seq, int timeout_ms, int payload);   // round trip in ns
int parseip(const char *s, uint *ip);

// ulib.c
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void fprintf(int, const char *, ...);
void printf(const char *, ...);
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
int atoi(const char *);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);
void *malloc(uint);
void free(void *);
