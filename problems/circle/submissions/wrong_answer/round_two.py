# Rounds to two decimals: too coarse for the 1e-6 tolerance.
import math

n = int(input())
for _ in range(n):
    r = float(input())
    print(f"{math.pi * r * r:.2f}")
