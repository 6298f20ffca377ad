# Assumes the radius is an integer: int("2.5") raises ValueError, exit code 1.
import math

n = int(input())
for _ in range(n):
    r = int(input())
    print(f"{math.pi * r * r:.6f}")
