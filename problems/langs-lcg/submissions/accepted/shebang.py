#!/usr/bin/env python3
# A python3 shebang selects Python 3 (PyPy here), as problemtools reads it.
def main():
    n, x = map(int, input().split())
    r = 0
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        r ^= x
    print(r)


main()
