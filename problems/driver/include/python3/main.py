# The judge's driver: reads the pairs and calls the submission's add().
import sys

from solution import add

data = sys.stdin.buffer.read().split()
n = int(data[0])
out = [str(add(int(data[1 + 2 * i]), int(data[2 + 2 * i]))) for i in range(n)]
sys.stdout.write("\n".join(out) + "\n")
