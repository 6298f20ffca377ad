# Loops one time too many: IndexError on the missing pair, exit code 1.
import sys

data = sys.stdin.read().split()
t = int(data[0])
for i in range(t + 1):
    print(int(data[1 + 2 * i]) + int(data[2 + 2 * i]))
