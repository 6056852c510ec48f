"""Kernel system tests. See grade/README.md for the Test fields."""

from testlib import Test

TESTS = [
    Test(name="boot", suite="kernel", boot="run=hello",
         expect=[r"^\[kernel\] mv6", r"hello: ok"], cpus=1),
    Test(name="boot-smp4", suite="kernel", boot="run=hello", cpus=4,
         expect=[r"^\[kernel\] mv6", r"hello: ok"]),
]
