# Counts up to N/2 one at a time: hopeless for N up to 10^18.
n = int(input())
a = 0
while a < n // 2:
    a += 1
print(a, n - a)
