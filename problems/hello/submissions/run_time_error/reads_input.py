# Expects a name on the input, but the input is empty: EOFError, exit code 1.
name = input()
print("Hello, " + name + "!")
