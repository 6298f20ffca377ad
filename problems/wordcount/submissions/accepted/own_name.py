#!/usr/bin/env python3
# Reads its own file name, as some contest solutions do: it only counts
# correctly when it runs under the name it was submitted as.
import os
import sys

if os.path.basename(sys.argv[0]) != "own_name.py":
    print("renamed to", sys.argv[0])
    sys.exit(0)
lines = sys.stdin.read().split("\n")
n = int(lines[0])
print("\n".join(str(len(line.split())) for line in lines[1 : n + 1]))
