# Wrong: reads "debts" as coins he does not have, and leaves them out.
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(sum(v for v in map(int, tokens[1:1 + n]) if v > 0))
