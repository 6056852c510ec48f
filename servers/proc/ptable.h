// The process table and its rules, shared by both hosts of the process subsystem
// (kernel/kproc.c at stage 1, the process server servers/proc/main.c from stage 2).
// It decides -- pids, parents and children, zombies, orphans to init, who may kill
// whom, whose wait can end -- and answers nobody: no IPC, no kernel internals. The
// host does what a decision asks (reply, wake a sleeper, free memory, ...).
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"
#include "servers/proc/proc.h"

#define NPROC 64

enum pstate { P_FREE, P_NEW, P_ALIVE, P_ZOMBIE };

struct proc {
  enum pstate state;        // P_NEW: being set up by fork (no task of its own yet)
  int pid, ppid;            // ppid 0: none (init)
  int fam;                  // its family (ptable_new): a pid, or 0 for init and its children
  uint64 task;              // its task: the badge its requests carry
  int xstatus;              // a zombie's exit status
  int waiting;              // blocked in wait (set by ptable_wait, cleared when it ends)
  uint64 wake_at;           // blocked in sleep until this guest time (ns); 0: not asleep
  uint64 wait_tok, sleep_tok;  // a server's deferred replies to those; the kernel host,
                            // whose callers sleep on their own stacks, leaves them 0
  char name[16];            // the program's name (ps, ^P)
};

extern struct proc ptable[NPROC];

// A new entry (P_NEW), child of parent (0: none), with a fresh pid and parent's name;
// 0 if the table is full. The host sets it up, then ptable_run, or ptable_drop.
// Fairness: a child of init's children (a shell's command, a test's child) starts a
// family, which its descendants join for good (orphans too); a family may grow only
// while it holds fewer entries than are free. So a fork bomb gets about half of the
// table, and any process outside its family can still fork. init and its children
// (the shell, prog=) are not limited.
struct proc *ptable_new(struct proc *parent);
void ptable_run(struct proc *p, uint64 task);   // set up: its task runs now
void ptable_drop(struct proc *p);               // set-up failed: the entry is free again

struct proc *ptable_by_task(uint64 task);       // the live process of task, or 0
struct proc *ptable_by_pid(int pid);            // live or zombie, or 0

// p runs a new program, called name, in its new task.
void ptable_exec(struct proc *p, uint64 task, const char *name);

// p is gone (exit, kill, or its task died): it becomes a zombie with status, its
// children go to init, and its own blocked wait or sleep ends unanswered (the host
// drops them first). Fills wake[] with the processes whose wait can now end (p's
// parent, init given zombies) and returns how many (0..2): for each, the host calls
// ptable_wait again and answers it.
int ptable_exit(struct proc *p, int status, struct proc *wake[2]);

// p waits for a child: 1 and a zombie child reaped (*pid, *status; its entry is free
// again), 0 if p must wait (p->waiting is set until a child exits), or E_INVAL if p
// has no children.
int ptable_wait(struct proc *p, int *pid, int *status);

// Kill pid? The victim (alive), or 0 with *err: E_INVAL (no such live process),
// E_PERM (init, pid 1, is never killed). Any process may kill any other.
struct proc *ptable_kill(int pid, int *err);

// The entries in use, for ps and ^P: fills up to max of them into out, returns how many.
int ptable_ps(struct procinfo *out, int max);
