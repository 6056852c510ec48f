# Stage 1, where lab 01 starts and ends: every subsystem (memory, processes, file
# system, console, disk) runs inside the kernel behind kernel-answered endpoints.
HOSTED_1 := mem proc fs console disk
