# Binary search over 1..1000: at most 10 guesses.
lo, hi = 1, 1000
while True:
    guess = (lo + hi) // 2
    print(guess, flush=True)
    reply = input().strip()
    if reply == "correct":
        break
    if reply == "lower":
        hi = guess - 1
    else:
        lo = guess + 1
