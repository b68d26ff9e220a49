"""What the run leaves: the notice saved, the e-mail draft, files opened, the debug bundle."""
