# Expects two numbers on the line: ValueError, exit code 1.
n, m = map(int, input().split())
print(1, n - 1)
