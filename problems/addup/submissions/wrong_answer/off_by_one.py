# Prints 1 and N: the sum is N + 1.
n = int(input())
print(1, n)
