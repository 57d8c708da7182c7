print("estgate")
