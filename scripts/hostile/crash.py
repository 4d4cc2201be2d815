def drill():
    return []
