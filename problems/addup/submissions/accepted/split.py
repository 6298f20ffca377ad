# One and the rest: always positive since N >= 2.
n = int(input())
print(1, n - 1)
