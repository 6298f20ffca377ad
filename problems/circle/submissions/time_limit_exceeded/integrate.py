# Integrates the circle numerically with 200000 strips per radius:
# fine for a few radii, hopeless for 2*10^4 of them.
import math

STEPS = 200000
n = int(input())
for _ in range(n):
    r = float(input())
    h = 2 * r / STEPS
    total = 0.0
    for i in range(STEPS):
        x = -r + (i + 0.5) * h
        total += 2 * math.sqrt(max(r * r - x * x, 0.0)) * h
    print(f"{total:.9f}")
