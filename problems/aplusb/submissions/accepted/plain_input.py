# Line-by-line input() and print(): slow I/O, still well within the limit.
t = int(input())
for _ in range(t):
    a, b = map(int, input().split())
    print(a + b)
