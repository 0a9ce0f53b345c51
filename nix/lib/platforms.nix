# The support matrix, read from the same JSON file the TypeScript side
# imports, so Nix and the CLI can never disagree about rows or systems.
builtins.fromJSON (builtins.readFile ../../data/platforms.json)
