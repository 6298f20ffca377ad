import math
import sys

data = sys.stdin.read().split()
n = int(data[0])
# Ten decimals, while the judge's answers have six: the float tolerance accepts both.
print("\n".join(f"{math.pi * float(r) ** 2:.10f}" for r in data[1:1 + n]))
