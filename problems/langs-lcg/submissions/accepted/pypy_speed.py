# A plain loop of up to 2*10^7 steps: about 0.2 s under PyPy, several
# seconds under CPython. Accepted only because Python 3 runs on PyPy.
import sys

n, x = map(int, sys.stdin.read().split())
r = 0
for _ in range(n):
    x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    r ^= x
print(r)
