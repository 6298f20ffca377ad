# Trial division up to the smallest factor.
import sys


def smallest_factor(n):
    d = 2
    while d * d <= n:
        if n % d == 0:
            return d
        d += 1
    return n


data = sys.stdin.buffer.read().split()
out = []
for token in data[1 : 1 + int(data[0])]:
    n = int(token)
    d = smallest_factor(n)
    out.append("%d %d" % (d, n // d))
print("\n".join(out))
