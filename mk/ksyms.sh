#!/bin/sh
# ksyms.sh KERNEL_ELF: print an assembly file holding the kernel's function symbols,
# sorted by address, for panic backtraces (kernel/ksyms.c). With no argument, an
# empty table (the first of the two links).
echo '.section .ksyms, "a"'
echo '.globl ksym_table, ksym_count, ksym_names'
echo '.balign 8'
if [ -z "$1" ]; then
  echo 'ksym_count: .quad 0'
  echo 'ksym_table:'
  echo 'ksym_names: .byte 0'
  exit 0
fi
NM=${NM:-nm}
$NM -n "$1" | awk 'BEGIN { n = 0 }
  $2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
  END {
    printf "ksym_count: .quad %d\nksym_table:\n", n
    off = 0
    for (i = 0; i < n; i++) { printf "  .quad 0x%s, %d\n", addr[i], off; off += length(name[i]) + 1 }
    printf "ksym_names:\n"
    for (i = 0; i < n; i++) printf "  .string \"%s\"\n", name[i]
  }'
