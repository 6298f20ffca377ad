# Wrong: starts from 0, so a city of wells gets 0.
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
best = 0
for v in map(int, tokens[1:1 + n]):
    best = max(best, v)
print(best)
