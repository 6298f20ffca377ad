# Recursion one level per step: past Python's default recursion limit of
# 1000 it raises RecursionError.
def xor_stream(k, x):
    if k == 0:
        return 0
    x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    return x ^ xor_stream(k - 1, x)


n, x0 = map(int, input().split())
print(xor_stream(n, x0))
