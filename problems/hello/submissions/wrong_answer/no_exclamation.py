# Forgot the exclamation mark.
print("Hello, World")
