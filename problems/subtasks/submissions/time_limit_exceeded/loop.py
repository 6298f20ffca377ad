# Adds the rows one by one: fine for the small group, far too slow beyond.
n = int(input())
total = 0
for row in range(1, n + 1):
    total += row
print(total)
