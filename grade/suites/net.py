"""Network tests (issue 13): the network driver and server (servers/netdrv, servers/net)
under QEMU's user network, from a process (user/tests/nettest.c) and from the host
(grade/nettest.py: UDP and TCP both ways, httpd, nc and ping, make bench's figures, and
raw frames, good and bad, from a test that plays the whole network). No fixed ports:
the scripts pick free ones."""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL"]

TESTS = [
    Test(name="net-api", suite="net", boot="run=net prog=nettest arg=api", disk=True, budget=30,
         expect=[r"^init: pid 1, starting nettest$"], auth=[r"^nettest api: ok$"],
         forbid=FORBID, end=r"^init: nettest exited"),
    Test(name="net-garbage", suite="net", boot="run=net prog=nettest arg=garbage", disk=True, budget=60,
         expect=[r"^init: pid 1, starting nettest$"], auth=[r"^nettest garbage: ok$"],
         forbid=FORBID, end=r"^init: nettest exited", deps=["net-api"]),
]

# From the host (grade/nettest.py): UDP both ways through QEMU's user network, and bad
# frames through a socket backend where the test plays the network.
TESTS += [
    Test(name="net-udp", suite="net", script="grade/nettest.py udp", disk=True, icount=False, wall=120,
         deps=["net-api"]),
    Test(name="net-tcp", suite="net", script="grade/nettest.py tcp", disk=True, icount=False, wall=180,
         deps=["net-api"]),
    Test(name="net-httpd", suite="net", script="grade/nettest.py http", disk=True, icount=False, wall=180,
         deps=["net-tcp"]),
    Test(name="net-nc", suite="net", script="grade/nettest.py nc", disk=True, icount=False, wall=120,
         deps=["net-tcp"]),
    # make bench's network figures are there (mk/netbench.py, short): a number > 0 for
    # each, or for a native ceiling, unmeasured and why
    Test(name="bench-net", suite="net", script="grade/nettest.py bench", disk=True, icount=False, wall=300,
         deps=["net-tcp"]),
    Test(name="net-badframes", suite="net", script="grade/nettest.py bad", disk=True, icount=False, wall=120,
         deps=["net-api"]),
]

# The fuzzer (user/tests/fuzz.c) with the network's two servers up beside the others
# (its made-up handles reach their endpoints too): no panic, no leak, the disk
# consistent (the fuzzer's own checks, and fsck). net-garbage aims at them directly.
TESTS.append(Test(name="net-fuzz", suite="net", boot="run=net prog=fuzz arg=3:50000", disk=True, cpus=2,
                  icount=False, budget=600, wall=660, fsck=True,
                  forbid=DEFAULT_FORBID + [r"^FAIL user/tests/fuzz", r"^fuzz \d+: FAIL"],
                  expect=[r"^init: pid 1, starting fuzz$", r"^init: fuzz exited with status 0$"],
                  auth=[r"^fuzz 3: ok$"], end=r"^init: fuzz exited", deps=["net-api"]))
