"""What Mi Cuenta Infonavit is: its labels, vocabularies, messages and their meanings, the notice."""
