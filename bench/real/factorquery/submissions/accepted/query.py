# Trial division per query, flushed after each answer.
import sys


def smallest_factor(n):
    d = 2
    while d * d <= n:
        if n % d == 0:
            return d
        d += 1
    return n


q = int(sys.stdin.readline())
for _ in range(q):
    n = int(sys.stdin.readline())
    d = smallest_factor(n)
    sys.stdout.write("%d %d\n" % (d, n // d))
    sys.stdout.flush()
