# Goes through floating point: loses precision above 2^53.
t = int(input())
for _ in range(t):
    a, b = input().split()
    print(int(float(a) + float(b)))
