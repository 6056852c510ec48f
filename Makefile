# mv6: build the kernel with its boot tasks, run it under QEMU, test it.
#   make            build build/s$(STAGE)/kernel
#   make qemu       boot it in this terminal (Ctrl-A X quits); CPUS=n harts (default 3)
#   make qemu-gdb   the same, waiting for gdb-multiarch (which reads .gdbinit)
#   make check      run every test          make bench   the benchmarks
#   make trace      an IPC sequence diagram (PROG=, ARG=)
#   make profile    instructions per function and task (PROG=, ARG=)
#   make clean
# STAGE=1..4 picks which subsystems run in the kernel (4: none, the finished system;
# the default is the last stage this tree defines, see labs/*/stage.mk).

# Each lab's directory defines the stage its lab ends at (labs/NN-*/stage.mk: which
# subsystems the kernel still hosts); a handout has only the stages of its labs.
include $(wildcard labs/*/stage.mk)
STAGES := $(sort $(patsubst HOSTED_%,%,$(filter HOSTED_%,$(.VARIABLES))))
STAGE ?= $(lastword $(STAGES))
CPUS ?= 3
# HOSTED="..." on the command line overrides the stage's list of kernel-hosted
# subsystems (for the steps in between while a lab moves several out), built apart.
ifeq ($(origin HOSTED),command line)
B := build/s$(STAGE)-$(if $(strip $(HOSTED)),$(subst $(eval) ,-,$(strip $(HOSTED))),none)
else
HOSTED := $(HOSTED_$(STAGE))
B := build/s$(STAGE)
endif

ifeq ($(filter $(STAGE),$(STAGES)),)
$(error STAGE=$(STAGE) is not defined here: stages $(STAGES) come from labs/*/stage.mk; each later lab adds its own)
endif

# The first RISC-V cross toolchain found on PATH.
TOOLPREFIX ?= $(firstword $(foreach p,riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf-,\
                 $(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
NM := $(TOOLPREFIX)nm
AR := $(TOOLPREFIX)ar
OBJDUMP := $(TOOLPREFIX)objdump
OBJCOPY := $(TOOLPREFIX)objcopy
QEMU ?= qemu-system-riscv64

ARCH := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
CFLAGS := -Wall -Werror -O2 -g -fno-omit-frame-pointer -ffreestanding -fno-common -nostdlib \
          -fno-builtin -fno-stack-protector -fno-pie -no-pie $(ARCH) -I. -DSTAGE=$(STAGE)
KCFLAGS := $(CFLAGS) -Ikernel
LDFLAGS := -z max-page-size=4096 --no-relax $(shell $(LD) --help 2>/dev/null | grep -q no-warn-rwx-segments && echo --no-warn-rwx-segments)

# kernel/k<name>.c hosts the core of servers/<name>/ in the kernel at the stages
# whose HOSTED_n (labs/*/stage.mk) names it; the boot table learns it as KHOST_<name>.
SUBSYSTEMS := mem proc fs console disk
# Whom each subsystem calls (kernel hosts: directly). The kernel never calls a user-level server, so a
# subsystem hosted in the kernel needs everything it calls hosted there too.
CALLS_proc := mem fs
CALLS_fs := disk console
$(foreach s,$(HOSTED),$(foreach c,$(filter-out $(HOSTED),$(CALLS_$(s))),\
  $(error stage $(STAGE): the kernel would host $(s), which calls $(c), a user-level server, but the kernel never calls a server: put $(c) back on HOSTED_$(STAGE) or take $(s) off it (HOSTED_$(STAGE) in labs/*/stage.mk, or HOSTED=))))
KHOST_DEFS := $(foreach s,$(SUBSYSTEMS),-DKHOST_$(s)=$(if $(filter $(s),$(HOSTED)),1,0))
CORE_mem := servers/mem/pages.c
CORE_proc := servers/proc/ptable.c servers/proc/progimg.c
CORE_fs := servers/fs/bio.c servers/fs/log.c servers/fs/inode.c servers/fs/file.c servers/fs/fsops.c
CORE_console := servers/console/console.c
CORE_disk := servers/disk/virtio.c
KERNEL_SRC := $(filter-out kernel/boottab.c kernel/testtab.c $(patsubst %,kernel/k%.c,$(SUBSYSTEMS)),$(wildcard kernel/*.c kernel/*.S)) \
              $(foreach s,$(HOSTED),kernel/k$(s).c $(CORE_$(s)))
KERNEL_OBJ := $(patsubst %,$(B)/obj/%.o,$(KERNEL_SRC))

# The user library: an archive, so a program links only the members it uses. The
# server loop (servers/lib, written in lab 02) is an archive of its own, linked only
# into the programs that are servers: no test program that prints verdicts links it.
ULIB_SRC := $(wildcard user/lib/*.c) user/lib/fork.S kernel/fmt.c
ULIB_OBJ := $(patsubst %,$(B)/ulib/%.o,$(ULIB_SRC))
SRVLIB_OBJ := $(patsubst %,$(B)/ulib/%.o,$(wildcard servers/lib/*.c))
CRT0 := $(B)/ulib/user/lib/crt0.S.o

# Boot programs, each from user/NAME.c, user/tests/NAME.c or servers/NAME/*.c: the
# system's (kernel), and those the test image adds (kernel-test, kernel/testtab.c).
PROGS := mem proc init console disk fs super netdrv net
# Programs on the file system (exec finds them there when a file server runs).
UPROGS := init sh cat echo grep wc ls mkdir rm ln kill ps hello usertests argtest ping httpd nc
OSTESTPROGS := cowread srvbad killrace privtest fairtest procbench scalebench nop dmatest fstests fsbench crashload proctest fuzz traceme profhot nettest
TESTPROGS := pong hello usertests argtest pingpong manycli collect echosrv bulk notify kwait stopper slowsrv midsrv outcli \
             spinner preempt badinput faulter survivor tpager lazy ipcbench deadcli tracer fskiller srvkill rights rskiller
# Each lab's own test programs (labs/NN-*/NAME.c), in the test image.
LABPROGS := $(basename $(notdir $(wildcard labs/*/*.c)))
ALLPROGS := $(PROGS) $(TESTPROGS) $(LABPROGS) $(OSTESTPROGS)
# Programs that run on the server loop: the servers and the test fixtures that serve.
SERVERPROGS := $(notdir $(patsubst %/main.c,%,$(wildcard servers/*/main.c))) midsrv loopsrv
# The trusted test programs: built from test sources only (never a student's file, never
# the server loop), they carry the key slot the grader fills for each run (verdict.c).
KEYED := $(filter-out $(SERVERPROGS),$(TESTPROGS) $(LABPROGS) $(OSTESTPROGS))
# Test images also carry a file that is not a program, for exec to refuse.
TESTFILES := notelf

# Programs are linked low, as xv6's are (the heap follows them, so sizes computed from
# the break work as in xv6), at 640 KiB: page 0 and its neighbours stay unmapped, so a
# null pointer faults; and QEMU's software TLB is direct-mapped by page number and
# shrinks to 64 entries when lightly used, so a program whose first pages have a page
# number that is 0 modulo 64 shares slots with the kernel's first text pages, where the
# IPC fast path is (measured: 16-17 us per round trip instead of 9). The servers (PROGS),
# whose symbols gdb loads all at once (.gdbinit), are each at 640 KiB into a 16 MiB slot
# of its own.
_pos = $(if $2,$(if $(filter $1,$(firstword $2)),$(words $3),$(call _pos,$1,$(wordlist 2,999,$2),$3 x)),)
base = $(shell printf '0x%x' $$(( 0x1000000 * $(or $(call _pos,$1,$(PROGS),),0) + 0xa0000 )))
srcs = $(or $(wildcard user/$1.c),$(wildcard user/tests/$1.c),$(wildcard servers/$1/*.c),$(wildcard labs/*/$1.c))

.PHONY: all qemu qemu-gdb check grade autograder bench bench-scale fuzz trace doc-traces profile clean deps print-keyed
.DELETE_ON_ERROR:

all: $(B)/kernel $(B)/fs.img

$(B)/obj/%.c.o: %.c $(wildcard kernel/*.h servers/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c -o $@ $<

$(B)/obj/%.S.o: %.S kernel/abi.h kernel/param.h
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c -o $@ $<

$(B)/ulib/%.c.o: %.c $(wildcard kernel/*.h user/*.h user/lib/*.h servers/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/ulib/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/ulib.a: $(ULIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/srvlib.a: $(SRVLIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

.SECONDEXPANSION:
$(B)/bin/%: $$(call srcs,$$*) $$(if $$(filter $$*,$$(SERVERPROGS)),$(B)/srvlib.a) $(B)/ulib.a $(CRT0) user/user.ld $(wildcard kernel/*.h user/*.h user/lib/*.h user/tests/*.h servers/*/*.h labs/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(CRT0) $(call srcs,$*) $(if $(filter $*,$(SERVERPROGS)),$(B)/srvlib.a) $(B)/ulib.a -T user/user.ld -Wl,--defsym=BASE=$(call base,$*) -Wl,--no-relax -Wl,-z,max-page-size=4096

# What the images carry: programs without their symbols and debug information (gdb
# reads the symbols from $(B)/bin), so exec reads less, and a trusted program's key
# slot is not a named symbol in its image.
$(B)/strip/%: $(B)/bin/%
	@mkdir -p $(dir $@)
	$(OBJCOPY) --strip-all $< $@

# Keep every intermediate file (make would delete build/sN/bin/* and the CRT0 object
# after a build, so gdb would have no symbols and make would print stray rm lines).
.SECONDARY:

# The programs whose key slot the grader fills (grade/keys.py).
print-keyed:
	@echo $(KEYED)

# The kernel image: objects + boot tables (which know the stage's kernel-hosted
# subsystems) + embedded programs, linked twice so the second link carries a symbol
# table for backtraces.
define kernel_image
$(B)/$1: $(KERNEL_OBJ) $4 kernel/kernel.ld kernel/boottab.c $3 $(wildcard labs/*/stage.mk) $(patsubst %,$(B)/strip/%,$2) mk/bootimg.sh mk/ksyms.sh
	@mkdir -p $(B)/$1.d
	$(foreach t,kernel/boottab.c $3,$(CC) $(KCFLAGS) $(KHOST_DEFS) -c -o $(B)/$1.d/$(notdir $(t:.c=.o)) $(t)
	)sh mk/bootimg.sh $(patsubst %,$(B)/strip/%,$2) > $(B)/$1.d/bootimg.S
	$(CC) $(KCFLAGS) -c -o $(B)/$1.d/bootimg.o $(B)/$1.d/bootimg.S
	sh mk/ksyms.sh > $(B)/$1.d/ksyms0.S
	$(CC) $(KCFLAGS) -c -o $(B)/$1.d/ksyms0.o $(B)/$1.d/ksyms0.S
	$(LD) $(LDFLAGS) -T kernel/kernel.ld -o $(B)/$1.d/pass1 $(KERNEL_OBJ) $4 $(patsubst %.c,$(B)/$1.d/%.o,$(notdir kernel/boottab.c $3)) $(B)/$1.d/bootimg.o $(B)/$1.d/ksyms0.o
	NM=$(NM) sh mk/ksyms.sh $(B)/$1.d/pass1 > $(B)/$1.d/ksyms.S
	$(CC) $(KCFLAGS) -c -o $(B)/$1.d/ksyms.o $(B)/$1.d/ksyms.S
	$(LD) $(LDFLAGS) -T kernel/kernel.ld -o $$@ $(KERNEL_OBJ) $4 $(patsubst %.c,$(B)/$1.d/%.o,$(notdir kernel/boottab.c $3)) $(B)/$1.d/bootimg.o $(B)/$1.d/ksyms.o
endef
$(eval $(call kernel_image,kernel,$(PROGS),))
$(eval $(call kernel_image,kernel-test,$(ALLPROGS) $(TESTFILES),kernel/testtab.c,))

$(B)/strip/notelf:
	@mkdir -p $(dir $@)
	printf 'this is not an ELF file\n' > $@

QEMUOPTS = -machine virt -bios default -m 128M -smp $(CPUS) -nographic -no-reboot \
  -global virtio-mmio.force-legacy=false \
  -drive file=$(B)/fs.img,if=none,format=raw,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
# The network (NET=0: none): QEMU's user network, the guest 10.0.2.15 behind the host's
# 10.0.2.2; `make qemu` forwards a free port of 127.0.0.1 to the guest's port 80.
NET ?= 1
NETOPTS = -netdev user,id=net0$(if $(HOSTPORT),$(comma)hostfwd=tcp:127.0.0.1:$(HOSTPORT)-:80) \
  -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1
comma := ,
ifneq ($(filter qemu qemu-gdb,$(MAKECMDGOALS)),)
ifeq ($(HOSTPORT),)
HOSTPORT := $(shell python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endif
endif
GDBPORT := $(shell expr `id -u` % 5000 + 25000)

deps:
	@sh mk/deps.sh

# Host tools: the image builder and the independent checker (mkfs/).
HOSTCC ?= cc
$(B)/mkfs: mkfs/mkfs.c kernel/fs.h kernel/stat.h kernel/types.h
	@mkdir -p $(B)
	$(HOSTCC) -Wall -Werror -O2 -I. -o $@ mkfs/mkfs.c
$(B)/fsck: mkfs/fsck.c kernel/fs.h kernel/stat.h kernel/types.h
	@mkdir -p $(B)
	$(HOSTCC) -Wall -Werror -O2 -I. -o $@ mkfs/fsck.c

$(B)/fs.img: $(B)/mkfs README.md $(patsubst %,$(B)/strip/%,$(UPROGS) $(OSTESTPROGS))
	$(B)/mkfs $@ README.md $(patsubst %,$(B)/strip/%,$(UPROGS) $(OSTESTPROGS)) >/dev/null

qemu: deps $(B)/kernel $(B)/fs.img
	$(if $(filter 0,$(NET)),,@echo "network: 127.0.0.1:$(HOSTPORT) is the guest's port 80")
	$(QEMU) $(QEMUOPTS) $(if $(filter 0,$(NET)),,$(NETOPTS)) -kernel $(B)/kernel $(if $(ARGS),-append "$(ARGS)")

.gdbinit: mk/gdbinit.sh $(patsubst %,$(B)/bin/%,$(PROGS))
	sh mk/gdbinit.sh $(GDBPORT) $(B)/kernel $(patsubst %,$(B)/bin/%,$(PROGS)) > $@

qemu-gdb: $(B)/kernel $(B)/fs.img .gdbinit
	@sh mk/deps.sh gdb
	@echo "*** Now run 'gdb-multiarch' in another window (it reads .gdbinit; port $(GDBPORT))." 1>&2
	$(QEMU) $(QEMUOPTS) $(if $(filter 0,$(NET)),,$(NETOPTS)) -kernel $(B)/kernel -S -gdb tcp::$(GDBPORT) $(if $(ARGS),-append "$(ARGS)")

check: deps
	@sh mk/check.sh

# make grade [LAB=NN] [TEST=name]: grade this tree (one lab, or one test; feedback as
# you work). make grade SUBMISSION=dir LAB=NN: grade a submission as the graders do
# (grade/submit.py: this course's tree plus the lab's declared files from dir, in a
# sandbox). Results also in build/grade/results.json (Gradescope's) and junit.xml.
grade: deps
	@mkdir -p build/grade
	@$(if $(SUBMISSION),sh grade/submission.sh "$(SUBMISSION)" "$(LAB)" $(TEST),python3 grade/grade.py \
	  $(if $(LAB),--lab $(LAB)) --json "$(CURDIR)/build/grade/results.json" \
	  --junit "$(CURDIR)/build/grade/junit.xml" $(TEST))

# make autograder LAB=NN: a Gradescope autograder bundle for lab NN (grade/autograder/).
autograder:
	@mkdir -p build
	@sh mk/autograder.sh "$(LAB)" build/autograder-lab$(LAB).zip

# @ref begin
# make handout LAB=NN DEST=dir: a student repository for lab NN (earlier labs solved);
# make handout DEST=dir: the whole course, one commit per lab (mk/handout.py).
.PHONY: handout
handout:
	@test -n "$(DEST)" || { echo "make handout: give DEST=dir (and LAB=NN for one lab)"; exit 2; }
	@python3 mk/handout.py $(if $(LAB),tree $(LAB),course) $(DEST)

# @ref end
# make fuzz [SEED=s] [N=n] [CPUS=c]: n random system calls and messages from an ordinary
# process (user/tests/fuzz.c), then the health and leak checks and fsck (the grader's
# test fuzz-custom).
SEED ?= 1
N ?= 1000000
fuzz: deps
	@MV6_FUZZ=$(SEED):$(N) MV6_FUZZ_CPUS=$(CPUS) python3 grade/grade.py fuzz-custom

# make xv6-usertests XV6=/path/to/xv6-riscv [TEST=name]: xv6's own user/usertests.c,
# compiled unchanged against mv6's headers and library (warnings are xv6's business),
# linked at 0 as xv6 links it, and run one test per boot on a fresh copy of an image
# that holds it as xusertests (and README, which xv6's tests open); mk/xv6-usertests.py
# prints the pass count. Not part of make check: it needs an xv6 checkout.
XV6_IMG := $(patsubst %,$(B)/strip/%,$(UPROGS)) $(B)/xv6/xusertests
$(B)/xv6/bin/xusertests: $(XV6)/user/usertests.c $(B)/ulib.a $(CRT0) user/user.ld $(wildcard kernel/*.h user/*.h)
	@test -n "$(XV6)" || { echo "make xv6-usertests: give XV6=/path/to/xv6-riscv"; exit 2; }
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Werror,$(CFLAGS)) -o $@ $(CRT0) $< $(B)/ulib.a -T user/user.ld -Wl,--defsym=BASE=0 -Wl,--no-relax -Wl,-z,max-page-size=4096
$(B)/xv6/xusertests: $(B)/xv6/bin/xusertests
	$(OBJCOPY) --strip-all $< $@
$(B)/xv6/README: README.md
	@mkdir -p $(dir $@)
	cp README.md $@
# 70,000 blocks: xv6's writebig writes a file of MAXFILE (65,803) blocks.
$(B)/xv6/fs.img: $(B)/mkfs $(B)/xv6/README $(XV6_IMG)
	$(B)/mkfs -s 70000 $@ $(B)/xv6/README $(XV6_IMG) >/dev/null
.PHONY: xv6-usertests
xv6-usertests: deps $(B)/kernel $(B)/xv6/fs.img
	@python3 mk/xv6-usertests.py --kernel $(B)/kernel --img $(B)/xv6/fs.img --cpus $(CPUS) \
	  --src $(XV6)/user/usertests.c $(TEST)

bench: deps $(B)/kernel-test $(B)/kernel $(B)/fs.img
	@python3 mk/bench.py $(B)

# make bench-scale: K = 1, 2 independent clients at CPUS=1 and 2, wall time (mk/bench.py)
bench-scale: deps $(B)/kernel-test $(B)/fs.img
	@python3 mk/bench.py $(B) --scale

# make trace PROG=cat ARG=README.md: an IPC sequence diagram of a program's run, from
# the kernel's IPC trace ($(B)/trace.txt and .svg; mk/trace.py). The default,
# PROG=traceme ARG=read, is one read() (ARG=fork: one fork()).
PROG ?= traceme
ARG ?= $(if $(filter traceme,$(PROG)),read)
trace: deps $(B)/kernel $(B)/fs.img
	@python3 mk/trace.py run $(B) $(B)/trace $(PROG) $(ARG)

# make doc-traces: every picture in doc/ and the lab handouts, traced anew (traceme
# WORKLOAD at stage N -> doc/trace-WORKLOAD-sN.svg and .txt).
DOC_TRACES := read-s2 read-s3 read-s4 fork-s1 fork-s2 fork-s4 wait-s1 wait-s2 fault-s3 fault-s4
doc-traces: deps
	@set -e; for t in $(DOC_TRACES); do w=$${t%-s*}; s=$${t##*-s}; \
	  $(MAKE) -s STAGE=$$s build/s$$s/kernel build/s$$s/fs.img; \
	  python3 mk/trace.py run build/s$$s doc/trace-$$t traceme $$w; done

# make profile PROG=fsbench: where PROG's run spends its executed instructions, per
# function and task, across the kernel, the servers and PROG ($(B)/profile.txt and
# .svg; kernel/prof.c, mk/profile.py). The default PROG here is fsbench.
PPROG = $(if $(filter command line,$(origin PROG)),$(PROG),fsbench)
profile: deps $(B)/kernel $(B)/fs.img
	@python3 mk/profile.py run $(B) $(B)/profile $(PPROG) $(if $(filter command line,$(origin ARG)),$(ARG))

clean:
	rm -rf build .gdbinit
