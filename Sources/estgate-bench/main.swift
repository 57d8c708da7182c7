print("estgate-bench")
