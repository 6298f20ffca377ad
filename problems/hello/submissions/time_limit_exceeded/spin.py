# Waits forever for a "go" that never comes.
ready = False
while not ready:
    pass
print("Hello, World!")
