print("talea: under construction")
