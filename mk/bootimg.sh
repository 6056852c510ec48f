#!/bin/sh
# bootimg.sh ELF...: print an assembly file embedding each program (.incbin) and a
# table {name, start, end} the kernel's boot loader reads (kernel/boot.c).
echo '.section .bootimg, "a"'
echo '.balign 8'
echo '.globl bootimg_table'
echo 'bootimg_table:'
i=0
for f in "$@"; do
  echo "  .quad name$i, img$i, img${i}_end"
  i=$((i+1))
done
echo '  .quad 0, 0, 0'
i=0
for f in "$@"; do
  echo "name$i: .string \"$(basename "$f")\""
  i=$((i+1))
done
i=0
for f in "$@"; do
  echo '.balign 16'
  echo "img$i: .incbin \"$f\""
  echo "img${i}_end:"
  i=$((i+1))
done
