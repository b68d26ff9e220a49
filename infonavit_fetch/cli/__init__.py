"""The command line: options, settings, the terminal, what is said at the end."""
