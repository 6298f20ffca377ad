# Read, sort, take the median, count the distinct values.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
v = sorted(map(int, data[1 : 1 + n]))
distinct = 1 + sum(1 for i in range(1, n) if v[i] != v[i - 1])
print(distinct)
print(v[(n + 1) // 2 - 1])
