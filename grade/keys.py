"""Per-run keys for verdict lines (user/lib/verdict.h).

Trusted test programs (the Makefile's KEYED list: built from test sources only) carry
a 64-byte key slot. Before each run the grader writes a fresh random key into the slot
of every keyed program in that run's own copy of the kernel image (where the boot
table says each program is) and of the disk image (where the file system says its
blocks are); it never travels on the command line or in a file. A verdict line is
"TEXT #mv6:TAG t=MS" with TAG the first 16 bytes of HMAC-SHA256(key, DOMAIN + TEXT), in
hex, and MS the guest time in ms (not covered: for calibration only); only lines whose
tag verifies count.
"""

import hmac
import hashlib
import os
import re
import secrets
import shutil
import struct
import subprocess

import fsimg

SLOT = 64
MARKER = b"mv6 key slot: the grader writes a per-run key over these bytes.".ljust(SLOT, b"\0")
DOMAIN = b"mv6 verdict\n"
TAG_RE = re.compile(r"^(.*) #mv6:([0-9a-f]{32})(?: t=(\d+))?$")
NM_PREFIXES = ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-")


class KeyError_(Exception):
    pass


def new_key():
    return secrets.token_bytes(SLOT)


def tag(key, text):
    return hmac.new(key, DOMAIN + text.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def verified(lines, key):
    """(texts of the lines whose tag verifies, number of tagged lines that did not)."""
    good, bad = [], 0
    for line in lines:
        m = TAG_RE.match(line)
        if not m:
            continue
        if key is not None and hmac.compare_digest(tag(key, m[1]), m[2]):
            good.append(m[1])
        else:
            bad += 1
    return good, bad


def guest_ms(lines):
    """The guest time of the last verdict line (a run's length, as the guest saw it)."""
    times = [int(m[3]) for m in map(TAG_RE.match, lines) if m and m[3]]
    return times[-1] if times else None


def nm_tool():
    for p in NM_PREFIXES:
        if shutil.which(p + "nm"):
            return p + "nm"
    raise KeyError_("no RISC-V nm on PATH")


def symbols(elf):
    """{name: (address, type letter)} of an ELF file, read with the toolchain's nm."""
    out = subprocess.run([nm_tool(), elf], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = (int(f[0], 16), f[1])
    return syms


def _file_offset(data, vaddr):
    """The offset in an ELF64 file of a virtual address in one of its loaded segments."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:
            return p_offset + (vaddr - p_vaddr)
    raise KeyError_(f"address {vaddr:#x} is in no loaded segment")


def boot_programs(image):
    """{name: (file offset, length)} of the programs embedded in a kernel image, from its
    boot table (mk/bootimg.sh writes it; kernel/boot.c reads it)."""
    with open(image, "rb") as f:
        data = f.read()
    table = symbols(image).get("bootimg_table")
    if table is None:
        raise KeyError_(f"{image}: no bootimg_table")
    progs, at = {}, _file_offset(data, table[0])
    while True:
        name, start, end = struct.unpack_from("<QQQ", data, at)
        if name == 0:
            return progs
        n = _file_offset(data, name)
        progs[data[n:data.index(b"\0", n)].decode()] = (_file_offset(data, start), end - start)
        at += 24


def slot_in(program):
    """Offset of the key slot in a program file, or None if it has none (it prints no
    verdicts). Exactly one: the slot is a single object of verdict.c."""
    with open(program, "rb") as f:
        data = f.read()
    first = data.find(MARKER)
    if first < 0:
        return None
    if data.find(MARKER, first + 1) >= 0:
        raise KeyError_(f"{program}: more than one key slot")
    return first


class Keyring:
    """Where the key goes in one stage's build: found once, written for every run."""

    def __init__(self, stage_dir, keyed):
        self.stage_dir = stage_dir
        self.slots = {}                  # program name -> slot offset in its file
        for name in keyed:
            path = os.path.join(stage_dir, "strip", name)
            if os.path.isfile(path):
                off = slot_in(path)
                if off is not None:
                    self.slots[name] = off
        self._images = {}

    def _plan(self, image):
        if image not in self._images:
            progs = boot_programs(image)
            self._images[image] = [progs[n][0] + off for n, off in self.slots.items() if n in progs]
        return self._images[image]

    def prepare(self, image, disk, rundir, key):
        """Copy the kernel image (and the disk image, if disk) into rundir with key in
        every keyed program's slot. Returns (kernel path, disk path or None)."""
        if not self.slots:
            return image, None           # no trusted program here: nothing to write
        os.makedirs(rundir, exist_ok=True)
        kernel = os.path.join(rundir, os.path.basename(image))
        with open(image, "rb") as f:
            data = bytearray(f.read())
        for at in self._plan(image):
            if data[at:at + SLOT] != MARKER:
                raise KeyError_(f"{image}: no key slot at {at:#x}")
            data[at:at + SLOT] = key
        with open(kernel, "wb") as f:
            f.write(data)
        if not disk:
            return kernel, None
        img = os.path.join(rundir, "fs.img")
        with open(os.path.join(self.stage_dir, "fs.img"), "rb") as f:
            data = bytearray(f.read())
        fs = fsimg.Image(bytes(data))
        for name, off in self.slots.items():
            if fs.lookup("/" + name) is None:
                continue
            at = fs.disk_offset("/" + name, off)
            if at % fsimg.BSIZE + SLOT > fsimg.BSIZE:
                raise KeyError_(f"fs.img: /{name}'s key slot straddles two blocks")
            if data[at:at + SLOT] != MARKER:
                raise KeyError_(f"fs.img: /{name} has no key slot at {at:#x}")
            data[at:at + SLOT] = key
        with open(img, "wb") as f:
            f.write(data)
        return kernel, img
