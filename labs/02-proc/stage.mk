# Stage 2, where lab 02 ends: process management runs in servers/proc; the kernel
# still hosts the rest.
HOSTED_2 := mem fs console disk
