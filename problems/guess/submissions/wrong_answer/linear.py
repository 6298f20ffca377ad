# Tries 1, 2, 3, ...: more than 10 guesses for most secrets.
import sys

for guess in range(1, 1001):
    print(guess, flush=True)
    reply = sys.stdin.readline().strip()
    if reply == "correct" or not reply:
        break
