import sys

data = sys.stdin.read().split("\n")
n = int(data[0])
sys.stdout.write("".join(f"{len(line.split())}\n" for line in data[1 : n + 1]))
