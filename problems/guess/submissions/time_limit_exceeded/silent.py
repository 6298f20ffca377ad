# Waits for the judge to speak first; the judge waits for a guess. Nobody
# moves until the wall clock runs out.
reply = input()
print(500, flush=True)
